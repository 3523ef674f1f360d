package ipcapacity

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func groups(n, size int, types ...string) []NodeGroup {
	out := make([]NodeGroup, n)
	for i := range out {
		out[i] = NodeGroup{Name: string(rune('a' + i)), InstanceTypes: types, MaxSizePerAZ: size}
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.005 }

// The example the product must reject: a /24 private subnet with 3 × 20
// m5.large nodes in ENI mode.
func TestPlanRejectsSlash24WithSixtyM5Large(t *testing.T) {
	in := Input{
		AZs:        []AZ{{Name: "ap-south-1a", NodeSubnet: Subnet{Name: "private", CIDR: "10.0.1.0/24"}}},
		NodeGroups: groups(3, 20, "m5.large"),
	}
	rep, err := Plan(in)
	var ce *CapacityError
	if !errors.As(err, &ce) {
		t.Fatalf("Plan error = %v, want *CapacityError", err)
	}
	// m5.large at 29 pods has 27 pod IPs: ceil(27/9) = 3 ENIs + 1 warm ENI,
	// capped at the 3 the type has; each ENI holds all 10 of its addresses.
	// Need = 3 groups × 20 nodes × 30 = 1,800; usable = 256 - 5 = 251;
	// headroom = (251 - 1800) / 251 = -617.13 %.
	s := rep.Subnets[0]
	if s.Usable != 251 || s.Need != 1800 || s.Fits || !near(s.HeadroomPercent, -617.13) {
		t.Errorf("got usable %d need %d fits %v headroom %.2f", s.Usable, s.Need, s.Fits, s.HeadroomPercent)
	}
	want := "ap-south-1a: private subnet 10.0.1.0/24 holds 251 usable addresses but 3 node groups at max scale need 1,800 (" +
		"a: 20 × m5.large ENI mode: 3 ENIs × 10 addresses = 30 each = 600; " +
		"b: 20 × m5.large ENI mode: 3 ENIs × 10 addresses = 30 each = 600; " +
		"c: 20 × m5.large ENI mode: 3 ENIs × 10 addresses = 30 each = 600)"
	if err.Error() != want {
		t.Errorf("error message:\n got %s\nwant %s", err.Error(), want)
	}
	if rep.Fits() || len(rep.Failures()) != 1 {
		t.Error("report should have exactly one failure")
	}
}

func TestPlanFitsAndListsEveryFailingAZ(t *testing.T) {
	in := Input{
		// Given out of order: the report sorts by zone name.
		AZs: []AZ{
			{Name: "eu-west-1c", NodeSubnet: Subnet{PrefixLen: 21}},
			{Name: "eu-west-1a", NodeSubnet: Subnet{CIDR: "10.0.16.0/20"}},
			{Name: "eu-west-1b", NodeSubnet: Subnet{CIDR: "10.0.1.0/24"}},
			{Name: "eu-west-1d", NodeSubnet: Subnet{PrefixLen: 22}},
		},
		NodeGroups: groups(2, 20, "m5.large"),
	}
	rep, err := Plan(in)
	var ce *CapacityError
	if !errors.As(err, &ce) {
		t.Fatalf("Plan error = %v, want *CapacityError", err)
	}
	// Need everywhere: 2 groups × 20 nodes × 30 addresses = 1,200.
	// a: /20 = 4,096 - 5 = 4,091 usable; headroom 2,891 / 4,091 = 70.67 %.
	// b: /24 = 251 usable; headroom (251 - 1,200) / 251 = -378.09 %.
	// c: /21 = 2,043 usable; headroom 843 / 2,043 = 41.26 %.
	// d: /22 = 1,019 usable; headroom -181 / 1,019 = -17.76 %.
	want := []struct {
		az       string
		usable   int
		headroom float64
		fits     bool
	}{
		{"eu-west-1a", 4091, 70.67, true},
		{"eu-west-1b", 251, -378.09, false},
		{"eu-west-1c", 2043, 41.26, true},
		{"eu-west-1d", 1019, -17.76, false},
	}
	if len(rep.Subnets) != len(want) {
		t.Fatalf("got %d subnets, want %d", len(rep.Subnets), len(want))
	}
	for i, w := range want {
		s := rep.Subnets[i]
		if s.AZ != w.az || s.Usable != w.usable || s.Need != 1200 || s.Fits != w.fits || !near(s.HeadroomPercent, w.headroom) {
			t.Errorf("subnet %d = %s usable %d need %d fits %v headroom %.2f, want %+v", i, s.AZ, s.Usable, s.Need, s.Fits, s.HeadroomPercent, w)
		}
	}
	if len(ce.Failures) != 2 || ce.Failures[0].AZ != "eu-west-1b" || ce.Failures[1].AZ != "eu-west-1d" {
		t.Errorf("failures = %+v", ce.Failures)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "eu-west-1b: node subnet 10.0.1.0/24 holds 251 usable addresses but 2 node groups") ||
		!strings.HasPrefix(lines[1], "eu-west-1d: node subnet /22 holds 1,019 usable addresses but") {
		t.Errorf("error lines = %q", lines)
	}

	// Dropping the two small zones makes the plan fit.
	in.AZs = []AZ{in.AZs[0], in.AZs[1]}
	rep, err = Plan(in)
	if err != nil || !rep.Fits() {
		t.Fatalf("Plan = %v, want fit", err)
	}
	if got := rep.Subnets[0].Message(); !strings.Contains(got, "holds 4,091 usable addresses and 2 node groups at max scale need 1,200") {
		t.Errorf("fit message = %q", got)
	}
}

func TestPlanWorstCaseAcrossInstanceTypes(t *testing.T) {
	in := Input{
		AZs:        []AZ{{Name: "a", NodeSubnet: Subnet{CIDR: "10.0.0.0/22"}}},
		NodeGroups: []NodeGroup{{Name: "mixed", InstanceTypes: []string{"t3.medium", "m5.xlarge", "m5.large"}, MaxSizePerAZ: 10}},
	}
	rep, err := Plan(in)
	if err != nil {
		t.Fatal(err)
	}
	// Per node at max pods: t3.medium 3 ENIs × 6 = 18, m5.xlarge 4 × 15 = 60,
	// m5.large 3 × 10 = 30. Every node is charged as m5.xlarge: 10 × 60 = 600.
	// The kubelet max pods of the group is the smallest: t3.medium's 17.
	g := rep.Subnets[0].Groups[0]
	if g.InstanceType != "m5.xlarge" || g.AddressesPerNode != 60 || g.Addresses != 600 || g.PodsPerNode != 17 {
		t.Errorf("group usage = %+v", g)
	}
	if rep.Subnets[0].Need != 600 {
		t.Errorf("need = %d, want 600", rep.Subnets[0].Need)
	}
}

func TestPlanWarmTargets(t *testing.T) {
	// 10 × m5.xlarge (4 ENIs × 15 addresses, 14 pod slots per ENI) with the
	// kubelet capped at 20 pods: 18 pod IPs per node.
	base := NodeGroup{Name: "web", InstanceTypes: []string{"m5.xlarge"}, MaxSizePerAZ: 10, MaxPods: 20}
	tests := []struct {
		name    string
		cni     CNIConfig
		perNode int
	}{
		// WARM_ENI_TARGET=1 (default): ceil(18/14) = 2 ENIs + 1 warm = 3 × 15 = 45.
		{"default warm ENI", CNIConfig{}, 45},
		// WARM_ENI_TARGET=2: 2 + 2 = 4 ENIs × 15 = 60.
		{"warm ENI 2", CNIConfig{WarmENITarget: 2}, 60},
		// WARM_ENI_TARGET=5: capped at the 4 ENIs of the type = 60.
		{"warm ENI above limit", CNIConfig{WarmENITarget: 5}, 60},
		// WARM_IP_TARGET=2 replaces WARM_ENI_TARGET: 20 secondaries on
		// ceil(20/14) = 2 ENIs + 2 primaries = 22.
		{"warm IP 2", CNIConfig{WarmIPTarget: 2}, 22},
		// MINIMUM_IP_TARGET=30 wins over 18 + 2: 30 secondaries on 3 ENIs + 3 = 33.
		{"minimum IP 30", CNIConfig{WarmIPTarget: 2, MinimumIPTarget: 30}, 33},
		// MINIMUM_IP_TARGET=100 is capped at 4 × 14 = 56 secondaries + 4 = 60.
		{"minimum IP above limit", CNIConfig{MinimumIPTarget: 100}, 60},
	}
	for _, tc := range tests {
		rep, err := Plan(Input{CNI: tc.cni, AZs: []AZ{{Name: "a", NodeSubnet: Subnet{CIDR: "10.0.0.0/22"}}}, NodeGroups: []NodeGroup{base}})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		g := rep.Subnets[0].Groups[0]
		if g.AddressesPerNode != tc.perNode || rep.Subnets[0].Need != 10*tc.perNode {
			t.Errorf("%s: per node %d need %d, want %d and %d (%s)", tc.name, g.AddressesPerNode, rep.Subnets[0].Need, tc.perNode, 10*tc.perNode, g.Detail)
		}
		if g.PodsPerNode != 20 {
			t.Errorf("%s: PodsPerNode = %d, want the explicit 20", tc.name, g.PodsPerNode)
		}
	}

	// At full density (58 pods = 56 pod IPs) every ENI is already full, so
	// no warm setting can add anything: 4 × 15 = 60 in every case.
	for _, cni := range []CNIConfig{{}, {WarmENITarget: 3}, {WarmIPTarget: 10}} {
		full := base
		full.MaxPods = 0
		rep, err := Plan(Input{CNI: cni, AZs: []AZ{{Name: "a", NodeSubnet: Subnet{PrefixLen: 22}}}, NodeGroups: []NodeGroup{full}})
		if err != nil {
			t.Fatal(err)
		}
		if g := rep.Subnets[0].Groups[0]; g.AddressesPerNode != 60 {
			t.Errorf("%+v at full density: %d addresses per node, want 60", cni, g.AddressesPerNode)
		}
	}
}

func TestPlanCustomNetworkingUsesPodSubnet(t *testing.T) {
	in := Input{
		CNI: CNIConfig{Mode: ModeCustomNetworking},
		AZs: []AZ{{
			Name:       "us-east-1a",
			NodeSubnet: Subnet{Name: "private", CIDR: "10.0.1.0/24"},
			PodSubnet:  Subnet{CIDR: "100.64.0.0/19"},
		}},
		NodeGroups: groups(1, 30, "m5.large"),
	}
	rep, err := Plan(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Subnets) != 2 {
		t.Fatalf("got %d subnets, want node and pod", len(rep.Subnets))
	}
	node, pod := rep.Subnets[0], rep.Subnets[1]
	// Node subnet: only each node's primary address, 30 × 1 = 30;
	// headroom (251 - 30) / 251 = 88.05 %.
	if node.Role != RoleNode || node.Need != 30 || !near(node.HeadroomPercent, 88.05) {
		t.Errorf("node subnet = %+v", node)
	}
	// Pod subnet: m5.large custom-networking max pods 20, 18 pod IPs on the
	// 2 secondary ENIs: ceil(18/9) = 2 + 1 warm, capped at 2 ENIs × 10 = 20
	// per node; 30 × 20 = 600. /19 = 8,192 - 5 = 8,187 usable; headroom
	// 7,587 / 8,187 = 92.67 %.
	if pod.Role != RolePod || pod.Name != "pod" || pod.Usable != 8187 || pod.Need != 600 || !near(pod.HeadroomPercent, 92.67) {
		t.Errorf("pod subnet = %+v", pod)
	}
	if g := pod.Groups[0]; g.PodsPerNode != 20 || g.AddressesPerNode != 20 {
		t.Errorf("pod subnet group = %+v", g)
	}

	// A pod subnet too small fails on its own line.
	in.AZs[0].PodSubnet = Subnet{CIDR: "100.64.0.0/26"}
	_, err = Plan(in)
	var ce *CapacityError
	if !errors.As(err, &ce) || len(ce.Failures) != 1 || ce.Failures[0].Role != RolePod ||
		!strings.HasPrefix(err.Error(), "us-east-1a: pod subnet 100.64.0.0/26 holds 59 usable addresses but 1 node group at max scale need 600 (a: 30 × m5.large custom networking: 2 ENIs × 10 addresses = 20 each = 600)") {
		t.Errorf("error = %v", err)
	}

	// Custom networking without a pod subnet, or a pod subnet without it, is
	// a configuration mistake.
	in.AZs[0].PodSubnet = Subnet{}
	if _, err := Plan(in); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("missing pod subnet: %v", err)
	}
	in.CNI = CNIConfig{}
	in.AZs[0].PodSubnet = Subnet{PrefixLen: 19}
	if _, err := Plan(in); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("pod subnet in ENI mode: %v", err)
	}
}

