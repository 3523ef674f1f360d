package ipcapacity

import (
	"fmt"
	"slices"

	"github.com/eksready/eksready/catalog"
)

// Requirements select the instance types a dynamically provisioned pool
// may launch (a Karpenter NodePool, an EKS Auto Mode NodePool), by the
// same instance labels its requirements use. An empty list allows any
// value; every field must hold for a type to be allowed.
type Requirements struct {
	// Categories are instance categories (karpenter.k8s.aws/ or
	// eks.amazonaws.com/instance-category In): "c", "m", "r".
	Categories []string
	// Architectures are kubernetes.io/arch values: "amd64", "arm64".
	Architectures []string
	// Sizes are instance sizes (instance-size In): "large", "2xlarge".
	Sizes []string
	// GenerationAbove is the instance-generation Gt bound; 0 allows all.
	GenerationAbove int
	// MinVCPUs keeps types with at least this many vCPUs (instance-cpu Gt
	// MinVCPUs-1); 0 or 1 allows all.
	MinVCPUs int
	// NitroOnly keeps Nitro-hypervisor types only (instance-hypervisor In
	// [nitro]), which prefix delegation needs.
	NitroOnly bool
	// Accelerator is the accelerator kind every type must carry
	// (catalog.AcceleratorNVIDIA, catalog.AcceleratorNeuron), from a family
	// a Bottlerocket EKS AMI drives (the AMIs Karpenter's bottlerocket
	// alias and EKS Auto Mode launch); "" admits no accelerated type.
	Accelerator string
	// AcceleratorCounts keeps types with one of these accelerator counts
	// (instance-gpu-count, instance-accelerator-count In); empty allows all.
	AcceleratorCounts []int
}

// Allows reports whether the requirements admit the type.
func (r Requirements) Allows(info InstanceInfo) bool {
	in := func(list []string, v string) bool { return len(list) == 0 || slices.Contains(list, v) }
	return in(r.Categories, info.Category) && in(r.Architectures, info.Architecture) &&
		in(r.Sizes, info.Size) && info.Generation > r.GenerationAbove && info.VCPUs >= r.MinVCPUs &&
		(!r.NitroOnly || info.Nitro()) && r.allowsAccelerator(info)
}

func (r Requirements) allowsAccelerator(info InstanceInfo) bool {
	if r.Accelerator == "" {
		return !info.Accelerated()
	}
	f, ok := catalog.AcceleratedFamilies[info.Family]
	return ok && f.Kind == r.Accelerator && f.Bottlerocket &&
		(len(r.AcceleratorCounts) == 0 || slices.Contains(r.AcceleratorCounts, info.Accelerator.Count))
}

// Families lists the instance families of the types, sorted, for an
// instance-family requirement that names exactly what was planned.
func Families(types []string) []string {
	var out []string
	for _, t := range types {
		if info, err := Lookup(t); err == nil && !slices.Contains(out, info.Family) {
			out = append(out, info.Family)
		}
	}
	slices.Sort(out)
	return out
}

// LaunchableTypes returns the names of every type of the embedded table the
// requirements admit, sorted.
func LaunchableTypes(r Requirements) []string {
	var out []string
	for _, name := range InstanceTypes() {
		if info, err := Lookup(name); err == nil && r.Allows(info) {
			out = append(out, name)
		}
	}
	return out
}

// DynamicPool is a pool of nodes launched on demand from a set of instance
// types and bounded by a total vCPU limit, not a node count: a Karpenter
// NodePool (spec.limits.cpu) or an EKS Auto Mode NodePool.
type DynamicPool struct {
	// Name identifies the pool in messages and reports.
	Name string
	// Requirements select the types it may launch.
	Requirements Requirements
	// CPULimit is the pool's total vCPU limit; it must be at least 1.
	CPULimit int
	// NodeLimit, when above 0, also caps the node count.
	NodeLimit int
	// MaxPods is the kubelet max pods its nodes get (a Karpenter
	// EC2NodeClass's spec.kubelet.maxPods); 0 means each type's own
	// MaxPods, as with NodeGroup.MaxPods.
	MaxPods int
}

// DynamicPoolBound is what a DynamicPool can grow to.
type DynamicPoolBound struct {
	// Types are the launchable types, sorted.
	Types []string
	// Smallest is the launchable type with the fewest vCPUs (the first by
	// name on ties): the one that makes the most nodes out of the limit.
	Smallest InstanceInfo
	// Nodes is the most nodes the pool can hold: ceil(CPULimit / Smallest's
	// vCPUs), since the provisioner launches while the pool is under its
	// limit, so the last node may cross it; lowered to NodeLimit when set.
	// Every one of them may land in the same zone.
	Nodes int
	// MinMaxPods is the lowest MaxPods among the launchable types under the
	// CNI configuration: the largest single kubelet max-pods value that no
	// type of the pool's nodes would over-admit.
	MinMaxPods int
}

// BoundDynamicPool computes the node bound of a dynamic pool and the
// lowest max-pods among its types. The error wraps ErrInvalidInput for a
// malformed pool or requirements that admit no type.
func BoundDynamicPool(p DynamicPool, cni CNIConfig) (DynamicPoolBound, error) {
	if p.CPULimit < 1 || p.NodeLimit < 0 || p.MaxPods < 0 || p.MaxPods > MaxPlannedNodes {
		return DynamicPoolBound{}, fmt.Errorf("%w: pool %q: CPULimit must be at least 1 and NodeLimit, MaxPods not negative", ErrInvalidInput, p.Name)
	}
	b := DynamicPoolBound{Types: LaunchableTypes(p.Requirements)}
	if len(b.Types) == 0 {
		return DynamicPoolBound{}, fmt.Errorf("%w: pool %q: its requirements admit no instance type", ErrInvalidInput, p.Name)
	}
	for i, name := range b.Types {
		info, _ := Lookup(name)
		r, err := MaxPods(name, cni)
		if err != nil {
			return DynamicPoolBound{}, fmt.Errorf("pool %q: %w", p.Name, err)
		}
		if i == 0 || vcpus(info) < vcpus(b.Smallest) {
			b.Smallest = info
		}
		if i == 0 || r.MaxPods < b.MinMaxPods {
			b.MinMaxPods = r.MaxPods
		}
	}
	b.Nodes = ceilDiv(p.CPULimit, vcpus(b.Smallest))
	if p.NodeLimit > 0 {
		b.Nodes = min(b.Nodes, p.NodeLimit)
	}
	// Beyond MaxPlannedNodes no subnet could hold the pool anyway; the
	// cap keeps Plan's arithmetic in range and its verdict a failure.
	b.Nodes = min(b.Nodes, MaxPlannedNodes)
	return b, nil
}

// vcpus counts an unknown vCPU count as 1, the most nodes a limit allows.
func vcpus(info InstanceInfo) int { return max(info.VCPUs, 1) }

// NodeGroup is the pool as Plan sees it: every launchable type, and the
// whole node bound in every zone, since a dynamic provisioner may put all
// its nodes in one zone of the subnets it discovers.
func (b DynamicPoolBound) NodeGroup(p DynamicPool) NodeGroup {
	return NodeGroup{Name: p.Name, InstanceTypes: b.Types, MaxSizePerAZ: b.Nodes, MaxPods: p.MaxPods}
}
