package stacks

import (
	"slices"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/constructs/account"
	"github.com/eksready/eksready/constructs/guardduty"
	"github.com/eksready/eksready/constructs/network"
)

// NetworkConfig turns a validated configuration into the network
// construct's input; the subnet CIDRs come from config.SubnetLayout, the
// same numbers validation and the IP capacity planner used.
func NetworkConfig(cfg config.Cluster) network.NetworkConfig {
	n := cfg.Network
	layout, err := config.SubnetLayout(n)
	if err != nil {
		// Validation computes the same layout and rejects the configuration first.
		panic(err)
	}
	pn := n.PodNetworking
	out := network.NetworkConfig{
		ClusterName:   cfg.Name,
		Region:        cfg.Region,
		VpcCidr:       layout.VpcCidr,
		SecondaryCidr: layout.SecondaryCidr,
		IPv6:          n.IPv6(),
		// Karpenter finds the subnets to launch nodes in by this tag.
		KarpenterDiscovery: cfg.Software.Autoscaling == config.AutoscalingKarpenter,
		NatGateways:        n.NatGateways,
		Cni: network.CniConfig{
			Mode:                pn.Mode,
			PrefixDelegation:    n.PrefixDelegation(),
			WarmPrefixTarget:    pn.VpcCni.WarmPrefixTarget,
			WarmIPTarget:        pn.VpcCni.WarmIpTarget,
			MinimumIPTarget:     pn.VpcCni.MinimumIpTarget,
			WarmENITarget:       pn.VpcCni.WarmEniTarget,
			NetworkPolicy:       n.Policies.On(),
			StrictNetworkPolicy: n.Policies.DefaultDeny(),
		},
	}
	if n.Endpoints.On() {
		out.EndpointServices = slices.Clone(n.Endpoints.Services)
	}
	if cfg.RuntimeMonitoring.EndpointOn() {
		out.EndpointServices = append(out.EndpointServices, config.GuardDutyDataEndpoint)
	}
	if f := n.FlowLogs; f.On() {
		out.FlowLogs = &network.FlowLogsConfig{
			Destination:            f.Destination,
			RetentionDays:          f.RetentionDays,
			S3BucketArn:            f.S3BucketArn,
			TrafficType:            f.TrafficType,
			MaxAggregationInterval: f.MaxAggregationInterval,
		}
	}
	// The reservations the capacity plan counted on; validation planned
	// the same configuration, so this cannot fail here.
	reservations, err := config.PrefixReservations(cfg)
	if err != nil {
		panic(err)
	}
	for i, z := range layout.Zones {
		zone := network.Zone{Name: z.Name, Public: z.Public, Private: z.Private, Intra: z.Intra, Pod: z.Pod}
		if i < len(reservations) {
			if n.CustomNetworkingOn() {
				zone.PodPrefixReservations = reservations[i]
			} else {
				zone.PrivatePrefixReservations = reservations[i]
			}
		}
		out.Zones = append(out.Zones, zone)
	}
	if e := n.ExistingVpc; e != nil {
		out.ExistingVpcId = e.VpcId
		idIn := func(subnets []config.ExistingSubnet, zone string) string {
			for _, s := range subnets {
				if s.Zone == zone {
					return s.Id
				}
			}
			return ""
		}
		for _, s := range e.PrivateSubnets {
			for i := range out.Zones {
				if out.Zones[i].Name == s.Zone {
					out.Zones[i].Private6 = s.Ipv6Cidr
				}
			}
		}
		for i := range out.Zones {
			z := &out.Zones[i]
			z.PublicId = idIn(e.PublicSubnets, z.Name)
			z.PrivateId = idIn(e.PrivateSubnets, z.Name)
			z.IntraId = idIn(e.IntraSubnets, z.Name)
			z.PodId = idIn(e.PodSubnets, z.Name)
		}
	}
	return out
}

// newNetwork builds the network of the infra stack; logsKeyArn encrypts
// the flow-log group.
func newNetwork(scope constructs.Construct, cfg config.Cluster, acct *account.Account, logsKeyArn *string) *network.Network {
	nc := NetworkConfig(cfg)
	if nc.FlowLogs != nil {
		nc.FlowLogs.KmsKeyArn = logsKeyArn
	}
	if cfg.RuntimeMonitoring.EndpointOn() {
		nc.EndpointPolicies = map[string]any{config.GuardDutyDataEndpoint: guardduty.EndpointPolicy(acct.AccountId)}
	}
	return network.NewNetwork(scope, "network", nc)
}
