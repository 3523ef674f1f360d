// Package network builds the VPC an eksready cluster runs in — or adopts an
// existing one — with the subnets, gateways, routes, endpoints and flow logs
// the cluster needs, and renders the VPC CNI configuration for its pod
// networking mode.
package network

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsavailabilityzones"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsroutetables"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ec2subnetcidrreservation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ec2tag"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/egressonlyinternetgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eip"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/internetgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/natgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetable"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetableassociation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/subnet"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpc"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcendpoint"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcipv4cidrblockassociation"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// Pod networking modes, spelled as in cluster.yaml.
const (
	ModePrefixDelegation = "prefix-delegation"
	ModeCustomNetworking = "custom-networking"
	ModeIPv6             = "ipv6"
	ModeCilium           = "cilium"
)

// NAT gateway layouts, spelled as in cluster.yaml.
const (
	NatPerAz  = "perAz"
	NatSingle = "single"
)

// NetworkConfig is what the network is built from: a validated, resolved
// configuration (config.SubnetLayout computes the zones' CIDRs).
type NetworkConfig struct {
	// ClusterName names resources and tags subnets as the cluster's.
	ClusterName string
	// Region is the AWS region (endpoint service names, ENIConfig region).
	Region string
	// Zones are the cluster's zones in order, each with its subnets.
	Zones []Zone
	// VpcCidr is the primary range of the VPC to create; "" with ExistingVpcId.
	VpcCidr string
	// SecondaryCidr is associated with the created VPC for the pod subnets
	// (custom networking); "" for none.
	SecondaryCidr string
	// ExistingVpcId adopts this VPC instead of creating one; the zones then
	// carry subnet IDs rather than being created.
	ExistingVpcId string
	// IPv6 makes the created VPC dual-stack: an Amazon-provided /56, a /64
	// per subnet, an egress-only internet gateway and DNS64 with NAT64 on
	// the private subnets.
	IPv6 bool
	// NatGateways is NatPerAz or NatSingle (created VPC only).
	NatGateways string
	// EndpointServices are VPC endpoint services by short name; "s3" is a
	// gateway endpoint, the others interface endpoints. Empty: none.
	EndpointServices []string
	// EndpointPolicies are endpoint policies by service short name (IAM
	// policy documents; tokens resolve at plan time). A service without
	// one gets the default policy (full access).
	EndpointPolicies map[string]any
	// FlowLogs records the VPC's traffic; nil for none.
	FlowLogs *FlowLogsConfig
	// Cni is the pod networking the VPC CNI is configured for.
	Cni CniConfig
	// KarpenterDiscovery tags the private subnets
	// karpenter.sh/discovery=<cluster name> so Karpenter's EC2NodeClass
	// subnet selector finds them.
	KarpenterDiscovery bool
}

// Zone is one availability zone. CIDRs are empty for tiers the cluster does
// not have; IDs are set only for an existing VPC.
type Zone struct {
	// Name is the zone name, or "" to take the region's next zone at plan time.
	Name string
	// Public, Private, Intra and Pod are the subnets' IPv4 CIDRs.
	Public, Private, Intra, Pod string
	// Private6 is an existing private subnet's IPv6 CIDR (IPv6 clusters).
	Private6 string
	// PublicId, PrivateId, IntraId and PodId are existing subnets' IDs.
	PublicId, PrivateId, IntraId, PodId string
	// PrivatePrefixReservations and PodPrefixReservations are CIDR blocks
	// of the created private or pod subnet to reserve for prefix
	// delegation (subnet CIDR reservations of type prefix), as the IP
	// capacity plan placed them (config.PrefixReservations).
	PrivatePrefixReservations, PodPrefixReservations []string
}

// FlowLogsConfig chooses where flow logs go.
type FlowLogsConfig struct {
	// Destination is "cloudwatch" or "s3".
	Destination string
	// RetentionDays keeps CloudWatch events this long.
	RetentionDays int
	// S3BucketArn receives the logs with destination s3.
	S3BucketArn string
	// TrafficType is ALL, ACCEPT or REJECT.
	TrafficType string
	// MaxAggregationInterval is 60 or 600 seconds.
	MaxAggregationInterval int
	// KmsKeyArn encrypts the CloudWatch log group (its policy must admit
	// CloudWatch Logs for FlowLogGroupName).
	KmsKeyArn *string
}

