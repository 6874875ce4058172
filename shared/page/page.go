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
