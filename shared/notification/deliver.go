package notification

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Deliverer sends notices to people, once per recipient and channel.
type Deliverer struct {
	Store  Store
	Mailer Mailer
	Texter Texter
	Now    func() time.Time
	// Defer schedules a delivery held by quiet hours for later.
	Defer func(ctx context.Context, n Notification, p Person, ch Channel, at time.Time) error
	// Lease is how long a claim stays another sender's before a retry
	// takes it over (DefaultLease when zero). It must outlast the delivery
	// function's timeout.
	Lease time.Duration
	// Pause waits between attempts to settle (a timer when nil).
	Pause func(ctx context.Context, d time.Duration)
}

// DefaultLease is a claim's lease: twice the delivery function's timeout.
const DefaultLease = time.Minute

// settleAttempts is how often a delivery's outcome is written before the
// message is left to a later retry.
const settleAttempts = 4

// DeliverAll sends n to every person on its channels and returns the first
// error after trying them all: the caller retries the whole message, and
// deliveries already made are not repeated.
func (d *Deliverer) DeliverAll(ctx context.Context, n Notification, people []Person, render func(Person) (string, string)) error {
	var errs []error
	for _, p := range people {
		for _, ch := range n.Channels {
			if err := d.Deliver(ctx, n, p, ch, render, false); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// Deliver sends n to p on ch unless it was already; preferences suppress
// it, quiet hours defer a normal one.
func (d *Deliverer) Deliver(ctx context.Context, n Notification, p Person, ch Channel, render func(Person) (string, string), deferred bool) error {
	prefs := Preferences{}
	if p.Sub != "" {
		var err error
		if prefs, err = d.Store.Preferences(ctx, p.Sub); err != nil {
			return err
		}
	}
	if prefs.TimeZone == "" {
		prefs.TimeZone = p.TimeZone
	}
	if prefs.Language != "" {
		p.Language = prefs.Language
	}
	if !deferred && n.Priority != "urgent" && d.Defer != nil {
		if until, quiet := prefs.quietUntil(d.Now()); quiet {
			return d.Defer(ctx, n, p, ch, until)
		}
	}
	lease := d.Lease
	if lease == 0 {
		lease = DefaultLease
	}
	now := d.Now()
	claimed, err := d.Store.Claim(ctx, n.ID, p.Key, ch, now, now.Add(-lease))
	if err != nil {
		return fmt.Errorf("claim %s for a recipient by %s: %w", n.ID, ch, err)
	}
	if !claimed {
		return nil // delivered before
	}
	subject, body := n.Subject, n.Message
	if render != nil {
		subject, body = render(p)
	}
	status := Sent
	switch {
	case slices.Contains(prefs.Off, ch):
		status = Suppressed
	case ch == InApp && p.Sub == "":
		status = Suppressed // no account, no inbox
	case ch == InApp:
		err = d.Store.PutInbox(ctx, p.Sub, InboxItem{NotificationID: n.ID, Subject: subject, Message: body, Priority: n.Priority, CreatedAt: d.Now().UTC()})
	case ch == Email && p.Email == "", ch == SMS && p.Phone == "":
		status = Suppressed // no address
	case ch == Email:
		err = d.Mailer.SendEmail(ctx, p.Email, subject, body)
	case ch == SMS:
		err = d.Texter.SendSMS(ctx, p.Phone, subject+": "+body)
	}
	switch {
	case errors.Is(err, ErrRejected):
		// Refused for good: retrying would fail the same way.
		status, err = Failed, nil
	case err != nil:
		attempts, rerr := d.Store.Release(context.WithoutCancel(ctx), n.ID, p.Key, ch)
		if rerr != nil {
			return errors.Join(err, rerr)
		}
		if attempts < MaxAttempts {
			if d.Defer != nil {
				// The outbox holds it until the provider is back.
				if derr := d.Defer(context.WithoutCancel(ctx), n, p, ch, now.Add(RetryDelay(attempts))); derr != nil {
					return errors.Join(err, derr)
				}
				return nil
			}
			// Let a retry send it.
			return fmt.Errorf("deliver %s to a recipient by %s (attempt %d of %d): %w", n.ID, ch, attempts, MaxAttempts, err)
		}
		// The last attempt: take the claim back and settle it failed.
		if claimed, cerr := d.Store.Claim(ctx, n.ID, p.Key, ch, now, now.Add(-lease)); cerr != nil || !claimed {
			return errors.Join(err, cerr)
		}
		status = Failed
	}
	return d.settle(ctx, n.ID, p.Key, ch, status)
}

// settle writes the outcome of a delivery made, retrying with backoff: the
// message has left, and only a settled claim keeps a retry from sending it
// again. If the store stays down, the claim goes stale after its lease and
// a retry sends again: at least once in that window, never lost.
func (d *Deliverer) settle(ctx context.Context, id, key string, ch Channel, status string) error {
	ctx = context.WithoutCancel(ctx)
	pause := d.Pause
	if pause == nil {
		pause = func(ctx context.Context, d time.Duration) { time.Sleep(d) }
	}
	var err error
	for i := range settleAttempts {
		if i > 0 {
			pause(ctx, time.Duration(50<<(2*i))*time.Millisecond) // 200 ms, 800 ms, 3.2 s
		}
		if err = d.Store.Settle(ctx, id, key, ch, status); err == nil {
			return nil
		}
	}
	return fmt.Errorf("settle %s for a recipient by %s: %w", id, ch, err)
}

// quietUntil reports whether now is within the quiet hours in the
// person's zone, and when they end.
func (p Preferences) quietUntil(now time.Time) (time.Time, bool) {
	if p.QuietStart == p.QuietEnd {
		return time.Time{}, false
	}
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil || p.TimeZone == "" {
		loc = time.UTC
	}
	local := now.In(loc)
	m := local.Hour()*60 + local.Minute()
	in := (p.QuietStart < p.QuietEnd && m >= p.QuietStart && m < p.QuietEnd) ||
		(p.QuietStart > p.QuietEnd && (m >= p.QuietStart || m < p.QuietEnd))
	if !in {
		return time.Time{}, false
	}
	end := wallTime(loc, local.Year(), local.Month(), local.Day(), p.QuietEnd)
	if !end.After(now) {
		end = wallTime(loc, local.Year(), local.Month(), local.Day()+1, p.QuietEnd)
	}
	return end.UTC(), true
}

// wallTime returns when the wall clock in loc first shows minute m of the
// date: that instant, or, on the night the clocks skip it, the moment they
// jump past it (quiet hours ending at 02:30 end when 02:00 becomes 03:00).
func wallTime(loc *time.Location, year int, month time.Month, day, m int) time.Time {
	t := time.Date(year, month, day, 0, m, 0, 0, loc)
	want := time.Date(year, month, day, 0, m, 0, 0, time.UTC)
	shown := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
	switch {
	case shown.Equal(want):
		return t
	case shown.Before(want):
		// In a gap, laid with the offset before the jump: the jump.
		_, end := t.ZoneBounds()
		return end
	default:
		start, _ := t.ZoneBounds()
		return start
	}
}
