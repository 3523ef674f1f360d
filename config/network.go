package config

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/eksready/eksready/config/ipcapacity"
)

// Pod networking modes (Network.PodNetworking.Mode).
const (
	// PodNetworkingPrefixDelegation is the VPC CNI handing out /28 prefixes
	// from the node subnets (ENABLE_PREFIX_DELEGATION).
	PodNetworkingPrefixDelegation = "prefix-delegation"
	// PodNetworkingCustomNetworking is the VPC CNI placing pods in pod
	// subnets of a secondary VPC CIDR (AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG).
	PodNetworkingCustomNetworking = "custom-networking"
	// PodNetworkingIPv6 is an IPv6 cluster: pods take IPv6 addresses.
	PodNetworkingIPv6 = "ipv6"
	// PodNetworkingCilium replaces the VPC CNI with Cilium in overlay mode
	// (cluster-pool IPAM): pods take no VPC addresses.
	PodNetworkingCilium = "cilium"
)

// PodNetworkingModes are the accepted Network.PodNetworking.Mode values.
var PodNetworkingModes = []string{PodNetworkingPrefixDelegation, PodNetworkingCustomNetworking, PodNetworkingIPv6, PodNetworkingCilium}

// NAT gateway layouts (Network.NatGateways).
const (
	// NatPerAz puts one NAT gateway in every zone, so losing a zone never
	// cuts the other zones off the internet.
	NatPerAz = "perAz"
	// NatSingle shares one NAT gateway (in the first zone) between all
	// zones: cheaper, but a single point of failure.
	NatSingle = "single"
)

// NatGatewayLayouts are the accepted Network.NatGateways values.
var NatGatewayLayouts = []string{NatPerAz, NatSingle}

// Flow log destinations (Network.FlowLogs.Destination).
const (
	FlowLogsCloudWatch = "cloudwatch"
	FlowLogsS3         = "s3"
)

// FlowLogDestinations are the accepted Network.FlowLogs.Destination values.
var FlowLogDestinations = []string{FlowLogsCloudWatch, FlowLogsS3}

// FlowLogTrafficTypes are the accepted Network.FlowLogs.TrafficType values.
var FlowLogTrafficTypes = []string{"ALL", "ACCEPT", "REJECT"}

// FlowLogAggregationIntervals are the accepted
// Network.FlowLogs.MaxAggregationInterval values, in seconds.
var FlowLogAggregationIntervals = []int{60, 600}

// AllowedSecondaryRanges are where a custom-networking secondary CIDR may
// come from: the ranges AWS documents for EKS pod CIDRs, which never clash
// with RFC 1918 networks a VPC is peered with.
var AllowedSecondaryRanges = []string{"100.64.0.0/10", "198.19.0.0/16"}

// eksServiceRanges are the Service CIDRs EKS picks from when none is set
// (10.100.0.0/16, or 172.20.0.0/16 when the VPC is in 10.0.0.0/8); pod
// ranges must not overlap them.
var eksServiceRanges = []string{"10.100.0.0/16", "172.20.0.0/16"}

// Network describes the VPC the cluster runs in: one eksready creates, or
// an existing one (ExistingVpc).
type Network struct {
	// VpcCidr is the primary IPv4 range of the VPC eksready creates; subnets
	// are carved from it. Between /16 and /24. Not used with existingVpc.
	// Default: "10.0.0.0/16".
	VpcCidr string `yaml:"vpcCidr"`

	// AvailabilityZoneCount is how many availability zones the VPC spans;
	// the region's first zones (without opt-in) are resolved at plan time.
	// Between 2 and 6 (EKS needs two). Default: 3, or the number of
	// availabilityZones, or of existingVpc.privateSubnets.
	AvailabilityZoneCount int `yaml:"availabilityZoneCount"`

	// AvailabilityZones names the zones explicitly (eu-west-1a, …) instead
	// of resolving them at plan time; the count is then their number.
	// Default: none (resolved at plan time).
	AvailabilityZones []string `yaml:"availabilityZones"`

	// Subnets sizes the subnet tiers of the VPC eksready creates.
	Subnets Subnets `yaml:"subnets"`

	// NatGateways is "perAz" (one NAT gateway per zone) or "single" (one
	// shared gateway, cheaper, a cross-zone single point of failure).
	// Not used with existingVpc. Default: "perAz".
	NatGateways string `yaml:"natGateways"`

	// Endpoints are the VPC endpoints that keep AWS API and image traffic
	// inside the VPC.
	Endpoints Endpoints `yaml:"endpoints"`

	// FlowLogs records the VPC's IP traffic.
	FlowLogs FlowLogs `yaml:"flowLogs"`

	// ExistingVpc runs the cluster in a VPC that already exists instead of
	// creating one. Default: none (eksready creates the VPC).
	ExistingVpc *ExistingVpc `yaml:"existingVpc"`

	// PodNetworking chooses how pods get their addresses.
	PodNetworking PodNetworking `yaml:"podNetworking"`

	// Policies configures Kubernetes NetworkPolicy enforcement.
	Policies NetworkPolicies `yaml:"policies"`

	// LoadBalancerAddressesPerZone is how many addresses the IP capacity
	// plan sets aside in every zone's public and private subnet for the
	// network interfaces of ALBs and NLBs (the load balancer controller
	// puts internet-facing ones in public subnets, internal ones in private
	// subnets; an ALB needs 8 free addresses per subnet to scale, each NLB
	// one). Default: 8.
	LoadBalancerAddressesPerZone *int `yaml:"loadBalancerAddressesPerZone"`
}

