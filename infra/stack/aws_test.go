package stack_test

// The register of AWS rules the stack relies on or works around: each test
// reads the synthesized template as AWS would and names its source. The
// full list, with the tests of the local server that hold the rest, is in
// infra/README.md ("AWS rules").

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"

	"ohcs/infra/stack"
	"ohcs/openapi"
	"ohcs/shared/config"
	"ohcs/shared/operations"
	"ohcs/shared/tables"
)

// functionByPrefix returns the logical id and resource of the function
// whose id is prefix followed by CDK's 8-character hash.
func functionByPrefix(t *testing.T, tpl map[string]any, prefix string) (string, map[string]any) {
	t.Helper()
	for id, fn := range resources(tpl, "AWS::Lambda::Function") {
		if strings.HasPrefix(id, prefix) && len(id) == len(prefix)+8 {
			return id, fn
		}
	}
	t.Fatalf("no function %s", prefix)
	return "", nil
}

func eventPrefix(name string) string { return "Event" + strings.ReplaceAll(name, "-", "") }

// tableOf maps a table's logical id to its logical name.
func tableOf(tpl map[string]any) map[string]string {
	out := map[string]string{}
	for id := range resources(tpl, "AWS::DynamoDB::Table") {
		for _, def := range tables.All() {
			if strings.HasPrefix(id, "Table"+def.Name) && len(id) == len("Table"+def.Name)+8 {
				out[id] = def.Name
			}
		}
	}
	return out
}

type function struct {
	prefix        string
	reads, writes []tables.Table
	extra         []string
	// pages: an operation that takes the Cursor parameter.
	pages bool
}

func allFunctions(t *testing.T) []function {
	reg := operations.All()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []function
	for _, op := range openapi.Operations(doc) {
		o := reg[op.ID]
		f := function{prefix: "Fn" + op.ID, reads: o.Reads, writes: o.Writes, pages: op.Pages}
		if op.Pages {
			f.extra = operations.PagingEnv
		}
		out = append(out, f)
	}
	for _, ef := range stack.EventFunctions {
		if len(ef.Reads)+len(ef.Writes) == 0 {
			continue
		}
		out = append(out, function{prefix: eventPrefix(ef.Name), reads: ef.Reads, writes: ef.Writes, extra: ef.Env})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].prefix < out[j].prefix })
	return out
}

// TestConfigurationComplete: every function gets every variable
// config.Load requires, one table variable per table its code uses
// (referring to that table), and the variables of its event. The event
// functions once got only OHCS_LOG_LEVEL and crashed at cold start.
func TestConfigurationComplete(t *testing.T) {
	tpl, _ := template(t)
	names := tableOf(tpl)
	for _, f := range allFunctions(t) {
		t.Run(f.prefix, func(t *testing.T) {
			_, fn := functionByPrefix(t, tpl, f.prefix)
			env, _ := props(fn)["Environment"].(map[string]any)
			vars, _ := env["Variables"].(map[string]any)
			for _, v := range operations.RequiredEnv(f.reads, f.writes, f.extra...) {
				if vars[v] == nil {
					t.Errorf("no %s", v)
				}
			}
			for _, tb := range append(append([]tables.Table{}, f.reads...), f.writes...) {
				raw, _ := json.Marshal(vars[config.TableEnv(tb.Name)])
				ok := false
				for id, name := range names {
					ok = ok || (name == tb.Name && strings.Contains(string(raw), `"`+id+`"`))
				}
				if !ok {
					t.Errorf("%s = %s does not refer to the %s table", config.TableEnv(tb.Name), raw, tb.Name)
				}
			}
		})
	}
}

