// Command fn is a test function for the Lambda mode invoker: it answers
// 200 with the path, fails on /fail and outlives its timeout on /slow.
package main

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(ctx context.Context, ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		switch ev.Path {
		case "/fail":
			return events.APIGatewayProxyResponse{}, errors.New("boom")
		case "/slow":
			time.Sleep(5 * time.Second)
		}
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: ev.Path}, nil
	})
}
