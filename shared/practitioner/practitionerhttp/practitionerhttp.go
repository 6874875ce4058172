// Package practitionerhttp serves the practitioner operations over HTTP:
// createPractitionerProfile, getPractitioner, updatePractitionerProfile,
// verifyPractitioner and findPractitioners.
package practitionerhttp

import (
	"context"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"ohcs/shared/app"

	"golang.org/x/sync/errgroup"

	"ohcs/shared/auth"
	"ohcs/shared/cursor"
	"ohcs/shared/jsonio"
	"ohcs/shared/lambdahttp"
	"ohcs/shared/platform"
	"ohcs/shared/practitioner"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
	"ohcs/shared/validate"
)

// The operations, a function each: a function's main calls its own, and
// links that handler alone.
func CreatePractitionerProfile() platform.Operation {
	return op((*Handlers).Create, tables.Practitioners)
}
func GetPractitioner() platform.Operation { return op((*Handlers).Get) }
func UpdatePractitionerProfile() platform.Operation {
	return op((*Handlers).Update, tables.Practitioners)
}
func VerifyPractitioner() platform.Operation { return op((*Handlers).Verify, tables.Practitioners) }

// FindPractitioners also reads the schedules, for the free slot a search
// may ask of its candidates.
func FindPractitioners() platform.Operation {
	return platform.Ops(New, []tables.Table{tables.Practitioners, tables.Scheduling})((*Handlers).Find)
}

var op = platform.Ops(New, []tables.Table{tables.Practitioners})

// Availability tells whether a practitioner has a free slot in a window.
type Availability interface {
	HasFreeSlot(ctx context.Context, practitionerID string, from, to time.Time) (bool, error)
}

// Handlers serves the practitioner operations.
type Handlers struct {
	Service      *practitioner.Service
	Availability Availability
	Cursors      *cursor.Sealer
}

// New returns the handlers over the DynamoDB store of env.
func New(env *platform.Env) *Handlers {
	return &Handlers{
		Service:      app.Of(env).Practitioners(),
		Availability: app.Of(env).Availability(),
		Cursors:      env.Cursors,
	}
}

func viewer(p auth.Principal) practitioner.Viewer {
	return practitioner.Viewer{Sub: p.Sub, Admin: p.Has(auth.Administrator)}
}

func respond(w http.ResponseWriter, status int, p practitioner.Practitioner, v practitioner.Viewer) {
	lambdahttp.Versioned(w, status, p.Version, toJSON(p, p.SeenInFullBy(v)))
}

