// Package openapi holds the OpenAPI document of OHCS, the single source of
// truth for the gateway, the local server, the clients and the tests.
package openapi

import (
	"context"
	_ "embed"
	"fmt"
	"regexp"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:embed ohcs.yaml
var document []byte

// YAML returns the document as written.
func YAML() []byte { return document }

var emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

func init() {
	// kin-openapi leaves formats unchecked until they are registered; check
	// the ones the document uses the way the handlers do.
	openapi3.DefineStringFormatValidator("email", openapi3.NewRegexpFormatValidator(emailRE.String()))
}

// Load parses and validates the document.
func Load(ctx context.Context) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(document)
	if err != nil {
		return nil, fmt.Errorf("load openapi document: %w", err)
	}
	if err := doc.Validate(ctx); err != nil {
		return nil, fmt.Errorf("validate openapi document: %w", err)
	}
	return doc, nil
}

// Operation is one operation of the document.
type Operation struct {
	ID     string
	Method string
	Path   string
	// Public operations need no token.
	Public bool
	// Roles are the roles the document allows (x-ohcs-roles).
	Roles []string
	// HealthData marks an operation that reads or writes one
	// beneficiary's health data (x-ohcs-health-data): access to it
	// follows the care relationship's lifecycle, and the lifecycle matrix
	// holds every such operation to it.
	HealthData bool
	// Tags are the operation's tags.
	Tags []string
	// Pages marks a list read in pages: it takes the Cursor parameter, so
	// its function seals and opens cursors with the cursor key.
	Pages bool
	// Keyed marks a write that takes the Idempotency-Key header: a retry
	// with the same key is answered from the first reply.
	Keyed bool
}

// Operations lists the operations of doc.
func Operations(doc *openapi3.T) []Operation {
	var ops []Operation
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			o := Operation{ID: op.OperationID, Method: method, Path: path}
			o.Public = op.Security != nil && len(*op.Security) == 0
			if roles, ok := op.Extensions["x-ohcs-roles"].([]any); ok {
				for _, r := range roles {
					if s, ok := r.(string); ok {
						o.Roles = append(o.Roles, s)
					}
				}
			}
			o.HealthData, _ = op.Extensions["x-ohcs-health-data"].(bool)
			o.Tags = op.Tags
			for _, p := range op.Parameters {
				o.Pages = o.Pages || p.Ref == "#/components/parameters/Cursor"
				o.Keyed = o.Keyed || p.Ref == "#/components/parameters/IdempotencyKey"
			}
			ops = append(ops, o)
		}
	}
	return ops
}
