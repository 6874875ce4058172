package etag_test

import (
	"net/http/httptest"
	"testing"

	"ohcs/shared/etag"
	"ohcs/shared/problem"
)

func TestIfMatch(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   int64
		code   problem.Code
	}{
		{"", 0, problem.PreconditionRequired},
		{`"3"`, 3, ""},
		{`3`, 3, ""},
		{`W/"12"`, 12, ""},
		{`"0"`, 0, problem.Invalid},
		{`"abc"`, 0, problem.Invalid},
		{`*`, 0, problem.Invalid},
	} {
		t.Run(tc.header, func(t *testing.T) {
			r := httptest.NewRequest("PATCH", "/", nil)
			if tc.header != "" {
				r.Header.Set("If-Match", tc.header)
			}
			got, err := etag.IfMatch(r)
			if tc.code != "" {
				if problem.CodeOf(err) != tc.code {
					t.Fatalf("got %v; want %s", err, tc.code)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %d, %v; want %d", got, err, tc.want)
			}
		})
	}
	if etag.Format(7) != `"7"` {
		t.Errorf("Format(7): got %s", etag.Format(7))
	}
}
