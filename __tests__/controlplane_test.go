package apptest

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/eksready/eksready/report"
)

// only returns the single resource of a type, failing when there is not
// exactly one.
func only(t *testing.T, st report.Stack, typ string) (string, map[string]any) {
	t.Helper()
	if len(st.Resource[typ]) != 1 {
		t.Fatalf("want exactly one %s, got %d", typ, len(st.Resource[typ]))
	}
	for name, r := range st.Resource[typ] {
		return name, r
	}
	return "", nil
}

// ref is how a resource is referenced in Terraform expressions.
func ref(typ, name string) string { return typ + "." + name }

func TestControlPlaneIsSecureByDefault(t *testing.T) {
	for _, f := range synthAll(t) {
		t.Run(f.Name, func(t *testing.T) {
			infra := f.Stack(t, "infra")
			_, cluster := only(t, infra, "aws_eks_cluster")

			access := cluster["access_config"].(map[string]any)
			if access["authentication_mode"] != "API" || access["bootstrap_cluster_creator_admin_permissions"] != false {
				t.Errorf("access_config = %v, want API-only with no creator admin", access)
			}
			if cluster["bootstrap_self_managed_addons"] != false {
				t.Error("bootstrap_self_managed_addons must be false from day one")
			}
			enc := cluster["encryption_config"].(map[string]any)
			keyArn := enc["provider"].(map[string]any)["key_arn"].(string)
			if !strings.HasPrefix(keyArn, "${aws_kms_key.") || !slices.Equal(toStrings(enc["resources"]), []string{"secrets"}) {
				t.Errorf("encryption_config = %v, want secrets encrypted with an eksready key", enc)
			}
			for name, key := range infra.Resource["aws_kms_key"] {
				if key["enable_key_rotation"] != true {
					t.Errorf("KMS key %s has rotation off", name)
				}
			}
			if f.Config.ControlPlane.Endpoint.PublicAccess != nil && !*f.Config.ControlPlane.Endpoint.PublicAccess {
				vpc := cluster["vpc_config"].(map[string]any)
				if vpc["endpoint_public_access"] != false || vpc["endpoint_private_access"] != true {
					t.Errorf("private-only cluster has vpc_config %v", vpc)
				}
			}
			if got, want := toStrings(cluster["enabled_cluster_log_types"]), f.Config.ControlPlane.Logging.Types; !slices.Equal(got, want) {
				t.Errorf("log types %v, want %v", got, want)
			}
			if cluster["upgrade_policy"].(map[string]any)["support_type"] != f.Config.ControlPlane.UpgradePolicy {
				t.Errorf("upgrade policy %v", cluster["upgrade_policy"])
			}
			// The log group exists before the cluster, encrypted, with a retention.
			var lgName string
			var lg map[string]any
			for name, g := range infra.Resource["aws_cloudwatch_log_group"] {
				if g["name"] == "/aws/eks/"+f.Config.Name+"/cluster" {
					lgName, lg = name, g
				}
			}
			if lg == nil {
				t.Fatal("no control-plane log group")
			}
			if lg["name"] != "/aws/eks/"+f.Config.Name+"/cluster" || lg["retention_in_days"] != float64(f.Config.ControlPlane.Logging.RetentionDays) || !strings.HasPrefix(lg["kms_key_id"].(string), "${aws_kms_key.") {
				t.Errorf("log group = %v", lg)
			}
			if !slices.Contains(toStrings(cluster["depends_on"]), ref("aws_cloudwatch_log_group", lgName)) {
				t.Errorf("cluster does not wait for its log group: %v", cluster["depends_on"])
			}
		})
	}
}

func TestDefaultConfigurationEnablesAllLogTypes(t *testing.T) {
	_, cluster := only(t, fixtureNamed(t, defaultFixture).Stack(t, "infra"), "aws_eks_cluster")
	want := []string{"api", "audit", "authenticator", "controllerManager", "scheduler"}
	if got := toStrings(cluster["enabled_cluster_log_types"]); !slices.Equal(got, want) {
		t.Errorf("default log types %v, want all five", got)
	}
}

// TestNoAwsAuthAnywhere: nothing eksready writes may read or manage the
// aws-auth ConfigMap (R5), in any stack of any fixture.
func TestNoAwsAuthAnywhere(t *testing.T) {
	for _, f := range synthAll(t) {
		for _, stack := range stackNames {
			data, err := os.ReadFile(f.StackPath(stack))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(data), "aws-auth") || strings.Contains(string(data), "kubernetes_config_map") {
				t.Errorf("%s/%s mentions aws-auth or manages a ConfigMap", f.Name, stack)
			}
		}
	}
}