// Subnets sizes the subnet tiers. Each tier has one subnet per zone.
type Subnets struct {
	// Public subnets hold internet-facing load balancers and NAT gateways.
	Public SubnetTier `yaml:"public"`
	// Private subnets hold the nodes (and, except with custom networking,
	// the pods).
	Private SubnetTier `yaml:"private"`
	// Intra subnets have no route out of the VPC; when enabled the EKS
	// control plane places its network interfaces there instead of in the
	// private subnets.
	Intra IntraTier `yaml:"intra"`
}

// SubnetTier sizes one tier.
type SubnetTier struct {
	// PrefixLength of each subnet of the tier (16-28). Default: derived
	// from the VPC CIDR and zone count — private subnets share half the
	// VPC (a /19 each for a /16 over 3 zones), public ones a sixteenth of
	// that (/22).
	PrefixLength int `yaml:"prefixLength"`
}

// IntraTier sizes the optional intra tier.
type IntraTier struct {
	// Enabled creates one intra subnet per zone for the control plane's
	// network interfaces. Default: false.
	Enabled bool `yaml:"enabled"`
	// PrefixLength of each intra subnet (16-28). Default: 28, the dedicated
	// /28 AWS recommends for the control plane's up to four interfaces.
	PrefixLength int `yaml:"prefixLength"`
}

// Endpoints configures VPC endpoints.
type Endpoints struct {
	// Enabled creates the endpoints. Turn off when the VPC (existing or
	// shared) already has them: a second interface endpoint with private
	// DNS for the same service fails. Default: true.
	Enabled *bool `yaml:"enabled"`
	// Services are the endpoint service names without the
	// "com.amazonaws.<region>." prefix. "s3" becomes a gateway endpoint on
	// the private route tables; every other one an interface endpoint in
	// the private subnets. Default: s3, ecr.api, ecr.dkr, sts, ec2, logs,
	// ssm, ssmmessages, ec2messages, elasticloadbalancing, autoscaling.
	Services []string `yaml:"services"`
}

// On reports whether endpoints are created.
func (e Endpoints) On() bool { return e.Enabled != nil && *e.Enabled }

// FlowLogs configures VPC flow logs.
type FlowLogs struct {
	// Enabled records the VPC's traffic. Default: true.
	Enabled *bool `yaml:"enabled"`
	// Destination is "cloudwatch" (a log group eksready creates) or "s3"
	// (an existing bucket). Default: "cloudwatch".
	Destination string `yaml:"destination"`
	// RetentionDays keeps CloudWatch flow log events this long; a value
	// CloudWatch Logs accepts. Only with destination cloudwatch.
	// Default: 30 (flow logs are voluminous; incidents are looked at within weeks).
	RetentionDays int `yaml:"retentionDays"`
	// S3BucketArn is the bucket (optionally with a folder:
	// arn:aws:s3:::bucket/prefix) that receives the logs. Required with
	// destination s3, not allowed otherwise. Default: "".
	S3BucketArn string `yaml:"s3BucketArn"`
	// TrafficType is ALL, ACCEPT or REJECT. Default: "ALL".
	TrafficType string `yaml:"trafficType"`
	// MaxAggregationInterval is 60 or 600 seconds. Default: 600.
	MaxAggregationInterval int `yaml:"maxAggregationInterval"`
}

// On reports whether flow logs are recorded.
func (f FlowLogs) On() bool { return f.Enabled != nil && *f.Enabled }

// ExistingVpc names a VPC and subnets that already exist. eksready creates
// no VPC, subnets, gateways or route tables then; it tags the subnets the
// way the cluster needs and adds endpoints and flow logs as configured.
type ExistingVpc struct {
	// VpcId is the VPC's ID (vpc-…). Required.
	VpcId string `yaml:"vpcId"`
	// PublicSubnets are for internet-facing load balancers; optional.
	PublicSubnets []ExistingSubnet `yaml:"publicSubnets"`
	// PrivateSubnets hold the nodes, one per zone; at least two. Their
	// zones are the cluster's zones, in this order.
	PrivateSubnets []ExistingSubnet `yaml:"privateSubnets"`
	// IntraSubnets, when given, receive the control plane's interfaces.
	IntraSubnets []ExistingSubnet `yaml:"intraSubnets"`
	// PodSubnets hold the pods with custom networking (one per zone of the
	// private subnets); required then, not allowed otherwise.
	PodSubnets []ExistingSubnet `yaml:"podSubnets"`
}

