package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsses"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/jsii-runtime-go"
)

type notifications struct {
	topic  awssns.Topic
	alarms awssns.Topic
	dlq    awssqs.Queue
}

// newNotifications creates the notification topic, the alarm topic, the
// dead-letter queue of asynchronous deliveries and the SES identity mail
// leaves from. The delivery function subscribes to the topic when it exists.
func newNotifications(st awscdk.Stack, key awskms.Key, domain string) notifications {
	topic := awssns.NewTopic(st, jsii.String("Notifications"), &awssns.TopicProps{
		MasterKey: key, EnforceSSL: jsii.Bool(true),
	})
	alarms := awssns.NewTopic(st, jsii.String("Alarms"), &awssns.TopicProps{
		MasterKey: key, EnforceSSL: jsii.Bool(true),
	})
	dlq := awssqs.NewQueue(st, jsii.String("DeliveryDeadLetters"), &awssqs.QueueProps{
		Encryption: awssqs.QueueEncryption_KMS, EncryptionMasterKey: key, EnforceSSL: jsii.Bool(true),
		RetentionPeriod: awscdk.Duration_Days(jsii.Number(14)),
	})
	accept(dlq, suppression{id: "AwsSolutions-SQS3", reason: "This queue is itself the dead-letter queue of asynchronous notification deliveries"})
	awsses.NewEmailIdentity(st, jsii.String("MailFrom"), &awsses.EmailIdentityProps{
		Identity: awsses.Identity_Domain(jsii.String(domain)),
	})
	return notifications{topic: topic, alarms: alarms, dlq: dlq}
}
