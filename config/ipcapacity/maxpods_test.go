package ipcapacity

import (
	"errors"
	"testing"
)

// TestMaxPodsENIMode checks ENI mode against AWS's published table: every
// expected value below is the entry of awslabs/amazon-eks-ami
// templates/shared/runtime/eni-max-pods.txt ("# of ENI * (# of IPv4 per ENI -
// 1) + 2", default network card only), read for this test, not recomputed.
func TestMaxPodsENIMode(t *testing.T) {
	want := map[string]int{
		// General purpose, Intel/AMD, all sizes up to metal.
		"m5.large": 29, "m5.xlarge": 58, "m5.2xlarge": 58, "m5.4xlarge": 234,
		"m5.12xlarge": 234, "m5.24xlarge": 737, "m5.metal": 737, "m6i.32xlarge": 737,
		"m8a.48xlarge": 1514,
		// Compute optimized.
		"c5.large": 29, "c5.9xlarge": 234, "c5.18xlarge": 737, "c5n.metal": 737,
		"c6in.32xlarge": 394, "c8i.large": 59, "c8a.48xlarge": 1514,
		// Memory optimized.
		"r5.large": 29, "r5.16xlarge": 737, "x1e.xlarge": 29, "z1d.3xlarge": 234,
		"u-12tb1.metal": 147,
		// Burstable t2 (xen), t3, t3a, t4g.
		"t1.micro": 4, "t2.nano": 4, "t2.micro": 4, "t2.small": 11, "t2.medium": 17,
		"t2.large": 35, "t2.xlarge": 44, "t2.2xlarge": 44,
		"t3.nano": 4, "t3.small": 11, "t3.medium": 17, "t3.large": 35, "t3.2xlarge": 58,
		"t3a.small": 8, "t4g.medium": 17, "t4g.2xlarge": 58,
		// Graviton.
		"a1.medium": 8, "a1.metal": 234, "c6g.medium": 8, "m6g.medium": 8,
		"c7g.16xlarge": 737, "m7g.metal": 737, "r8g.48xlarge": 737, "x2gd.medium": 8,
		"c6gn.16xlarge": 737,
		// GPU and accelerators.
		"g4dn.xlarge": 29, "g4dn.16xlarge": 58, "g4dn.metal": 737, "g5.48xlarge": 345,
		"g6f.large": 20, "p3.2xlarge": 58, "p4d.24xlarge": 737, "p5.48xlarge": 100,
		"inf1.xlarge": 38, "inf1.24xlarge": 321, "trn1.32xlarge": 247, "trn2.3xlarge": 30,
		// Storage and HPC.
		"d3.xlarge": 10, "d3en.12xlarge": 89, "i3.large": 29, "i3.16xlarge": 737,
		"hpc6id.32xlarge": 51, "hpc7g.4xlarge": 198,
		// Older xen generations.
		"m1.small": 8, "m1.medium": 12, "m2.2xlarge": 118, "m3.medium": 12,
		"m4.large": 20, "m4.16xlarge": 234, "c1.medium": 12, "c4.large": 29,
		"c4.8xlarge": 234, "mac1.metal": 234,
	}
	for it, w := range want {
		r, err := MaxPods(it, CNIConfig{})
		if err != nil {
			t.Fatalf("MaxPods(%s): %v", it, err)
		}
		// IPLimit is the table entry; MaxPods is what the calculator
		// recommends by default: the entry, capped at 110 or 250 by vCPUs.
		if r.IPLimit != w || r.MaxPods != min(w, r.Ceiling) || r.Capped != (w > r.Ceiling) {
			t.Errorf("%s ENI mode: MaxPods=%d IPLimit=%d Capped=%v, want IPLimit %d capped at %d", it, r.MaxPods, r.IPLimit, r.Capped, w, r.Ceiling)
		}
	}
}

