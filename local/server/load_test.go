package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// loadRequest is one request of a load run.
type loadRequest struct {
	method, path, token string
	body                any
	want                int
}

// BenchmarkLoad drives four operations end to end on the local server (the
// gateway, the function in-process, the embedded store over loopback) at
// 1, 8 and 32 concurrent connections, and reports throughput (req/s) and
// latency percentiles (p50-ms, p95-ms, p99-ms). Each run sends b.N
// requests (make bench: 200); makeAppointment books a distinct free slot
// for a beneficiary with room each time. `make bench` runs it.
func BenchmarkLoad(b *testing.B) {
	c := start(b, nil)
	w := newWorld(b, c)
	admin := w.tokens["administrator"]
	// Practitioners with two weeks open, and their free slots, to book.
	var perPrac [][]string
	for i := range 10 {
		tok := c.token(fmt.Sprintf("load-prac-%d", i), "practitioner")
		p := w.must(createPractitioner(c, tok, fmt.Sprintf("Dr Load %d", i)), 201, "practitioner")
		id := p["id"].(string)
		w.must(verifyPractitioner(c, admin, id, `"1"`, "verified"), 200, "verify")
		openAllWeek(b, c, tok, id, nil)
		var own []string
		for _, sl := range freeSlots(b, c, w.tokens["beneficiary"], id, 100) {
			own = append(own, sl["slotId"].(string))
		}
		perPrac = append(perPrac, own)
	}
	// Interleaved, so that bookings at once go to different practitioners
	// and days, as many people booking do.
	var slots []string
	for k := 0; k < 100; k++ {
		for _, own := range perPrac {
			if k < len(own) {
				slots = append(slots, own[k])
			}
		}
	}
	// Beneficiaries, each booking at most 9 (a beneficiary holds 10), in
	// turn.
	type booker struct{ token, id string }
	var bookers []booker
	for i := range (len(slots) + 8) / 9 {
		tok := c.token(fmt.Sprintf("load-ben-%d", i), "beneficiary")
		id := w.must(createBeneficiary(c, tok, "Load"), 201, "beneficiary")["id"].(string)
		bookers = append(bookers, booker{tok, id})
	}
	var mu sync.Mutex
	next := 0
	from := time.Now().UTC().Add(2 * time.Hour).Truncate(time.Minute).Format(time.RFC3339)
	to := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Minute).Format(time.RFC3339)
	ben := w.tokens["beneficiary"]
	ops := []struct {
		name string
		next func() loadRequest
	}{
		{"findPractitioners", func() loadRequest {
			return loadRequest{"GET", "/v1/practitioners?limit=20", ben, nil, 200}
		}},
		{"listAvailableSlots", func() loadRequest {
			return loadRequest{"GET", "/v1/practitioners/" + w.P + "/slots?from=" + url.QueryEscape(from) + "&to=" + url.QueryEscape(to) + "&limit=50", ben, nil, 200}
		}},
		{"searchMedicalKnowledge", func() loadRequest {
			return loadRequest{"GET", "/v1/knowledge/search?q=rehydration%20water", ben, nil, 200}
		}},
		{"makeAppointment", func() loadRequest {
			mu.Lock()
			defer mu.Unlock()
			if next >= len(slots) {
				return loadRequest{}
			}
			bk := bookers[next%len(bookers)]
			sl := slots[next]
			next++
			return loadRequest{"POST", "/v1/appointments", bk.token, map[string]any{"slotId": sl, "beneficiaryId": bk.id, "mode": "video", "reason": "fever"}, 201}
		}},
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}}
	// sendOnce sends r and returns the wait a 409 with Retry-After asks
	// for (the practitioner's calendar was busy), or 0.
	sendOnce := func(r loadRequest) (time.Duration, error) {
		var body []byte
		if r.body != nil {
			body, _ = json.Marshal(r.body)
		}
		req, err := http.NewRequest(r.method, c.base+r.path, bytes.NewReader(body))
		if err != nil {
			return 0, err
		}
		req.Header.Set("Authorization", "Bearer "+r.token)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		res, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		defer res.Body.Close()
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(res.Body)
		if res.StatusCode != r.want {
			err := fmt.Errorf("%s %s: %d %s", r.method, r.path, res.StatusCode, buf.Bytes())
			if secs, perr := strconv.Atoi(res.Header.Get("Retry-After")); perr == nil && res.StatusCode == http.StatusConflict && secs > 0 {
				return time.Duration(secs) * time.Second, err
			}
			return 0, err
		}
		return 0, nil
	}
	// A well-behaved client retries what Retry-After asks it to, a few
	// times: the load measures what such clients get done, and how often
	// they had to come back (client-retries/op).
	var retried atomic.Int64
	send := func(r loadRequest) error {
		for attempt := 0; ; attempt++ {
			wait, err := sendOnce(r)
			if wait == 0 || attempt == 5 {
				return err
			}
			retried.Add(1)
			time.Sleep(wait)
		}
	}
	for _, op := range ops {
		for _, conc := range []int{1, 8, 32} {
			b.Run(fmt.Sprintf("%s/conns=%d", op.name, conc), func(b *testing.B) {
				jobs := make(chan loadRequest, b.N)
				for range b.N {
					r := op.next()
					if r.method == "" {
						b.Skip("out of free slots: lower the benchtime")
					}
					jobs <- r
				}
				close(jobs)
				var lat []time.Duration
				var lmu sync.Mutex
				var wg sync.WaitGroup
				before := c.server.Requests.Usage(op.name)
				retriedBefore := retried.Load()
				b.ResetTimer()
				startAt := time.Now()
				for range conc {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for r := range jobs {
							t0 := time.Now()
							if err := send(r); err != nil {
								b.Error(err)
								return
							}
							d := time.Since(t0)
							lmu.Lock()
							lat = append(lat, d)
							lmu.Unlock()
						}
					}()
				}
				wg.Wait()
				elapsed := time.Since(startAt)
				b.StopTimer()
				if len(lat) == 0 {
					return
				}
				slices.Sort(lat)
				pct := func(p float64) float64 {
					return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
				}
				b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "req/s")
				b.ReportMetric(pct(0.50), "p50-ms")
				b.ReportMetric(pct(0.95), "p95-ms")
				b.ReportMetric(pct(0.99), "p99-ms")
				b.ReportMetric(float64(retried.Load()-retriedBefore)/float64(len(lat)), "client-retries/op")
				// What DynamoDB on-demand bills, for the cost model:
				// consistent reads of items under 4 KB are 1 read unit a
				// request; writes of items under 1 KB 1 write unit, 2 in a
				// transaction.
				u := c.server.Requests.Usage(op.name).Sub(before)
				if u.Calls > 0 {
					reads := u.Requests["GetItem"] + u.Requests["Query"] + u.Requests["BatchGetItem"]
					plain := u.Requests["PutItem"] + u.Requests["UpdateItem"] + u.Requests["DeleteItem"]
					items := 0
					for _, n := range u.Writes {
						items += n
					}
					b.ReportMetric(float64(u.Total())/float64(u.Calls), "dynamodb-requests/op")
					// Per request done, whatever its retries took.
					b.ReportMetric(float64(u.Total())/float64(len(lat)), "dynamodb-requests/done")
					b.ReportMetric(float64(u.Levels)/float64(u.Calls), "dynamodb-levels/op")
					b.ReportMetric(float64(reads)/float64(u.Calls), "rru/op")
					b.ReportMetric(float64(plain+2*(items-plain))/float64(u.Calls), "wru/op")
				}
			})
		}
	}
}
