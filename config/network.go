package config

import "net/netip"

// Network describes the VPC that eksready creates for the cluster.
type Network struct {
	// VpcCidr is the VPC's primary IPv4 range. Subnets are carved from it.
	// Between /16 and /24. Default: "10.0.0.0/16".
	VpcCidr string `yaml:"vpcCidr"`

	// AvailabilityZoneCount is how many availability zones the VPC spans;
	// the zones are the region's first ones, resolved at plan time.
	// At least 2 (EKS requires two). Default: 3.
	AvailabilityZoneCount int `yaml:"availabilityZoneCount"`
}

func validateNetwork(n Network, v *collector) {
	prefix, err := netip.ParsePrefix(n.VpcCidr)
	switch {
	case err != nil:
		v.add("network.vpcCidr", n.VpcCidr, "is not a CIDR block")
	case !prefix.Addr().Is4():
		v.add("network.vpcCidr", n.VpcCidr, "must be an IPv4 CIDR block")
	case prefix.Masked() != prefix:
		v.add("network.vpcCidr", n.VpcCidr, "has host bits set; the network address is %s", prefix.Masked())
	case prefix.Bits() < 16 || prefix.Bits() > 24:
		v.add("network.vpcCidr", n.VpcCidr, "must be between /16 and /24 (AWS allows /16 to /28; below /24 leaves no room for a cluster)")
	}
	if n.AvailabilityZoneCount < 2 || n.AvailabilityZoneCount > 6 {
		v.add("network.availabilityZoneCount", n.AvailabilityZoneCount, "must be between 2 and 6 (EKS needs subnets in at least two zones)")
	}
}