// ExistingSubnet is one existing subnet. Its CIDR feeds the IP capacity
// planner, so it must be the subnet's real range.
type ExistingSubnet struct {
	// Id is the subnet ID (subnet-…).
	Id string `yaml:"id"`
	// Zone is the subnet's availability zone name (eu-west-1a).
	Zone string `yaml:"zone"`
	// Cidr is the subnet's IPv4 range.
	Cidr string `yaml:"cidr"`
	// Ipv6Cidr is the subnet's IPv6 range (a /64), required on private
	// subnets with podNetworking.mode ipv6: pods and nodes take addresses
	// from it, and the interface endpoints admit it. Only used in that mode.
	Ipv6Cidr string `yaml:"ipv6Cidr"`
}

// PodNetworking chooses the pod addressing mode and its settings.
type PodNetworking struct {
	// Mode is "prefix-delegation" (VPC CNI with /28 prefixes from the node
	// subnets), "custom-networking" (VPC CNI with pods in a secondary CIDR),
	// "ipv6" (an IPv6 cluster) or "cilium" (Cilium overlay instead of the
	// VPC CNI). Cannot be changed on a running cluster without replacing
	// nodes (ipv6: the cluster). Default: "prefix-delegation".
	Mode string `yaml:"mode"`

	// CustomNetworking configures mode custom-networking.
	CustomNetworking CustomNetworking `yaml:"customNetworking"`

	// Cilium configures mode cilium.
	Cilium Cilium `yaml:"cilium"`

	// VpcCni holds the VPC CNI's warm-pool settings (prefix-delegation and
	// custom-networking only).
	VpcCni VpcCniSettings `yaml:"vpcCni"`

	// PrefixReservation reserves part of each subnet that hands out /28
	// prefixes (the private subnets with prefix-delegation, the pod subnets
	// with custom-networking and prefix delegation) as a subnet CIDR
	// reservation of type prefix, so node and interface addresses cannot
	// fragment it. Only for subnets eksready creates; an existing VPC's
	// subnets are planned for the worst case instead.
	PrefixReservation PrefixReservation `yaml:"prefixReservation"`
}

// PrefixReservation configures the subnet CIDR reservations of type prefix.
type PrefixReservation struct {
	// Enabled creates the reservations. Without them the capacity plan
	// charges every node and interface address a whole /28, since EC2 may
	// scatter them one per block. Default: true with prefix delegation in
	// a VPC eksready creates, unset otherwise.
	Enabled *bool `yaml:"enabled"`
	// PrefixLength sizes each subnet's reservation (it must be at most
	// half the subnet, which keeps the other half for single addresses).
	// Default: sized from the plan, the /28 prefixes the subnet needs at
	// max scale plus 25%, rounded up to a CIDR block (at most half the
	// subnet).
	PrefixLength int `yaml:"prefixLength"`
}

// On reports whether prefix reservations are created.
func (r PrefixReservation) On() bool { return r.Enabled != nil && *r.Enabled }

// CustomNetworking configures pods on a secondary VPC CIDR.
type CustomNetworking struct {
	// SecondaryCidr is associated with the VPC and split into one pod
	// subnet per zone. Within 100.64.0.0/10 or 198.19.0.0/16, /16 to /28.
	// Not used with existingVpc (give podSubnets). Default: "100.64.0.0/16".
	SecondaryCidr string `yaml:"secondaryCidr"`
	// PodSubnetPrefixLength sizes each zone's pod subnet (16-28).
	// Default: the secondary CIDR split evenly over the zones (/18 each for
	// a /16 over 3 zones).
	PodSubnetPrefixLength int `yaml:"podSubnetPrefixLength"`
	// PrefixDelegation also hands out /28 prefixes from the pod subnets,
	// raising max pods. Default: true.
	PrefixDelegation *bool `yaml:"prefixDelegation"`
}

// Cilium configures the Cilium overlay.
type Cilium struct {
	// ClusterPoolCidr is the range pod addresses come from (never a VPC
	// range; it must not overlap the VPC or the EKS Service ranges).
	// Default: "100.64.0.0/10".
	ClusterPoolCidr string `yaml:"clusterPoolCidr"`
	// ClusterPoolMaskSize is the prefix length of each node's slice of the
	// pool. Default: 24 (254 addresses, above the 110 max pods).
	ClusterPoolMaskSize int `yaml:"clusterPoolMaskSize"`
}

// VpcCniSettings are the VPC CNI's warm-pool environment variables. Unset
// values are left to the CNI. WARM_IP_TARGET and MINIMUM_IP_TARGET override
// WARM_PREFIX_TARGET, so they are not combined with it.
type VpcCniSettings struct {
	// WarmPrefixTarget is WARM_PREFIX_TARGET: spare /28 prefixes per node
	// (at least 1). Prefix delegation only. Default: 1 with prefix
	// delegation, unset otherwise.
	WarmPrefixTarget *int `yaml:"warmPrefixTarget"`
	// WarmIpTarget is WARM_IP_TARGET: spare addresses per node. Default: unset.
	WarmIpTarget *int `yaml:"warmIpTarget"`
	// MinimumIpTarget is MINIMUM_IP_TARGET: addresses a node holds from
	// the start. Default: unset.
	MinimumIpTarget *int `yaml:"minimumIpTarget"`
	// WarmEniTarget is WARM_ENI_TARGET: spare ENIs per node (secondary-IP
	// allocation, custom networking without prefix delegation).
	// Default: unset (the CNI's 1).
	WarmEniTarget *int `yaml:"warmEniTarget"`
}

