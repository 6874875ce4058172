package server

import (
	"context"
	"crypto/rand"
	"debug/elf"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net/url"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/local/lambdamode"
	"ohcs/local/stack"
	"ohcs/shared/config"
	"ohcs/shared/dynamo/dynamoprobe"
)

// EnvStackTemplate, with EnvLambdaRIE, runs the template-driven Lambda
// mode (make run-stack): the functions, their environment and grants, the
// tables, the API body, the schedules, the topic subscriptions and the
// sign-up trigger are all read from this synthesized template
// (cdk.out/Ohcs.template.json), not from the code's own declarations.
const EnvStackTemplate = "OHCS_STACK_TEMPLATE"

// The local account and stack name that resolved ARNs carry.
const (
	localAccount = "000000000000"
	stackName    = "Ohcs"
)

// DeadLetter is an asynchronous event that failed its last retry: in AWS
// it lands in the function's dead-letter queue.
type DeadLetter struct {
	Function string
	Error    string
	Event    json.RawMessage
}

// stackMode is the template-driven Lambda mode's view of the template.
type stackMode struct {
	dir       string // the cloud assembly's folder (cdk.out)
	region    string
	tmpl      *stack.Template
	vals      stack.Values
	tables    map[string]string            // table logical id → physical name
	tableEnv  map[string]string            // OHCS_TABLE_X → physical name, from the functions' variables
	fns       map[string]*stack.Function   // by logical id
	key       map[string]string            // function → the name it is counted and granted under
	stmts     map[string][]stack.Statement // function → its role's statements
	ops       map[string]string            // operation → function
	subs      map[string][]string          // topic ARN → subscribed functions
	topics    map[string]bool              // the topics' ARNs
	schedules []stack.Schedule
	signup    string // the user pool's post-confirmation function
	secret    string // the cursor key secret's generated value
	body      map[string]any
	invoker   *lambdamode.Invoker
	logger    *slog.Logger

	inflight  sync.WaitGroup // asynchronous invokes not yet finished
	published atomic.Int64   // messages published to topics
	mu        sync.Mutex
	dead      []DeadLetter
	denied    []string
	groups    map[string][]string // the local user pool's memberships, by user name
	lastRun   map[string]time.Time
}

