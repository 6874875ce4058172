// Package stack reads the synthesized CloudFormation template (cdk.out) as
// AWS would deploy it, for the template-driven Lambda mode: the functions
// with exactly the environment the template gives them, the API body with
// its integrations, the IAM statements of each function's role, the tables
// with their keys and indexes, the schedule rules, the topic subscriptions
// and the user pool's triggers. References to resources resolve to the
// local equivalents the caller names (Values); a reference nobody resolves
// is an error, so that a template the local server cannot honour fails at
// start rather than quietly differing from AWS.
package stack

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
)

// Template is a CloudFormation template.
type Template struct {
	Resources map[string]Resource `json:"Resources"`
}

// Resource is one resource of a template.
type Resource struct {
	Type       string         `json:"Type"`
	Properties map[string]any `json:"Properties"`
	Metadata   map[string]any `json:"Metadata"`
}

// Load reads a template file.
func Load(file string) (*Template, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var t Template
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, fmt.Errorf("template %s: %w", file, err)
	}
	return &t, nil
}

// OfType returns the logical ids of the resources of a type, sorted.
func (t *Template) OfType(typ string) []string {
	var out []string
	for id, r := range t.Resources {
		if r.Type == typ {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// Values resolves the template's references to local equivalents.
type Values struct {
	// Pseudo holds the pseudo parameters (AWS::Region, AWS::AccountId...).
	Pseudo map[string]string
	// Refs maps a logical id to what Ref returns for it.
	Refs map[string]string
	// Atts maps "LogicalId.Attribute" to what Fn::GetAtt returns.
	Atts map[string]string
	// Secrets maps a secret's ARN (its Ref) to its value, for the
	// {{resolve:secretsmanager:...}} dynamic references.
	Secrets map[string]string
}

var dynamicSecret = regexp.MustCompile(`\{\{resolve:secretsmanager:([^:}]+(?::[^:}]+)*?):SecretString:([^:}]*):([^:}]*):([^:}]*)\}\}`)

// String resolves v to a string: a literal, Ref, Fn::GetAtt, Fn::Join or
// Fn::Sub, with dynamic secret references replaced by the secret's value
// as CloudFormation does at deploy time.
func (vs Values) String(v any) (string, error) {
	s, err := vs.str(v)
	if err != nil {
		return "", err
	}
	var missing error
	s = dynamicSecret.ReplaceAllStringFunc(s, func(m string) string {
		arn := dynamicSecret.FindStringSubmatch(m)[1]
		val, ok := vs.Secrets[arn]
		if !ok {
			missing = fmt.Errorf("no local value for the secret %s", arn)
		}
		return val
	})
	return s, missing
}

func (vs Values) str(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case float64, bool:
		return fmt.Sprint(x), nil
	case map[string]any:
		if len(x) != 1 {
			return "", fmt.Errorf("not an intrinsic function: %v", x)
		}
		for fn, arg := range x {
			switch fn {
			case "Ref":
				name, _ := arg.(string)
				if p, ok := vs.Pseudo[name]; ok {
					return p, nil
				}
				if r, ok := vs.Refs[name]; ok {
					return r, nil
				}
				return "", fmt.Errorf("no local value for Ref %s", name)
			case "Fn::GetAtt":
				parts, _ := arg.([]any)
				if len(parts) != 2 {
					return "", fmt.Errorf("Fn::GetAtt %v", arg)
				}
				key := fmt.Sprintf("%v.%v", parts[0], parts[1])
				if a, ok := vs.Atts[key]; ok {
					return a, nil
				}
				return "", fmt.Errorf("no local value for Fn::GetAtt %s", key)
			case "Fn::Join":
				parts, _ := arg.([]any)
				if len(parts) != 2 {
					return "", fmt.Errorf("Fn::Join %v", arg)
				}
				sep, _ := parts[0].(string)
				list, _ := parts[1].([]any)
				out := make([]string, len(list))
				for i, p := range list {
					s, err := vs.str(p)
					if err != nil {
						return "", err
					}
					out[i] = s
				}
				return strings.Join(out, sep), nil
			case "Fn::Sub":
				tmpl, ok := arg.(string)
				if !ok {
					return "", fmt.Errorf("Fn::Sub with variables is not supported: %v", arg)
				}
				var err error
				out := regexp.MustCompile(`\$\{([^}]+)\}`).ReplaceAllStringFunc(tmpl, func(m string) string {
					name := m[2 : len(m)-1]
					var s string
					var e error
					if id, att, ok := strings.Cut(name, "."); ok {
						s, e = vs.str(map[string]any{"Fn::GetAtt": []any{id, att}})
					} else {
						s, e = vs.str(map[string]any{"Ref": name})
					}
					if e != nil {
						err = e
					}
					return s
				})
				return out, err
			}
			return "", fmt.Errorf("intrinsic function %s is not supported locally", fn)
		}
	}
	return "", fmt.Errorf("not a string value: %v", v)
}

// Tree resolves every intrinsic function inside v (maps and lists kept),
// for the API body.
func (vs Values) Tree(v any) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 1 {
			for k := range x {
				if k == "Ref" || strings.HasPrefix(k, "Fn::") {
					return vs.String(x)
				}
			}
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			r, err := vs.Tree(e)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			out[k] = r
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			r, err := vs.Tree(e)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	}
	return v, nil
}

// Statement is one Allow statement of an IAM policy, resolved.
type Statement struct {
	Actions   []string
	Resources []string
}

// Allows reports whether the statement allows action on resource, with
// IAM's wildcards (* and ?) in both.
func (st Statement) Allows(action, resource string) bool {
	match := func(patterns []string, s string, fold bool) bool {
		for _, p := range patterns {
			if fold {
				p, s = strings.ToLower(p), strings.ToLower(s)
			}
			// path.Match treats / as a separator; IAM's * crosses it.
			if ok, _ := path.Match(strings.ReplaceAll(p, "/", "\x00"), strings.ReplaceAll(s, "/", "\x00")); ok {
				return true
			}
		}
		return false
	}
	return match(st.Actions, action, true) && match(st.Resources, resource, false)
}

// list reads a string or a list of strings.
func (vs Values) list(v any) ([]string, error) {
	if l, ok := v.([]any); ok {
		out := make([]string, 0, len(l))
		for _, e := range l {
			s, err := vs.String(e)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	}
	s, err := vs.String(v)
	return []string{s}, err
}

// RoleStatements returns the Allow statements of every AWS::IAM::Policy
// attached to the role (a logical id). Managed policies attached to the
// role (such as the basic execution role's logging) grant nothing the
// local server checks.
func (t *Template) RoleStatements(role string, vs Values) ([]Statement, error) {
	var out []Statement
	for _, id := range t.OfType("AWS::IAM::Policy") {
		p := t.Resources[id].Properties
		attached := false
		roles, _ := p["Roles"].([]any)
		for _, r := range roles {
			if m, ok := r.(map[string]any); ok && m["Ref"] == role {
				attached = true
			}
		}
		if !attached {
			continue
		}
		doc, _ := p["PolicyDocument"].(map[string]any)
		stmts, _ := doc["Statement"].([]any)
		for _, s := range stmts {
			m, _ := s.(map[string]any)
			if m["Effect"] != "Allow" {
				return nil, fmt.Errorf("policy %s: only Allow statements are understood locally", id)
			}
			actions, err := vs.list(m["Action"])
			if err != nil {
				return nil, fmt.Errorf("policy %s: %w", id, err)
			}
			resources, err := vs.list(m["Resource"])
			if err != nil {
				return nil, fmt.Errorf("policy %s: %w", id, err)
			}
			out = append(out, Statement{Actions: actions, Resources: resources})
		}
	}
	return out, nil
}

// Function is one AWS::Lambda::Function of the template.
type Function struct {
	ID string
	// Source is the function's code folder (functions/<op> or
	// events/<name>), from the ohcs:source metadata the stack writes.
	Source string
	// Asset is the code's folder inside the cloud assembly.
	Asset string
	// Env is the environment the template sets, resolved.
	Env map[string]string
	// Role is the logical id of the function's execution role.
	Role           string
	TimeoutSeconds int
	MemoryMB       int
}

// Function reads the function of a logical id.
func (t *Template) Function(id string, vs Values) (*Function, error) {
	r, ok := t.Resources[id]
	if !ok || r.Type != "AWS::Lambda::Function" {
		return nil, fmt.Errorf("no function %s in the template", id)
	}
	fn := &Function{ID: id, Env: map[string]string{}, TimeoutSeconds: 3, MemoryMB: 128}
	fn.Source, _ = r.Metadata["ohcs:source"].(string)
	fn.Asset, _ = r.Metadata["aws:asset:path"].(string)
	if fn.Source == "" {
		return nil, fmt.Errorf("function %s has no ohcs:source metadata: synthesize the stack again", id)
	}
	if env, ok := r.Properties["Environment"].(map[string]any); ok {
		vars, _ := env["Variables"].(map[string]any)
		for k, v := range vars {
			s, err := vs.String(v)
			if err != nil {
				return nil, fmt.Errorf("function %s, variable %s: %w", id, k, err)
			}
			fn.Env[k] = s
		}
	}
	if role, ok := r.Properties["Role"].(map[string]any); ok {
		if att, ok := role["Fn::GetAtt"].([]any); ok && len(att) == 2 {
			fn.Role, _ = att[0].(string)
		}
	}
	if v, ok := r.Properties["Timeout"].(float64); ok {
		fn.TimeoutSeconds = int(v)
	}
	if v, ok := r.Properties["MemorySize"].(float64); ok {
		fn.MemoryMB = int(v)
	}
	return fn, nil
}

// TargetFunction returns the logical id of the function a Fn::GetAtt
// [Function, Arn] names, or "".
func TargetFunction(v any) string {
	m, _ := v.(map[string]any)
	att, _ := m["Fn::GetAtt"].([]any)
	if len(att) == 2 && att[1] == "Arn" {
		id, _ := att[0].(string)
		return id
	}
	return ""
}

// Schedule is an EventBridge rule that invokes a function on a schedule.
type Schedule struct {
	Rule, Expression, Function string
}

// Schedules returns the template's enabled schedule rules.
func (t *Template) Schedules() []Schedule {
	var out []Schedule
	for _, id := range t.OfType("AWS::Events::Rule") {
		p := t.Resources[id].Properties
		expr, _ := p["ScheduleExpression"].(string)
		if expr == "" || (p["State"] != nil && p["State"] != "ENABLED") {
			continue
		}
		targets, _ := p["Targets"].([]any)
		for _, tg := range targets {
			m, _ := tg.(map[string]any)
			if fn := TargetFunction(m["Arn"]); fn != "" {
				out = append(out, Schedule{Rule: id, Expression: expr, Function: fn})
			}
		}
	}
	return out
}

// Subscription is a topic's Lambda subscription.
type Subscription struct {
	ID, Topic, Function string
}

// Subscriptions returns the Lambda subscriptions of the template's topics
// (Topic is the topic's logical id).
func (t *Template) Subscriptions() []Subscription {
	var out []Subscription
	for _, id := range t.OfType("AWS::SNS::Subscription") {
		p := t.Resources[id].Properties
		if p["Protocol"] != "lambda" {
			continue
		}
		topic, _ := p["TopicArn"].(map[string]any)
		name, _ := topic["Ref"].(string)
		out = append(out, Subscription{ID: id, Topic: name, Function: TargetFunction(p["Endpoint"])})
	}
	return out
}

// Trigger returns the function of a user pool's trigger (such as
// PostConfirmation), or "".
func (t *Template) Trigger(pool, name string) string {
	cfg, _ := t.Resources[pool].Properties["LambdaConfig"].(map[string]any)
	return TargetFunction(cfg[name])
}

// Operations maps every operation of the API body to the function its
// integration invokes.
func Operations(body map[string]any) (map[string]string, error) {
	out := map[string]string{}
	paths, _ := body["paths"].(map[string]any)
	for p, item := range paths {
		methods, _ := item.(map[string]any)
		for m, o := range methods {
			op, _ := o.(map[string]any)
			integ, _ := op["x-amazon-apigateway-integration"].(map[string]any)
			if integ == nil || integ["type"] != "aws_proxy" {
				continue
			}
			id, _ := op["operationId"].(string)
			fn := integrationFunction(integ["uri"])
			if id == "" || fn == "" {
				return nil, fmt.Errorf("%s %s: an integration without an operation id or function", m, p)
			}
			out[id] = fn
		}
	}
	return out, nil
}

// integrationFunction finds the function an integration URI names.
func integrationFunction(uri any) string {
	m, _ := uri.(map[string]any)
	join, _ := m["Fn::Join"].([]any)
	if len(join) != 2 {
		return ""
	}
	parts, _ := join[1].([]any)
	for _, p := range parts {
		if fn := TargetFunction(p); fn != "" {
			return fn
		}
	}
	return ""
}