// Existing reports whether the cluster uses an existing VPC.
func (n Network) Existing() bool { return n.ExistingVpc != nil }

// UsesVpcCni reports whether the Amazon VPC CNI (the vpc-cni managed
// add-on) provides pod networking; false with Cilium.
func (n Network) UsesVpcCni() bool { return n.PodNetworking.Mode != PodNetworkingCilium }

// IPv6 reports whether the cluster is an IPv6 cluster (EKS ip_family ipv6).
func (n Network) IPv6() bool { return n.PodNetworking.Mode == PodNetworkingIPv6 }

// CustomNetworkingOn reports whether pods live in dedicated pod subnets.
func (n Network) CustomNetworkingOn() bool {
	return n.PodNetworking.Mode == PodNetworkingCustomNetworking
}

// PrefixDelegation reports whether the VPC CNI runs with
// ENABLE_PREFIX_DELEGATION=true.
func (n Network) PrefixDelegation() bool {
	switch n.PodNetworking.Mode {
	case PodNetworkingPrefixDelegation:
		return true
	case PodNetworkingCustomNetworking:
		p := n.PodNetworking.CustomNetworking.PrefixDelegation
		return p != nil && *p
	}
	return false
}

// IntraSubnets reports whether the control plane gets intra subnets.
func (n Network) IntraSubnets() bool {
	if n.Existing() {
		return len(n.ExistingVpc.IntraSubnets) > 0
	}
	return n.Subnets.Intra.Enabled
}

// InterfaceEndpoints are the configured endpoint services that become
// interface endpoints (all but the s3 gateway), in configuration order.
func (n Network) InterfaceEndpoints() []string {
	if !n.Endpoints.On() {
		return nil
	}
	var out []string
	for _, s := range n.Endpoints.Services {
		if s != "s3" {
			out = append(out, s)
		}
	}
	return out
}

// S3GatewayEndpoint reports whether an S3 gateway endpoint is created.
func (n Network) S3GatewayEndpoint() bool {
	return n.Endpoints.On() && slices.Contains(n.Endpoints.Services, "s3")
}

var (
	vpcIdRe       = regexp.MustCompile(`^vpc-[0-9a-f]{8}([0-9a-f]{9})?$`)
	subnetIdRe    = regexp.MustCompile(`^subnet-[0-9a-f]{8}([0-9a-f]{9})?$`)
	s3BucketArnRe = regexp.MustCompile(`^arn:aws(-cn|-us-gov|-iso|-iso-b)?:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$`)
	endpointRe    = regexp.MustCompile(`^[a-z0-9]+([.-][a-z0-9]+)*$`)
)

// validateNetwork checks the network block, then the subnet layout, then
// the IP capacity at max scale — each only once everything it reads is
// sound, so one mistake is reported once.
func validateNetwork(c Cluster, v *collector) {
	n := c.Network
	before := len(v.problems)
	if n.Existing() {
		validateExistingVpc(c, v)
	} else {
		validateCreatedVpc(c, v)
	}
	validatePodNetworking(n, v)
	validateLoadBalancerAddresses(n, v)
	validateEndpoints(n.Endpoints, v)
	validateFlowLogs(n.FlowLogs, c.Region, v)
	if len(v.problems) > before {
		return
	}
	l := subnetLayout(n, v)
	if len(v.problems) > before {
		return
	}
	var nodes collector
	validateNodes(c, &nodes)
	validateCompute(c, &nodes)
	if len(nodes.problems) == 0 {
		validateCapacity(c, l, v)
	}
}

// parseCidr4 parses an IPv4 CIDR with its host bits clear, reporting a
// problem at path otherwise.
func parseCidr4(path, s string, v *collector) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(s)
	switch {
	case err != nil:
		v.add(path, s, "is not a CIDR block")
	case !p.Addr().Is4():
		v.add(path, s, "must be an IPv4 CIDR block")
	case p.Masked() != p:
		v.add(path, s, "has host bits set; the network address is %s", p.Masked())
	default:
		return p, true
	}
	return netip.Prefix{}, false
}

func validateCreatedVpc(c Cluster, v *collector) {
	n := c.Network
	if p, ok := parseCidr4("network.vpcCidr", n.VpcCidr, v); ok && (p.Bits() < 16 || p.Bits() > 24) {
		v.add("network.vpcCidr", n.VpcCidr, "must be between /16 and /24 (AWS allows /16 to /28; below /24 leaves no room for a cluster)")
	}
	if n.AvailabilityZoneCount < 2 || n.AvailabilityZoneCount > 6 {
		v.add("network.availabilityZoneCount", n.AvailabilityZoneCount, "must be between 2 and 6 (EKS needs subnets in at least two zones)")
	}
	if len(n.AvailabilityZones) > 0 && len(n.AvailabilityZones) != n.AvailabilityZoneCount {
		v.add("network.availabilityZoneCount", n.AvailabilityZoneCount, "disagrees with network.availabilityZones, which lists %d; give only one of the two", len(n.AvailabilityZones))
	}
	validateZoneNames("network.availabilityZones", n.AvailabilityZones, c.Region, v)
	if !slices.Contains(NatGatewayLayouts, n.NatGateways) {
		v.add("network.natGateways", n.NatGateways, "must be %s or %s", NatPerAz, NatSingle)
	}
	for _, t := range []struct {
		path string
		bits int
	}{
		{"network.subnets.public.prefixLength", n.Subnets.Public.PrefixLength},
		{"network.subnets.private.prefixLength", n.Subnets.Private.PrefixLength},
		{"network.subnets.intra.prefixLength", n.Subnets.Intra.PrefixLength},
	} {
		if t.bits != 0 && (t.bits < 16 || t.bits > 28) {
			v.add(t.path, t.bits, "must be between 16 and 28 (the subnet sizes AWS allows)")
		}
	}
	if !n.Subnets.Intra.Enabled && n.Subnets.Intra.PrefixLength != 0 {
		v.add("network.subnets.intra.prefixLength", n.Subnets.Intra.PrefixLength, "sizes intra subnets, which are not enabled (set network.subnets.intra.enabled: true)")
	}
}

