// Package accounthttp serves getMe: the caller's identity and the ids of its
// profiles, composed from the domains that keep profiles.
package accounthttp

import (
	"context"
	"net/http"

	"ohcs/shared/app"

	"ohcs/shared/auth"
	"ohcs/shared/jsonio"
	"ohcs/shared/platform"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

// GetMe is the getMe operation: its handler and its tables.
func GetMe() platform.Operation {
	return platform.Operation{
		Build: func(env *platform.Env) (http.Handler, error) {
			pr := app.Of(env).Profiles()
			return platform.Handle((&Me{Finders: map[string]ProfileFinder{
				"practitionerId": finder(pr.PractitionerOf),
				"beneficiaryId":  finder(pr.BeneficiaryOf),
				"caregiverId":    finder(pr.CaregiverOf),
				"donorId":        finder(pr.DonorOf),
			}}).Serve), nil
		},
		Reads: []tables.Table{tables.Practitioners, tables.People},
	}
}

// ProfileFinder finds the id of a sub's profile in one domain.
type ProfileFinder interface {
	// IDOf returns the profile id of sub; NotFound when it has none.
	IDOf(ctx context.Context, sub string) (string, error)
}

// finder adapts a function to ProfileFinder.
type finder func(ctx context.Context, sub string) (string, error)

// IDOf calls f.
func (f finder) IDOf(ctx context.Context, sub string) (string, error) { return f(ctx, sub) }

// Me serves getMe.
type Me struct {
	// Finders maps the field of each profile id to its domain's finder.
	Finders map[string]ProfileFinder
}

type meJSON struct {
	Sub      string            `json:"sub"`
	Email    string            `json:"email,omitempty"`
	Roles    []string          `json:"roles"`
	Profiles map[string]string `json:"profiles"`
}

// Serve answers the caller's identity.
func (h *Me) Serve(w http.ResponseWriter, r *http.Request) error {
	p, err := auth.FromRequest(r)
	if err != nil {
		return err
	}
	out := meJSON{Sub: p.Sub, Email: p.Email, Roles: []string{}, Profiles: map[string]string{}}
	for _, role := range p.Roles {
		out.Roles = append(out.Roles, string(role))
	}
	for field, f := range h.Finders {
		id, err := f.IDOf(r.Context(), p.Sub)
		switch {
		case err == nil:
			out.Profiles[field] = id
		case problem.Is(err, problem.NotFound):
		default:
			return err
		}
	}
	jsonio.Write(w, http.StatusOK, out)
	return nil
}
