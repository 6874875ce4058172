package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsses"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/jsii-runtime-go"
)

type notifications struct {
	topic    awssns.Topic
	alarms   awssns.Topic
	dlq      awssqs.Queue
	identity awsses.EmailIdentity
}

// newNotifications creates the notification topic, the alarm topic, the
// dead-letter queue of asynchronous deliveries and the SES identity mail
// leaves from. The delivery function subscribes to the topic when it exists.
func newNotifications(st awscdk.Stack, key awskms.Key, props Props) notifications {
	topic := awssns.NewTopic(st, jsii.String("Notifications"), &awssns.TopicProps{
		MasterKey: key, EnforceSSL: jsii.Bool(true),
	})
	alarms := awssns.NewTopic(st, jsii.String("Alarms"), &awssns.TopicProps{
		MasterKey: key, EnforceSSL: jsii.Bool(true),
	})
	if props.AlarmEmail != "" {
		alarms.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(props.AlarmEmail), nil))
	}
	dlq := awssqs.NewQueue(st, jsii.String("DeliveryDeadLetters"), &awssqs.QueueProps{
		Encryption: awssqs.QueueEncryption_KMS, EncryptionMasterKey: key, EnforceSSL: jsii.Bool(true),
		RetentionPeriod: awscdk.Duration_Days(jsii.Number(14)),
	})
	accept(dlq, suppression{id: "AwsSolutions-SQS3", reason: "This queue is itself the dead-letter queue of asynchronous notification deliveries"})
	allowServices(st, key)
	identity := awsses.NewEmailIdentity(st, jsii.String("MailFrom"), &awsses.EmailIdentityProps{
		Identity: awsses.Identity_Domain(jsii.String(props.EmailDomain)),
	})
	return notifications{topic: topic, alarms: alarms, dlq: dlq, identity: identity}
}

// KeyServices are the services that write to the stack's encrypted queues
// and topics themselves, not through a role of the stack: SNS moves a
// subscription's undeliverable messages to the dead-letter queue and
// CloudWatch publishes alarms to the alarm topic. Each needs the data key
// in the key policy, or its messages are dropped (Amazon SNS developer
// guide, "Configuring an Amazon SNS dead-letter queue for a subscription";
// Amazon CloudWatch user guide, "Using Amazon CloudWatch alarms": an
// encrypted topic needs the CloudWatch service principal in its key policy).
var KeyServices = []string{"sns.amazonaws.com", "cloudwatch.amazonaws.com"}

// allowServices lets KeyServices of this account use the key to send.
func allowServices(st awscdk.Stack, key awskms.Key) {
	for _, svc := range KeyServices {
		key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String(svc), nil)},
			Actions:    jsii.Strings("kms:GenerateDataKey*", "kms:Decrypt"),
			Resources:  jsii.Strings("*"),
			Conditions: &map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": st.Account()}},
		}), jsii.Bool(true))
	}
}