func TestMaxPodsModes(t *testing.T) {
	pd := CNIConfig{Mode: ModePrefixDelegation}
	cn := CNIConfig{Mode: ModeCustomNetworking}
	cnpd := CNIConfig{Mode: ModeCustomNetworking, PrefixDelegation: true}
	v6 := CNIConfig{Mode: ModeIPv6}
	other := CNIConfig{Mode: ModeOtherCNI}
	tests := []struct {
		it       string
		cni      CNIConfig
		want     int
		ipLimit  int
		capped   bool
		fallback bool
	}{
		// Custom networking: (ENIs-1) × (IPv4perENI-1) + 2, capped like every
		// mode (max-pods-calculator.sh --cni-custom-networking-enabled).
		{"m5.large", cn, 20, 20, false, false},      // 2 × 9 + 2
		{"m5.xlarge", cn, 44, 44, false, false},     // 3 × 14 + 2
		{"c5.18xlarge", cn, 250, 688, true, false},  // 14 × 49 + 2; 72 vCPUs
		{"m5.metal", cn, 250, 688, true, false},     // 96 vCPUs
		{"c3.4xlarge", cn, 110, 205, true, false},   // 7 × 29 + 2; 16 vCPUs
		{"t3.medium", cn, 12, 12, false, false},     // 2 × 5 + 2
		{"t2.micro", cn, 3, 3, false, false},        // 1 × 1 + 2
		{"hpc6id.32xlarge", cn, 2, 2, false, false}, // one ENI: nothing left for pods
		{"g4dn.xlarge", cn, 20, 20, false, false},   // 2 × 9 + 2
		// Prefix delegation: ENIs × (IPv4perENI-1) × 16 + 2, capped at 110 (≤ 30 vCPUs) or 250.
		{"m5.large", pd, 110, 434, true, false},        // 3 × 9 × 16 + 2 = 434; 2 vCPUs
		{"t3.nano", pd, 34, 34, false, false},          // 2 × 1 × 16 + 2
		{"t3.small", pd, 110, 146, true, false},        // 3 × 3 × 16 + 2
		{"c6g.medium", pd, 98, 98, false, false},       // 2 × 3 × 16 + 2
		{"m5.4xlarge", pd, 110, 3714, true, false},     // 16 vCPUs
		{"m5.8xlarge", pd, 250, 3714, true, false},     // 32 vCPUs
		{"c5.9xlarge", pd, 250, 3714, true, false},     // 36 vCPUs
		{"m5.24xlarge", pd, 250, 11762, true, false},   // 15 × 49 × 16 + 2
		{"hpc7a.12xlarge", pd, 110, 1570, true, false}, // 24 vCPUs (SMT off), not 48
		// Not Nitro: the calculator uses the secondary-IP formula, still capped.
		{"t2.medium", pd, 17, 17, false, true},     // xen
		{"m4.16xlarge", pd, 234, 234, false, true}, // xen, 64 vCPUs
		{"i3.16xlarge", pd, 250, 737, true, true},  // xen, 64 vCPUs
		{"hs1.8xlarge", pd, 110, 234, true, true},  // unknown hypervisor, 16 vCPUs
		{"m5.metal", pd, 250, 737, true, true},     // bare metal: calculator says not Nitro
		{"a1.metal", pd, 110, 234, true, true},     // bare metal, 16 vCPUs
		// Custom networking + prefix delegation: (ENIs-1) × (IPv4perENI-1) × 16 + 2, capped.
		{"m5.large", cnpd, 110, 290, true, false},  // 2 × 9 × 16 + 2
		{"t3.nano", cnpd, 18, 18, false, false},    // 1 × 1 × 16 + 2
		{"c6g.medium", cnpd, 50, 50, false, false}, // 1 × 3 × 16 + 2
		{"t2.large", cnpd, 24, 24, false, true},    // xen: 2 × 11 + 2
		// IPv6: the vCPU ceiling.
		{"m5.large", v6, 110, 0, false, false},
		{"t3.nano", v6, 110, 0, false, false},
		{"m5.24xlarge", v6, 250, 0, false, false},
		{"hpc7a.12xlarge", v6, 110, 0, false, false},
		{"m5.metal", v6, 250, 0, false, false},
		// Other CNI: the Kubernetes default.
		{"m5.large", other, 110, 0, false, false},
		{"c5.18xlarge", other, 110, 0, false, false},
		{"t2.micro", other, 110, 0, false, false},
	}
	for _, tc := range tests {
		r, err := MaxPods(tc.it, tc.cni)
		if err != nil {
			t.Fatalf("MaxPods(%s, %s): %v", tc.it, tc.cni.Mode, err)
		}
		if r.MaxPods != tc.want || r.IPLimit != tc.ipLimit || r.Capped != tc.capped || r.PrefixFallback != tc.fallback {
			t.Errorf("MaxPods(%s, %s pd=%v) = {MaxPods:%d IPLimit:%d Capped:%v Fallback:%v}, want {%d %d %v %v}",
				tc.it, tc.cni.Mode, tc.cni.PrefixDelegation, r.MaxPods, r.IPLimit, r.Capped, r.PrefixFallback,
				tc.want, tc.ipLimit, tc.capped, tc.fallback)
		}
		if tc.fallback && r.Note == "" {
			t.Errorf("%s: fallback without a note", tc.it)
		}
	}
}

