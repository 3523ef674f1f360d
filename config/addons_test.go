package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/eksready/eksready/catalog"
)

func TestSoftwareDefaults(t *testing.T) {
	s := Default().Software
	checks := []struct {
		field string
		got   any
		want  any
	}{
		{"kubernetesAuth", s.KubernetesAuth, "token"},
		{"autoscaling", s.Autoscaling, "cluster-autoscaler"},
		{"clusterAutoscaler.expander", s.ClusterAutoscaler.Expander, "least-waste"},
		{"karpenter.amiAlias", s.Karpenter.AmiAlias, "bottlerocket@latest"},
		{"karpenter.nodePools", len(s.Karpenter.NodePools), 0},
		{"metricsServer", s.MetricsServer.On(), true},
		{"awsLoadBalancerController", s.AwsLoadBalancerController.On(), true},
		{"externalDns", s.ExternalDNS.On(), false},
		{"externalDns.policy", s.ExternalDNS.Policy, "upsert-only"},
		{"certManager", s.CertManager.On(), false},
		{"bottlerocketUpdateOperator", s.BottlerocketUpdateOperator.On(), false},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("software.%s defaults to %v, want %v", ch.field, ch.got, ch.want)
		}
	}
}

func TestKarpenterNodePoolDefaultsLaidUnderYAML(t *testing.T) {
	c, err := Load(stringsReader(`
software:
  autoscaling: karpenter
  karpenter:
    nodePools:
      spot: {capacityTypes: [spot, on-demand], cpuLimit: 40}
`))
	if err != nil {
		t.Fatal(err)
	}
	p := c.Software.Karpenter.NodePools["spot"]
	if p.CPULimit != 40 || p.MinVCPUs != 2 || p.CapacityTypes[0] != "spot" || p.ExpireAfter != "720h" || p.MemoryLimitGiB != 400 || p.InstanceCategories[2] != "r" {
		t.Errorf("pool = %+v, want YAML over the defaults", p)
	}
}

// Every Kubernetes version eksready accepts installs every piece of
// software with a pinned chart; where the catalog records the pin as
// untested (today only Cilium on 1.36) the synth warns with its reason.
func TestEveryAcceptedVersionInstallsEverySoftwareOrSaysWhyNot(t *testing.T) {
	everything := "software: {certManager: {enabled: true}, bottlerocketUpdateOperator: {enabled: true}, externalDns: {enabled: true, hostedZoneIds: [Z0123456789ABCDEFGHIJ]}}"
	for _, v := range catalog.SupportedKubernetes() {
		for _, variant := range []string{
			everything,
			"software: {autoscaling: karpenter, karpenter: {nodePools: {default: {}}}}",
			"network: {podNetworking: {mode: cilium}}",
		} {
			yamlText := fmt.Sprintf("kubernetesVersion: %q\n%s", v, variant)
			c, err := Load(strings.NewReader(yamlText))
			if err != nil {
				t.Errorf("Kubernetes %s with %s: %v", v, variant, err)
				continue
			}
			var untested []string
			for _, p := range Warnings(c) {
				if strings.Contains(p.String(), "which is not tested with Kubernetes") {
					untested = append(untested, p.String())
				}
			}
			var want []string
			if reason := catalog.Cilium.Untested[v]; reason != "" && strings.Contains(variant, "cilium") {
				pin, _ := catalog.Cilium.Install(v)
				want = append(want, fmt.Sprintf(`network.podNetworking.mode: "cilium" installs cilium %s, which is not tested with Kubernetes %s: %s`, pin.Version, v, reason))
			}
			assertSameProblems(t, untested, want)
		}
	}
}

