package karpenter

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/eksready/eksready/constructs/account"
)

func TestNodePoolsLabelsAndOrder(t *testing.T) {
	cfg := Config{
		Pools: map[string]Pool{
			"zeta":  {Architectures: []string{"arm64"}, CapacityTypes: []string{"spot"}, InstanceCategories: []string{"m"}, CPULimit: 8, MemoryLimitGiB: 32, ConsolidateAfter: "1m", ExpireAfter: "720h", Labels: map[string]string{"team": "a"}},
			"alpha": {Architectures: []string{"amd64"}, CapacityTypes: []string{"on-demand"}, InstanceCategories: []string{"c"}, CPULimit: 4, MemoryLimitGiB: 16, ConsolidateAfter: "Never", ExpireAfter: "Never"},
		},
		ExtraNodeLabels: map[string]string{"bottlerocket.aws/updater-interface-version": "2.0.0"},
	}
	pools := NewNodePools(cfg)
	if len(pools) != 2 || pools[0].Metadata["name"] != "alpha" || pools[1].Metadata["name"] != "zeta" {
		t.Fatalf("pools not sorted by name: %+v", pools)
	}
	z := pools[1]
	labels := z.Spec.Template.Metadata.Labels
	if labels["eksready.io/pool"] != "zeta" || labels["team"] != "a" || labels["bottlerocket.aws/updater-interface-version"] != "2.0.0" {
		t.Errorf("labels = %v", labels)
	}
	if z.Spec.Limits["cpu"] != "8" || z.Spec.Limits["memory"] != "32Gi" {
		t.Errorf("limits = %v", z.Spec.Limits)
	}
	if pools[0].Spec.Disruption.ConsolidateAfter != "Never" || pools[0].Spec.Template.Spec.ExpireAfter != "Never" {
		t.Error("Never is passed through")
	}
}

func TestInterruptionRulesCoverTheFiveEventKinds(t *testing.T) {
	if len(InterruptionRules) != 5 {
		t.Fatalf("%d rules", len(InterruptionRules))
	}
	// EventBridge rule names (cluster + "-karpenter-" + ID) are at most 64
	// characters; cluster names at most 32.
	for _, r := range InterruptionRules {
		if n := 32 + len("-karpenter-") + len(r.ID); n > 64 {
			t.Errorf("rule %s makes names of %d characters", r.ID, n)
		}
	}
}

// The controller policy follows Karpenter v1.14's CloudFormation template:
// the permissions 1.11 and 1.12 added are present.
func TestControllerPolicyHasTheV114Permissions(t *testing.T) {
	partition, region, id := "aws", "eu-west-1", "111122223333"
	b, _ := json.Marshal(ControllerPolicy(&account.Account{Partition: &partition, Region: &region, AccountId: &id}, "prod", &id, &id))
	for _, want := range []string{`"ec2:DescribeInstanceStatus"`, `"ec2:DescribePlacementGroups"`, `"arn:aws:ec2:eu-west-1:*:placement-group/*"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("controller policy lacks %s", want)
		}
	}
}

func TestNodePoolsCarryStartupTaints(t *testing.T) {
	taint := Taint{Key: "node.cilium.io/agent-not-ready", Value: "true", Effect: "NoExecute"}
	pools := NewNodePools(Config{Pools: map[string]Pool{"general": {ExpireAfter: "720h"}}, StartupTaints: []Taint{taint}})
	got := pools[0].Spec.Template.Spec.StartupTaints
	if len(got) != 1 || got[0] != taint {
		t.Errorf("startup taints %v, want %v", got, taint)
	}
	if plain := NewNodePools(Config{Pools: map[string]Pool{"general": {}}}); plain[0].Spec.Template.Spec.StartupTaints != nil {
		t.Errorf("startup taints without a CNI that needs them: %v", plain[0].Spec.Template.Spec.StartupTaints)
	}
}

func TestNodeClassMaxPodsAndPoolRequirements(t *testing.T) {
	cfg := Config{MaxPods: 110, NitroOnly: true, Pools: map[string]Pool{
		"sized": {MinVCPUs: 8, InstanceSizes: []string{"2xlarge", "4xlarge"}},
		"any":   {MinVCPUs: 1},
	}}
	if got := NewNodeClass(cfg).Spec.Kubelet.MaxPods; got != 110 {
		t.Errorf("spec.kubelet.maxPods = %d, want 110", got)
	}
	pools := NewNodePools(cfg)
	reqs := func(p NodePool) map[string]Requirement {
		out := map[string]Requirement{}
		for _, r := range p.Spec.Template.Spec.Requirements {
			out[r.Key] = r
		}
		return out
	}
	anyPool, sized := reqs(pools[0]), reqs(pools[1])
	if r := sized["karpenter.k8s.aws/instance-cpu"]; r.Operator != "Gt" || len(r.Values) != 1 || r.Values[0] != "7" {
		t.Errorf("instance-cpu = %+v, want Gt 7", r)
	}
	if r := sized["karpenter.k8s.aws/instance-size"]; r.Operator != "In" || len(r.Values) != 2 {
		t.Errorf("instance-size = %+v", r)
	}
	if r := sized["karpenter.k8s.aws/instance-hypervisor"]; r.Operator != "In" || len(r.Values) != 1 || r.Values[0] != "nitro" {
		t.Errorf("instance-hypervisor = %+v, want In [nitro] with prefix delegation", r)
	}
	if r := sized["karpenter.k8s.aws/instance-generation"]; r.Operator != "Gt" || r.Values[0] != "2" {
		t.Errorf("instance-generation = %+v", r)
	}
	for _, key := range []string{"karpenter.k8s.aws/instance-cpu", "karpenter.k8s.aws/instance-size"} {
		if _, ok := anyPool[key]; ok {
			t.Errorf("a pool without the restriction has %s", key)
		}
	}
	cfg.NitroOnly = false
	if _, ok := reqs(NewNodePools(cfg)[0])["karpenter.k8s.aws/instance-hypervisor"]; ok {
		t.Error("hypervisor restricted without prefix delegation")
	}
}
