// Package automodeaws builds the AWS side of EKS Auto Mode, in the infra
// stack: the node IAM role and, when no built-in node pool makes EKS
// create it, the access entry that lets Auto Mode nodes join the cluster.
// It creates no Kubernetes object: the control plane's Auto Mode settings
// are in constructs/cluster, the in-cluster objects (NodeClass, NodePools,
// IngressClass, the network policy ConfigMap) in
// constructs/addons/automodeobjects, in the addons stack.
package automodeaws

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eksaccessentry"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eksaccesspolicyassociation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicyattachment"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/constructs/account"
	"github.com/eksready/eksready/constructs/identity"
	"github.com/eksready/eksready/constructs/jsonvalue"
)

// NodePolicies are the node role's managed policies: the minimal worker
// policy and image pulls, nothing else (EKS user guide,
// auto-create-node-role). Auto Mode nodes allow no SSH or SSM access
// (automode: "Prevents direct access to the nodes"), so the SSM policy
// managed nodes get would only widen the role.
var NodePolicies = []string{"AmazonEKSWorkerNodeMinimalPolicy", "AmazonEC2ContainerRegistryPullOnly"}

// NodeAccessPolicy is the EKS access policy Auto Mode nodes need on their
// role's EC2 access entry (EKS user guide, create-node-class, "Create node
// class access entry"; access-policy-reference). Its ARN takes the
// account's partition like every other ARN eksready writes.
const NodeAccessPolicy = "AmazonEKSAutoNodePolicy"

// NodesConfig is what the node role is built from.
type NodesConfig struct {
	// Account resolves the EC2 service principal and policy ARNs.
	Account *account.Account
	// ClusterName names the role (the configured name, not a token: the
	// role exists before the cluster, which may name it).
	ClusterName string
}

// Nodes is the role every Auto Mode node eksready configures runs as:
// the built-in pools' (compute_config.node_role_arn) and eksready's
// NodeClass's alike, so one access entry covers both.
type Nodes struct {
	// Role is the node IAM role.
	Role iamrole.IamRole
	// Policies are its policy attachments, for what must wait for them.
	Policies []cdktf.ITerraformDependable
	// Entry and Association are the EC2 access entry and its policy, when
	// eksready creates them (GrantClusterAccess); nil when EKS does.
	Entry       eksaccessentry.EksAccessEntry
	Association eksaccesspolicyassociation.EksAccessPolicyAssociation
	// Account is the account the role lives in (its partition names the
	// access policy).
	Account *account.Account
}

// NewNodes creates the node role.
func NewNodes(scope constructs.Construct, id string, cfg NodesConfig) *Nodes {
	scope = constructs.NewConstruct(scope, jsii.String(id))
	n := &Nodes{Account: cfg.Account}
	n.Role = iamrole.NewIamRole(scope, jsii.String("role"), &iamrole.IamRoleConfig{
		NamePrefix:       jsii.String(identity.RoleNamePrefix(cfg.ClusterName+"-", "auto-node")),
		Description:      jsii.String("EKS Auto Mode nodes of cluster " + cfg.ClusterName),
		AssumeRolePolicy: jsonvalue.String(identity.ServiceTrustPolicy(cfg.Account.ServicePrincipal("ec2"), "sts:AssumeRole")),
	})
	for _, policy := range NodePolicies {
		n.Policies = append(n.Policies, iamrolepolicyattachment.NewIamRolePolicyAttachment(scope, jsii.String(policy), &iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
			Role:      n.Role.Name(),
			PolicyArn: jsii.String(fmt.Sprintf("arn:%s:iam::aws:policy/%s", *cfg.Account.Partition, policy)),
		}))
	}
	return n
}

// GrantClusterAccess creates the role's EC2 access entry with the Auto
// Mode node policy. Only for a cluster without built-in node pools: with
// them, EKS creates this entry itself for compute_config.node_role_arn
// ("EKS automatically creates an Access Entry for the Node IAM Role during
// cluster creation", create-node-class), and a second entry for the same
// principal would fail.
func (n *Nodes) GrantClusterAccess(scope constructs.Construct, id string, clusterName *string) {
	scope = constructs.NewConstruct(scope, jsii.String(id))
	n.Entry = eksaccessentry.NewEksAccessEntry(scope, jsii.String("entry"), &eksaccessentry.EksAccessEntryConfig{
		ClusterName:  clusterName,
		PrincipalArn: n.Role.Arn(),
		Type:         jsii.String("EC2"),
	})
	n.Association = eksaccesspolicyassociation.NewEksAccessPolicyAssociation(scope, jsii.String("policy"), &eksaccesspolicyassociation.EksAccessPolicyAssociationConfig{
		ClusterName:  clusterName,
		PrincipalArn: n.Entry.PrincipalArn(),
		PolicyArn:    jsii.String(config.EKSAccessPolicyArn(*n.Account.Partition, NodeAccessPolicy)),
		AccessScope:  &eksaccesspolicyassociation.EksAccessPolicyAssociationAccessScope{Type: jsii.String("cluster")},
	})
}
