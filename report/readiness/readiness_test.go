package readiness

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/report"
)

// A fixture's synthesized stacks, as committed in the golden files (the
// golden test keeps them equal to a real synth), with its configuration.
func fixtureInput(t *testing.T, fixture string) Input {
	t.Helper()
	cfg := config.Default()
	if fixture != "default" {
		var err error
		if cfg, err = config.LoadFile(filepath.Join("..", "..", "__tests__", "fixtures", fixture+".yaml")); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join("..", "..", "__tests__", "golden", fixture)
	in := Input{Config: cfg, InfraPath: filepath.Join(dir, "infra.json"), AddonsPath: filepath.Join(dir, "addons.json")}
	var err error
	if in.Infra, err = report.ReadStack(in.InfraPath); err != nil {
		t.Fatal(err)
	}
	if in.Addons, err = report.ReadStack(in.AddonsPath); err != nil {
		t.Fatal(err)
	}
	return in
}

func defaultInput(t *testing.T) Input { return fixtureInput(t, "default") }

// first returns the first resource of a type, for mutation.
func first(st report.Stack, typ string) map[string]any {
	for _, r := range ofType(st, typ) {
		return r.Attrs
	}
	return nil
}

func named(st report.Stack, typ, prefix string) map[string]any {
	for _, r := range ofType(st, typ) {
		if strings.HasPrefix(r.Name, prefix) {
			return r.Attrs
		}
	}
	return nil
}

// weakenings make each rule fire once, by editing the default
// configuration or its synthesized JSON the way a careless change would.
var weakenings = map[string]struct {
	weaken func(in *Input)
	want   string // the violation's value
}{
	"R1-POD-ADDRESSING": {weaken: func(in *Input) {
		a := named(in.Infra, "aws_eks_addon", "managed-addons_vpc-cni")
		a["configuration_values"] = `${jsonencode({"env" = {"WARM_ENI_TARGET" = "1"}})}`
	}, want: "VPC CNI in secondary-IP mode: every pod takes a VPC address and small instances cap pods at ENIs × IPs"},
	"R1-CAPACITY-HEADROOM": {weaken: func(in *Input) {
		in.Config.Readiness.MinCapacityHeadroomPercent = 96
	}, want: "private subnet 10.0.0.0/19 keeps 94.9% free at max scale (416 of 8160 needed)"},
	"R4-DEFAULT-STORAGECLASS": {weaken: func(in *Input) {
		rel := in.Addons.Resource["helm_release"]["storage-classes"]
		v := rel["values"].([]any)[0].(string)
		rel["values"] = []any{strings.Replace(v, `"encrypted":"true"`, `"encrypted":"false"`, 1)}
	}, want: `default StorageClass gp3-encrypted: encrypted=false kmsKeyId="${data.terraform_remote_state.cross-stack-reference-input-infra.outputs.cross-stack-output-aws_kms_keyebs-key_A1CB17E0arn}"`},
	"R6-ONE-AUTOSCALER": {weaken: func(in *Input) {
		delete(in.Addons.Resource["helm_release"], "cluster-autoscaler")
	}, want: "0 autoscalers []"},
	"R6-BALANCE-SIMILAR": {weaken: func(in *Input) {
		rel := in.Addons.Resource["helm_release"]["cluster-autoscaler"]
		v := rel["values"].([]any)[0].(string)
		rel["values"] = []any{strings.Replace(v, `"balance-similar-node-groups":true`, `"balance-similar-node-groups":false`, 1)}
	}, want: "balance-similar-node-groups=false"},
	"R7-KARPENTER-EXPIRY": {weaken: func(in *Input) {
		for _, rel := range in.Addons.Resource["helm_release"] {
			if vs, ok := rel["values"].([]any); ok && len(vs) > 0 {
				rel["values"] = []any{strings.ReplaceAll(vs[0].(string), `"expireAfter":"720h"`, `"expireAfter":"Never"`)}
			}
		}
	}, want: `NodePool general expireAfter "Never"`},
	"BP-NAT-PER-AZ": {weaken: func(in *Input) {
		delete(in.Infra.Resource["aws_nat_gateway"], "network_nat-1_A72B97BB")
		delete(in.Infra.Resource["aws_nat_gateway"], "network_nat-2_1CA02788")
	}, want: "1 NAT gateway for 3 zones"},
	"BP-FLOW-LOGS": {weaken: func(in *Input) { delete(in.Infra.Resource, "aws_flow_log") }, want: "no flow log"},
	"R1-MAX-PODS": {func(in *Input) {
		lt := first(in.Infra, "aws_launch_template")
		ud, _ := base64.StdEncoding.DecodeString(lt["user_data"].(string))
		lt["user_data"] = base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(ud), "max-pods = 110", "max-pods = 250", 1)))
	}, "max-pods 250, planner says 110"},
	"R2-NODE-OS": {func(in *Input) { first(in.Infra, "aws_eks_node_group")["ami_type"] = "AL2_x86_64" }, "ami_type AL2_x86_64"},
	"R2-INSPECTOR": {func(in *Input) {
		first(in.Infra, "aws_eks_node_group")["ami_type"] = "AL2023_x86_64_STANDARD"
	}, "AL2023 nodes, Inspector off"},
	"R2-VOLUMES-ENCRYPTED": {func(in *Input) {
		lt := first(in.Infra, "aws_launch_template")
		bds := lt["block_device_mappings"].([]any)
		bds[1].(map[string]any)["ebs"].(map[string]any)["encrypted"] = "false"
	}, `/dev/xvdb encrypted="false" kms_key_id="${aws_kms_key.ebs-key_A1CB17E0.arn}"`},
	"R3-CORE-ADDONS": {func(in *Input) {
		for _, d := range in.Infra.Data["aws_eks_addon_version"] {
			d["most_recent"] = true
		}
	}, `addon_version "${data.aws_eks_addon_version.managed-addons_vpc-cni-version_24733034.version}"`},
	"R3-ADDON-ORDER": {func(in *Input) {
		named(in.Infra, "aws_eks_addon", "managed-addons_coredns")["depends_on"] = []any{}
	}, "does not wait for aws_eks_node_group.nodes_system-g1-az1_86AD7769"},
	"R4-SECRETS-ENCRYPTION": {func(in *Input) {
		named(in.Infra, "aws_kms_key", "control-plane_secrets-key")["enable_key_rotation"] = false
	}, "enable_key_rotation is not true"},
	"R4-EBS-KEY-POLICY": {func(in *Input) {
		key := named(in.Infra, "aws_kms_key", "ebs-key")
		key["policy"] = strings.Replace(key["policy"].(string), `"Condition":{"Bool":{"kms:GrantIsForAWSResource":true}},`, "", 1)
	}, "kms:CreateGrant without kms:GrantIsForAWSResource"},
	"R5-AUTH-MODE-API": {func(in *Input) {
		first(in.Infra, "aws_eks_cluster")["access_config"].(map[string]any)["authentication_mode"] = "API_AND_CONFIG_MAP"
	}, "authentication_mode API_AND_CONFIG_MAP"},
	"R5-NO-AWS-AUTH": {func(in *Input) {
		in.Addons.Resource["kubernetes_config_map_v1_data"] = map[string]map[string]any{"auth": {"metadata": map[string]any{"name": "aws-auth"}}}
	}, "mentions aws-auth"},
	"R5-NO-KUBERNETES-PROVIDER-IN-INFRA": {func(in *Input) {
		in.Infra.Provider["helm"] = []map[string]any{{}}
	}, "configured"},
	"R5-DEPLOYER-ACCESS": {func(in *Input) {
		for _, a := range in.Infra.Resource["aws_eks_access_policy_association"] {
			a["policy_arn"] = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
		}
	}, "no cluster-admin entry for the deployer"},
	"R6-NODE-GROUP-PER-AZ": {func(in *Input) {
		delete(in.Infra.Resource["aws_eks_node_group"], "nodes_system-g1-az3_9D1AEA11")
	}, "2 node groups over 2 subnets for 3 zones"},
	"R6-DESIRED-SIZE-IGNORED": {func(in *Input) {
		first(in.Infra, "aws_eks_node_group")["lifecycle"] = map[string]any{"create_before_destroy": true}
	}, "desired_size managed by Terraform"},
	"R7-ROTATION-PATH": {func(in *Input) { delete(first(in.Infra, "aws_eks_node_group"), "update_config") }, "no update_config"},
	"BP-IMDSV2": {func(in *Input) {
		first(in.Infra, "aws_launch_template")["metadata_options"].(map[string]any)["http_tokens"] = "optional"
	}, "http_tokens=optional hop limit=1 (configured 1)"},
	"BP-IMDS-HOP-LIMIT": {func(in *Input) {
		first(in.Infra, "aws_launch_template")["metadata_options"].(map[string]any)["http_put_response_hop_limit"] = 2.0
	}, "hop limit 2"},
	"BP-CONTROL-PLANE-LOGS": {func(in *Input) {
		first(in.Infra, "aws_eks_cluster")["enabled_cluster_log_types"] = []any{"api", "audit"}
	}, "missing authenticator, controllerManager, scheduler"},
	"BP-LOG-GROUP-ENCRYPTED": {func(in *Input) {
		delete(first(in.Infra, "aws_cloudwatch_log_group"), "kms_key_id")
	}, `kms_key_id="" retention=90`},
	"BP-PUBLIC-ENDPOINT": {func(in *Input) {}, "public endpoint open to [0.0.0.0/0]"},
	"BP-UPGRADE-POLICY": {func(in *Input) {
		first(in.Infra, "aws_eks_cluster")["upgrade_policy"].(map[string]any)["support_type"] = "EXTENDED"
	}, "support_type EXTENDED"},
	"BP-BOOTSTRAP-ADDONS": {func(in *Input) { delete(first(in.Infra, "aws_eks_cluster"), "bootstrap_self_managed_addons") }, "bootstrap_self_managed_addons = <nil>"},
	"R3-AUTO-MODE-CAPABILITIES": {func(in *Input) {
		first(in.Infra, "aws_eks_cluster")["storage_config"].(map[string]any)["block_storage"].(map[string]any)["enabled"] = false
	}, "compute on, block storage false, load balancing true"},
	"R4-AUTO-MODE-NODECLASS-ENCRYPTED": {func(in *Input) {
		editValues(in, "auto-mode", regexp.MustCompile(`"kmsKeyID":"[^"]*"`), `"kmsKeyID":""`)
	}, `NodeClass eksready kmsKeyID ""`},
	"R4-AUTO-MODE-EBS-KEY-POLICY": {func(in *Input) {
		key := named(in.Infra, "aws_kms_key", "ebs-key")
		key["policy"] = strings.Replace(key["policy"].(string), `"kms:ListGrants","kms:RevokeGrant"`, `"kms:ListGrants"`, 1)
	}, "cluster role may use the key: true, may create, list and revoke AWS-resource grants: false"},
	"R6-AUTO-MODE-NODEPOOLS": {func(in *Input) {
		editValues(in, "auto-mode", regexp.MustCompile(`"kind":"NodePool"`), `"kind":"Deleted"`)
	}, "no built-in node pool and no NodePool of its own"},
	"R7-AUTO-MODE-EXPIRY": {func(in *Input) {
		editValues(in, "auto-mode", regexp.MustCompile(`"expireAfter":"168h"`), `"expireAfter":"720h"`)
	}, `NodePool spot-arm expireAfter "720h"`},
	// Fires by default: admin follows the caller until deployerRoleArn is set.
	"R5-DEPLOYER-PINNED": {func(in *Input) {}, "principal_arn ${data.aws_iam_session_context.access_deployer-session_B489322B.issuer_arn}: the IAM role of the current run, so a laptop's apply and CI's replace each other's entry and the other loses admin"},
	"R7-VERSION-SKEW": {func(in *Input) {
		for name, ng := range in.Infra.Resource["aws_eks_node_group"] {
			if !strings.Contains(name, "-az3") {
				ng["version"] = previousMinor()
			}
		}
	}, fmt.Sprintf("pool system (2 node groups) runs %s, the control plane %s (1 minor behind)", previousMinor(), catalog.DefaultKubernetes)},
	// Fires by default: ten endpoints in three zones cost more than the
	// control plane.
	"BP-ENDPOINT-COST": {func(in *Input) {}, "10 interface endpoints, 30 endpoint-zones: $240.90 a month at $0.011 an hour each in eu-west-1, against $73.00 for the control plane"},
	"BP-ACCELERATOR-TAINT": {func(in *Input) {
		delete(named(in.Infra, "aws_eks_node_group", "nodes_gpu-g1-az1"), "taint")
	}, "nvidia nodes of pool gpu without a NO_SCHEDULE taint"},
	"BP-ACCELERATOR-DRIVER": {func(in *Input) {
		delete(in.Addons.Resource["helm_release"], "nvidia-device-plugin")
	}, "nvidia nodes on AL2023_x86_64_NVIDIA, and no nvidia device plugin release selects and tolerates them"},
	"BP-ACCELERATOR-IDLE": {func(in *Input) {
		named(in.Infra, "aws_eks_node_group", "nodes_gpu-g1-az1")["scaling_config"].(map[string]any)["min_size"] = 1.0
	}, "nvidia node group kept at 1 or more nodes"},
	"BP-OBSERVABILITY": {func(in *Input) {
		deleteAddon(in, "amazon-cloudwatch-observability")
	}, "no amazon-cloudwatch-observability add-on"},
	"BP-OBSERVABILITY-LOG-GROUPS": {func(in *Input) {
		deleteLogGroup(in, "/aws/containerinsights/eksready/performance")
	}, "no log group /aws/containerinsights/eksready/performance: the add-on would create it unencrypted and keep it forever"},
	"BP-NETWORK-POLICY": {func(in *Input) {
		a := named(in.Infra, "aws_eks_addon", "managed-addons_vpc-cni")
		a["configuration_values"] = strings.Replace(a["configuration_values"].(string), `"enableNetworkPolicy" = "true", `, "", 1)
	}, `vpc-cni without enableNetworkPolicy "true": the network policy agent does not run`},
	"BP-RUNTIME-MONITORING": {func(in *Input) {
		deleteAddon(in, "aws-guardduty-agent")
	}, "no aws-guardduty-agent add-on"},
	"BP-POD-SECURITY-LABELS": {func(in *Input) {
		editValues(in, "baseline", regexp.MustCompile(`"pod-security.kubernetes.io/warn":"restricted"`), `"pod-security.kubernetes.io/warn":"privileged"`)
	}, "namespace brupop-bottlerocket-aws: enforce=privileged warn=privileged audit=restricted"},
}

