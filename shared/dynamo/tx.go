package dynamo

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Tx is a transaction whose items have names: a cancellation is read by the
// name of the item whose condition failed, never by its position, so that
// adding or reordering items cannot change what an error means. Several
// items may share a name (the outbox rows of one change).
type Tx struct {
	items []types.TransactWriteItem
	names []string
}

// Add appends an item under name.
func (t *Tx) Add(name string, item types.TransactWriteItem) {
	t.items, t.names = append(t.items, item), append(t.names, name)
}

// Items are the transaction's items, in order.
func (t *Tx) Items() []types.TransactWriteItem { return t.items }

// Run writes the transaction.
func (t *Tx) Run(ctx context.Context, db *dynamodb.Client) error {
	_, err := db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: t.items})
	return err
}

// Failed reports whether err cancelled the transaction because the
// condition of an item named name failed.
func (t *Tx) Failed(err error, name string) bool {
	for i, code := range CancellationCodes(err) {
		if i < len(t.names) && t.names[i] == name && code == "ConditionalCheckFailed" {
			return true
		}
	}
	return false
}

// Retry reports whether err cancelled the transaction for a reason a
// fresh read may cure: a failed condition (an item changed since it was
// read) or contention.
func (t *Tx) Retry(err error) bool {
	return slices.Contains(CancellationCodes(err), "ConditionalCheckFailed") || t.Contended(err)
}

// Contended reports whether err cancelled the transaction for a reason
// worth trying again: another transaction on the same items at the same
// time, or throttling; not a failed condition.
func (t *Tx) Contended(err error) bool {
	codes := CancellationCodes(err)
	for _, code := range codes {
		switch code {
		case "TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded":
			return true
		}
	}
	return false
}
