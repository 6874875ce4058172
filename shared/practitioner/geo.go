package practitioner

import (
	"math"
	"slices"
)

// Point is a position in degrees.
type Point struct {
	Lat, Lon float64
}

const base32 = "0123456789bcdefghjkmnpqrstuvwxyz"

// Geohash returns the geohash of p with precision characters.
func Geohash(p Point, precision int) string {
	latLo, latHi, lonLo, lonHi := -90.0, 90.0, -180.0, 180.0
	out := make([]byte, 0, precision)
	even, bit, ch := true, 0, 0
	for len(out) < precision {
		if even {
			mid := (lonLo + lonHi) / 2
			if p.Lon >= mid {
				ch, lonLo = ch<<1|1, mid
			} else {
				ch, lonHi = ch<<1, mid
			}
		} else {
			mid := (latLo + latHi) / 2
			if p.Lat >= mid {
				ch, latLo = ch<<1|1, mid
			} else {
				ch, latHi = ch<<1, mid
			}
		}
		even = !even
		if bit++; bit == 5 {
			out = append(out, base32[ch])
			bit, ch = 0, 0
		}
	}
	return string(out)
}

// cellDegrees returns the height and width of a geohash cell in degrees.
func cellDegrees(precision int) (lat, lon float64) {
	bits := 5 * precision
	lonBits := (bits + 1) / 2
	latBits := bits / 2
	return 180 / math.Pow(2, float64(latBits)), 360 / math.Pow(2, float64(lonBits))
}

// GeoPrecisions are the geohash precisions a practitioner is indexed at.
var GeoPrecisions = []int{2, 3, 4, 5}

const kmPerDegree = 111.32

// CoverCells returns a precision and the cells (the centre's and its eight
// neighbours) that together contain every point within radiusKm of c; ok is
// false when no indexed precision can (a radius wider than the cells, or
// near a pole).
func CoverCells(c Point, radiusKm float64) (precision int, cells []string, ok bool) {
	for i := len(GeoPrecisions) - 1; i >= 0; i-- {
		p := GeoPrecisions[i]
		dLat, dLon := cellDegrees(p)
		farLat := math.Min(90, math.Abs(c.Lat)+radiusKm/kmPerDegree)
		if dLat*kmPerDegree < radiusKm || dLon*kmPerDegree*math.Cos(farLat*math.Pi/180) < radiusKm {
			continue
		}
		for _, dy := range []float64{-1, 0, 1} {
			for _, dx := range []float64{-1, 0, 1} {
				lat := c.Lat + dy*dLat
				if lat > 90 || lat < -90 {
					continue
				}
				lon := math.Mod(c.Lon+dx*dLon+540, 360) - 180
				cells = append(cells, Geohash(Point{lat, lon}, p))
			}
		}
		slices.Sort(cells)
		return p, slices.Compact(cells), true
	}
	return 0, nil, false
}

// DistanceKm is the great-circle distance between a and b (haversine, mean
// Earth radius).
func DistanceKm(a, b Point) float64 {
	const r = 6371.0088
	rad := math.Pi / 180
	dLat, dLon := (b.Lat-a.Lat)*rad, (b.Lon-a.Lon)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

// Position returns the practitioner's point, if it has coordinates.
func (p Practitioner) Position() (Point, bool) {
	if p.Location.Latitude == nil || p.Location.Longitude == nil {
		return Point{}, false
	}
	return Point{*p.Location.Latitude, *p.Location.Longitude}, true
}
