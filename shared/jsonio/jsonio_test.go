package jsonio_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"ohcs/shared/jsonio"
	"ohcs/shared/problem"
)

type inner struct {
	Count int `json:"count"`
}

type payload struct {
	Name  string   `json:"name"`
	Tags  []string `json:"tags"`
	Inner inner    `json:"inner"`
}

func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		name, body, contentType string
		code                    problem.Code
		field                   string
	}{
		{"valid", `{"name":"a","tags":["x"],"inner":{"count":2}}`, "application/json", "", ""},
		{"charset", `{"name":"a"}`, "application/json; charset=utf-8", "", ""},
		{"empty", ``, "application/json", problem.Invalid, "body"},
		{"malformed", `{"name":`, "application/json", problem.Invalid, "body"},
		{"syntax", `{"name" "a"}`, "application/json", problem.Invalid, "body"},
		{"unknown field", `{"name":"a","age":3}`, "application/json", problem.Invalid, "age"},
		{"wrong type", `{"name":3}`, "application/json", problem.Invalid, "name"},
		{"nested wrong type", `{"inner":{"count":"many"}}`, "application/json", problem.Invalid, "inner.count"},
		{"trailing", `{"name":"a"} {"name":"b"}`, "application/json", problem.Invalid, "body"},
		{"not an object", `[1,2]`, "application/json", problem.Invalid, "body"},
		{"duplicate key", `{"name":"a","tags":[],"name":"b"}`, "application/json", problem.Invalid, "name"},
		{"duplicate nested key", `{"inner":{"count":1,"count":2}}`, "application/json", problem.Invalid, "count"},
		{"same key in sibling objects", `{"name":"a","inner":{"count":1}}`, "application/json", "", ""},
		{"deep nesting", `{"tags":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, "application/json", problem.Invalid, "body"},
		{"invalid UTF-8", "{\"name\":\"a\xffb\"}", "application/json", problem.Invalid, "body"},
		{"huge number", `{"inner":{"count":1e400}}`, "application/json", problem.Invalid, "inner.count"},
		{"form", `name=a`, "application/x-www-form-urlencoded", problem.Invalid, "Content-Type"},
		{"too large", `{"name":"` + strings.Repeat("a", jsonio.MaxBody) + `"}`, "application/json", problem.TooLarge, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(tc.body))
			r.Header.Set("Content-Type", tc.contentType)
			var p payload
			err := jsonio.Decode(r, &p)
			if problem.CodeOf(err) != tc.code && !(tc.code == "" && err == nil) {
				t.Fatalf("got %v; want code %q", err, tc.code)
			}
			if tc.field != "" {
				pe := err.(*problem.Error)
				if len(pe.Fields) != 1 || pe.Fields[0].Field != tc.field {
					t.Errorf("fields: got %v; want %s", pe.Fields, tc.field)
				}
			}
		})
	}
}

// FuzzUnmarshal checks that no body crashes decoding, and that whatever is
// refused is refused as a client error.
func FuzzUnmarshal(f *testing.F) {
	for _, seed := range []string{`{"name":"a"}`, `{"inner":{"count":1}}`, `{`, `[]`, `null`, `{"tags":[1]}`, "\x00", `{"name":"\ud800"}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var p payload
		err := jsonio.Unmarshal(data, &p)
		if err != nil && problem.CodeOf(err) != problem.Invalid {
			t.Fatalf("decoding %q: got %v; want an invalid-input error", data, err)
		}
	})
}

// TestStampsAreTheLastFields: a view that embeds Stamps shows its own
// fields, then createdAt, updatedAt (RFC 3339, UTC, to the second) and
// version, whatever zone the times were in.
func TestStampsAreTheLastFields(t *testing.T) {
	maputo := time.FixedZone("CAT", 2*3600)
	v := struct {
		ID string `json:"id"`
		jsonio.Stamps
	}{"a1", jsonio.StampsOf(time.Date(2026, 12, 1, 10, 30, 15, 999, maputo), time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), 3)}
	rec := httptest.NewRecorder()
	jsonio.Write(rec, 200, v)
	want := `{"id":"a1","createdAt":"2026-12-01T08:30:15Z","updatedAt":"2026-12-02T00:00:00Z","version":3}`
	if got := strings.TrimSpace(rec.Body.String()); got != want {
		t.Errorf("got %s; want %s", got, want)
	}
	if got := jsonio.TimeOrEmpty(time.Time{}); got != "" {
		t.Errorf("no time: got %q; want none", got)
	}
	if got := jsonio.TimeOrEmpty(time.Date(2026, 12, 1, 10, 0, 0, 0, maputo)); got != "2026-12-01T08:00:00Z" {
		t.Errorf("a time: got %q", got)
	}
}
