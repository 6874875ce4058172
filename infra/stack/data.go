package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsbackup"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/jsii-runtime-go"

	"ohcs/shared/config"
	"ohcs/shared/tables"
)

// allowLogs lets CloudWatch Logs of this account and region use the key.
func allowLogs(st awscdk.Stack, key awskms.Key) {
	key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("logs."+*st.Region()+".amazonaws.com"), nil)},
		Actions:    jsii.Strings("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]any{"ArnLike": map[string]any{
			"kms:EncryptionContext:aws:logs:arn": "arn:" + *st.Partition() + ":logs:" + *st.Region() + ":" + *st.Account() + ":*",
		}},
	}), jsii.Bool(true))
}

// dataTables are the tables by logical name.
type dataTables map[string]awsdynamodb.Table

// newTables creates every table of the table definitions: on demand, point
// in time recovery, the customer-managed key, deletion protection, TTL.
func newTables(st awscdk.Stack, key awskms.Key) dataTables {
	out := dataTables{}
	for _, def := range tables.All() {
		t := awsdynamodb.NewTable(st, jsii.String("Table-"+def.Name), &awsdynamodb.TableProps{
			PartitionKey:        &awsdynamodb.Attribute{Name: jsii.String(def.PartitionKey), Type: awsdynamodb.AttributeType_STRING},
			SortKey:             &awsdynamodb.Attribute{Name: jsii.String(def.SortKey), Type: awsdynamodb.AttributeType_STRING},
			BillingMode:         awsdynamodb.BillingMode_PAY_PER_REQUEST,
			Encryption:          awsdynamodb.TableEncryption_CUSTOMER_MANAGED,
			EncryptionKey:       key,
			DeletionProtection:  jsii.Bool(true),
			RemovalPolicy:       awscdk.RemovalPolicy_RETAIN,
			TimeToLiveAttribute: ttl(def),
			PointInTimeRecoverySpecification: &awsdynamodb.PointInTimeRecoverySpecification{
				PointInTimeRecoveryEnabled: jsii.Bool(true),
			},
		})
		for _, ix := range def.Indexes {
			t.AddGlobalSecondaryIndex(&awsdynamodb.GlobalSecondaryIndexProps{
				IndexName:      jsii.String(ix.Name),
				PartitionKey:   &awsdynamodb.Attribute{Name: jsii.String(ix.PartitionKey), Type: awsdynamodb.AttributeType_STRING},
				SortKey:        &awsdynamodb.Attribute{Name: jsii.String(ix.SortKey), Type: awsdynamodb.AttributeType_STRING},
				ProjectionType: awsdynamodb.ProjectionType_ALL,
			})
		}
		out[def.Name] = t
	}
	backup(st, key, out)
	return out
}

// backup adds every table to a daily AWS Backup plan kept 35 days, beside
// point-in-time recovery: a second copy that survives a deleted table.
func backup(st awscdk.Stack, key awskms.Key, tbls dataTables) {
	vault := awsbackup.NewBackupVault(st, jsii.String("Backups"), &awsbackup.BackupVaultProps{
		EncryptionKey: key, RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	plan := awsbackup.BackupPlan_Daily35DayRetention(st, jsii.String("BackupPlan"), vault)
	var resources []awsbackup.BackupResource
	for _, def := range tables.All() {
		resources = append(resources, awsbackup.BackupResource_FromDynamoDbTable(tbls[def.Name]))
	}
	sel := plan.AddSelection(jsii.String("Tables"), &awsbackup.BackupSelectionOptions{Resources: &resources})
	accept(sel, suppression{id: "AwsSolutions-IAM4", reason: "AWS Backup's service role policy is the one AWS Backup documents for creating backups",
		appliesTo: []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"}})
}

func ttl(def tables.Table) *string {
	if def.TTLAttribute == "" {
		return nil
	}
	return jsii.String(def.TTLAttribute)
}

// tableEnv names the physical table of def for a function's configuration.
func tableEnv(def tables.Table) string { return config.TableEnv(def.Name) }

// The DynamoDB actions a function may use: reads and writes of items, never
// Scan or table management.
var (
	readActions  = []string{"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:ConditionCheckItem"}
	writeActions = []string{"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"}
)

// grantTables lets fn read the tables of reads and write those of writes,
// and use the data key for them.
func grantTables(fn awsiam.IGrantable, key awskms.Key, tbls dataTables, reads, writes []tables.Table) {
	for _, t := range reads {
		tbls[t.Name].Grant(fn, *jsii.Strings(readActions...)...)
	}
	for _, t := range writes {
		tbls[t.Name].Grant(fn, *jsii.Strings(writeActions...)...)
	}
	if len(reads)+len(writes) > 0 {
		key.GrantEncryptDecrypt(fn)
	}
}
