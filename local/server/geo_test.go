package server_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"ohcs/openapi/ohcsclient"
	"ohcs/shared/practitioner"
)

// practitioners pages through findPractitioners with the typed client,
// failing on anything but 200.
func practitioners(t testing.TB, api *ohcsclient.ClientWithResponses, p ohcsclient.FindPractitionersParams) *ohcsclient.PractitionerPage {
	t.Helper()
	r, err := api.FindPractitionersWithResponse(context.Background(), &p)
	answered(t, r.StatusCode(), r.Body, err, 200, "findPractitioners")
	return r.JSON200
}

// TestNearMatchesBruteForce compares findPractitioners?near= with a
// brute-force distance computation over every demo practitioner, through
// the client generated from the document.
func TestNearMatchesBruteForce(t *testing.T) {
	c := start(t, map[string]string{"OHCS_DEMO_DATA": "on"})
	api := c.api(c.token("patient-1", "beneficiary"))
	hundred := 100
	all := practitioners(t, api, ohcsclient.FindPractitionersParams{Limit: &hundred}).Items
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
			for _, p := range all {
				d := practitioner.DistanceKm(centre, practitioner.Point{Lat: *p.Location.Latitude, Lon: *p.Location.Longitude})
				if d <= tc.radius {
					want = append(want, hit{p.Id, d})
				}
			}
			sort.Slice(want, func(i, j int) bool { return want[i].d < want[j].d })
			near, radius, two := fmt.Sprintf("%v,%v", tc.lat, tc.lon), float32(tc.radius), 2
			var got []string
			var dists []float32
			for cursor := (*string)(nil); ; {
				page := practitioners(t, api, ohcsclient.FindPractitionersParams{Near: &near, RadiusKm: &radius, Limit: &two, Cursor: cursor})
				for _, p := range page.Items {
					got = append(got, p.Id)
					dists = append(dists, *p.DistanceKm)
				}
				if page.NextCursor == nil {
					break
				}
				cursor = page.NextCursor
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
	api := c.api(c.token("patient-1", "beneficiary"))
	from := time.Now().UTC().Truncate(time.Hour).Add(2 * time.Hour)
	to := from.Add(7 * 24 * time.Hour)
	near, radius, one := "-25.96,32.58", float32(50), 1
	window := ohcsclient.FindPractitionersParams{Near: &near, RadiusKm: &radius, AvailableFrom: &from, AvailableTo: &to}
	names := func(page *ohcsclient.PractitionerPage) []string {
		var out []string
		for _, p := range page.Items {
			out = append(out, p.FullName)
		}
		return out
	}
	if got := names(practitioners(t, api, window)); !slices.Equal(got, []string{"Amélia Machava", "Célia Mondlane"}) {
		t.Errorf("got %v; want Amélia Machava then Célia Mondlane", got)
	}
	if n := len(practitioners(t, api, ohcsclient.FindPractitionersParams{Near: &near, RadiusKm: &radius}).Items); n != 3 {
		t.Errorf("without a window: got %d practitioners; want 3 (Rui included)", n)
	}
	// Page by page with the window gives the same.
	paged := window
	paged.Limit = &one
	first := practitioners(t, api, paged)
	paged.Cursor = first.NextCursor
	if second := names(practitioners(t, api, paged)); !slices.Equal(second, []string{"Célia Mondlane"}) {
		t.Errorf("second page: %v", second)
	}
	for _, tc := range []struct {
		p     ohcsclient.FindPractitionersParams
		field string
	}{
		{ohcsclient.FindPractitionersParams{Near: ptr("91,0")}, "near"},
		{ohcsclient.FindPractitionersParams{Near: &near, RadiusKm: ptr(float32(600))}, "radiusKm"},
		{ohcsclient.FindPractitionersParams{AvailableFrom: &from, AvailableTo: ptr(from.Add(40 * 24 * time.Hour))}, "availableTo"},
	} {
		r, err := api.FindPractitionersWithResponse(context.Background(), &tc.p)
		if err != nil {
			t.Fatal(err)
		}
		assertField(t, problemOf(r.StatusCode(), r.HTTPResponse.Header, r.Body), tc.field)
	}
}