// FlowLogGroupName is the CloudWatch log group VPC flow logs go to.
func FlowLogGroupName(cluster string) string { return "/aws/vpc-flow-logs/" + cluster }

// CniConfig is the pod networking mode and the VPC CNI warm settings.
type CniConfig struct {
	// Mode is one of the Mode constants.
	Mode string
	// PrefixDelegation turns on ENABLE_PREFIX_DELEGATION (implied by
	// ModePrefixDelegation; optional with ModeCustomNetworking).
	PrefixDelegation bool
	// WarmPrefixTarget, WarmIPTarget, MinimumIPTarget and WarmENITarget are
	// the CNI's warm-pool variables; nil leaves a variable unset.
	WarmPrefixTarget, WarmIPTarget, MinimumIPTarget, WarmENITarget *int
	// NetworkPolicy runs the CNI's network policy agent, which enforces
	// Kubernetes NetworkPolicies.
	NetworkPolicy bool
	// StrictNetworkPolicy starts every pod denied until a NetworkPolicy
	// admits its traffic (NETWORK_POLICY_ENFORCING_MODE strict); with
	// NetworkPolicy only.
	StrictNetworkPolicy bool
}

// Network is the VPC and its subnets, as the rest of infra consumes them.
// Subnet ID lists are in zone order.
type Network struct {
	// VpcId is the VPC's ID.
	VpcId *string
	// Vpc is the VPC eksready created (nil with an existing VPC).
	Vpc vpc.Vpc
	// ZoneNames are the zones' names (plan-time tokens when not configured).
	ZoneNames []*string
	// PublicSubnetIds are the load balancer subnets (may be empty with an
	// existing VPC).
	PublicSubnetIds []*string
	// PrivateSubnetIds are the node subnets, one per zone.
	PrivateSubnetIds []*string
	// IntraSubnetIds are the control plane's subnets when configured.
	IntraSubnetIds []*string
	// PodSubnetIds are the custom-networking pod subnets.
	PodSubnetIds []*string
	// ControlPlaneSubnetIds is where EKS places its network interfaces: the
	// intra subnets when there are any, else the private subnets.
	ControlPlaneSubnetIds []*string
	// ControlPlanePlacement are the references (as replace_triggered_by
	// takes them) whose replacement must replace the cluster too: EKS
	// keeps a cluster in the VPC and the set of zones it was created with
	// ("must be in the same set of AZs as originally provided when you
	// created the cluster ... in the same VPC", EKS user guide,
	// network-reqs), and a subnet holding the control plane's network
	// interfaces cannot be replaced under them. With a VPC eksready
	// creates: the VPC's and the control-plane subnets' IDs. With an
	// existing VPC: a terraform_data holding the VPC ID and the
	// control-plane zones (other subnets in those zones update in place).
	ControlPlanePlacement []string
	// IpFamily is the EKS cluster's ip_family: "ipv6" or "ipv4".
	IpFamily string
	// EndpointSecurityGroupId is the interface endpoints' security group
	// (nil without interface endpoints).
	EndpointSecurityGroupId *string
	// EgressReady are the resources nodes need before they boot: routes to
	// the NAT gateways, route table associations and VPC endpoints. Node
	// groups depend on them so a node never starts without a way to pull
	// images and join.
	EgressReady []cdktf.ITerraformDependable
	// Endpoints are the interface endpoints by service short name.
	Endpoints map[string]vpcendpoint.VpcEndpoint

	cfg         NetworkConfig
	vpcIpv6Cidr *string
	// privateSubnets and intraSubnets are the subnets build created.
	privateSubnets, intraSubnets []subnet.Subnet
}

