package clinical_test

import (
	"context"
	"testing"

	"ohcs/shared/clinical"
	"ohcs/shared/page"
	"ohcs/shared/problem"
)

// TestWholeRecordIsReadWholeOrRefused: a whole-record read goes in pages of
// 1,000 to the end; a record longer than 50 pages of a kind is refused
// (422) after those 50 requests, never returned in part.
func TestWholeRecordIsReadWholeOrRefused(t *testing.T) {
	pages := func(n int) (func(context.Context, clinical.ListQuery) (page.Of[int], error), *int) {
		calls := 0
		return func(_ context.Context, q clinical.ListQuery) (page.Of[int], error) {
			calls++
			if q.Limit != clinical.WholePage {
				t.Errorf("page of %d; want %d", q.Limit, clinical.WholePage)
			}
			p := page.Of[int]{Items: []int{calls}}
			if calls < n {
				p.Next = map[string]string{"after": "x"}
			}
			return p, nil
		}, &calls
	}
	list, calls := pages(clinical.WholePages)
	got, err := clinical.All(context.Background(), clinical.ListQuery{}, list)
	if err != nil || len(got) != clinical.WholePages || *calls != clinical.WholePages {
		t.Fatalf("a record of %d pages: %d items, %d requests, %v", clinical.WholePages, len(got), *calls, err)
	}
	list, calls = pages(clinical.WholePages + 1)
	got, err = clinical.All(context.Background(), clinical.ListQuery{}, list)
	if problem.CodeOf(err) != problem.Unprocessable || got != nil || *calls != clinical.WholePages {
		t.Fatalf("a record of %d pages: %d items, %d requests, %v; want 422 after %d", clinical.WholePages+1, len(got), *calls, err, clinical.WholePages)
	}
}
