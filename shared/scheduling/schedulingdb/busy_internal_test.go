package schedulingdb

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"ohcs/shared/access"
	"ohcs/shared/dynamo"
	"ohcs/shared/scheduling"
	"ohcs/shared/tables"
)

// TestOverlappingTimesShareABusyItem: two intervals on the minute grid
// (lengths 5 to 240 minutes) that overlap always share a busy item, which
// is what makes the transaction's version check hold the overlap; two
// whose quarter hours do not meet share none, so that their bookings
// never meet on an item. 200,000 random pairs around a day.
func TestOverlappingTimesShareABusyItem(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	day := time.Date(2027, 3, 28, 0, 0, 0, 0, time.UTC)
	for range 200_000 {
		a := interval{Start: day.Add(time.Duration(r.IntN(48*60)) * time.Minute)}
		a.End = a.Start.Add(time.Duration(5+r.IntN(236)) * time.Minute)
		b := interval{Start: a.Start.Add(time.Duration(r.IntN(600)-300) * time.Minute)}
		b.End = b.Start.Add(time.Duration(5+r.IntN(236)) * time.Minute)
		ka, kb := busyKeys(a.Start, a.End), busyKeys(b.Start, b.End)
		if len(ka) > scheduling.MaxSlotMinutes/BusyMinutes+1 {
			t.Fatalf("%v covers %d busy items", a, len(ka))
		}
		shared := slices.ContainsFunc(ka, func(k string) bool { return slices.Contains(kb, k) })
		if a.Overlaps(b) && !shared {
			t.Fatalf("%v and %v overlap and share no busy item (%v, %v)", a, b, ka, kb)
		}
		q := BusyMinutes * time.Minute
		apart := !a.Start.Truncate(q).Before(b.End) || !b.Start.Truncate(q).Before(a.End)
		if apart && shared {
			t.Fatalf("%v and %v are in different quarter hours and share %v, %v", a, b, ka, kb)
		}
	}
}

// TestBookingsOfOneDayMeetOnNoItem: the transactions of two bookings of
// one practitioner's day at times in different quarter hours hold no item
// in common on its version; the day's count is written by an atomic ADD,
// never read, and conditioned only where the schedule limits the day.
func TestBookingsOfOneDayMeetOnNoItem(t *testing.T) {
	st := &Store{Table: "scheduling"}
	nine := time.Date(2027, 3, 29, 9, 0, 0, 0, time.UTC)
	book := func(id, bid string, start time.Time, max int) (versioned []string, day string) {
		a := scheduling.Appointment{ID: id, PractitionerID: "P", BeneficiaryID: bid, Start: start, End: start.Add(30 * time.Minute), LocalDate: "2027-03-29"}
		for _, k := range readKeys(a, nil) {
			if dynamo.Str(k[tables.SK]) == "DAY#2027-03-29" {
				t.Fatal("a booking reads the day's count")
			}
		}
		c := st.begin(state{})
		c.busy("P", a.Start, a.End)
		c.setBusy("P", a.ID, interval{Start: a.Start, End: a.End}, true)
		c.countDay("P", a.LocalDate, +1, max)
		c.setBooking(a, interval{Start: a.Start, End: a.End}, nine.Add(-24*time.Hour))
		tx := c.tx()
		for _, it := range tx.Items() {
			switch {
			case it.Put != nil:
				versioned = append(versioned, dynamo.Str(it.Put.Item[tables.PK])+" "+dynamo.Str(it.Put.Item[tables.SK]))
			case it.ConditionCheck != nil:
				versioned = append(versioned, dynamo.Str(it.ConditionCheck.Key[tables.PK])+" "+dynamo.Str(it.ConditionCheck.Key[tables.SK]))
			case it.Update != nil:
				if it.Update.ConditionExpression != nil {
					day = *it.Update.ConditionExpression
				}
			}
		}
		return versioned, day
	}
	first, day := book("A", "B1", nine, 0)
	if day != "" {
		t.Fatalf("the day's count of an unlimited day is conditioned on %q", day)
	}
	second, _ := book("B", "B2", nine.Add(30*time.Minute), 0)
	for _, k := range first {
		if slices.Contains(second, k) {
			t.Fatalf("bookings of 09:00 and 09:30 both hold %s", k)
		}
	}
	if len(first) != 3 {
		t.Fatalf("a 30-minute booking holds %v; want its two quarter hours and the beneficiary's bookings", first)
	}
	if _, day := book("C", "B3", nine, 4); day == "" {
		t.Fatal("a limited day's count is not conditioned on its limit")
	}
}

// TestCareEntriesAreDroppedWhenTheyHoldNoMore: a bookings item keeps the
// care entries that may still hold a care relationship; an entry booked
// and past its window, or completed more than a year ago, is dropped at
// the next write, so the item does not grow with the years.
func TestCareEntriesAreDroppedWhenTheyHoldNoMore(t *testing.T) {
	st := &Store{Table: "scheduling"}
	now := time.Date(2028, 6, 1, 9, 0, 0, 0, time.UTC)
	pk, sk := bookingsKey("B")
	old := dynamo.Key(pk, sk)
	old["version"] = dynamo.N(3)
	for id, e := range map[string]access.CareAppointment{
		"stale-booked":   {PractitionerID: "P", Start: now.Add(-access.BookedWindow - time.Hour), BookedAt: now.AddDate(0, -1, 0)},
		"recent-booked":  {PractitionerID: "P", Start: now.Add(-access.BookedWindow + time.Hour), BookedAt: now.AddDate(0, -1, 0)},
		"old-completed":  {PractitionerID: "P", Completed: true, Start: now.Add(-access.CompletedWindow - time.Hour), BookedAt: now.AddDate(-2, 0, 0)},
		"year-completed": {PractitionerID: "Q", Completed: true, Start: now.Add(-access.CompletedWindow + time.Hour), BookedAt: now.AddDate(-1, 0, 0)},
	} {
		old[carePrefix+id] = dynamo.S(careString(e))
	}
	c := st.begin(state{stateKey(pk, sk): old})
	a := scheduling.Appointment{ID: "new", PractitionerID: "R", BeneficiaryID: "B", Status: scheduling.Booked,
		Start: now.Add(48 * time.Hour), End: now.Add(49 * time.Hour), BookedAt: now}
	c.setBooking(a, interval{Start: a.Start, End: a.End}, now)
	kept := careEntries(c.next[stateKey(pk, sk)])
	for _, id := range []string{"recent-booked", "year-completed", "new"} {
		if _, ok := kept[id]; !ok {
			t.Errorf("%s was dropped: %v", id, kept)
		}
	}
	if len(kept) != 3 {
		t.Errorf("kept %v; want the three that still hold", kept)
	}
}
