// Package notificationdb stores notices in the notifications table.
//
// Items:
//   - notices:    pk NOTIFICATION#<id>, sk NOTIFICATION, with flat counters
//     c_<channel>_<status> changed only by ADD
//   - deliveries: pk NOTIFICATION#<id>, sk DELIVERY#<recipient>#<channel>,
//     put with attribute_not_exists: one delivery per recipient and channel
//   - inboxes:    pk INBOX#<sub>, sk NOTIFICATION#<id>; gsi1 orders them by
//     time
//   - preferences: pk PREFERENCES#<sub>, sk PREFERENCES
package notificationdb

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/dynamo"
	"ohcs/shared/notification"
	"ohcs/shared/outbox"
	"ohcs/shared/page"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

// Store is the DynamoDB notification store.
type Store struct {
	DB          *dynamodb.Client
	Table       string
	OutboxTable string
}

var _ notification.Store = (*Store)(nil)

type noticeItem struct {
	ID             string   `dynamodbav:"id"`
	SenderSub      string   `dynamodbav:"senderSub"`
	Kind           string   `dynamodbav:"kind"`
	BeneficiaryIDs []string `dynamodbav:"beneficiaryIds,omitempty"`
	Role           string   `dynamodbav:"role,omitempty"`
	OrganizationID string   `dynamodbav:"organizationId,omitempty"`
	Subject        string   `dynamodbav:"subject"`
	Message        string   `dynamodbav:"message"`
	Channels       []string `dynamodbav:"channels"`
	Priority       string   `dynamodbav:"priority"`
	RecipientCount int      `dynamodbav:"recipientCount"`
	CreatedAt      string   `dynamodbav:"createdAt"`
}

// Create stores a notice and, with outboxMessageID, its outbox row.
func (st *Store) Create(ctx context.Context, n notification.Notification, outboxMessageID string) error {
	it := noticeItem{ID: n.ID, SenderSub: n.SenderSub, Kind: n.Kind, BeneficiaryIDs: n.BeneficiaryIDs, Role: n.Role,
		OrganizationID: n.OrganizationID, Subject: n.Subject, Message: n.Message, Priority: n.Priority,
		RecipientCount: n.RecipientCount, CreatedAt: dynamo.Time(n.CreatedAt)}
	for _, c := range n.Channels {
		it.Channels = append(it.Channels, string(c))
	}
	item, err := attributevalue.MarshalMap(it)
	if err != nil {
		return fmt.Errorf("marshal notice: %w", err)
	}
	for k, v := range dynamo.Key("NOTIFICATION#"+n.ID, "NOTIFICATION") {
		item[k] = v
	}
	var tx dynamo.Tx
	tx.Add("notice", types.TransactWriteItem{Put: &types.Put{TableName: aws.String(st.Table), Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")}})
	if outboxMessageID != "" {
		msg, err := outbox.Put(st.OutboxTable, outbox.Message{ID: outboxMessageID, Kind: outbox.NotificationSent, NotificationID: n.ID,
			DueAt: n.CreatedAt, CreatedAt: n.CreatedAt})
		if err != nil {
			return err
		}
		tx.Add("outbox", msg)
	}
	err = tx.Run(ctx, st.DB)
	if tx.Failed(err, "notice") {
		return problem.New(problem.Conflict, "notice %s exists", n.ID)
	}
	return dynamo.Err(err, "create notice")
}

// Get reads a notice and its counters.
func (st *Store) Get(ctx context.Context, id string) (notification.Notification, error) {
	out, err := st.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(st.Table), Key: dynamo.Key("NOTIFICATION#"+id, "NOTIFICATION"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return notification.Notification{}, dynamo.Err(err, "get notice")
	}
	if out.Item == nil {
		return notification.Notification{}, problem.New(problem.NotFound, "no notification %s", id)
	}
	var it noticeItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return notification.Notification{}, fmt.Errorf("unmarshal notice: %w", err)
	}
	n := notification.Notification{ID: it.ID, SenderSub: it.SenderSub, Kind: it.Kind, BeneficiaryIDs: it.BeneficiaryIDs, Role: it.Role,
		OrganizationID: it.OrganizationID, Subject: it.Subject, Message: it.Message, Priority: it.Priority,
		RecipientCount: it.RecipientCount, Counts: map[notification.Channel]map[string]int{}}
	n.CreatedAt = dynamo.ParseTime(it.CreatedAt)
	for _, c := range it.Channels {
		n.Channels = append(n.Channels, notification.Channel(c))
	}
	for name, v := range out.Item {
		rest, ok := strings.CutPrefix(name, "c_")
		if !ok {
			continue
		}
		ch, status, _ := strings.Cut(rest, "_")
		num, _ := v.(*types.AttributeValueMemberN)
		if num == nil {
			continue
		}
		count, _ := strconv.Atoi(num.Value)
		if n.Counts[notification.Channel(ch)] == nil {
			n.Counts[notification.Channel(ch)] = map[string]int{}
		}
		n.Counts[notification.Channel(ch)][status] = count
	}
	return n, nil
}

func (st *Store) add(ctx context.Context, id string, adds map[string]int) error {
	var parts []string
	vals := map[string]types.AttributeValue{}
	i := 0
	for name, n := range adds {
		parts = append(parts, fmt.Sprintf("%s :v%d", name, i))
		vals[fmt.Sprintf(":v%d", i)] = &types.AttributeValueMemberN{Value: strconv.Itoa(n)}
		i++
	}
	_, err := st.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(st.Table), Key: dynamo.Key("NOTIFICATION#"+id, "NOTIFICATION"),
		UpdateExpression: aws.String("ADD " + strings.Join(parts, ", ")), ExpressionAttributeValues: vals})
	return dynamo.Err(err, "count delivery")
}

