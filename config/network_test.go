package config

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/eksready/eksready/config/ipcapacity"
)

func mustLoad(t *testing.T, yamlText string) Cluster {
	t.Helper()
	load := func() (Cluster, error) { return Load(strings.NewReader(yamlText)) }
	if yamlText == "" {
		// An empty file is refused; no file at all is the built-in default.
		load = func() (Cluster, error) { return LoadFile("") }
	}
	c, err := load()
	if err != nil {
		t.Fatalf("loading:\n%s\n%v", yamlText, err)
	}
	return c
}

func TestNetworkDefaults(t *testing.T) {
	n := Default().Network
	checks := []struct {
		field string
		got   any
		want  any
	}{
		{"vpcCidr", n.VpcCidr, "10.0.0.0/16"},
		{"availabilityZoneCount", n.AvailabilityZoneCount, 3},
		{"subnets.private.prefixLength", n.Subnets.Private.PrefixLength, 19},
		{"subnets.public.prefixLength", n.Subnets.Public.PrefixLength, 22},
		{"subnets.intra.enabled", n.Subnets.Intra.Enabled, false},
		{"natGateways", n.NatGateways, NatPerAz},
		{"endpoints.enabled", n.Endpoints.On(), true},
		{"endpoints.services", strings.Join(n.Endpoints.Services, ","), "s3,ecr.api,ecr.dkr,sts,ec2,logs,ssm,ssmmessages,ec2messages,elasticloadbalancing,autoscaling"},
		{"flowLogs.enabled", n.FlowLogs.On(), true},
		{"flowLogs.destination", n.FlowLogs.Destination, "cloudwatch"},
		{"flowLogs.retentionDays", n.FlowLogs.RetentionDays, 30},
		{"flowLogs.trafficType", n.FlowLogs.TrafficType, "ALL"},
		{"flowLogs.maxAggregationInterval", n.FlowLogs.MaxAggregationInterval, 600},
		{"podNetworking.mode", n.PodNetworking.Mode, PodNetworkingPrefixDelegation},
		{"podNetworking.vpcCni.warmPrefixTarget", *n.PodNetworking.VpcCni.WarmPrefixTarget, 1},
		{"existingVpc", n.ExistingVpc == nil, true},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("network.%s defaults to %v, want %v", ch.field, ch.got, ch.want)
		}
	}
	// Settings of other modes stay unset, so a file that sets them where
	// they do nothing can be told apart.
	if n.PodNetworking.CustomNetworking != (CustomNetworking{}) || n.PodNetworking.Cilium != (Cilium{}) {
		t.Errorf("other modes' settings are filled: %+v", n.PodNetworking)
	}
}

func TestModeDependentDefaults(t *testing.T) {
	c := mustLoad(t, "network: {podNetworking: {mode: custom-networking}}")
	cn := c.Network.PodNetworking.CustomNetworking
	if cn.SecondaryCidr != "100.64.0.0/16" || cn.PodSubnetPrefixLength != 18 || !*cn.PrefixDelegation {
		t.Errorf("custom networking defaults = %+v", cn)
	}
	if *c.Network.PodNetworking.VpcCni.WarmPrefixTarget != 1 {
		t.Error("custom networking with prefix delegation has no WARM_PREFIX_TARGET default")
	}
	c = mustLoad(t, "network: {podNetworking: {mode: custom-networking, customNetworking: {prefixDelegation: false}}}")
	if c.Network.PodNetworking.VpcCni.WarmPrefixTarget != nil {
		t.Error("WARM_PREFIX_TARGET defaulted without prefix delegation")
	}
	c = mustLoad(t, "network: {podNetworking: {mode: cilium}}")
	if got := c.Network.PodNetworking.Cilium; got.ClusterPoolCidr != "100.64.0.0/10" || got.ClusterPoolMaskSize != 24 {
		t.Errorf("cilium defaults = %+v", got)
	}
	if c.Network.PodNetworking.VpcCni != (VpcCniSettings{}) {
		t.Errorf("cilium got VPC CNI settings: %+v", c.Network.PodNetworking.VpcCni)
	}
	c = mustLoad(t, "network: {podNetworking: {vpcCni: {warmIpTarget: 5, minimumIpTarget: 20}}}")
	if c.Network.PodNetworking.VpcCni.WarmPrefixTarget != nil {
		t.Error("WARM_PREFIX_TARGET defaulted next to the IP targets that override it")
	}
	c = mustLoad(t, "network: {availabilityZones: [eu-west-1a, eu-west-1b]}")
	if c.Network.AvailabilityZoneCount != 2 || c.Network.Subnets.Private.PrefixLength != 18 {
		t.Errorf("two named zones: count %d, private /%d; want 2 and /18", c.Network.AvailabilityZoneCount, c.Network.Subnets.Private.PrefixLength)
	}
	c = mustLoad(t, "network: {subnets: {intra: {enabled: true}}, flowLogs: {destination: s3, s3BucketArn: 'arn:aws:s3:::logs'}, endpoints: {enabled: false}}")
	if c.Network.Subnets.Intra.PrefixLength != 28 || c.Network.FlowLogs.RetentionDays != 0 || c.Network.Endpoints.Services != nil {
		t.Errorf("intra /%d, retention %d, services %v", c.Network.Subnets.Intra.PrefixLength, c.Network.FlowLogs.RetentionDays, c.Network.Endpoints.Services)
	}
}

