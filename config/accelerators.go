package config

import (
	"fmt"
	"slices"
	"strings"

	ekstypes "github.com/aws/aws-sdk-go-v2/service/eks/types"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/config/ipcapacity"
)

// Accelerator kinds, as configuration names them (accelerator.kind) and the
// catalog records which AMIs drive them.
const (
	AcceleratorNVIDIA = catalog.AcceleratorNVIDIA
	AcceleratorNeuron = catalog.AcceleratorNeuron
)

// AcceleratorKinds are the accepted accelerator kinds.
var AcceleratorKinds = []string{AcceleratorNVIDIA, AcceleratorNeuron}

// Labels eksready puts on accelerated nodes. AcceleratorLabel carries the
// kind on every accelerated node (managed, Karpenter, Auto Mode), for
// workloads to select; DevicePluginLabel marks the nodes whose image does
// not run the device plugin itself, which eksready's device-plugin
// DaemonSet selects (AL2023 NVIDIA nodes, every Neuron node outside Auto
// Mode). ClusterAutoscalerGPULabel is cluster-autoscaler's GPU label on
// AWS (cloudprovider/aws GPULabel): a node carrying it is not counted
// ready until its GPUs are advertised, so the autoscaler does not scale
// up twice while the device plugin starts (cluster-autoscaler AWS README,
// "Special note on GPU instances").
const (
	AcceleratorLabel          = "eksready.io/accelerator"
	DevicePluginLabel         = "eksready.io/device-plugin"
	ClusterAutoscalerGPULabel = "k8s.amazonaws.com/accelerator"
)

// AcceleratorResource is the extended resource a kind's device plugin
// advertises, and the key of the taint that keeps other pods off its
// nodes: EKS enables the ExtendedResourceToleration admission plugin
// (EKS user guide, platform-versions), which gives a pod that requests
// nvidia.com/gpu or aws.amazon.com/neuron a toleration for a NoSchedule
// taint of the same key.
func AcceleratorResource(kind string) string {
	switch kind {
	case AcceleratorNVIDIA:
		return "nvidia.com/gpu"
	case AcceleratorNeuron:
		return "aws.amazon.com/neuron"
	}
	return ""
}

// AcceleratorTaint is the NoSchedule taint an accelerated pool gets by
// default, so ordinary pods never land on accelerated nodes.
func AcceleratorTaint(kind string) Taint {
	return Taint{Key: AcceleratorResource(kind), Value: "true", Effect: "NO_SCHEDULE"}
}

// AcceleratorOf returns an instance type's accelerator kind ("" for a type
// without one) and, for an accelerated type no EKS-optimized AMI drives,
// why (kind "" then).
func AcceleratorOf(instanceType string) (kind, undriven string) {
	info, err := ipcapacity.Lookup(instanceType)
	family, _, _ := strings.Cut(instanceType, ".")
	if err == nil {
		family = info.Family
	} else if !Accelerated(instanceType) {
		return "", ""
	}
	if err == nil && !info.Accelerated() {
		return "", ""
	}
	if f, ok := catalog.AcceleratedFamilies[family]; ok {
		return f.Kind, ""
	}
	if why, ok := catalog.UndrivenAccelerators[family]; ok {
		return "", why
	}
	return "", catalog.UnlistedAccelerator
}

// Accelerated reports whether an instance type is built around an
// accelerator (GPU, Inferentia, Trainium, FPGA, Gaudi, video transcoder).
func Accelerated(instanceType string) bool { return ipcapacity.AcceleratedName(instanceType) }

// Accelerator is the pool's accelerator kind: its first instance type's
// (validation guarantees they agree), "" for a pool without one.
func (p NodePool) Accelerator() string {
	if len(p.InstanceTypes) == 0 {
		return ""
	}
	kind, _ := AcceleratorOf(p.InstanceTypes[0])
	return kind
}

