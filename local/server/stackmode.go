package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"debug/elf"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/url"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/events"
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
			"AWS_ENDPOINT_URL_SNS="+at+"/aws/sns", "AWS_ENDPOINT_URL_SESV2="+at+"/aws/sesv2",
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

// scheduledEvent is the event EventBridge sends a rule's target.
func (sm *stackMode) scheduledEvent(rule string, at time.Time) []byte {
	ev := events.CloudWatchEvent{Version: "0", ID: rule + "-" + strconv.FormatInt(at.UnixNano(), 36), DetailType: "Scheduled Event",
		Source: "aws.events", AccountID: localAccount, Time: at.UTC(), Region: sm.region,
		Resources: []string{fmt.Sprintf("arn:aws:events:%s:%s:rule/%s", sm.region, localAccount, rule)}, Detail: json.RawMessage("{}")}
	out, _ := json.Marshal(ev)
	return out
}

// scheduleOf returns the schedule whose target is built from source.
func (sm *stackMode) scheduleOf(source string) (stack.Schedule, bool) {
	for _, s := range sm.schedules {
		if sm.fns[s.Function] != nil && sm.fns[s.Function].Source == source {
			return s, true
		}
	}
	return stack.Schedule{}, false
}

// runSchedule invokes a rule's function as of at, waits for it and for
// every asynchronous delivery it caused, and returns how many messages it
// published. The scheduled invoke itself is asynchronous in AWS; here the
// caller waits, so that tests see its effects.
func (sm *stackMode) runSchedule(ctx context.Context, s stack.Schedule, at time.Time) (int, error) {
	before := sm.published.Load()
	_, err := sm.invoker.InvokeFunction(ctx, s.Function, sm.scheduledEvent(s.Rule, at))
	sm.inflight.Wait()
	return int(sm.published.Load() - before), err
}

// due reports the rules due at now: rate rules at one local second per
// minute of their rate (the in-process dispatcher's pace), cron rules at
// their minute, in UTC, as EventBridge evaluates them.
func (sm *stackMode) due(now time.Time) []stack.Schedule {
	sm.mu.Lock()
	defer sm.mu.Unlock()
	var out []stack.Schedule
	for _, s := range sm.schedules {
		last := sm.lastRun[s.Rule]
		fire := false
		if every, ok := rateSeconds(s.Expression); ok {
			fire = now.Sub(last) >= time.Duration(every)*time.Second
		} else if cronMatches(s.Expression, now.UTC()) {
			fire = now.UTC().Truncate(time.Minute).After(last.UTC().Truncate(time.Minute))
		}
		if fire {
			sm.lastRun[s.Rule] = now
			out = append(out, s)
		}
	}
	return out
}

// rateSeconds reads rate(N minute|minutes|hour|hours|day|days) as N, N×60
// or N×1440 local seconds.
func rateSeconds(expr string) (int, bool) {
	inner, ok := strings.CutPrefix(expr, "rate(")
	if !ok {
		return 0, false
	}
	n, unit, _ := strings.Cut(strings.TrimSuffix(inner, ")"), " ")
	v, err := strconv.Atoi(n)
	if err != nil || v < 1 {
		return 0, false
	}
	switch strings.TrimSuffix(unit, "s") {
	case "minute":
		return v, true
	case "hour":
		return v * 60, true
	case "day":
		return v * 1440, true
	}
	return 0, false
}

// cronSupported reports whether cronMatches understands an expression:
// six fields of numbers, comma lists, * and ?.
func cronSupported(expr string) bool {
	inner, ok := strings.CutPrefix(expr, "cron(")
	f := strings.Fields(strings.TrimSuffix(inner, ")"))
	if !ok || len(f) != 6 {
		return false
	}
	for _, field := range f {
		if strings.Trim(field, "0123456789,*?") != "" {
			return false
		}
	}
	return true
}

// cronMatches evaluates EventBridge's cron(minutes hours day-of-month month
// day-of-week year) for the fields a number, *, ? or a comma list.
func cronMatches(expr string, t time.Time) bool {
	inner, ok := strings.CutPrefix(expr, "cron(")
	if !ok {
		return false
	}
	f := strings.Fields(strings.TrimSuffix(inner, ")"))
	if len(f) != 6 {
		return false
	}
	field := func(spec string, v int) bool {
		if spec == "*" || spec == "?" {
			return true
		}
		for _, p := range strings.Split(spec, ",") {
			if n, err := strconv.Atoi(p); err == nil && n == v {
				return true
			}
		}
		return false
	}
	return field(f[0], t.Minute()) && field(f[1], t.Hour()) && field(f[2], t.Day()) && field(f[3], int(t.Month())) &&
		field(f[4], int(t.Weekday())+1) && field(f[5], t.Year())
}

// services answers a function's calls to SNS, SES and Cognito (the local
// equivalents of the AWS services its code calls), after checking its
// role's grants for the action.
func (sm *stackMode) services(key, service string, w http.ResponseWriter, r *http.Request, s *Server) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	switch name, _, _ := strings.Cut(service, "/"); name {
	case "sns":
		sm.sns(key, body, w, s)
	case "sesv2":
		sm.ses(key, body, w, s)
	case "cognito":
		sm.cognito(key, r.Header.Get("X-Amz-Target"), body, w)
	case "secretsmanager":
		sm.secretValue(key, r.Header.Get("X-Amz-Target"), body, w)
	default:
		http.NotFound(w, r)
	}
}

