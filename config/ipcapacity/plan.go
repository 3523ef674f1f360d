package ipcapacity

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
)

// AWS subnet limits: an IPv4 subnet is between a /16 and a /28, and AWS keeps
// the first four addresses and the last one of every subnet.
const (
	minSubnetPrefixLen = 16
	maxSubnetPrefixLen = 28
	// ReservedPerSubnet is the number of addresses AWS reserves in every
	// subnet (network, VPC router, DNS, future use, broadcast).
	ReservedPerSubnet = 5
)

// Subnet describes one subnet by CIDR or, before addresses are allocated, by
// prefix length alone.
type Subnet struct {
	// Name labels the subnet in messages, e.g. "private" gives "private
	// subnet 10.0.1.0/24"; empty means "node" or "pod" by role.
	Name string
	// CIDR is the IPv4 block, e.g. "10.0.1.0/24". When set it decides the
	// size and PrefixLen may be left 0.
	CIDR string
	// PrefixLen is the prefix length (16 to 28) when no CIDR is known yet.
	PrefixLen int
	// OtherAddresses counts addresses in this subnet taken by anything other
	// than the planned nodes and pods: load balancers, interface endpoints,
	// NAT gateways, EKS control-plane ENIs, unmanaged instances.
	OtherAddresses int
	// PrefixReservations are the subnet's CIDR reservations of type prefix
	// (aws_ec2_subnet_cidr_reservation), where EC2 assigns only prefixes.
	// With prefix delegation they decide how fragmentation is charged; see
	// SubnetReport.WorstCase. They need the subnet's CIDR and must lie
	// inside it, be /28-aligned and leave its first and last /28 alone.
	PrefixReservations []string
}

func (s Subnet) isZero() bool {
	return s.Name == "" && s.CIDR == "" && s.PrefixLen == 0 && s.OtherAddresses == 0 && len(s.PrefixReservations) == 0
}

// reserved validates the prefix reservations against the subnet and returns
// the addresses they hold.
func (s Subnet) reserved(cidr string) (int, error) {
	if len(s.PrefixReservations) == 0 {
		return 0, nil
	}
	if cidr == "" {
		return 0, fmt.Errorf("prefix reservations need the subnet's CIDR")
	}
	sub := netip.MustParsePrefix(cidr)
	size := 1 << (32 - sub.Bits())
	first := netip.PrefixFrom(sub.Addr(), maxSubnetPrefixLen)
	last := netip.PrefixFrom(addrAt(sub, size-ipsPerPrefix), maxSubnetPrefixLen)
	total := 0
	var seen []netip.Prefix
	for _, r := range s.PrefixReservations {
		p, err := netip.ParsePrefix(r)
		switch {
		case err != nil:
			return 0, fmt.Errorf("prefix reservation %q: %v", r, err)
		case p.Masked() != p || p.Bits() > maxSubnetPrefixLen || p.Bits() <= sub.Bits() || !sub.Contains(p.Addr()):
			return 0, fmt.Errorf("prefix reservation %s is not an aligned block of /28s inside %s, smaller than it", r, sub)
		case p.Overlaps(first) || p.Overlaps(last):
			return 0, fmt.Errorf("prefix reservation %s holds the first or last /28 of %s, which hold AWS-reserved addresses", r, sub)
		}
		for _, o := range seen {
			if o.Overlaps(p) {
				return 0, fmt.Errorf("prefix reservations %s and %s overlap", o, p)
			}
		}
		seen = append(seen, p)
		total += 1 << (32 - p.Bits())
	}
	return total, nil
}

