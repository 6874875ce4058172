package stack_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"ohcs/infra/stack"
	"ohcs/openapi"
	"ohcs/shared/notification"
	"ohcs/shared/tables"
)

// synthesized is the template of the whole stack, synthesized once for
// every test of the package (starting jsii's node process is the slow part).
var synthesized struct {
	once     sync.Once
	template map[string]any
	errors   []string
	warnings []string
	err      error
}

func template(t *testing.T) (map[string]any, []string) {
	t.Helper()
	synthesized.once.Do(func() {
		synthesized.template, synthesized.errors, synthesized.warnings, synthesized.err = synth(nil)
	})
	if synthesized.err != nil {
		t.Fatal(synthesized.err)
	}
	return synthesized.template, synthesized.errors
}

// synth synthesizes the stack with the CDK context given, over stand-in
// function code, and returns its template and cdk-nag's errors and
// warnings.
func synth(cdkContext map[string]any) (tpl map[string]any, errs, warnings []string, err error) {
	dir, err := os.MkdirTemp("", "ohcs-build-")
	if err != nil {
		return nil, nil, nil, err
	}
	defer os.RemoveAll(dir)
	doc, err := openapi.Load(context.Background())
	if err != nil {
		return nil, nil, nil, err
	}
	// Stand-in function code: the stack only packages the folders.
	for _, op := range openapi.Operations(doc) {
		fn := filepath.Join(dir, stack.FunctionDir(op.ID))
		_ = os.MkdirAll(fn, 0o755)
		_ = os.WriteFile(filepath.Join(fn, "bootstrap"), []byte(op.ID), 0o755)
	}
	for _, ef := range stack.EventFunctions {
		_ = os.MkdirAll(filepath.Join(dir, ef.Name), 0o755)
		_ = os.WriteFile(filepath.Join(dir, ef.Name, "bootstrap"), []byte(ef.Name), 0o755)
	}
	var appProps *awscdk.AppProps
	if cdkContext != nil {
		appProps = &awscdk.AppProps{Context: &cdkContext}
	}
	app := awscdk.NewApp(appProps)
	props := stack.PropsFromContext(app)
	props.BuildDir = dir
	s := stack.New(app, "Test", props)
	stack.CheckCompliance(app)
	out := assertions.Template_FromStack(s.Stack, nil)
	raw, _ := json.Marshal(out.ToJSON())
	_ = json.Unmarshal(raw, &tpl)
	for _, m := range *assertions.Annotations_FromStack(s.Stack).FindWarning(jsii.String("*"), assertions.Match_AnyValue()) {
		warnings = append(warnings, fmt.Sprintf("%s: %v", *m.Id, m.Entry.Data))
	}
	for _, m := range *assertions.Annotations_FromStack(s.Stack).FindError(jsii.String("*"), assertions.Match_AnyValue()) {
		errs = append(errs, fmt.Sprintf("%s: %v", *m.Id, m.Entry.Data))
	}
	return tpl, errs, warnings, nil
}

func resources(tpl map[string]any, typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range tpl["Resources"].(map[string]any) {
		res := r.(map[string]any)
		if res["Type"] == typ {
			out[id] = res
		}
	}
	return out
}

func props(r map[string]any) map[string]any { return r["Properties"].(map[string]any) }

func TestNoUnsuppressedFindings(t *testing.T) {
	_, errs := template(t)
	if len(errs) > 0 {
		t.Errorf("cdk-nag errors:\n%s", strings.Join(errs, "\n"))
	}
}