// AmiType is the EKS AMI type for the pool's OS, architecture and
// accelerator: the NVIDIA variant of Bottlerocket or AL2023 for NVIDIA
// GPUs; for Inferentia and Trainium the AL2023 Neuron AMI, or the standard
// Bottlerocket variant, which carries the Neuron driver (EKS user guide,
// ml-eks-optimized-ami: "Bottlerocket x86_64 aws-k8s: inf1, inf2, trn1,
// trn2"; no Bottlerocket Neuron AMI type exists in the EKS API).
func (p NodePool) AmiType() string {
	arm, kind := p.Architecture() == Arm, p.Accelerator()
	var t ekstypes.AMITypes
	switch {
	case p.OS == "al2023" && kind == AcceleratorNVIDIA && arm:
		t = ekstypes.AMITypesAl2023Arm64Nvidia
	case p.OS == "al2023" && kind == AcceleratorNVIDIA:
		t = ekstypes.AMITypesAl2023X8664Nvidia
	case p.OS == "al2023" && kind == AcceleratorNeuron:
		t = ekstypes.AMITypesAl2023X8664Neuron
	case p.OS == "al2023" && arm:
		t = ekstypes.AMITypesAl2023Arm64Standard
	case p.OS == "al2023":
		t = ekstypes.AMITypesAl2023X8664Standard
	case kind == AcceleratorNVIDIA && arm:
		t = ekstypes.AMITypesBottlerocketArm64Nvidia
	case kind == AcceleratorNVIDIA:
		t = ekstypes.AMITypesBottlerocketX8664Nvidia
	case arm:
		t = ekstypes.AMITypesBottlerocketArm64
	default:
		t = ekstypes.AMITypesBottlerocketX8664
	}
	return string(t)
}

// DevicePlugin is the device plugin eksready must install for the pool's
// nodes ("nvidia" or "neuron"), or "" when the node image runs it or the
// pool has no accelerator: the EKS-optimized Bottlerocket NVIDIA AMIs ship
// the NVIDIA device plugin; AL2023 NVIDIA AMIs need it installed; every EKS
// AMI with Inferentia or Trainium needs the Neuron device plugin (EKS user
// guide, ml-eks-k8s-device-plugin, Considerations).
func (p NodePool) DevicePlugin() string {
	switch kind := p.Accelerator(); {
	case kind == AcceleratorNVIDIA && p.OS == "bottlerocket":
		return ""
	default:
		return kind
	}
}

// acceleratorTaintOn reports whether a pool gets its accelerator's taint:
// acceleratorTaint (default true for accelerated pools), unless the pool's
// own taints already hold that key, which then stand instead.
func acceleratorTaintOn(kind string, on *bool, own []Taint) bool {
	if kind == "" || (on != nil && !*on) {
		return false
	}
	key := AcceleratorResource(kind)
	return !slices.ContainsFunc(own, func(t Taint) bool { return t.Key == key })
}

// PoolTaints are every taint a managed pool's nodes carry, in order: the
// pod networking mode's startup taints, the accelerator's NoSchedule taint
// (see acceleratorTaintOn), then the pool's own.
func PoolTaints(c Cluster, pool string) []Taint {
	p := c.Nodes[pool]
	out := append([]Taint(nil), NodeStartupTaints(c)...)
	if acceleratorTaintOn(p.Accelerator(), p.AcceleratorTaint, p.Taints) {
		out = append(out, AcceleratorTaint(p.Accelerator()))
	}
	return append(out, p.Taints...)
}

// NodePoolTaints are the taints of a Karpenter or Auto Mode NodePool's
// nodes: the accelerator's NoSchedule taint (see acceleratorTaintOn), then
// the pool's own.
func NodePoolTaints(p KarpenterNodePool) []Taint {
	var out []Taint
	if acceleratorTaintOn(p.Accelerator.Kind, p.AcceleratorTaint, p.Taints) {
		out = append(out, AcceleratorTaint(p.Accelerator.Kind))
	}
	return append(out, p.Taints...)
}