type snsResponse struct {
	XMLName   xml.Name `xml:"PublishResponse"`
	Xmlns     string   `xml:"xmlns,attr"`
	MessageID string   `xml:"PublishResult>MessageId"`
	RequestID string   `xml:"ResponseMetadata>RequestId"`
}

type snsError struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Type    string   `xml:"Error>Type"`
	Code    string   `xml:"Error>Code"`
	Message string   `xml:"Error>Message"`
}

// sns answers Publish (the query protocol): to a topic, each Lambda
// subscription gets the SNS event asynchronously; to a phone number, the
// SMS is recorded.
func (sm *stackMode) sns(key string, body []byte, w http.ResponseWriter, s *Server) {
	form, err := url.ParseQuery(string(body))
	fail := func(status int, code, msg string) {
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		_ = xml.NewEncoder(w).Encode(snsError{Type: "Sender", Code: code, Message: msg})
	}
	if err != nil || form.Get("Action") != "Publish" {
		fail(http.StatusBadRequest, "InvalidAction", "only Publish is served locally")
		return
	}
	topic, phone, msg := form.Get("TopicArn"), form.Get("PhoneNumber"), form.Get("Message")
	resource := topic
	if topic == "" {
		resource = "*" // an SMS to a number has no resource to name
	}
	if !sm.allows(key, "sns:Publish", resource) {
		fail(http.StatusForbidden, "AuthorizationError", fmt.Sprintf("User: %s is not authorized to perform: SNS:Publish on resource: %s", key, resource))
		return
	}
	id, _ := randomText(20)
	switch {
	case topic != "":
		if !sm.topics[topic] {
			fail(http.StatusNotFound, "NotFound", "Topic does not exist")
			return
		}
		sm.published.Add(1)
		for _, fn := range sm.subs[topic] {
			ev := events.SNSEvent{Records: []events.SNSEventRecord{{EventVersion: "1.0", EventSource: "aws:sns",
				EventSubscriptionArn: topic + ":" + fn, SNS: events.SNSEntity{MessageID: id, Type: "Notification",
					TopicArn: topic, Message: msg, Timestamp: time.Now().UTC()}}}}
			payload, _ := json.Marshal(ev)
			sm.invokeAsync(fn, payload)
		}
	case phone != "":
		if err := s.Mail.SendSMS(context.Background(), phone, msg); err != nil {
			fail(http.StatusInternalServerError, "InternalError", err.Error())
			return
		}
	default:
		fail(http.StatusBadRequest, "InvalidParameter", "TopicArn or PhoneNumber is required")
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	_ = xml.NewEncoder(w).Encode(snsResponse{Xmlns: "http://sns.amazonaws.com/doc/2010-03-31/", MessageID: id, RequestID: id})
}

// ses answers SendEmail (SES v2, REST JSON) with a simple text message.
func (sm *stackMode) ses(key string, body []byte, w http.ResponseWriter, s *Server) {
	fail := func(status int, code, msg string) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-ErrorType", code)
		w.WriteHeader(status)
		out, _ := json.Marshal(map[string]string{"message": msg})
		_, _ = w.Write(out)
	}
	var in struct {
		FromEmailAddress string
		Destination      struct{ ToAddresses []string }
		Content          struct {
			Simple *struct {
				Subject struct{ Data string }
				Body    struct{ Text *struct{ Data string } }
			}
		}
	}
	if err := json.Unmarshal(body, &in); err != nil || in.Content.Simple == nil || in.Content.Simple.Body.Text == nil {
		fail(http.StatusBadRequest, "BadRequestException", "a simple text message is required")
		return
	}
	_, domain, _ := strings.Cut(in.FromEmailAddress, "@")
	identity := fmt.Sprintf("arn:aws:ses:%s:%s:identity/%s", sm.region, localAccount, domain)
	if !sm.allows(key, "ses:SendEmail", identity) {
		fail(http.StatusForbidden, "AccessDeniedException", fmt.Sprintf("User: %s is not authorized to perform: ses:SendEmail on resource: %s", key, identity))
		return
	}
	for _, to := range in.Destination.ToAddresses {
		if err := s.Mail.SendEmail(context.Background(), to, in.Content.Simple.Subject.Data, in.Content.Simple.Body.Text.Data); err != nil {
			fail(http.StatusInternalServerError, "InternalFailure", err.Error())
			return
		}
	}
	id, _ := randomText(20)
	w.Header().Set("Content-Type", "application/json")
	_, _ = fmt.Fprintf(w, `{"MessageId":%q}`, id)
}