func TestPlanCustomNetworkingWithPrefixDelegation(t *testing.T) {
	rep, err := Plan(Input{
		CNI:        CNIConfig{Mode: ModeCustomNetworking, PrefixDelegation: true},
		AZs:        []AZ{{Name: "a", NodeSubnet: Subnet{PrefixLen: 24}, PodSubnet: Subnet{PrefixLen: 20}}},
		NodeGroups: groups(1, 10, "m5.large"),
	})
	if err != nil {
		t.Fatal(err)
	}
	// Pods: 110 (290 capped), 108 pod IPs: ceil(108/16) = 7 + 1 warm = 8
	// prefixes on the secondary ENIs (9 slots each): 1 ENI primary. Per node
	// 8 × 16 + 1 = 129. Pod subnet in /28 blocks, without a prefix
	// reservation: 80 prefixes + 10 single addresses charged a block each =
	// 90 blocks = 1,440; usable /20: 256 - 2 = 254 blocks = 4,064.
	node, pod := rep.Subnets[0], rep.Subnets[1]
	if node.PrefixBlocks || node.Need != 10 || node.Usable != 251 {
		t.Errorf("node subnet = %+v", node)
	}
	if !pod.PrefixBlocks || !pod.WorstCase || pod.Usable != 4064 || pod.Need != 1440 || pod.Groups[0].AddressesPerNode != 129 || pod.Groups[0].PrefixesPerNode != 8 {
		t.Errorf("pod subnet = %+v", pod)
	}
}

