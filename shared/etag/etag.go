// Package etag owns resource versions on the wire: the ETag header of a
// response and the If-Match precondition of an update.
package etag

import (
	"net/http"
	"strconv"
	"strings"

	"ohcs/shared/problem"
)

// Format returns the entity tag of a version: the version, quoted.
func Format(version int64) string {
	return `"` + strconv.FormatInt(version, 10) + `"`
}

// Set sets the ETag header of w.
func Set(w http.ResponseWriter, version int64) {
	w.Header().Set("ETag", Format(version))
}

// IfMatch returns the version named by r's If-Match header:
// PreconditionRequired when the header is absent, Invalid when it is not a
// version this API issued.
func IfMatch(r *http.Request) (int64, error) {
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	if v == "" {
		return 0, problem.New(problem.PreconditionRequired, "If-Match is required: send the ETag of the version you are changing")
	}
	v = strings.TrimPrefix(v, "W/")
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, problem.Field("If-Match", "must be the ETag of a version, such as \"3\"")
	}
	return n, nil
}
