package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/eksready/eksready/config/ipcapacity"
)

// controlPlaneInterfaces is how many network interfaces EKS may place in
// the cluster's subnets ("creates up to four network interfaces across
// these subnets", EKS user guide, network_reqs). They are charged to every
// private subnet when there are no intra subnets to take them, since EKS
// picks the subnets.
const controlPlaneInterfaces = 4

// CNI is the cluster's pod networking as the IP capacity planner sees it:
// the mode and the VPC CNI warm settings in effect.
func CNI(c Cluster) ipcapacity.CNIConfig {
	n := c.Network
	w := n.PodNetworking.VpcCni
	cni := ipcapacity.CNIConfig{
		WarmPrefixTarget: deref(w.WarmPrefixTarget),
		WarmIPTarget:     deref(w.WarmIpTarget),
		MinimumIPTarget:  deref(w.MinimumIpTarget),
		WarmENITarget:    deref(w.WarmEniTarget),
	}
	switch n.PodNetworking.Mode {
	case PodNetworkingCustomNetworking:
		cni.Mode = ipcapacity.ModeCustomNetworking
		cni.PrefixDelegation = n.PrefixDelegation()
	case PodNetworkingIPv6:
		return ipcapacity.CNIConfig{Mode: ipcapacity.ModeIPv6}
	case PodNetworkingCilium:
		return ipcapacity.CNIConfig{Mode: ipcapacity.ModeOtherCNI}
	default:
		cni.Mode = ipcapacity.ModePrefixDelegation
	}
	return cni
}

// MaxPods is the kubelet max-pods for a node pool: the planner's value for
// the pool's instance type with the fewest, so that kubelet never admits a
// pod the CNI cannot address on any of the pool's types (an EKS managed
// node group applies one value to all its types).
func MaxPods(c Cluster, pool string) (int, error) {
	p, ok := c.Nodes[pool]
	if !ok {
		return 0, fmt.Errorf("no node pool %q", pool)
	}
	if len(p.InstanceTypes) == 0 {
		return 0, fmt.Errorf("node pool %q has no instance types", pool)
	}
	cni := CNI(c)
	least := 0
	for i, t := range p.InstanceTypes {
		r, err := ipcapacity.MaxPods(t, cni)
		if err != nil {
			return 0, fmt.Errorf("node pool %q: %w", pool, err)
		}
		if i == 0 || r.MaxPods < least {
			least = r.MaxPods
		}
	}
	return least, nil
}

// KarpenterGenerationAbove is the instance-generation Gt bound of every
// Karpenter NodePool: current generations, as the getting-started NodePool
// has it. The NodePools and the capacity plan use the same bound.
const KarpenterGenerationAbove = 2

// karpenterPoolPrefix names Karpenter NodePools in the capacity plan, so a
// figure never reads as a managed node pool's.
const karpenterPoolPrefix = "karpenter/"

// KarpenterNitroOnly reports whether Karpenter's NodePools must keep to
// Nitro instances: prefix delegation hands out prefixes only there
// (max-pods-calculator.sh's IS_NITRO test), so a non-Nitro node would get
// the secondary-IP density under the same kubelet max pods; and IPv6
// clusters run on Nitro instances only.
func KarpenterNitroOnly(c Cluster) bool { return c.Network.PrefixDelegation() || c.Network.IPv6() }

// KarpenterRequirements are the instance types a NodePool may launch, as
// its requirements state them (constructs/addons/karpenter renders the
// same ones).
func KarpenterRequirements(c Cluster, p KarpenterNodePool) ipcapacity.Requirements {
	r := ipcapacity.Requirements{
		Categories:      p.InstanceCategories,
		Architectures:   p.Architectures,
		Sizes:           p.InstanceSizes,
		MinVCPUs:        p.MinVCPUs,
		GenerationAbove: KarpenterGenerationAbove,
		NitroOnly:       KarpenterNitroOnly(c),
	}
	return withAccelerator(r, p.Accelerator)
}

// withAccelerator narrows an accelerated NodePool's requirements to the
// families an EKS accelerated AMI drives for its kind (which the NodePool
// names in an instance-family requirement instead of a generation bound:
// Inferentia and Trainium families are generations 1 and 2).
func withAccelerator(r ipcapacity.Requirements, a NodePoolAccelerator) ipcapacity.Requirements {
	if a.Kind != "" {
		r.GenerationAbove = 0
		r.Accelerator, r.AcceleratorCounts = a.Kind, a.Counts
	}
	return r
}

