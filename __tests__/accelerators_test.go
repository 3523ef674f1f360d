package apptest

import (
	"slices"
	"testing"

	"github.com/eksready/eksready/catalog"
)

// TestAcceleratedPoolsInEveryComputePath checks the "done when"
// on the synthesized stacks: g6.xlarge on Bottlerocket gets the NVIDIA AMI
// type, a NoSchedule GPU taint and no device plugin; on AL2023 the NVIDIA
// AMI type and NVIDIA's plugin tolerating the taint; inf2.xlarge the
// Neuron AMI type and the Neuron plugin. Karpenter's and Auto Mode's
// accelerated NodePools launch only families whose Bottlerocket variant
// (the one the bottlerocket alias and Auto Mode pick) drives them.
func TestAcceleratedPoolsInEveryComputePath(t *testing.T) {
	group := func(f fixture, pool string) map[string]any {
		for _, g := range f.Stack(t, "infra").Resource["aws_eks_node_group"] {
			if get(g, "labels", "eksready.io/pool") == pool {
				return g
			}
		}
		t.Fatalf("%s: no node group of pool %s", f.Name, pool)
		return nil
	}
	gpuTaint := map[string]any{"key": "nvidia.com/gpu", "value": "true", "effect": "NO_SCHEDULE"}

	br := fixtureNamed(t, "gpu-bottlerocket")
	g := group(br, "gpu")
	if g["ami_type"] != "BOTTLEROCKET_x86_64_NVIDIA" || !slices.ContainsFunc(g["taint"].([]any), func(x any) bool { return equalMaps(x, gpuTaint) }) {
		t.Errorf("gpu-bottlerocket: ami_type %v, taints %v", g["ami_type"], g["taint"])
	}
	for name := range releases(t, br.Stack(t, "addons")) {
		if name == "nvidia-device-plugin" || name == "neuron-device-plugin" {
			t.Errorf("gpu-bottlerocket installs %s, which the Bottlerocket NVIDIA AMI runs itself", name)
		}
	}

	ml := fixtureNamed(t, "gpu-al2023-neuron")
	rs := releases(t, ml.Stack(t, "addons"))
	if g := group(ml, "gpu"); g["ami_type"] != "AL2023_x86_64_NVIDIA" {
		t.Errorf("gpu-al2023-neuron gpu: ami_type %v", g["ami_type"])
	}
	nv, ok := rs["nvidia-device-plugin"]
	if !ok || !slices.ContainsFunc(get(nv.Values, "tolerations").([]any), func(x any) bool {
		return get(x, "key") == "nvidia.com/gpu" && get(x, "operator") == "Exists" && get(x, "effect") == "NoSchedule"
	}) {
		t.Errorf("no NVIDIA device plugin tolerating nvidia.com/gpu: %v", nv.Values)
	}
	if g := group(ml, "inference"); g["ami_type"] != "AL2023_x86_64_NEURON" || get(g, "labels", "eksready.io/device-plugin") != "neuron" {
		t.Errorf("gpu-al2023-neuron inference: %v %v", g["ami_type"], g["labels"])
	}
	if _, ok := rs["neuron-device-plugin"]; !ok {
		t.Error("gpu-al2023-neuron installs no Neuron device plugin")
	}

	for _, c := range []struct{ fixture, release, prefix string }{
		{"karpenter-gpu", "karpenter-nodepools", "karpenter.k8s.aws"},
		{"auto-mode-gpu", "auto-mode", "eks.amazonaws.com"},
	} {
		f := fixtureNamed(t, c.fixture)
		pools := 0
		for _, o := range get(releases(t, f.Stack(t, "addons"))[c.release].Values, "objects").([]any) {
			if get(o, "kind") == "EC2NodeClass" && get(o, "spec", "amiSelectorTerms").([]any)[0].(map[string]any)["alias"] != "bottlerocket@latest" {
				t.Errorf("%s: the EC2NodeClass does not use the bottlerocket alias", c.fixture)
			}
			kind, _ := get(o, "spec", "template", "metadata", "labels", "eksready.io/accelerator").(string)
			if get(o, "kind") != "NodePool" || kind == "" {
				continue
			}
			pools++
			for _, r := range get(o, "spec", "template", "spec", "requirements").([]any) {
				if get(r, "key") != c.prefix+"/instance-family" {
					continue
				}
				for _, fam := range get(r, "values").([]any) {
					if af := catalog.AcceleratedFamilies[fam.(string)]; af.Kind != kind || !af.Bottlerocket {
						t.Errorf("%s: NodePool %v launches %v, which no Bottlerocket %s variant drives", c.fixture, get(o, "metadata", "name"), fam, kind)
					}
				}
			}
			if get(o, "spec", "limits", map[string]string{"nvidia": "nvidia.com/gpu", "neuron": "aws.amazon.com/neuron"}[kind]) == nil {
				t.Errorf("%s: NodePool %v has no accelerator limit", c.fixture, get(o, "metadata", "name"))
			}
		}
		if pools != 2 {
			t.Errorf("%s: %d accelerated NodePools, want 2", c.fixture, pools)
		}
	}
}

func equalMaps(x any, want map[string]any) bool {
	m, ok := x.(map[string]any)
	if !ok || len(m) != len(want) {
		return false
	}
	for k, v := range want {
		if m[k] != v {
			return false
		}
	}
	return true
}
