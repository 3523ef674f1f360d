package stacks

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamservicelinkedrole"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/constructs/kms"
)

// newEbsKey creates the key that encrypts every EBS volume (R4), with the
// key policy the article gives: the Auto Scaling service-linked role (which
// launches managed-node-group instances) and the cluster role may use it,
// and may create grants only for AWS resources (EBS attaching a volume).
// extraPrincipals are further roles that launch instances or create
// volumes with it (Karpenter's).
func newEbsKey(stack cdktf.TerraformStack, cfg config.Cluster, in *Infra, extraPrincipals []*string) *kms.Key {
	acct := in.Account
	slr := acct.Arn("iam", "", "role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling")
	var deps []cdktf.ITerraformDependable
	if cfg.VolumeEncryption.CreateAutoscalingServiceLinkedRole {
		role := iamservicelinkedrole.NewIamServiceLinkedRole(stack, jsii.String("autoscaling-service-linked-role"), &iamservicelinkedrole.IamServiceLinkedRoleConfig{
			AwsServiceName: jsii.String("autoscaling.amazonaws.com"),
		})
		slr = role.Arn()
		deps = append(deps, role)
	}
	principals := append([]*string{slr, in.Cluster.Role.Arn()}, extraPrincipals...)
	key := kms.NewKey(stack, "ebs-key", kms.KeyConfig{
		Account:            acct,
		Alias:              "eks/" + cfg.Name + "/ebs",
		Description:        fmt.Sprintf("Encryption of EBS volumes of EKS cluster %s", cfg.Name),
		DeletionWindowDays: cfg.ControlPlane.KeyDeletionWindowDays,
		Statements: []kms.Statement{
			{
				"Sid":       "VolumeLaunchersUseTheKey",
				"Effect":    "Allow",
				"Principal": map[string]any{"AWS": principals},
				"Action":    []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"},
				"Resource":  "*",
			},
			{
				"Sid":       "VolumeLaunchersGrantOnlyToAWSResources",
				"Effect":    "Allow",
				"Principal": map[string]any{"AWS": principals},
				"Action":    "kms:CreateGrant",
				"Resource":  "*",
				"Condition": map[string]any{"Bool": map[string]any{"kms:GrantIsForAWSResource": true}},
			},
		},
		DependsOn: deps,
	})
	return key
}

// ebsCSIKeyPolicy lets the EBS CSI driver create and attach volumes
// encrypted with the cluster's key (the managed AmazonEBSCSIDriverPolicy
// covers only AWS-managed keys).
func ebsCSIKeyPolicy(keyArn *string) map[string]any {
	return map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{
				"Sid":       "GrantsForAttachedVolumes",
				"Effect":    "Allow",
				"Action":    []string{"kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"},
				"Resource":  keyArn,
				"Condition": map[string]any{"Bool": map[string]any{"kms:GrantIsForAWSResource": true}},
			},
			{
				"Sid":      "EncryptVolumes",
				"Effect":   "Allow",
				"Action":   []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"},
				"Resource": keyArn,
			},
		},
	}
}
