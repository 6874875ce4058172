package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"ohcs/shared/dynamo/dynamoprobe"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
)

// sdkAttempts is how many times the functions' SDK sends a request in
// Lambda mode: once more after a network or store error, as in AWS.
const sdkAttempts = 2

// storeProxy stands between the functions of Lambda mode and the embedded
// store: each function reaches it under /fn/<operation>/, so that, as in
// process, the requests are counted per operation and action and the
// tests' injected faults apply. An injected fault answers as DynamoDB
// does: throttling as a ThrottlingException, anything else as an
// InternalServerError; and it fails the SDK's retries of that request too,
// so that one fault fails one call, as in process. The function's IAM
// grants are enforced here as in process: anything else answers
// AccessDeniedException, as DynamoDB does.
func (s *Server) storeProxy(store http.Handler) http.Handler {
	var mu sync.Mutex
	retries := map[string]int{} // op and action: SDK retries still to fail
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.Path, "/fn/")
		if !ok {
			http.NotFound(w, r)
			return
		}
		op, tail, _ := strings.Cut(rest, "/")
		if service, ok := strings.CutPrefix(tail, "aws/"); ok && s.stack != nil {
			s.stack.services(op, service, w, r, s)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		action := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "DynamoDB_20120810.")
		// IAM first: a request the function's role does not allow is
		// refused before DynamoDB sees it, uncounted.
		if err := s.Grants.CheckNeeds(op, dynamoprobe.WireNeeds(action, body)); err != nil {
			msg, _ := json.Marshal(map[string]string{"__type": "com.amazon.coral.service#AccessDeniedException", "Message": err.Error()})
			w.Header().Set("Content-Type", "application/x-amz-json-1.0")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write(msg)
			return
		}
		params := wireInput(action, body)
		s.Requests.Record(op, action, dynamoprobe.WrittenTables(params))
		err = s.Faults.Take(op, action, params)
		mu.Lock()
		if err != nil {
			retries[op+" "+action] = sdkAttempts - 1
		} else if retries[op+" "+action] > 0 {
			retries[op+" "+action]--
			err = dynamoprobe.Throttled
		}
		mu.Unlock()
		if err != nil {
			code, status := "InternalServerError", http.StatusInternalServerError
			var api smithy.APIError
			if errors.As(err, &api) && api.ErrorCode() == "ThrottlingException" {
				code, status = api.ErrorCode(), http.StatusBadRequest
			}
			w.Header().Set("Content-Type", "application/x-amz-json-1.0")
			w.WriteHeader(status)
			_, _ = fmt.Fprintf(w, `{"__type":"com.amazonaws.dynamodb.v20120810#%s","message":"injected fault"}`, code)
			return
		}
		r.URL.Path, r.RequestURI = "/", ""
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
		store.ServeHTTP(w, r)
	})
}

// wireInput rebuilds, from a request on the wire, as much of its SDK input
// as fault rules look at: the tables it writes to.
func wireInput(action string, body []byte) any {
	var in struct {
		TableName     string
		TransactItems []struct {
			Put, Update, Delete, ConditionCheck *struct{ TableName string }
		}
		RequestItems map[string][]json.RawMessage
	}
	_ = json.Unmarshal(body, &in)
	switch action {
	case "PutItem":
		return &dynamodb.PutItemInput{TableName: aws.String(in.TableName)}
	case "UpdateItem":
		return &dynamodb.UpdateItemInput{TableName: aws.String(in.TableName)}
	case "DeleteItem":
		return &dynamodb.DeleteItemInput{TableName: aws.String(in.TableName)}
	case "TransactWriteItems":
		out := &dynamodb.TransactWriteItemsInput{}
		for _, it := range in.TransactItems {
			var item types.TransactWriteItem
			switch {
			case it.Put != nil:
				item.Put = &types.Put{TableName: aws.String(it.Put.TableName)}
			case it.Update != nil:
				item.Update = &types.Update{TableName: aws.String(it.Update.TableName)}
			case it.Delete != nil:
				item.Delete = &types.Delete{TableName: aws.String(it.Delete.TableName)}
			case it.ConditionCheck != nil:
				item.ConditionCheck = &types.ConditionCheck{TableName: aws.String(it.ConditionCheck.TableName)}
			}
			out.TransactItems = append(out.TransactItems, item)
		}
		return out
	case "BatchWriteItem":
		out := &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{}}
		for t, reqs := range in.RequestItems {
			out.RequestItems[t] = make([]types.WriteRequest, len(reqs))
		}
		return out
	}
	return nil
}
