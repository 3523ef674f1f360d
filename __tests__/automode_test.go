package apptest

import (
	"slices"
	"strings"
	"testing"
)

// rolePolicies lists the managed policy names attached to a role.
func rolePolicies(infra map[string]map[string]any, roleName string) []string {
	var out []string
	for _, att := range infra {
		if att["role"] == "${aws_iam_role."+roleName+".name}" {
			p := att["policy_arn"].(string)
			out = append(out, p[strings.LastIndex(p, "/")+1:])
		}
	}
	slices.Sort(out)
	return out
}

// TestAutoModeInfra: the Auto Mode fixtures' infra stack is what the EKS
// user guide asks for — all three capabilities on, built-in pools and the
// node role as configured, the cluster role's policies and trust, the node
// role's minimal policies, the node access entry exactly when EKS does not
// create it, the EBS key policy for the cluster role, and nothing Auto Mode
// runs itself.
func TestAutoModeInfra(t *testing.T) {
	for _, name := range []string{"auto-mode", "auto-mode-custom-pools"} {
		f := fixtureNamed(t, name)
		infra := f.Stack(t, "infra")
		builtIn := len(f.Config.Compute.AutoMode.BuiltInNodePools) > 0
		_, c := resourceNamed(t, infra.Resource["aws_eks_cluster"], "control-plane_cluster_")
		cc := get(c, "compute_config").(map[string]any)
		if cc["enabled"] != true || get(c, "storage_config", "block_storage", "enabled") != true || get(c, "kubernetes_network_config", "elastic_load_balancing", "enabled") != true || c["bootstrap_self_managed_addons"] != false {
			t.Errorf("%s: cluster capabilities %v / %v / %v, bootstrap %v", name, cc, c["storage_config"], c["kubernetes_network_config"], c["bootstrap_self_managed_addons"])
		}
		nodeRole, _ := resourceNamed(t, infra.Resource["aws_iam_role"], "auto-mode-nodes_role_")
		pools := toStrings(cc["node_pools"])
		if builtIn != (len(pools) == 2) || builtIn != (cc["node_role_arn"] == "${aws_iam_role."+nodeRole+".arn}") {
			t.Errorf("%s: compute_config %v with built-in pools %v", name, cc, builtIn)
		}
		clusterRole, role := resourceNamed(t, infra.Resource["aws_iam_role"], "control-plane_role_")
		if p := rolePolicies(infra.Resource["aws_iam_role_policy_attachment"], clusterRole); !slices.Equal(p, []string{"AmazonEKSBlockStoragePolicy", "AmazonEKSClusterPolicy", "AmazonEKSComputePolicy", "AmazonEKSLoadBalancingPolicy", "AmazonEKSNetworkingPolicy"}) {
			t.Errorf("%s: cluster role policies %v", name, p)
		}
		if !strings.Contains(role["assume_role_policy"].(string), `"sts:TagSession"`) {
			t.Errorf("%s: cluster role trust lacks sts:TagSession: %s", name, role["assume_role_policy"])
		}
		if p := rolePolicies(infra.Resource["aws_iam_role_policy_attachment"], nodeRole); !slices.Equal(p, []string{"AmazonEC2ContainerRegistryPullOnly", "AmazonEKSWorkerNodeMinimalPolicy"}) {
			t.Errorf("%s: node role policies %v", name, p)
		}
		var ec2Entries int
		for _, e := range infra.Resource["aws_eks_access_entry"] {
			if e["type"] == "EC2" {
				ec2Entries++
				if e["principal_arn"] != "${aws_iam_role."+nodeRole+".arn}" {
					t.Errorf("%s: EC2 access entry for %v", name, e["principal_arn"])
				}
			}
		}
		autoNodePolicy := 0
		for _, a := range infra.Resource["aws_eks_access_policy_association"] {
			if strings.HasSuffix(a["policy_arn"].(string), "/AmazonEKSAutoNodePolicy") && get(a, "access_scope", "type") == "cluster" {
				autoNodePolicy++
			}
		}
		if want := map[bool]int{true: 0, false: 1}[builtIn]; ec2Entries != want || autoNodePolicy != want {
			t.Errorf("%s: %d EC2 entries, %d AmazonEKSAutoNodePolicy associations, want %d (EKS creates the entry with built-in pools)", name, ec2Entries, autoNodePolicy, want)
		}
		for _, typ := range []string{"aws_eks_node_group", "aws_launch_template", "aws_iam_service_linked_role"} {
			if len(infra.Resource[typ]) != 0 {
				t.Errorf("%s: %d %s in Auto Mode", name, len(infra.Resource[typ]), typ)
			}
		}
		_, key := resourceNamed(t, infra.Resource["aws_kms_key"], "ebs-key_")
		policy := key["policy"].(string)
		for _, want := range []string{
			`"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"],"Effect":"Allow","Principal":{"AWS":["${aws_iam_role.` + clusterRole + `.arn}"]}`,
			`"Action":["kms:CreateGrant","kms:ListGrants","kms:RevokeGrant"],"Condition":{"Bool":{"kms:GrantIsForAWSResource":true}},"Effect":"Allow","Principal":{"AWS":["${aws_iam_role.` + clusterRole + `.arn}"]}`,
		} {
			if !strings.Contains(policy, want) {
				t.Errorf("%s: EBS key policy lacks %s:\n%s", name, want, policy)
			}
		}
		if strings.Contains(policy, "AWSServiceRoleForAutoScaling") {
			t.Errorf("%s: EBS key names the Auto Scaling service-linked role in Auto Mode", name)
		}
	}
}