// TestDeployerAndConfiguredAccessEntries: the deployer always has an
// explicit cluster-admin entry, and each configured entry its policy and
// scope.
func TestDeployerAndConfiguredAccessEntries(t *testing.T) {
	for _, f := range synthAll(t) {
		infra := f.Stack(t, "infra")
		// People and pipelines get STANDARD entries; node roles (Karpenter's
		// EC2_LINUX entry) are not access grants.
		entries := map[string]map[string]any{}
		for name, e := range infra.Resource["aws_eks_access_entry"] {
			if e["type"] == "STANDARD" {
				entries[name] = e
			}
		}
		if len(entries) != 1+len(f.Config.Access.Entries) {
			t.Errorf("%s: %d access entries, want deployer + %d", f.Name, len(entries), len(f.Config.Access.Entries))
		}
		var deployer map[string]any
		for name, e := range entries {
			if strings.HasPrefix(name, "access_deployer_") {
				deployer = e
			}
		}
		if deployer == nil {
			t.Fatalf("%s: no deployer access entry", f.Name)
		}
		wantPrincipal := f.Config.Access.DeployerRoleArn
		if wantPrincipal == "" {
			wantPrincipal = "${data.aws_iam_session_context."
		}
		if !strings.HasPrefix(deployer["principal_arn"].(string), wantPrincipal) {
			t.Errorf("%s: deployer principal %v, want %s…", f.Name, deployer["principal_arn"], wantPrincipal)
		}
		assocs := infra.Resource["aws_eks_access_policy_association"]
		var policies []string
		for _, a := range assocs {
			policies = append(policies, a["policy_arn"].(string))
		}
		if !slices.Contains(policies, "arn:${data.aws_partition.account_partition_32ACE770.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy") {
			t.Errorf("%s: deployer has no cluster-admin policy: %v", f.Name, policies)
		}
	}
	// The IRSA fixture scopes the auditor to two namespaces.
	infra := fixtureNamed(t, "control-plane-irsa-private").Stack(t, "infra")
	found := false
	for _, a := range infra.Resource["aws_eks_access_policy_association"] {
		scope := a["access_scope"].(map[string]any)
		if scope["type"] == "namespace" && slices.Equal(toStrings(scope["namespaces"]), []string{"payments", "ledger"}) {
			found = a["policy_arn"] == "arn:${data.aws_partition.account_partition_32ACE770.partition}:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
		}
	}
	if !found {
		t.Error("namespace-scoped view entry missing")
	}
}

// TestManagedAddonsVersionsAndIdentity: every core add-on exists with a
// deterministic version (pinned, or the EKS default resolved by data
// source, never most_recent), and roles bind the way the fixture chose.
func TestManagedAddonsVersionsAndIdentity(t *testing.T) {
	for _, f := range synthAll(t) {
		infra, addonsStack := f.Stack(t, "infra"), f.Stack(t, "addons")
		addons := map[string]map[string]any{}
		versions := map[string]map[string]any{}
		// With another CNI, the add-ons that need pod networking are
		// installed by the addons stack after it.
		for _, st := range []report.Stack{infra, addonsStack} {
			for _, a := range st.Resource["aws_eks_addon"] {
				addons[a["addon_name"].(string)] = a
			}
			for name, d := range st.Data["aws_eks_addon_version"] {
				versions[name] = d
			}
		}
		core := []string{"eks-pod-identity-agent", "kube-proxy", "coredns", "aws-ebs-csi-driver"}
		if f.Config.AutoModeOn() {
			// Auto Mode runs them itself.
			for _, name := range append(core, "vpc-cni") {
				if _, ok := addons[name]; ok {
					t.Errorf("%s: %s installed as a managed add-on in Auto Mode", f.Name, name)
				}
			}
			core = nil
		} else if f.Config.Network.UsesVpcCni() {
			core = append(core, "vpc-cni")
		} else if _, ok := addons["vpc-cni"]; ok {
			t.Errorf("%s: vpc-cni installed next to another CNI", f.Name)
		}
		for _, name := range core {
			a, ok := addons[name]
			if !ok {
				t.Errorf("%s: managed add-on %s missing", f.Name, name)
				continue
			}
			v := a["addon_version"].(string)
			if pinned := f.Config.ManagedAddons.Versions[name]; pinned != "" {
				if v != pinned {
					t.Errorf("%s: %s version %s, want pinned %s", f.Name, name, v, pinned)
				}
			} else if !strings.HasPrefix(v, "${data.aws_eks_addon_version.") {
				t.Errorf("%s: %s version %q is neither pinned nor resolved", f.Name, name, v)
			}
			if a["resolve_conflicts_on_create"] != "OVERWRITE" || a["resolve_conflicts_on_update"] != "OVERWRITE" {
				t.Errorf("%s: %s conflict resolution not set deliberately", f.Name, name)
			}
		}
		for name, d := range versions {
			if d["most_recent"] != false {
				t.Errorf("%s: %s resolves most_recent", f.Name, name)
			}
		}
		for _, name := range []string{"vpc-cni", "aws-ebs-csi-driver"} {
			a, ok := addons[name]
			if !ok {
				continue
			}
			_, viaPodIdentity := a["pod_identity_association"]
			_, viaIRSA := a["service_account_role_arn"]
			if f.Config.WorkloadIdentity == "irsa" && (!viaIRSA || viaPodIdentity) || f.Config.WorkloadIdentity == "pod-identity" && (!viaPodIdentity || viaIRSA) {
				t.Errorf("%s: %s identity binding does not follow workloadIdentity %s", f.Name, name, f.Config.WorkloadIdentity)
			}
		}
	}
}

func toStrings(v any) []string {
	var out []string
	b, _ := json.Marshal(v)
	_ = json.Unmarshal(b, &out)
	return out
}
