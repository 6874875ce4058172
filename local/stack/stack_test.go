package stack_test

import (
	"strings"
	"testing"

	"ohcs/local/stack"
)

func values() stack.Values {
	return stack.Values{
		Pseudo:  map[string]string{"AWS::Region": "eu-west-1", "AWS::Partition": "aws"},
		Refs:    map[string]string{"TableA1": "Ohcs-TableA1-X", "Topic1": "arn:aws:sns:eu-west-1:0:topic", "Secret1": "arn:aws:secretsmanager:eu-west-1:0:secret:s", "RoleOne": "role"},
		Atts:    map[string]string{"TableA1.Arn": "arn:aws:dynamodb:eu-west-1:0:table/Ohcs-TableA1-X", "FnOne.Arn": "arn:aws:lambda:eu-west-1:0:function:one", "RoleOne.Arn": "arn:role"},
		Secrets: map[string]string{"arn:aws:secretsmanager:eu-west-1:0:secret:s": "the-secret"},
	}
}

// TestFunctionEnvironment: a function's variables resolve as CloudFormation
// resolves them at deploy time: Ref, Fn::GetAtt, Fn::Join, Fn::Sub, and a
// dynamic secret reference replaced by the secret's value.
func TestFunctionEnvironment(t *testing.T) {
	tmpl, err := stack.Load("testdata/small.template.json")
	if err != nil {
		t.Fatal(err)
	}
	fn, err := tmpl.Function("FnOne", values())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"OHCS_TABLE_A":    "Ohcs-TableA1-X",
		"OHCS_CURSOR_KEY": "the-secret",
		"WHERE":           "eu-west-1/Ohcs-TableA1-X/arn:aws:dynamodb:eu-west-1:0:table/Ohcs-TableA1-X",
		"LEVEL":           "info",
	}
	if len(fn.Env) != len(want) {
		t.Errorf("variables: %v; want %v", fn.Env, want)
	}
	for k, v := range want {
		if fn.Env[k] != v {
			t.Errorf("%s = %q; want %q", k, fn.Env[k], v)
		}
	}
	if fn.Source != "functions/one" || fn.Asset != "asset.1" || fn.Role != "RoleOne" || fn.TimeoutSeconds != 7 || fn.MemoryMB != 256 {
		t.Errorf("function: %+v", fn)
	}
	// A reference with no local value is an error, not an empty string.
	vs := values()
	delete(vs.Refs, "TableA1")
	if _, err := tmpl.Function("FnOne", vs); err == nil || !strings.Contains(err.Error(), "TableA1") {
		t.Errorf("an unresolved Ref: %v; want an error naming it", err)
	}
	vs = values()
	vs.Secrets = nil
	if _, err := tmpl.Function("FnOne", vs); err == nil {
		t.Error("an unknown secret resolved")
	}
}

// TestRoleStatements: a role's policies, resolved, allow exactly their
// actions on their resources, with IAM's wildcards.
func TestRoleStatements(t *testing.T) {
	tmpl, err := stack.Load("testdata/small.template.json")
	if err != nil {
		t.Fatal(err)
	}
	stmts, err := tmpl.RoleStatements("RoleOne", values())
	if err != nil {
		t.Fatal(err)
	}
	allows := func(action, resource string) bool {
		for _, st := range stmts {
			if st.Allows(action, resource) {
				return true
			}
		}
		return false
	}
	table := "arn:aws:dynamodb:eu-west-1:0:table/Ohcs-TableA1-X"
	for _, tc := range []struct {
		action, resource string
		want             bool
	}{
		{"dynamodb:GetItem", table, true},
		{"DynamoDB:query", table, true}, // actions are case-insensitive
		{"dynamodb:Query", table + "/index/gsi1", true},
		{"dynamodb:PutItem", table, false},
		{"dynamodb:GetItem", "arn:aws:dynamodb:eu-west-1:0:table/Other", false},
		{"dynamodb:GetItem", table + "-more", false},
		{"sns:Publish", "arn:aws:sns:eu-west-1:0:topic", true},
		{"sns:Publish", "*", false},
	} {
		if got := allows(tc.action, tc.resource); got != tc.want {
			t.Errorf("%s on %s: %v; want %v", tc.action, tc.resource, got, tc.want)
		}
	}
	if st := (stack.Statement{Actions: []string{"ses:Send*"}, Resources: []string{"*"}}); !st.Allows("ses:SendEmail", "arn:aws:ses:r:0:identity/example.org") || st.Allows("ses:DeleteIdentity", "x") {
		t.Error("wildcards in actions and resources")
	}
}

// TestEventSources: the schedule rules (enabled only), the topic's Lambda
// subscription, the user pool's trigger and the body's integrations name
// their functions.
func TestEventSources(t *testing.T) {
	tmpl, err := stack.Load("testdata/small.template.json")
	if err != nil {
		t.Fatal(err)
	}
	if s := tmpl.Schedules(); len(s) != 1 || s[0].Rule != "RuleOne" || s[0].Function != "FnOne" || s[0].Expression != "rate(1 minute)" {
		t.Errorf("schedules: %+v", s)
	}
	if s := tmpl.Subscriptions(); len(s) != 1 || s[0].Topic != "Topic1" || s[0].Function != "FnOne" {
		t.Errorf("subscriptions: %+v", s)
	}
	if fn := tmpl.Trigger("Pool", "PostConfirmation"); fn != "FnOne" {
		t.Errorf("post-confirmation trigger: %q", fn)
	}
	body := tmpl.Resources["Api"].Properties["Body"].(map[string]any)
	ops, err := stack.Operations(body)
	if err != nil || len(ops) != 1 || ops["getOne"] != "FnOne" {
		t.Errorf("operations: %v %v", ops, err)
	}
	resolved, err := values().Tree(body)
	if err != nil {
		t.Fatal(err)
	}
	uri := resolved.(map[string]any)["paths"].(map[string]any)["/one"].(map[string]any)["get"].(map[string]any)["x-amazon-apigateway-integration"].(map[string]any)["uri"]
	if uri != "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:0:function:one/invocations" {
		t.Errorf("resolved integration URI: %v", uri)
	}
}
