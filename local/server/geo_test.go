package server_test

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"testing"
	"time"

	"ohcs/shared/practitioner"
)

// TestNearMatchesBruteForce compares findPractitioners?near= with a
// brute-force distance computation over every demo practitioner.
func TestNearMatchesBruteForce(t *testing.T) {
	c := start(t, map[string]string{"OHCS_DEMO_DATA": "on"})
	tok := c.token("patient-1", "beneficiary")
	all := c.call("GET", "/v1/practitioners?limit=100", tok, nil, nil).json(t)["items"].([]any)
	for _, tc := range []struct {
		lat, lon, radius float64
	}{
		{-25.96, 32.58, 50}, {-25.96, 32.58, 5}, {-25.96, 32.58, 500}, {-25.96, 32.58, 1000 / 2},
		{-1.29, 36.82, 500}, {14.7, -17.4, 100}, {0, 0, 500}, {38.7, -9.1, 25}, {-23.55, -46.63, 0.5},
		{-19.84, 34.84, 1}, {13.08, 80.27, 300}, {21.03, 105.85, 10},
	} {
		t.Run(fmt.Sprintf("%v,%v r%v", tc.lat, tc.lon, tc.radius), func(t *testing.T) {
			centre := practitioner.Point{Lat: tc.lat, Lon: tc.lon}
			type hit struct {
				id string
				d  float64
			}
			var want []hit
			for _, it := range all {
				m := it.(map[string]any)
				loc := m["location"].(map[string]any)
				d := practitioner.DistanceKm(centre, practitioner.Point{Lat: loc["latitude"].(float64), Lon: loc["longitude"].(float64)})
				if d <= tc.radius {
					want = append(want, hit{m["id"].(string), d})
				}
			}
			sort.Slice(want, func(i, j int) bool { return want[i].d < want[j].d })
			q := fmt.Sprintf("near=%v,%v&radiusKm=%v&limit=2", tc.lat, tc.lon, tc.radius)
			var got []string
			var dists []float64
			for cursor := ""; ; {
				path := "/v1/practitioners?" + q
				if cursor != "" {
					path += "&cursor=" + url.QueryEscape(cursor)
				}
				body := c.call("GET", path, tok, nil, nil).json(t)
				for _, it := range body["items"].([]any) {
					m := it.(map[string]any)
					got = append(got, m["id"].(string))
					dists = append(dists, m["distanceKm"].(float64))
				}
				next, ok := body["nextCursor"].(string)
				if !ok {
					break
				}
				cursor = next
			}
			var wantIDs []string
			for _, h := range want {
				wantIDs = append(wantIDs, h.id)
			}
			if !slices.Equal(got, wantIDs) {
				t.Errorf("got %v; want %v", got, wantIDs)
			}
			if !slices.IsSorted(dists) {
				t.Errorf("distances not ascending: %v", dists)
			}
		})
	}
}

// TestNearWithAvailability: within 50 km of Maputo with a free slot in
// the next week, nearest first; the one without a schedule is left out.
func TestNearWithAvailability(t *testing.T) {
	c := start(t, map[string]string{"OHCS_DEMO_DATA": "on"})
	tok := c.token("patient-1", "beneficiary")
	from := time.Now().UTC().Truncate(time.Hour).Add(2 * time.Hour)
	to := from.Add(7 * 24 * time.Hour)
	q := fmt.Sprintf("near=-25.96,32.58&radiusKm=50&availableFrom=%s&availableTo=%s", url.QueryEscape(from.Format(time.RFC3339)), url.QueryEscape(to.Format(time.RFC3339)))
	body := c.call("GET", "/v1/practitioners?"+q, tok, nil, nil).json(t)
	var names []string
	for _, it := range body["items"].([]any) {
		names = append(names, it.(map[string]any)["fullName"].(string))
	}
	if !slices.Equal(names, []string{"Amélia Machava", "Célia Mondlane"}) {
		t.Errorf("got %v; want Amélia Machava then Célia Mondlane", names)
	}
	without := c.call("GET", "/v1/practitioners?near=-25.96,32.58&radiusKm=50", tok, nil, nil).json(t)
	if n := len(without["items"].([]any)); n != 3 {
		t.Errorf("without a window: got %d practitioners; want 3 (Rui included)", n)
	}
	// Page by page with the window gives the same.
	first := c.call("GET", "/v1/practitioners?"+q+"&limit=1", tok, nil, nil).json(t)
	next := first["nextCursor"].(string)
	second := c.call("GET", "/v1/practitioners?"+q+"&limit=1&cursor="+url.QueryEscape(next), tok, nil, nil).json(t)
	items := second["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["fullName"] != "Célia Mondlane" {
		t.Errorf("second page: %v", second)
	}
	assertField(t, c.call("GET", "/v1/practitioners?near=91,0", tok, nil, nil), "near")
	assertField(t, c.call("GET", "/v1/practitioners?near=-25.96,32.58&radiusKm=600", tok, nil, nil), "radiusKm")
	assertField(t, c.call("GET", "/v1/practitioners?availableFrom="+url.QueryEscape(from.Format(time.RFC3339))+"&availableTo="+url.QueryEscape(from.Add(40*24*time.Hour).Format(time.RFC3339)), tok, nil, nil), "availableTo")
}
