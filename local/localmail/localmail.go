// Package localmail stands in for SES and SNS on a laptop: it records the
// email and SMS the local server sends, for GET /_local/outbox. Deployed
// stacks send through SES and SNS.
package localmail

import (
	"context"
	"sync"
	"time"
)

// Message is one email or SMS sent.
type Message struct {
	Channel string    `json:"channel"`
	To      string    `json:"to"`
	Subject string    `json:"subject,omitempty"`
	Body    string    `json:"body"`
	SentAt  time.Time `json:"sentAt"`
}

// Recorder records what is sent. Fail, when set, makes sends fail (for
// fault tests).
type Recorder struct {
	mu   sync.Mutex
	sent []Message
	Fail func(channel string) error
}

// SendEmail records an email.
func (r *Recorder) SendEmail(_ context.Context, to, subject, body string) error {
	return r.record(Message{Channel: "email", To: to, Subject: subject, Body: body})
}

// SendSMS records an SMS.
func (r *Recorder) SendSMS(_ context.Context, phone, text string) error {
	return r.record(Message{Channel: "sms", To: phone, Body: text})
}

func (r *Recorder) record(m Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Fail != nil {
		if err := r.Fail(m.Channel); err != nil {
			return err
		}
	}
	m.SentAt = time.Now().UTC()
	r.sent = append(r.sent, m)
	return nil
}

// SetFail sets Fail while deliveries may be running.
func (r *Recorder) SetFail(fail func(channel string) error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Fail = fail
}

// Sent returns what was sent, oldest first.
func (r *Recorder) Sent() []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Message(nil), r.sent...)
}
