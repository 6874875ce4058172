package openapi

import (
	"bytes"
	"fmt"
	"go/format"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// RolesFile is where RolesSource is written, from the module's root.
const RolesFile = "shared/auth/roles_gen.go"

// RolesSource returns the Go source of the roles each operation allows, as
// the document declares them (x-ohcs-roles), and whether it is public:
// the one place the code learns them (auth.Guard enforces them).
func RolesSource(doc *openapi3.T) ([]byte, error) {
	ops := Operations(doc)
	slices.SortFunc(ops, func(a, b Operation) int { return strings.Compare(a.ID, b.ID) })
	var b bytes.Buffer
	b.WriteString("// Code generated from openapi/ohcs.yaml by `make generate`; DO NOT EDIT.\n\npackage auth\n\n")
	b.WriteString("// Operations are the roles each operation allows (x-ohcs-roles) and whether\n")
	b.WriteString("// it is public (callers without a token too).\n")
	b.WriteString("var Operations = map[string]Access{\n")
	for _, op := range ops {
		var roles []string
		for _, r := range op.Roles {
			roles = append(roles, strings.ToUpper(r[:1])+r[1:])
		}
		fmt.Fprintf(&b, "\t%q: {Public: %t, Roles: []Role{%s}},\n", op.ID, op.Public, strings.Join(roles, ", "))
	}
	b.WriteString("}\n")
	return format.Source(b.Bytes())
}
