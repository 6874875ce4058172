package server

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"ohcs/local/stack"
)

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
	case "ses":
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

type sesResponse struct {
	XMLName   xml.Name `xml:"SendEmailResponse"`
	Xmlns     string   `xml:"xmlns,attr"`
	MessageID string   `xml:"SendEmailResult>MessageId"`
	RequestID string   `xml:"ResponseMetadata>RequestId"`
}

// ses answers SendEmail (SES's Query API) with a simple text message.
func (sm *stackMode) ses(key string, body []byte, w http.ResponseWriter, s *Server) {
	fail := func(status int, code, msg string) {
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		_ = xml.NewEncoder(w).Encode(snsError{Type: "Sender", Code: code, Message: msg})
	}
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("Action") != "SendEmail" {
		fail(http.StatusBadRequest, "InvalidAction", "only SendEmail is served locally")
		return
	}
	subject, text, from := form.Get("Message.Subject.Data"), form.Get("Message.Body.Text.Data"), form.Get("Source")
	var to []string
	for i := 1; form.Has(fmt.Sprintf("Destination.ToAddresses.member.%d", i)); i++ {
		to = append(to, form.Get(fmt.Sprintf("Destination.ToAddresses.member.%d", i)))
	}
	if !form.Has("Message.Body.Text.Data") || len(to) == 0 || from == "" {
		fail(http.StatusBadRequest, "InvalidParameterValue", "a simple text message with a source and a recipient is required")
		return
	}
	_, domain, _ := strings.Cut(from, "@")
	identity := fmt.Sprintf("arn:aws:ses:%s:%s:identity/%s", sm.region, localAccount, domain)
	if !sm.allows(key, "ses:SendEmail", identity) {
		fail(http.StatusForbidden, "AccessDenied", fmt.Sprintf("User: %s is not authorized to perform: ses:SendEmail on resource: %s", key, identity))
		return
	}
	for _, addr := range to {
		if err := s.Mail.SendEmail(context.Background(), addr, subject, text); err != nil {
			fail(http.StatusInternalServerError, "InternalFailure", err.Error())
			return
		}
	}
	id, _ := randomText(20)
	w.Header().Set("Content-Type", "text/xml")
	_ = xml.NewEncoder(w).Encode(sesResponse{Xmlns: "http://ses.amazonaws.com/doc/2010-12-01/", MessageID: id, RequestID: id})
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