// TestGrantsAreTheEnforcedOnes: each function's role allows exactly the
// table actions the local server enforces (operations.Grants), so what
// passes locally is what IAM allows in AWS.
func TestGrantsAreTheEnforcedOnes(t *testing.T) {
	tpl, _ := template(t)
	names := tableOf(tpl)
	policies := resources(tpl, "AWS::IAM::Policy")
	for _, f := range allFunctions(t) {
		t.Run(f.prefix, func(t *testing.T) {
			got := map[string]bool{}
			for id, pol := range policies {
				if !strings.HasPrefix(id, f.prefix+"ServiceRoleDefaultPolicy") {
					continue
				}
				doc := props(pol)["PolicyDocument"].(map[string]any)
				for _, st := range doc["Statement"].([]any) {
					stmt := st.(map[string]any)
					var actions []string
					switch a := stmt["Action"].(type) {
					case string:
						actions = []string{a}
					case []any:
						for _, x := range a {
							actions = append(actions, x.(string))
						}
					}
					raw, _ := json.Marshal(stmt["Resource"])
					for tid, name := range names {
						if !strings.Contains(string(raw), `"`+tid+`"`) {
							continue
						}
						for _, a := range actions {
							if action, ok := strings.CutPrefix(a, "dynamodb:"); ok {
								got[name+" "+action] = true
							}
						}
					}
				}
			}
			want := map[string]bool{}
			for _, tb := range f.reads {
				for _, a := range operations.ReadActions {
					want[tb.Name+" "+a] = true
				}
			}
			for _, tb := range f.writes {
				for _, a := range operations.WriteActions {
					want[tb.Name+" "+a] = true
				}
			}
			for k := range want {
				if !got[k] {
					t.Errorf("not granted: %s", k)
				}
			}
			for k := range got {
				if !want[k] {
					t.Errorf("granted beyond what the function declares: %s", k)
				}
			}
		})
	}
}

// restBody returns the API body the stack uploads.
func restBody(t *testing.T, tpl map[string]any) map[string]any {
	t.Helper()
	for _, api := range resources(tpl, "AWS::ApiGateway::RestApi") {
		if b, ok := props(api)["Body"].(map[string]any); ok {
			return b
		}
	}
	t.Fatal("no REST API with an inline body")
	return nil
}

// TestUploadedBodySecuresEveryOperation: API Gateway's REST import ignores
// root-level security (API Gateway developer guide, "Amazon API Gateway
// important notes for REST APIs"): every operation that is not public
// carries the authorizer and its scope in the body itself.
func TestUploadedBodySecuresEveryOperation(t *testing.T) {
	tpl, _ := template(t)
	body := restBody(t, tpl)
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	paths := body["paths"].(map[string]any)
	for _, op := range openapi.Operations(doc) {
		o := paths[op.Path].(map[string]any)[strings.ToLower(op.Method)].(map[string]any)
		raw, _ := json.Marshal(o["security"])
		switch {
		case op.Public && string(raw) != "[]":
			t.Errorf("%s is public but has security %s", op.ID, raw)
		case !op.Public && string(raw) != `[{"cognito":["ohcs/api"]}]`:
			t.Errorf("%s: operation-level security %s; want the Cognito authorizer with ohcs/api", op.ID, raw)
		}
	}
}

// TestUploadedGatewayResponsesAreProblems renders every gateway response
// of the uploaded body as AWS substitutes its variables: valid
// problem+json, and 404 for an unknown route (AWS's default is 403
// "Missing Authentication Token").
func TestUploadedGatewayResponsesAreProblems(t *testing.T) {
	tpl, _ := template(t)
	body := restBody(t, tpl)
	for _, typ := range openapi.GatewayResponseTypes() {
		r, err := openapi.RenderGatewayResponse(body, openapi.Error{Type: typ, Message: "Missing required request parameters: [limit]",
			ValidationError: `[object has missing required properties (["slotId"])]`, RequestID: "r-1"})
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		var p map[string]any
		if err := json.Unmarshal(r.Body, &p); err != nil {
			t.Errorf("%s renders invalid JSON %s: %v", typ, r.Body, err)
			continue
		}
		if p["status"] != float64(r.Status) || r.Headers["Content-Type"] != "application/problem+json" {
			t.Errorf("%s: status %v in a %d answer of type %q", typ, p["status"], r.Status, r.Headers["Content-Type"])
		}
	}
	if r, _ := openapi.RenderGatewayResponse(body, openapi.Error{Type: "MISSING_AUTHENTICATION_TOKEN", Message: "Missing Authentication Token"}); r.Status != 404 {
		t.Errorf("an unknown route answers %d; want 404", r.Status)
	}
}

// TestFirewallAllowsDocumentBodies: the Common Rule Set's
// SizeRestrictions_BODY blocks bodies over 8 KB (AWS WAF developer guide,
// "Core rule set (CRS) managed rule group"); the document allows 100 KiB
// articles, so that rule only counts.
func TestFirewallAllowsDocumentBodies(t *testing.T) {
	tpl, _ := template(t)
	for _, acl := range resources(tpl, "AWS::WAFv2::WebACL") {
		for _, r := range props(acl)["Rules"].([]any) {
			rule := r.(map[string]any)
			if rule["Name"] != "AWSManagedRulesCommonRuleSet" {
				continue
			}
			raw, _ := json.Marshal(rule["Statement"])
			if !strings.Contains(string(raw), `{"ActionToUse":{"Count":{}},"Name":"SizeRestrictions_BODY"}`) {
				t.Errorf("SizeRestrictions_BODY still blocks: %s", raw)
			}
			return
		}
	}
	t.Error("no Common Rule Set in the web ACL")
}