func TestSubnetLayout(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		want []ZoneLayout
		sec  string
	}{
		{"default: 3 zones of a /16", "", []ZoneLayout{
			{Label: "zone 1", Private: "10.0.0.0/19", Public: "10.0.96.0/22"},
			{Label: "zone 2", Private: "10.0.32.0/19", Public: "10.0.100.0/22"},
			{Label: "zone 3", Private: "10.0.64.0/19", Public: "10.0.104.0/22"},
		}, ""},
		{"named zones, intra, smaller VPC", "network: {vpcCidr: 172.16.0.0/20, availabilityZones: [eu-west-1a, eu-west-1c], subnets: {intra: {enabled: true}}}", []ZoneLayout{
			{Name: "eu-west-1a", Label: "eu-west-1a", Private: "172.16.0.0/22", Public: "172.16.8.0/25", Intra: "172.16.9.0/28"},
			{Name: "eu-west-1c", Label: "eu-west-1c", Private: "172.16.4.0/22", Public: "172.16.8.128/25", Intra: "172.16.9.16/28"},
		}, ""},
		{"overrides and custom networking", "network: {vpcCidr: 10.1.0.0/16, subnets: {private: {prefixLength: 20}, public: {prefixLength: 24}}, podNetworking: {mode: custom-networking, customNetworking: {secondaryCidr: 198.19.0.0/16, podSubnetPrefixLength: 19}}}", []ZoneLayout{
			{Label: "zone 1", Private: "10.1.0.0/20", Public: "10.1.48.0/24", Pod: "198.19.0.0/19"},
			{Label: "zone 2", Private: "10.1.16.0/20", Public: "10.1.49.0/24", Pod: "198.19.32.0/19"},
			{Label: "zone 3", Private: "10.1.32.0/20", Public: "10.1.50.0/24", Pod: "198.19.64.0/19"},
		}, "198.19.0.0/16"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l, err := SubnetLayout(mustLoad(t, tc.yaml).Network)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(l.Zones, tc.want) {
				t.Errorf("zones\n got %+v\nwant %+v", l.Zones, tc.want)
			}
			if l.SecondaryCidr != tc.sec {
				t.Errorf("secondary %q, want %q", l.SecondaryCidr, tc.sec)
			}
		})
	}
}

// TestSubnetLayoutIsAlignedAndDisjoint checks every computed layout's
// blocks: aligned (a valid CIDR), inside the VPC, and not overlapping.
func TestSubnetLayoutIsAlignedAndDisjoint(t *testing.T) {
	// Cilium keeps the tiny layouts clear of the capacity check.
	for _, y := range []string{
		"network: {podNetworking: {mode: cilium}}",
		"network: {podNetworking: {mode: cilium}, vpcCidr: 10.0.0.0/24, availabilityZoneCount: 2, subnets: {intra: {enabled: true}}}",
		"network: {podNetworking: {mode: cilium}, vpcCidr: 10.0.0.0/18, availabilityZoneCount: 6, subnets: {intra: {enabled: true}}}",
		"network: {vpcCidr: 10.0.0.0/16, availabilityZoneCount: 5, subnets: {private: {prefixLength: 20}, public: {prefixLength: 26}, intra: {enabled: true, prefixLength: 27}}}",
	} {
		c := mustLoad(t, y)
		l, err := SubnetLayout(c.Network)
		if err != nil {
			t.Fatalf("%s: %v", y, err)
		}
		var all []namedPrefix
		for _, z := range l.Zones {
			for _, cidr := range []string{z.Public, z.Private, z.Intra} {
				if cidr == "" {
					continue
				}
				var v collector
				p, ok := parseCidr4("x", cidr, &v)
				if !ok {
					t.Fatalf("%s: %s is not an aligned CIDR: %v", y, cidr, v.problems)
				}
				all = append(all, namedPrefix{cidr, p})
			}
		}
		var v collector
		reportOverlaps(all, &v)
		if len(v.problems) > 0 {
			t.Errorf("%s: %v", y, v.problems)
		}
	}
}

func TestSubnetLayoutOfExistingVpcFollowsPrivateSubnets(t *testing.T) {
	c := mustLoad(t, `
network:
  existingVpc:
    vpcId: vpc-0a1b2c3d4e5f60718
    privateSubnets:
      - {id: subnet-0bbbbbbbbbbbbbbb2, zone: eu-west-1b, cidr: 10.50.48.0/20}
      - {id: subnet-0bbbbbbbbbbbbbbb1, zone: eu-west-1a, cidr: 10.50.32.0/20}
    publicSubnets:
      - {id: subnet-0aaaaaaaaaaaaaaa1, zone: eu-west-1a, cidr: 10.50.0.0/24}
`)
	l, err := SubnetLayout(c.Network)
	if err != nil {
		t.Fatal(err)
	}
	want := []ZoneLayout{
		{Name: "eu-west-1b", Label: "eu-west-1b", Private: "10.50.48.0/20"},
		{Name: "eu-west-1a", Label: "eu-west-1a", Private: "10.50.32.0/20", Public: "10.50.0.0/24"},
	}
	if !reflect.DeepEqual(l.Zones, want) || l.VpcCidr != "" {
		t.Errorf("layout %+v", l)
	}
	if c.Network.AvailabilityZoneCount != 2 {
		t.Errorf("zone count %d, want the 2 private subnets", c.Network.AvailabilityZoneCount)
	}
}

