package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"ohcs/local/stack"
)

// scheduledEvent is the event EventBridge sends a rule's target.
func (sm *stackMode) scheduledEvent(rule string, at time.Time) []byte {
	ev := events.CloudWatchEvent{Version: "0", ID: rule + "-" + strconv.FormatInt(at.UnixNano(), 36), DetailType: "Scheduled Event",
		Source: "aws.events", AccountID: localAccount, Time: at.UTC(), Region: sm.region,
		Resources: []string{fmt.Sprintf("arn:aws:events:%s:%s:rule/%s", sm.region, localAccount, rule)}, Detail: json.RawMessage("{}")}
	out, _ := json.Marshal(ev)
	return out
}

// scheduleOf returns the schedule whose target is built from source.
func (sm *stackMode) scheduleOf(source string) (stack.Schedule, bool) {
	for _, s := range sm.schedules {
		if sm.fns[s.Function] != nil && sm.fns[s.Function].Source == source {
			return s, true
		}
	}
	return stack.Schedule{}, false
}

// runSchedule invokes a rule's function as of at, waits for it and for
// every asynchronous delivery it caused, and returns how many messages it
// published. The scheduled invoke itself is asynchronous in AWS; here the
// caller waits, so that tests see its effects.
func (sm *stackMode) runSchedule(ctx context.Context, s stack.Schedule, at time.Time) (int, error) {
	before := sm.published.Load()
	_, err := sm.invoker.InvokeFunction(ctx, s.Function, sm.scheduledEvent(s.Rule, at))
	sm.inflight.Wait()
	return int(sm.published.Load() - before), err
}

// due reports the rules due at now: rate rules at one local second per
// minute of their rate (the in-process dispatcher's pace), cron rules at
// their minute, in UTC, as EventBridge evaluates them.
func (sm *stackMode) due(now time.Time) []stack.Schedule {
	sm.mu.Lock()
	defer sm.mu.Unlock()
	var out []stack.Schedule
	for _, s := range sm.schedules {
		last := sm.lastRun[s.Rule]
		fire := false
		if every, ok := rateSeconds(s.Expression); ok {
			fire = now.Sub(last) >= time.Duration(every)*time.Second
		} else if cronMatches(s.Expression, now.UTC()) {
			fire = now.UTC().Truncate(time.Minute).After(last.UTC().Truncate(time.Minute))
		}
		if fire {
			sm.lastRun[s.Rule] = now
			out = append(out, s)
		}
	}
	return out
}

// rateSeconds reads rate(N minute|minutes|hour|hours|day|days) as N, N×60
// or N×1440 local seconds.
func rateSeconds(expr string) (int, bool) {
	inner, ok := strings.CutPrefix(expr, "rate(")
	if !ok {
		return 0, false
	}
	n, unit, _ := strings.Cut(strings.TrimSuffix(inner, ")"), " ")
	v, err := strconv.Atoi(n)
	if err != nil || v < 1 {
		return 0, false
	}
	switch strings.TrimSuffix(unit, "s") {
	case "minute":
		return v, true
	case "hour":
		return v * 60, true
	case "day":
		return v * 1440, true
	}
	return 0, false
}

// cronSupported reports whether cronMatches understands an expression:
// six fields of numbers, comma lists, * and ?.
func cronSupported(expr string) bool {
	inner, ok := strings.CutPrefix(expr, "cron(")
	f := strings.Fields(strings.TrimSuffix(inner, ")"))
	if !ok || len(f) != 6 {
		return false
	}
	for _, field := range f {
		if strings.Trim(field, "0123456789,*?") != "" {
			return false
		}
	}
	return true
}

// cronMatches evaluates EventBridge's cron(minutes hours day-of-month month
// day-of-week year) for the fields a number, *, ? or a comma list.
func cronMatches(expr string, t time.Time) bool {
	inner, ok := strings.CutPrefix(expr, "cron(")
	if !ok {
		return false
	}
	f := strings.Fields(strings.TrimSuffix(inner, ")"))
	if len(f) != 6 {
		return false
	}
	field := func(spec string, v int) bool {
		if spec == "*" || spec == "?" {
			return true
		}
		for _, p := range strings.Split(spec, ",") {
			if n, err := strconv.Atoi(p); err == nil && n == v {
				return true
			}
		}
		return false
	}
	return field(f[0], t.Minute()) && field(f[1], t.Hour()) && field(f[2], t.Day()) && field(f[3], int(t.Month())) &&
		field(f[4], int(t.Weekday())+1) && field(f[5], t.Year())
}
