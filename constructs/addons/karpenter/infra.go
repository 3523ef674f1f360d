// Package karpenter installs Karpenter v1 (R6's alternative autoscaler)
// and what it needs: in `infra` the controller's IAM role, the node role
// with its access entry, the interruption queue fed by EventBridge and the
// discovery tags; in `addons` the CRD chart, the controller chart and the
// EC2NodeClass and NodePools rendered from configuration.
package karpenter

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatcheventrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatcheventtarget"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ec2tag"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eksaccessentry"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicyattachment"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/sqsqueue"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/sqsqueuepolicy"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/constructs/account"
	"github.com/eksready/eksready/constructs/identity"
	"github.com/eksready/eksready/constructs/jsonvalue"
)

// Namespace and ServiceAccount name the controller's service account
// (kube-system, as Karpenter's docs install it: its FlowSchemas assume it).
const (
	Namespace      = "kube-system"
	ServiceAccount = "karpenter"
)

// DiscoveryTagKey marks the subnets and security groups EC2NodeClass
// selectors pick; its value is the cluster name.
const DiscoveryTagKey = "karpenter.sh/discovery"

// NodeRolePolicies are the AWS managed policies of Karpenter's node role
// (cloudformation.yaml KarpenterNodeRole): join the cluster, pull from ECR,
// and be reachable through SSM. The template's AmazonEKS_CNI_Policy is left
// out: eksready gives the VPC CNI its own role, so pods on a node cannot
// borrow ENI permissions through the node role.
var NodeRolePolicies = []string{
	"AmazonEKSWorkerNodePolicy",
	"AmazonEC2ContainerRegistryPullOnly",
	"AmazonSSMManagedInstanceCore",
}

// InfraConfig is what the AWS side is built from.
type InfraConfig struct {
	// Account resolves ARNs.
	Account *account.Account
	// ClusterName is the configured name (policy keys need it literally);
	// ClusterNameRef is the same name as a token, so resources wait for the cluster.
	ClusterName    string
	ClusterNameRef *string
	// Identity binds the controller's role to its service account.
	Identity identity.Cluster
	// ClusterSecurityGroupID is the EKS-created security group nodes join;
	// it gets the discovery tag.
	ClusterSecurityGroupID *string
}

// Infra is Karpenter's AWS side.
type Infra struct {
	// NodeRole is the role Karpenter's nodes run as; EC2NodeClass names it.
	NodeRole iamrole.IamRole
	// NodeAccess lets nodes with NodeRole join the cluster.
	NodeAccess eksaccessentry.EksAccessEntry
	// Controller is the controller's service-account role.
	Controller *identity.ServiceAccountRole
	// Queue receives interruption events.
	Queue sqsqueue.SqsQueue
	// Rules are the EventBridge rules feeding Queue, in InterruptionRules order.
	Rules []cloudwatcheventrule.CloudwatchEventRule
}

// NewInfra creates Karpenter's AWS resources.
func NewInfra(scope constructs.Construct, id string, cfg InfraConfig) *Infra {
	scope = constructs.NewConstruct(scope, jsii.String(id))
	acct := cfg.Account
	in := &Infra{}

	in.NodeRole = iamrole.NewIamRole(scope, jsii.String("node-role"), &iamrole.IamRoleConfig{
		NamePrefix:       jsii.String(identity.RoleNamePrefix(cfg.ClusterName+"-", "karpenter-node")),
		Description:      jsii.String("Nodes Karpenter launches for EKS cluster " + cfg.ClusterName),
		AssumeRolePolicy: jsonvalue.String(identity.ServiceTrustPolicy(acct.ServicePrincipal("ec2"), "sts:AssumeRole")),
	})
	var attachments []cdktf.ITerraformDependable
	for i, name := range NodeRolePolicies {
		attachments = append(attachments, iamrolepolicyattachment.NewIamRolePolicyAttachment(scope, jsii.String(fmt.Sprintf("node-policy-%d", i)), &iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
			Role:      in.NodeRole.Name(),
			PolicyArn: jsii.String(fmt.Sprintf("arn:%s:iam::aws:policy/%s", *acct.Partition, name)),
		}))
	}
	// EC2_LINUX entries cover Bottlerocket too; EKS maps them to the
	// system:nodes group, so no policy association is needed.
	in.NodeAccess = eksaccessentry.NewEksAccessEntry(scope, jsii.String("node-access"), &eksaccessentry.EksAccessEntryConfig{
		ClusterName:  cfg.ClusterNameRef,
		PrincipalArn: in.NodeRole.Arn(),
		Type:         jsii.String("EC2_LINUX"),
		DependsOn:    &attachments,
	})

	in.Queue = sqsqueue.NewSqsQueue(scope, jsii.String("interruption-queue"), &sqsqueue.SqsQueueConfig{
		Name: jsii.String(cfg.ClusterName + "-karpenter"),
		// Interruption notices are stale after a few minutes (a spot
		// warning gives two); Karpenter's template keeps them 300 s.
		MessageRetentionSeconds: jsii.Number(300),
		SqsManagedSseEnabled:    jsii.Bool(true),
	})
	sqsqueuepolicy.NewSqsQueuePolicy(scope, jsii.String("interruption-queue-policy"), &sqsqueuepolicy.SqsQueuePolicyConfig{
		QueueUrl: in.Queue.Url(),
		Policy:   jsonvalue.String(QueuePolicy(in.Queue.Arn())),
	})
	for _, r := range InterruptionRules {
		rule := cloudwatcheventrule.NewCloudwatchEventRule(scope, jsii.String("rule-"+r.ID), &cloudwatcheventrule.CloudwatchEventRuleConfig{
			Name:        jsii.String(cfg.ClusterName + "-karpenter-" + r.ID),
			Description: jsii.String(fmt.Sprintf("%s events for Karpenter in EKS cluster %s", r.DetailType, cfg.ClusterName)),
			EventPattern: jsonvalue.String(map[string]any{
				"source":      []string{r.Source},
				"detail-type": []string{r.DetailType},
			}),
		})
		cloudwatcheventtarget.NewCloudwatchEventTarget(scope, jsii.String("target-"+r.ID), &cloudwatcheventtarget.CloudwatchEventTargetConfig{
			Rule:     rule.Name(),
			TargetId: jsii.String("KarpenterInterruptionQueueTarget"),
			Arn:      in.Queue.Arn(),
		})
		in.Rules = append(in.Rules, rule)
	}

	in.Controller = identity.NewServiceAccountRole(scope, "controller-identity", identity.ServiceAccountRoleConfig{
		Cluster:        cfg.Identity,
		Namespace:      Namespace,
		ServiceAccount: ServiceAccount,
		RoleName:       "kpt",
		Policy:         ControllerPolicy(acct, cfg.ClusterName, in.NodeRole.Arn(), in.Queue.Arn()),
	})

	// Nodes join the security group EKS created for the cluster, as
	// managed node group nodes do, so the control plane reaches them. (The
	// network construct tags the node subnets.)
	ec2tag.NewEc2Tag(scope, jsii.String("security-group-discovery"), &ec2tag.Ec2TagConfig{
		ResourceId: cfg.ClusterSecurityGroupID,
		Key:        jsii.String(DiscoveryTagKey),
		Value:      jsii.String(cfg.ClusterName),
	})
	return in
}