// addrAt is the address offset addresses into prefix p.
func addrAt(p netip.Prefix, offset int) netip.Addr {
	a := p.Addr().As4()
	v := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	v += uint32(offset)
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// resolve validates the subnet and returns its prefix length and canonical
// CIDR ("" when only the size is known).
func (s Subnet) resolve() (bits int, cidr string, err error) {
	if s.OtherAddresses < 0 {
		return 0, "", fmt.Errorf("OtherAddresses must not be negative, got %d", s.OtherAddresses)
	}
	if s.CIDR == "" {
		if s.PrefixLen == 0 {
			return 0, "", fmt.Errorf("neither CIDR nor PrefixLen is set")
		}
		if s.PrefixLen < minSubnetPrefixLen || s.PrefixLen > maxSubnetPrefixLen {
			return 0, "", fmt.Errorf("prefix length /%d is outside the /%d to /%d range AWS allows for subnets", s.PrefixLen, minSubnetPrefixLen, maxSubnetPrefixLen)
		}
		return s.PrefixLen, "", nil
	}
	p, err := netip.ParsePrefix(strings.TrimSpace(s.CIDR))
	if err != nil {
		return 0, "", fmt.Errorf("CIDR %q: %v", s.CIDR, err)
	}
	if !p.Addr().Is4() {
		return 0, "", fmt.Errorf("CIDR %q is not IPv4: plan the IPv4 node subnet", s.CIDR)
	}
	if m := p.Masked(); m != p {
		return 0, "", fmt.Errorf("CIDR %q has host bits set; did you mean %s?", s.CIDR, m)
	}
	if p.Bits() < minSubnetPrefixLen || p.Bits() > maxSubnetPrefixLen {
		return 0, "", fmt.Errorf("CIDR %s is outside the /%d to /%d range AWS allows for subnets", p, minSubnetPrefixLen, maxSubnetPrefixLen)
	}
	if s.PrefixLen != 0 && s.PrefixLen != p.Bits() {
		return 0, "", fmt.Errorf("CIDR %s disagrees with PrefixLen %d", p, s.PrefixLen)
	}
	return p.Bits(), p.String(), nil
}

// AZ is one availability zone with the subnets its nodes and pods use.
type AZ struct {
	// Name is the zone name, e.g. "ap-south-1a".
	Name string
	// NodeSubnet hosts the nodes, and their pods except with custom
	// networking.
	NodeSubnet Subnet
	// PodSubnet hosts the pods with ModeCustomNetworking (the ENIConfig
	// subnet of this zone); it must be zero in the other modes.
	PodSubnet Subnet
	// PublicSubnet, when set, is planned for its OtherAddresses only
	// (internet-facing load balancers, NAT gateways): no node runs there.
	PublicSubnet Subnet
}

// NodeGroup is a group of nodes (managed node group, ASG or Karpenter pool)
// with the largest size it may reach in each zone.
type NodeGroup struct {
	// Name identifies the group in messages.
	Name string
	// InstanceTypes lists every type the group may launch. Plan charges each
	// node as the type that holds the most addresses, because at max scale
	// every node could be that type.
	InstanceTypes []string
	// MaxSizePerAZ is the maximum number of nodes of the group in one zone.
	MaxSizePerAZ int
	// AZs restricts the group to these zones; empty means every zone of the
	// input.
	AZs []string
	// MaxPods is the kubelet --max-pods set explicitly for the group; 0 means
	// each type runs at its own MaxPods value. An explicit value above a
	// type's IPv4 limit is charged at that limit, since pods beyond it cannot
	// get an address.
	MaxPods int
}

// Input is everything Plan needs: the networking configuration, the zones with
// their subnets, and the node groups.
type Input struct {
	// CNI is the pod networking mode and VPC CNI warm settings.
	CNI CNIConfig
	// AZs are the zones of the cluster, each with its subnets.
	AZs []AZ
	// NodeGroups are the groups whose maximum sizes are planned.
	NodeGroups []NodeGroup
}

// SubnetRole tells a node subnet from a custom-networking pod subnet.
type SubnetRole int

const (
	// RoleNode is the subnet that hosts the nodes' primary ENIs.
	RoleNode SubnetRole = iota
	// RolePod is the custom-networking subnet that hosts pod ENIs.
	RolePod
	// RolePublic is a subnet without nodes (load balancers, NAT gateways).
	RolePublic
)

// String returns "node", "pod" or "public".
func (r SubnetRole) String() string {
	switch r {
	case RolePod:
		return "pod"
	case RolePublic:
		return "public"
	}
	return "node"
}

// GroupUsage is one node group's worst-case use of one subnet.
type GroupUsage struct {
	// Group is the node group name.
	Group string
	// Nodes is the group's maximum size in the zone.
	Nodes int
	// PodsPerNode is the kubelet max pods for the group: the explicit
	// NodeGroup.MaxPods, or the smallest MaxPods among its types, which is
	// what an EKS managed node group applies to a mixed-type group.
	PodsPerNode int
	// InstanceType is the group's type that holds the most addresses in this
	// subnet; every node is charged as this type.
	InstanceType string
	// Allocation says how that type takes addresses here, e.g. "ENI mode" or
	// "prefix delegation".
	Allocation string
	// AddressesPerNode is the worst-case addresses one node holds in this
	// subnet, counting each /28 prefix as 16.
	AddressesPerNode int
	// PrefixesPerNode is how many of those come as /28 prefixes.
	PrefixesPerNode int
	// Addresses is Nodes × AddressesPerNode.
	Addresses int
	// Detail explains AddressesPerNode, e.g. "3 ENIs × 10 addresses = 30 each".
	Detail string
}

// String describes the usage in one phrase, e.g.
// "web: 20 × m5.large ENI mode: 3 ENIs × 10 addresses = 30 each = 600".
func (g GroupUsage) String() string {
	return fmt.Sprintf("%s: %d × %s %s: %s = %s", g.Group, g.Nodes, g.InstanceType, g.Allocation, g.Detail, comma(g.Addresses))
}

// SubnetReport is the capacity verdict for one subnet.
type SubnetReport struct {
	// AZ is the zone name.
	AZ string
	// Role is RoleNode or RolePod.
	Role SubnetRole
	// Name is the subnet label used in messages.
	Name string
	// CIDR is the canonical block, or "" when only the size was given.
	CIDR string
	// PrefixLen is the prefix length.
	PrefixLen int
	// Size is the number of addresses in the block.
	Size int
	// PrefixBlocks reports /28-block accounting: the subnet hosts prefix
	// delegation, so Usable and Need count whole /28 blocks (16 addresses
	// each). See the package documentation on fragmentation.
	PrefixBlocks bool
	// Usable is what the subnet can hand out: Size-5, or with PrefixBlocks
	// the addresses of the /28 blocks that hold no AWS-reserved address.
	Usable int
	// Need is the worst-case addresses at max scale: nodes, pods, warm pools
	// and OtherAddresses.
	Need int
	// OtherAddresses is the Subnet.OtherAddresses included in Need.
	OtherAddresses int
	// Prefixes is how many /28 prefixes the subnet hands out at max scale,
	// and Individual how many single addresses (node and ENI primaries,
	// secondary IPs, OtherAddresses).
	Prefixes, Individual int
	// PrefixReservations and Reserved are the subnet's prefix reservations
	// and the addresses they hold.
	PrefixReservations []string
	Reserved           int
	// WorstCase reports that, with PrefixBlocks, the prefixes are not all
	// protected by a prefix reservation, so every single address is charged
	// as spoiling a /28 block of its own: nothing stops EC2 from scattering
	// node and interface addresses one per block (existing VPCs, or a
	// reservation smaller than the prefixes need).
	WorstCase bool
	// HeadroomPercent is (Usable-Need)/Usable×100; negative when the subnet
	// is too small, and -100 when a subnet with no usable space has any need.
	HeadroomPercent float64
	// Fits reports Need <= Usable.
	Fits bool
	// Groups is the usage of each node group present in the zone, in input
	// order.
	Groups []GroupUsage
}

// Label is the CIDR, or "/N" when only the prefix length is known.
func (s SubnetReport) Label() string {
	if s.CIDR != "" {
		return s.CIDR
	}
	return fmt.Sprintf("/%d", s.PrefixLen)
}

// Message states the verdict in one line, e.g. "ap-south-1a: private subnet
// 10.0.1.0/24 holds 251 usable addresses but 3 node groups at max scale need
// 1,800 (…)"; a subnet that fits reads "… and …" instead of "… but …".
func (s SubnetReport) Message() string {
	conj := "and"
	if !s.Fits {
		conj = "but"
	}
	groups := s.Claimants()
	detail := ""
	if b := s.Breakdown(); b != "" {
		detail = " (" + b + ")"
	}
	if s.PrefixBlocks {
		return fmt.Sprintf("%s: %s subnet %s holds %s free /28 blocks (%s addresses) %s %s at max scale need %s blocks (%s addresses)%s",
			s.AZ, s.Name, s.Label(), comma(s.Usable/ipsPerPrefix), comma(s.Usable), conj, groups, comma(s.Need/ipsPerPrefix), comma(s.Need), detail)
	}
	return fmt.Sprintf("%s: %s subnet %s holds %s usable addresses %s %s at max scale need %s%s",
		s.AZ, s.Name, s.Label(), comma(s.Usable), conj, groups, comma(s.Need), detail)
}

// Claimants names what takes the subnet's addresses: "1 node group",
// "3 node groups", or "its load balancers and gateways".
func (s SubnetReport) Claimants() string {
	switch {
	case s.Role == RolePublic:
		return "its load balancers and gateways"
	case len(s.Groups) == 1:
		return "1 node group"
	}
	return fmt.Sprintf("%d node groups", len(s.Groups))
}

// Breakdown explains the need item by item, e.g. "web: 20 × m5.large ENI
// mode: 3 ENIs × 10 addresses = 30 each = 600; 22 other addresses"; "" when
// there is nothing to say.
func (s SubnetReport) Breakdown() string {
	parts := make([]string, 0, len(s.Groups)+1)
	for _, g := range s.Groups {
		parts = append(parts, g.String())
	}
	if s.OtherAddresses > 0 {
		parts = append(parts, fmt.Sprintf("%s other addresses", comma(s.OtherAddresses)))
	}
	switch {
	case s.PrefixBlocks && s.WorstCase && s.Reserved > 0:
		parts = append(parts, fmt.Sprintf("%s prefixes exceed the %s-block prefix reservation, so each of the %s single addresses is charged a /28 block", comma(s.Prefixes), comma(s.Reserved/ipsPerPrefix), comma(s.Individual)))
	case s.PrefixBlocks && s.WorstCase:
		parts = append(parts, fmt.Sprintf("no prefix reservation: each of the %s single addresses is charged a /28 block", comma(s.Individual)))
	case s.PrefixBlocks && s.Reserved > 0:
		parts = append(parts, fmt.Sprintf("the prefixes fit the %s-block prefix reservation", comma(s.Reserved/ipsPerPrefix)))
	}
	return strings.Join(parts, "; ")
}

// Report is the result of Plan: one SubnetReport per node subnet, and per pod
// subnet with custom networking, sorted by zone name with the node subnet
// first.
type Report struct {
	// CNI is the configuration the report was computed for.
	CNI CNIConfig
	// Subnets holds the verdicts.
	Subnets []SubnetReport
}

// Fits reports whether every subnet holds its worst-case need.
func (r *Report) Fits() bool { return len(r.Failures()) == 0 }

// Failures returns the subnets that do not hold their worst-case need.
func (r *Report) Failures() []SubnetReport {
	var out []SubnetReport
	for _, s := range r.Subnets {
		if !s.Fits {
			out = append(out, s)
		}
	}
	return out
}

// CapacityError is returned by Plan when at least one subnet cannot hold the
// cluster at max scale. It lists every such subnet, so one synthesis run
// reports all of them.
type CapacityError struct {
	// Failures are the subnets that do not fit, in report order.
	Failures []SubnetReport
}

// Error lists one line per failing subnet, e.g. "ap-south-1a: private subnet
// 10.0.1.0/24 holds 251 usable addresses but 3 node groups at max scale need
// 1,800 (…)".
func (e *CapacityError) Error() string {
	lines := make([]string, len(e.Failures))
	for i, f := range e.Failures {
		lines[i] = f.Message()
	}
	return strings.Join(lines, "\n")
}

// Plan computes the worst-case address need of every subnet at max scale and
// compares it with what the subnet can hand out. Malformed input and unknown
// instance types return a nil Report and an error wrapping ErrInvalidInput,
// ErrUnknownInstanceType or ErrUnsupported. When the input is valid the
// Report is always returned; if any subnet is too small the error is a
// *CapacityError listing them all.
func Plan(in Input) (*Report, error) {
	if err := in.CNI.validate(); err != nil {
		return nil, err
	}
	zones, err := planZones(in.AZs, in.CNI)
	if err != nil {
		return nil, err
	}
	for _, g := range in.NodeGroups {
		if err := zones.charge(g, in.CNI); err != nil {
			return nil, err
		}
	}
	rep := zones.report(in.CNI)
	if f := rep.Failures(); len(f) > 0 {
		return rep, &CapacityError{Failures: f}
	}
	return rep, nil
}

// plannedZone is one zone's subnets with the addresses charged to them so
// far.
type plannedZone struct {
	AZ
	node, pod, public SubnetReport
	nodeInd, podInd   int // individual addresses
	nodePfx, podPfx   int // /28 prefixes
	hasPublic         bool
}

// zonePlan is the zones being planned, in input order and by name.
type zonePlan struct {
	zones  []*plannedZone
	byName map[string]*plannedZone
	// custom is custom networking: pods take addresses in the pod subnets.
	custom bool
	// seenGroups are the node groups charged so far.
	seenGroups map[string]bool
}

// planZones validates the zones and their subnets and starts each zone's
// subnet reports with nothing charged.
func planZones(azs []AZ, cni CNIConfig) (*zonePlan, error) {
	if len(azs) == 0 {
		return nil, fmt.Errorf("%w: no availability zones", ErrInvalidInput)
	}
	p := &zonePlan{
		zones:      make([]*plannedZone, 0, len(azs)),
		byName:     map[string]*plannedZone{},
		custom:     cni.Mode == ModeCustomNetworking,
		seenGroups: map[string]bool{},
	}
	for _, az := range azs {
		if az.Name == "" {
			return nil, fmt.Errorf("%w: availability zone with empty name", ErrInvalidInput)
		}
		if p.byName[az.Name] != nil {
			return nil, fmt.Errorf("%w: availability zone %q listed twice", ErrInvalidInput, az.Name)
		}
		z, err := planZone(az, cni, p.custom)
		if err != nil {
			return nil, err
		}
		p.zones = append(p.zones, z)
		p.byName[az.Name] = z
	}
	return p, nil
}

// planZone validates one zone's node, pod and public subnets against the
// pod networking mode.
func planZone(az AZ, cni CNIConfig, custom bool) (*plannedZone, error) {
	z := &plannedZone{AZ: az}
	var err error
	if z.node, err = subnetReport(az.Name, RoleNode, az.NodeSubnet); err != nil {
		return nil, fmt.Errorf("%w: %s node subnet: %v", ErrInvalidInput, az.Name, err)
	}
	switch {
	case custom && az.PodSubnet.isZero():
		return nil, fmt.Errorf("%w: %s: custom networking needs a pod subnet in every zone", ErrInvalidInput, az.Name)
	case custom:
		if z.pod, err = subnetReport(az.Name, RolePod, az.PodSubnet); err != nil {
			return nil, fmt.Errorf("%w: %s pod subnet: %v", ErrInvalidInput, az.Name, err)
		}
	case !az.PodSubnet.isZero():
		return nil, fmt.Errorf("%w: %s: a pod subnet only applies to custom networking, not %s", ErrInvalidInput, az.Name, cni.Mode)
	}
	if !az.PublicSubnet.isZero() {
		if len(az.PublicSubnet.PrefixReservations) > 0 {
			return nil, fmt.Errorf("%w: %s: a public subnet hosts no prefixes to reserve", ErrInvalidInput, az.Name)
		}
		if z.public, err = subnetReport(az.Name, RolePublic, az.PublicSubnet); err != nil {
			return nil, fmt.Errorf("%w: %s public subnet: %v", ErrInvalidInput, az.Name, err)
		}
		z.hasPublic = true
	}
	return z, nil
}

// subnetReport validates a subnet and its prefix reservations and starts
// its report.
func subnetReport(az string, role SubnetRole, sub Subnet) (SubnetReport, error) {
	bits, cidr, err := sub.resolve()
	if err != nil {
		return SubnetReport{}, err
	}
	r := newSubnetReport(az, role, sub, bits, cidr)
	r.Reserved, err = sub.reserved(cidr)
	return r, err
}

// charge validates node group g and charges its worst-case addresses at
// max size to the subnets of every zone it runs in.
func (p *zonePlan) charge(g NodeGroup, cni CNIConfig) error {
	if err := p.checkGroup(g); err != nil {
		return err
	}
	use, err := groupUse(g, cni)
	if err != nil {
		return err
	}
	targets, err := p.groupZones(g)
	if err != nil {
		return err
	}
	for _, z := range targets {
		n := g.MaxSizePerAZ
		z.node.Groups = append(z.node.Groups, use.node.forNodes(n))
		z.nodeInd += n * use.node.individual
		z.nodePfx += n * use.node.prefixes
		if p.custom {
			z.pod.Groups = append(z.pod.Groups, use.pod.forNodes(n))
			z.podInd += n * use.pod.individual
			z.podPfx += n * use.pod.prefixes
		}
	}
	return nil
}

// checkGroup validates a node group's name, types and sizes, and that no
// earlier group has its name.
func (p *zonePlan) checkGroup(g NodeGroup) error {
	if g.Name == "" {
		return fmt.Errorf("%w: node group with empty name", ErrInvalidInput)
	}
	if p.seenGroups[g.Name] {
		return fmt.Errorf("%w: node group %q listed twice", ErrInvalidInput, g.Name)
	}
	p.seenGroups[g.Name] = true
	if len(g.InstanceTypes) == 0 {
		return fmt.Errorf("%w: node group %q has no instance types", ErrInvalidInput, g.Name)
	}
	if g.MaxSizePerAZ < 0 || g.MaxPods < 0 || g.MaxSizePerAZ > MaxPlannedNodes || g.MaxPods > MaxPlannedNodes {
		return fmt.Errorf("%w: node group %q: MaxSizePerAZ and MaxPods must be between 0 and %s", ErrInvalidInput, g.Name, comma(MaxPlannedNodes))
	}
	return nil
}

// groupZones are the zones a node group runs in: those it names, or every
// zone.
func (p *zonePlan) groupZones(g NodeGroup) ([]*plannedZone, error) {
	if len(g.AZs) == 0 {
		return p.zones, nil
	}
	var targets []*plannedZone
	for _, name := range g.AZs {
		z := p.byName[name]
		if z == nil {
			return nil, fmt.Errorf("%w: node group %q names zone %q, which is not in the input", ErrInvalidInput, g.Name, name)
		}
		targets = append(targets, z)
	}
	return targets, nil
}

// report turns the charged addresses into each subnet's verdict, sorted by
// zone name with the node subnet first.
func (p *zonePlan) report(cni CNIConfig) *Report {
	sort.SliceStable(p.zones, func(i, j int) bool { return p.zones[i].Name < p.zones[j].Name })
	rep := &Report{CNI: cni}
	for _, z := range p.zones {
		z.node.finish(z.nodeInd, z.nodePfx, cni.Mode == ModePrefixDelegation)
		rep.Subnets = append(rep.Subnets, z.node)
		if p.custom {
			z.pod.finish(z.podInd, z.podPfx, cni.PrefixDelegation)
			rep.Subnets = append(rep.Subnets, z.pod)
		}
		if z.hasPublic {
			z.public.finish(0, 0, false)
			rep.Subnets = append(rep.Subnets, z.public)
		}
	}
	return rep
}

func newSubnetReport(az string, role SubnetRole, s Subnet, bits int, cidr string) SubnetReport {
	name := s.Name
	if name == "" {
		name = role.String()
	}
	return SubnetReport{
		AZ: az, Role: role, Name: name, CIDR: cidr, PrefixLen: bits,
		Size: 1 << (32 - bits), OtherAddresses: s.OtherAddresses,
		PrefixReservations: append([]string(nil), s.PrefixReservations...),
	}
}

// finish turns the summed individual addresses and prefixes into Usable,
// Need and the verdict.
//
// With prefix delegation, Usable and Need count /28 blocks. A prefix
// reservation keeps single addresses out of its blocks, so when it holds
// every prefix the single addresses only need room outside it: they are
// charged packed, ceil(n/16) blocks, and must fit the addresses outside the
// reservation. Otherwise nothing keeps EC2 from putting single addresses
// one per /28, so each is charged a whole block: the worst case, which is
// what an existing VPC's subnet must be planned for.
func (s *SubnetReport) finish(individual, prefixes int, prefixBlocks bool) {
	individual += s.OtherAddresses
	s.PrefixBlocks = prefixBlocks
	s.Prefixes, s.Individual = prefixes, individual
	fitsOutside := true
	if prefixBlocks {
		// The first /28 holds the four leading reserved addresses and the
		// last /28 the broadcast address: neither can become a prefix.
		blocks := max(s.Size/ipsPerPrefix-2, 0)
		reservedBlocks := s.Reserved / ipsPerPrefix
		s.Usable = blocks * ipsPerPrefix
		spoiled := individual
		if s.Reserved > 0 && prefixes <= reservedBlocks {
			spoiled = ceilDiv(individual, ipsPerPrefix)
		} else {
			s.WorstCase = true
		}
		s.Need = (prefixes + spoiled) * ipsPerPrefix
		// Single addresses never land in a reservation: it must leave them
		// room, even where its own blocks are not all needed yet.
		fitsOutside = individual <= s.Size-s.Reserved-ReservedPerSubnet
	} else {
		s.Usable = s.Size - ReservedPerSubnet
		s.Need = individual + prefixes*ipsPerPrefix
	}
	s.Fits = s.Need <= s.Usable && fitsOutside
	switch {
	case s.Usable > 0:
		s.HeadroomPercent = float64(s.Usable-s.Need) / float64(s.Usable) * 100
	case s.Need > 0:
		s.HeadroomPercent = -100
	}
}

// perNode is the addresses one node holds in one subnet.
type perNode struct {
	group        string
	instanceType string
	allocation   string
	pods         int // kubelet max pods of the group
	individual   int
	prefixes     int
	detail       string
}

func (u perNode) addresses() int { return u.individual + u.prefixes*ipsPerPrefix }

func (u perNode) forNodes(n int) GroupUsage {
	return GroupUsage{
		Group: u.group, Nodes: n, PodsPerNode: u.pods, InstanceType: u.instanceType,
		Allocation: u.allocation, AddressesPerNode: u.addresses(), PrefixesPerNode: u.prefixes,
		Addresses: n * u.addresses(), Detail: u.detail,
	}
}

type groupUsage struct{ node, pod perNode }

// groupUse finds, for each subnet role, the instance type of the group that
// holds the most addresses per node, and the group's kubelet max pods.
func groupUse(g NodeGroup, cni CNIConfig) (groupUsage, error) {
	var best groupUsage
	minPods := 0
	for i, t := range g.InstanceTypes {
		r, err := MaxPods(t, cni)
		if err != nil {
			return groupUsage{}, fmt.Errorf("node group %q: %w", g.Name, err)
		}
		pods := r.MaxPods
		if g.MaxPods > 0 {
			pods = g.MaxPods
			if r.IPLimit > 0 && pods > r.IPLimit {
				pods = r.IPLimit
			}
		}
		if i == 0 || r.MaxPods < minPods {
			minPods = r.MaxPods
		}
		node, pod := nodeUse(r, cni, pods)
		// Strictly greater keeps the first listed type on ties, so the
		// report does not depend on anything but input order.
		if i == 0 || node.addresses() > best.node.addresses() {
			best.node = node
		}
		if i == 0 || pod.addresses() > best.pod.addresses() {
			best.pod = pod
		}
	}
	if g.MaxPods > 0 {
		minPods = g.MaxPods
	}
	best.node.group, best.pod.group = g.Name, g.Name
	best.node.pods, best.pod.pods = minPods, minPods
	return best, nil
}

// nodeUse returns what one node of the type holds in the node subnet and, with
// custom networking, in the pod subnet, when it runs pods pods.
func nodeUse(r MaxPodsResult, cni CNIConfig, pods int) (node, pod perNode) {
	info := r.Info
	podIPs := pods - hostNetworkPods
	if podIPs < 0 {
		podIPs = 0
	}
	primaryOnly := func(label string) perNode {
		return perNode{instanceType: info.InstanceType, allocation: label, individual: 1, detail: "1 primary IP each"}
	}
	switch cni.Mode {
	case ModeIPv6, ModeOtherCNI:
		return primaryOnly(cni.Mode.String()), perNode{}
	case ModeENI:
		return secondaryUse(info, info.MaxENIs, podIPs, cni, "ENI mode"), perNode{}
	case ModePrefixDelegation:
		if info.prefixCapable() {
			return prefixUse(info, info.MaxENIs, podIPs, cni, "prefix delegation"), perNode{}
		}
		return secondaryUse(info, info.MaxENIs, podIPs, cni, "prefix delegation (not Nitro: secondary IPs)"), perNode{}
	}
	// Custom networking: the primary ENI stays in the node subnet with only
	// the node's address; pod ENIs are created in the pod subnet.
	node = primaryOnly("custom networking")
	switch {
	case cni.PrefixDelegation && info.prefixCapable():
		pod = prefixUse(info, info.MaxENIs-1, podIPs, cni, "custom networking + prefix delegation")
	case cni.PrefixDelegation:
		pod = secondaryUse(info, info.MaxENIs-1, podIPs, cni, "custom networking (not Nitro: secondary IPs)")
	default:
		pod = secondaryUse(info, info.MaxENIs-1, podIPs, cni, "custom networking")
	}
	return node, pod
}

// secondaryUse charges secondary-IP allocation on enis ENIs of the type.
func secondaryUse(info InstanceInfo, enis, podIPs int, cni CNIConfig, label string) perNode {
	u := perNode{instanceType: info.InstanceType, allocation: label}
	slots := info.IPv4PerENI - 1
	if enis <= 0 || slots <= 0 {
		u.detail = "no ENI left for pods"
		return u
	}
	podIPs = min(podIPs, enis*slots)
	if cni.ipTargets() {
		// WARM_IP_TARGET / MINIMUM_IP_TARGET replace WARM_ENI_TARGET: ipamd
		// keeps exactly this many secondary addresses, on as few ENIs as
		// hold them, each ENI adding its primary address.
		sec := min(max(podIPs+cni.WarmIPTarget, cni.MinimumIPTarget), enis*slots)
		attached := max(1, ceilDiv(sec, slots))
		u.individual = sec + attached
		u.detail = fmt.Sprintf("%s + %s = %d each", plural(sec, "secondary IP"), plural(attached, "ENI primary IP"), u.individual)
		return u
	}
	// WARM_ENI_TARGET: every attached ENI is filled with all its secondary
	// addresses, and ipamd keeps WARM_ENI_TARGET ENIs' worth of them free.
	attached := min(enis, max(1, ceilDiv(podIPs, slots)+cni.warmENI()))
	u.individual = attached * info.IPv4PerENI
	u.detail = fmt.Sprintf("%s × %d addresses = %d each", plural(attached, "ENI"), info.IPv4PerENI, u.individual)
	return u
}

// prefixUse charges /28 prefix allocation on enis ENIs of the type.
func prefixUse(info InstanceInfo, enis, podIPs int, cni CNIConfig, label string) perNode {
	u := perNode{instanceType: info.InstanceType, allocation: label}
	slots := info.IPv4PerENI - 1
	if enis <= 0 || slots <= 0 {
		u.detail = "no ENI left for pods"
		return u
	}
	maxPrefixes := enis * slots
	var p int
	if cni.ipTargets() {
		p = max(ceilDiv(podIPs+cni.WarmIPTarget, ipsPerPrefix), ceilDiv(cni.MinimumIPTarget, ipsPerPrefix))
	} else {
		p = ceilDiv(podIPs, ipsPerPrefix) + cni.warmPrefix()
	}
	p = min(max(p, 1), maxPrefixes)
	// A new ENI is attached only once the existing ones have no free prefix
	// slot (docs/prefix-and-ip-target.md), so WARM_ENI_TARGET adds nothing.
	attached := max(1, ceilDiv(p, slots))
	u.prefixes = p
	u.individual = attached
	u.detail = fmt.Sprintf("%s + %s = %d each", plural(p, "/28 prefix"), plural(attached, "ENI primary IP"), u.addresses())
	return u
}

// plural writes "1 ENI" or "3 ENIs"; every noun used here takes "s" or "es".
func plural(n int, noun string) string {
	switch {
	case n == 1:
		return "1 " + noun
	case strings.HasSuffix(noun, "x"):
		return fmt.Sprintf("%d %ses", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// ceilDiv divides rounding up, without the a+b-1 that overflows near the
// largest int.
func ceilDiv(a, b int) int {
	if a <= 0 {
		return 0
	}
	q := a / b
	if a%b != 0 {
		q++
	}
	return q
}

// MaxPlannedNodes bounds the node counts Plan accepts: far more nodes than
// any subnet holds (a /16 has 65,536 addresses and every node takes one),
// and small enough that nodes × addresses per node cannot overflow.
const MaxPlannedNodes = 1 << 24