func TestSoftwareValidation(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		want []string
	}{
		{"both autoscalers", "software: {autoscaling: cluster-autoscaler, karpenter: {nodePools: {default: {}}}}", []string{
			`software.karpenter.nodePools: ["default"] are set but software.autoscaling is "cluster-autoscaler": only one autoscaler may run; set autoscaling: karpenter or remove the NodePools`,
		}},
		{"karpenter without NodePool", "software: {autoscaling: karpenter}", []string{
			`software.karpenter.nodePools: must define at least one NodePool when autoscaling is karpenter (Karpenter launches nothing without one)`,
		}},
		{"update operator without cert-manager", "software: {bottlerocketUpdateOperator: {enabled: true}}", []string{
			`software.bottlerocketUpdateOperator.enabled: true requires software.certManager.enabled: true (the operator's API server certificates come from cert-manager)`,
		}},
		{"update operator with cert-manager", "software: {bottlerocketUpdateOperator: {enabled: true}, certManager: {enabled: true}}", nil},
		{"external-dns without zones", "software: {externalDns: {enabled: true}}", []string{
			`software.externalDns.hostedZoneIds: [] must list at least one Route 53 hosted zone ID when externalDns is enabled (its IAM permissions are scoped to these zones)`,
		}},
		{"external-dns values", "software: {externalDns: {enabled: true, hostedZoneIds: [Z123, 'zone-1'], domainFilters: [example.com, 'bad domain'], policy: delete}}", []string{
			`software.externalDns.hostedZoneIds[1]: "zone-1" is not a Route 53 hosted zone ID (like Z0123456789ABCDEFGHIJ)`,
			`software.externalDns.domainFilters[1]: "bad domain" is not a DNS domain name`,
			`software.externalDns.policy: "delete" must be upsert-only or sync`,
		}},
		{"choices", "software: {autoscaling: both, kubernetesAuth: kubeconfig, clusterAutoscaler: {expander: price}}", []string{
			`software.autoscaling: "both" must be cluster-autoscaler, karpenter or none`,
			`software.kubernetesAuth: "kubeconfig" must be token or exec`,
			`software.clusterAutoscaler.expander: "price" must be one of least-waste, most-pods, random`,
		}},
		{"no autoscaler", "software: {autoscaling: none}", nil},
		{"karpenter NodePool values", `
software:
  autoscaling: karpenter
  karpenter:
    amiAlias: al2023@latest
    rootVolumeGiB: 2
    dataVolumeGiB: 10
    nodePools:
      system: {}
      Bad_Pool:
        instanceCategories: [C5]
        architectures: [x86_64]
        capacityTypes: [spot, spot]
        cpuLimit: 0
        memoryLimitGiB: 0
        consolidateAfter: soon
        expireAfter: 30d
        labels: {team: 'not valid!'}
`, []string{
			`software.karpenter.amiAlias: "al2023@latest" must be bottlerocket@latest or bottlerocket@v<major>.<minor>.<patch>`,
			`software.karpenter.rootVolumeGiB: 2 must be between 4 and 16384`,
			`software.karpenter.dataVolumeGiB: 10 must be between 20 and 16384`,
			`software.karpenter.nodePools.system: "system" is also a managed node pool (nodes.system); both would label their nodes eksready.io/pool=system`,
			`software.karpenter.nodePools.Bad_Pool: "Bad_Pool" is not a valid NodePool name (lowercase letters, digits and '-', at most 63 characters)`,
			`software.karpenter.nodePools.Bad_Pool.instanceCategories[0]: "C5" is not an instance category (lowercase letters, like c, m, r)`,
			`software.karpenter.nodePools.Bad_Pool.architectures[0]: "x86_64" must be amd64 or arm64`,
			`software.karpenter.nodePools.Bad_Pool.capacityTypes[1]: "spot" is listed twice`,
			`software.karpenter.nodePools.Bad_Pool.cpuLimit: 0 must be at least 1`,
			`software.karpenter.nodePools.Bad_Pool.memoryLimitGiB: 0 must be at least 1`,
			`software.karpenter.nodePools.Bad_Pool.consolidateAfter: "soon" is not a duration (like 30s, 5m, 720h) or Never`,
			`software.karpenter.nodePools.Bad_Pool.expireAfter: "30d" is not a duration (like 30s, 5m, 720h) or Never`,
			`software.karpenter.nodePools.Bad_Pool.labels.team: "not valid!" is not a valid Kubernetes label value`,
		}},
		{"karpenter NodePool sizes", `
software:
  autoscaling: karpenter
  karpenter:
    nodePools:
      small: {instanceSizes: [large, huge, large], minVCPUs: 0}
      big: {minVCPUs: 897}
`, []string{
			`software.karpenter.nodePools.small.instanceSizes[1]: "huge" is not the size of any EC2 instance type (like large, xlarge, 2xlarge, metal)`,
			`software.karpenter.nodePools.small.instanceSizes[2]: "large" is listed twice`,
			`software.karpenter.nodePools.small.minVCPUs: 0 must be between 1 and 896`,
			`software.karpenter.nodePools.big.minVCPUs: 897 must be between 1 and 896`,
		}},
		{"karpenter NodePool that admits no instance type", "software: {autoscaling: karpenter, karpenter: {nodePools: {odd: {instanceCategories: [zz]}}}}", []string{
			`software.karpenter.nodePools.odd: cannot be planned: invalid IP capacity input: pool "odd": its requirements admit no instance type`,
		}},
		{"karpenter on an IPv6 cluster", "network: {podNetworking: {mode: ipv6}}\nsoftware: {autoscaling: karpenter, karpenter: {nodePools: {general: {}}}}", nil},
		{"karpenter NodePool valid", "software: {autoscaling: karpenter, karpenter: {amiAlias: bottlerocket@v1.42.0, nodePools: {general: {consolidateAfter: Never, expireAfter: 168h}}}}", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(stringsReader(tc.yaml))
			if tc.want == nil {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				_ = c
				return
			}
			assertSameProblems(t, problemsOf(t, tc.yaml), tc.want)
		})
	}
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