// previousMinor is the supported Kubernetes minor before the default.
func previousMinor() string {
	versions := catalog.SupportedKubernetes()
	return versions[slices.Index(versions, catalog.DefaultKubernetes)-1]
}

// deleteAddon removes a managed add-on from whichever stack holds it.
func deleteAddon(in *Input, name string) {
	for _, st := range []report.Stack{in.Infra, in.Addons} {
		for id, a := range st.Resource["aws_eks_addon"] {
			if a["addon_name"] == name {
				delete(st.Resource["aws_eks_addon"], id)
			}
		}
	}
}

// deleteLogGroup removes the log group of a name from infra.
func deleteLogGroup(in *Input, name string) {
	for id, lg := range in.Infra.Resource["aws_cloudwatch_log_group"] {
		if lg["name"] == name {
			delete(in.Infra.Resource["aws_cloudwatch_log_group"], id)
		}
	}
}

// editValues rewrites a release's values JSON.
func editValues(in *Input, release string, re *regexp.Regexp, repl string) {
	rel := in.Addons.Resource["helm_release"][release]
	rel["values"] = []any{re.ReplaceAllString(rel["values"].([]any)[0].(string), repl)}
}

// weakenedFixture names the golden fixture a rule's weakening starts
// from, when the default configuration does not have what it checks.
var weakenedFixture = map[string]string{
	"R7-KARPENTER-EXPIRY":              "karpenter",
	"R3-AUTO-MODE-CAPABILITIES":        "auto-mode",
	"R4-AUTO-MODE-NODECLASS-ENCRYPTED": "auto-mode-custom-pools",
	"R4-AUTO-MODE-EBS-KEY-POLICY":      "auto-mode",
	"R6-AUTO-MODE-NODEPOOLS":           "auto-mode-custom-pools",
	"R7-AUTO-MODE-EXPIRY":              "auto-mode-custom-pools",
	"BP-ACCELERATOR-TAINT":             "gpu-bottlerocket",
	"BP-ACCELERATOR-DRIVER":            "gpu-al2023-neuron",
	"BP-ACCELERATOR-IDLE":              "gpu-bottlerocket",
	// Runtime monitoring is opt-in: the rule fires on the default.
	"BP-RUNTIME-MONITORING":  "baseline-everything",
	"BP-POD-SECURITY-LABELS": "everything-on",
}