// zoneNameRe matches the availability zone names of a region: the region
// and one letter. No AWS region has more than six zones (us-east-1 has a
// to f), so later letters name nothing.
func zoneNameRe(region string) *regexp.Regexp {
	return regexp.MustCompile("^" + regexp.QuoteMeta(region) + "[a-f]$")
}

func validateZoneNames(path string, zones []string, region string, v *collector) {
	zoneRe := zoneNameRe(region)
	for i, z := range zones {
		p := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case !zoneRe.MatchString(z):
			v.add(p, z, "is not an availability zone of region %s (like %sa; no region has zones beyond f, and Local and Wavelength Zones cannot host EKS)", region, region)
		case slices.Index(zones, z) != i:
			v.add(p, z, "is listed twice")
		}
	}
}

// validateExistingVpc checks the existing VPC's subnets, and rejects the
// fields that describe a VPC eksready creates: with existingVpc they would
// silently do nothing.
func validateExistingVpc(c Cluster, v *collector) {
	n, e := c.Network, c.Network.ExistingVpc
	const why = "describes the VPC eksready creates and cannot be used with network.existingVpc"
	if n.VpcCidr != "" {
		v.add("network.vpcCidr", n.VpcCidr, "%s (the subnets' CIDRs describe the existing VPC)", why)
	}
	if len(n.AvailabilityZones) > 0 {
		v.add("network.availabilityZones", n.AvailabilityZones, "cannot be used with network.existingVpc: the zones are those of existingVpc.privateSubnets")
	}
	if n.AvailabilityZoneCount != len(e.PrivateSubnets) {
		v.add("network.availabilityZoneCount", n.AvailabilityZoneCount, "disagrees with existingVpc.privateSubnets, which lists %d; leave it out", len(e.PrivateSubnets))
	}
	if n.NatGateways != "" {
		v.add("network.natGateways", n.NatGateways, why)
	}
	if n.Subnets != (Subnets{}) {
		v.missing("network.subnets", "%s", why)
	}
	if cn := n.PodNetworking.CustomNetworking; cn.SecondaryCidr != "" || cn.PodSubnetPrefixLength != 0 {
		v.missing("network.podNetworking.customNetworking", "secondaryCidr and podSubnetPrefixLength cannot be used with network.existingVpc: give existingVpc.podSubnets")
	}
	if !vpcIdRe.MatchString(e.VpcId) {
		v.add("network.existingVpc.vpcId", e.VpcId, "is not a VPC ID (vpc-…)")
	}
	if len(e.PrivateSubnets) < 2 || len(e.PrivateSubnets) > 6 {
		v.missing("network.existingVpc.privateSubnets", "must list 2 to 6 subnets, one per zone (EKS needs two zones); %d given", len(e.PrivateSubnets))
	}
	zones := make([]string, len(e.PrivateSubnets))
	for i, s := range e.PrivateSubnets {
		zones[i] = s.Zone
	}
	seenIds := map[string]string{}
	var cidrs []namedPrefix
	tiers := []struct {
		key     string
		subnets []ExistingSubnet
	}{
		{"publicSubnets", e.PublicSubnets},
		{"privateSubnets", e.PrivateSubnets},
		{"intraSubnets", e.IntraSubnets},
		{"podSubnets", e.PodSubnets},
	}
	for _, t := range tiers {
		base := "network.existingVpc." + t.key
		for i, s := range t.subnets {
			p := fmt.Sprintf("%s[%d]", base, i)
			if !subnetIdRe.MatchString(s.Id) {
				v.add(p+".id", s.Id, "is not a subnet ID (subnet-…)")
			} else if first, dup := seenIds[s.Id]; dup {
				v.add(p+".id", s.Id, "is already used by %s", first)
			} else {
				seenIds[s.Id] = p
			}
			if !zoneNameRe(c.Region).MatchString(s.Zone) {
				v.add(p+".zone", s.Zone, "is not an availability zone of region %s (like %sa; no region has zones beyond f)", c.Region, c.Region)
			}
			if t.key == "privateSubnets" {
				if slices.Index(zones, s.Zone) != i {
					v.add(p+".zone", s.Zone, "already has a private subnet; give one per zone")
				}
			} else if !slices.Contains(zones, s.Zone) {
				v.add(p+".zone", s.Zone, "has no private subnet; every tier uses the zones of existingVpc.privateSubnets")
			} else if slices.IndexFunc(t.subnets, func(o ExistingSubnet) bool { return o.Zone == s.Zone }) != i {
				v.add(p+".zone", s.Zone, "already has a subnet in %s; give one per zone", t.key)
			}
			switch {
			case n.IPv6() && t.key == "privateSubnets" && s.Ipv6Cidr == "":
				v.missing(p+".ipv6Cidr", "is required with podNetworking.mode ipv6: an IPv6 cluster's nodes and pods take IPv6 addresses from the private subnets, so each must have an IPv6 range (a /64)")
			case s.Ipv6Cidr != "" && (!n.IPv6() || t.key != "privateSubnets"):
				v.add(p+".ipv6Cidr", s.Ipv6Cidr, "is only used on privateSubnets with podNetworking.mode ipv6 (mode is %s)", n.PodNetworking.Mode)
			case s.Ipv6Cidr != "":
				if q, err := netip.ParsePrefix(s.Ipv6Cidr); err != nil || !q.Addr().Is6() || q.Addr().Is4In6() || q.Masked() != q || q.Bits() != 64 {
					v.add(p+".ipv6Cidr", s.Ipv6Cidr, "is not an IPv6 /64 with its host bits clear (AWS subnets take a /64)")
				}
			}
			if pfx, ok := parseCidr4(p+".cidr", s.Cidr, v); ok {
				if pfx.Bits() < 16 || pfx.Bits() > 28 {
					v.add(p+".cidr", s.Cidr, "must be between /16 and /28 (the subnet sizes AWS allows)")
				}
				cidrs = append(cidrs, namedPrefix{p + ".cidr", pfx})
			}
		}
	}
	reportOverlaps(cidrs, v)
	for _, t := range tiers[2:] {
		if len(t.subnets) > 0 && len(t.subnets) != len(e.PrivateSubnets) {
			v.missing("network.existingVpc."+t.key, "must list one subnet per zone of existingVpc.privateSubnets (%d given for %d zones)", len(t.subnets), len(e.PrivateSubnets))
		}
	}
	switch {
	case n.CustomNetworkingOn() && len(e.PodSubnets) == 0:
		v.missing("network.existingVpc.podSubnets", "are required with podNetworking.mode %s: one pod subnet per zone, from the VPC's secondary CIDR", PodNetworkingCustomNetworking)
	case !n.CustomNetworkingOn() && len(e.PodSubnets) > 0:
		v.missing("network.existingVpc.podSubnets", "are only used with podNetworking.mode %s (mode is %s)", PodNetworkingCustomNetworking, n.PodNetworking.Mode)
	}
}

