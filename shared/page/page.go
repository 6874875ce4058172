// Package page is one page of a list, as a store reads it and a service
// hands it on: its items and the position to continue after, which the
// handler seals into the next page's cursor.
package page

// Of is a page of items of type T.
type Of[T any] struct {
	Items []T
	// Next is the position to continue after; nil on the last page.
	Next map[string]string
}

// Map returns what turns a page of T, as a store answers it with its
// error, into the page of U that f makes of each item:
// page.Map(f)(store.List(ctx, limit, after)).
func Map[T, U any](f func(T) U) func(Of[T], error) (Of[U], error) {
	return func(p Of[T], err error) (Of[U], error) {
		if err != nil {
			return Of[U]{}, err
		}
		out := Of[U]{Items: make([]U, len(p.Items)), Next: p.Next}
		for i, it := range p.Items {
			out.Items[i] = f(it)
		}
		return out, nil
	}
}
