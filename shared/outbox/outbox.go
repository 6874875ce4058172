// Package outbox owns the messages that leave the system: each is written
// as a row in the same transaction as the change that causes it (a booking
// writes its notices and its reminder), and a dispatcher publishes the
// pending rows whose time has come. A failed publish loses nothing; the
// delivery side makes a retried one send nothing twice.
package outbox

import (
	"fmt"
	"time"

	"ohcs/shared/dynamo"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Kind says what a message is about.
type Kind string

// The kinds written today.
const (
	AppointmentBooked      Kind = "appointmentBooked"
	AppointmentCancelled   Kind = "appointmentCancelled"
	AppointmentRescheduled Kind = "appointmentRescheduled"
	AppointmentReminder    Kind = "appointmentReminder"
	DonationReceipt        Kind = "donationReceipt"
	NotificationSent       Kind = "notificationSent"
	// DeliveryDeferred is a delivery held by the recipient's quiet hours.
	DeliveryDeferred Kind = "deliveryDeferred"
	// The events below are counted for the population statistics and
	// notify no one.
	AppointmentCompleted Kind = "appointmentCompleted"
	AppointmentNoShow    Kind = "appointmentNoShow"
	ConsultationRecorded Kind = "consultationRecorded"
)

// Notifies reports whether messages of kind k are published to the
// notification topic; the others are only counted.
func (k Kind) Notifies() bool {
	switch k {
	case AppointmentCompleted, AppointmentNoShow, ConsultationRecorded:
		return false
	}
	return true
}

// Message is one outbox row. It names resources, never their content: the
// delivery side reads the current state when it sends.
type Message struct {
	ID             string
	Kind           Kind
	AppointmentID  string
	PractitionerID string
	BeneficiaryID  string
	DonationID     string
	DonorID        string
	NotificationID string
	ConsultationID string
	// Recipient and Channel name a deferred delivery.
	Recipient string
	Channel   string
	// DueAt is when the message may leave: now for notices, 24 hours before
	// the appointment for a reminder.
	DueAt     time.Time
	CreatedAt time.Time
}

type item struct {
	PK             string `dynamodbav:"pk"`
	SK             string `dynamodbav:"sk"`
	GSI1PK         string `dynamodbav:"gsi1pk"`
	GSI1SK         string `dynamodbav:"gsi1sk"`
	ID             string `dynamodbav:"id"`
	Kind           string `dynamodbav:"kind"`
	AppointmentID  string `dynamodbav:"appointmentId,omitempty"`
	PractitionerID string `dynamodbav:"practitionerId,omitempty"`
	BeneficiaryID  string `dynamodbav:"beneficiaryId,omitempty"`
	DonationID     string `dynamodbav:"donationId,omitempty"`
	DonorID        string `dynamodbav:"donorId,omitempty"`
	NotificationID string `dynamodbav:"notificationId,omitempty"`
	ConsultationID string `dynamodbav:"consultationId,omitempty"`
	Recipient      string `dynamodbav:"recipient,omitempty"`
	Channel        string `dynamodbav:"channel,omitempty"`
	DueAt          string `dynamodbav:"dueAt"`
	CreatedAt      string `dynamodbav:"createdAt"`
	Status         string `dynamodbav:"status"`
}

// Put returns the transaction item that writes m, pending, into table.
func Put(table string, m Message) (types.TransactWriteItem, error) {
	due := dynamo.Time(m.DueAt)
	av, err := attributevalue.MarshalMap(item{
		PK: "MSG#" + m.ID, SK: "MSG", GSI1PK: "PENDING", GSI1SK: due + "#" + m.ID,
		ID: m.ID, Kind: string(m.Kind), AppointmentID: m.AppointmentID, PractitionerID: m.PractitionerID,
		BeneficiaryID: m.BeneficiaryID, DonationID: m.DonationID, DonorID: m.DonorID,
		NotificationID: m.NotificationID, ConsultationID: m.ConsultationID, Recipient: m.Recipient, Channel: m.Channel, DueAt: due, CreatedAt: dynamo.Time(m.CreatedAt), Status: "pending",
	})
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("marshal outbox message: %w", err)
	}
	return types.TransactWriteItem{Put: &types.Put{
		TableName: aws.String(table), Item: av, ConditionExpression: aws.String("attribute_not_exists(pk)"),
	}}, nil
}

// Item is the stored form of a message, for the dispatcher.
type Item = item

// Decode reads a stored message.
func Decode(av map[string]types.AttributeValue) (Message, error) {
	var it item
	if err := attributevalue.UnmarshalMap(av, &it); err != nil {
		return Message{}, fmt.Errorf("unmarshal outbox message: %w", err)
	}
	due := dynamo.ParseTime(it.DueAt)
	created := dynamo.ParseTime(it.CreatedAt)
	return Message{ID: it.ID, Kind: Kind(it.Kind), AppointmentID: it.AppointmentID, PractitionerID: it.PractitionerID,
		BeneficiaryID: it.BeneficiaryID, DonationID: it.DonationID, DonorID: it.DonorID, NotificationID: it.NotificationID,
		ConsultationID: it.ConsultationID, Recipient: it.Recipient, Channel: it.Channel, DueAt: due, CreatedAt: created}, nil
}
