package dynamo_test

import (
	"sort"
	"testing"
	"time"

	"ohcs/shared/dynamo"
)

// TestStampSortsAsTime: the one encoding of instants sorts as the instants
// do, whole seconds and fractions alike (RFC 3339 with optional fractions
// does not: "…:00Z" sorts after "…:00.5Z"), and reads back exactly.
func TestStampSortsAsTime(t *testing.T) {
	base := time.Date(2026, 12, 1, 9, 0, 0, 0, time.FixedZone("", 2*3600))
	var times []time.Time
	for _, d := range []time.Duration{0, 1, 500 * time.Millisecond, time.Second, time.Second + time.Nanosecond, time.Minute, -time.Nanosecond} {
		times = append(times, base.Add(d))
	}
	var enc []string
	for _, x := range times {
		s := dynamo.Time(x)
		if got := dynamo.ParseTime(s); !got.Equal(x) {
			t.Errorf("%v reads back as %v", x, got)
		}
		enc = append(enc, s)
	}
	sort.Strings(enc)
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	for i := range times {
		if dynamo.Time(times[i]) != enc[i] {
			t.Fatalf("text order %v; want time order", enc)
		}
	}
	if dynamo.Time(time.Time{}) != "" || !dynamo.ParseTime("").IsZero() || !dynamo.ParseTime("yesterday").IsZero() {
		t.Error("the zero time is the empty string, and what is not a stamp reads as zero")
	}
}
