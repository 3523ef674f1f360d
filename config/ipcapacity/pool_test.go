package ipcapacity

import (
	"errors"
	"slices"
	"testing"
)

// The default Karpenter NodePool's requirements (c, m, r; amd64;
// generation > 2) with prefix delegation, which keeps Nitro types only.
var karpenterDefault = Requirements{Categories: []string{"c", "m", "r"}, Architectures: []string{"amd64"}, GenerationAbove: 2, NitroOnly: true}

func TestBoundDynamicPool(t *testing.T) {
	pd := CNIConfig{Mode: ModePrefixDelegation}
	b, err := BoundDynamicPool(DynamicPool{Name: "general", Requirements: karpenterDefault, CPULimit: 100}, pd)
	if err != nil {
		t.Fatal(err)
	}
	// c7a.medium, m7a.medium, r7a.medium have 1 vCPU: 100 / 1 = 100 nodes.
	// c7a.medium: 2 ENIs × 3 prefix slots × 16 + 2 = 98 pods, the lowest.
	if b.Smallest.InstanceType != "c7a.medium" || b.Nodes != 100 || b.MinMaxPods != 98 {
		t.Errorf("bound = smallest %s, %d nodes, min max pods %d; want c7a.medium, 100, 98", b.Smallest.InstanceType, b.Nodes, b.MinMaxPods)
	}
	for _, name := range b.Types {
		info, _ := Lookup(name)
		if !slices.Contains([]string{"c", "m", "r"}, info.Category) || info.Architecture != "amd64" || info.Generation <= 2 || !info.Nitro() {
			t.Errorf("%s admitted: %+v", name, info)
		}
	}
	for _, excluded := range []string{"m4.large", "c3.large", "c6g.large", "t3.large", "m5.metal", "x2iedn.xlarge"} {
		if slices.Contains(b.Types, excluded) {
			t.Errorf("%s should not be launchable", excluded)
		}
	}

	// Sizes from large up: the smallest has 2 vCPUs; a limit of 101 can end
	// 1 vCPU over, so 51 nodes. Every large type takes 110 pods.
	sized := karpenterDefault
	sized.Sizes = []string{"large", "xlarge", "2xlarge"}
	b, err = BoundDynamicPool(DynamicPool{Name: "sized", Requirements: sized, CPULimit: 101}, pd)
	if err != nil || b.Smallest.VCPUs != 2 || b.Nodes != 51 || b.MinMaxPods != 110 {
		t.Errorf("sized bound = %+v, %v; want 2 vCPUs smallest, 51 nodes, 110 pods", b.Smallest, err)
	}
	// A node limit below the CPU bound wins.
	b, _ = BoundDynamicPool(DynamicPool{Name: "capped", Requirements: sized, CPULimit: 101, NodeLimit: 7}, pd)
	if b.Nodes != 7 {
		t.Errorf("node limit: %d nodes, want 7", b.Nodes)
	}
	// A limit no subnet could ever hold is capped for the arithmetic.
	b, _ = BoundDynamicPool(DynamicPool{Name: "huge", Requirements: karpenterDefault, CPULimit: 1<<63 - 1}, pd)
	if b.Nodes != MaxPlannedNodes {
		t.Errorf("huge limit: %d nodes, want %d", b.Nodes, MaxPlannedNodes)
	}

	// As a node group: every type, the whole bound in every zone, the
	// kubelet max pods given.
	p := DynamicPool{Name: "general", Requirements: karpenterDefault, CPULimit: 8, MaxPods: 98}
	b, _ = BoundDynamicPool(p, pd)
	g := b.NodeGroup(p)
	if g.Name != "general" || g.MaxSizePerAZ != 8 || g.MaxPods != 98 || len(g.InstanceTypes) != len(b.Types) || len(g.AZs) != 0 {
		t.Errorf("node group = %+v", g)
	}
}

func TestBoundDynamicPoolErrors(t *testing.T) {
	for _, p := range []DynamicPool{
		{Name: "zero", Requirements: karpenterDefault},
		{Name: "negative", Requirements: karpenterDefault, CPULimit: 4, NodeLimit: -1},
		{Name: "none", Requirements: Requirements{Categories: []string{"zz"}}, CPULimit: 4},
	} {
		if _, err := BoundDynamicPool(p, CNIConfig{}); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: error %v, want ErrInvalidInput", p.Name, err)
		}
	}
	// IPv6 needs Nitro: a pool that may launch xen types cannot be planned.
	_, err := BoundDynamicPool(DynamicPool{Name: "xen", Requirements: Requirements{Categories: []string{"m"}, Sizes: []string{"large"}}, CPULimit: 4}, CNIConfig{Mode: ModeIPv6})
	if !errors.Is(err, ErrUnsupported) {
		t.Errorf("xen under IPv6: %v, want ErrUnsupported", err)
	}
}

// A Karpenter pool planned in a /19 prefix-delegation subnet: 100 nodes at
// 98 pods in one zone: 96 pod IPs → 6 prefixes + 1 warm = 7 per node (a
// type with room for them), 700 blocks, more than the 510 a /19 has.
func TestPlanDynamicPoolExhaustsSubnet(t *testing.T) {
	pd := CNIConfig{Mode: ModePrefixDelegation}
	p := DynamicPool{Name: "general", Requirements: karpenterDefault, CPULimit: 100, MaxPods: 98}
	b, err := BoundDynamicPool(p, pd)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Plan(Input{CNI: pd, AZs: []AZ{{Name: "a", NodeSubnet: Subnet{CIDR: "10.0.0.0/19"}}}, NodeGroups: []NodeGroup{b.NodeGroup(p)}})
	var ce *CapacityError
	if !errors.As(err, &ce) {
		t.Fatalf("Plan error = %v, want *CapacityError", err)
	}
	f := ce.Failures[0]
	if f.Prefixes != 700 || f.Usable != 510*16 || f.Groups[0].Nodes != 100 || f.Groups[0].PodsPerNode != 98 {
		t.Errorf("failure = %+v", f)
	}
}
