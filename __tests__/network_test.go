package apptest

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/report"
	"github.com/eksready/eksready/stacks"
)

// byPrefix returns the resources of a type whose logical name starts with
// "network_<prefix>".
func byPrefix(s report.Stack, typ, prefix string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for name, r := range s.Resource[typ] {
		if strings.HasPrefix(name, "network_"+prefix) {
			out[name] = r
		}
	}
	return out
}

func tagsOf(r map[string]any) map[string]any {
	t, _ := r["tags"].(map[string]any)
	return t
}

// TestDefaultNetwork is the "done when": the default configuration
// is a prefix-delegation VPC over 3 zones with a NAT gateway per zone,
// flow logs and endpoints.
func TestDefaultNetwork(t *testing.T) {
	infra := fixtureNamed(t, defaultFixture).Stack(t, "infra")
	public, private := byPrefix(infra, "aws_subnet", "public-"), byPrefix(infra, "aws_subnet", "private-")
	if len(public) != 3 || len(private) != 3 || len(infra.Resource["aws_subnet"]) != 6 {
		t.Fatalf("subnets: %d public, %d private, %d total; want 3, 3, 6", len(public), len(private), len(infra.Resource["aws_subnet"]))
	}
	zones := map[string]bool{}
	for _, s := range private {
		zones[s["availability_zone"].(string)] = true
		tags := tagsOf(s)
		if tags["kubernetes.io/role/internal-elb"] != "1" || tags["kubernetes.io/cluster/eksready"] != "shared" {
			t.Errorf("private subnet tags %v", tags)
		}
		if _, ok := tags["karpenter.sh/discovery"]; ok {
			t.Errorf("karpenter discovery tag without Karpenter: %v", tags)
		}
	}
	if len(zones) != 3 {
		t.Errorf("private subnets span %d zones, want 3", len(zones))
	}
	for _, s := range public {
		if tagsOf(s)["kubernetes.io/role/elb"] != "1" {
			t.Errorf("public subnet tags %v", tagsOf(s))
		}
	}
	if n := len(infra.Resource["aws_nat_gateway"]); n != 3 {
		t.Errorf("%d NAT gateways, want one per zone", n)
	}
	nats := map[string]bool{}
	for name, r := range byPrefix(infra, "aws_route", "private-") {
		if r["destination_cidr_block"] == "0.0.0.0/0" {
			nats[r["nat_gateway_id"].(string)] = true
		} else {
			t.Errorf("unexpected private route %s: %v", name, r)
		}
	}
	if len(nats) != 3 {
		t.Errorf("private route tables use %d distinct NAT gateways, want 3", len(nats))
	}
	fl := infra.Resource["aws_flow_log"]
	if len(fl) != 1 {
		t.Fatalf("%d flow logs, want 1", len(fl))
	}
	for _, f := range fl {
		if f["log_destination_type"] != "cloud-watch-logs" || f["traffic_type"] != "ALL" {
			t.Errorf("flow log %v", f)
		}
	}
	var gateway, iface int
	for _, e := range infra.Resource["aws_vpc_endpoint"] {
		switch e["vpc_endpoint_type"] {
		case "Gateway":
			gateway++
		case "Interface":
			iface++
			if e["private_dns_enabled"] != true {
				t.Errorf("interface endpoint without private DNS: %v", e["service_name"])
			}
		}
	}
	if gateway != 1 || iface != 10 {
		t.Errorf("%d gateway and %d interface endpoints, want 1 and 10", gateway, iface)
	}
	for _, r := range infra.Resource["aws_vpc_security_group_ingress_rule"] {
		if r["cidr_ipv4"] != "10.0.0.0/16" || r["from_port"] != float64(443) {
			t.Errorf("endpoint rule %v", r)
		}
	}
	for _, c := range infra.Resource["aws_eks_cluster"] {
		ids := c["vpc_config"].(map[string]any)["subnet_ids"].([]any)
		if len(ids) != 3 || !strings.Contains(ids[0].(string), "aws_subnet.network_private-0") {
			t.Errorf("control plane subnets %v, want the private subnets", ids)
		}
	}
}