// The Karpenter bound: cpuLimit over the smallest instance a NodePool may
// launch, every node possibly in one zone, and one max pods for all of
// them, what the EC2NodeClass gets.
func TestKarpenterPools(t *testing.T) {
	c, err := Load(stringsReader(`
software:
  autoscaling: karpenter
  karpenter:
    nodePools:
      general: {cpuLimit: 64}
      arm: {architectures: [arm64], instanceCategories: [c], instanceSizes: [xlarge, 2xlarge], cpuLimit: 30}
`))
	if err != nil {
		t.Fatal(err)
	}
	pools, err := KarpenterPools(c)
	if err != nil || len(pools) != 2 {
		t.Fatalf("pools %+v, %v", pools, err)
	}
	arm, general := pools[0], pools[1]
	// c6g.xlarge and friends: 4 vCPUs; 30 / 4 = 7.5 → 8 nodes (the last may
	// cross the limit). Nitro only with prefix delegation.
	if arm.Pool.Name != "karpenter/arm" || arm.Bound.Smallest.VCPUs != 4 || arm.Bound.Nodes != 8 || !arm.Pool.Requirements.NitroOnly {
		t.Errorf("arm pool = %+v", arm)
	}
	// Sizes from 2 vCPUs (minVCPUs default): 64 / 2 = 32 nodes.
	if general.Bound.Smallest.VCPUs != 2 || general.Bound.Nodes != 32 || general.Pool.Requirements.GenerationAbove != KarpenterGenerationAbove {
		t.Errorf("general pool = %+v", general)
	}
	mp, err := KarpenterMaxPods(c)
	if err != nil || mp != 110 || arm.Pool.MaxPods != 110 || general.Pool.MaxPods != 110 {
		t.Errorf("max pods %d (%v), pools %d %d; want 110", mp, err, arm.Pool.MaxPods, general.Pool.MaxPods)
	}
	// 1-vCPU types let in: c7a.medium takes 2 × 3 × 16 + 2 = 98 pods, and
	// the one EC2NodeClass serves every pool, so every node gets 98.
	p := c.Software.Karpenter.NodePools["general"]
	p.MinVCPUs = 1
	c.Software.Karpenter.NodePools["general"] = p
	if mp, _ := KarpenterMaxPods(c); mp != 98 {
		t.Errorf("with 1-vCPU types: max pods %d, want 98", mp)
	}
	// Secondary IPs (custom networking without prefix delegation): the
	// smallest admitted type's (ENIs - 1) × (IPs - 1) + 2 for all.
	c.Network.PodNetworking.Mode = PodNetworkingCustomNetworking
	c.Network.PodNetworking.CustomNetworking.PrefixDelegation = ptr(false)
	if mp, _ := KarpenterMaxPods(c); mp != 5 || KarpenterNitroOnly(c) {
		t.Errorf("custom networking: max pods %d, Nitro only %v; want 5 (c7a.medium: 1 × 3 + 2), false", mp, KarpenterNitroOnly(c))
	}
	// IPv6 clusters need Nitro instances: the NodePools keep to them, and
	// every node gets the vCPU ceiling.
	c.Network.PodNetworking.Mode = PodNetworkingIPv6
	if mp, err := KarpenterMaxPods(c); mp != 110 || err != nil || !KarpenterNitroOnly(c) {
		t.Errorf("IPv6: max pods %d, %v, Nitro only %v; want 110, Nitro only", mp, err, KarpenterNitroOnly(c))
	}
	if mp, err := KarpenterMaxPods(Default()); mp != 0 || err != nil {
		t.Errorf("without Karpenter: %d, %v", mp, err)
	}
}
