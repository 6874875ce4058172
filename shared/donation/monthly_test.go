package donation_test

import (
	"testing"
	"time"

	"ohcs/shared/donation"
)

// TestNextMonthly: a monthly pledge falls due on its own day of the month,
// clamped to the last day of shorter months and back to its day after; it
// never skips a month (January 31 gave March 3 before).
func TestNextMonthly(t *testing.T) {
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 30, 0, 0, time.UTC) }
	for _, tc := range []struct {
		anchor time.Time
		want   []time.Time
	}{
		{at(2027, 1, 31), []time.Time{at(2027, 2, 28), at(2027, 3, 31), at(2027, 4, 30), at(2027, 5, 31)}},
		{at(2028, 1, 30), []time.Time{at(2028, 2, 29), at(2028, 3, 30)}},
		{at(2027, 12, 29), []time.Time{at(2028, 1, 29), at(2028, 2, 29), at(2028, 3, 29)}},
		{at(2027, 3, 15), []time.Time{at(2027, 4, 15), at(2027, 5, 15)}},
	} {
		current := tc.anchor
		for _, want := range tc.want {
			got := donation.NextMonthly(tc.anchor, current)
			if !got.Equal(want) {
				t.Errorf("pledge of %s, after %s: %s; want %s", tc.anchor.Format(time.DateOnly), current.Format(time.DateOnly), got.Format(time.DateOnly), want.Format(time.DateOnly))
			}
			current = got
		}
	}
}
