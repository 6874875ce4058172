// Package jsonio owns JSON at the HTTP boundary: strict decoding of request
// bodies (unknown fields, trailing data, wrong types and oversize bodies are
// client errors that name the field) and encoding of responses.
package jsonio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"ohcs/shared/problem"
)

// MaxBody is the largest request body accepted, 256 KiB (DOMAIN.md).
const MaxBody = 256 << 10

// Decode reads r's JSON body into dst with the default limit.
func Decode(r *http.Request, dst any) error {
	return DecodeLimit(r, dst, MaxBody)
}

// DecodeLimit reads r's JSON body into dst, refusing bodies over limit bytes
// (TooLarge), other media types, malformed JSON, unknown fields, wrong types
// and trailing data (Invalid, naming the field where there is one).
func DecodeLimit(r *http.Request, dst any, limit int64) error {
	data, err := ReadLimit(r, limit)
	if err != nil {
		return err
	}
	return Unmarshal(data, dst)
}

// Read returns r's body with the default limit, for handlers that look at
// the raw JSON before decoding it.
func Read(r *http.Request) ([]byte, error) { return ReadLimit(r, MaxBody) }

// ReadLimit returns r's body: TooLarge over limit bytes, Invalid when the
// Content-Type is not JSON.
func ReadLimit(r *http.Request, limit int64) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return nil, problem.Field("Content-Type", "the body must be application/json")
		}
	}
	if r.Body == nil {
		return nil, problem.Field("body", "a JSON body is required")
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, problem.Field("body", "the body could not be read")
	}
	if int64(len(data)) > limit {
		return nil, problem.New(problem.TooLarge, "the body is larger than %d bytes", limit)
	}
	return data, nil
}

// DecodeExcept is Decode for a body that must not set the server-owned
// top-level fields named (an id, a version, an author): each one present
// is refused by name, whether or not dst has a place for it.
func DecodeExcept(r *http.Request, dst any, serverOwned ...string) error {
	data, err := Read(r)
	if err != nil {
		return err
	}
	return UnmarshalExcept(data, dst, serverOwned...)
}

// UnmarshalExcept is Unmarshal with the refusals of DecodeExcept.
func UnmarshalExcept(data []byte, dst any, serverOwned ...string) error {
	if err := Unmarshal(data, dst); err != nil {
		return err
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return problem.Field("body", "must be a JSON object")
	}
	var l problem.FieldList
	for _, f := range serverOwned {
		if _, ok := top[f]; ok {
			l.Add(f, "is set by the server")
		}
	}
	return l.Err()
}

// Unmarshal decodes data into dst with the rules of DecodeLimit.
func Unmarshal(data []byte, dst any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return problem.Field("body", "a JSON body is required")
	}
	if !utf8.Valid(data) {
		return problem.Field("body", "the body is not valid UTF-8")
	}
	if err := checkShape(data); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return describe(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return problem.Field("body", "the body must hold a single JSON value")
	}
	return nil
}

// MaxDepth is how deeply a body's objects and arrays may nest.
const MaxDepth = 32

// checkShape refuses what encoding/json would quietly accept: a key twice
// in one object (parsers disagree on which one wins, so a validator and a
// handler could read different values) and nesting deeper than MaxDepth.
// Malformed JSON is left to the decoder, which describes it.
func checkShape(data []byte) error {
	type frame struct {
		object, wantKey bool
		keys            map[string]bool
	}
	var stack []frame
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].wantKey = true
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil // the end, or malformed: the decoder reports it
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				if len(stack) >= MaxDepth {
					return problem.Field("body", "nested more than %d levels deep", MaxDepth)
				}
				if n := len(stack); n > 0 && stack[n-1].object {
					stack[n-1].wantKey = false
				}
				stack = append(stack, frame{object: v == '{', wantKey: v == '{', keys: map[string]bool{}})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].wantKey {
				if stack[n-1].keys[v] {
					return problem.Field(v, "appears twice in one object")
				}
				stack[n-1].keys[v] = true
				stack[n-1].wantKey = false
				continue
			}
			valueDone()
		default:
			valueDone()
		}
	}
}

func describe(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return problem.Field("body", "malformed JSON at byte %d", syntax.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return problem.Field("body", "malformed JSON: the body ends too early")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return problem.Field("body", "must be a JSON %s", jsonKind(typ.Type.Kind().String()))
		}
		return problem.Field(field, "must be a JSON %s", jsonKind(typ.Type.Kind().String()))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return problem.Field(name, "is not a known field")
	default:
		var pe *problem.Error
		if errors.As(err, &pe) {
			return pe
		}
		return problem.Field("body", "malformed JSON")
	}
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "array"
	case "map", "struct", "ptr":
		return "object"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "integer"
	case "float32", "float64":
		return "number"
	}
	return fmt.Sprintf("value of another type (%s)", goKind)
}

// Write sends v as JSON with status.
func Write(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// PatchFields returns the fields a patch body names, adding to l a field
// error for each that is null (a patch changes fields, it does not remove
// them), one when it names none, and one when it is not a JSON object.
func PatchFields(data []byte, l *problem.FieldList) map[string]bool {
	var present map[string]json.RawMessage
	if err := json.Unmarshal(data, &present); err != nil {
		l.Add("body", "must be a JSON object")
		return nil
	}
	fields := map[string]bool{}
	for name, raw := range present {
		if string(raw) == "null" {
			l.Add(name, "must not be null")
		}
		fields[name] = true
	}
	if len(fields) == 0 {
		l.Add("body", "name at least one field to change")
	}
	return fields
}
