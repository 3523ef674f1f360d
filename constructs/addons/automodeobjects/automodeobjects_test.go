package automodeobjects

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/constructs/addons/karpenter"
)

func testConfig() Config {
	s := func(v string) *string { return &v }
	return Config{
		NodeRoleName:           s("prod-auto-node-123"),
		SubnetIds:              []*string{s("subnet-a"), s("subnet-b")},
		ClusterSecurityGroupID: s("sg-cluster"),
		EbsKeyArn:              s("arn:aws:kms:eu-west-1:111122223333:key/x"),
		StorageGiB:             80, Iops: 3000, ThroughputMiBs: 125,
		Pools:         map[string]karpenter.Pool{"general": poolOf(config.DefaultAutoModeNodePool())},
		IngressScheme: "internal",
	}
}

func poolOf(p config.AutoModeNodePool) karpenter.Pool {
	return karpenter.Pool{
		InstanceCategories: p.InstanceCategories, Architectures: p.Architectures, CapacityTypes: p.CapacityTypes,
		MinVCPUs: p.MinVCPUs, CPULimit: p.CPULimit, MemoryLimitGiB: p.MemoryLimitGiB,
		ConsolidateAfter: p.ConsolidateAfter, ExpireAfter: p.ExpireAfter,
	}
}

// Reservations go to the NodeClass with Auto Mode's field names (owner,
// not Karpenter's ownerID; EKS user guide, auto-odcr).
func TestNodeClassSelectsCapacityReservations(t *testing.T) {
	cfg := testConfig()
	cfg.CapacityReservations = []ReservationTerm{{ID: "cr-0123456789abcdef0"}, {Tags: map[string]string{"team": "ml"}, Owner: "111122223333"}}
	b, _ := json.Marshal(NewNodeClass(cfg))
	if want := `"capacityReservationSelectorTerms":[{"id":"cr-0123456789abcdef0"},{"tags":{"team":"ml"},"owner":"111122223333"}]`; !strings.Contains(string(b), want) {
		t.Errorf("NodeClass lacks %s:\n%s", want, b)
	}
}

// An accelerated NodePool names its families (no generation bound: the
// accelerated families are older generations too), the NVIDIA
// manufacturer and GPU counts with Auto Mode's labels, its taint and a
// GPU limit.
func TestAcceleratedNodePool(t *testing.T) {
	cfg := testConfig()
	p := poolOf(config.DefaultAutoModeNodePool())
	p.InstanceCategories, p.Accelerator, p.Families, p.AcceleratorCounts, p.AcceleratorLimit = []string{"g"}, "nvidia", []string{"g5", "g6"}, []int{1}, 4
	p.Taints = []karpenter.Taint{{Key: "nvidia.com/gpu", Value: "true", Effect: "NoSchedule"}}
	cfg.Pools = map[string]karpenter.Pool{"gpu": p}
	b, _ := json.Marshal(NewNodePools(cfg)[0])
	s := string(b)
	for _, want := range []string{
		`{"key":"eks.amazonaws.com/instance-family","operator":"In","values":["g5","g6"]}`,
		`{"key":"eks.amazonaws.com/instance-gpu-manufacturer","operator":"In","values":["nvidia"]}`,
		`{"key":"eks.amazonaws.com/instance-gpu-count","operator":"In","values":["1"]}`,
		`"taints":[{"key":"nvidia.com/gpu","value":"true","effect":"NoSchedule"}]`,
		`"nvidia.com/gpu":"4"`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("NodePool lacks %s:\n%s", want, s)
		}
	}
	if strings.Contains(s, "instance-generation") {
		t.Errorf("accelerated NodePool keeps a generation bound:\n%s", s)
	}
}

func TestNodeClassEncryptsWithTheEbsKey(t *testing.T) {
	nc := NewNodeClass(testConfig())
	b, _ := json.Marshal(nc)
	want := `{"apiVersion":"eks.amazonaws.com/v1","kind":"NodeClass","metadata":{"name":"eksready"},"spec":{"role":"prod-auto-node-123","subnetSelectorTerms":[{"id":"subnet-a"},{"id":"subnet-b"}],"securityGroupSelectorTerms":[{"id":"sg-cluster"}],"ephemeralStorage":{"size":"80Gi","iops":3000,"throughput":125,"kmsKeyID":"arn:aws:kms:eu-west-1:111122223333:key/x"}}}`
	if string(b) != want {
		t.Errorf("NodeClass =\n%s\nwant\n%s", b, want)
	}
}

func TestNodePoolsUseAutoModeLabels(t *testing.T) {
	pools := NewNodePools(testConfig())
	if len(pools) != 1 {
		t.Fatalf("%d pools", len(pools))
	}
	b, _ := json.Marshal(pools[0])
	s := string(b)
	for _, want := range []string{
		`"nodeClassRef":{"group":"eks.amazonaws.com","kind":"NodeClass","name":"eksready"}`,
		`{"key":"eks.amazonaws.com/instance-category","operator":"In","values":["c","m","r"]}`,
		`{"key":"eks.amazonaws.com/instance-generation","operator":"Gt","values":["4"]}`,
		`"expireAfter":"336h"`,
		`"labels":{"eksready.io/pool":"general"}`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("NodePool lacks %s:\n%s", want, s)
		}
	}
	// Auto Mode does not support the kubernetes.io/os label, nor
	// Karpenter's own instance labels.
	for _, banned := range []string{"kubernetes.io/os", "karpenter.k8s.aws"} {
		if strings.Contains(s, banned) {
			t.Errorf("NodePool mentions %s:\n%s", banned, s)
		}
	}
}

func TestIngressClassUsesAutoModeALB(t *testing.T) {
	p, c := NewIngressClass("internet-facing")
	b, _ := json.Marshal([]any{p, c})
	want := `[{"apiVersion":"eks.amazonaws.com/v1","kind":"IngressClassParams","metadata":{"name":"alb"},"spec":{"scheme":"internet-facing"}},{"apiVersion":"networking.k8s.io/v1","kind":"IngressClass","metadata":{"name":"alb"},"spec":{"controller":"eks.amazonaws.com/alb","parameters":{"apiGroup":"eks.amazonaws.com","kind":"IngressClassParams","name":"alb"}}}]`
	if string(b) != want {
		t.Errorf("ingress objects =\n%s\nwant\n%s", b, want)
	}
}

// With enforcement on, eksready's NodeClass states the default and the
// network policy controller's ConfigMap turns enforcement on (EKS user
// guide, auto-net-pol, Steps 1 and 2).
func TestNetworkPolicyEnforcement(t *testing.T) {
	cfg := testConfig()
	cfg.NetworkPolicies, cfg.NetworkPolicyDefault = true, NetworkPolicyDefaultDeny
	b, _ := json.Marshal(NewNodeClass(cfg))
	if !strings.HasSuffix(string(b), `,"networkPolicy":"DefaultDeny"}}`) {
		t.Errorf("NodeClass = %s", b)
	}
	b, _ = json.Marshal(NewNetworkPolicyController())
	if want := `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"amazon-vpc-cni","namespace":"kube-system"},"data":{"enable-network-policy-controller":"true"}}`; string(b) != want {
		t.Errorf("ConfigMap = %s\nwant %s", b, want)
	}
}