// PlannedNodePool is one dynamically provisioned NodePool (Karpenter's or
// EKS Auto Mode's) as the capacity planner sees it.
type PlannedNodePool struct {
	// Pool is the generic description (the NodePool's requirements and
	// CPU limit, the EC2NodeClass's max pods).
	Pool ipcapacity.DynamicPool
	// Bound is what the pool can grow to.
	Bound ipcapacity.DynamicPoolBound
}

// KarpenterPools plans every Karpenter NodePool, sorted by name: each is
// bounded by its cpuLimit over the smallest instance it may launch, and
// all its nodes share the one EC2NodeClass's max pods (KarpenterMaxPods).
// Nil when Karpenter is not the autoscaler.
func KarpenterPools(c Cluster) ([]PlannedNodePool, error) {
	if c.Software.Autoscaling != AutoscalingKarpenter {
		return nil, nil
	}
	cni := CNI(c)
	var out []PlannedNodePool
	maxPods := 0
	for _, name := range sortedKeys(c.Software.Karpenter.NodePools) {
		p := c.Software.Karpenter.NodePools[name]
		dp := ipcapacity.DynamicPool{Name: karpenterPoolPrefix + name, Requirements: KarpenterRequirements(c, p), CPULimit: p.CPULimit}
		b, err := ipcapacity.BoundDynamicPool(dp, cni)
		if err != nil {
			return nil, fmt.Errorf("software.karpenter.nodePools.%s: %w", name, err)
		}
		if len(out) == 0 || b.MinMaxPods < maxPods {
			maxPods = b.MinMaxPods
		}
		out = append(out, PlannedNodePool{Pool: dp, Bound: b})
	}
	for i := range out {
		out[i].Pool.MaxPods = maxPods
	}
	return out, nil
}

// KarpenterMaxPods is the kubelet max pods of every Karpenter node (the
// EC2NodeClass's spec.kubelet.maxPods): the lowest planner value among all
// the types any NodePool may launch, since the one EC2NodeClass serves
// them all. 0 without Karpenter.
func KarpenterMaxPods(c Cluster) (int, error) {
	pools, err := KarpenterPools(c)
	if err != nil || len(pools) == 0 {
		return 0, err
	}
	return pools[0].Pool.MaxPods, nil
}

// KubernetesEffect is the effect as Kubernetes spells it (NoSchedule,
// PreferNoSchedule, NoExecute), for Karpenter's startupTaints; Taint.Effect
// is the EKS node group API's spelling.
func (t Taint) KubernetesEffect() string {
	switch t.Effect {
	case "NO_SCHEDULE":
		return "NoSchedule"
	case "PREFER_NO_SCHEDULE":
		return "PreferNoSchedule"
	}
	return "NoExecute"
}

// NodeStartupTaints are the taints every node must start with for the pod
// networking mode, removed by the CNI once it is ready, so no pod lands on
// a node without networking. Cilium removes
// node.cilium.io/agent-not-ready (Cilium docs, installation/requirements-eks.rst:
// managed node groups "should be tainted with
// node.cilium.io/agent-not-ready=true:NoExecute"). Node groups put them in
// their taints, Karpenter node pools in startupTaints.
func NodeStartupTaints(c Cluster) []Taint {
	if c.Network.PodNetworking.Mode == PodNetworkingCilium {
		return []Taint{{Key: "node.cilium.io/agent-not-ready", Value: "true", Effect: "NO_EXECUTE"}}
	}
	return nil
}

// APIServerReachesPods reports whether the EKS control plane can open
// connections to pod addresses. With the Cilium overlay it cannot ("The EKS
// API Server is unable to route packets to the overlay network", Cilium
// docs, k8s-install-helm.rst), so admission webhooks and aggregated APIs
// (metrics-server) must run with host networking.
func APIServerReachesPods(c Cluster) bool {
	return c.Network.PodNetworking.Mode != PodNetworkingCilium
}

// CapacityReport plans the IP capacity of a valid configuration at its
// maximum scale: every pool at maxSize in every zone. The error is a
// *ipcapacity.CapacityError (with the report) when a subnet is too small.
func CapacityReport(c Cluster) (*ipcapacity.Report, error) {
	l, err := SubnetLayout(c.Network)
	if err != nil {
		return nil, err
	}
	in, err := capacityInput(c, l)
	if err != nil {
		return nil, err
	}
	return ipcapacity.Plan(in)
}

