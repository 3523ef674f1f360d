package stacks

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamservicelinkedrole"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/constructs/account"
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
	if cfg.AutoModeOn() {
		return kms.NewKey(stack, "ebs-key", ebsKeyConfig(cfg, acct, AutoModeEbsKeyStatements(in.Cluster.Role.Arn()), nil))
	}
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
	key := kms.NewKey(stack, "ebs-key", ebsKeyConfig(cfg, acct, []kms.Statement{
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
	}, deps))
	return key
}

// ebsKeyConfig is the EBS key with its policy statements.
func ebsKeyConfig(cfg config.Cluster, acct *account.Account, statements []kms.Statement, deps []cdktf.ITerraformDependable) kms.KeyConfig {
	return kms.KeyConfig{
		Account:            acct,
		Alias:              "eks/" + cfg.Name + "/ebs",
		Description:        fmt.Sprintf("Encryption of EBS volumes of EKS cluster %s", cfg.Name),
		DeletionWindowDays: cfg.ControlPlane.KeyDeletionWindowDays,
		Statements:         statements,
		DependsOn:          deps,
	}
}

// AutoModeEbsKeyStatements are what an EKS Auto Mode cluster needs of the
// EBS key, exactly as the EKS user guide gives them (auto-kms, "Configure
// the key policy"): Auto Mode launches nodes and creates PersistentVolumes
// through the cluster role, which may use the key and create, list and
// revoke grants for AWS resources only. No Auto Scaling group exists, so
// the Auto Scaling service-linked role is not named.
func AutoModeEbsKeyStatements(clusterRoleArn *string) []kms.Statement {
	principal := map[string]any{"AWS": []*string{clusterRoleArn}}
	return []kms.Statement{
		{
			"Sid":       "ClusterRoleUsesTheKey",
			"Effect":    "Allow",
			"Principal": principal,
			"Action":    []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"},
			"Resource":  "*",
		},
		{
			"Sid":       "ClusterRoleAttachesPersistentResources",
			"Effect":    "Allow",
			"Principal": principal,
			"Action":    []string{"kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"},
			"Resource":  "*",
			"Condition": map[string]any{"Bool": map[string]any{"kms:GrantIsForAWSResource": true}},
		},
	}
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