// TestOneFunctionPerOperation checks the functions against the document:
// one per operation, each invocable by its own route only.
func TestOneFunctionPerOperation(t *testing.T) {
	tpl, _ := template(t)
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ops := openapi.Operations(doc)
	fns := resources(tpl, "AWS::Lambda::Function")
	if len(fns) != len(ops)+len(stack.EventFunctions) {
		t.Errorf("functions: got %d; want %d, one per operation and event function", len(fns), len(ops)+len(stack.EventFunctions))
	}
	for _, ef := range stack.EventFunctions {
		found := false
		for id := range fns {
			found = found || strings.HasPrefix(id, "Event"+strings.ReplaceAll(ef.Name, "-", ""))
		}
		if !found {
			t.Errorf("no function for the event function %s", ef.Name)
		}
	}
	perms := resources(tpl, "AWS::Lambda::Permission")
	for _, op := range ops {
		t.Run(op.ID, func(t *testing.T) {
			var fnID string
			for id, fn := range fns {
				p := props(fn)
				// The logical id is Fn<operation><8-character hash>: getMe
				// must not match getMedicalKnowledge's.
				if strings.HasPrefix(id, "Fn"+op.ID) && len(id) == len("Fn"+op.ID)+8 {
					fnID = id
					if p["Runtime"] != "provided.al2023" || p["Handler"] != "bootstrap" ||
						!slices.Equal(toStrings(p["Architectures"]), []string{"arm64"}) {
						t.Errorf("function: got runtime %v, handler %v, architectures %v", p["Runtime"], p["Handler"], p["Architectures"])
					}
					if tracing, _ := p["TracingConfig"].(map[string]any); tracing["Mode"] != "Active" {
						t.Errorf("tracing: got %v", p["TracingConfig"])
					}
				}
			}
			if fnID == "" {
				t.Fatalf("no function")
			}
			route := regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(op.Path, "*")
			want := "/" + stack.StageName + "/" + strings.ToUpper(op.Method) + route
			var got []string
			for _, perm := range perms {
				p := props(perm)
				target, _ := json.Marshal(p["FunctionName"])
				if !strings.Contains(string(target), fnID) {
					continue
				}
				arn, _ := json.Marshal(p["SourceArn"])
				got = append(got, string(arn))
			}
			if len(got) != 1 || !strings.Contains(got[0], `"`+want+`"`) {
				t.Errorf("invoke permissions: got %v; want one for %s", got, want)
			}
		})
	}
}

func TestTablesAreProtected(t *testing.T) {
	tpl, _ := template(t)
	tbls := resources(tpl, "AWS::DynamoDB::Table")
	if len(tbls) != len(tables.All()) {
		t.Errorf("tables: got %d; want %d", len(tbls), len(tables.All()))
	}
	for id, tbl := range tbls {
		p := props(tbl)
		pitr, _ := p["PointInTimeRecoverySpecification"].(map[string]any)
		sse, _ := p["SSESpecification"].(map[string]any)
		if pitr["PointInTimeRecoveryEnabled"] != true {
			t.Errorf("%s: no point-in-time recovery", id)
		}
		if sse["SSEEnabled"] != true || sse["SSEType"] != "KMS" || sse["KMSMasterKeyId"] == nil {
			t.Errorf("%s: not encrypted with the customer-managed key: %v", id, sse)
		}
		if p["DeletionProtectionEnabled"] != true || tbl["DeletionPolicy"] != "Retain" {
			t.Errorf("%s: not protected from deletion", id)
		}
		if p["BillingMode"] != "PAY_PER_REQUEST" {
			t.Errorf("%s: not on demand", id)
		}
	}
	keys := resources(tpl, "AWS::KMS::Key")
	for id, k := range keys {
		if props(k)["EnableKeyRotation"] != true {
			t.Errorf("%s: key rotation off", id)
		}
	}
}

