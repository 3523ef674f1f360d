package stacks

import (
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/config"
)

// HandoffOutput is one named output of the infra stack: what the next team
// (an application stack, a GitOps bootstrap, a monitoring account) reads
// through terraform_remote_state or HCP Terraform's outputs. Its name is
// stable across releases and configurations, unlike the hashed names of
// the cross-stack outputs cdktf generates for the addons stack (which all
// start with CdktfCrossStackOutputPrefix, so the two never collide).
type HandoffOutput struct {
	// Name is the Terraform output name.
	Name string
	// Description says what it holds.
	Description string
}

// CdktfCrossStackOutputPrefix starts the name of every output cdktf
// generates for a cross-stack reference (cdktf 0.20, lib/terraform-stack.js
// registerOutgoingCrossStackReference: "cross-stack-output-<address>").
const CdktfCrossStackOutputPrefix = "cross-stack-output-"

// Handoff outputs, by name. Subnet and OIDC outputs exist only when the
// infra stack has what they name.
var (
	OutputRegion                 = HandoffOutput{"region", "AWS region of the cluster"}
	OutputClusterName            = HandoffOutput{"cluster_name", "EKS cluster name"}
	OutputClusterArn             = HandoffOutput{"cluster_arn", "EKS cluster ARN"}
	OutputClusterEndpoint        = HandoffOutput{"cluster_endpoint", "Kubernetes API server endpoint (https)"}
	OutputClusterCA              = HandoffOutput{"cluster_certificate_authority_data", "Base64-encoded certificate authority of the API server"}
	OutputClusterOIDCIssuer      = HandoffOutput{"cluster_oidc_issuer_url", "OIDC issuer URL of the cluster's service account tokens"}
	OutputOIDCProviderArn        = HandoffOutput{"oidc_provider_arn", "IAM OIDC provider for IRSA (workloadIdentity: irsa only)"}
	OutputClusterSecurityGroupID = HandoffOutput{"cluster_security_group_id", "Security group EKS created for the cluster (control plane and managed nodes)"}
	OutputVpcID                  = HandoffOutput{"vpc_id", "VPC ID"}
	OutputPrivateSubnetIDs       = HandoffOutput{"private_subnet_ids", "Private (node) subnet IDs, one per zone"}
	OutputPublicSubnetIDs        = HandoffOutput{"public_subnet_ids", "Public subnet IDs, one per zone"}
	OutputIntraSubnetIDs         = HandoffOutput{"intra_subnet_ids", "Intra (control-plane interface) subnet IDs, one per zone"}
	OutputPodSubnetIDs           = HandoffOutput{"pod_subnet_ids", "Pod subnet IDs of custom networking, one per zone"}
	OutputNodeRoleArn            = HandoffOutput{"node_role_arn", "IAM role of the managed node groups, or of EKS Auto Mode's nodes"}
	OutputKarpenterNodeRoleArn   = HandoffOutput{"karpenter_node_role_arn", "IAM role of Karpenter's nodes"}
	OutputSecretsKeyArn          = HandoffOutput{"secrets_kms_key_arn", "KMS key encrypting Kubernetes secrets"}
	OutputEbsKeyArn              = HandoffOutput{"ebs_kms_key_arn", "KMS key encrypting node and persistent volumes"}
	OutputLogsKeyArn             = HandoffOutput{"logs_kms_key_arn", "KMS key encrypting the cluster's log groups"}
)

// newHandoffOutputs declares infra's named outputs.
func newHandoffOutputs(stack cdktf.TerraformStack, cfg config.Cluster, in *Infra) {
	c := in.Cluster.Resource
	out := func(o HandoffOutput, value any) {
		// Top-level outputs keep their construct ID as their name, but an
		// explicit logical ID says the name is a contract.
		tfo := cdktf.NewTerraformOutput(stack, jsii.String("output-"+o.Name), &cdktf.TerraformOutputConfig{
			Value:       value,
			Description: jsii.String(o.Description),
		})
		tfo.OverrideLogicalId(jsii.String(o.Name))
	}
	list := func(o HandoffOutput, ids []*string) {
		if len(ids) > 0 {
			out(o, ids)
		}
	}
	out(OutputRegion, cfg.Region)
	out(OutputClusterName, c.Name())
	out(OutputClusterArn, c.Arn())
	out(OutputClusterEndpoint, c.Endpoint())
	out(OutputClusterCA, c.CertificateAuthority().Get(jsii.Number(0)).Data())
	out(OutputClusterOIDCIssuer, c.Identity().Get(jsii.Number(0)).Oidc().Get(jsii.Number(0)).Issuer())
	if in.Cluster.OIDCProvider != nil {
		out(OutputOIDCProviderArn, in.Cluster.OIDCProvider.Arn())
	}
	out(OutputClusterSecurityGroupID, c.VpcConfig().ClusterSecurityGroupId())
	out(OutputVpcID, in.Network.VpcId)
	list(OutputPrivateSubnetIDs, in.Network.PrivateSubnetIds)
	list(OutputPublicSubnetIDs, in.Network.PublicSubnetIds)
	list(OutputIntraSubnetIDs, in.Network.IntraSubnetIds)
	list(OutputPodSubnetIDs, in.Network.PodSubnetIds)
	switch {
	case in.Nodes != nil:
		out(OutputNodeRoleArn, in.Nodes.Role.Arn())
	case in.AutoModeNodes != nil:
		out(OutputNodeRoleArn, in.AutoModeNodes.Role.Arn())
	}
	if in.Addons.Karpenter != nil {
		out(OutputKarpenterNodeRoleArn, in.Addons.Karpenter.NodeRole.Arn())
	}
	out(OutputSecretsKeyArn, in.Cluster.SecretsKey.Arn)
	out(OutputEbsKeyArn, in.EbsKey.Arn)
	out(OutputLogsKeyArn, in.Cluster.LogsKey.Arn)
}
