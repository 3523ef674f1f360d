package karpenter

import (
	"github.com/eksready/eksready/constructs/account"
)

// ControllerPolicy is the Karpenter controller's IAM policy: the five
// policies of Karpenter's CloudFormation template (node lifecycle, IAM
// integration, EKS integration, interruption, resource discovery) as one
// document, every write scoped to this cluster's tags. Source:
// aws/karpenter-provider-aws
// website/content/en/v1.14/getting-started/getting-started-with-karpenter/cloudformation.yaml
// at the v1.14.1 docs update (commit 1d927085). Against v1.9 it adds
// placement groups (1.11: the placement-group resource, DescribePlacementGroups)
// and ec2:DescribeInstanceStatus, which the interruption controller's
// instance status health checks require from 1.12. The template's
// ZonalShiftPolicy (arc-zonal-shift:GetManagedResource) is left out: it
// serves settings.enableZonalShift, off by default and not set by eksready.
func ControllerPolicy(acct *account.Account, cluster string, nodeRoleArn, queueArn *string) map[string]any {
	p, r, a := *acct.Partition, *acct.Region, *acct.AccountId
	ec2 := func(resource string) string { return "arn:" + p + ":ec2:" + r + ":" + resource }
	instanceProfiles := "arn:" + p + ":iam::" + a + ":instance-profile/*"
	owned := "kubernetes.io/cluster/" + cluster
	launched := []string{
		ec2("*:fleet/*"), ec2("*:instance/*"), ec2("*:volume/*"), ec2("*:network-interface/*"),
		ec2("*:launch-template/*"), ec2("*:spot-instances-request/*"),
	}
	return map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{
				"Sid":      "AllowScopedEC2InstanceAccessActions",
				"Effect":   "Allow",
				"Resource": []string{ec2(":image/*"), ec2(":snapshot/*"), ec2("*:security-group/*"), ec2("*:subnet/*"), ec2("*:capacity-reservation/*"), ec2("*:placement-group/*")},
				"Action":   []string{"ec2:RunInstances", "ec2:CreateFleet"},
			},
			{
				"Sid":      "AllowScopedEC2LaunchTemplateAccessActions",
				"Effect":   "Allow",
				"Resource": ec2("*:launch-template/*"),
				"Action":   []string{"ec2:RunInstances", "ec2:CreateFleet"},
				"Condition": map[string]any{
					"StringEquals": map[string]any{"aws:ResourceTag/" + owned: "owned"},
					"StringLike":   map[string]any{"aws:ResourceTag/karpenter.sh/nodepool": "*"},
				},
			},
			{
				"Sid":      "AllowScopedEC2InstanceActionsWithTags",
				"Effect":   "Allow",
				"Resource": launched,
				"Action":   []string{"ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"},
				"Condition": map[string]any{
					"StringEquals": map[string]any{"aws:RequestTag/" + owned: "owned", "aws:RequestTag/eks:eks-cluster-name": cluster},
					"StringLike":   map[string]any{"aws:RequestTag/karpenter.sh/nodepool": "*"},
				},
			},
			{
				"Sid":      "AllowScopedResourceCreationTagging",
				"Effect":   "Allow",
				"Resource": launched,
				"Action":   "ec2:CreateTags",
				"Condition": map[string]any{
					"StringEquals": map[string]any{
						"aws:RequestTag/" + owned:             "owned",
						"aws:RequestTag/eks:eks-cluster-name": cluster,
						"ec2:CreateAction":                    []string{"RunInstances", "CreateFleet", "CreateLaunchTemplate"},
					},
					"StringLike": map[string]any{"aws:RequestTag/karpenter.sh/nodepool": "*"},
				},
			},
			{
				"Sid":      "AllowScopedResourceTagging",
				"Effect":   "Allow",
				"Resource": ec2("*:instance/*"),
				"Action":   "ec2:CreateTags",
				"Condition": map[string]any{
					"StringEquals":              map[string]any{"aws:ResourceTag/" + owned: "owned"},
					"StringLike":                map[string]any{"aws:ResourceTag/karpenter.sh/nodepool": "*"},
					"StringEqualsIfExists":      map[string]any{"aws:RequestTag/eks:eks-cluster-name": cluster},
					"ForAllValues:StringEquals": map[string]any{"aws:TagKeys": []string{"eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"}},
				},
			},
			{
				"Sid":      "AllowScopedDeletion",
				"Effect":   "Allow",
				"Resource": []string{ec2("*:instance/*"), ec2("*:launch-template/*")},
				"Action":   []string{"ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"},
				"Condition": map[string]any{
					"StringEquals": map[string]any{"aws:ResourceTag/" + owned: "owned"},
					"StringLike":   map[string]any{"aws:ResourceTag/karpenter.sh/nodepool": "*"},
				},
			},
			{
				"Sid":       "AllowPassingInstanceRole",
				"Effect":    "Allow",
				"Resource":  nodeRoleArn,
				"Action":    "iam:PassRole",
				"Condition": map[string]any{"StringEquals": map[string]any{"iam:PassedToService": []string{"ec2.amazonaws.com", "ec2.amazonaws.com.cn"}}},
			},
			{
				"Sid":      "AllowScopedInstanceProfileCreationActions",
				"Effect":   "Allow",
				"Resource": instanceProfiles,
				"Action":   []string{"iam:CreateInstanceProfile"},
				"Condition": map[string]any{
					"StringEquals": map[string]any{
						"aws:RequestTag/" + owned:                      "owned",
						"aws:RequestTag/eks:eks-cluster-name":          cluster,
						"aws:RequestTag/topology.kubernetes.io/region": r,
					},
					"StringLike": map[string]any{"aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*"},
				},
			},
			{
				"Sid":      "AllowScopedInstanceProfileTagActions",
				"Effect":   "Allow",
				"Resource": instanceProfiles,
				"Action":   []string{"iam:TagInstanceProfile"},
				"Condition": map[string]any{
					"StringEquals": map[string]any{
						"aws:ResourceTag/" + owned:                      "owned",
						"aws:ResourceTag/topology.kubernetes.io/region": r,
						"aws:RequestTag/" + owned:                       "owned",
						"aws:RequestTag/eks:eks-cluster-name":           cluster,
						"aws:RequestTag/topology.kubernetes.io/region":  r,
					},
					"StringLike": map[string]any{
						"aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*",
						"aws:RequestTag/karpenter.k8s.aws/ec2nodeclass":  "*",
					},
				},
			},
			{
				"Sid":      "AllowScopedInstanceProfileActions",
				"Effect":   "Allow",
				"Resource": instanceProfiles,
				"Action":   []string{"iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"},
				"Condition": map[string]any{
					"StringEquals": map[string]any{
						"aws:ResourceTag/" + owned:                      "owned",
						"aws:ResourceTag/topology.kubernetes.io/region": r,
					},
					"StringLike": map[string]any{"aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*"},
				},
			},
			{
				"Sid":      "AllowAPIServerEndpointDiscovery",
				"Effect":   "Allow",
				"Resource": "arn:" + p + ":eks:" + r + ":" + a + ":cluster/" + cluster,
				"Action":   "eks:DescribeCluster",
			},
			{
				"Sid":      "AllowInterruptionQueueActions",
				"Effect":   "Allow",
				"Resource": queueArn,
				"Action":   []string{"sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"},
			},
			{
				"Sid":      "AllowRegionalReadActions",
				"Effect":   "Allow",
				"Resource": "*",
				"Action": []string{
					"ec2:DescribeCapacityReservations", "ec2:DescribeImages", "ec2:DescribeInstances",
					"ec2:DescribeInstanceStatus", "ec2:DescribeInstanceTypeOfferings", "ec2:DescribeInstanceTypes",
					"ec2:DescribeLaunchTemplates", "ec2:DescribePlacementGroups", "ec2:DescribeSecurityGroups",
					"ec2:DescribeSpotPriceHistory", "ec2:DescribeSubnets",
				},
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:RequestedRegion": r}},
			},
			{
				"Sid":      "AllowSSMReadActions",
				"Effect":   "Allow",
				"Resource": "arn:" + p + ":ssm:" + r + "::parameter/aws/service/*",
				"Action":   "ssm:GetParameter",
			},
			{
				"Sid":      "AllowPricingReadActions",
				"Effect":   "Allow",
				"Resource": "*",
				"Action":   "pricing:GetProducts",
			},
			{
				"Sid":      "AllowUnscopedInstanceProfileListAction",
				"Effect":   "Allow",
				"Resource": "*",
				"Action":   "iam:ListInstanceProfiles",
			},
			{
				"Sid":      "AllowInstanceProfileReadActions",
				"Effect":   "Allow",
				"Resource": instanceProfiles,
				"Action":   "iam:GetInstanceProfile",
			},
		},
	}
}

