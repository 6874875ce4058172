package openapi_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"ohcs/openapi"
	"ohcs/shared/auth"
	"ohcs/shared/idempotency"
)

var roles = []string{"practitioner", "beneficiary", "caregiver", "donor", "administrator"}

func load(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestGatewayExtensions checks what cdk-nag cannot see inside the API body:
// request validators on, the Cognito authorizer with its placeholder, and
// every operation integrated with its own function and secured or listed as
// public.
func TestGatewayExtensions(t *testing.T) {
	doc := load(t)
	// The gateway checks required parameters; bodies are validated by the
	// functions, which name the fields (API Gateway's refusal cannot).
	if doc.Extensions["x-amazon-apigateway-request-validator"] != "params" {
		t.Errorf("the default request validator is not 'params'")
	}
	validators, _ := doc.Extensions["x-amazon-apigateway-request-validators"].(map[string]any)
	params, _ := validators["params"].(map[string]any)
	if params["validateRequestParameters"] != true {
		t.Errorf("request validator 'params' does not validate parameters: %v", params)
	}
	scheme := doc.Components.SecuritySchemes["cognito"]
	if scheme == nil || scheme.Value.Extensions["x-amazon-apigateway-authtype"] != "cognito_user_pools" {
		t.Fatalf("no cognito security scheme")
	}
	authorizer, _ := scheme.Value.Extensions["x-amazon-apigateway-authorizer"].(map[string]any)
	if arns, _ := authorizer["providerARNs"].([]any); len(arns) != 1 || arns[0] != "${userPoolArn}" {
		t.Errorf("authorizer providerARNs: got %v; want the ${userPoolArn} placeholder", authorizer["providerARNs"])
	}
	if len(doc.Security) != 1 {
		t.Errorf("the document has no default security requirement")
	}
	seen := map[string]bool{}
	for _, op := range openapi.Operations(doc) {
		t.Run(op.ID, func(t *testing.T) {
			if op.ID == "" || seen[op.ID] {
				t.Fatalf("missing or repeated operation id at %s %s", op.Method, op.Path)
			}
			seen[op.ID] = true
			o := doc.Paths.Find(op.Path).GetOperation(op.Method)
			integration, _ := o.Extensions["x-amazon-apigateway-integration"].(map[string]any)
			if integration["type"] != "aws_proxy" || integration["httpMethod"] != "POST" ||
				integration["uri"] != fmt.Sprintf("${function:%s}", op.ID) {
				t.Errorf("integration: got %v; want aws_proxy POST ${function:%s}", integration, op.ID)
			}
			if len(op.Roles) == 0 {
				t.Errorf("no x-ohcs-roles")
			}
			for _, r := range op.Roles {
				if !slices.Contains(roles, r) {
					t.Errorf("unknown role %q", r)
				}
			}
			if o.Security != nil && len(*o.Security) == 0 && !op.Public {
				t.Errorf("security is empty but the operation is not public")
			}
			for _, status := range []string{"401", "429", "503"} {
				if !op.Public && o.Responses.Value(status) == nil {
					t.Errorf("no %s response", status)
				}
			}
		})
	}
}

// TestSchemasAreBounded checks that every string and array in the document
// has a maximum, and that every request body refuses unknown properties.
func TestSchemasAreBounded(t *testing.T) {
	doc := load(t)
	var problems []string
	visited := map[*openapi3.Schema]bool{}
	var walk func(path string, s *openapi3.Schema, request bool)
	walk = func(path string, s *openapi3.Schema, request bool) {
		if s == nil || visited[s] && !request {
			return
		}
		visited[s] = true
		switch {
		case s.Type.Is("string"):
			if s.MaxLength == nil && len(s.Enum) == 0 {
				problems = append(problems, path+": string without maxLength")
			}
		case s.Type.Is("array"):
			if s.MaxItems == nil {
				problems = append(problems, path+": array without maxItems")
			}
			if s.Items != nil {
				walk(path+"[]", s.Items.Value, request)
			}
		case s.Type.Is("object"):
			if request && (s.AdditionalProperties.Has == nil || *s.AdditionalProperties.Has) {
				problems = append(problems, path+": request object without additionalProperties: false")
			}
			for name, p := range s.Properties {
				walk(path+"."+name, p.Value, request)
			}
		}
	}
	for name, s := range doc.Components.Schemas {
		walk("#/components/schemas/"+name, s.Value, false)
	}
	for _, op := range openapi.Operations(doc) {
		o := doc.Paths.Find(op.Path).GetOperation(op.Method)
		for _, p := range o.Parameters {
			walk(op.ID+" parameter "+p.Value.Name, p.Value.Schema.Value, false)
		}
		if o.RequestBody != nil {
			for mt, c := range o.RequestBody.Value.Content {
				clear(visited)
				walk(op.ID+" body "+mt, c.Schema.Value, true)
			}
		}
	}
	for _, p := range doc.Paths.Map() {
		for _, param := range p.Parameters {
			walk("path parameter "+param.Value.Name, param.Value.Schema.Value, false)
		}
	}
	if len(problems) > 0 {
		t.Errorf("unbounded schemas:\n%s", strings.Join(problems, "\n"))
	}
}

// TestClinicalOperationsDeclareHealthData: every operation of the clinical
// tag says whether it touches one beneficiary's health data
// (x-ohcs-health-data), so that a new clinical operation cannot slip out
// of the lifecycle matrix (local/server TestAccessLifecycle) unnoticed.
func TestClinicalOperationsDeclareHealthData(t *testing.T) {
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	marked := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			_, declared := op.Extensions["x-ohcs-health-data"].(bool)
			if slices.Contains(op.Tags, "clinical") && !declared {
				t.Errorf("%s %s (%s) is clinical and does not declare x-ohcs-health-data", method, path, op.OperationID)
			}
		}
	}
	for _, op := range openapi.Operations(doc) {
		if op.HealthData {
			marked++
		}
	}
	if marked < 15 {
		t.Errorf("only %d operations declare health data", marked)
	}
}

// TestGeneratedAreTheDocuments: what the code enforces of each operation
// is generated from the document, so that it is declared once (change the
// document and run make generate): the roles (auth.Operations, checked by
// auth.Guard) and the operations that take an Idempotency-Key
// (idempotency.Keyed, wrapped by the registry), those and no other.
func TestGeneratedAreTheDocuments(t *testing.T) {
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for file, source := range openapi.Generated {
		want, err := source(doc)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("..", file))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is not the document's: run make generate", file)
		}
	}
	ops := openapi.Operations(doc)
	if len(auth.Operations) != len(ops) {
		t.Errorf("auth.Operations holds %d operations; the document %d", len(auth.Operations), len(ops))
	}
	keyed := 0
	for _, op := range ops {
		if op.Keyed != idempotency.Keyed[op.ID] {
			t.Errorf("%s: the document says keyed %t, the code %t", op.ID, op.Keyed, idempotency.Keyed[op.ID])
		}
		if op.Keyed {
			keyed++
		}
	}
	if keyed < 3 {
		t.Errorf("only %d operations take an Idempotency-Key; makeAppointment, makeDonation and sendNotification do", keyed)
	}
}