type namedPrefix struct {
	path   string
	prefix netip.Prefix
}

// reportOverlaps reports every later range that overlaps an earlier one.
func reportOverlaps(ps []namedPrefix, v *collector) {
	for i, b := range ps {
		for _, a := range ps[:i] {
			if a.prefix.Overlaps(b.prefix) {
				v.add(b.path, b.prefix.String(), "overlaps %s (%s)", a.path, a.prefix)
				break
			}
		}
	}
}

func validatePodNetworking(n Network, v *collector) {
	pn := n.PodNetworking
	const base = "network.podNetworking"
	if !slices.Contains(PodNetworkingModes, pn.Mode) {
		v.add(base+".mode", pn.Mode, "is not a pod networking mode (known: %s)", strings.Join(PodNetworkingModes, ", "))
		return
	}
	cn := pn.CustomNetworking
	if pn.Mode != PodNetworkingCustomNetworking {
		if cn != (CustomNetworking{}) {
			rule := "only applies to podNetworking.mode " + PodNetworkingCustomNetworking
			if pn.Mode == PodNetworkingIPv6 {
				rule += "; EKS does not support custom networking on IPv6 clusters"
			}
			v.missing(base+".customNetworking", "%s (mode is %s)", rule, pn.Mode)
		}
	} else if !n.Existing() {
		validateSecondaryCidr(n, v)
	}
	if pn.Mode != PodNetworkingCilium {
		if pn.Cilium != (Cilium{}) {
			v.missing(base+".cilium", "only applies to podNetworking.mode %s (mode is %s)", PodNetworkingCilium, pn.Mode)
		}
	} else {
		validateCilium(n, v)
	}
	validateVpcCni(n, v)
	validatePrefixReservation(n, v)
}

// PrefixSubnetsOwned reports whether eksready creates the subnets that
// hand out /28 prefixes, the only ones it may reserve ranges in.
func (n Network) PrefixSubnetsOwned() bool { return n.PrefixDelegation() && !n.Existing() }

