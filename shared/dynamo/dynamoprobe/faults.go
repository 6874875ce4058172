package dynamoprobe

import (
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go"
)

// Faults makes chosen DynamoDB requests fail before they are sent, for the
// tests of what a client sees and what stays stored when the data store
// throttles, times out or is unavailable. Requests are matched by the API
// operation they serve (as counted by a Counter's Begin) and the DynamoDB
// action.
type Faults struct {
	mu    sync.Mutex
	rules []*fault
}

type fault struct {
	op, action string
	match      func(params any) bool
	err        error
	left       int
}

// Throttled is the error DynamoDB answers when a table is over its limits.
var Throttled error = &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate of requests exceeds the allowed throughput.", Fault: smithy.FaultServer}

// Fail makes the next times requests of action made for the API operation
// op fail with err.
func (f *Faults) Fail(op, action string, err error, times int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules = append(f.rules, &fault{op: op, action: action, err: err, left: times})
}

// AnyAction matches every DynamoDB action in Fail and FailMatching.
const AnyAction = "*"

// FailWriting makes the next times requests for op that write to a table
// whose name ends with table fail with err, whatever their action.
func (f *Faults) FailWriting(op, table string, err error, times int) {
	f.FailMatching(op, AnyAction, func(params any) bool {
		for _, t := range WrittenTables(params) {
			if strings.HasSuffix(t, table) {
				return true
			}
		}
		return false
	}, err, times)
}

// FailMatching is Fail for the requests whose input (such as a
// *dynamodb.PutItemInput) match accepts: one step among several of the
// same action.
func (f *Faults) FailMatching(op, action string, match func(params any) bool, err error, times int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules = append(f.rules, &fault{op: op, action: action, match: match, err: err, left: times})
}

// Take returns the error a request of action for op must fail with, if a
// rule says so, consuming it; params is the request's input as the SDK
// types it (WrittenTables reads it). Instrument calls it for every request
// of its client; a store reached over the wire calls it itself.
func (f *Faults) Take(op, action string, params any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.rules {
		if r.left > 0 && r.op == op && (r.action == action || r.action == AnyAction) && (r.match == nil || r.match(params)) {
			r.left--
			return r.err
		}
	}
	return nil
}

// Instrument returns a client with db's options whose requests fail as f
// says.
func (f *Faults) Instrument(db *dynamodb.Client) *dynamodb.Client {
	return before(db, "OHCSFaults", f.Take)
}
