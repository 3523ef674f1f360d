package ipcapacity

import (
	"errors"
	"testing"
)

func TestEmbeddedTableLoads(t *testing.T) {
	names := InstanceTypes()
	// /work/shared/data/ec2-eni-limits.csv has 1,391 instance types.
	if len(names) != 1391 {
		t.Fatalf("got %d instance types, want 1391", len(names))
	}
	for i := 1; i < len(names); i++ {
		if names[i-1] >= names[i] {
			t.Fatalf("InstanceTypes not sorted at %d: %q >= %q", i, names[i-1], names[i])
		}
	}
	for _, n := range names {
		info, err := Lookup(n)
		if err != nil {
			t.Fatalf("Lookup(%q): %v", n, err)
		}
		if info.MaxENIs < 1 || info.IPv4PerENI < 2 {
			t.Errorf("%s: implausible ENI data %+v", n, info)
		}
		// No type sits exactly on the calculator's threshold, so the
		// "-gt 30" versus "30 or more" wording cannot change any result.
		if info.VCPUs == ceilingVCPUThreshold {
			t.Errorf("%s: derived vCPUs equal the threshold (%d)", n, info.VCPUs)
		}
	}
}

func TestLookup(t *testing.T) {
	// Rows of eni-limits.csv.
	tests := []struct {
		name string
		want InstanceInfo
	}{
		{"m5.large", InstanceInfo{InstanceType: "m5.large", MaxENIs: 3, IPv4PerENI: 10, NetworkCards: 1, Hypervisor: HypervisorNitro, VCPUs: 2, Category: "m", Generation: 5, Size: "large", Architecture: "amd64", Family: "m5"}},
		{"t2.micro", InstanceInfo{InstanceType: "t2.micro", MaxENIs: 2, IPv4PerENI: 2, NetworkCards: 1, Hypervisor: HypervisorXen, VCPUs: 1, Category: "t", Generation: 2, Size: "micro", Architecture: "amd64", Family: "t2"}},
		{"c5.18xlarge", InstanceInfo{InstanceType: "c5.18xlarge", MaxENIs: 15, IPv4PerENI: 50, NetworkCards: 1, Hypervisor: HypervisorNitro, VCPUs: 72, Category: "c", Generation: 5, Size: "18xlarge", Architecture: "amd64", Family: "c5"}},
		{"p5.48xlarge", InstanceInfo{InstanceType: "p5.48xlarge", MaxENIs: 2, IPv4PerENI: 50, NetworkCards: 32, Hypervisor: HypervisorNitro, VCPUs: 192, Category: "p", Generation: 5, Size: "48xlarge", Architecture: "amd64", Family: "p5", Accelerator: Accelerator{Manufacturer: "nvidia", Device: "h100", Count: 8}}},
		{"m5.metal", InstanceInfo{InstanceType: "m5.metal", MaxENIs: 15, IPv4PerENI: 50, NetworkCards: 1, Hypervisor: HypervisorUnknown, BareMetal: true, VCPUs: 96, Category: "m", Generation: 5, Size: "metal", Architecture: "amd64", Family: "m5"}},
		{" M5.Large ", InstanceInfo{InstanceType: "m5.large", MaxENIs: 3, IPv4PerENI: 10, NetworkCards: 1, Hypervisor: HypervisorNitro, VCPUs: 2, Category: "m", Generation: 5, Size: "large", Architecture: "amd64", Family: "m5"}},
	}
	for _, tc := range tests {
		got, err := Lookup(tc.name)
		if err != nil {
			t.Fatalf("Lookup(%q): %v", tc.name, err)
		}
		if got != tc.want {
			t.Errorf("Lookup(%q) = %+v, want %+v", tc.name, got, tc.want)
		}
	}
	if !Known("m5.large") || Known("m5.huge") || Known("") {
		t.Error("Known gives wrong answers")
	}
	_, err := Lookup("m5.huge")
	if !errors.Is(err, ErrUnknownInstanceType) {
		t.Errorf("Lookup(m5.huge) error = %v, want ErrUnknownInstanceType", err)
	}
}

func TestVCPUs(t *testing.T) {
	// Size-name rule and its exceptions. Values checked against
	// aws/karpenter-provider-aws website/content/en/docs/reference/instance-types.md
	// (karpenter.k8s.aws/instance-cpu) where noted "k".
	tests := []struct {
		name string
		want int
	}{
		{"m5.large", 2},
		{"m5.xlarge", 4},
		{"m5.8xlarge", 32},       // first size above the threshold
		{"c5.9xlarge", 36},       // 4 × 9
		{"c4.8xlarge", 36},       // k: override, 36 not 32
		{"a1.medium", 1},         // k
		{"a1.metal", 16},         // k: would be 16 via a1.4xlarge too
		{"c5.metal", 96},         // bare metal borrows c5.24xlarge
		{"c5n.metal", 72},        // borrows c5n.18xlarge
		{"c7i.metal-48xl", 192},  // metal-Nxl = 4N
		{"r7iz.metal-16xl", 64},  // metal-Nxl = 4N
		{"hpc7a.12xlarge", 24},   // k: SMT off, below the threshold
		{"hpc7a.96xlarge", 192},  // k
		{"hpc6id.32xlarge", 64},  // k
		{"hs1.8xlarge", 16},      // override: below the threshold
		{"u-12tb1.metal", 448},   // override: no sized sibling
		{"u-6tb1.metal", 448},    // borrows u-6tb1.112xlarge
		{"t3.nano", 2},           // burstable override
		{"t2.nano", 1},           // size rule
		{"bmn-sf1.metal", 0},     // unknown
		{"mac-m3ultra.metal", 0}, // unknown
	}
	for _, tc := range tests {
		info, err := Lookup(tc.name)
		if err != nil {
			t.Fatal(err)
		}
		if info.VCPUs != tc.want {
			t.Errorf("%s: VCPUs = %d, want %d", tc.name, info.VCPUs, tc.want)
		}
	}
}