func validatePrefixReservation(n Network, v *collector) {
	const base = "network.podNetworking.prefixReservation"
	r := n.PodNetworking.PrefixReservation
	if r == (PrefixReservation{}) {
		return
	}
	switch {
	case !n.PrefixDelegation():
		v.missing(base, "only applies with prefix delegation (mode %s, or %s with customNetworking.prefixDelegation); mode is %s", PodNetworkingPrefixDelegation, PodNetworkingCustomNetworking, n.PodNetworking.Mode)
		return
	case n.Existing():
		v.missing(base, "cannot be used with network.existingVpc: reserve ranges in subnets you own yourself (aws ec2 create-subnet-cidr-reservation --reservation-type prefix); eksready plans them for the worst case")
		return
	}
	if r.PrefixLength == 0 {
		return
	}
	if !r.On() {
		v.add(base+".prefixLength", r.PrefixLength, "sizes a reservation, but prefixReservation.enabled is false")
		return
	}
	subnetBits, what := n.Subnets.Private.PrefixLength, "network.subnets.private.prefixLength"
	if n.CustomNetworkingOn() {
		subnetBits, what = n.PodNetworking.CustomNetworking.PodSubnetPrefixLength, "customNetworking.podSubnetPrefixLength"
	}
	if r.PrefixLength < subnetBits+1 || r.PrefixLength > 28 || subnetBits > 26 {
		v.add(base+".prefixLength", r.PrefixLength, "must be between /%d (half of each /%d subnet, %s) and /28", subnetBits+1, subnetBits, what)
	}
}

func validateSecondaryCidr(n Network, v *collector) {
	const path = "network.podNetworking.customNetworking.secondaryCidr"
	cn := n.PodNetworking.CustomNetworking
	if b := cn.PodSubnetPrefixLength; b != 0 && (b < 16 || b > 28) {
		v.add("network.podNetworking.customNetworking.podSubnetPrefixLength", b, "must be between 16 and 28 (the subnet sizes AWS allows)")
	}
	p, ok := parseCidr4(path, cn.SecondaryCidr, v)
	if !ok {
		return
	}
	if p.Bits() < 16 || p.Bits() > 28 {
		v.add(path, cn.SecondaryCidr, "must be between /16 and /28 (the sizes AWS allows for a VPC CIDR)")
	}
	inside := false
	for _, r := range AllowedSecondaryRanges {
		allowed := netip.MustParsePrefix(r)
		if allowed.Bits() <= p.Bits() && allowed.Contains(p.Addr()) {
			inside = true
		}
	}
	if !inside {
		v.add(path, cn.SecondaryCidr, "must lie within %s (non-routable ranges reserved for pods)", strings.Join(AllowedSecondaryRanges, " or "))
	}
	if vpc, err := netip.ParsePrefix(n.VpcCidr); err == nil && vpc.Overlaps(p) {
		v.add(path, cn.SecondaryCidr, "overlaps network.vpcCidr %s", n.VpcCidr)
	}
}

func validateCilium(n Network, v *collector) {
	const path = "network.podNetworking.cilium.clusterPoolCidr"
	c := n.PodNetworking.Cilium
	p, ok := parseCidr4(path, c.ClusterPoolCidr, v)
	if ok {
		if p.Bits() > c.ClusterPoolMaskSize {
			v.add(path, c.ClusterPoolCidr, "is smaller than one node's /%d slice (clusterPoolMaskSize)", c.ClusterPoolMaskSize)
		}
		for _, r := range eksServiceRanges {
			if p.Overlaps(netip.MustParsePrefix(r)) {
				v.add(path, c.ClusterPoolCidr, "overlaps %s, a range EKS may give Kubernetes Services", r)
			}
		}
		var vpcRanges []namedPrefix
		if n.Existing() {
			for i, s := range n.ExistingVpc.PrivateSubnets {
				if sp, err := netip.ParsePrefix(s.Cidr); err == nil {
					vpcRanges = append(vpcRanges, namedPrefix{fmt.Sprintf("network.existingVpc.privateSubnets[%d]", i), sp})
				}
			}
		} else if vp, err := netip.ParsePrefix(n.VpcCidr); err == nil {
			vpcRanges = append(vpcRanges, namedPrefix{"network.vpcCidr", vp})
		}
		for _, r := range vpcRanges {
			if r.prefix.Overlaps(p) {
				v.add(path, c.ClusterPoolCidr, "overlaps %s %s: pod addresses would shadow VPC addresses", r.path, r.prefix)
			}
		}
	}
	if c.ClusterPoolMaskSize < 16 || c.ClusterPoolMaskSize > 28 {
		v.add("network.podNetworking.cilium.clusterPoolMaskSize", c.ClusterPoolMaskSize, "must be between 16 and 28")
	}
}

