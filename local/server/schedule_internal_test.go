package server

import (
	"testing"
	"time"
)

// TestScheduleExpressions: the template's rules fire as EventBridge
// evaluates them: cron fields in UTC with day-of-week 1 for Sunday, rate
// rules at one local second per minute of their rate.
func TestScheduleExpressions(t *testing.T) {
	at := time.Date(2026, 12, 6, 6, 15, 0, 0, time.UTC) // a Sunday
	for _, tc := range []struct {
		expr string
		at   time.Time
		want bool
	}{
		{"cron(15 6 * * ? *)", at, true},
		{"cron(15 6 * * ? *)", at.Add(time.Minute), false},
		{"cron(15 6 * * ? *)", at.Add(time.Hour), false},
		{"cron(0,15 6 ? * 1 *)", at, true},                             // Sunday is 1
		{"cron(0,15 6 ? * 2 *)", at, false},                            // Monday
		{"cron(15 6 6 12 ? 2027)", at, false},                          // another year
		{"cron(15 6 6 12 ? 2026)", at, true},                           // that very day
		{"cron(15 6 * * ?)", at, false},                                // five fields: not EventBridge's
		{"rate(1 minute)", at, false},                                  // not a cron
		{"cron(15 6 * * ? *)", at.In(time.FixedZone("x", 3600)), true}, // evaluated in UTC
	} {
		if got := cronMatches(tc.expr, tc.at.UTC()); got != tc.want {
			t.Errorf("%s at %s: %v; want %v", tc.expr, tc.at, got, tc.want)
		}
	}
	for expr, want := range map[string]bool{"cron(15 6 * * ? *)": true, "cron(0,30 6 ? * 1 2026)": true, "cron(0 8 ? * MON-FRI *)": false,
		"cron(0/15 * * * ? *)": false, "cron(0 0 L * ? *)": false, "cron(0 0 * * ?)": false, "rate(1 minute)": false} {
		if cronSupported(expr) != want {
			t.Errorf("cronSupported(%s) = %v", expr, !want)
		}
	}
	for expr, want := range map[string]int{"rate(1 minute)": 1, "rate(5 minutes)": 5, "rate(2 hours)": 120, "rate(1 day)": 1440, "rate(0 minutes)": 0, "rate(x minutes)": 0, "cron(* * * * ? *)": 0} {
		if got, ok := rateSeconds(expr); got != want || ok != (want > 0) {
			t.Errorf("rateSeconds(%s) = %d, %v; want %d", expr, got, ok, want)
		}
	}
}