// cognito answers AdminAddUserToGroup for the local user pool.
func (sm *stackMode) cognito(key, target string, body []byte, w http.ResponseWriter) {
	fail := func(status int, code, msg string) { amzJSONFault(w, status, code, msg) }
	if target != "AWSCognitoIdentityProviderService.AdminAddUserToGroup" {
		fail(http.StatusBadRequest, "InvalidAction", "only AdminAddUserToGroup is served locally")
		return
	}
	var in struct{ UserPoolId, Username, GroupName string }
	if err := json.Unmarshal(body, &in); err != nil || in.Username == "" || in.GroupName == "" {
		fail(http.StatusBadRequest, "InvalidParameterException", "UserPoolId, Username and GroupName are required")
		return
	}
	pool := fmt.Sprintf("arn:aws:cognito-idp:%s:%s:userpool/%s", sm.region, localAccount, in.UserPoolId)
	if !sm.allows(key, "cognito-idp:AdminAddUserToGroup", pool) {
		fail(http.StatusBadRequest, "AccessDeniedException", fmt.Sprintf("User: %s is not authorized to perform: cognito-idp:AdminAddUserToGroup on resource: %s", key, pool))
		return
	}
	groups := map[string]bool{}
	for _, g := range groupDefinitions(sm.tmpl) {
		groups[g] = true
	}
	if !groups[in.GroupName] {
		fail(http.StatusBadRequest, "ResourceNotFoundException", "Group not found.")
		return
	}
	sm.mu.Lock()
	if !slices.Contains(sm.groups[in.Username], in.GroupName) {
		sm.groups[in.Username] = append(sm.groups[in.Username], in.GroupName)
	}
	sm.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_, _ = w.Write([]byte("{}"))
}

// secretValue answers GetSecretValue for the template's secrets.
func (sm *stackMode) secretValue(key, target string, body []byte, w http.ResponseWriter) {
	fail := func(status int, code, msg string) { amzJSONFault(w, status, code, msg) }
	if target != "secretsmanager.GetSecretValue" {
		fail(http.StatusBadRequest, "InvalidAction", "only GetSecretValue is served locally")
		return
	}
	var in struct{ SecretId string }
	if err := json.Unmarshal(body, &in); err != nil || in.SecretId == "" {
		fail(http.StatusBadRequest, "InvalidParameterException", "SecretId is required")
		return
	}
	if !sm.allows(key, "secretsmanager:GetSecretValue", in.SecretId) {
		fail(http.StatusBadRequest, "AccessDeniedException", fmt.Sprintf("User: %s is not authorized to perform: secretsmanager:GetSecretValue on resource: %s", key, in.SecretId))
		return
	}
	value, ok := sm.vals.Secrets[in.SecretId]
	if !ok {
		fail(http.StatusBadRequest, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
		return
	}
	out, _ := json.Marshal(map[string]any{"ARN": in.SecretId, "Name": in.SecretId, "SecretString": value, "VersionId": "local",
		"VersionStages": []string{"AWSCURRENT"}, "CreatedDate": 0})
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_, _ = w.Write(out)
}

// amzJSONFault answers an error as the AWS JSON 1.1 protocol does
// (Cognito, Secrets Manager).
func amzJSONFault(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(status)
	out, _ := json.Marshal(map[string]string{"__type": code, "message": msg})
	_, _ = w.Write(out)
}

// groupDefinitions lists the user pool groups the template declares.
func groupDefinitions(t *stack.Template) []string {
	var out []string
	for _, id := range t.OfType("AWS::Cognito::UserPoolGroup") {
		if name, ok := t.Resources[id].Properties["GroupName"].(string); ok {
			out = append(out, name)
		}
	}
	return out
}

// confirmSignUp runs the user pool's post-confirmation trigger for a new
// user, as Cognito does when the user confirms its sign-up, and returns
// the groups the user is in afterwards. A trigger failure is returned: in
// Cognito the confirmation request fails with it.
func (sm *stackMode) confirmSignUp(ctx context.Context, user, email, role string) ([]string, error) {
	if sm.signup == "" {
		return nil, errors.New("the user pool has no post-confirmation trigger")
	}
	var ev events.CognitoEventUserPoolsPostConfirmation
	ev.Version, ev.TriggerSource, ev.Region = "1", "PostConfirmation_ConfirmSignUp", sm.region
	ev.UserPoolID, ev.UserName = sm.vals.Refs[firstOf(sm.tmpl.OfType("AWS::Cognito::UserPool"))], user
	ev.CallerContext.ClientID = ClientID
	ev.Request.UserAttributes = map[string]string{"sub": user, "email": email, "email_verified": "true", "custom:role": role}
	payload, _ := json.Marshal(ev)
	out, err := sm.invoker.InvokeFunction(ctx, sm.signup, payload)
	if err != nil {
		return nil, err
	}
	if !bytes.Contains(out, []byte("PostConfirmation_ConfirmSignUp")) {
		return nil, fmt.Errorf("the trigger answered something else than its event: %.200s", out)
	}
	sm.mu.Lock()
	defer sm.mu.Unlock()
	return append([]string{}, sm.groups[user]...), nil
}

// takeDenied returns the non-DynamoDB requests refused, and forgets them.
func (sm *stackMode) takeDenied() []string {
	sm.mu.Lock()
	defer sm.mu.Unlock()
	out := sm.denied
	sm.denied = nil
	return out
}