func TestNetworkModes(t *testing.T) {
	t.Run("custom networking", func(t *testing.T) {
		infra := fixtureNamed(t, "network-custom-networking").Stack(t, "infra")
		assoc := infra.Resource["aws_vpc_ipv4_cidr_block_association"]
		if len(assoc) != 1 {
			t.Fatalf("%d secondary CIDR associations, want 1", len(assoc))
		}
		pods := byPrefix(infra, "aws_subnet", "pod-")
		if len(pods) != 3 {
			t.Fatalf("%d pod subnets, want 3", len(pods))
		}
		for _, p := range pods {
			if !strings.HasPrefix(p["cidr_block"].(string), "198.19.") || tagsOf(p)["kubernetes.io/role/cni"] != "1" {
				t.Errorf("pod subnet %v", p)
			}
			// The subnet waits for the secondary range through its vpc_id.
			if !strings.Contains(p["vpc_id"].(string), "aws_vpc_ipv4_cidr_block_association.") {
				t.Errorf("pod subnet vpc_id %v does not reference the association", p["vpc_id"])
			}
		}
		if n := len(infra.Resource["aws_nat_gateway"]); n != 1 {
			t.Errorf("natGateways single gave %d NAT gateways", n)
		}
		for _, c := range infra.Resource["aws_eks_cluster"] {
			ids := c["vpc_config"].(map[string]any)["subnet_ids"].([]any)
			if len(ids) != 3 || !strings.Contains(ids[0].(string), "network_intra-0") {
				t.Errorf("control plane subnets %v, want the intra subnets", ids)
			}
		}
	})
	t.Run("ipv6", func(t *testing.T) {
		infra := fixtureNamed(t, "network-ipv6").Stack(t, "infra")
		for _, v := range infra.Resource["aws_vpc"] {
			if v["assign_generated_ipv6_cidr_block"] != true {
				t.Errorf("VPC without an Amazon-provided IPv6 block: %v", v)
			}
		}
		if len(infra.Resource["aws_egress_only_internet_gateway"]) != 1 {
			t.Error("no egress-only internet gateway")
		}
		for name, s := range infra.Resource["aws_subnet"] {
			if s["assign_ipv6_address_on_creation"] != true || !strings.HasPrefix(s["ipv6_cidr_block"].(string), "${cidrsubnet(") {
				t.Errorf("%s: no /64 assigned on creation", name)
			}
			if dns64 := s["enable_dns64"] == true; dns64 != strings.Contains(name, "private") {
				t.Errorf("%s: enable_dns64 = %v; want it on private subnets only", name, dns64)
			}
		}
		routes := map[string]int{}
		for _, r := range infra.Resource["aws_route"] {
			if d, ok := r["destination_ipv6_cidr_block"].(string); ok {
				routes[d]++
			}
		}
		if routes["::/0"] != 3 || routes["64:ff9b::/96"] != 2 {
			t.Errorf("IPv6 routes %v; want ::/0 on the public and both private tables, NAT64 on both private", routes)
		}
		if len(infra.Data["aws_availability_zones"]) != 0 {
			t.Error("explicit zones still look zones up at plan time")
		}
	})
	t.Run("cilium", func(t *testing.T) {
		infra := fixtureNamed(t, "network-cilium").Stack(t, "infra")
		for _, typ := range []string{"aws_vpc_endpoint", "aws_flow_log", "aws_security_group"} {
			if len(infra.Resource[typ]) != 0 {
				t.Errorf("%s created although turned off", typ)
			}
		}
		releases := fixtureNamed(t, "network-cilium").Stack(t, "addons").Resource["helm_release"]
		cilium := releases["cilium"]
		pin, _ := catalog.Cilium.Install(fixtureNamed(t, "network-cilium").Config.KubernetesVersion)
		if cilium == nil || cilium["version"] != pin.Version {
			t.Fatalf("no pinned cilium release: %v", cilium)
		}
		if v := cilium["values"].([]any)[0].(string); !strings.Contains(v, `"clusterPoolIPv4PodCIDRList":["100.64.0.0/10"]`) || !strings.Contains(v, `"mode":"cluster-pool"`) {
			t.Errorf("cilium values do not set the cluster pool:\n%s", v)
		}
		ms := releases["metrics-server"]
		if deps, _ := ms["depends_on"].([]any); len(deps) != 1 || deps[0] != "helm_release.cilium" {
			t.Errorf("metrics-server depends on %v, want the CNI", ms["depends_on"])
		}
		if v, _ := ms["values"].([]any); len(v) != 1 || !strings.Contains(v[0].(string), `"hostNetwork":{"enabled":true}`) || !strings.Contains(v[0].(string), `"containerPort":4443`) {
			t.Errorf("metrics-server is not on the host network under the overlay: %v", ms["values"])
		}
		def := fixtureNamed(t, defaultFixture).Stack(t, "addons").Resource["helm_release"]
		if v := def["metrics-server"]["values"].([]any)[0].(string); def["cilium"] != nil || strings.Contains(v, "hostNetwork") || slices.Contains(toStrings(def["metrics-server"]["depends_on"]), "helm_release.cilium") {
			t.Errorf("the VPC CNI default installs Cilium or changes metrics-server: %v", def)
		}
	})
	t.Run("existing VPC", func(t *testing.T) {
		infra := fixtureNamed(t, "network-byo-vpc").Stack(t, "infra")
		for _, typ := range []string{"aws_vpc", "aws_subnet", "aws_nat_gateway", "aws_internet_gateway", "aws_route_table"} {
			if len(infra.Resource[typ]) != 0 {
				t.Errorf("%s created in an existing VPC", typ)
			}
		}
		if n := len(infra.Resource["aws_ec2_tag"]); n != 8 {
			t.Errorf("%d subnet tags, want the cluster tag on all 8 subnets", n)
		}
		for _, c := range infra.Resource["aws_eks_cluster"] {
			ids := c["vpc_config"].(map[string]any)["subnet_ids"].([]any)
			if !reflect.DeepEqual(ids, []any{"subnet-0ccccccccccccccc1", "subnet-0ccccccccccccccc2"}) {
				t.Errorf("control plane subnets %v, want the existing intra subnets", ids)
			}
		}
		for _, f := range infra.Resource["aws_flow_log"] {
			if f["vpc_id"] != "vpc-0a1b2c3d4e5f60718" {
				t.Errorf("flow log on %v", f["vpc_id"])
			}
		}
	})
}

