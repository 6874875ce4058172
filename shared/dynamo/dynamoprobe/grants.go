package dynamoprobe

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go"
)

// Grants enforces, for the local server, the IAM grants each function has
// in AWS: a request that touches a table with an action the function's
// role does not allow fails unsent with AccessDeniedException, as DynamoDB
// answers it. IAM evaluates a transaction item by item (Put as PutItem,
// Update as UpdateItem, Delete as DeleteItem, ConditionCheck as
// ConditionCheckItem, TransactGetItems as GetItem), and a batch table by
// table (Amazon DynamoDB developer guide, "Using IAM with DynamoDB
// transactions" and "Actions, resources, and condition keys for Amazon
// DynamoDB").
type Grants struct {
	// Allowed maps a function (the operation name of Counter.Begin) to the
	// physical tables it may use and the actions on each.
	Allowed map[string]map[string][]string
	mu      sync.Mutex
	denied  []string
}

// Allow grants fn the actions on the physical table.
func (g *Grants) Allow(fn, table string, actions ...string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.Allowed == nil {
		g.Allowed = map[string]map[string][]string{}
	}
	if g.Allowed[fn] == nil {
		g.Allowed[fn] = map[string][]string{}
	}
	g.Allowed[fn][table] = append(g.Allowed[fn][table], actions...)
}

// TakeDenied returns every request refused since the last call, as
// "fn action table", and forgets them.
func (g *Grants) TakeDenied() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := g.denied
	g.denied = nil
	sort.Strings(out)
	return out
}

// Instrument returns a client with db's options whose requests the grants
// check. Requests outside any function (Background: table creation and
// seeding) are the operator's, not a function's, and pass.
func (g *Grants) Instrument(db *dynamodb.Client) *dynamodb.Client {
	return before(db, "OHCSGrants", func(op, action string, params any) error {
		if op == Background {
			return nil
		}
		return g.Check(op, params)
	})
}

// Check returns the AccessDeniedException of a request fn may not send.
func (g *Grants) Check(fn string, params any) error {
	return g.CheckNeeds(fn, IAMActions(params))
}

// CheckNeeds is Check for the IAM actions a request needs (IAMActions, or
// WireNeeds for a request read off the wire).
func (g *Grants) CheckNeeds(fn string, needs []Need) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, need := range needs {
		if !slices.Contains(g.Allowed[fn][need.Table], need.Action) {
			g.denied = append(g.denied, fmt.Sprintf("%s %s %s", fn, need.Action, need.Table))
			return &smithy.GenericAPIError{Code: "AccessDeniedException", Fault: smithy.FaultClient,
				Message: fmt.Sprintf("User: %s is not authorized to perform: dynamodb:%s on resource: table/%s", fn, need.Action, need.Table)}
		}
	}
	return nil
}

// Need is one IAM action a request needs on one table.
type Need struct{ Action, Table string }

// IAMActions lists what IAM checks for a request's input.
func IAMActions(params any) []Need {
	var out []Need
	add := func(action string, table *string) { out = append(out, Need{action, deref(table)}) }
	switch in := params.(type) {
	case *dynamodb.GetItemInput:
		add("GetItem", in.TableName)
	case *dynamodb.QueryInput:
		add("Query", in.TableName)
	case *dynamodb.ScanInput:
		add("Scan", in.TableName)
	case *dynamodb.PutItemInput:
		add("PutItem", in.TableName)
	case *dynamodb.UpdateItemInput:
		add("UpdateItem", in.TableName)
	case *dynamodb.DeleteItemInput:
		add("DeleteItem", in.TableName)
	case *dynamodb.BatchGetItemInput:
		for t := range in.RequestItems {
			add("BatchGetItem", &t)
		}
	case *dynamodb.BatchWriteItemInput:
		for t := range in.RequestItems {
			add("BatchWriteItem", &t)
		}
	case *dynamodb.TransactGetItemsInput:
		for _, it := range in.TransactItems {
			if it.Get != nil {
				add("GetItem", it.Get.TableName)
			}
		}
	case *dynamodb.TransactWriteItemsInput:
		for _, it := range in.TransactItems {
			switch {
			case it.Put != nil:
				add("PutItem", it.Put.TableName)
			case it.Update != nil:
				add("UpdateItem", it.Update.TableName)
			case it.Delete != nil:
				add("DeleteItem", it.Delete.TableName)
			case it.ConditionCheck != nil:
				add("ConditionCheckItem", it.ConditionCheck.TableName)
			}
		}
	default:
		// Table management and anything else: no function is granted it.
		name := strings.TrimPrefix(fmt.Sprintf("%T", params), "*dynamodb.")
		out = append(out, Need{strings.TrimSuffix(name, "Input"), "*"})
	}
	return out
}

// WireNeeds lists what IAM checks for a request as DynamoDB receives it:
// the action of its X-Amz-Target and the JSON body.
func WireNeeds(action string, body []byte) []Need {
	var in struct {
		TableName     string
		TransactItems []struct {
			Get, Put, Update, Delete, ConditionCheck *struct{ TableName string }
		}
		RequestItems map[string]json.RawMessage
	}
	_ = json.Unmarshal(body, &in)
	var out []Need
	switch action {
	case "TransactWriteItems", "TransactGetItems":
		for _, it := range in.TransactItems {
			switch {
			case it.Get != nil:
				out = append(out, Need{"GetItem", it.Get.TableName})
			case it.Put != nil:
				out = append(out, Need{"PutItem", it.Put.TableName})
			case it.Update != nil:
				out = append(out, Need{"UpdateItem", it.Update.TableName})
			case it.Delete != nil:
				out = append(out, Need{"DeleteItem", it.Delete.TableName})
			case it.ConditionCheck != nil:
				out = append(out, Need{"ConditionCheckItem", it.ConditionCheck.TableName})
			}
		}
	case "BatchGetItem", "BatchWriteItem":
		tables := make([]string, 0, len(in.RequestItems))
		for t := range in.RequestItems {
			tables = append(tables, t)
		}
		sort.Strings(tables)
		for _, t := range tables {
			out = append(out, Need{action, t})
		}
	default:
		table := in.TableName
		if table == "" {
			table = "*"
		}
		out = append(out, Need{action, table})
	}
	return out
}