const byoHead = `
network:
  existingVpc:
    vpcId: vpc-0a1b2c3d4e5f60718
    privateSubnets:
      - {id: subnet-0bbbbbbbbbbbbbbb1, zone: eu-west-1a, cidr: 10.50.32.0/20}
      - {id: subnet-0bbbbbbbbbbbbbbb2, zone: eu-west-1b, cidr: 10.50.48.0/20}
`

func TestNetworkValidation(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		want []string
	}{
		{"fewer than two zones", "network: {availabilityZoneCount: 1}", []string{
			`network.availabilityZoneCount: 1 must be between 2 and 6 (EKS needs subnets in at least two zones)`,
		}},
		{"zone names", "network: {availabilityZones: [eu-west-1a, eu-west-1a, us-east-1b, eu-west-1-lax-1a]}", []string{
			`network.availabilityZones[1]: "eu-west-1a" is listed twice`,
			`network.availabilityZones[2]: "us-east-1b" is not an availability zone of region eu-west-1 (like eu-west-1a; no region has zones beyond f, and Local and Wavelength Zones cannot host EKS)`,
			`network.availabilityZones[3]: "eu-west-1-lax-1a" is not an availability zone of region eu-west-1 (like eu-west-1a; no region has zones beyond f, and Local and Wavelength Zones cannot host EKS)`,
		}},
		{"zone count and names disagree", "network: {availabilityZones: [eu-west-1a, eu-west-1b], availabilityZoneCount: 3}", []string{
			`network.availabilityZoneCount: 3 disagrees with network.availabilityZones, which lists 2; give only one of the two`,
		}},
		{"subnets do not fit the VPC", "network: {vpcCidr: 10.0.0.0/24, subnets: {private: {prefixLength: 25}, intra: {enabled: true}}}", []string{
			`network.subnets: "3 private /25, 3 public /28, 3 intra /28" do not fit the VPC: they need 480 addresses and vpcCidr 10.0.0.0/24 holds 256; give a larger vpcCidr or smaller subnets (prefixLength)`,
		}},
		{"subnet larger than the VPC", "network: {vpcCidr: 10.0.0.0/20, subnets: {private: {prefixLength: 18}}}", []string{
			`network.subnets.private.prefixLength: 18 makes each private subnet larger than the VPC 10.0.0.0/20`,
		}},
		{"subnet sizes and NAT", "network: {subnets: {public: {prefixLength: 30}, intra: {prefixLength: 27}}, natGateways: none}", []string{
			`network.natGateways: "none" must be perAz or single`,
			`network.subnets.public.prefixLength: 30 must be between 16 and 28 (the subnet sizes AWS allows)`,
			`network.subnets.intra.prefixLength: 27 sizes intra subnets, which are not enabled (set network.subnets.intra.enabled: true)`,
		}},
		{"secondary CIDR overlaps the VPC", "network: {vpcCidr: 100.64.0.0/16, podNetworking: {mode: custom-networking, customNetworking: {secondaryCidr: 100.64.0.0/16}}}", []string{
			`network.podNetworking.customNetworking.secondaryCidr: "100.64.0.0/16" overlaps network.vpcCidr 100.64.0.0/16`,
		}},
		{"secondary CIDR outside the allowed ranges", "network: {podNetworking: {mode: custom-networking, customNetworking: {secondaryCidr: 172.16.0.0/16}}}", []string{
			`network.podNetworking.customNetworking.secondaryCidr: "172.16.0.0/16" must lie within 100.64.0.0/10 or 198.19.0.0/16 (non-routable ranges reserved for pods)`,
		}},
		{"pod subnets do not fit the secondary CIDR", "network: {podNetworking: {mode: custom-networking, customNetworking: {secondaryCidr: 100.64.0.0/20, podSubnetPrefixLength: 21}}}", []string{
			`network.podNetworking.customNetworking.podSubnetPrefixLength: 21 gives 3 pod subnets of /21 that need 6,144 addresses, but the secondary CIDR 100.64.0.0/20 holds 4,096`,
		}},
		{"unknown mode", "network: {podNetworking: {mode: calico}}", []string{
			`network.podNetworking.mode: "calico" is not a pod networking mode (known: prefix-delegation, custom-networking, ipv6, cilium)`,
		}},
		{"warm prefix target with cilium", "network: {podNetworking: {mode: cilium, vpcCni: {warmPrefixTarget: 2}}}", []string{
			`network.podNetworking.vpcCni.warmPrefixTarget: 2 has no effect: podNetworking.mode cilium does not run the VPC CNI`,
		}},
		{"custom networking with ipv6", "network: {podNetworking: {mode: ipv6, customNetworking: {secondaryCidr: 100.64.0.0/16}, vpcCni: {warmIpTarget: 3}}}", []string{
			`network.podNetworking.customNetworking: only applies to podNetworking.mode custom-networking; EKS does not support custom networking on IPv6 clusters (mode is ipv6)`,
			`network.podNetworking.vpcCni.warmIpTarget: 3 has no effect in podNetworking.mode ipv6: each node gets one /80 prefix`,
		}},
		{"cilium settings in another mode, overridden prefix target", "network: {podNetworking: {cilium: {clusterPoolMaskSize: 24}, vpcCni: {warmPrefixTarget: 2, minimumIpTarget: 10}}}", []string{
			`network.podNetworking.cilium: only applies to podNetworking.mode cilium (mode is prefix-delegation)`,
			`network.podNetworking.vpcCni.warmPrefixTarget: 2 is overridden by warmIpTarget/minimumIpTarget; set one or the other`,
		}},
		{"warm prefix target without prefix delegation", "network: {podNetworking: {mode: custom-networking, customNetworking: {prefixDelegation: false}, vpcCni: {warmPrefixTarget: 2}}}", []string{
			`network.podNetworking.vpcCni.warmPrefixTarget: 2 only applies with prefix delegation (customNetworking.prefixDelegation is false)`,
		}},
		{"zero warm prefix target", "network: {podNetworking: {vpcCni: {warmPrefixTarget: 0}}}", []string{
			`network.podNetworking.vpcCni.warmPrefixTarget: 0 must be at least 1: the VPC CNI does not support 0 with prefix delegation`,
		}},
		{"cilium pool overlaps", "network: {podNetworking: {mode: cilium, cilium: {clusterPoolCidr: 10.0.0.0/8}}}", []string{
			`network.podNetworking.cilium.clusterPoolCidr: "10.0.0.0/8" overlaps 10.100.0.0/16, a range EKS may give Kubernetes Services`,
			`network.podNetworking.cilium.clusterPoolCidr: "10.0.0.0/8" overlaps network.vpcCidr 10.0.0.0/16: pod addresses would shadow VPC addresses`,
		}},
		{"endpoint names", "network: {endpoints: {services: [com.amazonaws.eu-west-1.sts, 'ECR API', sts, sts]}}", []string{
			`network.endpoints.services[0]: "com.amazonaws.eu-west-1.sts" must be the short service name (like ecr.api), without the com.amazonaws.<region>. prefix`,
			`network.endpoints.services[1]: "ECR API" is not an endpoint service name (like ecr.api)`,
			`network.endpoints.services[3]: "sts" is listed twice`,
		}},
		{"endpoints listed but off", "network: {endpoints: {enabled: false, services: [sts]}}", []string{
			`network.endpoints.services: ["sts"] are listed but network.endpoints.enabled is false`,
		}},
		{"flow logs to s3", "network: {flowLogs: {destination: s3, retentionDays: 30}}", []string{
			`network.flowLogs.retentionDays: 30 only applies with destination cloudwatch; set retention with the bucket's lifecycle rules`,
			`network.flowLogs.s3BucketArn: is required with destination s3`,
		}},
		{"flow log values", "network: {flowLogs: {destination: kinesis, trafficType: SOME, maxAggregationInterval: 300}}", []string{
			`network.flowLogs.destination: "kinesis" must be cloudwatch or s3`,
			`network.flowLogs.trafficType: "SOME" must be one of ALL, ACCEPT, REJECT`,
			`network.flowLogs.maxAggregationInterval: 300 must be 60 or 600 (seconds)`,
		}},
		{"bucket with cloudwatch", "network: {flowLogs: {s3BucketArn: 'arn:aws:s3:::x', retentionDays: 45}}", []string{
			`network.flowLogs.retentionDays: 45 is not a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)`,
			`network.flowLogs.s3BucketArn: "arn:aws:s3:::x" only applies with destination s3 (destination is cloudwatch)`,
		}},
		{"existing VPC with creation settings and bad subnets", `
network:
  vpcCidr: 10.0.0.0/16
  natGateways: single
  availabilityZones: [eu-west-1a]
  subnets: {private: {prefixLength: 20}}
  podNetworking: {mode: custom-networking, customNetworking: {secondaryCidr: 100.64.0.0/16}}
  existingVpc:
    vpcId: vpc-123
    privateSubnets:
      - {id: subnet-0bbbbbbbbbbbbbbb1, zone: eu-west-1a, cidr: 10.50.32.0/20}
      - {id: subnet-0bbbbbbbbbbbbbbb1, zone: eu-west-1a, cidr: 10.50.40.0/21}
      - {id: subnet-1, zone: us-east-1a, cidr: 10.50.64.0/33}
    publicSubnets:
      - {id: subnet-0aaaaaaaaaaaaaaa1, zone: eu-west-1c, cidr: 10.50.0.0/24}
`, []string{
			`network.vpcCidr: "10.0.0.0/16" describes the VPC eksready creates and cannot be used with network.existingVpc (the subnets' CIDRs describe the existing VPC)`,
			`network.availabilityZones: ["eu-west-1a"] cannot be used with network.existingVpc: the zones are those of existingVpc.privateSubnets`,
			`network.natGateways: "single" describes the VPC eksready creates and cannot be used with network.existingVpc`,
			`network.subnets: describes the VPC eksready creates and cannot be used with network.existingVpc`,
			`network.podNetworking.customNetworking: secondaryCidr and podSubnetPrefixLength cannot be used with network.existingVpc: give existingVpc.podSubnets`,
			`network.existingVpc.vpcId: "vpc-123" is not a VPC ID (vpc-…)`,
			`network.existingVpc.publicSubnets[0].zone: "eu-west-1c" has no private subnet; every tier uses the zones of existingVpc.privateSubnets`,
			`network.existingVpc.privateSubnets[1].id: "subnet-0bbbbbbbbbbbbbbb1" is already used by network.existingVpc.privateSubnets[0]`,
			`network.existingVpc.privateSubnets[1].zone: "eu-west-1a" already has a private subnet; give one per zone`,
			`network.existingVpc.privateSubnets[1].cidr: "10.50.40.0/21" overlaps network.existingVpc.privateSubnets[0].cidr (10.50.32.0/20)`,
			`network.existingVpc.privateSubnets[2].id: "subnet-1" is not a subnet ID (subnet-…)`,
			`network.existingVpc.privateSubnets[2].zone: "us-east-1a" is not an availability zone of region eu-west-1 (like eu-west-1a; no region has zones beyond f)`,
			`network.existingVpc.privateSubnets[2].cidr: "10.50.64.0/33" is not a CIDR block`,
			`network.existingVpc.podSubnets: are required with podNetworking.mode custom-networking: one pod subnet per zone, from the VPC's secondary CIDR`,
		}},
		{"existing VPC with pod subnets missing", byoHead + "  podNetworking: {mode: custom-networking}\n", []string{
			`network.existingVpc.podSubnets: are required with podNetworking.mode custom-networking: one pod subnet per zone, from the VPC's secondary CIDR`,
		}},
		{"existing VPC with pod subnets in another mode", byoHead + "    podSubnets:\n      - {id: subnet-0ddddddddddddddd2, zone: eu-west-1b, cidr: 100.64.64.0/18}\n", []string{
			`network.existingVpc.podSubnets: must list one subnet per zone of existingVpc.privateSubnets (1 given for 2 zones)`,
			`network.existingVpc.podSubnets: are only used with podNetworking.mode custom-networking (mode is prefix-delegation)`,
		}},
		{"existing VPC with one private subnet", "network: {existingVpc: {vpcId: vpc-0a1b2c3d4e5f60718, privateSubnets: [{id: subnet-0bbbbbbbbbbbbbbb1, zone: eu-west-1a, cidr: 10.50.32.0/20}]}}", []string{
			`network.existingVpc.privateSubnets: must list 2 to 6 subnets, one per zone (EKS needs two zones); 1 given`,
		}},
		{"ipv6 needs Nitro", "network: {podNetworking: {mode: ipv6}}\nnodes: {system: {instanceTypes: [m4.large, m6i.large]}}", []string{
			`nodes.system.instanceTypes[0]: "m4.large" is not Nitro-based; podNetworking.mode ipv6 needs Nitro instances`,
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assertSameProblems(t, problemsOf(t, tc.yaml), tc.want)
		})
	}
}

