package config

import (
	"strings"
	"testing"

	"github.com/eksready/eksready/constructs/addons/charts"
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

func TestEverySupportedKubernetesVersionHasAClusterAutoscalerChart(t *testing.T) {
	for _, r := range SupportedKubernetesVersions {
		if _, ok := charts.ClusterAutoscaler(r.Version); !ok {
			t.Errorf("Kubernetes %s has no cluster-autoscaler chart: the default autoscaler could not be installed", r.Version)
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