// PrefixReservations are the subnet CIDR reservations of type prefix
// eksready creates, per zone of the layout (nil for a zone without, and
// nil altogether when there are none): in each subnet it owns that hands
// out prefixes, a block of prefixReservation.prefixLength or else the
// prefixes the plan needs there at max scale plus 25%, leaving room for
// the single addresses (ipcapacity.ReservationSize), placed around the
// subnet's midpoint (ipcapacity.ReservationCIDRs).
func PrefixReservations(c Cluster) ([][]string, error) {
	l, err := SubnetLayout(c.Network)
	if err != nil {
		return nil, err
	}
	return prefixReservations(c, l)
}

func prefixReservations(c Cluster, l Layout) ([][]string, error) {
	n := c.Network
	if !n.PrefixSubnetsOwned() || !n.PodNetworking.PrefixReservation.On() {
		return nil, nil
	}
	subnetOf := func(z ZoneLayout) string {
		if n.CustomNetworkingOn() {
			return z.Pod
		}
		return z.Private
	}
	sizes := make([]int, len(l.Zones))
	if bits := n.PodNetworking.PrefixReservation.PrefixLength; bits != 0 {
		for i := range sizes {
			sizes[i] = 1 << (32 - bits)
		}
	} else {
		// The prefixes each subnet needs do not depend on the reservation:
		// plan without one, then size it.
		in, err := capacityInputWith(c, l, nil)
		if err != nil {
			return nil, err
		}
		rep, err := ipcapacity.Plan(in)
		var ce *ipcapacity.CapacityError
		if err != nil && !errors.As(err, &ce) {
			return nil, err
		}
		role := ipcapacity.RoleNode
		if n.CustomNetworkingOn() {
			role = ipcapacity.RolePod
		}
		for i, z := range l.Zones {
			for _, s := range rep.Subnets {
				if s.AZ == z.Label && s.Role == role {
					sizes[i] = ipcapacity.ReservationSize(s.Size, s.Prefixes, s.Individual, ipcapacity.DefaultReservationHeadroomPercent)
				}
			}
		}
	}
	out := make([][]string, len(l.Zones))
	for i, z := range l.Zones {
		if sizes[i] == 0 {
			continue
		}
		cidrs, err := ipcapacity.ReservationCIDRs(subnetOf(z), sizes[i])
		if err != nil {
			return nil, err
		}
		out[i] = cidrs
	}
	return out, nil
}

// CapacitySummary is the synth summary's capacity section: the mode, the
// planner's subnet table, and a table of what each zone holds, item by item
// (capacityItems), adding up to the subnet table's NEED AT MAX.
func CapacitySummary(c Cluster) []string {
	mode := c.Network.PodNetworking.Mode
	if c.Network.CustomNetworkingOn() && c.Network.PrefixDelegation() {
		mode += " + prefix delegation"
	}
	lines := []string{"pod networking: " + mode}
	if c.AutoModeOn() {
		lines[0] = fmt.Sprintf("pod networking: EKS Auto Mode (prefix delegation, single addresses when a subnet has no free /28; at most %d pods per node, after the IP limit)", AutoModeMaxPods)
		if b := c.Compute.AutoMode.BuiltInNodePools; len(b) > 0 {
			lines = append(lines, "Auto Mode built-in node pools "+strings.Join(b, ", ")+" have no limits and are not planned")
		}
	}
	if len(c.Nodes) > 0 {
		lines = append(lines, PoolSizes(c))
	}
	rep, err := CapacityReport(c)
	var ce *ipcapacity.CapacityError
	if err != nil && !errors.As(err, &ce) {
		return append(lines, "capacity not planned: "+err.Error())
	}
	table := strings.TrimRight(ipcapacity.RenderTable(rep), "\n")
	lines = append(lines, strings.Split(table, "\n")...)
	table = strings.TrimRight(renderCapacityItems(capacityItems(c, rep)), "\n")
	return append(lines, strings.Split(table, "\n")...)
}

// capacityRow is one line of the capacity items table: what it is, and
// the addresses it is charged in one zone's subnet ("-" columns when
// empty). Addresses is -1 for a row that is not charged (a reservation).
type capacityRow struct {
	item, kind, nodes, pods string
	addresses               int
	detail                  string
}