func TestPlanPrefixDelegationBlocks(t *testing.T) {
	in := Input{
		CNI:        CNIConfig{Mode: ModePrefixDelegation},
		AZs:        []AZ{{Name: "a", NodeSubnet: Subnet{CIDR: "10.0.16.0/20"}}},
		NodeGroups: groups(1, 20, "m5.large"),
	}
	rep, err := Plan(in)
	if err != nil {
		t.Fatal(err)
	}
	// m5.large: 110 pods, 108 pod IPs: ceil(108/16) = 7 prefixes + 1 warm =
	// 8, all on the primary ENI (9 slots): 8 × 16 + 1 primary = 129 per node.
	// 20 nodes: 160 prefix blocks, and with no prefix reservation each of
	// the 20 primaries may sit in a /28 of its own: 180 blocks = 2,880
	// addresses. /20 = 256 blocks - 2 holding reserved addresses = 254
	// blocks = 4,064; headroom 1,184 / 4,064 = 29.13 %.
	s := rep.Subnets[0]
	if !s.PrefixBlocks || !s.WorstCase || s.Usable != 4064 || s.Need != 2880 || s.Prefixes != 160 || s.Individual != 20 || !near(s.HeadroomPercent, 29.13) {
		t.Errorf("subnet = %+v", s)
	}
	g := s.Groups[0]
	if g.PrefixesPerNode != 8 || g.AddressesPerNode != 129 || g.Detail != "8 /28 prefixes + 1 ENI primary IP = 129 each" {
		t.Errorf("group = %+v", g)
	}

	// The same group in a /24: 16 blocks - 2 = 14 usable blocks.
	in.AZs[0].NodeSubnet = Subnet{CIDR: "10.0.2.0/24"}
	_, err = Plan(in)
	want := "a: node subnet 10.0.2.0/24 holds 14 free /28 blocks (224 addresses) but 1 node group at max scale need 180 blocks (2,880 addresses) (a: 20 × m5.large prefix delegation: 8 /28 prefixes + 1 ENI primary IP = 129 each = 2,580; no prefix reservation: each of the 20 single addresses is charged a /28 block)"
	if err == nil || err.Error() != want {
		t.Errorf("error:\n got %v\nwant %s", err, want)
	}

	// A /28 has no block free of reserved addresses.
	in.AZs[0].NodeSubnet = Subnet{PrefixLen: 28}
	rep, _ = Plan(in)
	if s := rep.Subnets[0]; s.Usable != 0 || s.Fits || s.HeadroomPercent != -100 {
		t.Errorf("/28 subnet = %+v", s)
	}
}

