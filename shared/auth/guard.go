package auth

import (
	"net/http"

	"ohcs/shared/problem"
)

// Access is who may call an operation: the roles the document allows, and
// whether callers without a token may too.
type Access struct {
	Public bool
	Roles  []Role
}

// Guard returns next behind the roles the document declares for op
// (Operations): a caller without a principal answers 401 and one without
// a listed role 403, before next runs. A public operation lets every
// caller through; its handler reads the optional token itself.
func Guard(op string, next http.Handler) (http.Handler, bool) {
	a, ok := Operations[op]
	if !ok {
		return nil, false
	}
	if a.Public {
		return next, true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := Require(r, a.Roles...); err != nil {
			problem.Write(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	}), true
}