// capacityItems lists, for the first zone of the report (the planner
// charges every zone alike, but for a single NAT gateway, which is in the
// public subnet), every item charged to each subnet that holds nodes or
// pods: the pools with their worst-case figures, the other addresses
// (interface endpoints, the load balancer allowance, the control plane's
// interfaces), the /28 block rounding of single addresses, and a total
// equal to the subnet's NEED AT MAX, so the column sums. The prefix
// reservations follow, uncharged: they only say where the prefixes go.
func capacityItems(c Cluster, rep *ipcapacity.Report) []capacityRow {
	kps, _ := DynamicPools(c)
	dynamic := map[string]PlannedNodePool{}
	for _, kp := range kps {
		dynamic[kp.Pool.Name] = kp
	}
	var rows []capacityRow
	zone := ""
	for _, s := range rep.Subnets {
		if zone == "" {
			zone = s.AZ
		}
		if s.AZ != zone || s.Role == ipcapacity.RolePublic {
			continue
		}
		charged := 0
		add := func(r capacityRow) {
			rows = append(rows, r)
			charged += r.addresses
		}
		for _, g := range s.Groups {
			detail := fmt.Sprintf("%s %s: %s", g.InstanceType, g.Allocation, g.Detail)
			name, kind, bound := g.Group, "node group", "maxSize in each zone"
			if kp, ok := dynamic[g.Group]; ok {
				name, kind = strings.TrimPrefix(name, karpenterPoolPrefix), "Karpenter NodePool"
				if n, ok := strings.CutPrefix(g.Group, autoModePoolPrefix); ok {
					name, kind = n, "Auto Mode NodePool"
				}
				bound = fmt.Sprintf("cpuLimit %s / %d vCPUs (%s), all in one zone at worst", ipcapacity.Comma(kp.Pool.CPULimit), max(kp.Bound.Smallest.VCPUs, 1), kp.Bound.Smallest.InstanceType)
			}
			if s.Role == ipcapacity.RolePod {
				kind += " pods"
			}
			add(capacityRow{name, kind, ipcapacity.Comma(g.Nodes), fmt.Sprint(g.PodsPerNode), g.Addresses, bound + "; " + detail})
		}
		if s.OtherAddresses > 0 {
			for _, o := range otherAddressItems(c.Network) {
				add(capacityRow{o.item, o.kind, "-", "-", o.addresses, o.detail})
			}
		}
		if r := s.Need - charged; r != 0 {
			single := ipcapacity.Comma(s.Individual)
			detail := fmt.Sprintf("%s single addresses packed into whole /28 blocks outside the prefix reservation", single)
			if s.WorstCase {
				detail = fmt.Sprintf("each of the %s single addresses spoils a /28 block of its own: no prefix reservation holds every prefix (worst-case fragmentation)", single)
			}
			add(capacityRow{"/28 block rounding", "rounding", "-", "-", r, detail})
		}
		rows = append(rows, capacityRow{"total", s.Name + " subnet", "-", "-", charged, fmt.Sprintf("NEED AT MAX of %s subnet %s", s.Name, s.Label())})
	}
	for _, s := range rep.Subnets {
		if !s.PrefixBlocks {
			continue
		}
		name := "prefix reservation " + s.AZ
		switch {
		case s.Reserved > 0:
			rows = append(rows, capacityRow{name, "reservation", "-", "-", -1, fmt.Sprintf("%s subnet %s: %s holds %s addresses for the /28 prefixes above (not added: the prefixes are)", s.Name, s.Label(), strings.Join(s.PrefixReservations, " + "), ipcapacity.Comma(s.Reserved))})
		case c.Network.Existing():
			rows = append(rows, capacityRow{name, "none", "-", "-", -1, fmt.Sprintf("%s subnet %s is not eksready's: planned for worst-case fragmentation", s.Name, s.Label())})
		default:
			rows = append(rows, capacityRow{name, "none", "-", "-", -1, fmt.Sprintf("%s subnet %s: network.podNetworking.prefixReservation is off: planned for worst-case fragmentation", s.Name, s.Label())})
		}
	}
	return rows
}

// renderCapacityItems renders the capacity items as a table.
func renderCapacityItems(rows []capacityRow) string {
	cells := make([][]string, 0, len(rows))
	for _, r := range rows {
		addresses := "-"
		if r.addresses >= 0 {
			addresses = ipcapacity.Comma(r.addresses)
		}
		cells = append(cells, []string{r.item, r.kind, r.nodes, r.pods, addresses, r.detail})
	}
	return ipcapacity.RenderColumns([]string{"ITEM", "KIND", "NODES PER ZONE", "MAX PODS", "ADDRESSES PER ZONE", "DETAIL"}, []bool{false, false, true, true, true, false}, cells)
}