// NewNetwork creates (or adopts) the VPC. The configuration must be valid
// (config.Validate); a malformed one is a defect in eksready and panics
// before any resource exists.
func NewNetwork(scope constructs.Construct, id string, cfg NetworkConfig) *Network {
	if err := cfg.check(); err != nil {
		panic(fmt.Sprintf("network: %v", err))
	}
	scope = constructs.NewConstruct(scope, jsii.String(id))
	n := &Network{cfg: cfg, IpFamily: "ipv4", Endpoints: map[string]vpcendpoint.VpcEndpoint{}}
	if cfg.IPv6 {
		n.IpFamily = "ipv6"
	}
	var routeTables []*string
	if cfg.ExistingVpcId != "" {
		routeTables = n.adopt(scope)
	} else {
		routeTables = n.build(scope)
	}
	n.ControlPlaneSubnetIds = n.PrivateSubnetIds
	if len(n.IntraSubnetIds) > 0 {
		n.ControlPlaneSubnetIds = n.IntraSubnetIds
	}
	n.ControlPlanePlacement = n.placement(scope)
	n.endpoints(scope, routeTables)
	n.flowLogs(scope)
	return n
}

// placement builds ControlPlanePlacement.
func (n *Network) placement(scope constructs.Construct) []string {
	if n.Vpc == nil {
		// Sorted: listing the same subnets in another order moves nothing.
		var names []string
		for _, z := range n.cfg.Zones {
			if z.IntraId != "" || len(n.IntraSubnetIds) == 0 {
				names = append(names, z.Name)
			}
		}
		slices.Sort(names)
		zones := jsii.Strings(names...)
		d := cdktf.NewDataResource(scope, jsii.String("control-plane-placement"), &cdktf.DataConfig{
			TriggersReplace: &map[string]any{"vpc_id": n.VpcId, "zones": zones},
		})
		return []string{reference(d, "")}
	}
	refs := []string{reference(n.Vpc, "id")}
	subnets := n.privateSubnets
	if len(n.intraSubnets) > 0 {
		subnets = n.intraSubnets
	}
	for _, s := range subnets {
		refs = append(refs, reference(s, "id"))
	}
	return refs
}

// reference is a resource's (or its attribute's) address as a bare
// Terraform reference, the form lifecycle.replace_triggered_by needs:
// cdktf 0.20 writes an attribute token there as "${...}", which Terraform
// refuses ("Invalid expression").
func reference(r cdktf.TerraformResource, attribute string) string {
	ref := *r.TerraformResourceType() + "." + *r.FriendlyUniqueId()
	if attribute != "" {
		ref += "." + attribute
	}
	return ref
}

func (c NetworkConfig) check() error {
	if c.ClusterName == "" || c.Region == "" {
		return fmt.Errorf("ClusterName and Region are required")
	}
	if len(c.Zones) < 2 {
		return fmt.Errorf("%d zones; at least 2 are required", len(c.Zones))
	}
	for i, z := range c.Zones {
		if c.ExistingVpcId != "" {
			if z.PrivateId == "" || z.Name == "" {
				return fmt.Errorf("zone %d: an existing VPC needs each zone's name and private subnet ID", i)
			}
			if len(z.PrivatePrefixReservations)+len(z.PodPrefixReservations) > 0 {
				return fmt.Errorf("zone %d: prefix reservations apply to subnets eksready creates, not an existing VPC's", i)
			}
			continue
		}
		if len(z.PodPrefixReservations) > 0 && z.Pod == "" {
			return fmt.Errorf("zone %d: pod prefix reservations without a pod subnet", i)
		}
		for _, cidr := range []string{z.Public, z.Private} {
			if _, err := netip.ParsePrefix(cidr); err != nil {
				return fmt.Errorf("zone %d: public and private CIDRs are required: %v", i, err)
			}
		}
		if c.SecondaryCidr != "" && z.Pod == "" {
			return fmt.Errorf("zone %d: a secondary CIDR needs a pod subnet in every zone", i)
		}
	}
	if c.ExistingVpcId == "" {
		if _, err := netip.ParsePrefix(c.VpcCidr); err != nil {
			return fmt.Errorf("VpcCidr: %v", err)
		}
		if !slices.Contains([]string{NatPerAz, NatSingle}, c.NatGateways) {
			return fmt.Errorf("NatGateways %q is not %s or %s", c.NatGateways, NatPerAz, NatSingle)
		}
	}
	if !slices.Contains([]string{ModePrefixDelegation, ModeCustomNetworking, ModeIPv6, ModeCilium}, c.Cni.Mode) {
		return fmt.Errorf("unknown pod networking mode %q", c.Cni.Mode)
	}
	if c.IPv6 != (c.Cni.Mode == ModeIPv6) {
		return fmt.Errorf("IPv6 must be set exactly in mode %s", ModeIPv6)
	}
	if c.FlowLogs != nil && c.FlowLogs.Destination != "cloudwatch" && c.FlowLogs.Destination != "s3" {
		return fmt.Errorf("flow log destination %q is not cloudwatch or s3", c.FlowLogs.Destination)
	}
	return nil
}