// TestPlanPrefixWarmTargets reproduces the t3.small rows of the table in
// aws/amazon-vpc-cni-k8s docs/prefix-and-ip-target.md (3 ENIs, 3 prefix
// slots each): pods there are pod IPs, so MaxPods is set to pods + 2.
func TestPlanPrefixWarmTargets(t *testing.T) {
	tests := []struct {
		cni      CNIConfig
		podIPs   int
		prefixes int
		enis     int
	}{
		{CNIConfig{Mode: ModePrefixDelegation}, 0, 1, 1},
		{CNIConfig{Mode: ModePrefixDelegation}, 5, 2, 1},
		{CNIConfig{Mode: ModePrefixDelegation}, 16, 2, 1},
		{CNIConfig{Mode: ModePrefixDelegation}, 17, 3, 1},
		{CNIConfig{Mode: ModePrefixDelegation}, 58, 5, 2},
		{CNIConfig{Mode: ModePrefixDelegation, WarmIPTarget: 1, MinimumIPTarget: 1}, 5, 1, 1},
		{CNIConfig{Mode: ModePrefixDelegation, WarmIPTarget: 1, MinimumIPTarget: 1}, 17, 2, 1},
		{CNIConfig{Mode: ModePrefixDelegation, WarmIPTarget: 1, MinimumIPTarget: 1}, 58, 4, 2},
		{CNIConfig{Mode: ModePrefixDelegation, WarmIPTarget: 7, MinimumIPTarget: 20}, 5, 2, 1},
		{CNIConfig{Mode: ModePrefixDelegation, WarmIPTarget: 7, MinimumIPTarget: 20}, 17, 2, 1},
		{CNIConfig{Mode: ModePrefixDelegation, WarmIPTarget: 7, MinimumIPTarget: 20}, 58, 5, 2},
	}
	for _, tc := range tests {
		rep, err := Plan(Input{
			CNI:        tc.cni,
			AZs:        []AZ{{Name: "a", NodeSubnet: Subnet{PrefixLen: 24}}},
			NodeGroups: []NodeGroup{{Name: "g", InstanceTypes: []string{"t3.small"}, MaxSizePerAZ: 1, MaxPods: tc.podIPs + 2}},
		})
		if err != nil {
			t.Fatal(err)
		}
		g := rep.Subnets[0].Groups[0]
		if g.PrefixesPerNode != tc.prefixes || g.AddressesPerNode != tc.prefixes*16+tc.enis {
			t.Errorf("%+v with %d pod IPs: %d prefixes, %d addresses; want %d prefixes on %d ENIs", tc.cni, tc.podIPs, g.PrefixesPerNode, g.AddressesPerNode, tc.prefixes, tc.enis)
		}
	}
}

