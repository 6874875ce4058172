// Package awssend sends email through SES (its SendEmail, whose client
// shares the Query protocol with SNS's: the delivery function stays under
// 10 MB), SMS through SNS, and
// publishes outbox messages to the notification topic.
package awssend

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	sestypes "github.com/aws/aws-sdk-go-v2/service/ses/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/smithy-go"

	"ohcs/shared/config"
	"ohcs/shared/notification"
	"ohcs/shared/outbox"
)

// The senders of a function: each client with the role's credentials from
// Lambda's variables (config.AWS, as every function) and its service's
// endpoint variable as the SDK names it (AWS_ENDPOINT_URL_SES, _SNS).

// NewMail sends email from from through SES.
func NewMail(cfg config.Config, from string) *Mail {
	return &Mail{Client: ses.NewFromConfig(cfg.AWS(), func(o *ses.Options) { o.BaseEndpoint = cfg.Endpoint("SES") }), From: from}
}

// NewText sends SMS through SNS.
func NewText(cfg config.Config) *Text { return &Text{Client: snsClient(cfg)} }

// NewTopic publishes to the topic arn.
func NewTopic(cfg config.Config, arn string) *Topic { return &Topic{Client: snsClient(cfg), ARN: arn} }

func snsClient(cfg config.Config) *sns.Client {
	return sns.NewFromConfig(cfg.AWS(), func(o *sns.Options) { o.BaseEndpoint = cfg.Endpoint("SNS") })
}

// Mail sends email from From through SES.
type Mail struct {
	Client *ses.Client
	From   string
}

var _ notification.Mailer = (*Mail)(nil)

// SendEmail sends one email.
func (m *Mail) SendEmail(ctx context.Context, to, subject, body string) error {
	_, err := m.Client.SendEmail(ctx, &ses.SendEmailInput{
		Source:      aws.String(m.From),
		Destination: &sestypes.Destination{ToAddresses: []string{to}},
		Message: &sestypes.Message{
			Subject: &sestypes.Content{Data: aws.String(subject), Charset: aws.String("UTF-8")},
			Body:    &sestypes.Body{Text: &sestypes.Content{Data: aws.String(body), Charset: aws.String("UTF-8")}},
		},
	})
	if err != nil {
		return classify("ses send email", err)
	}
	return nil
}

// Text sends SMS through SNS.
type Text struct{ Client *sns.Client }

var _ notification.Texter = (*Text)(nil)

// SendSMS sends one transactional SMS: SNS routes transactional messages
// for delivery over promotional ones, and a health notice is not an
// advertisement.
func (t *Text) SendSMS(ctx context.Context, phone, text string) error {
	_, err := t.Client.Publish(ctx, &sns.PublishInput{PhoneNumber: aws.String(phone), Message: aws.String(text),
		MessageAttributes: map[string]snstypes.MessageAttributeValue{
			"AWS.SNS.SMS.SMSType": {DataType: aws.String("String"), StringValue: aws.String("Transactional")},
		}})
	if err != nil {
		return classify("sns send sms", err)
	}
	return nil
}

// Topic publishes outbox messages to the notification topic.
type Topic struct {
	Client *sns.Client
	ARN    string
}

// Publish sends m as JSON.
func (t *Topic) Publish(ctx context.Context, m outbox.Message) error {
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	_, err = t.Client.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(t.ARN), Message: aws.String(string(body))})
	if err != nil {
		return fmt.Errorf("publish to the notification topic: %w", err)
	}
	return nil
}

// Decode reads a message published by Topic, from the Message of an SNS
// notification.
func Decode(body string) (outbox.Message, error) {
	var m outbox.Message
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		return outbox.Message{}, fmt.Errorf("decode a notification topic message: %w", err)
	}
	if m.ID == "" || m.Kind == "" {
		return outbox.Message{}, fmt.Errorf("decode a notification topic message: no id or kind")
	}
	return m, nil
}

// transient are the client-side error codes of SES and SNS that pass:
// throttling, sending limits (SES answers an exceeded daily quota as
// Throttling) and paused sending.
var transient = map[string]bool{
	"TooManyRequestsException": true, "LimitExceededException": true, "SendingPausedException": true,
	"AccountSendingPausedException": true, "ConfigurationSetSendingPausedException": true,
	"Throttling": true, "ThrottlingException": true, "ThrottledException": true, "KMSThrottling": true,
}

// classify marks the provider's refusals of this message or address
// (client errors other than throttling) as notification.ErrRejected, so
// they are settled failed instead of retried.
func classify(what string, err error) error {
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorFault() == smithy.FaultClient && !transient[ae.ErrorCode()] {
		return fmt.Errorf("%s: %w: %w", what, notification.ErrRejected, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}