// TestAsyncFunctionsKeepFailures: Lambda retries an asynchronous event
// twice and then drops it unless the function has a dead-letter queue or
// an on-failure destination (AWS Lambda developer guide, "Asynchronous
// invocation"); every function invoked by EventBridge or SNS has one.
// Services that send to encrypted queues and topics need the key: SNS
// (subscription dead letters) and CloudWatch (alarms) are in its policy.
func TestAsyncFunctionsKeepFailures(t *testing.T) {
	tpl, _ := template(t)
	for _, ef := range stack.EventFunctions {
		_, fn := functionByPrefix(t, tpl, eventPrefix(ef.Name))
		_, has := props(fn)["DeadLetterConfig"]
		if ef.Async != has {
			t.Errorf("%s: asynchronous %v, dead-letter queue %v", ef.Name, ef.Async, has)
		}
	}
	for _, perm := range resources(tpl, "AWS::Lambda::Permission") {
		p := props(perm)
		target, _ := json.Marshal(p["FunctionName"])
		principal, _ := p["Principal"].(string)
		if principal == "sns.amazonaws.com" || principal == "events.amazonaws.com" {
			ok := false
			for _, ef := range stack.EventFunctions {
				ok = ok || (ef.Async && strings.Contains(string(target), eventPrefix(ef.Name)))
			}
			if !ok {
				t.Errorf("%s invokes %s asynchronously, which is not declared Async", principal, target)
			}
		}
	}
	for _, key := range resources(tpl, "AWS::KMS::Key") {
		raw, _ := json.Marshal(props(key)["KeyPolicy"])
		for _, svc := range []string{"sns.amazonaws.com", "cloudwatch.amazonaws.com"} {
			if !strings.Contains(string(raw), `"Service":"`+svc+`"`) {
				t.Errorf("the data key's policy does not let %s encrypt", svc)
			}
		}
	}
}

// TestTokenPath: people get access tokens with the ohcs/api scope from the
// managed login (authorization code with PKCE, a public client), machines
// from client credentials; no client offers a flow whose tokens lack the
// scope every method requires.
func TestTokenPath(t *testing.T) {
	tpl, _ := template(t)
	if len(resources(tpl, "AWS::Cognito::UserPoolDomain")) != 1 {
		t.Error("no user pool domain: the OAuth endpoints that issue scoped tokens need one")
	}
	var flows []string
	for id, c := range resources(tpl, "AWS::Cognito::UserPoolClient") {
		p := props(c)
		oauth := toStrings(p["AllowedOAuthFlows"])
		flows = append(flows, oauth...)
		scopes, _ := json.Marshal(p["AllowedOAuthScopes"])
		if !strings.Contains(string(scopes), "/api") {
			t.Errorf("%s: scopes %s lack ohcs/api", id, scopes)
		}
		explicit := toStrings(p["ExplicitAuthFlows"])
		for _, f := range explicit {
			if f != "ALLOW_REFRESH_TOKEN_AUTH" {
				t.Errorf("%s allows %s, whose tokens carry no custom scope", id, f)
			}
		}
		switch {
		case slices.Equal(oauth, []string{"code"}):
			if p["GenerateSecret"] == true {
				t.Errorf("%s: the PKCE app client has a secret an app cannot keep", id)
			}
			if len(toStrings(p["CallbackURLs"])) == 0 {
				t.Errorf("%s: no callback URLs", id)
			}
		case slices.Equal(oauth, []string{"client_credentials"}):
			if p["GenerateSecret"] != true {
				t.Errorf("%s: a client-credentials client without a secret", id)
			}
		default:
			t.Errorf("%s: OAuth flows %v", id, oauth)
		}
	}
	sort.Strings(flows)
	if !slices.Equal(flows, []string{"client_credentials", "code"}) {
		t.Errorf("clients' flows: %v; want one code (PKCE) and one client_credentials client", flows)
	}
}

