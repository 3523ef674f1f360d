// Package network builds the VPC an eksready cluster runs in.
package network

import (
	"fmt"
	"net/netip"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsavailabilityzones"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/subnet"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpc"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// NetworkConfig is what the VPC is built from.
type NetworkConfig struct {
	// ClusterName names the resources and tags subnets as the cluster's.
	ClusterName string
	// VpcCidr is the VPC's primary IPv4 range (already validated).
	VpcCidr string
	// AvailabilityZoneCount is how many of the region's zones to span.
	AvailabilityZoneCount int
}

// Network is the VPC and its subnets.
type Network struct {
	// VpcId is the VPC's ID.
	VpcId *string
	// PrivateSubnetIds are the node subnets, one per availability zone.
	PrivateSubnetIds []*string
	// PrivateSubnetCidrs are the node subnets' ranges, in zone order.
	PrivateSubnetCidrs []string
}

// NewNetwork creates the VPC with one private subnet per availability zone.
func NewNetwork(scope constructs.Construct, id string, cfg NetworkConfig) *Network {
	cidrs, err := PrivateSubnetCidrs(cfg.VpcCidr, cfg.AvailabilityZoneCount)
	if err != nil {
		// Validation in config rejects such input before any construct exists.
		panic(err)
	}
	scope = constructs.NewConstruct(scope, jsii.String(id))
	zones := dataawsavailabilityzones.NewDataAwsAvailabilityZones(scope, jsii.String("zones"), &dataawsavailabilityzones.DataAwsAvailabilityZonesConfig{
		State: jsii.String("available"),
		// Local Zones and Wavelength Zones cannot host EKS control-plane ENIs.
		Filter: &[]*dataawsavailabilityzones.DataAwsAvailabilityZonesFilter{{
			Name:   jsii.String("opt-in-status"),
			Values: jsii.Strings("opt-in-not-required"),
		}},
	})
	v := vpc.NewVpc(scope, jsii.String("vpc"), &vpc.VpcConfig{
		CidrBlock:          jsii.String(cfg.VpcCidr),
		EnableDnsHostnames: jsii.Bool(true),
		EnableDnsSupport:   jsii.Bool(true),
		Tags:               &map[string]*string{"Name": jsii.String(cfg.ClusterName)},
	})
	n := &Network{VpcId: v.Id(), PrivateSubnetCidrs: cidrs}
	for i, cidr := range cidrs {
		s := subnet.NewSubnet(scope, jsii.String(fmt.Sprintf("private-%d", i)), &subnet.SubnetConfig{
			VpcId:            v.Id(),
			CidrBlock:        jsii.String(cidr),
			AvailabilityZone: cdktf.Token_AsString(cdktf.Fn_Element(zones.Names(), jsii.Number(i)), nil),
			Tags: &map[string]*string{
				"Name":                            jsii.String(fmt.Sprintf("%s-private-%d", cfg.ClusterName, i)),
				"kubernetes.io/role/internal-elb": jsii.String("1"),
				"kubernetes.io/cluster/" + cfg.ClusterName: jsii.String("shared"),
			},
		})
		n.PrivateSubnetIds = append(n.PrivateSubnetIds, s.Id())
	}
	return n
}

// PrivateSubnetCidrs splits the VPC range into one /19-equivalent block per
// zone: the VPC is cut into as many equal parts as the next power of two
// above the zone count, so each private subnet gets the largest equal share.
func PrivateSubnetCidrs(vpcCidr string, zones int) ([]string, error) {
	p, err := netip.ParsePrefix(vpcCidr)
	if err != nil {
		return nil, err
	}
	extra := 1
	for 1<<extra < zones*2 {
		extra++
	}
	bits := p.Bits() + extra
	size := uint64(1) << (32 - bits)
	base := p.Addr().As4()
	start := uint64(base[0])<<24 | uint64(base[1])<<16 | uint64(base[2])<<8 | uint64(base[3])
	out := make([]string, zones)
	for i := range zones {
		a := start + uint64(i)*size
		addr := netip.AddrFrom4([4]byte{byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a)})
		out[i] = netip.PrefixFrom(addr, bits).String()
	}
	return out, nil
}