// TestLeastPrivilege reads the policies of representative functions: a
// reader cannot write, and nobody touches a table its operation does not
// use.
func TestLeastPrivilege(t *testing.T) {
	tpl, _ := template(t)
	tableIDs := map[string]string{}
	for id := range resources(tpl, "AWS::DynamoDB::Table") {
		for _, def := range tables.All() {
			if strings.HasPrefix(id, "Table"+def.Name) {
				tableIDs[def.Name] = id
			}
		}
	}
	policyOf := func(op string) string {
		for id, pol := range resources(tpl, "AWS::IAM::Policy") {
			if strings.HasPrefix(id, "Fn"+op+"ServiceRoleDefaultPolicy") {
				raw, _ := json.Marshal(props(pol)["PolicyDocument"])
				return string(raw)
			}
		}
		t.Fatalf("no policy for %s", op)
		return ""
	}
	if len(tableIDs) != len(tables.All()) {
		t.Fatalf("tables found: %v", tableIDs)
	}
	// No function may scan a table or manage one: a scan reads every
	// person's data, and a function has no business changing a table.
	for id, pol := range resources(tpl, "AWS::IAM::Policy") {
		raw, _ := json.Marshal(props(pol)["PolicyDocument"])
		for _, action := range []string{"dynamodb:Scan", "dynamodb:DeleteTable", "dynamodb:UpdateTable", `"dynamodb:*"`} {
			if strings.Contains(string(raw), action) {
				t.Errorf("%s allows %s", id, action)
			}
		}
	}
	for _, tc := range []struct {
		op          string
		write       bool
		tables      []string
		otherTables []string
	}{
		{"getPractitioner", false, []string{"practitioners"}, []string{"idempotency"}},
		{"findPractitioners", false, []string{"practitioners"}, []string{"idempotency"}},
		{"createPractitionerProfile", true, []string{"practitioners"}, []string{"idempotency"}},
	} {
		t.Run(tc.op, func(t *testing.T) {
			pol := policyOf(tc.op)
			for _, name := range tc.tables {
				if !strings.Contains(pol, tableIDs[name]) {
					t.Errorf("no access to %s", name)
				}
			}
			for _, name := range tc.otherTables {
				if strings.Contains(pol, tableIDs[name]) {
					t.Errorf("access to %s, which %s does not use", name, tc.op)
				}
			}
			writes := strings.Contains(pol, "dynamodb:PutItem") || strings.Contains(pol, "dynamodb:DeleteItem")
			if writes != tc.write {
				t.Errorf("can write: got %v; want %v", writes, tc.write)
			}
			if strings.Contains(pol, `"dynamodb:*"`) {
				t.Errorf("a wildcard DynamoDB action: %s", pol)
			}
		})
	}
}