// AcceleratorLabels are the labels eksready puts on a managed pool's nodes
// for its accelerator: AcceleratorLabel, DevicePluginLabel where eksready
// installs the device plugin, and cluster-autoscaler's GPU label on NVIDIA
// nodes ("nvidia-<device>", like the autoscaler's own GPU type names, or
// "nvidia" when the pool's types carry different GPUs).
func AcceleratorLabels(p NodePool) map[string]string {
	kind := p.Accelerator()
	if kind == "" {
		return nil
	}
	labels := map[string]string{AcceleratorLabel: kind}
	if dp := p.DevicePlugin(); dp != "" {
		labels[DevicePluginLabel] = dp
	}
	if kind == AcceleratorNVIDIA {
		labels[ClusterAutoscalerGPULabel] = "nvidia"
		if d := commonDevice(p.InstanceTypes); d != "" {
			labels[ClusterAutoscalerGPULabel] = "nvidia-" + d
		}
	}
	return labels
}

// commonDevice is the accelerator device every type shares, or "".
func commonDevice(types []string) string {
	device := ""
	for i, t := range types {
		info, err := ipcapacity.Lookup(t)
		if err != nil || (i > 0 && info.Accelerator.Device != device) {
			return ""
		}
		device = info.Accelerator.Device
	}
	return device
}

// AcceleratorsPerNode is the fewest accelerator devices any of the pool's
// types has (0 for a fraction of one GPU, g6f), and the fewest NeuronCores.
func AcceleratorsPerNode(types []string) (devices, neuronCores int) {
	for i, t := range types {
		info, err := ipcapacity.Lookup(t)
		if err != nil {
			return 0, 0
		}
		if i == 0 || info.Accelerator.Count < devices {
			devices = info.Accelerator.Count
		}
		if i == 0 || info.Accelerator.NeuronCores < neuronCores {
			neuronCores = info.Accelerator.NeuronCores
		}
	}
	return devices, neuronCores
}

// AcceleratorSummary says in one line what a managed pool's nodes carry
// and who provides the device plugin, for the synth summary.
func AcceleratorSummary(c Cluster, name string) string {
	p := c.Nodes[name]
	kind := p.Accelerator()
	if kind == "" {
		return ""
	}
	devices, cores := AcceleratorsPerNode(p.InstanceTypes)
	what := fmt.Sprintf("%d × %s per node", devices, acceleratorNoun(kind, p.InstanceTypes))
	switch {
	case kind == AcceleratorNVIDIA && devices == 0:
		what = "a fraction of one NVIDIA GPU per node"
	case kind == AcceleratorNeuron:
		what += fmt.Sprintf(" (%d NeuronCores)", cores)
	}
	plugin := "device plugin: the AMI runs it, none installed"
	if dp := p.DevicePlugin(); dp != "" {
		plugin = "device plugin: eksready installs " + DevicePluginRelease(dp)
	}
	taint := "no accelerator taint"
	for _, t := range PoolTaints(c, name) {
		if t.Key == AcceleratorResource(kind) {
			taint = fmt.Sprintf("taint %s=%s:%s", t.Key, t.Value, t.KubernetesEffect())
		}
	}
	return fmt.Sprintf("pool %s: %s, AMI type %s, %s, %s", name, what, p.AmiType(), plugin, taint)
}

func acceleratorNoun(kind string, types []string) string {
	device := commonDevice(types)
	switch {
	case kind == AcceleratorNVIDIA && device != "":
		return "NVIDIA " + strings.ToUpper(device) + " GPU"
	case kind == AcceleratorNVIDIA:
		return "NVIDIA GPU"
	case device != "":
		return "Neuron device (" + device + ")"
	}
	return "Neuron device"
}

// DevicePluginRelease names the Helm release of a kind's device plugin.
func DevicePluginRelease(kind string) string { return kind + "-device-plugin" }

// DevicePluginNeed is a device plugin eksready installs: the pools whose
// nodes need it, and their taints (which it must tolerate).
type DevicePluginNeed struct {
	// Kind is AcceleratorNVIDIA or AcceleratorNeuron.
	Kind string
	// Pools name the pools ("nodes.<name>", "software.karpenter.nodePools.<name>").
	Pools []string
	// Taints are the pools' taints, except startup taints.
	Taints []Taint
}

