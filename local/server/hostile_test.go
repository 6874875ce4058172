package server_test

import (
	"encoding/json"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// hostileCase is one hostile variant of an operation's request.
type hostileCase struct {
	name string
	path string
	body any // a map, or raw bytes
}

// wrongType is a value of another JSON type than the schema's.
func wrongType(s *openapi3.Schema) any {
	switch {
	case s.Type.Is("string"):
		return 12345
	case s.Type.Is("integer"), s.Type.Is("number"):
		return "many"
	case s.Type.Is("boolean"):
		return "yes"
	case s.Type.Is("array"):
		return map[string]any{"not": "a list"}
	default:
		return []any{"not", "an object"}
	}
}

// bodyCases derives hostile bodies from the operation's request schema and
// a valid body: every property of the wrong type, every required property
// missing, an unknown property, strings and lists one over their bounds,
// numbers under their minimum and far too large, impossible dates, deep
// nesting, invalid UTF-8 and a duplicated key.
func bodyCases(schema *openapi3.Schema, valid map[string]any) []hostileCase {
	var out []hostileCase
	with := func(name string, edit func(b map[string]any)) {
		b := maps.Clone(valid)
		edit(b)
		out = append(out, hostileCase{name: name, body: b})
	}
	for _, name := range slices.Sorted(maps.Keys(schema.Properties)) {
		prop := schema.Properties[name].Value
		if prop == nil {
			continue
		}
		with(name+"/wrong type", func(b map[string]any) { b[name] = wrongType(prop) })
		switch {
		case prop.Type.Is("string") && prop.MaxLength != nil && *prop.MaxLength < 1<<20:
			with(name+"/too long", func(b map[string]any) { b[name] = strings.Repeat("a", int(*prop.MaxLength)+1) })
		case prop.Type.Is("array") && prop.MaxItems != nil && *prop.MaxItems < 10000:
			item := any("x")
			if cur, ok := valid[name].([]any); ok && len(cur) > 0 {
				item = cur[0]
			}
			with(name+"/too many", func(b map[string]any) { b[name] = slices.Repeat([]any{item}, int(*prop.MaxItems)+1) })
		case prop.Type.Is("integer") || prop.Type.Is("number"):
			if prop.Min != nil {
				with(name+"/under minimum", func(b map[string]any) { b[name] = *prop.Min - 1 })
			}
			with(name+"/huge", func(b map[string]any) { b[name] = json.RawMessage("1e400") })
		}
		if prop.Format == "date" || prop.Format == "date-time" {
			with(name+"/impossible date", func(b map[string]any) { b[name] = "2026-02-30" })
			with(name+"/year 0", func(b map[string]any) { b[name] = "0000-00-00T00:00:00Z" })
		}
	}
	for _, name := range schema.Required {
		with(name+"/missing", func(b map[string]any) { delete(b, name) })
	}
	with("unknown property", func(b map[string]any) { b["hostileUnknownProperty"] = true })
	valid0, _ := json.Marshal(valid)
	out = append(out,
		hostileCase{name: "deep nesting", body: []byte(`{"hostile":` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + `}`)},
		hostileCase{name: "not JSON", body: []byte(`{"unterminated": "`)},
		hostileCase{name: "a list", body: []byte(`[` + string(valid0) + `]`)},
	)
	// The first string property: a byte that is not UTF-8 in it, and the
	// property sent twice.
	for _, name := range slices.Sorted(maps.Keys(valid)) {
		if _, ok := valid[name].(string); ok {
			invalid := strings.Replace(string(valid0), `"`+name+`":"`, `"`+name+`":"`+"\xff", 1)
			v, _ := json.Marshal(valid[name])
			twice := strings.TrimSuffix(string(valid0), "}") + `,"` + name + `":` + string(v) + `}`
			out = append(out, hostileCase{name: name + "/invalid UTF-8", body: []byte(invalid)}, hostileCase{name: name + "/twice", body: []byte(twice)})
			break
		}
	}
	return out
}

// pathCases replace each path parameter with traversal and encoded
// separators.
func pathCases(template, path string) []hostileCase {
	var out []hostileCase
	tparts, parts := strings.Split(template, "/"), strings.Split(path, "/")
	if len(tparts) != len(parts) {
		return nil
	}
	for i, tp := range tparts {
		if !strings.HasPrefix(tp, "{") {
			continue
		}
		for _, v := range []string{"..%2F..%2Fetc%2Fpasswd", "%2e%2e", "a%2Fb", "%00", "..", strings.Repeat("A", 300), "%F0%28%8C%BC"} {
			p := slices.Clone(parts)
			p[i] = v
			out = append(out, hostileCase{name: tp + "=" + v, path: strings.Join(p, "/")})
		}
	}
	return out
}

// queryCases give each query parameter a value of the wrong type, one
// over its bounds, or an impossible date.
func queryCases(spec *openapi3.Operation, path string) []hostileCase {
	var out []hostileCase
	base, query, _ := strings.Cut(path, "?")
	for _, pr := range spec.Parameters {
		p := pr.Value
		if p == nil || p.In != "query" || p.Schema == nil || p.Schema.Value == nil {
			continue
		}
		sc := p.Schema.Value
		var values []string
		switch {
		case sc.Type.Is("integer") || sc.Type.Is("number"):
			values = append(values, "many", "1e400", "-99999999999999999999")
		case sc.Type.Is("boolean"):
			values = append(values, "perhaps")
		case sc.Type.Is("string") && sc.MaxLength != nil && *sc.MaxLength < 10000:
			values = append(values, strings.Repeat("a", int(*sc.MaxLength)+1))
		}
		if sc.Format == "date" || sc.Format == "date-time" {
			values = append(values, "2026-02-30")
		}
		if p.Name == "cursor" {
			values = append(values, "not-a-cursor", strings.Repeat("A", 600))
		}
		for _, v := range values {
			q, _ := url.ParseQuery(query)
			q.Set(p.Name, v)
			out = append(out, hostileCase{name: "?" + p.Name + "=" + v[:min(len(v), 20)], path: base + "?" + q.Encode()})
		}
	}
	return out
}

// TestHostileInput sends, for every operation, hostile variants of a valid
// request derived from the OpenAPI document, as a caller the operation lets
// through: each answers 4xx problem+json (checked against the document),
// none 5xx, and none writes anything but the audit trail.
func TestHostileInput(t *testing.T) {
	c := start(t, nil)
	doc := document(t)
	shared := newWorld(t, c)
	audit := func(table string) bool {
		return strings.HasSuffix(table, "audit") || strings.HasSuffix(table, "idempotency")
	}
	tried := 0
	for op, caller := range permitted(doc) {
		rw := matrix[op.ID][0]
		w := shared
		if rw.mutates {
			w = newWorld(t, c)
		}
		base := rw.build(w)
		spec := doc.Paths.Find(op.Path).GetOperation(op.Method)
		var cases []hostileCase
		if body, ok := base.body.(map[string]any); ok && spec.RequestBody != nil {
			if mt := spec.RequestBody.Value.Content.Get("application/json"); mt != nil {
				cases = append(cases, bodyCases(mt.Schema.Value, body)...)
			}
		}
		cases = append(cases, pathCases("/v1"+op.Path, strings.SplitN(base.path, "?", 2)[0])...)
		cases = append(cases, queryCases(spec, base.path)...)
		for _, hc := range cases {
			t.Run(op.ID+"/"+hc.name, func(t *testing.T) {
				tried++
				path, body := base.path, base.body
				if hc.path != "" {
					path = hc.path
					if q := strings.SplitN(base.path, "?", 2); len(q) == 2 && !strings.Contains(path, "?") {
						path += "?" + q[1]
					}
				}
				if hc.body != nil {
					body = hc.body
				}
				var r response
				used := usage(c, op.ID, func() { r = c.call(base.method, path, w.tokens[caller], body, base.header) })
				if r.Status < 400 || r.Status >= 500 {
					t.Fatalf("%s %s answered %d; want 4xx: %s", base.method, path, r.Status, r.Body)
				}
				assertProblem(t, r, r.Status)
				for table, n := range used.Writes {
					if !audit(table) {
						t.Errorf("a refused request wrote %d items to %s", n, table)
					}
				}
			})
		}
	}
	if tried < 500 {
		t.Errorf("only %d hostile requests tried", tried)
	}
	t.Logf("%d hostile requests", tried)
}