// otherAddressItem is one kind of address a private subnet holds besides
// nodes and pods.
type otherAddressItem struct {
	item, kind, detail string
	addresses          int
}

// otherAddressItems is what each private subnet holds besides nodes and
// pods: one address per interface endpoint (an endpoint has an interface
// in every zone's private subnet), the load balancer allowance (internal
// load balancers) and, without intra subnets, the control plane's
// interfaces. Items of no addresses are left out.
func otherAddressItems(n Network) []otherAddressItem {
	var out []otherAddressItem
	if e := len(n.InterfaceEndpoints()); e > 0 {
		out = append(out, otherAddressItem{"interface endpoints", "endpoints", "one interface per endpoint in each private subnet (network.endpoints)", e})
	}
	if lb := n.LoadBalancerAddresses(); lb > 0 {
		out = append(out, otherAddressItem{"load balancers", "allowance", "in each public and private subnet (network.loadBalancerAddressesPerZone)", lb})
	}
	if !n.IntraSubnets() {
		out = append(out, otherAddressItem{"control plane", "interfaces", "EKS places up to 4 cluster interfaces in the private subnets (no intra subnets)", controlPlaneInterfaces})
	}
	return out
}

// CapacityFailure is CapacitySummary for a configuration the planner
// rejects, so the person fixing it sees every subnet's figures next to the
// problems; nil when capacity is not what failed (or cannot be planned).
func CapacityFailure(c Cluster) []string {
	var ce *ipcapacity.CapacityError
	if _, err := CapacityReport(c); !errors.As(err, &ce) {
		return nil
	}
	return CapacitySummary(c)
}

// otherAddresses is the sum of otherAddressItems.
func otherAddresses(n Network) int {
	other := 0
	for _, o := range otherAddressItems(n) {
		other += o.addresses
	}
	return other
}

// publicAddresses is what a zone's public subnet holds: the load balancer
// allowance (internet-facing load balancers) and the zone's NAT gateway.
func publicAddresses(n Network, zone int) int {
	other := n.LoadBalancerAddresses()
	if !n.Existing() && (n.NatGateways == NatPerAz || zone == 0) {
		other++
	}
	return other
}

func capacityInput(c Cluster, l Layout) (ipcapacity.Input, error) {
	res, err := prefixReservations(c, l)
	if err != nil {
		return ipcapacity.Input{}, err
	}
	return capacityInputWith(c, l, res)
}

// capacityInputWith is the planner's input with the given prefix
// reservations per zone (nil for none).
func capacityInputWith(c Cluster, l Layout, reservations [][]string) (ipcapacity.Input, error) {
	in := ipcapacity.Input{CNI: CNI(c)}
	other := otherAddresses(c.Network)
	if c.RuntimeMonitoring.EndpointOn() {
		// The guardduty-data endpoint has an interface in every private subnet.
		other++
	}
	for i, z := range l.Zones {
		az := ipcapacity.AZ{Name: z.Label, NodeSubnet: ipcapacity.Subnet{Name: "private", CIDR: z.Private, OtherAddresses: other}}
		var res []string
		if i < len(reservations) {
			res = reservations[i]
		}
		if c.Network.CustomNetworkingOn() {
			az.PodSubnet = ipcapacity.Subnet{Name: "pod", CIDR: z.Pod, PrefixReservations: res}
		} else {
			az.NodeSubnet.PrefixReservations = res
		}
		if z.Public != "" {
			az.PublicSubnet = ipcapacity.Subnet{Name: "public", CIDR: z.Public, OtherAddresses: publicAddresses(c.Network, i)}
		}
		in.AZs = append(in.AZs, az)
	}
	for _, name := range sortedKeys(c.Nodes) {
		p := c.Nodes[name]
		mp, err := MaxPods(c, name)
		if err != nil {
			return in, err
		}
		ng := ipcapacity.NodeGroup{Name: name, InstanceTypes: p.InstanceTypes, MaxSizePerAZ: p.MaxSize, MaxPods: mp}
		if zones := PoolZones(c, name); len(zones) < len(l.Zones) {
			// A pool bound to one reservation has its node group in the
			// reservation's zone only.
			for _, z := range zones {
				ng.AZs = append(ng.AZs, l.Zones[z].Label)
			}
		}
		in.NodeGroups = append(in.NodeGroups, ng)
	}
	pools, err := DynamicPools(c)
	if err != nil {
		return in, err
	}
	for _, dp := range pools {
		in.NodeGroups = append(in.NodeGroups, dp.Bound.NodeGroup(dp.Pool))
	}
	return in, nil
}