// DevicePlugins are the device plugins the cluster needs, NVIDIA first:
// for managed pools whose AMI lacks one (DevicePlugin), and for Karpenter
// NodePools of Neuron devices (Karpenter's Bottlerocket NVIDIA nodes run
// the NVIDIA plugin themselves). Auto Mode runs both itself.
func DevicePlugins(c Cluster) []DevicePluginNeed {
	if c.AutoModeOn() {
		return nil
	}
	needs := map[string]*DevicePluginNeed{}
	need := func(kind, pool string, taints []Taint) {
		n := needs[kind]
		if n == nil {
			n = &DevicePluginNeed{Kind: kind}
			needs[kind] = n
		}
		n.Pools = append(n.Pools, pool)
		for _, t := range taints {
			if !slices.Contains(NodeStartupTaints(c), t) {
				n.Taints = append(n.Taints, t)
			}
		}
	}
	for _, name := range sortedKeys(c.Nodes) {
		if dp := c.Nodes[name].DevicePlugin(); dp != "" {
			need(dp, "nodes."+name, PoolTaints(c, name))
		}
	}
	if c.Software.Autoscaling == AutoscalingKarpenter {
		for _, name := range sortedKeys(c.Software.Karpenter.NodePools) {
			if p := c.Software.Karpenter.NodePools[name]; p.Accelerator.Kind == AcceleratorNeuron {
				need(AcceleratorNeuron, "software.karpenter.nodePools."+name, NodePoolTaints(p))
			}
		}
	}
	var out []DevicePluginNeed
	for _, kind := range AcceleratorKinds {
		if n := needs[kind]; n != nil {
			out = append(out, *n)
		}
	}
	return out
}

// AcceleratorLines say, for the synth summary, what every accelerated
// pool's nodes carry, which AMI drives them, who runs the device plugin
// and which taint keeps other pods off.
func AcceleratorLines(c Cluster) []string {
	var out []string
	for _, name := range sortedKeys(c.Nodes) {
		if line := AcceleratorSummary(c, name); line != "" {
			out = append(out, line)
		}
	}
	type dynamic struct {
		what, path string
		pool       KarpenterNodePool
		req        ipcapacity.Requirements
	}
	var pools []dynamic
	if c.Software.Autoscaling == AutoscalingKarpenter && !c.AutoModeOn() {
		for _, name := range sortedKeys(c.Software.Karpenter.NodePools) {
			p := c.Software.Karpenter.NodePools[name]
			pools = append(pools, dynamic{"Karpenter NodePool " + name, "software.karpenter", p, KarpenterRequirements(c, p)})
		}
	}
	for _, name := range sortedKeys(c.Compute.AutoMode.NodePools) {
		p := c.Compute.AutoMode.NodePools[name]
		pools = append(pools, dynamic{"Auto Mode NodePool " + name, "compute.autoMode", KarpenterNodePool(p), AutoModeRequirements(p)})
	}
	for _, d := range pools {
		kind := d.pool.Accelerator.Kind
		if kind == "" {
			continue
		}
		types := ipcapacity.LaunchableTypes(d.req)
		least, most := -1, 0
		for _, t := range types {
			info, _ := ipcapacity.Lookup(t)
			if least < 0 || info.Accelerator.Count < least {
				least = info.Accelerator.Count
			}
			most = max(most, info.Accelerator.Count)
		}
		plugin := "the Bottlerocket NVIDIA variant runs it, none installed"
		switch {
		case c.AutoModeOn():
			plugin = "EKS Auto Mode runs it, none installed"
		case kind == AcceleratorNeuron:
			plugin = "eksready installs " + DevicePluginRelease(kind)
		}
		taint := "no accelerator taint"
		for _, t := range NodePoolTaints(d.pool) {
			if t.Key == AcceleratorResource(kind) {
				taint = fmt.Sprintf("taint %s=%s:%s", t.Key, t.Value, t.KubernetesEffect())
			}
		}
		count := fmt.Sprintf("%d–%d", max(least, 0), most)
		if least == most {
			count = fmt.Sprint(most)
		}
		out = append(out, fmt.Sprintf("%s: %s × %s per node, at most %d in all (%s), families %s, device plugin: %s, %s",
			d.what, count, acceleratorNoun(kind, nil), d.pool.Accelerator.Limit, AcceleratorResource(kind), strings.Join(ipcapacity.Families(types), ", "), plugin, taint))
	}
	return out
}