func TestSizeVCPUs(t *testing.T) {
	for size, want := range map[string]int{
		"nano": 1, "micro": 1, "small": 1, "medium": 1, "large": 2, "xlarge": 4,
		"2xlarge": 8, "224xlarge": 896, "metal-24xl": 96, "metal": 0, "huge": 0,
		"0xlarge": 0, "metal-xl": 0,
	} {
		if got := sizeVCPUs(size); got != want {
			t.Errorf("sizeVCPUs(%q) = %d, want %d", size, got, want)
		}
	}
}

func TestParseENILimitsErrors(t *testing.T) {
	for name, data := range map[string]string{
		"bad header":     "type,enis\nm5.large,3\n",
		"bad int":        "instance_type,max_enis,ipv4_per_eni,network_cards,hypervisor,bare_metal\nm5.large,x,10,1,nitro,false\n",
		"bad hypervisor": "instance_type,max_enis,ipv4_per_eni,network_cards,hypervisor,bare_metal\nm5.large,3,10,1,kvm,false\n",
		"bad bool":       "instance_type,max_enis,ipv4_per_eni,network_cards,hypervisor,bare_metal\nm5.large,3,10,1,nitro,maybe\n",
		"duplicate":      "instance_type,max_enis,ipv4_per_eni,network_cards,hypervisor,bare_metal\nm5.large,3,10,1,nitro,false\nm5.large,3,10,1,nitro,false\n",
		"short row":      "instance_type,max_enis,ipv4_per_eni,network_cards,hypervisor,bare_metal\nm5.large,3\n",
		"empty":          "",
	} {
		if tbl := parseENILimits([]byte(data)); tbl.err == nil {
			t.Errorf("%s: parse succeeded, want error", name)
		}
	}
}

// TestInstanceNameParts pins the name-derived labels on types whose
// karpenter.k8s.aws/instance-category, instance-generation, instance-size
// and kubernetes.io/arch are listed in aws/karpenter-provider-aws
// website/content/en/docs/reference/instance-types.md (main, 2026-08-21; all
// 1,363 types listed there agreed when checked on 2026-11-30).
func TestInstanceNameParts(t *testing.T) {
	tests := []struct {
		name, category string
		generation     int
		size, arch     string
	}{
		{"a1.medium", "a", 1, "medium", "arm64"},
		{"c5a.large", "c", 5, "large", "amd64"},
		{"c6gn.16xlarge", "c", 6, "16xlarge", "arm64"},
		{"c7a.medium", "c", 7, "medium", "amd64"},
		{"m7gd.metal", "m", 7, "metal", "arm64"},
		{"m7i-flex.large", "m", 7, "large", "amd64"},
		{"im4gn.large", "im", 4, "large", "arm64"},
		{"is4gen.medium", "is", 4, "medium", "arm64"},
		{"x2gd.medium", "x", 2, "medium", "arm64"},
		{"g5g.xlarge", "g", 5, "xlarge", "arm64"},
		{"g4dn.xlarge", "g", 4, "xlarge", "amd64"},
		{"hpc7g.4xlarge", "hpc", 7, "4xlarge", "arm64"},
		{"u-6tb1.112xlarge", "u", 1, "112xlarge", "amd64"},
		{"u7i-12tb.224xlarge", "u", 7, "224xlarge", "amd64"},
		{"mac1.metal", "mac", 1, "metal", "amd64"},
		{"mac2.metal", "mac", 2, "metal", "arm64"},
		{"r8g.48xlarge", "r", 8, "48xlarge", "arm64"},
		{"t4g.nano", "t", 4, "nano", "arm64"},
	}
	for _, tc := range tests {
		info, err := Lookup(tc.name)
		if err != nil {
			t.Fatalf("Lookup(%s): %v", tc.name, err)
		}
		if info.Category != tc.category || info.Generation != tc.generation || info.Size != tc.size || info.Architecture != tc.arch {
			t.Errorf("%s: %s %d %s %s, want %s %d %s %s", tc.name, info.Category, info.Generation, info.Size, info.Architecture, tc.category, tc.generation, tc.size, tc.arch)
		}
	}
}
