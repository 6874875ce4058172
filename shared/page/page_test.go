package page_test

import (
	"errors"
	"strconv"
	"testing"

	"ohcs/shared/page"
)

// TestMapKeepsTheOrderAndThePosition: a mapped page holds f of each item
// in order and the same position to continue after; a store's error
// passes through with an empty page.
func TestMapKeepsTheOrderAndThePosition(t *testing.T) {
	show := page.Map(strconv.Itoa)
	got, err := show(page.Of[int]{Items: []int{3, 1, 2}, Next: map[string]string{"pk": "2"}}, nil)
	if err != nil || len(got.Items) != 3 || got.Items[0] != "3" || got.Items[2] != "2" || got.Next["pk"] != "2" {
		t.Errorf("got %+v, %v; want [3 1 2] after pk 2", got, err)
	}
	down := errors.New("store down")
	got, err = show(page.Of[int]{Items: []int{1}}, down)
	if !errors.Is(err, down) || got.Items != nil || got.Next != nil {
		t.Errorf("an error: got %+v, %v; want an empty page and the error", got, err)
	}
}