// autoModePoolPrefix names Auto Mode NodePools in the capacity plan.
const autoModePoolPrefix = "auto-mode/"

// AutoModeRequirements are the instance types an Auto Mode NodePool may
// launch, as eksready's NodePool requirements state them (generation 5 or
// newer, its categories, architectures and sizes) and as Auto Mode launches
// at all ("More than 1 CPU", EKS user guide, automode-learn-instances).
func AutoModeRequirements(p AutoModeNodePool) ipcapacity.Requirements {
	r := ipcapacity.Requirements{
		Categories:      p.InstanceCategories,
		Architectures:   p.Architectures,
		Sizes:           p.InstanceSizes,
		MinVCPUs:        max(p.MinVCPUs, AutoModeMinVCPUs),
		GenerationAbove: AutoModeMinGeneration - 1,
	}
	return withAccelerator(r, p.Accelerator)
}

// AutoModePools plans every EKS Auto Mode NodePool of the configuration,
// sorted by name; nil outside Auto Mode. The facts it rests on:
//   - Auto Mode "provisions /28 IPv4 prefixes to the primary network
//     interface" of each node, keeps "a predefined warm pool", and "if
//     prefixes are no longer available in the subnet, the service falls
//     back to secondary IPv4 addresses" (EKS user guide, auto-networking).
//     Prefix delegation is the NodeClass's default (ipv4PrefixSize Auto;
//     "32" is a secondary-IP mode, create-node-class), which eksready's
//     NodeClass keeps and does not expose: a single address per pod never
//     takes more of a subnet than a /28 per 16 pods, so planning every
//     node with prefixes is the worst case of both, and eksready's prefix
//     reservations keep whole /28 blocks free in the subnets it creates.
//     The CNI configuration is therefore the prefix-delegation one;
//   - EKS caps every Auto Mode node at 110 pods "after the existing max pods
//     calculation" (create-node-class, Considerations): every node is
//     charged AutoModeMaxPods, and the planner charges a type whose
//     addresses hold fewer pods at its own limit;
//   - the NodePool's cpu limit bounds its nodes, over the smallest type its
//     requirements admit (ipcapacity.BoundDynamicPool, as for Karpenter),
//     and nothing keeps them in one zone, so every zone is charged all.
//
// Built-in node pools have no limits and cannot be planned.
func AutoModePools(c Cluster) ([]PlannedNodePool, error) {
	if !c.AutoModeOn() {
		return nil, nil
	}
	cni := CNI(c)
	var out []PlannedNodePool
	for _, name := range sortedKeys(c.Compute.AutoMode.NodePools) {
		p := c.Compute.AutoMode.NodePools[name]
		dp := ipcapacity.DynamicPool{Name: autoModePoolPrefix + name, Requirements: AutoModeRequirements(p), CPULimit: p.CPULimit, MaxPods: AutoModeMaxPods}
		b, err := ipcapacity.BoundDynamicPool(dp, cni)
		if err != nil {
			return nil, fmt.Errorf("compute.autoMode.nodePools.%s: %w", name, err)
		}
		out = append(out, PlannedNodePool{Pool: dp, Bound: b})
	}
	return out, nil
}

// DynamicPools are every NodePool that launches nodes on demand: Karpenter's
// or Auto Mode's (a configuration has at most one kind).
func DynamicPools(c Cluster) ([]PlannedNodePool, error) {
	k, err := KarpenterPools(c)
	if err != nil {
		return nil, err
	}
	a, err := AutoModePools(c)
	return append(k, a...), err
}

