// Command infra is the OHCS CDK app: `cdk synth` and `cdk deploy` run it.
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"ohcs/infra/stack"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	stack.New(app, "Ohcs", stack.PropsFromContext(app))
	stack.CheckCompliance(app)
	app.Synth(nil)
}