// zoneNames returns the zones' names: configured names as literals, or
// the region's zones at plan time, indexed strictly (a postcondition fails
// the plan when the region has too few zones, where element() would wrap
// around and put two "zones" in one).
func (n *Network) zoneNames(scope constructs.Construct) []*string {
	names := make([]*string, len(n.cfg.Zones))
	var zones dataawsavailabilityzones.DataAwsAvailabilityZones
	for i, z := range n.cfg.Zones {
		if z.Name != "" {
			names[i] = jsii.String(z.Name)
			continue
		}
		if zones == nil {
			zones = dataawsavailabilityzones.NewDataAwsAvailabilityZones(scope, jsii.String("zones"), &dataawsavailabilityzones.DataAwsAvailabilityZonesConfig{
				State: jsii.String("available"),
				// Local Zones and Wavelength Zones cannot host EKS control-plane ENIs.
				Filter: &[]*dataawsavailabilityzones.DataAwsAvailabilityZonesFilter{{
					Name:   jsii.String("opt-in-status"),
					Values: jsii.Strings("opt-in-not-required"),
				}},
				Lifecycle: &cdktf.TerraformResourceLifecycle{
					Postcondition: &[]*cdktf.Postcondition{{
						Condition:    jsii.String(fmt.Sprintf("${length(self.names) >= %d}", len(n.cfg.Zones))),
						ErrorMessage: jsii.String(fmt.Sprintf("network.availabilityZoneCount is %d but the region has fewer available zones; lower it or list network.availabilityZones", len(n.cfg.Zones))),
					}},
				},
			})
		}
		names[i] = cdktf.Token_AsString(cdktf.Fn_Element(zones.Names(), jsii.Number(i)), nil)
	}
	return names
}

// build creates the VPC and returns the route tables an S3 gateway
// endpoint attaches to (the private ones). The steps run in this order
// because the synthesized JSON lists resources in creation order.
func (n *Network) build(scope constructs.Construct) []*string {
	n.createVpc(scope)
	podVpcId := n.attachSecondaryCidr(scope)
	gw := n.createInternetGateways(scope)
	gw.nats = n.buildPublicSubnets(scope, gw.internet)
	privateRouteTables := n.buildPrivateSubnets(scope, podVpcId, gw)
	n.buildIntraSubnets(scope)
	return privateRouteTables
}

// gateways are the ways out of a created VPC.
type gateways struct {
	// internet serves the public subnets (and the NAT gateways in them).
	internet internetgateway.InternetGateway
	// egressOnly is the private subnets' IPv6 way out (nil without IPv6).
	egressOnly egressonlyinternetgateway.EgressOnlyInternetGateway
	// nats are the NAT gateways in zone order: one per zone with NatPerAz,
	// the first zone's alone with NatSingle.
	nats []natgateway.NatGateway
}

// natFor is the NAT gateway the private subnets of zone i route through.
func (g gateways) natFor(layout string, zone int) natgateway.NatGateway {
	if layout == NatPerAz {
		return g.nats[zone]
	}
	return g.nats[0]
}

