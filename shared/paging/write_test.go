package paging_test

import (
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"testing"

	"ohcs/shared/cursor"
	"ohcs/shared/paging"
)

// TestWrite: a page answers its items as shown, an empty list as [] (not
// null), and the next page's cursor only when there is one, sealed to its
// scope.
func TestWrite(t *testing.T) {
	sealer, err := cursor.NewSealer(make([]byte, cursor.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	show := func(n int) string { return strconv.Itoa(n * 10) }
	for _, c := range []struct {
		items []int
		next  map[string]string
		want  string
	}{
		{nil, nil, `{"items":[]}`},
		{[]int{1, 2}, nil, `{"items":["10","20"]}`},
	} {
		rec := httptest.NewRecorder()
		if err := paging.Write(rec, sealer, "scope", c.items, c.next, show); err != nil {
			t.Fatal(err)
		}
		if rec.Code != 200 || rec.Body.String() != c.want+"\n" && rec.Body.String() != c.want {
			t.Errorf("%v: %d %s; want %s", c.items, rec.Code, rec.Body, c.want)
		}
	}
	rec := httptest.NewRecorder()
	if err := paging.Write(rec, sealer, "scope", []int{3}, map[string]string{"id": "3"}, show); err != nil {
		t.Fatal(err)
	}
	var body struct {
		Items      []string
		NextCursor string
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || len(body.Items) != 1 || body.NextCursor == "" {
		t.Fatalf("page with a next one: %s %v", rec.Body, err)
	}
	if after, err := sealer.Open("scope", body.NextCursor); err != nil || after["id"] != "3" {
		t.Errorf("the cursor opens to %v %v", after, err)
	}
	if _, err := sealer.Open("other", body.NextCursor); err == nil {
		t.Error("the cursor opens for another scope")
	}
}