func TestCapacityErrors(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		want []string
	}{
		{"private subnets too small for prefix delegation", `
network: {vpcCidr: 10.0.0.0/22, availabilityZoneCount: 2, subnets: {private: {prefixLength: 24}}}
nodes: {system: {instanceTypes: [m5.large], maxSize: 20}}
`, []string{
			"network.subnets.private: too small for the cluster at max scale in 2 zones. Use larger private subnets (a smaller network.subnets.private.prefixLength, or a larger network.vpcCidr), or lower the node pools' maxSize:\n" +
				"      ZONE    SUBNET                              USABLE             NEED AT MAX  SHORT BY\n" +
				"      zone 1  10.0.0.0/24 (private)  224 (14 /28 blocks)  3,232 (202 /28 blocks)     3,008\n" +
				"      zone 2  10.0.1.0/24 (private)  224 (14 /28 blocks)  3,232 (202 /28 blocks)     3,008\n" +
				"      in each: 1 node group at max scale: system: 20 × m5.large prefix delegation: 8 /28 prefixes + 1 ENI primary IP = 129 each = 2,580; 22 other addresses; 160 prefixes exceed the 12-block prefix reservation, so each of the 42 single addresses is charged a /28 block",
		}},
		{"pod subnets too small", `
network: {podNetworking: {mode: custom-networking, customNetworking: {secondaryCidr: 100.64.0.0/24, podSubnetPrefixLength: 26, prefixDelegation: false}}}
nodes: {system: {instanceTypes: [m5.large], maxSize: 5}}
`, []string{
			"network.podNetworking.customNetworking: too small for the cluster at max scale in 3 zones. Use larger pod subnets (a smaller podSubnetPrefixLength, or a larger secondaryCidr), or lower the node pools' maxSize:\n" +
				"      ZONE    SUBNET                 USABLE  NEED AT MAX  SHORT BY\n" +
				"      zone 1  100.64.0.0/26 (pod)        59          100        41\n" +
				"      zone 2  100.64.0.64/26 (pod)       59          100        41\n" +
				"      zone 3  100.64.0.128/26 (pod)      59          100        41\n" +
				"      in each: 1 node group at max scale: system: 5 × m5.large custom networking: 2 ENIs × 10 addresses = 20 each = 100",
		}},
		{"existing subnet too small", byoHead[:strings.Index(byoHead, "10.50.32.0/20")] + "10.50.32.0/24}\n      - {id: subnet-0bbbbbbbbbbbbbbb2, zone: eu-west-1b, cidr: 10.50.48.0/20}\nnodes: {system: {maxSize: 10}}\n", []string{
			"network.existingVpc.privateSubnets[0]: too small for the cluster at max scale in eu-west-1a. Use a larger subnet, or lower the node pools' maxSize:\n" +
				"      ZONE        SUBNET                                USABLE             NEED AT MAX  SHORT BY\n" +
				"      eu-west-1a  10.50.32.0/24 (private)  224 (14 /28 blocks)  1,632 (102 /28 blocks)     1,408\n" +
				"      in eu-west-1a: 1 node group at max scale: system: 10 × m6i.large prefix delegation: 8 /28 prefixes + 1 ENI primary IP = 129 each = 1,290; 12 other addresses; no prefix reservation: each of the 22 single addresses is charged a /28 block",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assertSameProblems(t, problemsOf(t, tc.yaml), tc.want)
		})
	}
}

