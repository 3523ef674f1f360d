package stacks

import (
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/constructs/account"
	"github.com/eksready/eksready/constructs/cluster"
	"github.com/eksready/eksready/constructs/kms"
	"github.com/eksready/eksready/constructs/network"
	"github.com/eksready/eksready/constructs/observability"
)

// newLogsKey creates the key that encrypts the cluster's CloudWatch log
// groups: the control plane's, the VPC flow logs' when they go to
// CloudWatch, and the groups the CloudWatch observability add-on writes
// to. CloudWatch Logs may use it only for those groups (the encryption
// context names the group).
func newLogsKey(stack cdktf.TerraformStack, cfg config.Cluster, acct *account.Account) *kms.Key {
	groups := []string{cluster.LogGroupName(cfg.Name)}
	if f := cfg.Network.FlowLogs; f.On() && f.Destination == config.FlowLogsCloudWatch {
		groups = append(groups, network.FlowLogGroupName(cfg.Name))
	}
	if o := cfg.Observability; o.On() {
		groups = append(groups, observability.LogGroups(cfg.Name, o.ApplicationSignals.On())...)
	}
	var arns []*string
	for _, g := range groups {
		arns = append(arns, acct.Arn("logs", *acct.Region, "log-group:"+g))
	}
	return kms.NewKey(stack, "logs-key", kms.KeyConfig{
		Account:            acct,
		Alias:              "eks/" + cfg.Name + "/logs",
		Description:        "Encryption of EKS cluster " + cfg.Name + " log groups (control plane, VPC flow logs, Container Insights)",
		DeletionWindowDays: cfg.ControlPlane.KeyDeletionWindowDays,
		Statements: []kms.Statement{{
			"Sid":       "CloudWatchLogsEncryptsTheClusterLogGroups",
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": acct.ServicePrincipal("logs." + *acct.Region)},
			"Action":    []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
			"Resource":  "*",
			"Condition": map[string]any{
				"ArnEquals": map[string]any{"kms:EncryptionContext:aws:logs:arn": arns},
			},
		}},
	})
}