// newStackMode reads the template and resolves it against the local
// server at base (its URL).
func newStackMode(file, base, region string, logger *slog.Logger) (*stackMode, error) {
	t, err := stack.Load(file)
	if err != nil {
		return nil, err
	}
	sm := &stackMode{dir: filepath.Dir(file), region: region, tmpl: t, tables: map[string]string{}, tableEnv: map[string]string{},
		fns: map[string]*stack.Function{}, key: map[string]string{}, stmts: map[string][]stack.Statement{}, subs: map[string][]string{},
		topics: map[string]bool{}, groups: map[string][]string{}, lastRun: map[string]time.Time{}, logger: logger}
	if sm.secret, err = randomText(64); err != nil {
		return nil, err
	}
	suffix, err := randomText(12)
	if err != nil {
		return nil, err
	}
	arn := func(service, resource string) string {
		return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, region, localAccount, resource)
	}
	vs := stack.Values{
		Pseudo: map[string]string{"AWS::Partition": "aws", "AWS::Region": region, "AWS::AccountId": localAccount,
			"AWS::StackName": stackName, "AWS::URLSuffix": "amazonaws.com"},
		Refs: map[string]string{}, Atts: map[string]string{}, Secrets: map[string]string{},
	}
	for id, r := range t.Resources {
		switch r.Type {
		case "AWS::DynamoDB::Table":
			// CloudFormation names a table stack-logicalId-suffix.
			name := stackName + "-" + id + "-" + strings.ToUpper(suffix)
			sm.tables[id] = name
			vs.Refs[id] = name
			vs.Atts[id+".Arn"] = arn("dynamodb", "table/"+name)
		case "AWS::SNS::Topic":
			vs.Refs[id] = arn("sns", stackName+"-"+id)
			vs.Atts[id+".TopicArn"] = vs.Refs[id]
			sm.topics[vs.Refs[id]] = true
		case "AWS::SecretsManager::Secret":
			vs.Refs[id] = arn("secretsmanager", "secret:"+stackName+"-"+id)
			vs.Secrets[vs.Refs[id]] = sm.secret
		case "AWS::Cognito::UserPool":
			vs.Refs[id] = region + "_local"
			vs.Atts[id+".Arn"] = LocalUserPoolARN
			vs.Atts[id+".ProviderURL"] = base + "/_local"
			vs.Atts[id+".ProviderName"] = strings.TrimPrefix(base, "http://") + "/_local"
		case "AWS::Cognito::UserPoolClient":
			// The app client is the local tokens' audience; any other
			// client (the machine client) gets a name of its own.
			if strings.Contains(id, "AppClient") {
				vs.Refs[id] = ClientID
			} else {
				vs.Refs[id] = ClientID + "-" + strings.ToLower(id)
			}
		case "AWS::Lambda::Function":
			vs.Refs[id] = stackName + "-" + id
			vs.Atts[id+".Arn"] = arn("lambda", "function:"+stackName+"-"+id)
		default:
			vs.Refs[id] = stackName + "-" + id
			vs.Atts[id+".Arn"] = arn("local", id)
		}
	}
	sm.vals = vs
	rest, ok := t.Resources[firstOf(t.OfType("AWS::ApiGateway::RestApi"))]
	if !ok {
		return nil, errors.New("the template has no REST API")
	}
	rawBody, _ := rest.Properties["Body"].(map[string]any)
	if rawBody == nil {
		return nil, errors.New("the REST API has no inline body")
	}
	if sm.ops, err = stack.Operations(rawBody); err != nil {
		return nil, err
	}
	resolved, err := vs.Tree(rawBody)
	if err != nil {
		return nil, fmt.Errorf("the API body: %w", err)
	}
	sm.body = resolved.(map[string]any)
	byFn := map[string]string{}
	for op, fn := range sm.ops {
		byFn[fn] = op
	}
	for _, id := range t.OfType("AWS::Lambda::Function") {
		fn, err := t.Function(id, vs)
		if err != nil {
			return nil, err
		}
		sm.fns[id] = fn
		// An operation's function is counted and granted under its
		// operation id, an event function under its name: as in process.
		sm.key[id] = byFn[id]
		if sm.key[id] == "" {
			sm.key[id] = filepath.Base(fn.Source)
		}
		if sm.stmts[id], err = t.RoleStatements(fn.Role, vs); err != nil {
			return nil, err
		}
		envProps, _ := t.Resources[id].Properties["Environment"].(map[string]any)
		vars, _ := envProps["Variables"].(map[string]any)
		for k, v := range vars {
			m, _ := v.(map[string]any)
			if ref, _ := m["Ref"].(string); strings.HasPrefix(k, "OHCS_TABLE_") && sm.tables[ref] != "" {
				sm.tableEnv[k] = sm.tables[ref]
			}
		}
	}
	for _, sub := range t.Subscriptions() {
		topic := vs.Refs[sub.Topic]
		sm.subs[topic] = append(sm.subs[topic], sub.Function)
	}
	sm.schedules = t.Schedules()
	for _, sch := range sm.schedules {
		if _, ok := rateSeconds(sch.Expression); !ok && !cronSupported(sch.Expression) {
			// A rule the local ticker cannot evaluate would never fire here
			// and would in AWS: refuse to start instead.
			return nil, fmt.Errorf("rule %s: the schedule %q is not one the local server evaluates (rate(N unit), or cron with numbers, lists, * and ?)", sch.Rule, sch.Expression)
		}
	}
	if pool := firstOf(t.OfType("AWS::Cognito::UserPool")); pool != "" {
		sm.signup = t.Trigger(pool, "PostConfirmation")
	}
	return sm, nil
}

