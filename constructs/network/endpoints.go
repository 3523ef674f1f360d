package network

import (
	"fmt"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/flowlog"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcendpoint"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/eksready/eksready/constructs/identity"
	"github.com/eksready/eksready/constructs/jsonvalue"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// endpoints creates the S3 gateway endpoint on routeTables and one
// interface endpoint per other service in the private subnets, behind a
// security group that admits HTTPS from the ranges nodes and pods use.
func (n *Network) endpoints(scope constructs.Construct, routeTables []*string) {
	cfg := n.cfg
	var interfaces []string
	for _, s := range cfg.EndpointServices {
		if s == "s3" {
			if len(routeTables) > 0 {
				n.EgressReady = append(n.EgressReady, vpcendpoint.NewVpcEndpoint(scope, jsii.String("endpoint-s3"), &vpcendpoint.VpcEndpointConfig{
					VpcId:           n.VpcId,
					ServiceName:     jsii.String(serviceName(cfg.Region, s)),
					VpcEndpointType: jsii.String("Gateway"),
					RouteTableIds:   &routeTables,
					Tags:            tags("Name", cfg.ClusterName+"-s3"),
				}))
			}
			continue
		}
		interfaces = append(interfaces, s)
	}
	if len(interfaces) == 0 {
		return
	}
	sg := securitygroup.NewSecurityGroup(scope, jsii.String("endpoints"), &securitygroup.SecurityGroupConfig{
		NamePrefix:  jsii.String(cfg.ClusterName + "-endpoints-"),
		Description: jsii.String("VPC interface endpoints of EKS cluster " + cfg.ClusterName + ": HTTPS from the VPC"),
		VpcId:       n.VpcId,
		Tags:        tags("Name", cfg.ClusterName+"-endpoints"),
		Lifecycle:   &cdktf.TerraformResourceLifecycle{CreateBeforeDestroy: jsii.Bool(true)},
	})
	n.EndpointSecurityGroupId = sg.Id()
	for i, r := range n.clientRanges() {
		rule := &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
			SecurityGroupId: sg.Id(),
			IpProtocol:      jsii.String("tcp"),
			FromPort:        jsii.Number(443),
			ToPort:          jsii.Number(443),
			Description:     jsii.String("HTTPS from the cluster network"),
		}
		if r.v6 {
			rule.CidrIpv6 = r.cidr
		} else {
			rule.CidrIpv4 = r.cidr
		}
		vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(scope, jsii.String(fmt.Sprintf("endpoints-https-%d", i)), rule)
	}
	for _, s := range interfaces {
		ec := &vpcendpoint.VpcEndpointConfig{
			VpcId:             n.VpcId,
			ServiceName:       jsii.String(serviceName(cfg.Region, s)),
			VpcEndpointType:   jsii.String("Interface"),
			SubnetIds:         &n.PrivateSubnetIds,
			SecurityGroupIds:  &[]*string{sg.Id()},
			PrivateDnsEnabled: jsii.Bool(true),
			Tags:              tags("Name", cfg.ClusterName+"-"+s),
		}
		if p, ok := cfg.EndpointPolicies[s]; ok {
			ec.Policy = jsonvalue.String(p)
		}
		e := vpcendpoint.NewVpcEndpoint(scope, jsii.String("endpoint-"+strings.ReplaceAll(s, ".", "-")), ec)
		n.EgressReady = append(n.EgressReady, e)
		n.Endpoints[s] = e
	}
}

type clientRange struct {
	cidr *string
	v6   bool
}

// clientRanges are the ranges allowed to the interface endpoints: the
// created VPC's CIDRs (primary, secondary, and with IPv6 its /56), or an
// existing VPC's node, control-plane and pod subnets (and, on an IPv6
// cluster, the node subnets' IPv6 ranges, where pods take addresses).
func (n *Network) clientRanges() []clientRange {
	cfg := n.cfg
	var out []clientRange
	if cfg.ExistingVpcId == "" {
		out = append(out, clientRange{cidr: jsii.String(cfg.VpcCidr)})
		if cfg.SecondaryCidr != "" {
			out = append(out, clientRange{cidr: jsii.String(cfg.SecondaryCidr)})
		}
		if cfg.IPv6 {
			out = append(out, clientRange{cidr: n.vpcIpv6Cidr, v6: true})
		}
		return out
	}
	for _, z := range cfg.Zones {
		for _, c := range []string{z.Private, z.Intra, z.Pod} {
			if c != "" {
				out = append(out, clientRange{cidr: jsii.String(c)})
			}
		}
		if z.Private6 != "" {
			out = append(out, clientRange{cidr: jsii.String(z.Private6), v6: true})
		}
	}
	return out
}

func serviceName(region, service string) string {
	return fmt.Sprintf("com.amazonaws.%s.%s", region, service)
}

// flowLogs records the VPC's traffic to a CloudWatch log group (with a
// delivery role) or to an S3 bucket.
func (n *Network) flowLogs(scope constructs.Construct) {
	f := n.cfg.FlowLogs
	if f == nil {
		return
	}
	conf := &flowlog.FlowLogConfig{
		VpcId:                  n.VpcId,
		TrafficType:            jsii.String(f.TrafficType),
		MaxAggregationInterval: jsii.Number(f.MaxAggregationInterval),
		Tags:                   tags("Name", n.cfg.ClusterName),
	}
	if f.Destination == "s3" {
		conf.LogDestinationType = jsii.String("s3")
		conf.LogDestination = jsii.String(f.S3BucketArn)
		flowlog.NewFlowLog(scope, jsii.String("flow-logs"), conf)
		return
	}
	group := cloudwatchloggroup.NewCloudwatchLogGroup(scope, jsii.String("flow-logs-group"), &cloudwatchloggroup.CloudwatchLogGroupConfig{
		Name:            jsii.String(FlowLogGroupName(n.cfg.ClusterName)),
		RetentionInDays: jsii.Number(f.RetentionDays),
		KmsKeyId:        f.KmsKeyArn,
	})
	role := iamrole.NewIamRole(scope, jsii.String("flow-logs-role"), &iamrole.IamRoleConfig{
		NamePrefix:       jsii.String(identity.RoleNamePrefix(n.cfg.ClusterName+"-", "flow-logs")),
		Description:      jsii.String("Delivers VPC flow logs of EKS cluster " + n.cfg.ClusterName + " to CloudWatch Logs"),
		AssumeRolePolicy: jsonvalue.String(identity.ServiceTrustPolicy("vpc-flow-logs.amazonaws.com", "sts:AssumeRole")),
	})
	policy := iamrolepolicy.NewIamRolePolicy(scope, jsii.String("flow-logs-policy"), &iamrolepolicy.IamRolePolicyConfig{
		Role:       role.Id(),
		NamePrefix: jsii.String("deliver-flow-logs-"),
		// The actions AWS lists for flow log delivery to CloudWatch Logs,
		// limited to this log group.
		Policy: jsonvalue.String(map[string]any{
			"Version": "2012-10-17",
			"Statement": []map[string]any{{
				"Effect":   "Allow",
				"Action":   []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"},
				"Resource": []*string{group.Arn(), jsii.String(*group.Arn() + ":*")},
			}},
		}),
	})
	conf.LogDestinationType = jsii.String("cloud-watch-logs")
	conf.LogDestination = group.Arn()
	conf.IamRoleArn = role.Arn()
	conf.DependsOn = &[]cdktf.ITerraformDependable{policy}
	flowlog.NewFlowLog(scope, jsii.String("flow-logs"), conf)
}