func validateVpcCni(n Network, v *collector) {
	const base = "network.podNetworking.vpcCni"
	w := n.PodNetworking.VpcCni
	set := map[string]*int{
		"warmPrefixTarget": w.WarmPrefixTarget,
		"warmIpTarget":     w.WarmIpTarget,
		"minimumIpTarget":  w.MinimumIpTarget,
		"warmEniTarget":    w.WarmEniTarget,
	}
	mode := n.PodNetworking.Mode
	for _, k := range sortedKeys(set) {
		val := set[k]
		if val == nil {
			continue
		}
		switch {
		case mode == PodNetworkingCilium:
			v.add(base+"."+k, *val, "has no effect: podNetworking.mode cilium does not run the VPC CNI")
			continue
		case mode == PodNetworkingIPv6:
			v.add(base+"."+k, *val, "has no effect in podNetworking.mode ipv6: each node gets one /80 prefix")
			continue
		case *val < 0:
			v.add(base+"."+k, *val, "must not be negative")
			continue
		case *val > largestNode.addresses:
			v.add(base+"."+k, *val, "is more than the %d addresses the largest EC2 instance type (%s) can hold", largestNode.addresses, largestNode.name)
			continue
		}
		if k == "warmPrefixTarget" && !n.PrefixDelegation() {
			v.add(base+"."+k, *val, "only applies with prefix delegation (customNetworking.prefixDelegation is false)")
		}
	}
	if w.WarmPrefixTarget != nil && *w.WarmPrefixTarget == 0 && n.PrefixDelegation() {
		v.add(base+".warmPrefixTarget", 0, "must be at least 1: the VPC CNI does not support 0 with prefix delegation")
	}
	if w.WarmPrefixTarget != nil && (w.WarmIpTarget != nil || w.MinimumIpTarget != nil) && n.UsesVpcCni() && !n.IPv6() {
		v.add(base+".warmPrefixTarget", *w.WarmPrefixTarget, "is overridden by warmIpTarget/minimumIpTarget; set one or the other")
	}
}

// LoadBalancerAddresses is the per-zone allowance for load balancer
// interfaces (0 when unset, which defaults never leave it).
func (n Network) LoadBalancerAddresses() int { return deref(n.LoadBalancerAddressesPerZone) }

func validateLoadBalancerAddresses(n Network, v *collector) {
	// 65,536 is the largest subnet AWS allows (/16).
	if lb := n.LoadBalancerAddresses(); lb < 0 || lb > 1<<16 {
		v.add("network.loadBalancerAddressesPerZone", lb, "must be between 0 and 65536")
	}
}

func validateEndpoints(e Endpoints, v *collector) {
	const path = "network.endpoints.services"
	if !e.On() {
		if len(e.Services) > 0 {
			v.add(path, e.Services, "are listed but network.endpoints.enabled is false")
		}
		return
	}
	for i, s := range e.Services {
		p := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case strings.HasPrefix(s, "com.amazonaws."):
			v.add(p, s, "must be the short service name (like ecr.api), without the com.amazonaws.<region>. prefix")
		case !endpointRe.MatchString(s):
			v.add(p, s, "is not an endpoint service name (like ecr.api)")
		case slices.Index(e.Services, s) != i:
			v.add(p, s, "is listed twice")
		}
	}
}

func validateFlowLogs(f FlowLogs, region string, v *collector) {
	const base = "network.flowLogs"
	if !f.On() {
		return
	}
	switch f.Destination {
	case FlowLogsCloudWatch:
		if !slices.Contains(LogRetentionDays, f.RetentionDays) {
			v.add(base+".retentionDays", f.RetentionDays, "is not a retention CloudWatch Logs accepts (%s)", joinInts(LogRetentionDays))
		}
		if f.S3BucketArn != "" {
			v.add(base+".s3BucketArn", f.S3BucketArn, "only applies with destination s3 (destination is cloudwatch)")
		}
	case FlowLogsS3:
		if f.RetentionDays != 0 {
			v.add(base+".retentionDays", f.RetentionDays, "only applies with destination cloudwatch; set retention with the bucket's lifecycle rules")
		}
		if f.S3BucketArn == "" {
			v.missing(base+".s3BucketArn", "is required with destination s3")
		} else if !s3BucketArnRe.MatchString(f.S3BucketArn) {
			v.add(base+".s3BucketArn", f.S3BucketArn, "is not an S3 bucket ARN (arn:aws:s3:::<bucket>[/<prefix>])")
		} else if bucket, _, _ := strings.Cut(strings.SplitN(f.S3BucketArn, ":", 6)[5], "/"); bucketNameProblem(bucket) != "" {
			v.add(base+".s3BucketArn", f.S3BucketArn, "names bucket %q, which %s", bucket, bucketNameProblem(bucket))
		} else {
			checkArnPartition(base+".s3BucketArn", f.S3BucketArn, region, v)
		}
	default:
		v.add(base+".destination", f.Destination, "must be %s or %s", FlowLogsCloudWatch, FlowLogsS3)
	}
	if !slices.Contains(FlowLogTrafficTypes, f.TrafficType) {
		v.add(base+".trafficType", f.TrafficType, "must be one of %s", strings.Join(FlowLogTrafficTypes, ", "))
	}
	if !slices.Contains(FlowLogAggregationIntervals, f.MaxAggregationInterval) {
		v.add(base+".maxAggregationInterval", f.MaxAggregationInterval, "must be 60 or 600 (seconds)")
	}
}

// largestNode is the instance type with the most IPv4 addresses on its
// default network card, from the planner's ENI table: no warm-pool target
// above its address count can ever be met.
var largestNode = func() (l struct {
	name      string
	addresses int
}) {
	for _, t := range ipcapacity.InstanceTypes() {
		if i, err := ipcapacity.Lookup(t); err == nil && i.MaxENIs*i.IPv4PerENI > l.addresses {
			l.name, l.addresses = t, i.MaxENIs*i.IPv4PerENI
		}
	}
	return l
}()
