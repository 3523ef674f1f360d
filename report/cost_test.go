package report

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/eksready/eksready/catalog"
)

// golden reads a fixture's committed infra or addons stack (the golden
// test keeps it equal to a real synth).
func golden(t *testing.T, fixture, stack string) Stack {
	t.Helper()
	st, err := ReadStack(filepath.Join("..", "__tests__", "golden", fixture, stack+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// The default cluster's fixed monthly cost, by hand: one control plane in
// standard support at $0.10/hour, three NAT gateways at eu-west-1's
// $0.048/hour and their three public IPv4 addresses at $0.005/hour, ten
// interface endpoints in three zones at $0.011/hour, three KMS keys at
// $1/month; 730 hours a month.
func TestDefaultCostRecomputedByHand(t *testing.T) {
	e := EstimateCost(golden(t, "default", "infra"), "eu-west-1")
	byHand := 1*0.10*730 + 3*0.048*730 + 3*0.005*730 + 10*3*0.011*730 + 3*1.00
	if !e.Complete() || e.Total() != cents(byHand) || e.Total() != 432.97 {
		t.Errorf("total %.2f (complete %v), by hand %.2f", e.Total(), e.Complete(), byHand)
	}
	want := map[catalog.PriceItem]int{catalog.EKSClusterStandard: 1, catalog.NATGateway: 3, catalog.PublicIPv4: 3, catalog.InterfaceEndpoint: 30, catalog.KMSKey: 3}
	for _, l := range e.Lines {
		if want[l.Item] != l.Count {
			t.Errorf("%s: %d, want %d", l.What, l.Count, want[l.Item])
		}
		delete(want, l.Item)
	}
	if len(want) != 0 {
		t.Errorf("lines missing: %v", want)
	}
	got := strings.Join(e.Section().Lines, "\n")
	for _, line := range []string{
		"EKS control plane (standard support)        1 × $0.10/hour             $73.00",
		"interface endpoints × zones                30 × $0.011/hour           $240.90",
		"KMS keys                                    3 × $1.00/month             $3.00",
		"total                                                                 $432.97",
		"left out (usage-based): nodes (EC2 instances, their EBS volumes, and EKS Auto Mode's management fee",
	} {
		if !strings.Contains(got, line) {
			t.Errorf("section lacks %q:\n%s", line, got)
		}
	}
}

// The support tier is the one the version is in on the catalog's review
// date: extended support is charged only past standard support, and only
// when the upgrade policy keeps the cluster there.
func TestControlPlaneSupportTier(t *testing.T) {
	var extended string
	for _, v := range catalog.SupportedKubernetes() {
		if r, _ := catalog.Release(v); !r.InStandardSupport() {
			extended = v
		}
	}
	if extended == "" {
		t.Skip("no supported version is in extended support on the catalog's review date")
	}
	infra := golden(t, "default", "infra")
	for _, c := range infra.Resource["aws_eks_cluster"] {
		c["version"] = extended
		c["upgrade_policy"] = map[string]any{"support_type": "EXTENDED"}
	}
	e := EstimateCost(infra, "eu-west-1")
	if l, ok := e.Line(catalog.EKSClusterExtended); !ok || l.Monthly() != 0.60*730 {
		t.Errorf("extended support: %+v", e.Lines)
	}
	for _, c := range infra.Resource["aws_eks_cluster"] {
		c["upgrade_policy"] = map[string]any{"support_type": "STANDARD"}
	}
	if _, ok := EstimateCost(infra, "eu-west-1").Line(catalog.EKSClusterStandard); !ok {
		t.Error("with upgrade policy STANDARD, EKS upgrades the cluster: standard price")
	}
}

// Where the catalog has no price, the summary says so instead of guessing.
func TestUnsourcedPricesAreNotEstimated(t *testing.T) {
	e := EstimateCost(golden(t, "default", "infra"), "eu-central-1")
	got := e.Section().Lines
	if e.Complete() || !slices.Contains(got, "not estimated, no price sourced for eu-central-1: NAT gateways, interface endpoints × zones") {
		t.Errorf("eu-central-1:\n%s", strings.Join(got, "\n"))
	}
	cn := EstimateCost(golden(t, "partition-aws-cn", "infra"), "cn-north-1").Section().Lines
	if !slices.Contains(cn, "no estimate: eksready's price table (catalog/prices.go) has no sourced prices for cn-north-1 (partition aws-cn)") {
		t.Errorf("aws-cn:\n%s", strings.Join(cn, "\n"))
	}
	// An endpoint whose subnets are an expression cannot be counted.
	infra := golden(t, "default", "infra")
	for _, ep := range infra.Resource["aws_vpc_endpoint"] {
		if ep["vpc_endpoint_type"] == "Interface" {
			ep["subnet_ids"] = "${var.subnets}"
		}
	}
	if e := EstimateCost(infra, "eu-west-1"); e.Complete() || len(e.Uncounted) != 10 {
		t.Errorf("uncounted endpoints: %v", e.Uncounted)
	}
}

func TestFloatingValues(t *testing.T) {
	infra, addons := golden(t, "default", "infra"), golden(t, "default", "addons")
	got := FloatingValues(infra, addons)
	if len(got) != 2 ||
		!strings.HasPrefix(got[0].String(), "node AMI release of pool system: the newest release, from SSM parameter /aws/service/bottlerocket/aws-k8s-") ||
		!strings.HasSuffix(got[0].String(), "; pin: nodes.system.amiReleaseVersion") ||
		got[1].String() != "EKS add-on versions of amazon-cloudwatch-observability, aws-ebs-csi-driver, coredns, eks-node-monitoring-agent, eks-pod-identity-agent, kube-proxy, vpc-cni: the version EKS marks default for the control plane's Kubernetes version, from aws_eks_addon_version; pin: managedAddons.versions.<add-on>" {
		t.Errorf("default floating values:\n%v", got)
	}
	// Pinned, nothing floats.
	for _, ng := range infra.Resource["aws_eks_node_group"] {
		ng["release_version"] = "1.50.0-e0000000"
	}
	for _, a := range infra.Resource["aws_eks_addon"] {
		a["addon_version"] = "v1.0.0-eksbuild.1"
	}
	if got := FloatingValues(infra, addons); len(got) != 0 {
		t.Errorf("pinned configuration still floats: %v", got)
	}
	k := FloatingValues(golden(t, "karpenter", "infra"), golden(t, "karpenter", "addons"))
	if last := k[len(k)-1].String(); last != "Karpenter EC2NodeClass AMI alias bottlerocket@latest: Karpenter resolves the newest release and replaces drifted nodes; pin: software.karpenter.amiAlias (bottlerocket@v<major>.<minor>.<patch>)" {
		t.Errorf("karpenter: %v", k)
	}
}