// createVpc creates the VPC (dual-stack with IPv6) and resolves the zones'
// names.
func (n *Network) createVpc(scope constructs.Construct) {
	cfg := n.cfg
	v := vpc.NewVpc(scope, jsii.String("vpc"), &vpc.VpcConfig{
		CidrBlock:                    jsii.String(cfg.VpcCidr),
		EnableDnsHostnames:           jsii.Bool(true),
		EnableDnsSupport:             jsii.Bool(true),
		AssignGeneratedIpv6CidrBlock: boolOrNil(cfg.IPv6),
		Tags:                         tags("Name", cfg.ClusterName),
	})
	n.Vpc, n.VpcId = v, v.Id()
	n.vpcIpv6Cidr = v.Ipv6CidrBlock()
	n.ZoneNames = n.zoneNames(scope)
}

// attachSecondaryCidr associates the secondary range for the pod subnets
// and returns the VPC ID pod subnets take: the association's, so they wait
// for the range to be attached (the VPC's own without a secondary range).
func (n *Network) attachSecondaryCidr(scope constructs.Construct) *string {
	if n.cfg.SecondaryCidr == "" {
		return n.Vpc.Id()
	}
	assoc := vpcipv4cidrblockassociation.NewVpcIpv4CidrBlockAssociation(scope, jsii.String("secondary-cidr"), &vpcipv4cidrblockassociation.VpcIpv4CidrBlockAssociationConfig{
		VpcId:     n.Vpc.Id(),
		CidrBlock: jsii.String(n.cfg.SecondaryCidr),
	})
	return assoc.VpcId()
}

// createInternetGateways creates the internet gateway and, with IPv6, the
// egress-only one; NAT gateways come with the public subnets.
func (n *Network) createInternetGateways(scope constructs.Construct) gateways {
	var gw gateways
	gw.internet = internetgateway.NewInternetGateway(scope, jsii.String("igw"), &internetgateway.InternetGatewayConfig{
		VpcId: n.Vpc.Id(),
		Tags:  tags("Name", n.cfg.ClusterName),
	})
	if n.cfg.IPv6 {
		gw.egressOnly = egressonlyinternetgateway.NewEgressOnlyInternetGateway(scope, jsii.String("egress-only-igw"), &egressonlyinternetgateway.EgressOnlyInternetGatewayConfig{
			VpcId: n.Vpc.Id(),
			Tags:  tags("Name", n.cfg.ClusterName),
		})
	}
	return gw
}

// buildPublicSubnets creates the public subnets, their shared route table
// to the internet gateway, and the NAT gateways in them, which it returns.
func (n *Network) buildPublicSubnets(scope constructs.Construct, igw internetgateway.InternetGateway) []natgateway.NatGateway {
	cfg, name := n.cfg, n.cfg.ClusterName
	publicRT := routetable.NewRouteTable(scope, jsii.String("rt-public"), &routetable.RouteTableConfig{VpcId: n.Vpc.Id(), Tags: tags("Name", name+"-public")})
	route.NewRoute(scope, jsii.String("public-internet"), &route.RouteConfig{
		RouteTableId: publicRT.Id(), DestinationCidrBlock: jsii.String("0.0.0.0/0"), GatewayId: igw.Id(),
	})
	if cfg.IPv6 {
		route.NewRoute(scope, jsii.String("public-internet-ipv6"), &route.RouteConfig{
			RouteTableId: publicRT.Id(), DestinationIpv6CidrBlock: jsii.String("::/0"), GatewayId: igw.Id(),
		})
	}
	var nats []natgateway.NatGateway
	for i, z := range cfg.Zones {
		s := n.newSubnet(scope, "public", i, n.Vpc.Id(), z.Public, i, map[string]string{"kubernetes.io/role/elb": "1", clusterTagKey(name): "shared"})
		n.PublicSubnetIds = append(n.PublicSubnetIds, s.Id())
		routetableassociation.NewRouteTableAssociation(scope, jsii.String(fmt.Sprintf("public-%d-rt", i)), &routetableassociation.RouteTableAssociationConfig{
			RouteTableId: publicRT.Id(), SubnetId: s.Id(),
		})
		if cfg.NatGateways == NatPerAz || i == 0 {
			nats = append(nats, n.createNatGateway(scope, i, s, igw))
		}
	}
	return nats
}

