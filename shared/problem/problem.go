// Package problem owns the errors of OHCS: a small set of codes, a message
// that is safe to show a client, field errors for invalid input, and the one
// writer that turns any error into an RFC 9457 application/problem+json
// response.
package problem

import (
	"errors"
	"fmt"
	"net/http"
)

// Code classifies an error. Anything without a code is Internal, and its text
// never reaches a client.
type Code string

// The codes, each mapped to one HTTP status by Status.
const (
	Invalid              Code = "invalid"
	Unauthenticated      Code = "unauthenticated"
	Forbidden            Code = "forbidden"
	NotFound             Code = "not_found"
	MethodNotAllowed     Code = "method_not_allowed"
	Conflict             Code = "conflict"
	PreconditionFailed   Code = "precondition_failed"
	TooLarge             Code = "too_large"
	Unprocessable        Code = "unprocessable"
	PreconditionRequired Code = "precondition_required"
	Throttled            Code = "throttled"
	Unavailable          Code = "unavailable"
	Internal             Code = "internal"
)

var statuses = map[Code]int{
	Invalid:              http.StatusBadRequest,
	Unauthenticated:      http.StatusUnauthorized,
	Forbidden:            http.StatusForbidden,
	NotFound:             http.StatusNotFound,
	MethodNotAllowed:     http.StatusMethodNotAllowed,
	Conflict:             http.StatusConflict,
	PreconditionFailed:   http.StatusPreconditionFailed,
	TooLarge:             http.StatusRequestEntityTooLarge,
	Unprocessable:        http.StatusUnprocessableEntity,
	PreconditionRequired: http.StatusPreconditionRequired,
	Throttled:            http.StatusTooManyRequests,
	Unavailable:          http.StatusServiceUnavailable,
	Internal:             http.StatusInternalServerError,
}

// Status is the HTTP status of a code; unknown codes are 500.
func Status(c Code) int {
	if s, ok := statuses[c]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// FieldError names one invalid input field and what is wrong with it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is an error with a code and a message that is safe to show.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError
	// RetryAfter, in seconds, is sent as Retry-After on 429 and 503.
	RetryAfter int
	// Err is the cause, for logs only.
	Err error
}

// Error returns the safe message and, for logs, the cause.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// New returns an error with a code and a formatted safe message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an error with a code and a safe message around a cause that
// is logged but never shown.
func Wrap(code Code, err error, message string) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

// Fields returns an Invalid error listing the invalid fields.
func Fields(fields ...FieldError) *Error {
	msg := "the request is invalid"
	if len(fields) == 1 {
		msg = fields[0].Field + ": " + fields[0].Message
	}
	return &Error{Code: Invalid, Message: msg, Fields: fields}
}

// Field returns an Invalid error about one field.
func Field(field, format string, args ...any) *Error {
	return Fields(FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// CodeOf returns the code of the first *Error in err's chain, or Internal.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries the code c.
func Is(err error, c Code) bool { return err != nil && CodeOf(err) == c }

// FieldList collects field errors while a request is converted to domain
// values.
type FieldList []FieldError

// Add appends a field error.
func (l *FieldList) Add(field, format string, args ...any) {
	*l = append(*l, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns an Invalid error with the collected fields, or nil.
func (l FieldList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return Fields(l...)
}