// TestAutoModeAddons: no autoscaler or load balancer controller release;
// the NodeClass, NodePools and IngressClass in one release every chart
// waits for; add-ons that need nodes follow it when no built-in pool runs.
func TestAutoModeAddons(t *testing.T) {
	for _, name := range []string{"auto-mode", "auto-mode-custom-pools"} {
		f := fixtureNamed(t, name)
		addons := f.Stack(t, "addons")
		rels := releases(t, addons)
		for _, r := range []string{"cluster-autoscaler", "karpenter", "aws-load-balancer-controller"} {
			if _, ok := rels[r]; ok {
				t.Errorf("%s: %s installed in Auto Mode", name, r)
			}
		}
		am, ok := rels["auto-mode"]
		if !ok {
			t.Fatalf("%s: no auto-mode release", name)
		}
		if ms := rels["metrics-server"]; !slices.Contains(toStrings(ms.Attrs["depends_on"]), am.Ref) {
			t.Errorf("%s: metrics-server does not wait for the NodePools", name)
		}
		objects, _ := get(am.Values, "objects").([]any)
		kinds := map[string]int{}
		for _, o := range objects {
			kinds[get(o, "kind").(string)]++
		}
		if kinds["NodeClass"] != 1 || kinds["NodePool"] != len(f.Config.Compute.AutoMode.NodePools) || kinds["IngressClass"] != 1 || kinds["IngressClassParams"] != 1 {
			t.Errorf("%s: objects %v", name, kinds)
		}
		nc := objects[0]
		for _, field := range []string{"role", "kmsKeyID"} {
			v := get(nc, "spec", field)
			if field == "kmsKeyID" {
				v = get(nc, "spec", "ephemeralStorage", "kmsKeyID")
			}
			if !fromInfra(v) {
				t.Errorf("%s: NodeClass %s %v is not from infra", name, field, v)
			}
		}
		// Without built-in pools every add-on that runs pods (snapshot
		// controller, CloudWatch observability, GuardDuty agent, Secrets
		// Store CSI driver) waits in addons for the NodePools.
		var want []string
		if len(f.Config.Compute.AutoMode.BuiltInNodePools) == 0 {
			want = []string{"amazon-cloudwatch-observability", "aws-guardduty-agent", "aws-secrets-store-csi-driver-provider", "snapshot-controller"}
		}
		var got []string
		for _, a := range addons.Resource["aws_eks_addon"] {
			got = append(got, a["addon_name"].(string))
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: add-ons in addons %v, want %v", name, got, want)
		}
		// The network policy controller is on, and the NodeClass states the
		// cluster default.
		wantDefault := map[bool]string{true: "DefaultDeny", false: "DefaultAllow"}[f.Config.Network.Policies.DefaultDeny()]
		if got := get(nc, "spec", "networkPolicy"); got != wantDefault {
			t.Errorf("%s: NodeClass networkPolicy %v, want %s", name, got, wantDefault)
		}
		if kinds["ConfigMap"] != 1 {
			t.Errorf("%s: no network policy controller ConfigMap: %v", name, kinds)
		}
		for _, a := range addons.Resource["aws_eks_addon"] {
			if !slices.Contains(toStrings(a["depends_on"]), am.Ref) {
				t.Errorf("%s: %s does not wait for the NodePools", name, a["addon_name"])
			}
		}
	}
}