// vpcCni is the vpc-cni add-on configuration of four fixtures, and a
// synth of them where the custom-networking infra stack also outputs its
// rendered JSON.
type vpcCni struct {
	Values map[string]map[string]any
	// CustomNetworking is that infra stack; PodSubnet1 its second zone's
	// pod subnet's resource name.
	CustomNetworking, PodSubnet1 string
}

var (
	vpcCniOnce   sync.Once
	vpcCniResult vpcCni
)

func vpcCniConfigurations(t *testing.T) vpcCni {
	t.Helper()
	synthAll(t)
	vpcCniOnce.Do(func() {
		dir, err := os.MkdirTemp("", "eksready-vpc-cni-")
		if err != nil {
			t.Fatal(err)
		}
		cleanupDirs = append(cleanupDirs, dir)
		app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(filepath.Join(dir, "cdktf.out"))})
		values := map[string]map[string]any{}
		for _, name := range []string{defaultFixture, "network-ipv6", "network-byo-vpc", "network-custom-networking"} {
			infra, err := stacks.NewInfra(app, name, fixtureNamed(t, name).Config)
			if err != nil {
				t.Fatal(err)
			}
			v := infra.Network.VpcCniConfigurationValues(infra.Cluster.Resource.VpcConfig().ClusterSecurityGroupId())
			values[name] = v
			if policy := infra.Network.VpcCniIPv6Policy("aws"); (policy != nil) != (name == "network-ipv6") {
				t.Errorf("%s: IPv6 CNI policy %v", name, policy)
			}
			if name == "network-custom-networking" {
				cdktf.NewTerraformOutput(infra.Stack, jsii.String("vpc_cni"), &cdktf.TerraformOutputConfig{Value: cdktf.Fn_Jsonencode(v)})
			}
		}
		app.Synth()
		vpcCniResult = vpcCni{Values: values, CustomNetworking: filepath.Join(dir, "cdktf.out", "stacks", "network-custom-networking", "cdk.tf.json")}
		for name := range readJSON(t, vpcCniResult.CustomNetworking)["resource"].(map[string]any)["aws_subnet"].(map[string]any) {
			if strings.HasPrefix(name, "network_pod-1_") {
				vpcCniResult.PodSubnet1 = name
			}
		}
	})
	return vpcCniResult
}