// TestCiliumFitsWhereTheVpcCniDoesNot is the point of the overlay: the same
// small VPC and scale that prefix delegation rejects passes with Cilium.
func TestCiliumFitsWhereTheVpcCniDoesNot(t *testing.T) {
	small := "network: {vpcCidr: 10.0.0.0/22, podNetworking: {mode: %s}}\nnodes: {system: {instanceTypes: [m5.large], maxSize: 20}}"
	if _, err := Load(strings.NewReader(strings.Replace(small, "%s", "prefix-delegation", 1))); err == nil {
		t.Fatal("prefix delegation fits 60 m5.large nodes in /25 subnets")
	}
	c := mustLoad(t, strings.Replace(small, "%s", "cilium", 1))
	rep, err := CapacityReport(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range rep.Subnets {
		// Private: 20 nodes + 10 interface endpoints + 4 control-plane
		// interfaces + 8 for load balancers; public: 8 for load balancers
		// and the zone's NAT gateway.
		want := map[ipcapacity.SubnetRole]int{ipcapacity.RoleNode: 42, ipcapacity.RolePublic: 9}[s.Role]
		if s.Need != want {
			t.Errorf("%s needs %d, want %d", s.Label(), s.Need, want)
		}
	}
}

func TestCNIAndMaxPods(t *testing.T) {
	cases := []struct {
		name     string
		yaml     string
		wantMode ipcapacity.Mode
		wantPD   bool
		maxPods  int
	}{
		{"prefix delegation", "", ipcapacity.ModePrefixDelegation, false, 110},
		{"custom networking + PD", "network: {podNetworking: {mode: custom-networking}}", ipcapacity.ModeCustomNetworking, true, 110},
		// m5.large: (3 ENIs - 1) × (10 - 1) + 2 = 20; the pool's least type wins.
		{"custom networking, secondary IPs", "network: {podNetworking: {mode: custom-networking, customNetworking: {prefixDelegation: false}}}\nnodes: {system: {instanceTypes: [m5.xlarge, m5.large]}}", ipcapacity.ModeCustomNetworking, false, 20},
		{"ipv6", "network: {podNetworking: {mode: ipv6}}", ipcapacity.ModeIPv6, false, 110},
		{"cilium", "network: {podNetworking: {mode: cilium}}\nnodes: {system: {instanceTypes: [m6i.8xlarge]}}", ipcapacity.ModeOtherCNI, false, 110},
		// 32 vCPUs: the high ceiling.
		{"large instances", "nodes: {system: {instanceTypes: [m6i.8xlarge]}}", ipcapacity.ModePrefixDelegation, false, 250},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := mustLoad(t, tc.yaml)
			cni := CNI(c)
			if cni.Mode != tc.wantMode || cni.PrefixDelegation != tc.wantPD {
				t.Errorf("CNI = %+v", cni)
			}
			got, err := MaxPods(c, SystemPool)
			if err != nil || got != tc.maxPods {
				t.Errorf("MaxPods = %d, %v; want %d", got, err, tc.maxPods)
			}
		})
	}
	if _, err := MaxPods(Default(), "nope"); err == nil {
		t.Error("MaxPods of an unknown pool")
	}
	c := mustLoad(t, "network: {podNetworking: {vpcCni: {warmIpTarget: 4, minimumIpTarget: 12}}}")
	if cni := CNI(c); cni.WarmIPTarget != 4 || cni.MinimumIPTarget != 12 || cni.WarmPrefixTarget != 0 {
		t.Errorf("warm settings not passed to the planner: %+v", cni)
	}
}