// createNatGateway creates zone i's NAT gateway, with its Elastic IP, in
// the zone's public subnet.
func (n *Network) createNatGateway(scope constructs.Construct, i int, public subnet.Subnet, igw internetgateway.InternetGateway) natgateway.NatGateway {
	name := n.cfg.ClusterName
	ip := eip.NewEip(scope, jsii.String(fmt.Sprintf("nat-ip-%d", i)), &eip.EipConfig{
		Domain: jsii.String("vpc"),
		Tags:   tags("Name", fmt.Sprintf("%s-nat-%s", name, *n.ZoneNames[i])),
	})
	return natgateway.NewNatGateway(scope, jsii.String(fmt.Sprintf("nat-%d", i)), &natgateway.NatGatewayConfig{
		AllocationId: ip.Id(),
		SubnetId:     public.Id(),
		Tags:         tags("Name", fmt.Sprintf("%s-%s", name, *n.ZoneNames[i])),
		// A NAT gateway needs the VPC's internet gateway to reach anything.
		DependsOn: &[]cdktf.ITerraformDependable{igw},
	})
}

// buildPrivateSubnets creates each zone's private (node) subnet, its pod
// subnet when there is one, and the zone's route table through the NAT
// gateway. It returns the private route tables.
func (n *Network) buildPrivateSubnets(scope constructs.Construct, podVpcId *string, gw gateways) []*string {
	var privateRTs []*string
	for i, z := range n.cfg.Zones {
		rt := n.buildPrivateZone(scope, i, z, podVpcId, gw)
		privateRTs = append(privateRTs, rt.Id())
	}
	return privateRTs
}

// buildPrivateZone creates zone i's private subnet, route table and
// routes, and its pod subnet on the same route table.
func (n *Network) buildPrivateZone(scope constructs.Construct, i int, z Zone, podVpcId *string, gw gateways) routetable.RouteTable {
	cfg, name := n.cfg, n.cfg.ClusterName
	privateTags := map[string]string{"kubernetes.io/role/internal-elb": "1", clusterTagKey(name): "shared"}
	if cfg.KarpenterDiscovery {
		privateTags["karpenter.sh/discovery"] = name
	}
	s := n.newSubnet(scope, "private", i, n.Vpc.Id(), z.Private, 8+i, privateTags)
	n.privateSubnets = append(n.privateSubnets, s)
	n.PrivateSubnetIds = append(n.PrivateSubnetIds, s.Id())
	n.reservePrefixes(scope, "private", i, s.Id(), z.PrivatePrefixReservations)
	// One route table per zone, also with a single NAT gateway, so
	// switching NAT layouts only changes routes.
	rt := routetable.NewRouteTable(scope, jsii.String(fmt.Sprintf("rt-private-%d", i)), &routetable.RouteTableConfig{
		VpcId: n.Vpc.Id(), Tags: tags("Name", fmt.Sprintf("%s-private-%s", name, *n.ZoneNames[i])),
	})
	n.routePrivateEgress(scope, i, rt, gw)
	n.EgressReady = append(n.EgressReady, routetableassociation.NewRouteTableAssociation(scope, jsii.String(fmt.Sprintf("private-%d-rt", i)), &routetableassociation.RouteTableAssociationConfig{
		RouteTableId: rt.Id(), SubnetId: s.Id(),
	}))
	if z.Pod != "" {
		pod := n.newSubnet(scope, "pod", i, podVpcId, z.Pod, 0, map[string]string{"kubernetes.io/role/cni": "1", clusterTagKey(name): "shared"})
		n.PodSubnetIds = append(n.PodSubnetIds, pod.Id())
		n.reservePrefixes(scope, "pod", i, pod.Id(), z.PodPrefixReservations)
		n.EgressReady = append(n.EgressReady, routetableassociation.NewRouteTableAssociation(scope, jsii.String(fmt.Sprintf("pod-%d-rt", i)), &routetableassociation.RouteTableAssociationConfig{
			RouteTableId: rt.Id(), SubnetId: pod.Id(),
		}))
	}
	return rt
}