func firstOf(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// randomText returns n random letters and digits, as Secrets Manager
// generates a password without punctuation.
func randomText(n int) (string, error) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	out := make([]byte, n)
	for i := range out {
		k, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			return "", err
		}
		out[i] = alphabet[k.Int64()]
	}
	return string(out), nil
}

// getenv wraps the server's configuration so that its own reads and writes
// (demo data, the dispatcher of the in-process parts) use the template's
// tables and the functions' cursor secret.
func (sm *stackMode) getenv(next func(string) string) func(string) string {
	return func(k string) string {
		if v, ok := sm.tableEnv[k]; ok {
			return v
		}
		switch k {
		case config.EnvCursorKey:
			return sm.secret
		case config.EnvTablePrefix:
			// Tables the template does not declare do not exist.
			return "undeclared-"
		}
		return next(k)
	}
}

// grants returns the DynamoDB grants of every function's role, evaluated
// from the template's statements on each local table.
func (sm *stackMode) grants() *dynamoprobe.Grants {
	actions := []string{"GetItem", "BatchGetItem", "Query", "Scan", "ConditionCheckItem", "PutItem", "UpdateItem",
		"DeleteItem", "BatchWriteItem", "DescribeTable", "CreateTable", "DeleteTable", "UpdateTable"}
	g := &dynamoprobe.Grants{}
	for id, stmts := range sm.stmts {
		for logical, name := range sm.tables {
			tableARN := sm.vals.Atts[logical+".Arn"]
			for _, a := range actions {
				for _, st := range stmts {
					if st.Allows("dynamodb:"+a, tableARN) {
						g.Allow(sm.key[id], name, a)
						break
					}
				}
			}
		}
	}
	return g
}

// allows reports whether a function's role allows an action on a resource,
// and records the denial otherwise.
func (sm *stackMode) allows(key, action, resource string) bool {
	for id, k := range sm.key {
		if k != key {
			continue
		}
		for _, st := range sm.stmts[id] {
			if st.Allows(action, resource) {
				return true
			}
		}
	}
	sm.mu.Lock()
	sm.denied = append(sm.denied, fmt.Sprintf("%s %s %s", key, action, resource))
	sm.mu.Unlock()
	return false
}

// createTables creates the template's tables with the keys, indexes and
// billing the template declares.
func (sm *stackMode) createTables(ctx context.Context, db *dynamodb.Client) error {
	for logical, name := range sm.tables {
		raw, err := json.Marshal(sm.tmpl.Resources[logical].Properties)
		if err != nil {
			return err
		}
		var p struct {
			AttributeDefinitions   []types.AttributeDefinition
			KeySchema              []types.KeySchemaElement
			GlobalSecondaryIndexes []struct {
				IndexName  string
				KeySchema  []types.KeySchemaElement
				Projection types.Projection
			}
			BillingMode types.BillingMode
		}
		if err := json.Unmarshal(raw, &p); err != nil {
			return fmt.Errorf("table %s: %w", logical, err)
		}
		in := &dynamodb.CreateTableInput{TableName: aws.String(name), AttributeDefinitions: p.AttributeDefinitions,
			KeySchema: p.KeySchema, BillingMode: p.BillingMode}
		for _, ix := range p.GlobalSecondaryIndexes {
			proj := ix.Projection
			in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, types.GlobalSecondaryIndex{
				IndexName: aws.String(ix.IndexName), KeySchema: ix.KeySchema, Projection: &proj})
		}
		if _, err := db.CreateTable(ctx, in); err != nil {
			return fmt.Errorf("create table %s: %w", name, err)
		}
	}
	return nil
}