// validateCapacity fails a configuration whose subnets cannot hold it at
// max scale, naming the field to change for every subnet that is short.
func validateCapacity(c Cluster, l Layout, v *collector) {
	cni := CNI(c)
	typesOK := true
	for _, name := range sortedKeys(c.Nodes) {
		for i, t := range c.Nodes[name].InstanceTypes {
			_, err := ipcapacity.MaxPods(t, cni)
			path := fmt.Sprintf("nodes.%s.instanceTypes[%d]", name, i)
			switch {
			case errors.Is(err, ipcapacity.ErrUnsupported):
				typesOK = false
				v.add(path, t, "is not Nitro-based; podNetworking.mode ipv6 needs Nitro instances")
			case errors.Is(err, ipcapacity.ErrUnknownInstanceType):
				typesOK = false
				v.add(path, t, "has no published ENI limits, so its pod addresses cannot be planned")
			case err != nil:
				typesOK = false
				v.add(path, t, "cannot be planned: %v", err)
			}
		}
	}
	if !typesOK {
		return
	}
	if !karpenterPlannable(c, cni, v) {
		return
	}
	in, err := capacityInput(c, l)
	if err == nil {
		_, err = ipcapacity.Plan(in)
	}
	var ce *ipcapacity.CapacityError
	if !errors.As(err, &ce) {
		if err != nil {
			v.missing("network", "IP capacity could not be planned: %v", err)
		}
		return
	}
	// One problem per field to change, with a row per zone that is short
	// and each distinct explanation once: the subnets eksready creates are
	// alike in every zone, and the same paragraph three times hides the
	// figures that differ.
	type short struct {
		path, hint, lower string
		subnets           []ipcapacity.SubnetReport
	}
	var shorts []*short
	byPath := map[string]*short{}
	for _, f := range ce.Failures {
		zone := 0
		for i, z := range l.Zones {
			if z.Label == f.AZ {
				zone = i
			}
		}
		var path, hint string
		switch {
		case f.Role == ipcapacity.RolePod && c.Network.Existing():
			path, hint = fmt.Sprintf("network.existingVpc.podSubnets[%d]", podSubnetIndex(c.Network, f.AZ)), "use a larger pod subnet"
		case f.Role == ipcapacity.RolePod:
			path, hint = "network.podNetworking.customNetworking", "use larger pod subnets (a smaller podSubnetPrefixLength, or a larger secondaryCidr)"
		case c.Network.Existing():
			path, hint = fmt.Sprintf("network.existingVpc.privateSubnets[%d]", zone), "use a larger subnet"
		default:
			path, hint = "network.subnets.private", "use larger private subnets (a smaller network.subnets.private.prefixLength, or a larger network.vpcCidr)"
		}
		lower := "lower the node pools' maxSize"
		if c.Software.Autoscaling == AutoscalingKarpenter {
			lower += ", or the Karpenter NodePools' cpuLimit (a pool may put all its nodes in one zone, as many as cpuLimit over its smallest instance; instanceSizes leaves small ones out)"
		}
		if f.Role == ipcapacity.RolePublic {
			path, hint, lower = publicSubnetPath(c.Network, f.AZ), "use a larger public subnet", "lower network.loadBalancerAddressesPerZone"
		}
		if byPath[path] == nil {
			byPath[path] = &short{path: path, hint: hint, lower: lower}
			shorts = append(shorts, byPath[path])
		}
		byPath[path].subnets = append(byPath[path].subnets, f)
	}
	for _, sh := range shorts {
		v.missing(sh.path, "too small for the cluster at max scale in %s. %s, or %s:\n%s", zonesText(sh.subnets), capitalize(sh.hint), sh.lower, shortTable(sh.subnets))
	}
}

// zonesText names the zones of failing subnets: "zone 1", "3 zones".
func zonesText(subnets []ipcapacity.SubnetReport) string {
	if len(subnets) == 1 {
		return subnets[0].AZ
	}
	return fmt.Sprintf("%d zones", len(subnets))
}

// shortTable is a capacity problem's detail, indented under it: a row per
// zone with the subnet, what it holds and what it needs, then why, each
// distinct explanation once with the zones it is about.
func shortTable(subnets []ipcapacity.SubnetReport) string {
	var rows [][]string
	var whys []string
	zonesOf := map[string][]string{}
	for _, s := range subnets {
		usable, need := ipcapacity.Comma(s.Usable), ipcapacity.Comma(s.Need)
		if s.PrefixBlocks {
			usable = fmt.Sprintf("%s (%s /28 blocks)", usable, ipcapacity.Comma(s.Usable/16))
			need = fmt.Sprintf("%s (%s /28 blocks)", need, ipcapacity.Comma(s.Need/16))
		}
		// A subnet can fail with room to spare when its single addresses do
		// not fit outside its prefix reservation (the explanation says so).
		shortBy := "-"
		if s.Need > s.Usable {
			shortBy = ipcapacity.Comma(s.Need - s.Usable)
		}
		rows = append(rows, []string{s.AZ, fmt.Sprintf("%s (%s)", s.Label(), s.Name), usable, need, shortBy})
		why := s.Claimants() + " at max scale"
		if b := s.Breakdown(); b != "" {
			why += ": " + b
		}
		if zonesOf[why] == nil {
			whys = append(whys, why)
		}
		zonesOf[why] = append(zonesOf[why], s.AZ)
	}
	table := strings.TrimRight(ipcapacity.RenderColumns([]string{"ZONE", "SUBNET", "USABLE", "NEED AT MAX", "SHORT BY"}, []bool{false, false, true, true, true}, rows), "\n")
	lines := strings.Split(table, "\n")
	for _, why := range whys {
		where := "in each"
		if len(whys) > 1 || len(subnets) == 1 {
			where = "in " + strings.Join(zonesOf[why], ", ")
		}
		lines = append(lines, where+": "+why)
	}
	return "      " + strings.Join(lines, "\n      ")
}