// Create serves createPractitionerProfile.
func (h *Handlers) Create(w http.ResponseWriter, r *http.Request) error {
	caller, err := auth.FromRequest(r)
	if err != nil {
		return err
	}
	data, err := jsonio.Read(r)
	if err != nil {
		return err
	}
	in, err := decodeCreate(data)
	if err != nil {
		return err
	}
	p, err := h.Service.Create(r.Context(), caller.Sub, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/practitioners/"+p.ID)
	respond(w, http.StatusCreated, p, viewer(caller))
	return nil
}

// Get serves getPractitioner.
func (h *Handlers) Get(w http.ResponseWriter, r *http.Request) error {
	caller, id, err := lambdahttp.Target(r, "practitionerId")
	if err != nil {
		return err
	}
	p, err := h.Service.Get(r.Context(), viewer(caller), id)
	if err != nil {
		return err
	}
	respond(w, http.StatusOK, p, viewer(caller))
	return nil
}

// Update serves updatePractitionerProfile.
func (h *Handlers) Update(w http.ResponseWriter, r *http.Request) error {
	u, err := lambdahttp.ReadUpdate(r, "practitionerId")
	if err != nil {
		return err
	}
	caller := u.Caller
	patch, err := decodePatch(u.Body)
	if err != nil {
		return err
	}
	p, err := h.Service.Update(r.Context(), viewer(caller), u.ID, patch, u.IfMatch)
	if err != nil {
		return err
	}
	respond(w, http.StatusOK, p, viewer(caller))
	return nil
}

type decisionJSON struct {
	Decision string `json:"decision"`
	Note     string `json:"note"`
}

// Verify serves verifyPractitioner.
func (h *Handlers) Verify(w http.ResponseWriter, r *http.Request) error {
	caller, id, version, err := lambdahttp.Change(r, "practitionerId")
	if err != nil {
		return err
	}
	var in decisionJSON
	if err := jsonio.Decode(r, &in); err != nil {
		return err
	}
	p, err := h.Service.Verify(r.Context(), caller.Sub, id,
		practitioner.Decision{Decision: practitioner.Verification(in.Decision), Note: in.Note}, version)
	if err != nil {
		return err
	}
	respond(w, http.StatusOK, p, viewer(caller))
	return nil
}

type pageJSON struct {
	Items      []practitionerJSON `json:"items"`
	NextCursor string             `json:"nextCursor,omitempty"`
}

// Find serves findPractitioners. With an availability window it keeps the
// practitioners with a free slot in it, reading further pages of the search
// (a bounded number) to fill the page.
func (h *Handlers) Find(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.FromRequest(r); err != nil {
		return err
	}
	q, window, scope, err := parseQuery(r)
	if err != nil {
		return err
	}
	if c := r.URL.Query().Get("cursor"); c != "" {
		if q.After, err = h.Cursors.Open(scope, c); err != nil {
			return err
		}
	}
	out := pageJSON{Items: []practitionerJSON{}}
	var next map[string]string
	rounds, limit := 1, q.Limit
	if window != nil {
		// Each candidate's availability costs a few requests: a page looks
		// at most maxAvailabilityChecks candidates, in one round, and its
		// cursor goes on after the last one looked at (a page may hold
		// fewer items than the limit).
		rounds, q.Limit = 1, min(q.Limit, maxAvailabilityChecks)
	}
	for round := 0; round < rounds; round++ {
		page, err := h.Service.Search(r.Context(), q)
		if err != nil {
			return err
		}
		next = page.Next
		// The candidates' availability, all at once (at most
		// maxAvailabilityChecks of them), judged in the page's order.
		free := make([]bool, len(page.Items))
		if window != nil {
			checks, cctx := errgroup.WithContext(r.Context())
			for i, p := range page.Items {
				checks.Go(func() (err error) {
					free[i], err = h.Availability.HasFreeSlot(cctx, p.ID, window[0], window[1])
					return err
				})
			}
			if err := checks.Wait(); err != nil {
				return err
			}
		}
		full := false
		for i, p := range page.Items {
			if window != nil && !free[i] {
				continue
			}
			item := toJSON(p, false)
			if page.Distances != nil {
				d := math.Round(page.Distances[i]*100) / 100
				item.DistanceKm = &d
			}
			out.Items = append(out.Items, item)
			if len(out.Items) == limit {
				full, next = true, nil
				if i+1 < len(page.Items) || page.Next != nil {
					next = page.Positions[i]
				}
				break
			}
		}
		if full || page.Next == nil {
			break
		}
		q.After = page.Next
	}
	if next != nil {
		if out.NextCursor, err = h.Cursors.Seal(scope, next); err != nil {
			return err
		}
	}
	jsonio.Write(w, http.StatusOK, out)
	return nil
}

// maxAvailabilityChecks is how many candidates a page of findPractitioners
// with an availability window looks at: about 4 requests each, so that a
// page stays within its budget whatever the window.
const maxAvailabilityChecks = 4

// parseQuery reads the filters and returns the query, the availability
// window (nil when none) and the cursor scope that binds a cursor to these
// filters.
func parseQuery(r *http.Request) (practitioner.Query, []time.Time, string, error) {
	v := r.URL.Query()
	var l problem.FieldList
	q := practitioner.Query{Limit: 20}
	q.Specialty = v.Get("specialty")
	if len(q.Specialty) > 64 || (v.Has("specialty") && q.Specialty == "") {
		l.Add("specialty", "must be 1 to 64 characters")
	}
	q.Language = v.Get("language")
	if v.Has("language") && !validate.IsLanguage(q.Language) {
		l.Add("language", "must be a BCP 47 language tag such as pt-MZ")
	}
	q.Mode = practitioner.Mode(v.Get("mode"))
	if v.Has("mode") && !slices.Contains(practitioner.Modes, q.Mode) {
		l.Add("mode", "must be one of inPerson, video, phone")
	}
	q.NamePrefix = v.Get("name")
	if v.Has("name") && (q.NamePrefix == "" || !utf8.ValidString(q.NamePrefix) || utf8.RuneCountInString(q.NamePrefix) > 100) {
		l.Add("name", "must be 1 to 100 characters")
	}
	if s := v.Get("limit"); v.Has("limit") {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			l.Add("limit", "must be an integer from 1 to 100")
		}
		q.Limit = n
	}
	if c := v.Get("cursor"); v.Has("cursor") && (c == "" || len(c) > 2048) {
		l.Add("cursor", "is not a cursor of this query")
	}
	if v.Has("near") {
		lat, lon, ok := parsePoint(v.Get("near"))
		if !ok {
			l.Add("near", "must be lat,lon in degrees, such as -25.96,32.58")
		}
		q.Near, q.RadiusKm = &practitioner.Point{Lat: lat, Lon: lon}, 25
		if v.Has("radiusKm") {
			radius, err := strconv.ParseFloat(v.Get("radiusKm"), 64)
			if err != nil || radius < 0.1 || radius > 500 {
				l.Add("radiusKm", "must be a number from 0.1 to 500")
			}
			q.RadiusKm = radius
		}
	} else if v.Has("radiusKm") {
		l.Add("radiusKm", "goes with near")
	}
	var window []time.Time
	if v.Has("availableFrom") || v.Has("availableTo") {
		from, err1 := time.Parse(time.RFC3339, v.Get("availableFrom"))
		to, err2 := time.Parse(time.RFC3339, v.Get("availableTo"))
		switch {
		case err1 != nil:
			l.Add("availableFrom", "must be an RFC 3339 time, with availableTo")
		case err2 != nil:
			l.Add("availableTo", "must be an RFC 3339 time, with availableFrom")
		case !to.After(from) || to.Sub(from) > 31*24*time.Hour:
			l.Add("availableTo", "must be after availableFrom, at most 31 days")
		default:
			window = []time.Time{from.UTC(), to.UTC()}
		}
	}
	scope := strings.Join([]string{"findPractitioners", q.Specialty, strings.ToLower(q.Language),
		string(q.Mode), practitioner.Fold(q.NamePrefix), v.Get("near"), v.Get("radiusKm"),
		v.Get("availableFrom"), v.Get("availableTo")}, "\x1f")
	return q, window, scope, l.Err()
}

func parsePoint(v string) (float64, float64, bool) {
	a, b, ok := strings.Cut(v, ",")
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if !ok || err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return 0, 0, false
	}
	return lat, lon, true
}