// newInvoker runs the template's functions under the emulator: each one
// its asset's bootstrap when it is built for this machine, else its source
// folder built for this machine; with the template's variables, and the
// AWS endpoints of this machine.
func (sm *stackMode) newInvoker(rie, proxy string, builder *lambdamode.Builder) *lambdamode.Invoker {
	folders := map[string]string{}
	for op, fn := range sm.ops {
		folders[op] = fn
	}
	timeouts := map[string]time.Duration{}
	for id, fn := range sm.fns {
		timeouts[id] = time.Duration(fn.TimeoutSeconds) * time.Second
	}
	iv := &lambdamode.Invoker{RIE: rie, Folders: folders, PoolSize: 2, Logger: sm.logger, Timeouts: timeouts}
	iv.FunctionEnv = func(id string) []string {
		fn := sm.fns[id]
		out := make([]string, 0, len(fn.Env)+12)
		for k, v := range fn.Env {
			out = append(out, k+"="+v)
		}
		at := proxy + "/fn/" + url.PathEscape(sm.key[id])
		// What the Lambda runtime sets, and where this machine's AWS
		// services answer (the SDK's service endpoint variables).
		return append(out,
			"AWS_REGION="+sm.region, "AWS_DEFAULT_REGION="+sm.region,
			"AWS_ACCESS_KEY_ID=ASIALOCALFUNCTION", "AWS_SECRET_ACCESS_KEY=local", "AWS_SESSION_TOKEN=local",
			"AWS_LAMBDA_FUNCTION_MEMORY_SIZE="+strconv.Itoa(fn.MemoryMB),
			config.EnvDynamoDBEndpoint+"="+at, "AWS_MAX_ATTEMPTS="+strconv.Itoa(sdkAttempts),
			"AWS_ENDPOINT_URL_SNS="+at+"/aws/sns", "AWS_ENDPOINT_URL_SES="+at+"/aws/ses",
			"AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER="+at+"/aws/cognito",
			"AWS_ENDPOINT_URL_SECRETS_MANAGER="+at+"/aws/secretsmanager")
	}
	iv.Bootstrap = func(ctx context.Context, id string) (string, error) {
		fn, ok := sm.fns[id]
		if !ok {
			return "", fmt.Errorf("no function %s in the template", id)
		}
		asset := filepath.Join(sm.dir, fn.Asset, "bootstrap")
		if forThisMachine(asset) {
			return asset, nil
		}
		return builder.Bootstrap(ctx, fn.Source)
	}
	sm.invoker = iv
	return iv
}

// forThisMachine reports whether a bootstrap is a Linux executable for
// this machine's architecture (the stack's are arm64).
func forThisMachine(file string) bool {
	f, err := elf.Open(file)
	if err != nil {
		return false
	}
	defer f.Close()
	want := map[string]elf.Machine{"arm64": elf.EM_AARCH64, "amd64": elf.EM_X86_64}[runtime.GOARCH]
	return runtime.GOOS == "linux" && f.Machine == want
}

// invokeAsync invokes a function asynchronously, as SNS and EventBridge
// do: on a function error Lambda retries twice, then the event goes to
// the dead-letter queue (AWS Lambda developer guide, "Asynchronous
// invocation").
func (sm *stackMode) invokeAsync(fn string, payload []byte) {
	sm.inflight.Add(1)
	go func() {
		defer sm.inflight.Done()
		var err error
		for range 3 {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			_, err = sm.invoker.InvokeFunction(ctx, fn, payload)
			cancel()
			if err == nil {
				return
			}
		}
		sm.logger.Warn("asynchronous event failed its retries", slog.String("function", fn), slog.String("error", err.Error()))
		sm.mu.Lock()
		sm.dead = append(sm.dead, DeadLetter{Function: fn, Error: err.Error(), Event: payload})
		sm.mu.Unlock()
	}()
}

// takeDenied returns the non-DynamoDB requests refused, and forgets them.
func (sm *stackMode) takeDenied() []string {
	sm.mu.Lock()
	defer sm.mu.Unlock()
	out := sm.denied
	sm.denied = nil
	return out
}