// karpenterPlannable reports every NodePool the planner cannot bound: one
// whose requirements admit no instance type, or admit one the pod
// networking mode cannot run. Pools with a problem validateKarpenter
// reports (cpuLimit, unknown sizes) are left to it.
func karpenterPlannable(c Cluster, cni ipcapacity.CNIConfig, v *collector) bool {
	if c.Software.Autoscaling != AutoscalingKarpenter {
		return true
	}
	ok := true
	for _, name := range sortedKeys(c.Software.Karpenter.NodePools) {
		p := c.Software.Karpenter.NodePools[name]
		known := !slices.ContainsFunc(p.InstanceSizes, func(s string) bool { return !slices.Contains(ipcapacity.InstanceSizes(), s) })
		if p.CPULimit < 1 || p.CPULimit > maxKarpenterCPU || p.MinVCPUs < 1 || p.MinVCPUs > maxInstanceVCPUs || !known {
			ok = false
			continue
		}
		_, err := ipcapacity.BoundDynamicPool(ipcapacity.DynamicPool{Name: name, Requirements: KarpenterRequirements(c, p), CPULimit: p.CPULimit}, cni)
		if err != nil {
			ok = false
			v.missing("software.karpenter.nodePools."+name, "cannot be planned: %v", err)
		}
	}
	return ok
}

func publicSubnetPath(n Network, zone string) string {
	if n.Existing() {
		for i, s := range n.ExistingVpc.PublicSubnets {
			if s.Zone == zone {
				return fmt.Sprintf("network.existingVpc.publicSubnets[%d]", i)
			}
		}
	}
	return "network.subnets.public"
}

func podSubnetIndex(n Network, zone string) int {
	for i, s := range n.ExistingVpc.PodSubnets {
		if s.Zone == zone {
			return i
		}
	}
	return 0
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// NodeDaemonSets are the DaemonSet pods eksready puts on every node: the
// pod network (aws-node, or the Cilium agent), kube-proxy, the EKS Pod
// Identity agent and the EBS CSI node plugin (all managed add-ons, on
// every cluster), and the Bottlerocket update operator's agent when it is
// enabled. Each counts against the kubelet's max-pods like any other pod.
func NodeDaemonSets(c Cluster, pool string) []string {
	ds := []string{"aws-node"}
	if !c.Network.UsesVpcCni() {
		ds = []string{"cilium"}
	}
	ds = append(ds, "kube-proxy", "eks-pod-identity-agent", "ebs-csi-node")
	if c.Software.BottlerocketUpdateOperator.On() && c.Nodes[pool].OS == "bottlerocket" {
		ds = append(ds, "brupop-agent")
	}
	if dp := c.Nodes[pool].DevicePlugin(); dp != "" {
		ds = append(ds, DevicePluginRelease(dp))
	}
	return ds
}

// PoolSizes says in one line that node pool sizes are per availability
// zone, with each pool's whole range: users of eksctl and
// terraform-aws-eks expect one node group across all zones, where maxSize
// 20 means 20 nodes, not 60.
func PoolSizes(c Cluster) string {
	zones := c.Network.AvailabilityZoneCount
	var pools []string
	for _, name := range sortedKeys(c.Nodes) {
		p, n := c.Nodes[name], len(PoolZones(c, name))
		if n < zones {
			pools = append(pools, fmt.Sprintf("%s %d–%d in its reservation's zone %s", name, p.MinSize, p.MaxSize, p.CapacityReservation.Zone))
			continue
		}
		pools = append(pools, fmt.Sprintf("%s %d–%d per zone = %d–%d nodes", name, p.MinSize, p.MaxSize, p.MinSize*zones, p.MaxSize*zones))
	}
	return fmt.Sprintf("node pool sizes are per zone (%d zones): %s", zones, strings.Join(pools, ", "))
}