// TestResourceBudget keeps the stack under CloudFormation's 500 resources
// as the API grows to about 60 operations.
func TestResourceBudget(t *testing.T) {
	tpl, _ := template(t)
	all := tpl["Resources"].(map[string]any)
	fns := map[string]map[string]any{}
	for id, fn := range resources(tpl, "AWS::Lambda::Function") {
		if strings.HasPrefix(id, "Fn") {
			fns[id] = fn
		}
	}
	perFunction := 0
	for id := range all {
		for fn := range fns {
			op := strings.TrimPrefix(fn, "Fn")
			op = op[:len(op)-8] // the logical id's hash
			if strings.HasPrefix(id, "Fn"+op) || strings.HasPrefix(id, "Logs"+op) {
				perFunction++
				break
			}
		}
	}
	per := float64(perFunction) / float64(len(fns))
	base := len(all) - perFunction
	projected := base + int(per*60+0.5)
	t.Logf("%d resources: %d base + %.1f per function; 60 operations would make %d", len(all), base, per, projected)
	if projected > 450 {
		t.Errorf("60 operations would need %d resources; split the stack before CloudFormation's 500", projected)
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// TestSelfSignUp checks that the pool's post-confirmation trigger is the
// sign-up function and that it may add users to groups, nothing else.
func TestSelfSignUp(t *testing.T) {
	tpl, _ := template(t)
	for _, pool := range resources(tpl, "AWS::Cognito::UserPool") {
		cfg, _ := json.Marshal(props(pool)["LambdaConfig"])
		if !strings.Contains(string(cfg), "PostConfirmation") || !strings.Contains(string(cfg), "Eventassignsignuprole") {
			t.Errorf("post-confirmation trigger: got %s", cfg)
		}
		schema, _ := json.Marshal(props(pool)["Schema"])
		if !strings.Contains(string(schema), `"Name":"role"`) {
			t.Errorf("no custom:role attribute: %s", schema)
		}
	}
	for id, pol := range resources(tpl, "AWS::IAM::Policy") {
		if strings.HasPrefix(id, "AssignSignupRolePolicy") {
			doc, _ := json.Marshal(props(pol)["PolicyDocument"])
			if !strings.Contains(string(doc), "cognito-idp:AdminAddUserToGroup") || strings.Contains(string(doc), "dynamodb") {
				t.Errorf("sign-up policy: %s", doc)
			}
		}
	}
}

// TestTemplateSize keeps the template well under CloudFormation's 1 MB as
// the API grows: written without indentation, as the stack asks.
func TestTemplateSize(t *testing.T) {
	tpl, _ := template(t)
	raw, err := json.Marshal(tpl)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("template: %d bytes", len(raw))
	if len(raw) > 850_000 {
		t.Errorf("the template is %d bytes; CloudFormation refuses over 1,000,000: split the stack", len(raw))
	}
}

// TestDeliveryLeaseOutlastsTheFunction: a delivery claim goes stale only
// after the function that made it has timed out, so a retry never sends
// beside a sender still running.
func TestDeliveryLeaseOutlastsTheFunction(t *testing.T) {
	tpl, _ := template(t)
	for id, fn := range resources(tpl, "AWS::Lambda::Function") {
		if !strings.HasPrefix(id, "Eventdelivernotifications") {
			continue
		}
		timeout := time.Duration(props(fn)["Timeout"].(float64)) * time.Second
		if timeout < 10*time.Second || 2*timeout > notification.DefaultLease {
			t.Errorf("deliver-notifications times out after %v; the claim lease is %v", timeout, notification.DefaultLease)
		}
		return
	}
	t.Fatal("no deliver-notifications function")
}

// TestRouteLimits: the abuse-prone routes are throttled at the stage and
// per source address by WAF (429), mirroring the functions' limits.
func TestRouteLimits(t *testing.T) {
	tpl, _ := template(t)
	var settings []any
	for _, st := range resources(tpl, "AWS::ApiGateway::Stage") {
		settings, _ = props(st)["MethodSettings"].([]any)
	}
	acls := resources(tpl, "AWS::WAFv2::WebACL")
	var rules []any
	for _, acl := range acls {
		rules, _ = props(acl)["Rules"].([]any)
	}
	for _, l := range stack.RouteLimits {
		throttled := false
		for _, s := range settings {
			m := s.(map[string]any)
			if m["HttpMethod"] == l.Method && m["ResourcePath"] == "/"+strings.ReplaceAll(l.Path, "/", "~1") &&
				m["ThrottlingRateLimit"] == l.Rate && m["ThrottlingBurstLimit"] == l.Burst {
				throttled = true
			}
		}
		if !throttled {
			t.Errorf("%s %s: no stage throttle in %v", l.Method, l.Path, settings)
		}
		found := false
		for _, r := range rules {
			m := r.(map[string]any)
			if m["Name"] != "Rate"+l.Name {
				continue
			}
			found = true
			rate := m["Statement"].(map[string]any)["RateBasedStatement"].(map[string]any)
			if rate["Limit"] != l.PerAddress() || rate["AggregateKeyType"] != "IP" || !strings.Contains(fmt.Sprint(rate["ScopeDownStatement"]), "/"+stack.StageName+l.Path) {
				t.Errorf("%s: WAF rule %v", l.Name, rate)
			}
			if resp := fmt.Sprint(m["Action"]); !strings.Contains(resp, "429") {
				t.Errorf("%s: WAF answers %s; want 429", l.Name, resp)
			}
		}
		if !found {
			t.Errorf("no WAF rule Rate%s", l.Name)
		}
		// The edge never refuses what the function would allow to the
		// people behind one address.
		if l.PerAddress() < float64(l.Rule.Limit) {
			t.Errorf("%s: %v per address is under one person's %d", l.Name, l.PerAddress(), l.Rule.Limit)
		}
	}
}