// firesByDefault lists the rules that fire on the default configuration,
// each justified in docs/readiness-report.md.
var firesByDefault = map[string]bool{"BP-PUBLIC-ENDPOINT": true, "R5-DEPLOYER-PINNED": true, "BP-ENDPOINT-COST": true, "BP-RUNTIME-MONITORING": true}

func TestEveryRuleCanFire(t *testing.T) {
	for _, rule := range Rules() {
		t.Run(rule.ID, func(t *testing.T) {
			w, ok := weakenings[rule.ID]
			if !ok {
				t.Fatalf("rule %s has no weakening test: a rule that cannot be shown to fire is a defect", rule.ID)
			}
			fixture := weakenedFixture[rule.ID]
			if fixture == "" {
				fixture = "default"
			}
			in := fixtureInput(t, fixture)
			if got := rule.Check(&in); len(got) != 0 && !firesByDefault[rule.ID] {
				t.Fatalf("fires on the default configuration: %+v", got)
			}
			w.weaken(&in)
			got := rule.Check(&in)
			if len(got) == 0 {
				t.Fatal("did not fire on the weakened configuration")
			}
			if got[0].Value != w.want {
				t.Errorf("value %q, want %q", got[0].Value, w.want)
			}
			if got[0].Fix == "" || got[0].Address == "" {
				t.Errorf("finding lacks an address or a fix: %+v", got[0])
			}
		})
	}
	for id := range weakenings {
		found := false
		for _, r := range Rules() {
			found = found || r.ID == id
		}
		if !found {
			t.Errorf("weakening for unknown rule %s", id)
		}
	}
}