func TestPlanPrefixDelegationFallbacks(t *testing.T) {
	rep, err := Plan(Input{
		CNI: CNIConfig{Mode: ModePrefixDelegation},
		AZs: []AZ{{Name: "a", NodeSubnet: Subnet{PrefixLen: 20}}},
		NodeGroups: []NodeGroup{
			{Name: "xen", InstanceTypes: []string{"t2.medium"}, MaxSizePerAZ: 10},
			{Name: "metal", InstanceTypes: []string{"m5.metal"}, MaxSizePerAZ: 2},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	xen, metal := rep.Subnets[0].Groups[0], rep.Subnets[0].Groups[1]
	// t2.medium is xen: secondary IPs. 17 pods, 15 pod IPs: ceil(15/5) = 3 + 1
	// warm, capped at 3 ENIs × 6 = 18 per node, no prefixes.
	if xen.PrefixesPerNode != 0 || xen.AddressesPerNode != 18 || xen.Allocation != "prefix delegation (not Nitro: secondary IPs)" {
		t.Errorf("xen group = %+v", xen)
	}
	// m5.metal: the calculator gives 250 (737 capped, secondary formula), but
	// the VPC CNI does assign prefixes on bare metal: 248 pod IPs →
	// ceil(248/16) = 16 + 1 warm = 17 prefixes, 1 ENI: 17 × 16 + 1 = 273.
	if metal.PodsPerNode != 250 || metal.PrefixesPerNode != 17 || metal.AddressesPerNode != 273 {
		t.Errorf("metal group = %+v", metal)
	}
	// Blocks: prefixes 2 × 17 = 34; individual 10 × 18 + 2 × 1 = 182, each
	// charged a block without a reservation: 216 blocks = 3,456 addresses.
	if rep.Subnets[0].Need != 3456 {
		t.Errorf("need = %d, want 3456", rep.Subnets[0].Need)
	}
}

func TestPlanIPv6AndOtherCNI(t *testing.T) {
	for _, mode := range []Mode{ModeIPv6, ModeOtherCNI} {
		rep, err := Plan(Input{
			CNI:        CNIConfig{Mode: mode},
			AZs:        []AZ{{Name: "a", NodeSubnet: Subnet{CIDR: "10.0.0.0/24", OtherAddresses: 20}}},
			NodeGroups: groups(2, 50, "m5.large"),
		})
		if err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		// One IPv4 address per node: 2 × 50 = 100, plus 20 other addresses =
		// 120; headroom (251 - 120) / 251 = 52.19 %.
		s := rep.Subnets[0]
		if s.Need != 120 || !near(s.HeadroomPercent, 52.19) || s.Groups[0].PodsPerNode != 110 {
			t.Errorf("%s: subnet = %+v", mode, s)
		}
	}
	_, err := Plan(Input{CNI: CNIConfig{Mode: ModeIPv6}, AZs: []AZ{{Name: "a", NodeSubnet: Subnet{PrefixLen: 24}}}, NodeGroups: groups(1, 1, "t2.medium")})
	if !errors.Is(err, ErrUnsupported) {
		t.Errorf("IPv6 on xen: %v", err)
	}
}

func TestPlanGroupZonesAndOtherAddresses(t *testing.T) {
	rep, err := Plan(Input{
		AZs: []AZ{
			{Name: "a", NodeSubnet: Subnet{PrefixLen: 24, OtherAddresses: 10}},
			{Name: "b", NodeSubnet: Subnet{PrefixLen: 24}},
		},
		NodeGroups: []NodeGroup{
			{Name: "everywhere", InstanceTypes: []string{"t3.medium"}, MaxSizePerAZ: 5},
			{Name: "only-b", InstanceTypes: []string{"t3.medium"}, MaxSizePerAZ: 4, AZs: []string{"b"}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	// t3.medium at 17 pods: 3 ENIs × 6 = 18 per node.
	// a: 5 × 18 + 10 other = 100. b: (5 + 4) × 18 = 162.
	a, b := rep.Subnets[0], rep.Subnets[1]
	if a.Need != 100 || len(a.Groups) != 1 || b.Need != 162 || len(b.Groups) != 2 {
		t.Errorf("a = %+v\nb = %+v", a, b)
	}
}

func TestPlanInputErrors(t *testing.T) {
	ok := AZ{Name: "a", NodeSubnet: Subnet{PrefixLen: 24}}
	g := NodeGroup{Name: "g", InstanceTypes: []string{"m5.large"}, MaxSizePerAZ: 1}
	tests := []struct {
		name string
		in   Input
		want error
		msg  string
	}{
		{"unknown instance type", Input{AZs: []AZ{ok}, NodeGroups: []NodeGroup{{Name: "web", InstanceTypes: []string{"m5.large", "m5.huge"}, MaxSizePerAZ: 3}}}, ErrUnknownInstanceType, `node group "web": unknown EC2 instance type "m5.huge"`},
		{"no zones", Input{NodeGroups: []NodeGroup{g}}, ErrInvalidInput, "no availability zones"},
		{"host bits", Input{AZs: []AZ{{Name: "a", NodeSubnet: Subnet{CIDR: "10.0.1.5/24"}}}}, ErrInvalidInput, "did you mean 10.0.1.0/24?"},
		{"too large", Input{AZs: []AZ{{Name: "a", NodeSubnet: Subnet{CIDR: "10.0.0.0/12"}}}}, ErrInvalidInput, "outside the /16 to /28 range"},
		{"too small", Input{AZs: []AZ{{Name: "a", NodeSubnet: Subnet{PrefixLen: 29}}}}, ErrInvalidInput, "outside the /16 to /28 range"},
		{"ipv6 cidr", Input{AZs: []AZ{{Name: "a", NodeSubnet: Subnet{CIDR: "2001:db8::/64"}}}}, ErrInvalidInput, "not IPv4"},
		{"garbage cidr", Input{AZs: []AZ{{Name: "a", NodeSubnet: Subnet{CIDR: "10.0.0/24"}}}}, ErrInvalidInput, "CIDR"},
		{"cidr and length disagree", Input{AZs: []AZ{{Name: "a", NodeSubnet: Subnet{CIDR: "10.0.0.0/24", PrefixLen: 23}}}}, ErrInvalidInput, "disagrees"},
		{"no size", Input{AZs: []AZ{{Name: "a"}}}, ErrInvalidInput, "neither CIDR nor PrefixLen"},
		{"negative other", Input{AZs: []AZ{{Name: "a", NodeSubnet: Subnet{PrefixLen: 24, OtherAddresses: -1}}}}, ErrInvalidInput, "OtherAddresses"},
		{"duplicate zone", Input{AZs: []AZ{ok, ok}}, ErrInvalidInput, "listed twice"},
		{"empty zone name", Input{AZs: []AZ{{NodeSubnet: Subnet{PrefixLen: 24}}}}, ErrInvalidInput, "empty name"},
		{"duplicate group", Input{AZs: []AZ{ok}, NodeGroups: []NodeGroup{g, g}}, ErrInvalidInput, "listed twice"},
		{"no types", Input{AZs: []AZ{ok}, NodeGroups: []NodeGroup{{Name: "g", MaxSizePerAZ: 1}}}, ErrInvalidInput, "no instance types"},
		{"negative size", Input{AZs: []AZ{ok}, NodeGroups: []NodeGroup{{Name: "g", InstanceTypes: []string{"m5.large"}, MaxSizePerAZ: -1}}}, ErrInvalidInput, "between 0 and 16,777,216"},
		{"huge size", Input{AZs: []AZ{ok}, NodeGroups: []NodeGroup{{Name: "g", InstanceTypes: []string{"m5.large"}, MaxSizePerAZ: MaxPlannedNodes + 1}}}, ErrInvalidInput, "between 0 and 16,777,216"},
		{"huge warm target", Input{CNI: CNIConfig{WarmIPTarget: 1 << 62}, AZs: []AZ{ok}}, ErrInvalidInput, "WARM_IP_TARGET must be between 0 and 65,536"},
		{"reservation outside", Input{CNI: CNIConfig{Mode: ModePrefixDelegation}, AZs: []AZ{{Name: "a", NodeSubnet: Subnet{CIDR: "10.0.0.0/24", PrefixReservations: []string{"10.0.1.0/28"}}}}}, ErrInvalidInput, "not an aligned block"},
		{"reservation on the first /28", Input{CNI: CNIConfig{Mode: ModePrefixDelegation}, AZs: []AZ{{Name: "a", NodeSubnet: Subnet{CIDR: "10.0.0.0/24", PrefixReservations: []string{"10.0.0.0/25"}}}}}, ErrInvalidInput, "first or last /28"},
		{"reservation on the last /28", Input{CNI: CNIConfig{Mode: ModePrefixDelegation}, AZs: []AZ{{Name: "a", NodeSubnet: Subnet{CIDR: "10.0.0.0/24", PrefixReservations: []string{"10.0.0.240/28"}}}}}, ErrInvalidInput, "first or last /28"},
		{"reservations overlap", Input{CNI: CNIConfig{Mode: ModePrefixDelegation}, AZs: []AZ{{Name: "a", NodeSubnet: Subnet{CIDR: "10.0.0.0/24", PrefixReservations: []string{"10.0.0.64/26", "10.0.0.96/28"}}}}}, ErrInvalidInput, "overlap"},
		{"reservation without CIDR", Input{CNI: CNIConfig{Mode: ModePrefixDelegation}, AZs: []AZ{{Name: "a", NodeSubnet: Subnet{PrefixLen: 24, PrefixReservations: []string{"10.0.0.64/26"}}}}}, ErrInvalidInput, "need the subnet's CIDR"},
		{"reservation in a public subnet", Input{AZs: []AZ{{Name: "a", NodeSubnet: Subnet{PrefixLen: 24}, PublicSubnet: Subnet{CIDR: "10.0.9.0/24", PrefixReservations: []string{"10.0.9.64/26"}}}}}, ErrInvalidInput, "no prefixes to reserve"},
		{"unknown zone", Input{AZs: []AZ{ok}, NodeGroups: []NodeGroup{{Name: "g", InstanceTypes: []string{"m5.large"}, AZs: []string{"z"}}}}, ErrInvalidInput, `zone "z"`},
		{"bad cni", Input{CNI: CNIConfig{MinimumIPTarget: -3}, AZs: []AZ{ok}}, ErrInvalidInput, "MINIMUM_IP_TARGET"},
	}
	for _, tc := range tests {
		rep, err := Plan(tc.in)
		if rep != nil || !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: Plan = %v, %v; want nil report and %v containing %q", tc.name, rep, err, tc.want, tc.msg)
		}
	}
}

func TestRenderTable(t *testing.T) {
	rep, _ := Plan(Input{
		CNI: CNIConfig{Mode: ModeCustomNetworking, PrefixDelegation: true},
		AZs: []AZ{
			{Name: "ap-south-1b", NodeSubnet: Subnet{Name: "private", CIDR: "10.0.2.0/24"}, PodSubnet: Subnet{PrefixLen: 26}},
			{Name: "ap-south-1a", NodeSubnet: Subnet{Name: "private", CIDR: "10.0.1.0/24"}, PodSubnet: Subnet{CIDR: "100.64.0.0/20"}},
		},
		NodeGroups: groups(1, 10, "m5.large"),
	})
	// Node subnets: 10 primaries of 251 → headroom 241 / 251 = 96.0 %.
	// Pod subnets: 90 blocks = 1,440 (see the custom networking + prefix
	// delegation test); /20: 4,064 usable → 64.6 %; /26: 4 - 2 = 2 blocks =
	// 32 usable → (32 - 1,440) / 32 = -4,400.0 %.
	want := "" +
		"AZ           SUBNET                      USABLE  NEED AT MAX  HEADROOM %  STATUS\n" +
		"ap-south-1a  10.0.1.0/24 (private)          251           10        96.0  OK\n" +
		"ap-south-1a  100.64.0.0/20 (pod) [/28!]   4,064        1,440        64.6  OK\n" +
		"ap-south-1b  10.0.2.0/24 (private)          251           10        96.0  OK\n" +
		"ap-south-1b  /26 (pod) [/28!]                32        1,440     -4400.0  FAIL\n" +
		"[/28] prefix delegation: usable and need count whole /28 blocks of 16 addresses\n" +
		"[/28!] no prefix reservation holds every prefix: each single address is charged a whole /28 block (worst-case fragmentation)\n"
	got := RenderTable(rep)
	if got != want {
		t.Errorf("RenderTable:\n%s\nwant:\n%s", got, want)
	}
	if RenderTable(rep) != got {
		t.Error("RenderTable is not deterministic")
	}
}

func TestComma(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 1234: "1,234", 1234567: "1,234,567", -1800: "-1,800"} {
		if got := comma(n); got != want {
			t.Errorf("comma(%d) = %q, want %q", n, got, want)
		}
	}
}
