package config

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
)

// Layout is the subnet plan of the cluster's VPC: for every zone, the IPv4
// range of each subnet tier. Validation, the IP capacity planner and the
// network construct all read it, so they agree on every address.
type Layout struct {
	// VpcCidr is the created VPC's primary range ("" with an existing VPC).
	VpcCidr string
	// SecondaryCidr is the custom-networking range associated with the
	// created VPC ("" otherwise).
	SecondaryCidr string
	// Zones are the cluster's zones in order: the order of the plan-time
	// zone list, of network.availabilityZones, or of existingVpc.privateSubnets.
	Zones []ZoneLayout
}

// ZoneLayout is one zone's subnets. A tier the cluster does not have is "".
type ZoneLayout struct {
	// Name is the zone's name when known before plan time (explicit zones,
	// existing subnets), or "" when resolved at plan time.
	Name string
	// Label names the zone in messages and tables: Name, or "zone 1", "zone 2", …
	Label string
	// Public, Private, Intra and Pod are the subnets' CIDRs.
	Public, Private, Intra, Pod string
}

// SubnetLayout computes the subnet plan of a defaulted network
// configuration: for a VPC eksready creates, subnets are cut from the VPC
// CIDR (and pod subnets from the secondary CIDR), largest first so every
// block is aligned — private subnets, then public, then intra, in zone
// order; with an existing VPC they are the configured subnets. The error is
// Problems naming the fields to change.
func SubnetLayout(n Network) (Layout, error) {
	var v collector
	l := subnetLayout(n, &v)
	return l, v.err()
}

func subnetLayout(n Network, v *collector) Layout {
	if n.Existing() {
		return existingLayout(n)
	}
	var l Layout
	vpc, err := netip.ParsePrefix(n.VpcCidr)
	if err != nil {
		v.add("network.vpcCidr", n.VpcCidr, "is not a CIDR block")
		return l
	}
	l.VpcCidr = vpc.String()
	zones := n.AvailabilityZoneCount
	for i := range zones {
		z := ZoneLayout{Label: fmt.Sprintf("zone %d", i+1)}
		if i < len(n.AvailabilityZones) {
			z.Name, z.Label = n.AvailabilityZones[i], n.AvailabilityZones[i]
		}
		l.Zones = append(l.Zones, z)
	}
	type tier struct {
		name string
		bits int
		set  func(z *ZoneLayout, cidr string)
	}
	tiers := []tier{
		{"private", n.Subnets.Private.PrefixLength, func(z *ZoneLayout, c string) { z.Private = c }},
		{"public", n.Subnets.Public.PrefixLength, func(z *ZoneLayout, c string) { z.Public = c }},
	}
	if n.Subnets.Intra.Enabled {
		tiers = append(tiers, tier{"intra", n.Subnets.Intra.PrefixLength, func(z *ZoneLayout, c string) { z.Intra = c }})
	}
	var sizes []int
	var describe []string
	for _, t := range tiers {
		if t.bits < vpc.Bits() {
			v.add("network.subnets."+t.name+".prefixLength", t.bits, "makes each %s subnet larger than the VPC %s", t.name, vpc)
			return l
		}
		for range zones {
			sizes = append(sizes, t.bits)
		}
		describe = append(describe, fmt.Sprintf("%d %s /%d", zones, t.name, t.bits))
	}
	blocks, need, ok := allocate(vpc, sizes)
	if !ok {
		v.add("network.subnets", strings.Join(describe, ", "), "do not fit the VPC: they need %s addresses and vpcCidr %s holds %s; give a larger vpcCidr or smaller subnets (prefixLength)",
			comma(need), vpc, comma(1<<(32-vpc.Bits())))
		return l
	}
	for ti, t := range tiers {
		for zi := range zones {
			t.set(&l.Zones[zi], blocks[ti*zones+zi].String())
		}
	}
	if n.CustomNetworkingOn() {
		cn := n.PodNetworking.CustomNetworking
		sec, err := netip.ParsePrefix(cn.SecondaryCidr)
		if err != nil {
			v.add("network.podNetworking.customNetworking.secondaryCidr", cn.SecondaryCidr, "is not a CIDR block")
			return l
		}
		l.SecondaryCidr = sec.String()
		const path = "network.podNetworking.customNetworking.podSubnetPrefixLength"
		if cn.PodSubnetPrefixLength < sec.Bits() {
			v.add(path, cn.PodSubnetPrefixLength, "makes each pod subnet larger than the secondary CIDR %s", sec)
			return l
		}
		pods := make([]int, zones)
		for i := range pods {
			pods[i] = cn.PodSubnetPrefixLength
		}
		blocks, need, ok := allocate(sec, pods)
		if !ok {
			v.add(path, cn.PodSubnetPrefixLength, "gives %d pod subnets of /%d that need %s addresses, but the secondary CIDR %s holds %s",
				zones, cn.PodSubnetPrefixLength, comma(need), sec, comma(1<<(32-sec.Bits())))
			return l
		}
		for i := range zones {
			l.Zones[i].Pod = blocks[i].String()
		}
	}
	return l
}

func existingLayout(n Network) Layout {
	e := n.ExistingVpc
	var l Layout
	byZone := func(subnets []ExistingSubnet, zone string) string {
		for _, s := range subnets {
			if s.Zone == zone {
				return s.Cidr
			}
		}
		return ""
	}
	for _, s := range e.PrivateSubnets {
		l.Zones = append(l.Zones, ZoneLayout{
			Name: s.Zone, Label: s.Zone, Private: s.Cidr,
			Public: byZone(e.PublicSubnets, s.Zone),
			Intra:  byZone(e.IntraSubnets, s.Zone),
			Pod:    byZone(e.PodSubnets, s.Zone),
		})
	}
	return l
}

// allocate cuts blocks of the given prefix lengths out of parent, largest
// first (ties in input order), each right after the previous one: since
// every block is a power of two no larger than the one before, each lands
// aligned. It returns the blocks in input order, the addresses they need,
// and whether they fit.
func allocate(parent netip.Prefix, bits []int) ([]netip.Prefix, int, bool) {
	order := make([]int, len(bits))
	need := 0
	for i, b := range bits {
		order[i] = i
		need += 1 << (32 - b)
	}
	if need > 1<<(32-parent.Bits()) {
		return nil, need, false
	}
	sort.SliceStable(order, func(a, b int) bool { return bits[order[a]] < bits[order[b]] })
	a4 := parent.Addr().As4()
	cursor := uint32(a4[0])<<24 | uint32(a4[1])<<16 | uint32(a4[2])<<8 | uint32(a4[3])
	out := make([]netip.Prefix, len(bits))
	for _, i := range order {
		addr := netip.AddrFrom4([4]byte{byte(cursor >> 24), byte(cursor >> 16), byte(cursor >> 8), byte(cursor)})
		out[i] = netip.PrefixFrom(addr, bits[i])
		cursor += 1 << (32 - bits[i])
	}
	return out, need, true
}

// comma formats an integer with thousands separators.
func comma(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
