package network

import (
	"strconv"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// VpcCniConfigurationValues is the configuration_values object of the
// managed vpc-cni add-on for the pod networking mode (render it with
// cdktf.Fn_Jsonencode). The add-on's schema (aws eks
// describe-addon-configuration) rejects unknown keys and takes every env
// value as a string.
//
//   - prefix delegation: ENABLE_PREFIX_DELEGATION and the warm settings.
//   - custom networking: AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG, ENI_CONFIG_LABEL_DEF
//     = topology.kubernetes.io/zone and an eniConfig block, from which the
//     add-on creates one ENIConfig per zone (named after the zone, pointing
//     at its pod subnet, with the cluster security group). The ENIConfigs
//     exist once the add-on is applied, so node groups that depend on the
//     add-on never start a node without one.
//   - IPv6: no env; EKS configures the CNI for IPv6 from the cluster's
//     ip_family (ENABLE_IPv6 is not in the add-on schema).
//   - Cilium: nil; there is no vpc-cni add-on.
//   - In every VPC CNI mode, enableNetworkPolicy "true" runs the network
//     policy agent (a string, as the EKS user guide's
//     cni-network-policy-configure gives it: add-on v1.14.0-eksbuild.3 or
//     later, node kernel 5.10 or later, which Bottlerocket and AL2023
//     have), and env NETWORK_POLICY_ENFORCING_MODE "strict" starts every
//     pod denied until a policy admits it (same page, Step 1; the chart
//     value since VPC CNI v1.17.1, README at v1.23.0).
//
// clusterSecurityGroupId is the EKS cluster security group
// (vpc_config[0].cluster_security_group_id), given to pod ENIs.
func (n *Network) VpcCniConfigurationValues(clusterSecurityGroupId *string) map[string]any {
	c := n.cfg.Cni
	if c.Mode == ModeCilium {
		return nil
	}
	out := map[string]any{}
	env := map[string]any{}
	if c.NetworkPolicy {
		out["enableNetworkPolicy"] = "true"
		if c.StrictNetworkPolicy {
			env["NETWORK_POLICY_ENFORCING_MODE"] = "strict"
		}
	}
	if c.Mode == ModeIPv6 {
		if len(env) > 0 {
			out["env"] = env
		}
		return out
	}
	if c.Mode == ModePrefixDelegation || c.PrefixDelegation {
		env["ENABLE_PREFIX_DELEGATION"] = "true"
	}
	for name, v := range map[string]*int{
		"WARM_PREFIX_TARGET": c.WarmPrefixTarget,
		"WARM_IP_TARGET":     c.WarmIPTarget,
		"MINIMUM_IP_TARGET":  c.MinimumIPTarget,
		"WARM_ENI_TARGET":    c.WarmENITarget,
	} {
		if v != nil {
			env[name] = strconv.Itoa(*v)
		}
	}
	out["env"] = env
	if c.Mode != ModeCustomNetworking {
		return out
	}
	env["AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG"] = "true"
	env["ENI_CONFIG_LABEL_DEF"] = "topology.kubernetes.io/zone"
	// Zone names resolved at plan time are tokens, and a token cannot be a
	// map key (cdktf renders it as literal text), so the map is built by
	// zipmap() at plan time.
	entries := make([]any, len(n.ZoneNames))
	for i := range n.ZoneNames {
		entry := map[string]any{"id": n.PodSubnetIds[i]}
		if clusterSecurityGroupId != nil {
			entry["securityGroups"] = []*string{clusterSecurityGroupId}
		}
		entries[i] = entry
	}
	out["eniConfig"] = map[string]any{
		"create":  true,
		"region":  n.cfg.Region,
		"subnets": cdktf.Fn_Zipmap(&n.ZoneNames, &entries),
	}
	return out
}

// VpcCniIPv6Policy is the IAM policy the VPC CNI needs on an IPv6 cluster,
// beyond AmazonEKS_CNI_Policy (which does not cover IPv6): the
// AmazonEKS_CNI_IPv6_Policy document of the EKS user guide
// (networking/cni-iam-role.adoc). The vpc-cni add-on's role gets it in
// mode ipv6; nil in the other modes. The partition (a token from the
// account) keeps the ARN valid in aws-cn and aws-us-gov.
func (n *Network) VpcCniIPv6Policy(partition string) map[string]any {
	if !n.cfg.IPv6 {
		return nil
	}
	return map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{
				"Effect":   "Allow",
				"Action":   []string{"ec2:AssignIpv6Addresses", "ec2:DescribeInstances", "ec2:DescribeTags", "ec2:DescribeNetworkInterfaces", "ec2:DescribeInstanceTypes"},
				"Resource": "*",
			},
			{
				"Effect":   "Allow",
				"Action":   []string{"ec2:CreateTags"},
				"Resource": []string{"arn:" + partition + ":ec2:*:*:network-interface/*"},
			},
		},
	}
}
