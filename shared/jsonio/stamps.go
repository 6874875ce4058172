package jsonio

import "time"

// Time shows an instant as the API does: RFC 3339 in UTC, to the second.
func Time(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// TimeOrEmpty is Time, or "" for the zero time: an instant a resource may
// not have (an end, an expiry), left out of a view whose field omits empty.
func TimeOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return Time(t)
}

// Stamps are what every stored resource shows after its own fields: when
// it was created and last changed, and its version (the number its ETag
// carries). Embedded in a resource's JSON view, they are its last fields.
type Stamps struct {
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
	Version   int64  `json:"version"`
}

// StampsOf shows a resource's times and version.
func StampsOf(created, updated time.Time, version int64) Stamps {
	return Stamps{CreatedAt: Time(created), UpdatedAt: Time(updated), Version: version}
}
