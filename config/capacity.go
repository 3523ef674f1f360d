package config

import (
	"errors"
	"fmt"
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
	lines = append(lines, "max pods per node: "+strings.Join(pools, ", "))
	lines = append(lines, PoolSizes(c))
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
	return in, nil
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
		p := c.Nodes[name]
		pools = append(pools, fmt.Sprintf("%s %d–%d per zone = %d–%d nodes", name, p.MinSize, p.MaxSize, p.MinSize*zones, p.MaxSize*zones))
	}
	return fmt.Sprintf("node pool sizes are per zone (%d zones): %s", zones, strings.Join(pools, ", "))
}
