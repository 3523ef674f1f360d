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

// CapacitySummary is the synth summary's capacity section: the mode, max
// pods per pool and the planner's table.
func CapacitySummary(c Cluster) []string {
	mode := c.Network.PodNetworking.Mode
	if c.Network.CustomNetworkingOn() && c.Network.PrefixDelegation() {
		mode += " + prefix delegation"
	}
	lines := []string{"pod networking: " + mode}
	var pools []string
	for _, name := range sortedKeys(c.Nodes) {
		if mp, err := MaxPods(c, name); err == nil {
			pools = append(pools, fmt.Sprintf("%s %d", name, mp))
		}
	}
	if c.AutoModeOn() {
		lines[0] = "pod networking: EKS Auto Mode (prefix delegation, at most " + fmt.Sprint(AutoModeMaxPods) + " pods per node)"
		if len(c.Compute.AutoMode.NodePools) > 0 {
			pools = append(pools, "NodePools planned at their cpu limit over the smallest instance type they admit")
		}
		if b := c.Compute.AutoMode.BuiltInNodePools; len(b) > 0 {
			pools = append(pools, "built-in node pools "+strings.Join(b, ", ")+" have no limits and are not planned")
		}
		lines = append(lines, "Auto Mode: "+strings.Join(pools, "; "))
	} else {
		lines = append(lines, "max pods per node: "+strings.Join(pools, ", "))
	}
	rep, err := CapacityReport(c)
	var ce *ipcapacity.CapacityError
	if err != nil && !errors.As(err, &ce) {
		return append(lines, "capacity not planned: "+err.Error())
	}
	table := strings.TrimRight(ipcapacity.RenderTable(rep), "\n")
	return append(lines, strings.Split(table, "\n")...)
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

// otherAddresses is what each private subnet holds besides nodes and pods:
// one address per interface endpoint (an endpoint has an interface in every
// zone's private subnet) and, without intra subnets, the control plane's
// interfaces.
func otherAddresses(n Network) int {
	other := len(n.InterfaceEndpoints())
	if !n.IntraSubnets() {
		other += controlPlaneInterfaces
	}
	return other
}

func capacityInput(c Cluster, l Layout) (ipcapacity.Input, error) {
	in := ipcapacity.Input{CNI: CNI(c)}
	other := otherAddresses(c.Network)
	for _, z := range l.Zones {
		az := ipcapacity.AZ{Name: z.Label, NodeSubnet: ipcapacity.Subnet{Name: "private", CIDR: z.Private, OtherAddresses: other}}
		if c.Network.CustomNetworkingOn() {
			az.PodSubnet = ipcapacity.Subnet{Name: "pod", CIDR: z.Pod}
		}
		in.AZs = append(in.AZs, az)
	}
	for _, name := range sortedKeys(c.Nodes) {
		p := c.Nodes[name]
		mp, err := MaxPods(c, name)
		if err != nil {
			return in, err
		}
		in.NodeGroups = append(in.NodeGroups, ipcapacity.NodeGroup{Name: name, InstanceTypes: p.InstanceTypes, MaxSizePerAZ: p.MaxSize, MaxPods: mp})
	}
	if c.AutoModeOn() {
		for _, name := range sortedKeys(c.Compute.AutoMode.NodePools) {
			g, err := AutoModeNodeGroup(name, c.Compute.AutoMode.NodePools[name], in.CNI)
			if err != nil {
				return in, err
			}
			in.NodeGroups = append(in.NodeGroups, g)
		}
	}
	return in, nil
}

// AutoModeNodeGroup is an EKS Auto Mode NodePool as the IP capacity planner
// sees it. The facts it rests on:
//   - Auto Mode "provisions /28 IPv4 prefixes to the primary network
//     interface" of each node and keeps "a predefined warm pool" (EKS user
//     guide, auto-networking: prefix delegation, which cannot be turned off),
//     so cni is the prefix-delegation CNIConfig with the planner's default
//     warm prefix;
//   - EKS caps every Auto Mode node at 110 pods "after the existing max pods
//     calculation" (create-node-class, Considerations): max pods is the
//     planner's prefix-delegation value, at most AutoModeMaxPods;
//   - the NodePool's cpu limit bounds its nodes: at most the limit divided
//     by the vCPUs of the smallest instance type its requirements admit
//     (category, generation above 4, architecture; from the ENI table) and
//     Auto Mode launches at all ("More than 1 CPU", automode-learn-instances),
//     rounded up since a launch may overshoot the limit once; and nothing
//     keeps those nodes in one zone apart, so every zone is charged all of
//     them.
//
// Built-in node pools have no limits and cannot be planned.
func AutoModeNodeGroup(name string, p AutoModeNodePool, cni ipcapacity.CNIConfig) (ipcapacity.NodeGroup, error) {
	smallest, vcpus := "", 0
	for _, t := range ipcapacity.InstanceTypes() {
		info, err := ipcapacity.Lookup(t)
		if err != nil || info.VCPUs < AutoModeMinVCPUs || !autoModeAdmits(p, t) {
			continue
		}
		if smallest == "" || info.VCPUs < vcpus {
			smallest, vcpus = t, info.VCPUs
		}
	}
	if smallest == "" {
		return ipcapacity.NodeGroup{}, fmt.Errorf("compute.autoMode.nodePools.%s: no instance type in the ENI table matches its requirements", name)
	}
	r, err := ipcapacity.MaxPods(smallest, cni)
	if err != nil {
		return ipcapacity.NodeGroup{}, fmt.Errorf("compute.autoMode.nodePools.%s: %w", name, err)
	}
	return ipcapacity.NodeGroup{
		Name:          "auto-mode/" + name,
		InstanceTypes: []string{smallest},
		MaxSizePerAZ:  (p.CPULimit + vcpus - 1) / vcpus,
		MaxPods:       min(r.MaxPods, AutoModeMaxPods),
	}, nil
}

// autoModeAdmits reports whether an instance type meets the requirements
// eksready writes into an Auto Mode NodePool: one of its categories (the
// family's letters before the generation digit), generation 5 or newer,
// one of its architectures.
func autoModeAdmits(p AutoModeNodePool, instanceType string) bool {
	family, _, _ := strings.Cut(instanceType, ".")
	i := strings.IndexAny(family, "0123456789")
	if i <= 0 {
		return false
	}
	gen := 0
	for _, ch := range family[i:] {
		if ch < '0' || ch > '9' {
			break
		}
		gen = gen*10 + int(ch-'0')
	}
	arch := "amd64"
	if ArchitectureOf(instanceType) == Arm {
		arch = "arm64"
	}
	return gen >= AutoModeMinGeneration && slices.Contains(p.InstanceCategories, family[:i]) && slices.Contains(p.Architectures, arch)
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
		v.missing(path, "too small for the cluster at max scale: %s. %s, or lower the node pools' maxSize", f.Message(), capitalize(hint))
	}
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