// vpcCniCheck applies the custom-networking stack with the rendered
// configuration as an output, in the terraform batch, asserting the
// ENIConfig map is keyed by the zone names (resolved at plan time) and
// points at each zone's pod subnet.
func vpcCniCheck(t *testing.T) mockCheck {
	t.Helper()
	v := vpcCniConfigurations(t)
	return mockCheck{Kind: "infra", Name: "vpc-cni output", Stack: v.CustomNetworking, Run: `  assert {
    condition     = jsondecode(output.vpc_cni).eniConfig.subnets["eu-west-1b"].id == aws_subnet.` + v.PodSubnet1 + `.id
    error_message = "the ENIConfig of eu-west-1b does not point at the zone's pod subnet"
  }
  assert {
    condition     = length(jsondecode(output.vpc_cni).eniConfig.subnets) == 3
    error_message = "want one ENIConfig per zone"
  }
`}
}

func init() { batchExtra = append(batchExtra, vpcCniCheck) }

// TestVpcCniConfigurationValues renders the vpc-cni add-on configuration
// for each mode. For custom networking with zones resolved at plan time,
// terraform plans and applies it against the mocked provider (vpcCniCheck).
func TestVpcCniConfigurationValues(t *testing.T) {
	v := vpcCniConfigurations(t)
	wantDefault := map[string]any{"enableNetworkPolicy": "true", "env": map[string]any{"ENABLE_PREFIX_DELEGATION": "true", "WARM_PREFIX_TARGET": "1"}}
	if !reflect.DeepEqual(v.Values[defaultFixture], wantDefault) {
		t.Errorf("default configuration values = %v, want %v", v.Values[defaultFixture], wantDefault)
	}
	if ipv6 := v.Values["network-ipv6"]; !reflect.DeepEqual(ipv6, map[string]any{"enableNetworkPolicy": "true"}) {
		t.Errorf("ipv6 configuration values = %v, want network policies only", ipv6)
	}
	env := v.Values["network-custom-networking"]["env"]
	wantEnv := map[string]any{
		"AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG": "true", "ENI_CONFIG_LABEL_DEF": "topology.kubernetes.io/zone",
		"ENABLE_PREFIX_DELEGATION": "true", "WARM_IP_TARGET": "8", "MINIMUM_IP_TARGET": "16",
	}
	if !reflect.DeepEqual(env, wantEnv) {
		t.Errorf("custom networking env = %v, want %v", env, wantEnv)
	}
	if v.PodSubnet1 == "" {
		t.Fatal("the custom-networking stack has no pod subnet in its second zone")
	}
	requireMockCheck(t, vpcCniCheck(t))
}

// TestPrefixReservations: the subnet CIDR reservations of type prefix the
// capacity plan counted on exist, on the subnets that hand out prefixes,
// and only where eksready creates them.
func TestPrefixReservations(t *testing.T) {
	for _, f := range synthAll(t) {
		want, err := config.PrefixReservations(f.Config)
		if err != nil {
			t.Fatal(err)
		}
		tier := "private"
		if f.Config.Network.CustomNetworkingOn() {
			tier = "pod"
		}
		got := map[string]string{}
		for name, r := range f.Stack(t, "infra").Resource["aws_ec2_subnet_cidr_reservation"] {
			if r["reservation_type"] != "prefix" {
				t.Errorf("%s: %s reservation_type %v", f.Name, name, r["reservation_type"])
			}
			got[r["cidr_block"].(string)] = r["subnet_id"].(string)
		}
		n := 0
		for zone, cidrs := range want {
			for _, c := range cidrs {
				n++
				subnet := fmt.Sprintf("${aws_subnet.network_%s-%d_", tier, zone)
				if !strings.HasPrefix(got[c], subnet) {
					t.Errorf("%s: reservation %s on %q, want the zone's %s subnet", f.Name, c, got[c], tier)
				}
			}
		}
		if len(got) != n {
			t.Errorf("%s: %d reservations, the plan has %d", f.Name, len(got), n)
		}
		if (n > 0) != (f.Config.Network.PrefixSubnetsOwned() && f.Config.Network.PodNetworking.PrefixReservation.On()) {
			t.Errorf("%s: %d reservations", f.Name, n)
		}
	}
}