// routePrivateEgress routes zone i's private route table out: IPv4 through
// the NAT gateway and, with IPv6, through the egress-only gateway, with
// NAT64 for the DNS64-synthesized addresses.
func (n *Network) routePrivateEgress(scope constructs.Construct, i int, rt routetable.RouteTable, gw gateways) {
	nat := gw.natFor(n.cfg.NatGateways, i)
	n.EgressReady = append(n.EgressReady, route.NewRoute(scope, jsii.String(fmt.Sprintf("private-%d-nat", i)), &route.RouteConfig{
		RouteTableId: rt.Id(), DestinationCidrBlock: jsii.String("0.0.0.0/0"), NatGatewayId: nat.Id(),
	}))
	if !n.cfg.IPv6 {
		return
	}
	n.EgressReady = append(n.EgressReady,
		route.NewRoute(scope, jsii.String(fmt.Sprintf("private-%d-egress-ipv6", i)), &route.RouteConfig{
			RouteTableId: rt.Id(), DestinationIpv6CidrBlock: jsii.String("::/0"), EgressOnlyGatewayId: gw.egressOnly.Id(),
		}),
		route.NewRoute(scope, jsii.String(fmt.Sprintf("private-%d-nat64", i)), &route.RouteConfig{
			RouteTableId: rt.Id(), DestinationIpv6CidrBlock: jsii.String("64:ff9b::/96"), NatGatewayId: nat.Id(),
		}))
}

// buildIntraSubnets creates the intra subnets, when the zones have them,
// on one route table that routes only inside the VPC: the control plane's
// interfaces need nothing else.
func (n *Network) buildIntraSubnets(scope constructs.Construct) {
	cfg, name := n.cfg, n.cfg.ClusterName
	if cfg.Zones[0].Intra == "" {
		return
	}
	rt := routetable.NewRouteTable(scope, jsii.String("rt-intra"), &routetable.RouteTableConfig{VpcId: n.Vpc.Id(), Tags: tags("Name", name+"-intra")})
	for i, z := range cfg.Zones {
		s := n.newSubnet(scope, "intra", i, n.Vpc.Id(), z.Intra, 16+i, map[string]string{clusterTagKey(name): "shared"})
		n.intraSubnets = append(n.intraSubnets, s)
		n.IntraSubnetIds = append(n.IntraSubnetIds, s.Id())
		routetableassociation.NewRouteTableAssociation(scope, jsii.String(fmt.Sprintf("intra-%d-rt", i)), &routetableassociation.RouteTableAssociationConfig{
			RouteTableId: rt.Id(), SubnetId: s.Id(),
		})
	}
}

// newSubnet creates one subnet of a tier ("public", "private", "intra" or
// "pod") in zone i, named and tagged for the cluster plus extra tags. With
// IPv6, every tier but pod takes the /64 with netnum ipv6Netnum of the
// VPC's /56: public subnets 0-7, private 8-15, intra 16-23 (at most 6
// zones).
func (n *Network) newSubnet(scope constructs.Construct, tier string, i int, vpcId *string, cidr string, ipv6Netnum int, extra map[string]string) subnet.Subnet {
	t := tags("Name", fmt.Sprintf("%s-%s-%s", n.cfg.ClusterName, tier, *n.ZoneNames[i]))
	for k, val := range extra {
		(*t)[k] = jsii.String(val)
	}
	conf := &subnet.SubnetConfig{
		VpcId:            vpcId,
		CidrBlock:        jsii.String(cidr),
		AvailabilityZone: n.ZoneNames[i],
		Tags:             t,
	}
	if n.cfg.IPv6 && tier != "pod" {
		conf.Ipv6CidrBlock = cdktf.Fn_Cidrsubnet(n.Vpc.Ipv6CidrBlock(), jsii.Number(8), jsii.Number(ipv6Netnum))
		// EKS IPv6 nodes need it (nodegroup health issue Ec2SubnetMissingIpv6Assignment).
		conf.AssignIpv6AddressOnCreation = jsii.Bool(true)
		conf.EnableResourceNameDnsAaaaRecordOnLaunch = jsii.Bool(true)
		if tier == "private" {
			// IPv6 pods and nodes resolve IPv4-only services to
			// 64:ff9b::/96 addresses, translated by the NAT gateway.
			conf.EnableDns64 = jsii.Bool(true)
		}
	}
	return subnet.NewSubnet(scope, jsii.String(fmt.Sprintf("%s-%d", tier, i)), conf)
}

