// Package paging owns the list conventions of DOMAIN.md: `limit` (1 to 100,
// default 20) and an opaque `cursor` sealed to the query it continues.
package paging

import (
	"net/http"
	"strconv"

	"ohcs/shared/cursor"
	"ohcs/shared/jsonio"
	"ohcs/shared/page"
	"ohcs/shared/problem"
)

// Page is the position of a list request.
type Page struct {
	Limit int
	// After is the position the cursor names; nil for the first page.
	After map[string]string
}

// Parse reads limit and cursor from r; the cursor must have been sealed for
// scope. Invalid errors name the parameter.
func Parse(r *http.Request, sealer *cursor.Sealer, scope string) (Page, error) {
	v := r.URL.Query()
	p := Page{Limit: 20}
	if v.Has("limit") {
		n, err := strconv.Atoi(v.Get("limit"))
		if err != nil || n < 1 || n > 100 {
			return p, problem.Field("limit", "must be an integer from 1 to 100")
		}
		p.Limit = n
	}
	if v.Has("cursor") {
		c := v.Get("cursor")
		if c == "" || len(c) > 2048 {
			return p, problem.Field("cursor", "is not a cursor of this query")
		}
		after, err := sealer.Open(scope, c)
		if err != nil {
			return p, err
		}
		p.After = after
	}
	return p, nil
}

// Next seals the position of the next page, or returns "" on the last page.
func Next(sealer *cursor.Sealer, scope string, next map[string]string) (string, error) {
	if next == nil {
		return "", nil
	}
	return sealer.Seal(scope, next)
}

// Body is a page as the API answers it.
type Body[J any] struct {
	Items      []J    `json:"items"`
	NextCursor string `json:"nextCursor,omitempty"`
}

// Write answers 200 with page p: each item as out shows it, and the
// cursor of the next page sealed for scope; or the problem if sealing
// fails.
func Write[T, J any](w http.ResponseWriter, sealer *cursor.Sealer, scope string, p page.Of[T], out func(T) J) error {
	body := Body[J]{Items: make([]J, 0, len(p.Items))}
	for _, it := range p.Items {
		body.Items = append(body.Items, out(it))
	}
	var err error
	if body.NextCursor, err = Next(sealer, scope, p.Next); err != nil {
		return err
	}
	jsonio.Write(w, http.StatusOK, body)
	return nil
}

// Serve answers one page of a list whose cursors are sealed for scope: it
// reads the page's limit and cursor (Parse), asks list for that page and
// writes its items as out shows them with the next page's cursor (Write).
func Serve[T, J any](w http.ResponseWriter, r *http.Request, sealer *cursor.Sealer, scope string,
	list func(limit int, after map[string]string) (page.Of[T], error), out func(T) J) error {
	pg, err := Parse(r, sealer, scope)
	if err != nil {
		return err
	}
	p, err := list(pg.Limit, pg.After)
	if err != nil {
		return err
	}
	return Write(w, sealer, scope, p, out)
}