// AddRecipients adds to the recipient count.
func (st *Store) AddRecipients(ctx context.Context, id string, n int) error {
	return st.add(ctx, id, map[string]int{"recipientCount": n})
}

func deliveryKey(id, recipient string, ch notification.Channel) map[string]types.AttributeValue {
	return dynamo.Key("NOTIFICATION#"+id, "DELIVERY#"+recipient+"#"+string(ch))
}

// Claim creates the delivery row, takes up one released after a failed
// attempt, or takes over one left unsettled since before staleBefore.
func (st *Store) Claim(ctx context.Context, id, recipient string, ch notification.Channel, now, staleBefore time.Time) (bool, error) {
	_, err := st.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(st.Table), Key: deliveryKey(id, recipient, ch),
		UpdateExpression:         aws.String("SET #s = :sending, claimedAt = :now"),
		ConditionExpression:      aws.String("attribute_not_exists(pk) OR #s = :retry OR (#s = :sending AND claimedAt < :stale)"),
		ExpressionAttributeNames: map[string]string{"#s": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":sending": dynamo.S("sending"), ":retry": dynamo.S("retry"),
			":now": dynamo.S(dynamo.Time(now)), ":stale": dynamo.S(dynamo.Time(staleBefore))}})
	if !dynamo.IsConditionFailed(err) {
		return err == nil, dynamo.Err(err, "claim delivery")
	}
	out, err := st.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(st.Table), Key: deliveryKey(id, recipient, ch), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return false, dynamo.Err(err, "read delivery")
	}
	if v, ok := out.Item["status"].(*types.AttributeValueMemberS); ok && v.Value == "sending" {
		return false, notification.ErrInFlight
	}
	return false, nil
}

