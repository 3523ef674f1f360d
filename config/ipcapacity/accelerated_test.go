package ipcapacity

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// vpcCniRow is one accelerated type as the VPC CNI records it.
type vpcCniRow struct {
	eniLimit, ipv4Limit, defaultCard, networkCards, card0ENIs, eniMaxPods int
}

func readVpcCniAccelerated(t *testing.T) map[string]vpcCniRow {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "vpc-cni-accelerated.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(raw), "\n") {
		if !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	rows, err := csv.NewReader(strings.NewReader(strings.Join(lines, "\n"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]vpcCniRow{}
	for _, r := range rows[1:] {
		n := make([]int, 6)
		for i := range n {
			if n[i], err = strconv.Atoi(r[i+1]); err != nil {
				t.Fatalf("%s: %v", r[0], err)
			}
		}
		out[r[0]] = vpcCniRow{n[0], n[1], n[2], n[3], n[4], n[5]}
	}
	return out
}

// Every accelerated type the planner knows gets exactly the pods the VPC
// CNI gives it: addresses of network card 0 only (the CNI attaches no
// interface to another card unless multi-NIC mode is on, and multi-NIC
// pods do not raise max pods), proven against the CNI's own limits table
// and eni-max-pods.txt, multi-card types (p5.48xlarge: 32 cards, 100 pods)
// included.
func TestAcceleratedMaxPodsAreTheVpcCnis(t *testing.T) {
	cni := readVpcCniAccelerated(t)
	multiCard, checked := 0, 0
	for _, name := range InstanceTypes() {
		info, _ := Lookup(name)
		if !info.Accelerated() {
			continue
		}
		checked++
		row, ok := cni[name]
		if !ok {
			t.Errorf("%s: accelerated, but not in the VPC CNI's table", name)
			continue
		}
		if row.defaultCard != 0 {
			t.Errorf("%s: default network card %d", name, row.defaultCard)
		}
		if info.MaxENIs != row.card0ENIs || info.IPv4PerENI != row.ipv4Limit || info.NetworkCards != row.networkCards {
			t.Errorf("%s: planner has %d ENIs × %d IPv4, %d cards; the VPC CNI %d on card 0 × %d, %d cards", name, info.MaxENIs, info.IPv4PerENI, info.NetworkCards, row.card0ENIs, row.ipv4Limit, row.networkCards)
		}
		eni, err := MaxPods(name, CNIConfig{})
		if err != nil {
			t.Fatal(err)
		}
		if eni.IPLimit != row.eniMaxPods || eni.IPLimit != row.card0ENIs*(row.ipv4Limit-1)+2 {
			t.Errorf("%s: ENI-mode limit %d, eni-max-pods.txt says %d", name, eni.IPLimit, row.eniMaxPods)
		}
		pd, err := MaxPods(name, CNIConfig{Mode: ModePrefixDelegation})
		if err != nil {
			t.Fatal(err)
		}
		perSlot := ipsPerPrefix
		if !info.Nitro() {
			perSlot = 1 // Xen (p3, f1): the secondary-IP formula, as the calculator falls back
		}
		if want := min(row.card0ENIs*(row.ipv4Limit-1)*perSlot+hostNetworkPods, pd.Ceiling); pd.MaxPods != want {
			t.Errorf("%s: prefix delegation gives %d pods, card 0 alone allows %d", name, pd.MaxPods, want)
		}
		if row.networkCards > 1 {
			multiCard++
		}
	}
	if checked != len(cni) {
		t.Errorf("checked %d accelerated types, the VPC CNI table lists %d", checked, len(cni))
	}
	if multiCard < 10 {
		t.Errorf("only %d multi-card accelerated types checked", multiCard)
	}
	if r, _ := MaxPods("p5.48xlarge", CNIConfig{}); r.IPLimit != 100 {
		t.Errorf("p5.48xlarge: %d pods in ENI mode, eni-max-pods.txt lists 100", r.IPLimit)
	}
}

func TestAcceleratorTable(t *testing.T) {
	for name, want := range map[string]Accelerator{
		"g6.xlarge":      {Manufacturer: "nvidia", Device: "l4", Count: 1},
		"p5.48xlarge":    {Manufacturer: "nvidia", Device: "h100", Count: 8},
		"inf2.xlarge":    {Manufacturer: "aws", Device: "inferentia2", Count: 1, NeuronCores: 2},
		"trn1.32xlarge":  {Manufacturer: "aws", Device: "trainium", Count: 16, NeuronCores: 32},
		"g4ad.xlarge":    {Manufacturer: "amd", Device: "radeon-pro-v520", Count: 1},
		"g6f.large":      {Manufacturer: "nvidia", Device: "l4"},
		"m6i.large":      {},
		"p3.16xlarge":    {Manufacturer: "nvidia", Device: "v100", Count: 8},
		"trn2.3xlarge":   {Manufacturer: "aws", Device: "trainium2", Count: 1, NeuronCores: 8},
		"g5g.xlarge":     {Manufacturer: "nvidia", Device: "t4g", Count: 1},
		"trn1n.32xlarge": {Manufacturer: "aws", Device: "trainium", Count: 16, NeuronCores: 32},
	} {
		info, err := Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		if info.Accelerator != want {
			t.Errorf("%s: %+v, want %+v", name, info.Accelerator, want)
		}
	}
	for _, c := range []string{"g", "p", "gr", "inf", "trn", "dl", "f", "vt"} {
		if !AcceleratedCategory(c) {
			t.Errorf("category %s is accelerated", c)
		}
	}
	for _, c := range []string{"c", "m", "r", "t", "i", "x", "hpc", "mac", "u"} {
		if AcceleratedCategory(c) {
			t.Errorf("category %s is not accelerated", c)
		}
	}
}

// Requirements admit accelerated types only by kind, from families a
// Bottlerocket AMI drives, and none without a kind.
func TestRequirementsByAccelerator(t *testing.T) {
	gpu := LaunchableTypes(Requirements{Categories: []string{"g", "p"}, Architectures: []string{"amd64"}, Accelerator: "nvidia"})
	for _, name := range gpu {
		info, _ := Lookup(name)
		if info.Accelerator.Manufacturer != "nvidia" {
			t.Errorf("%s admitted as an NVIDIA type", name)
		}
	}
	has := func(types []string, name string) bool {
		for _, x := range types {
			if x == name {
				return true
			}
		}
		return false
	}
	if !has(gpu, "g6.xlarge") || has(gpu, "g4ad.xlarge") || has(gpu, "g7.2xlarge") || has(gpu, "g5g.xlarge") {
		t.Errorf("NVIDIA amd64 types: %v", gpu)
	}
	if got := LaunchableTypes(Requirements{Categories: []string{"g"}}); len(got) != 0 {
		t.Errorf("no accelerator kind admits %v", got)
	}
	four := LaunchableTypes(Requirements{Categories: []string{"g"}, Accelerator: "nvidia", AcceleratorCounts: []int{4}})
	if !has(four, "g6.12xlarge") || has(four, "g6.xlarge") {
		t.Errorf("4-GPU types: %v", four)
	}
	neuron := LaunchableTypes(Requirements{Categories: []string{"inf", "trn"}, Accelerator: "neuron"})
	if got := strings.Join(Families(neuron), ","); got != "inf1,inf2,trn1,trn1n,trn2" {
		t.Errorf("Neuron families %s", got)
	}
}
