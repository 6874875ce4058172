package paging_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"

	"ohcs/shared/cursor"
	"ohcs/shared/page"
	"ohcs/shared/paging"
	"ohcs/shared/problem"
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
		if err := paging.Write(rec, sealer, "scope", page.Of[int]{Items: c.items, Next: c.next}, show); err != nil {
			t.Fatal(err)
		}
		if rec.Code != 200 || rec.Body.String() != c.want+"\n" && rec.Body.String() != c.want {
			t.Errorf("%v: %d %s; want %s", c.items, rec.Code, rec.Body, c.want)
		}
	}
	rec := httptest.NewRecorder()
	if err := paging.Write(rec, sealer, "scope", page.Of[int]{Items: []int{3}, Next: map[string]string{"id": "3"}}, show); err != nil {
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

// TestServeWalksAList: Serve asks the list for the limit and position the
// request names and answers that page; following its cursors walks the
// whole list once, in order; a bad limit or a cursor of another scope is
// the client's error, and the list is not asked.
func TestServeWalksAList(t *testing.T) {
	sealer, err := cursor.NewSealer(make([]byte, cursor.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	all := []int{1, 2, 3, 4, 5}
	asked := 0
	list := func(limit int, after map[string]string) (page.Of[int], error) {
		asked++
		from, _ := strconv.Atoi(after["i"])
		to := min(from+limit, len(all))
		var next map[string]string
		if to < len(all) {
			next = map[string]string{"i": strconv.Itoa(to)}
		}
		return page.Of[int]{Items: all[from:to], Next: next}, nil
	}
	serve := func(query string) (int, []int, string) {
		rec := httptest.NewRecorder()
		err := paging.Serve(rec, httptest.NewRequest("GET", "/things?"+query, nil), sealer, "things", list, func(n int) int { return n })
		var body struct {
			Items      []int
			NextCursor string
		}
		if problem.Is(err, problem.Invalid) {
			return 400, nil, err.Error()
		}
		if err != nil {
			return 500, nil, err.Error()
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatal(err)
		}
		return rec.Code, body.Items, body.NextCursor
	}
	var walked []int
	query := "limit=2"
	for range 5 {
		status, items, next := serve(query)
		if status != 200 {
			t.Fatalf("%s: %d %s", query, status, next)
		}
		walked = append(walked, items...)
		if next == "" {
			break
		}
		query = "limit=2&cursor=" + url.QueryEscape(next)
	}
	if fmt.Sprint(walked) != fmt.Sprint(all) || asked != 3 {
		t.Errorf("walked %v in %d asks; want %v in 3", walked, asked, all)
	}
	other, _ := sealer.Seal("other things", map[string]string{"i": "2"})
	for _, q := range []string{"limit=0", "limit=x", "cursor=" + url.QueryEscape(other)} {
		before := asked
		if status, _, msg := serve(q); status != 400 || asked != before {
			t.Errorf("%s: %d %s after %d asks; want the client's error and no ask", q, status, msg, asked-before)
		}
	}
}