func TestAPIServerReachesPods(t *testing.T) {
	if !APIServerReachesPods(Default()) || APIServerReachesPods(mustLoad(t, "network: {podNetworking: {mode: cilium}}")) {
		t.Error("only the Cilium overlay hides pod addresses from the API server")
	}
}

func TestNodeStartupTaints(t *testing.T) {
	if got := NodeStartupTaints(Default()); got != nil {
		t.Errorf("prefix delegation taints %v", got)
	}
	got := NodeStartupTaints(mustLoad(t, "network: {podNetworking: {mode: cilium}}"))
	want := []Taint{{Key: "node.cilium.io/agent-not-ready", Value: "true", Effect: "NO_EXECUTE"}}
	if !reflect.DeepEqual(got, want) || got[0].KubernetesEffect() != "NoExecute" {
		t.Errorf("cilium taints %v", got)
	}
}

func TestCapacitySummary(t *testing.T) {
	got := strings.Join(CapacitySummary(Default()), "\n")
	// Private subnets: 24 prefixes (3 nodes × 8) + 25 single addresses (3
	// nodes, 10 endpoints, 4 control-plane interfaces, 8 for load
	// balancers) packed outside the reservation in 2 blocks = 26 blocks;
	// the reservation: 24 prefixes + 25% = 30 blocks → 32, a /23 just below
	// each subnet's midpoint. Public subnets: 8 for load balancers + 1 NAT.
	want := `pod networking: prefix-delegation
node pool sizes are per zone (3 zones): system 1–3 per zone = 3–9 nodes
AZ      SUBNET                        USABLE  NEED AT MAX  HEADROOM %  STATUS
zone 1  10.0.0.0/19 (private) [/28]    8,160          416        94.9  OK
zone 1  10.0.96.0/22 (public)          1,019            9        99.1  OK
zone 2  10.0.32.0/19 (private) [/28]   8,160          416        94.9  OK
zone 2  10.0.100.0/22 (public)         1,019            9        99.1  OK
zone 3  10.0.64.0/19 (private) [/28]   8,160          416        94.9  OK
zone 3  10.0.104.0/22 (public)         1,019            9        99.1  OK
[/28] prefix delegation: usable and need count whole /28 blocks of 16 addresses
ITEM                       KIND            NODES PER ZONE  MAX PODS  ADDRESSES PER ZONE  DETAIL
system                     node group                   3       110                 387  maxSize in each zone; m6i.large prefix delegation: 8 /28 prefixes + 1 ENI primary IP = 129 each
interface endpoints        endpoints                    -         -                  10  one interface per endpoint in each private subnet (network.endpoints)
load balancers             allowance                    -         -                   8  in each public and private subnet (network.loadBalancerAddressesPerZone)
control plane              interfaces                   -         -                   4  EKS places up to 4 cluster interfaces in the private subnets (no intra subnets)
/28 block rounding         rounding                     -         -                   7  25 single addresses packed into whole /28 blocks outside the prefix reservation
total                      private subnet               -         -                 416  NEED AT MAX of private subnet 10.0.0.0/19
prefix reservation zone 1  reservation                  -         -                   -  private subnet 10.0.0.0/19: 10.0.14.0/23 holds 512 addresses for the /28 prefixes above (not added: the prefixes are)
prefix reservation zone 2  reservation                  -         -                   -  private subnet 10.0.32.0/19: 10.0.46.0/23 holds 512 addresses for the /28 prefixes above (not added: the prefixes are)
prefix reservation zone 3  reservation                  -         -                   -  private subnet 10.0.64.0/19: 10.0.78.0/23 holds 512 addresses for the /28 prefixes above (not added: the prefixes are)`
	if got != want {
		t.Errorf("summary\n%s\nwant\n%s", got, want)
	}
	// Intra subnets take the control plane's interfaces off the private
	// subnets; endpoints still have one interface per zone there.
	c := mustLoad(t, "network: {subnets: {intra: {enabled: true}}}")
	if other := otherAddresses(c.Network); other != 18 {
		t.Errorf("other addresses with intra subnets = %d, want the 10 interface endpoints + 8 for load balancers", other)
	}
	if other := otherAddresses(Default().Network); other != 22 {
		t.Errorf("other addresses = %d, want 10 endpoints + 4 control-plane interfaces + 8 for load balancers", other)
	}
	c = mustLoad(t, "network: {loadBalancerAddressesPerZone: 40, natGateways: single}")
	if other, pub0, pub1 := otherAddresses(c.Network), publicAddresses(c.Network, 0), publicAddresses(c.Network, 1); other != 54 || pub0 != 41 || pub1 != 40 {
		t.Errorf("with 40 load balancer addresses and one NAT gateway: private %d, public %d and %d; want 54, 41, 40", other, pub0, pub1)
	}
}

