// Command floor is the smallest Lambda function in Go: the floor against
// which `make bench` compares the size of every OHCS function.
package main

import "github.com/aws/aws-lambda-go/lambda"

func main() {
	lambda.Start(func() error { return nil })
}