// Settle records the outcome and counts it in one transaction; a delivery
// settled before is not counted again.
func (st *Store) Settle(ctx context.Context, id, recipient string, ch notification.Channel, status string) error {
	var tx dynamo.Tx
	tx.Add("delivery", types.TransactWriteItem{Update: &types.Update{TableName: aws.String(st.Table), Key: deliveryKey(id, recipient, ch),
		UpdateExpression: aws.String("SET #s = :s"), ConditionExpression: aws.String("#s = :sending"),
		ExpressionAttributeNames:  map[string]string{"#s": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":s": dynamo.S(status), ":sending": dynamo.S("sending")}}})
	tx.Add("count", types.TransactWriteItem{Update: &types.Update{TableName: aws.String(st.Table), Key: dynamo.Key("NOTIFICATION#"+id, "NOTIFICATION"),
		UpdateExpression:          aws.String("ADD #c :one"),
		ExpressionAttributeNames:  map[string]string{"#c": "c_" + string(ch) + "_" + status},
		ExpressionAttributeValues: map[string]types.AttributeValue{":one": &types.AttributeValueMemberN{Value: "1"}}}})
	err := tx.Run(ctx, st.DB)
	if tx.Failed(err, "delivery") {
		return nil // settled by the sender that took it over
	}
	return dynamo.Err(err, "settle delivery")
}

// Release marks a claim free for a retry and counts the failed attempt.
func (st *Store) Release(ctx context.Context, id, recipient string, ch notification.Channel) (int, error) {
	out, err := st.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(st.Table), Key: deliveryKey(id, recipient, ch),
		UpdateExpression: aws.String("SET #s = :retry ADD attempts :one"), ConditionExpression: aws.String("#s = :sending"),
		ExpressionAttributeNames: map[string]string{"#s": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":retry": dynamo.S("retry"), ":sending": dynamo.S("sending"),
			":one": &types.AttributeValueMemberN{Value: "1"}},
		ReturnValues: types.ReturnValueUpdatedNew})
	if dynamo.IsConditionFailed(err) {
		return 0, nil // settled meanwhile by a sender that took it over
	}
	if err != nil {
		return 0, dynamo.Err(err, "release delivery")
	}
	n := 0
	if v, ok := out.Attributes["attempts"].(*types.AttributeValueMemberN); ok {
		n, _ = strconv.Atoi(v.Value)
	}
	return n, nil
}

type inboxItem struct {
	NotificationID string `dynamodbav:"notificationId"`
	Subject        string `dynamodbav:"subject"`
	Message        string `dynamodbav:"message"`
	Priority       string `dynamodbav:"priority"`
	Read           bool   `dynamodbav:"read"`
	CreatedAt      string `dynamodbav:"createdAt"`
}

// PutInbox stores an inbox item once.
func (st *Store) PutInbox(ctx context.Context, sub string, it notification.InboxItem) error {
	item, err := attributevalue.MarshalMap(inboxItem{NotificationID: it.NotificationID, Subject: it.Subject, Message: it.Message,
		Priority: it.Priority, CreatedAt: dynamo.Time(it.CreatedAt)})
	if err != nil {
		return err
	}
	for k, v := range dynamo.Key("INBOX#"+sub, "NOTIFICATION#"+it.NotificationID) {
		item[k] = v
	}
	item[tables.GSI1PK], item[tables.GSI1SK] = dynamo.S("INBOX#"+sub), dynamo.S(dynamo.Time(it.CreatedAt)+"#"+it.NotificationID)
	_, err = st.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(st.Table), Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")})
	if dynamo.IsConditionFailed(err) {
		return nil
	}
	return dynamo.Err(err, "put inbox item")
}

func decodeInbox(item map[string]types.AttributeValue) (notification.InboxItem, error) {
	var it inboxItem
	if err := attributevalue.UnmarshalMap(item, &it); err != nil {
		return notification.InboxItem{}, err
	}
	out := notification.InboxItem{NotificationID: it.NotificationID, Subject: it.Subject, Message: it.Message, Priority: it.Priority, Read: it.Read}
	out.CreatedAt = dynamo.ParseTime(it.CreatedAt)
	return out, nil
}

