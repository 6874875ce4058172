package awssend_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/sivchari/kumo"

	"ohcs/shared/config"
	"ohcs/shared/notification"
	"ohcs/shared/notification/awssend"
	"ohcs/shared/outbox"
)

// The adapters run against kumo, an in-process emulator that speaks the
// SES (Query API) and SNS wire protocols, through the real SDK clients. kumo keeps
// its state per process, so each test uses names of its own.

var (
	emulatorOnce sync.Once
	emulator     *kumo.Server
)

func stand(t *testing.T) string {
	t.Helper()
	emulatorOnce.Do(func() { emulator = kumo.NewServer() })
	return emulator.URL
}

func cfg() aws.Config {
	return aws.Config{Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""), RetryMaxAttempts: 1}
}

// functionConfig is a function's configuration as Lambda's variables give
// it, with the SES and SNS endpoint variables naming url.
func functionConfig(t *testing.T, url string) config.Config {
	t.Helper()
	vars := map[string]string{"AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_MAX_ATTEMPTS": "1",
		"AWS_ENDPOINT_URL_SES": url, "AWS_ENDPOINT_URL_SNS": url}
	c, err := config.Load(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestMailThroughSES: an email leaves through SES's SendEmail with its
// sender, recipient, subject and UTF-8 body intact.
func TestMailThroughSES(t *testing.T) {
	url := stand(t)
	from := fmt.Sprintf("avisos.%d@ohcs.example.org", time.Now().UnixNano())
	m := awssend.NewMail(functionConfig(t, url), from)
	to := fmt.Sprintf("ana.%d@example.org", time.Now().UnixNano())
	subject, body := "Consulta marcada", "A sua consulta com a Dra. Inês é amanhã às 09:00."
	if err := m.SendEmail(context.Background(), to, subject, body); err != nil {
		t.Fatal(err)
	}
	// kumo's mailbox lists what a sender sent.
	res, err := http.Get(url + "/_aws/ses?email=" + from)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var sent []struct {
		Source, Subject, Body string
		Destination           []string
	}
	if err := json.Unmarshal(raw, &sent); err != nil {
		t.Fatalf("mailbox: %s: %v", raw, err)
	}
	if len(sent) != 1 || sent[0].Source != from || len(sent[0].Destination) != 1 || sent[0].Destination[0] != to ||
		sent[0].Subject != subject || sent[0].Body != body {
		t.Errorf("sent: %s; want one email from %s to %s with its subject and body", raw, from, to)
	}
}

// TestTopicThroughSNS: a message published to the notification topic
// reaches a subscriber in the SNS envelope and decodes to the same
// message; a missing topic is an error, so the outbox row stays pending.
func TestTopicThroughSNS(t *testing.T) {
	ctx := context.Background()
	url := stand(t)
	snsc := sns.NewFromConfig(cfg(), func(o *sns.Options) { o.BaseEndpoint = aws.String(url) })
	sqsc := sqs.NewFromConfig(cfg(), func(o *sqs.Options) { o.BaseEndpoint = aws.String(url) })
	name := fmt.Sprintf("notifications-%d", time.Now().UnixNano())
	topic, err := snsc.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	queue, err := sqsc.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	attrs, err := sqsc.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: queue.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := snsc.Subscribe(ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("sqs"), Endpoint: aws.String(attrs.Attributes["QueueArn"])}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 28, 9, 30, 0, 0, time.UTC)
	want := outbox.Message{ID: "01JMSG", Kind: outbox.AppointmentReminder, AppointmentID: "01JAPPT", PractitionerID: "01JP", BeneficiaryID: "01JB",
		DueAt: at, CreatedAt: at.Add(-24 * time.Hour)}
	if err := awssend.NewTopic(functionConfig(t, url), *topic.TopicArn).Publish(ctx, want); err != nil {
		t.Fatal(err)
	}
	out, err := sqsc.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: queue.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Messages) != 1 {
		t.Fatalf("messages received: %d; want 1", len(out.Messages))
	}
	var envelope struct{ Type, TopicArn, Message string }
	if err := json.Unmarshal([]byte(*out.Messages[0].Body), &envelope); err != nil {
		t.Fatal(err)
	}
	if envelope.Type != "Notification" || envelope.TopicArn != *topic.TopicArn {
		t.Errorf("envelope: %+v", envelope)
	}
	got, err := awssend.Decode(envelope.Message)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != want.ID || got.Kind != want.Kind || got.AppointmentID != want.AppointmentID || !got.DueAt.Equal(want.DueAt) || !got.CreatedAt.Equal(want.CreatedAt) {
		t.Errorf("decoded %+v; want %+v", got, want)
	}
	missing := awssend.NewTopic(functionConfig(t, url), strings.Replace(*topic.TopicArn, name, name+"-gone", 1))
	if err := missing.Publish(ctx, want); err == nil {
		t.Error("publishing to a missing topic succeeded")
	}
	for _, bad := range []string{"", "{}", `{"ID":"x"}`, "not json"} {
		if _, err := awssend.Decode(bad); err == nil {
			t.Errorf("Decode(%q) succeeded", bad)
		}
	}
}

// TestSMSThroughSNS: a text leaves as an SNS Publish to a phone number,
// marked transactional. kumo answers only topic publishes, so this test
// stands in for SNS itself: it reads the AWS query protocol request the
// real SDK signs and sends, and answers as SNS does (success, then an
// InvalidParameter error that the adapter must surface).
func TestSMSThroughSNS(t *testing.T) {
	var mu sync.Mutex
	var got []map[string]string
	fail := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ") {
			http.Error(w, "unsigned or unreadable", http.StatusBadRequest)
			return
		}
		form := map[string]string{}
		for k := range r.PostForm {
			form[k] = r.PostForm.Get(k)
		}
		mu.Lock()
		got = append(got, form)
		failing := fail
		mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		if failing {
			w.WriteHeader(http.StatusBadRequest)
			_ = xml.NewEncoder(w).Encode(struct {
				XMLName xml.Name `xml:"ErrorResponse"`
				Error   struct{ Type, Code, Message string }
			}{Error: struct{ Type, Code, Message string }{"Sender", "InvalidParameter", "Invalid parameter: PhoneNumber"}})
			return
		}
		fmt.Fprint(w, `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>`)
	}))
	defer srv.Close()
	text := awssend.NewText(functionConfig(t, srv.URL))
	msg := "OHCS: a sua consulta é amanhã às 09:00."
	if err := text.SendSMS(context.Background(), "+258841111111", msg); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	fail = true
	mu.Unlock()
	if err := text.SendSMS(context.Background(), "+0", msg); !errors.Is(err, notification.ErrRejected) || !strings.Contains(err.Error(), "InvalidParameter") {
		t.Errorf("a refused SMS: %v; want the InvalidParameter error, marked rejected", err)
	}
	if len(got) != 2 {
		t.Fatalf("requests: %d", len(got))
	}
	f := got[0]
	attr := map[string]string{}
	for i := 1; f[fmt.Sprintf("MessageAttributes.entry.%d.Name", i)] != ""; i++ {
		attr[f[fmt.Sprintf("MessageAttributes.entry.%d.Name", i)]] = f[fmt.Sprintf("MessageAttributes.entry.%d.Value.StringValue", i)]
	}
	if f["Action"] != "Publish" || f["PhoneNumber"] != "+258841111111" || f["Message"] != msg || f["TopicArn"] != "" ||
		attr["AWS.SNS.SMS.SMSType"] != "Transactional" {
		t.Errorf("SNS request: %v (attributes %v)", f, attr)
	}
}