func TestDefaultReportHasNoErrors(t *testing.T) {
	r := Evaluate(defaultInput(t))
	if r.Failed() || r.Count(Error) != 0 {
		t.Fatalf("default configuration fails readiness:\n%s", strings.Join(r.Section().Lines, "\n"))
	}
	if r.Count(Warning)+r.Count(Info) != len(firesByDefault) {
		t.Errorf("default warnings and info: %d, want %d (%v)", r.Count(Warning)+r.Count(Info), len(firesByDefault), r.Section().Lines)
	}
}

func TestWaiversAndUnknownWaivers(t *testing.T) {
	in := defaultInput(t)
	first(in.Infra, "aws_eks_cluster")["access_config"].(map[string]any)["authentication_mode"] = "CONFIG_MAP"
	if r := Evaluate(in); !r.Failed() || r.Count(Error) != 1 {
		t.Fatalf("an error finding must fail the report: %v", r.Section().Lines)
	}
	in.Config.Readiness.Waive = []config.Waiver{{Rule: "R5-AUTH-MODE-API", Reason: "migration window, tracked in PLAT-7"}}
	r := Evaluate(in)
	if r.Failed() {
		t.Fatalf("a waived error still fails: %v", r.Section().Lines)
	}
	text := strings.Join(r.Section().Lines, "\n")
	for _, want := range []string{"1 waived", "WAIVED ERROR R5-AUTH-MODE-API", "waived: migration window, tracked in PLAT-7"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	in.Config.Readiness.Waive = append(in.Config.Readiness.Waive, config.Waiver{Rule: "R5-AUTH-MOED-API", Reason: "a typo in the rule id"})
	if r := Evaluate(in); !r.Failed() || len(r.Unknown) != 1 {
		t.Errorf("a waiver for no rule must fail, got unknown=%v", r.Unknown)
	}
}

// TestSARIFIsValid validates the SARIF log against the SARIF 2.1.0 JSON
// schema (installed by `make setup` from @microsoft/jest-sarif), including
// a waived finding's suppression.
func TestSARIFIsValid(t *testing.T) {
	schemaPath := filepath.Join("..", "..", "node_modules", "@microsoft", "jest-sarif", "lib", "schemas", "sarif-2.1.0-rtm.5.json")
	schemaFile, err := os.Open(schemaPath)
	if err != nil {
		t.Fatalf("SARIF schema missing (run make setup): %v", err)
	}
	defer schemaFile.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	in := defaultInput(t)
	in.Config.Readiness.Waive = []config.Waiver{{Rule: "BP-PUBLIC-ENDPOINT", Reason: "CI runs outside AWS, tracked in PLAT-9"}}
	first(in.Infra, "aws_eks_cluster")["upgrade_policy"].(map[string]any)["support_type"] = "EXTENDED"
	r := Evaluate(in)
	data, err := r.SARIF(in)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Fatalf("SARIF output is not valid SARIF 2.1.0: %v\n%s", err, data)
	}
	var log struct {
		Version string
		Runs    []struct {
			Results []struct {
				RuleID       string `json:"ruleId"`
				Level        string
				Suppressions []map[string]any
				Locations    []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	results := log.Runs[0].Results
	// BP-PUBLIC-ENDPOINT (waived), BP-UPGRADE-POLICY, and the default's
	// R5-DEPLOYER-PINNED, BP-ENDPOINT-COST and BP-RUNTIME-MONITORING.
	if log.Version != "2.1.0" || len(results) != 5 {
		t.Fatalf("version %s, %d results", log.Version, len(results))
	}
	for _, res := range results {
		loc := res.Locations[0].PhysicalLocation
		if !strings.HasSuffix(loc.ArtifactLocation.URI, "infra.json") || loc.Region.StartLine < 2 {
			t.Errorf("%s located at %s:%d, want the cluster's line in the infra stack", res.RuleID, loc.ArtifactLocation.URI, loc.Region.StartLine)
		}
		if (res.RuleID == "BP-PUBLIC-ENDPOINT") != (len(res.Suppressions) == 1) {
			t.Errorf("%s suppressions %v", res.RuleID, res.Suppressions)
		}
	}
}

func TestDefaultReportSection(t *testing.T) {
	got := Evaluate(defaultInput(t)).Section().Lines
	want := []string{
		"46 rules: 0 errors, 2 warnings, 2 info, 0 waived",
		"WARNING BP-PUBLIC-ENDPOINT (AWS EKS best practices: network security): The public API endpoint is open to 0.0.0.0/0",
		"    at infra: aws_eks_cluster.control-plane_cluster_47C848BD: public endpoint open to [0.0.0.0/0]",
		"    fix: list your office, VPN and CI ranges in controlPlane.endpoint.publicAccessCidrs, or set publicAccess: false",
		"WARNING R5-DEPLOYER-PINNED (R5 aws-auth): Cluster admin follows whoever applies last: the deployer's access entry is the caller of each run",
		"    at infra: aws_eks_access_entry.access_deployer_6FD449F3: principal_arn ${data.aws_iam_session_context.access_deployer-session_B489322B.issuer_arn}: the IAM role of the current run, so a laptop's apply and CI's replace each other's entry and the other loses admin",
		"    fix: set access.deployerRoleArn to the one role that deploys (CI's, or the HCP Terraform run role), and give people entries of their own under access.entries",
		"INFO BP-ENDPOINT-COST (Cost: AWS pricing (catalog/prices.go)): The interface VPC endpoints cost more each month than the EKS control plane",
		"    at infra: aws_vpc_endpoint.network_endpoint-autoscaling_C272FD0B: 10 interface endpoints, 30 endpoint-zones: $240.90 a month at $0.011 an hour each in eu-west-1, against $73.00 for the control plane",
		"    fix: set network.endpoints.enabled: false (nodes then reach AWS APIs through the NAT gateways, charged per GB), or keep only the services you need in network.endpoints.services",
		"INFO BP-RUNTIME-MONITORING (AWS EKS best practices: runtime security): eksready installs no GuardDuty runtime monitoring agent",
		"    at infra: aws_eks_cluster.control-plane_cluster_47C848BD: no aws-guardduty-agent add-on",
		"    fix: set runtimeMonitoring.enabled: true, or waive this rule with the reason where GuardDuty's automated agent configuration (or your security team) installs the agent",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestAutoModeRulesSatisfiedByConstruction: an Auto Mode cluster passes,
// and the report says which rules Auto Mode satisfies itself instead of
// checking launch templates and node groups that do not exist.
func TestAutoModeRulesSatisfiedByConstruction(t *testing.T) {
	for _, fixture := range []string{"auto-mode", "auto-mode-custom-pools"} {
		r := Evaluate(fixtureInput(t, fixture))
		// Who keeps admin and what the network costs do not depend on the
		// compute mode; runtime monitoring is opt-in, and on in
		// auto-mode-custom-pools.
		findings := slices.DeleteFunc(slices.Clone(r.Findings), func(f Finding) bool {
			return f.Rule.ID == "R5-DEPLOYER-PINNED" || f.Rule.ID == "BP-ENDPOINT-COST" ||
				(fixture == "auto-mode" && f.Rule.ID == "BP-RUNTIME-MONITORING")
		})
		if r.Failed() || len(findings) != 0 {
			t.Errorf("%s fails readiness:\n%s", fixture, strings.Join(r.Section().Lines, "\n"))
		}
		if len(r.BuiltIn) != len(autoModeReasons) {
			t.Errorf("%s: %d rules satisfied by Auto Mode, want %d", fixture, len(r.BuiltIn), len(autoModeReasons))
		}
		lines := r.Section().Lines
		if !strings.HasSuffix(lines[0], ", 14 satisfied by EKS Auto Mode") || !slices.Contains(lines, "AUTO MODE BP-IMDSV2 (AWS EKS best practices: security): Auto Mode enforces IMDSv2 with a hop limit of 1, which cannot be changed (automode-learn-instances)") {
			t.Errorf("%s section:\n%s", fixture, strings.Join(lines, "\n"))
		}
	}
	for id := range autoModeReasons {
		found := false
		for _, r := range Rules() {
			found = found || r.ID == id
		}
		if !found {
			t.Errorf("Auto Mode reason for unknown rule %s", id)
		}
	}
}

// TestAutoModeVariantsOfSharedRules: the checks that differ in Auto Mode
// still fire there on what they guard.
func TestAutoModeVariantsOfSharedRules(t *testing.T) {
	in := fixtureInput(t, "auto-mode")
	in.Addons.Resource["helm_release"]["karpenter"] = map[string]any{"chart": "karpenter"}
	if got := checkOneAutoscaler(&in); len(got) != 1 || got[0].Value != "Auto Mode's built-in autoscaler and [karpenter]" {
		t.Errorf("R6-ONE-AUTOSCALER in Auto Mode = %+v", got)
	}
	in = fixtureInput(t, "auto-mode")
	editValues(&in, "storage-classes", regexp.MustCompile(`ebs\.csi\.eks\.amazonaws\.com`), "ebs.csi.aws.com")
	if got := checkStorageClass(&in); len(got) != 1 || got[0].Value != `default StorageClass gp3-encrypted: provisioner "ebs.csi.aws.com", want "ebs.csi.eks.amazonaws.com"` {
		t.Errorf("R4-DEFAULT-STORAGECLASS in Auto Mode = %+v", got)
	}
	// R1-POD-ADDRESSING: Auto Mode's prefix delegation is the NodeClass's
	// default, and a NodeClass in secondary-IP mode fires.
	for _, fixture := range []string{"auto-mode", "auto-mode-custom-pools"} {
		in = fixtureInput(t, fixture)
		if got := checkPodAddressing(&in); len(got) != 0 {
			t.Errorf("R1-POD-ADDRESSING on %s = %+v", fixture, got)
		}
	}
	editValues(&in, "auto-mode", regexp.MustCompile(`"spec":\{"role"`), `"spec":{"advancedNetworking":{"ipv4PrefixSize":"32"},"role"`)
	if got := checkPodAddressing(&in); len(got) != 1 || got[0].Value != `NodeClass eksready in secondary-IP mode (advancedNetworking.ipv4PrefixSize "32"): every pod takes a VPC address and nodes cap pods at ENIs × IPs` {
		t.Errorf("R1-POD-ADDRESSING with a secondary-IP NodeClass = %+v", got)
	}
	in = fixtureInput(t, "auto-mode")
	in.Infra.Resource["aws_eks_addon"] = map[string]map[string]any{"coredns": {"addon_name": "coredns"}}
	if got := checkAutoModeCapabilities(&in); len(got) != 1 || got[0].Value != "coredns installed as a managed add-on" {
		t.Errorf("R3-AUTO-MODE-CAPABILITIES with CoreDNS = %+v", got)
	}
}

// TestMaxPodsRuleCoversKarpenter: R1-MAX-PODS also holds Karpenter's
// EC2NodeClass to the planner's max pods.
// The accelerator rules read Karpenter and Auto Mode NodePools too: a
// Neuron NodePool needs eksready's Neuron device plugin to select and
// tolerate its nodes, every accelerated NodePool a NoSchedule taint; a
// device plugin that no longer tolerates a pool's taint is as missing as
// none; a Neuron group on an AMI without the driver is refused.
func TestAcceleratorRulesCoverEveryPath(t *testing.T) {
	driver, taint := ruleByID(t, "BP-ACCELERATOR-DRIVER"), ruleByID(t, "BP-ACCELERATOR-TAINT")
	for _, fixture := range []string{"karpenter-gpu", "auto-mode-gpu", "gpu-al2023-neuron", "gpu-bottlerocket"} {
		in := fixtureInput(t, fixture)
		for _, r := range []*Rule{driver, taint} {
			if got := r.Check(&in); len(got) != 0 {
				t.Errorf("%s fires on %s: %+v", r.ID, fixture, got)
			}
		}
	}
	in := fixtureInput(t, "karpenter-gpu")
	delete(in.Addons.Resource["helm_release"], "neuron-device-plugin")
	if got := driver.Check(&in); len(got) != 1 || got[0].Value != "NodePool neuron launches Neuron nodes, and no Neuron device plugin release selects and tolerates them" {
		t.Errorf("Karpenter Neuron NodePool without its plugin: %+v", got)
	}
	in = fixtureInput(t, "auto-mode-gpu")
	editValues(&in, "auto-mode", regexp.MustCompile(`,"taints":\[[^\]]*\]`), ``)
	if got := taint.Check(&in); len(got) != 2 || got[0].Value != "nvidia NodePool gpu without a NoSchedule taint" {
		t.Errorf("Auto Mode NodePools without taints: %+v", got)
	}
	in = fixtureInput(t, "gpu-al2023-neuron")
	editValues(&in, "neuron-device-plugin", regexp.MustCompile(`"key":"aws.amazon.com/neuron","operator":"Exists"`), `"key":"other","operator":"Exists"`)
	if got := driver.Check(&in); len(got) == 0 || !strings.Contains(got[0].Value, "neuron nodes on AL2023_x86_64_NEURON") {
		t.Errorf("a Neuron plugin that does not tolerate the pool's taint: %+v", got)
	}
	in = fixtureInput(t, "gpu-al2023-neuron")
	named(in.Infra, "aws_eks_node_group", "nodes_inference-g1-az1")["ami_type"] = "AL2023_x86_64_STANDARD"
	if got := driver.Check(&in); len(got) != 1 || got[0].Value != "neuron instances on ami_type AL2023_x86_64_STANDARD, which has no neuron driver" {
		t.Errorf("a Neuron group on the standard AMI: %+v", got)
	}
}

func ruleByID(t *testing.T, id string) *Rule {
	t.Helper()
	for _, r := range Rules() {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no rule %s", id)
	return nil
}

func TestMaxPodsRuleCoversKarpenter(t *testing.T) {
	in := fixtureInput(t, "karpenter")
	if got := checkMaxPods(&in); len(got) != 0 {
		t.Fatalf("fires on the karpenter fixture: %+v", got)
	}
	for _, rel := range in.Addons.Resource["helm_release"] {
		if vs, ok := rel["values"].([]any); ok && len(vs) > 0 {
			rel["values"] = []any{strings.ReplaceAll(vs[0].(string), `"kubelet":{"maxPods":110}`, `"kubelet":{"maxPods":29}`)}
		}
	}
	got := checkMaxPods(&in)
	if len(got) != 1 || got[0].Value != "EC2NodeClass default spec.kubelet.maxPods 29, planner says 110" || got[0].Fix == "" {
		t.Errorf("findings = %+v", got)
	}
}

// Validation refuses a waiver for an unknown rule from config's list of
// IDs (config cannot import this package): the list must be exactly the
// rules, in report order.
func TestConfigKnowsEveryRuleID(t *testing.T) {
	var ids []string
	for _, r := range Rules() {
		ids = append(ids, r.ID)
	}
	if !slices.Equal(ids, config.ReadinessRuleIDs) {
		t.Errorf("rules %v\nconfig.ReadinessRuleIDs %v", ids, config.ReadinessRuleIDs)
	}
}

// A finding prints Problem: it must say what is wrong, so it must exist
// and differ from the Title, which states the desired state.
func TestEveryRuleSaysWhatIsWrong(t *testing.T) {
	for _, r := range Rules() {
		if r.Problem == "" || r.Problem == r.Title {
			t.Errorf("%s: Problem %q must state what is wrong (Title %q)", r.ID, r.Problem, r.Title)
		}
	}
}

// TestEveryFindingPrintsOnce: a configuration warning (the summary's
// "warnings") and a readiness finding whose fix names the same setting
// are the same finding printed twice. Checked on the default (its open
// public endpoint) and with the EXTENDED upgrade policy and a version past
// standard support, where both lists have something to say.
func TestEveryFindingPrintsOnce(t *testing.T) {
	open := defaultInput(t)
	extended := defaultInput(t)
	extended.Config.ControlPlane.UpgradePolicy = "EXTENDED"
	extended.Config.KubernetesVersion = catalog.SupportedKubernetes()[0]
	first(extended.Infra, "aws_eks_cluster")["upgrade_policy"] = map[string]any{"support_type": "EXTENDED"}
	for name, in := range map[string]Input{"default": open, "extended support": extended} {
		r := Evaluate(in)
		if len(r.Findings) == 0 {
			t.Fatalf("%s: no finding to compare", name)
		}
		for _, w := range config.Warnings(in.Config) {
			for _, f := range r.Findings {
				if strings.Contains(f.Fix, w.Path) {
					t.Errorf("%s: warning %q repeats finding %s (fix: %s)", name, w.String(), f.Rule.ID, f.Fix)
				}
			}
		}
	}
}

// A pinned deployer (access.deployerRoleArn) does not follow the caller,
// and a pool following the control plane has no skew.
func TestDayTwoRulesPassWhenPinned(t *testing.T) {
	in := fixtureInput(t, "control-plane-irsa-private")
	if got := checkDeployerPinned(&in); len(got) != 0 {
		t.Errorf("a pinned deployer is reported: %+v", got)
	}
	if got := checkVersionSkew(&in); len(got) != 0 {
		t.Errorf("pools following the control plane are reported: %+v", got)
	}
	// eu-central-1 has no sourced endpoint price: no finding, no guess.
	if got := checkEndpointCost(&in); len(got) != 0 {
		t.Errorf("endpoint cost judged without a price: %+v", got)
	}
}

// TestBaselineRuleVariants: the baseline's rules hold on every fixture that
// turns a part on, and fire on the weakenings the main test does not make.
func TestBaselineRuleVariants(t *testing.T) {
	for _, fixture := range []string{"baseline-everything", "auto-mode", "auto-mode-custom-pools", "network-cilium", "control-plane-irsa-private", "everything-on"} {
		in := fixtureInput(t, fixture)
		for _, check := range []func(*Input) []Violation{checkObservabilityLogGroups, checkNetworkPolicy, checkPodSecurityLabels, checkAddonOrder} {
			if got := check(&in); len(got) != 0 {
				t.Errorf("%s: %+v", fixture, got)
			}
		}
	}
	in := fixtureInput(t, "network-cilium")
	if got := checkObservability(&in); len(got) != 1 || !strings.HasPrefix(got[0].Fix, "the add-on's webhooks need a control plane that reaches pods") {
		t.Errorf("BP-OBSERVABILITY with Cilium = %+v", got)
	}

	// Auto Mode enforces NetworkPolicies only with the controller's ConfigMap.
	in = fixtureInput(t, "auto-mode")
	editValues(&in, "auto-mode", regexp.MustCompile(`"enable-network-policy-controller":"true"`), `"enable-network-policy-controller":"false"`)
	if got := checkNetworkPolicy(&in); len(got) != 1 || !strings.HasPrefix(got[0].Value, "no ConfigMap kube-system/amazon-vpc-cni") {
		t.Errorf("BP-NETWORK-POLICY in Auto Mode = %+v", got)
	}

	// A namespace left to Helm's create_namespace cannot be labelled.
	in = fixtureInput(t, "everything-on")
	in.Addons.Resource["helm_release"]["external-dns"]["create_namespace"] = true
	if got := checkPodSecurityLabels(&in); len(got) != 1 || got[0].Value != "namespace external-dns created by Helm's create_namespace, which cannot label it" {
		t.Errorf("BP-POD-SECURITY-LABELS with create_namespace = %+v", got)
	}

	// The add-on's role, its wait for the log groups and the key policy.
	in = defaultInput(t)
	delete(named(in.Infra, "aws_eks_addon", "managed-addons_amazon-cloudwatch-observability"), "pod_identity_association")
	if got := checkObservability(&in); len(got) != 1 || !strings.HasPrefix(got[0].Value, "no IAM role bound to the agent") {
		t.Errorf("BP-OBSERVABILITY without a role = %+v", got)
	}
	in = defaultInput(t)
	addon := named(in.Infra, "aws_eks_addon", "managed-addons_amazon-cloudwatch-observability")
	addon["depends_on"] = slices.DeleteFunc(addon["depends_on"].([]any), func(d any) bool { return strings.Contains(d.(string), "log-group-2") })
	if got := checkObservabilityLogGroups(&in); len(got) != 1 || !strings.HasPrefix(got[0].Value, "does not wait for aws_cloudwatch_log_group.observability_log-group-2") {
		t.Errorf("BP-OBSERVABILITY-LOG-GROUPS without the wait = %+v", got)
	}
	in = defaultInput(t)
	key := named(in.Infra, "aws_kms_key", "logs-key")
	key["policy"] = strings.Replace(key["policy"].(string), `/aws/containerinsights/eksready/host`, `/aws/containerinsights/other/host`, 1)
	if got := checkObservabilityLogGroups(&in); len(got) != 1 || got[0].Value != "the key policy does not admit CloudWatch Logs for /aws/containerinsights/eksready/host" {
		t.Errorf("BP-OBSERVABILITY-LOG-GROUPS with a narrow key policy = %+v", got)
	}
	// With Application Signals on, its account-wide group is one of them.
	in = fixtureInput(t, "baseline-everything")
	deleteLogGroup(&in, "/aws/application-signals/data")
	if got := checkObservabilityLogGroups(&in); len(got) != 1 || !strings.HasPrefix(got[0].Value, "no log group /aws/application-signals/data") {
		t.Errorf("BP-OBSERVABILITY-LOG-GROUPS with Application Signals = %+v", got)
	}

	// Under defaultDeny, CoreDNS waits in addons for the platform policies.
	in = fixtureInput(t, "baseline-everything")
	named(in.Addons, "aws_eks_addon", "managed-addons_coredns")["depends_on"] = []any{}
	if got := checkAddonOrder(&in); len(got) != 1 || got[0].Value != "not installed after helm_release.baseline" {
		t.Errorf("R3-ADDON-ORDER under defaultDeny = %+v", got)
	}
}
