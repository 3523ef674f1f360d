package loadbalancer

// Policy is the controller's IAM policy: docs/install/iam_policy.json of
// kubernetes-sigs/aws-load-balancer-controller at tag v3.5.0 (the app
// version of the pinned chart; the file is unchanged since v2.13.4),
// statement for statement and action for action, with the partition taken
// from the account so it also works outside the aws partition.
func Policy(partition string) map[string]any {
	elb := func(resource string) string { return "arn:" + partition + ":elasticloadbalancing:*:*:" + resource }
	clusterTagMissing := func(kind string) map[string]any {
		return map[string]any{"Null": map[string]any{kind + "/elbv2.k8s.aws/cluster": "false"}}
	}
	ownedNotRetagged := map[string]any{"Null": map[string]any{
		"aws:RequestTag/elbv2.k8s.aws/cluster":  "true",
		"aws:ResourceTag/elbv2.k8s.aws/cluster": "false",
	}}
	loadBalancers := []string{elb("targetgroup/*/*"), elb("loadbalancer/net/*/*"), elb("loadbalancer/app/*/*")}
	return map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{
				"Effect": "Allow", "Action": []string{"iam:CreateServiceLinkedRole"}, "Resource": "*",
				"Condition": map[string]any{"StringEquals": map[string]any{"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"}},
			},
			{
				"Effect": "Allow", "Resource": "*",
				"Action": []string{
					"ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones",
					"ec2:DescribeInternetGateways", "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections",
					"ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeInstances",
					"ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:GetCoipPoolUsage",
					"ec2:DescribeCoipPools", "ec2:GetSecurityGroupsForVpc", "ec2:DescribeIpamPools",
					"ec2:DescribeRouteTables",
					"elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
					"elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerCertificates",
					"elasticloadbalancing:DescribeSSLPolicies", "elasticloadbalancing:DescribeRules",
					"elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes",
					"elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeTags",
					"elasticloadbalancing:DescribeTrustStores", "elasticloadbalancing:DescribeListenerAttributes",
					"elasticloadbalancing:DescribeCapacityReservation",
				},
			},
			{
				"Effect": "Allow", "Resource": "*",
				"Action": []string{
					"cognito-idp:DescribeUserPoolClient", "acm:ListCertificates", "acm:DescribeCertificate",
					"iam:ListServerCertificates", "iam:GetServerCertificate",
					"waf-regional:GetWebACL", "waf-regional:GetWebACLForResource", "waf-regional:AssociateWebACL", "waf-regional:DisassociateWebACL",
					"wafv2:GetWebACL", "wafv2:GetWebACLForResource", "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL",
					"shield:GetSubscriptionState", "shield:DescribeProtection", "shield:CreateProtection", "shield:DeleteProtection",
				},
			},
			{"Effect": "Allow", "Action": []string{"ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"}, "Resource": "*"},
			{"Effect": "Allow", "Action": []string{"ec2:CreateSecurityGroup"}, "Resource": "*"},
			{
				"Effect": "Allow", "Action": []string{"ec2:CreateTags"}, "Resource": "arn:" + partition + ":ec2:*:*:security-group/*",
				"Condition": map[string]any{
					"StringEquals": map[string]any{"ec2:CreateAction": "CreateSecurityGroup"},
					"Null":         map[string]any{"aws:RequestTag/elbv2.k8s.aws/cluster": "false"},
				},
			},
			{"Effect": "Allow", "Action": []string{"ec2:CreateTags", "ec2:DeleteTags"}, "Resource": "arn:" + partition + ":ec2:*:*:security-group/*", "Condition": ownedNotRetagged},
			{
				"Effect": "Allow", "Resource": "*", "Condition": clusterTagMissing("aws:ResourceTag"),
				"Action": []string{"ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"},
			},
			{
				"Effect": "Allow", "Resource": "*", "Condition": clusterTagMissing("aws:RequestTag"),
				"Action": []string{"elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"},
			},
			{
				"Effect": "Allow", "Resource": "*",
				"Action": []string{"elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule"},
			},
			{"Effect": "Allow", "Action": []string{"elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"}, "Resource": loadBalancers, "Condition": ownedNotRetagged},
			{
				"Effect": "Allow", "Action": []string{"elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"},
				"Resource": []string{elb("listener/net/*/*/*"), elb("listener/app/*/*/*"), elb("listener-rule/net/*/*/*"), elb("listener-rule/app/*/*/*")},
			},
			{
				"Effect": "Allow", "Resource": "*", "Condition": clusterTagMissing("aws:ResourceTag"),
				"Action": []string{
					"elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType",
					"elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets",
					"elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup",
					"elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup",
					"elasticloadbalancing:ModifyListenerAttributes", "elasticloadbalancing:ModifyCapacityReservation",
					"elasticloadbalancing:ModifyIpPools",
				},
			},
			{
				"Effect": "Allow", "Action": []string{"elasticloadbalancing:AddTags"}, "Resource": loadBalancers,
				"Condition": map[string]any{
					"StringEquals": map[string]any{"elasticloadbalancing:CreateAction": []string{"CreateTargetGroup", "CreateLoadBalancer"}},
					"Null":         map[string]any{"aws:RequestTag/elbv2.k8s.aws/cluster": "false"},
				},
			},
			{
				"Effect": "Allow", "Resource": elb("targetgroup/*/*"),
				"Action": []string{"elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"},
			},
			{
				"Effect": "Allow", "Resource": "*",
				"Action": []string{
					"elasticloadbalancing:SetWebAcl", "elasticloadbalancing:ModifyListener",
					"elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:RemoveListenerCertificates",
					"elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities",
				},
			},
		},
	}
}