// clusterTagKey is the subnet tag that marks a subnet as the cluster's
// (value "shared": other clusters may use it too).
func clusterTagKey(cluster string) string { return "kubernetes.io/cluster/" + cluster }

// reservePrefixes keeps blocks of a subnet for prefix delegation: EC2
// assigns /28 prefixes there and never places node or interface addresses
// in them, so the subnet cannot fragment until no aligned /28 is left (the
// VPC user guide's subnet CIDR reservations; AWS recommends them for
// prefix delegation). Nodes wait for them, so no address lands in a block
// before it is reserved.
func (n *Network) reservePrefixes(scope constructs.Construct, tier string, zone int, subnetId *string, cidrs []string) {
	for j, cidr := range cidrs {
		n.EgressReady = append(n.EgressReady, ec2subnetcidrreservation.NewEc2SubnetCidrReservation(scope, jsii.String(fmt.Sprintf("%s-%d-prefixes-%d", tier, zone, j)), &ec2subnetcidrreservation.Ec2SubnetCidrReservationConfig{
			SubnetId:        subnetId,
			CidrBlock:       jsii.String(cidr),
			ReservationType: jsii.String("prefix"),
			Description:     jsii.String(fmt.Sprintf("%s: /28 prefixes for the VPC CNI (prefix delegation)", n.cfg.ClusterName)),
		}))
	}
}

// adopt takes an existing VPC's subnets and tags them with what is the
// cluster's own: the cluster ownership tag and, with Karpenter, its
// discovery tag. The shared role tags (kubernetes.io/role/elb, …) are left
// to the VPC's owner: a tag eksready added would be deleted again on
// destroy, under every other user of the subnet. It returns the VPC's route
// tables, looked up at plan time, for an S3 gateway endpoint.
func (n *Network) adopt(scope constructs.Construct) []*string {
	cfg := n.cfg
	n.VpcId = jsii.String(cfg.ExistingVpcId)
	cluster := clusterTagKey(cfg.ClusterName)
	tag := func(id, key, value string) {
		ec2tag.NewEc2Tag(scope, jsii.String(fmt.Sprintf("%s-%s", id, tagSuffix(key))), &ec2tag.Ec2TagConfig{
			ResourceId: jsii.String(id), Key: jsii.String(key), Value: jsii.String(value),
		})
	}
	for _, z := range cfg.Zones {
		n.ZoneNames = append(n.ZoneNames, jsii.String(z.Name))
		for _, s := range []struct {
			id   string
			list *[]*string
		}{
			{z.PublicId, &n.PublicSubnetIds}, {z.PrivateId, &n.PrivateSubnetIds},
			{z.IntraId, &n.IntraSubnetIds}, {z.PodId, &n.PodSubnetIds},
		} {
			if s.id == "" {
				continue
			}
			*s.list = append(*s.list, jsii.String(s.id))
			tag(s.id, cluster, "shared")
		}
		if cfg.KarpenterDiscovery {
			tag(z.PrivateId, "karpenter.sh/discovery", cfg.ClusterName)
		}
	}
	if !slices.Contains(cfg.EndpointServices, "s3") {
		return nil
	}
	rts := dataawsroutetables.NewDataAwsRouteTables(scope, jsii.String("route-tables"), &dataawsroutetables.DataAwsRouteTablesConfig{
		VpcId: n.VpcId,
	})
	return *rts.Ids()
}

func tagSuffix(key string) string {
	switch key {
	case "karpenter.sh/discovery":
		return "karpenter"
	}
	return "cluster"
}

func tags(kv ...string) *map[string]*string {
	m := map[string]*string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = jsii.String(kv[i+1])
	}
	return &m
}

func boolOrNil(b bool) *bool {
	if !b {
		return nil
	}
	return jsii.Bool(true)
}