func TestCapacityFailure(t *testing.T) {
	if CapacityFailure(Default()) != nil {
		t.Error("a configuration that fits reports a capacity failure")
	}
	c, _ := Load(strings.NewReader("network: {vpcCidr: 10.0.0.0/22, subnets: {private: {prefixLength: 24}}}\nnodes: {system: {instanceTypes: [m5.large], maxSize: 20}}"))
	got := strings.Join(CapacityFailure(c), "\n")
	if !strings.Contains(got, "zone 1  10.0.0.0/24 (private) [/28!]     224        3,232     -1342.9  FAIL") || !strings.Contains(got, "[/28!] no prefix reservation holds every prefix") {
		t.Errorf("capacity failure table:\n%s", got)
	}
}

func TestCapacityReportReturnsTheFailingReport(t *testing.T) {
	c := Default()
	c.Network.Subnets.Private.PrefixLength = 26
	c.Network.Subnets.Public.PrefixLength = 28
	rep, err := CapacityReport(c)
	var ce *ipcapacity.CapacityError
	if !errors.As(err, &ce) || rep == nil || len(ce.Failures) != 3 {
		t.Fatalf("report %v, err %v", rep, err)
	}
}

func TestPrefixReservationAndLoadBalancerValidation(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		want []string
	}{
		{"not prefix delegation", "network: {podNetworking: {mode: ipv6, prefixReservation: {enabled: true}}}", []string{
			"network.podNetworking.prefixReservation: only applies with prefix delegation (mode prefix-delegation, or custom-networking with customNetworking.prefixDelegation); mode is ipv6",
		}},
		{"existing VPC", byoHead + "  podNetworking: {mode: prefix-delegation, prefixReservation: {prefixLength: 24}}\n", []string{
			"network.podNetworking.prefixReservation: cannot be used with network.existingVpc: reserve ranges in subnets you own yourself (aws ec2 create-subnet-cidr-reservation --reservation-type prefix); eksready plans them for the worst case",
		}},
		{"larger than half the subnet", "network: {podNetworking: {prefixReservation: {prefixLength: 19}}}", []string{
			"network.podNetworking.prefixReservation.prefixLength: 19 must be between /20 (half of each /19 subnet, network.subnets.private.prefixLength) and /28",
		}},
		{"pod subnets", "network: {podNetworking: {mode: custom-networking, prefixReservation: {prefixLength: 29}}}", []string{
			"network.podNetworking.prefixReservation.prefixLength: 29 must be between /19 (half of each /18 subnet, customNetworking.podSubnetPrefixLength) and /28",
		}},
		{"size without reservation", "network: {podNetworking: {prefixReservation: {enabled: false, prefixLength: 22}}}", []string{
			"network.podNetworking.prefixReservation.prefixLength: 22 sizes a reservation, but prefixReservation.enabled is false",
		}},
		{"load balancer allowance", "network: {loadBalancerAddressesPerZone: -1}", []string{
			"network.loadBalancerAddressesPerZone: -1 must be between 0 and 65536",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assertSameProblems(t, problemsOf(t, tc.yaml), tc.want)
		})
	}
	// A public /28 holds 11: 8 for load balancers and a NAT gateway fit,
	// 11 do not (Cilium, so that the /26 private subnets hold the rest).
	small := "network: {vpcCidr: 10.0.0.0/24, availabilityZoneCount: 2, podNetworking: {mode: cilium}, loadBalancerAddressesPerZone: %d}\nnodes: {system: {maxSize: 1}}"
	mustLoad(t, fmt.Sprintf(small, 8))
	got := problemsOf(t, fmt.Sprintf(small, 11))
	want := []string{
		"network.subnets.public: too small for the cluster at max scale in 2 zones. Use a larger public subnet, or lower network.loadBalancerAddressesPerZone:\n" +
			"      ZONE    SUBNET                  USABLE  NEED AT MAX  SHORT BY\n" +
			"      zone 1  10.0.0.128/28 (public)      11           12         1\n" +
			"      zone 2  10.0.0.144/28 (public)      11           12         1\n" +
			"      in each: its load balancers and gateways at max scale: 12 other addresses",
	}
	assertSameProblems(t, got, want)
}