// Inbox pages through an inbox, newest first.
func (st *Store) Inbox(ctx context.Context, sub string, unreadOnly bool, limit int, after map[string]string) (page.Of[notification.InboxItem], error) {
	keys := []string{tables.PK, tables.SK, tables.GSI1PK, tables.GSI1SK}
	in := &dynamodb.QueryInput{TableName: aws.String(st.Table), IndexName: aws.String(tables.GSI1.Name),
		KeyConditionExpression: aws.String("gsi1pk = :pk"), ScanIndexForward: aws.Bool(false),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S("INBOX#" + sub)}}
	if unreadOnly {
		in.FilterExpression = aws.String("#read = :f")
		in.ExpressionAttributeNames = map[string]string{"#read": "read"}
		in.ExpressionAttributeValues[":f"] = &types.AttributeValueMemberBOOL{Value: false}
	}
	raw, next, err := dynamo.Page(ctx, st.DB, in, keys, limit, after, unreadOnly, "list inbox")
	if err != nil {
		return page.Of[notification.InboxItem]{}, err
	}
	listed, err := dynamo.Decode(raw, decodeInbox)
	return page.Of[notification.InboxItem]{Items: listed, Next: next}, err
}

// MarkRead marks an inbox item read.
func (st *Store) MarkRead(ctx context.Context, sub, id string) (notification.InboxItem, error) {
	out, err := st.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(st.Table), Key: dynamo.Key("INBOX#"+sub, "NOTIFICATION#"+id),
		UpdateExpression: aws.String("SET #read = :t"), ConditionExpression: aws.String("attribute_exists(pk)"),
		ExpressionAttributeNames: map[string]string{"#read": "read"}, ReturnValues: types.ReturnValueAllNew,
		ExpressionAttributeValues: map[string]types.AttributeValue{":t": &types.AttributeValueMemberBOOL{Value: true}}})
	if dynamo.IsConditionFailed(err) {
		return notification.InboxItem{}, problem.New(problem.NotFound, "no notification %s in your inbox", id)
	}
	if err != nil {
		return notification.InboxItem{}, dynamo.Err(err, "mark read")
	}
	return decodeInbox(out.Attributes)
}

type prefsItem struct {
	Off        []string `dynamodbav:"off,omitempty"`
	QuietStart int      `dynamodbav:"quietStart"`
	QuietEnd   int      `dynamodbav:"quietEnd"`
	TimeZone   string   `dynamodbav:"timeZone,omitempty"`
	Language   string   `dynamodbav:"language,omitempty"`
}

// Preferences reads a person's preferences.
func (st *Store) Preferences(ctx context.Context, sub string) (notification.Preferences, error) {
	out, err := st.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(st.Table), Key: dynamo.Key("PREFERENCES#"+sub, "PREFERENCES"), ConsistentRead: aws.Bool(true)})
	if err != nil || out.Item == nil {
		return notification.Preferences{}, dynamo.Err(err, "get preferences")
	}
	var it prefsItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return notification.Preferences{}, err
	}
	p := notification.Preferences{QuietStart: it.QuietStart, QuietEnd: it.QuietEnd, TimeZone: it.TimeZone, Language: it.Language}
	for _, c := range it.Off {
		p.Off = append(p.Off, notification.Channel(c))
	}
	return p, nil
}

// PutPreferences stores a person's preferences.
func (st *Store) PutPreferences(ctx context.Context, sub string, p notification.Preferences) error {
	it := prefsItem{QuietStart: p.QuietStart, QuietEnd: p.QuietEnd, TimeZone: p.TimeZone, Language: p.Language}
	for _, c := range p.Off {
		it.Off = append(it.Off, string(c))
	}
	item, err := attributevalue.MarshalMap(it)
	if err != nil {
		return err
	}
	for k, v := range dynamo.Key("PREFERENCES#"+sub, "PREFERENCES") {
		item[k] = v
	}
	_, err = st.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(st.Table), Item: item})
	return dynamo.Err(err, "put preferences")
}
