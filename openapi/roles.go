package openapi

import (
	"bytes"
	"fmt"
	"go/format"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// The files generated from the document, from the module's root.
const (
	RolesFile = "shared/auth/roles_gen.go"
	KeyedFile = "shared/idempotency/keyed_gen.go"
)

// Generated are the files make generate writes from the document (besides
// the typed client) and the sources they hold.
var Generated = map[string]func(*openapi3.T) ([]byte, error){RolesFile: RolesSource, KeyedFile: KeyedSource}

// RolesSource returns the Go source of the roles each operation allows, as
// the document declares them (x-ohcs-roles), and whether it is public:
// the one place the code learns them (auth.Guard enforces them).
func RolesSource(doc *openapi3.T) ([]byte, error) {
	return source(doc, "auth", "Operations are the roles each operation allows (x-ohcs-roles) and whether\n// it is public (callers without a token too).",
		"Operations = map[string]Access", func(op Operation) string {
			var roles []string
			for _, r := range op.Roles {
				roles = append(roles, strings.ToUpper(r[:1])+r[1:])
			}
			return fmt.Sprintf("{Public: %t, Roles: []Role{%s}}", op.Public, strings.Join(roles, ", "))
		})
}

// KeyedSource returns the Go source of the operations that take the
// Idempotency-Key header, as the document declares them: the one place the
// code learns them (the registry wraps each in the idempotency middleware).
func KeyedSource(doc *openapi3.T) ([]byte, error) {
	return source(doc, "idempotency", "Keyed are the operations that take the Idempotency-Key header.",
		"Keyed = map[string]bool", func(op Operation) string {
			if !op.Keyed {
				return ""
			}
			return "true"
		})
}

// source writes the map literal decl of package pkg: an entry per
// operation (by id) whose value is entry's, left out when it is "".
func source(doc *openapi3.T, pkg, comment, decl string, entry func(Operation) string) ([]byte, error) {
	ops := Operations(doc)
	slices.SortFunc(ops, func(a, b Operation) int { return strings.Compare(a.ID, b.ID) })
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated from openapi/ohcs.yaml by `make generate`; DO NOT EDIT.\n\npackage %s\n\n// %s\nvar %s{\n", pkg, comment, decl)
	for _, op := range ops {
		if v := entry(op); v != "" {
			fmt.Fprintf(&b, "\t%q: %s,\n", op.ID, v)
		}
	}
	b.WriteString("}\n")
	return format.Source(b.Bytes())
}