func TestPrefixReservations(t *testing.T) {
	// Default: a /23 below each private subnet's midpoint.
	res, err := PrefixReservations(Default())
	if err != nil || !reflect.DeepEqual(res, [][]string{{"10.0.14.0/23"}, {"10.0.46.0/23"}, {"10.0.78.0/23"}}) {
		t.Errorf("default reservations = %v, %v", res, err)
	}
	// A configured size.
	res, _ = PrefixReservations(mustLoad(t, "network: {podNetworking: {prefixReservation: {prefixLength: 21}}}"))
	if !reflect.DeepEqual(res[0], []string{"10.0.8.0/21"}) {
		t.Errorf("a /21: %v", res)
	}
	// Custom networking + prefix delegation: in the pod subnets.
	res, _ = PrefixReservations(mustLoad(t, "network: {podNetworking: {mode: custom-networking}}"))
	if len(res) != 3 || len(res[0]) != 1 || !strings.HasPrefix(res[0][0], "100.64.") {
		t.Errorf("pod subnet reservations = %v", res)
	}
	// None: turned off, another mode, an existing VPC.
	for _, y := range []string{"network: {podNetworking: {prefixReservation: {enabled: false}}}", "network: {podNetworking: {mode: ipv6}}", byoHead + "  podNetworking: {mode: prefix-delegation}\n"} {
		c := mustLoad(t, y)
		if res, err := PrefixReservations(c); res != nil || err != nil {
			t.Errorf("%s: reservations %v, %v", y, res, err)
		}
	}
	// Turned off, the private subnets are planned for the worst case.
	rep, _ := CapacityReport(mustLoad(t, "network: {podNetworking: {prefixReservation: {enabled: false}}}"))
	if s := rep.Subnets[0]; !s.WorstCase || s.Need != (24+25)*16 {
		t.Errorf("without a reservation: %+v", s)
	}
}

// A Karpenter pool that would exhaust its subnet fails validation with the
// figures, naming what to change.
func TestKarpenterPoolExhaustsItsSubnet(t *testing.T) {
	got := problemsOf(t, `
network: {vpcCidr: 10.0.0.0/18}
software:
  autoscaling: karpenter
  karpenter:
    nodePools:
      batch: {cpuLimit: 400}
`)
	// One problem for the three zones, the explanation once.
	if len(got) != 1 {
		t.Fatalf("problems = %q", got)
	}
	for _, p := range got {
		if n := strings.Count(p, "karpenter/batch: 200 × "); n != 1 {
			t.Errorf("the explanation is given %d times:\n%s", n, p)
		}
		for _, want := range []string{
			"network.subnets.private: too small for the cluster at max scale in 3 zones",
			"zone 1  10.0.0.0/21 (private)   2,016 (126 /28 blocks)",
			"zone 3  10.0.16.0/21 (private)  2,016 (126 /28 blocks)",
			"in each: 2 node groups at max scale: ",
			"karpenter/batch: 200 × ",
			"prefixes exceed the ",
			"or the Karpenter NodePools' cpuLimit",
		} {
			if !strings.Contains(p, want) {
				t.Errorf("problem lacks %q:\n%s", want, p)
			}
		}
	}
}
