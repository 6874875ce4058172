package problem

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"ohcs/shared/logging"
)

// ContentType is the media type of problem responses.
const ContentType = "application/problem+json"

// Body is the JSON form of a problem (RFC 9457).
type Body struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail,omitempty"`
	RequestID string       `json:"requestId,omitempty"`
	Errors    []FieldError `json:"errors,omitempty"`
}

// BodyOf converts an error to the problem a client may see: the safe message
// of a coded error, a generic sentence for anything else.
func BodyOf(err error) Body {
	var e *Error
	if !errors.As(err, &e) || e.Code == Internal {
		return Body{Type: "about:blank", Title: http.StatusText(500), Status: 500,
			Detail: "an unexpected error occurred; it has been logged"}
	}
	status := Status(e.Code)
	return Body{Type: "about:blank", Title: http.StatusText(status), Status: status,
		Detail: e.Message, Errors: e.Fields}
}

// Write sends err as application/problem+json. Internal errors and
// unavailable dependencies are logged here, once, where they leave the
// system; client errors are logged at debug level.
func Write(w http.ResponseWriter, r *http.Request, err error) {
	body := BodyOf(err)
	body.RequestID = logging.RequestID(r.Context())
	log := logging.FromContext(r.Context())
	switch {
	case body.Status >= 500:
		log.Error("request failed", slog.Int("status", body.Status), slog.String("error", err.Error()))
	default:
		log.Debug("request refused", slog.Int("status", body.Status), slog.String("code", string(CodeOf(err))))
	}
	var e *Error
	if errors.As(err, &e) && e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfter))
	} else if body.Status == http.StatusServiceUnavailable || body.Status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "1")
	}
	if body.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", "Bearer")
	}
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(body.Status)
	_ = json.NewEncoder(w).Encode(body)
}
