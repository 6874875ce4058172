package practitioner_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"ohcs/shared/practitioner"
)

func TestGeohash(t *testing.T) {
	// Known values.
	for _, tc := range []struct {
		p    practitioner.Point
		prec int
		want string
	}{
		{practitioner.Point{Lat: 57.64911, Lon: 10.40744}, 11, "u4pruydqqvj"},
		{practitioner.Point{Lat: 42.605, Lon: -5.603}, 5, "ezs42"},
	} {
		if got := practitioner.Geohash(tc.p, tc.prec); got != tc.want {
			t.Errorf("Geohash(%v, %d): got %s; want %s", tc.p, tc.prec, got, tc.want)
		}
	}
	if d := practitioner.DistanceKm(practitioner.Point{Lat: -25.9692, Lon: 32.5732}, practitioner.Point{Lat: -19.8436, Lon: 34.8389}); math.Abs(d-725) > 10 {
		t.Errorf("Maputo to Beira: got %.0f km; want about 725", d)
	}
}

// TestCoverCells: every point within the radius lies in one of the cells,
// near cell borders too (random centres, random points on and inside the
// circle).
func TestCoverCells(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		c := practitioner.Point{Lat: rng.Float64()*120 - 60, Lon: rng.Float64()*360 - 180}
		radius := []float64{1, 5, 25, 50, 150, 500}[rng.IntN(6)]
		prec, cells, ok := practitioner.CoverCells(c, radius)
		if !ok {
			continue
		}
		bearing := rng.Float64() * 2 * math.Pi
		dist := radius * math.Sqrt(rng.Float64()) * 0.999
		lat := c.Lat + dist/111.32*math.Cos(bearing)
		lon := c.Lon + dist/(111.32*math.Cos(lat*math.Pi/180))*math.Sin(bearing)
		p := practitioner.Point{Lat: lat, Lon: math.Mod(lon+540, 360) - 180}
		if practitioner.DistanceKm(c, p) > radius {
			continue
		}
		h := practitioner.Geohash(p, prec)
		found := false
		for _, cell := range cells {
			found = found || cell == h
		}
		if !found {
			t.Fatalf("centre %v radius %.0f: point %v (cell %s) outside cells %v", c, radius, p, h, cells)
		}
	}
}