// TestMaxPodsWholeTableAgainstCalculator recomputes, for every one of the
// 1,391 types and every mode, the value max-pods-calculator.sh prints by
// default (awslabs/amazon-eks-ami templates/al2/runtime/max-pods-calculator.sh,
// read 2026-11-30 at commit 0a6d499): enis_for_pods = MaximumNetworkInterfaces
// of the default card, minus one with --cni-custom-networking-enabled;
// prefix formula enis × ((ips − 1) × 16) + 2 only when the hypervisor is
// "nitro", else enis × (ips − 1) + 2; then min(250, max) when CpuCount -gt 30,
// else min(110, max). IPv6 and other CNIs are not the calculator's.
func TestMaxPodsWholeTableAgainstCalculator(t *testing.T) {
	calculator := func(info InstanceInfo, custom, prefix bool) (recommended, allowed int) {
		enis := info.MaxENIs
		if custom {
			enis--
		}
		if info.Hypervisor == "nitro" && prefix {
			allowed = enis*((info.IPv4PerENI-1)*16) + 2
		} else {
			allowed = enis*(info.IPv4PerENI-1) + 2
		}
		ceiling := 110
		if info.VCPUs > 30 {
			ceiling = 250
		}
		return min(ceiling, allowed), allowed
	}
	modes := []struct {
		cni            CNIConfig
		custom, prefix bool
	}{
		{CNIConfig{Mode: ModeENI}, false, false},
		{CNIConfig{Mode: ModePrefixDelegation}, false, true},
		{CNIConfig{Mode: ModeCustomNetworking}, true, false},
		{CNIConfig{Mode: ModeCustomNetworking, PrefixDelegation: true}, true, true},
	}
	checked, capped := 0, 0
	for _, name := range InstanceTypes() {
		info, err := Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range modes {
			r, err := MaxPods(name, m.cni)
			if err != nil {
				t.Fatalf("MaxPods(%s, %s): %v", name, m.cni.Mode, err)
			}
			want, allowed := calculator(info, m.custom, m.prefix)
			if r.MaxPods != want || r.IPLimit != allowed {
				t.Errorf("%s %s pd=%v: MaxPods %d IPLimit %d, calculator recommends %d of %d allowed", name, m.cni.Mode, m.prefix, r.MaxPods, r.IPLimit, want, allowed)
			}
			if r.MaxPods > r.Ceiling {
				t.Errorf("%s %s: MaxPods %d above the ceiling %d", name, m.cni.Mode, r.MaxPods, r.Ceiling)
			}
			checked++
			if r.Capped {
				capped++
			}
		}
		if r, err := MaxPods(name, CNIConfig{Mode: ModeIPv6}); err == nil && r.MaxPods != r.Ceiling {
			t.Errorf("%s IPv6: MaxPods %d, want the ceiling %d", name, r.MaxPods, r.Ceiling)
		}
		if r, _ := MaxPods(name, CNIConfig{Mode: ModeOtherCNI}); r.MaxPods != CeilingLowCPU {
			t.Errorf("%s other CNI: MaxPods %d, want %d", name, r.MaxPods, CeilingLowCPU)
		}
	}
	if checked != 4*1391 || capped == 0 {
		t.Errorf("checked %d results (%d capped), want 5,564 with some capped", checked, capped)
	}
}

func TestPodCeiling(t *testing.T) {
	// max-pods-calculator.sh: if [ "$CPU_COUNT" -gt 30 ] then 250 else 110.
	for vcpus, want := range map[int]int{0: 110, 1: 110, 29: 110, 30: 110, 31: 250, 32: 250, 448: 250} {
		if got := podCeiling(vcpus); got != want {
			t.Errorf("podCeiling(%d) = %d, want %d", vcpus, got, want)
		}
	}
	r, err := MaxPods("m5.large", CNIConfig{})
	if err != nil || r.Ceiling != 110 {
		t.Errorf("m5.large Ceiling = %d, %v; want 110", r.Ceiling, err)
	}
}

func TestMaxPodsErrors(t *testing.T) {
	tests := []struct {
		it   string
		cni  CNIConfig
		want error
	}{
		{"m5.huge", CNIConfig{}, ErrUnknownInstanceType},
		{"m5.huge", CNIConfig{Mode: ModeOtherCNI}, ErrUnknownInstanceType},
		{"t2.medium", CNIConfig{Mode: ModeIPv6}, ErrUnsupported},
		{"m5.large", CNIConfig{Mode: Mode(42)}, ErrInvalidInput},
		{"m5.large", CNIConfig{Mode: ModeENI, PrefixDelegation: true}, ErrInvalidInput},
		{"m5.large", CNIConfig{WarmIPTarget: -1}, ErrInvalidInput},
	}
	for _, tc := range tests {
		_, err := MaxPods(tc.it, tc.cni)
		if !errors.Is(err, tc.want) {
			t.Errorf("MaxPods(%s, %+v) error = %v, want %v", tc.it, tc.cni, err, tc.want)
		}
	}
	// PrefixDelegation is redundant but allowed with ModePrefixDelegation.
	if _, err := MaxPods("m5.large", CNIConfig{Mode: ModePrefixDelegation, PrefixDelegation: true}); err != nil {
		t.Errorf("redundant PrefixDelegation flag rejected: %v", err)
	}
}

func TestModeString(t *testing.T) {
	for m, want := range map[Mode]string{
		ModeENI: "ENI mode", ModePrefixDelegation: "prefix delegation", ModeCustomNetworking: "custom networking",
		ModeIPv6: "IPv6", ModeOtherCNI: "other CNI", Mode(9): "Mode(9)",
	} {
		if got := m.String(); got != want {
			t.Errorf("Mode(%d).String() = %q, want %q", int(m), got, want)
		}
	}
}