// TestGoingLive: the DKIM records to publish are stack outputs, and a
// stack still on the example mail domain warns at synth.
func TestGoingLive(t *testing.T) {
	tpl, _ := template(t)
	outputs := tpl["Outputs"].(map[string]any)
	for _, k := range []string{"DkimRecord1", "DkimRecord2", "DkimRecord3", "AppClientId", "MachineClientId", "AuthDomain", "ApiUrl"} {
		if outputs[k] == nil {
			t.Errorf("no output %s", k)
		}
	}
	if !slices.ContainsFunc(synthesized.warnings, func(w string) bool { return strings.Contains(w, "ohcs:emailDomain is still") }) {
		t.Errorf("no warning about the example mail domain: %v", synthesized.warnings)
	}
}

// TestNoSecretInConfiguration: no function's configuration holds a secret
// (a dynamic reference would put the cursor key's value in the function's
// variables, readable by anyone who may read its configuration); the
// function of each operation that pages gets the secret's ARN and may read
// that secret, once, when it first pages (AWS Lambda developer guide,
// "Securing environment variables"; AWS CloudFormation user guide, "Get
// values stored in other services using dynamic references"). A function
// that pages nothing (the other operations, the event functions) gets
// neither the ARN nor the right to read the secret.
func TestNoSecretInConfiguration(t *testing.T) {
	tpl, _ := template(t)
	policies := resources(tpl, "AWS::IAM::Policy")
	for _, f := range allFunctions(t) {
		t.Run(f.prefix, func(t *testing.T) {
			_, fn := functionByPrefix(t, tpl, f.prefix)
			raw, _ := json.Marshal(props(fn)["Environment"])
			if strings.Contains(string(raw), "{{resolve:") || strings.Contains(string(raw), config.EnvCursorKey+`"`) {
				t.Errorf("a secret in the function's variables: %s", raw)
			}
			env, _ := props(fn)["Environment"].(map[string]any)
			vars, _ := env["Variables"].(map[string]any)
			if len(f.reads)+len(f.writes) == 0 {
				return
			}
			if !f.pages {
				if vars[config.EnvCursorSecretARN] != nil {
					t.Errorf("a function that pages nothing gets %s", config.EnvCursorSecretARN)
				}
				for id, pol := range policies {
					doc, _ := json.Marshal(props(pol)["PolicyDocument"])
					if strings.HasPrefix(id, f.prefix+"ServiceRoleDefaultPolicy") && strings.Contains(string(doc), "secretsmanager:") {
						t.Errorf("a function that pages nothing may use Secrets Manager: %s", doc)
					}
				}
				return
			}
			arn, _ := json.Marshal(vars[config.EnvCursorSecretARN])
			if !strings.Contains(string(arn), `"Ref"`) {
				t.Fatalf("%s = %s; want the secret's ARN", config.EnvCursorSecretARN, arn)
			}
			granted := false
			for id, pol := range policies {
				if !strings.HasPrefix(id, f.prefix+"ServiceRoleDefaultPolicy") {
					continue
				}
				doc, _ := json.Marshal(props(pol)["PolicyDocument"])
				granted = granted || (strings.Contains(string(doc), "secretsmanager:GetSecretValue") && strings.Contains(string(doc), string(arn)))
			}
			if !granted {
				t.Errorf("the function may not read the secret %s", arn)
			}
		})
	}
}

// TestFirewallSwitch: the web ACL, its association and its logging are on
// by default; ohcs:waf=false (as -c gives it, a string, or as cdk.json
// does, a boolean) synthesizes none of them and no cdk-nag error, its
// finding accepted with the reason README.md gives.
func TestFirewallSwitch(t *testing.T) {
	on, _ := template(t)
	wafTypes := []string{"AWS::WAFv2::WebACL", "AWS::WAFv2::WebACLAssociation", "AWS::WAFv2::LoggingConfiguration"}
	for _, typ := range wafTypes {
		if len(resources(on, typ)) != 1 {
			t.Errorf("by default: %d %s; want 1", len(resources(on, typ)), typ)
		}
	}
	for _, off := range []any{"false", false} {
		tpl, errs, _, err := synth(map[string]any{"ohcs:waf": off})
		if err != nil {
			t.Fatal(err)
		}
		for _, typ := range wafTypes {
			if n := len(resources(tpl, typ)); n != 0 {
				t.Errorf("ohcs:waf=%v: %d %s; want none", off, n, typ)
			}
		}
		if len(errs) > 0 {
			t.Errorf("ohcs:waf=%v: cdk-nag errors:\n%s", off, strings.Join(errs, "\n"))
		}
		if len(resources(tpl, "AWS::ApiGateway::Stage")) != 1 {
			t.Errorf("ohcs:waf=%v: the API has no stage", off)
		}
	}
}