// QueuePolicy lets EventBridge (and SQS itself) deliver to the
// interruption queue and refuses every request not over TLS, as in
// Karpenter's CloudFormation template.
func QueuePolicy(queueArn *string) map[string]any {
	return map[string]any{
		"Version": "2012-10-17",
		"Id":      "EC2InterruptionPolicy",
		"Statement": []map[string]any{
			{
				"Sid":       "EventBridgeDelivers",
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": []string{"events.amazonaws.com", "sqs.amazonaws.com"}},
				"Action":    "sqs:SendMessage",
				"Resource":  queueArn,
			},
			{
				"Sid":       "DenyHTTP",
				"Effect":    "Deny",
				"Principal": "*",
				"Action":    "sqs:*",
				"Resource":  queueArn,
				"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": false}},
			},
		},
	}
}

// InterruptionRule is one EventBridge rule feeding the interruption queue.
type InterruptionRule struct {
	// ID names the rule's construct and its suffix.
	ID string
	// Source and DetailType match the events.
	Source, DetailType string
}

// InterruptionRules are the five event kinds Karpenter acts on: spot
// interruption warnings, rebalance recommendations, instance state changes,
// scheduled (AWS Health) events and, from 1.10, interruptible capacity
// reservation warnings (the template's CapacityReservationInterruptionRule).
var InterruptionRules = []InterruptionRule{
	{ID: "spot-interruption", Source: "aws.ec2", DetailType: "EC2 Spot Instance Interruption Warning"},
	{ID: "rebalance", Source: "aws.ec2", DetailType: "EC2 Instance Rebalance Recommendation"},
	{ID: "state-change", Source: "aws.ec2", DetailType: "EC2 Instance State-change Notification"},
	{ID: "scheduled-change", Source: "aws.health", DetailType: "AWS Health Event"},
	{ID: "odcr-interruption", Source: "aws.ec2", DetailType: "EC2 Capacity Reservation Instance Interruption Warning"},
}
