package notification

import (
	"testing"
	"time"
)

// TestQuietHoursEndInAGap: quiet hours that end at a wall-clock time the
// clocks skip that night end when the clocks jump past it, not a day later;
// on other nights, and across the night they go back, they end at their
// hour.
func TestQuietHoursEndInAGap(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		name, zone, now, want string
		start, end            int
	}{
		// New York, 14 March 2027: 02:00 EST becomes 03:00 EDT (07:00 UTC).
		{"ends in the gap", "America/New_York", "2027-03-14T06:45:00Z", "2027-03-14T07:00:00Z", 22 * 60, 2*60 + 30},
		{"ends as the gap begins", "America/New_York", "2027-03-14T06:45:00Z", "2027-03-14T07:00:00Z", 22 * 60, 2 * 60},
		{"ends after the gap", "America/New_York", "2027-03-14T06:45:00Z", "2027-03-14T07:30:00Z", 22 * 60, 3*60 + 30},
		{"an ordinary night", "America/New_York", "2027-03-10T06:45:00Z", "2027-03-10T07:30:00Z", 22 * 60, 2*60 + 30},
		// Lisbon, 31 October 2027: 02:00 WEST becomes 01:00 WET; 06:00
		// WET is 06:00 UTC.
		{"the night the clocks go back", "Europe/Lisbon", "2027-10-31T00:30:00Z", "2027-10-31T06:00:00Z", 22 * 60, 6 * 60},
		// Sao Paulo in 2018: midnight did not exist on 4 November.
		{"ends at a midnight that does not exist", "America/Sao_Paulo", "2018-11-04T02:30:00Z", "2018-11-04T03:00:00Z", 20 * 60, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Preferences{TimeZone: tc.zone, QuietStart: tc.start, QuietEnd: tc.end}
			got, quiet := p.quietUntil(at(tc.now))
			if !quiet {
				t.Fatalf("%s is not within the quiet hours", tc.now)
			}
			if want := at(tc.want); !got.Equal(want) {
				t.Errorf("quiet until %s; want %s", got.Format(time.RFC3339), want.Format(time.RFC3339))
			}
		})
	}
}
