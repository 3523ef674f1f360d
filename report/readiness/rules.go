package readiness

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/config/ipcapacity"
	"github.com/eksready/eksready/report"
)

// Rules returns every rule, in report order.
func Rules() []*Rule {
	return append([]*Rule{
		{ID: "R1-MAX-PODS", Severity: Error, Source: "R1 IP exhaustion",
			Title:   "Node max-pods (user data, and Karpenter's EC2NodeClass) equals the IP capacity planner's value for the smallest instance type nodes may be",
			Problem: "Node max-pods (user data, or Karpenter's EC2NodeClass) differs from the IP capacity planner's value for the smallest instance type nodes may be", Check: checkMaxPods},
		{ID: "R2-NODE-OS", Severity: Error, Source: "R2 Bottlerocket",
			Title:   "Nodes run Bottlerocket, or AL2023 with the SSM policy on the node role",
			Problem: "Nodes run neither Bottlerocket nor AL2023 with the SSM policy on the node role", Check: checkNodeOS},
		{ID: "R2-INSPECTOR", Severity: Info, Source: "R2 Bottlerocket",
			Title:   "AL2023 nodes are scanned by Amazon Inspector",
			Problem: "AL2023 nodes are not scanned by Amazon Inspector", Check: checkInspector},
		{ID: "R2-VOLUMES-ENCRYPTED", Severity: Error, Source: "R2 Bottlerocket, R4 Encryption",
			Title:   "Every node volume (Bottlerocket: xvda and xvdb) is encrypted with the cluster's KMS key",
			Problem: "A node volume is not encrypted with the cluster's KMS key", Check: checkVolumes},
		{ID: "R3-CORE-ADDONS", Severity: Error, Source: "R3 EKS managed add-ons",
			Title:   "The core managed add-ons exist with deterministic versions",
			Problem: "A core managed add-on is missing or has no deterministic version", Check: checkCoreAddons},
		{ID: "R3-ADDON-ORDER", Severity: Error, Source: "R3 EKS managed add-ons",
			Title:   "VPC CNI and Pod Identity agent precede node groups; CoreDNS and EBS CSI follow them",
			Problem: "Managed add-ons are out of order around the node groups (VPC CNI and Pod Identity agent must precede them; CoreDNS and EBS CSI follow them)", Check: checkAddonOrder},
		{ID: "R4-SECRETS-ENCRYPTION", Severity: Error, Source: "R4 Encryption",
			Title:   "Kubernetes secrets are envelope-encrypted with a rotating customer-managed key",
			Problem: "Kubernetes secrets are not envelope-encrypted with a rotating customer-managed key", Check: checkSecretsEncryption},
		{ID: "R4-EBS-KEY-POLICY", Severity: Error, Source: "R4 Encryption",
			Title:   "The EBS key admits the Auto Scaling service-linked role and the cluster role, CreateGrant only for AWS resources",
			Problem: "The EBS key policy does not admit the Auto Scaling service-linked role and the cluster role, or allows CreateGrant beyond AWS resources", Check: checkEbsKeyPolicy},
		{ID: "R5-AUTH-MODE-API", Severity: Error, Source: "R5 aws-auth",
			Title:   "Cluster authentication mode is API (access entries, no aws-auth)",
			Problem: "Cluster authentication mode is not API (aws-auth is still in play)", Check: onCluster(checkAuthMode)},
		{ID: "R5-NO-AWS-AUTH", Severity: Error, Source: "R5 aws-auth",
			Title:   "Nothing reads or writes the aws-auth ConfigMap",
			Problem: "Something reads or writes the aws-auth ConfigMap", Check: checkNoAwsAuth},
		{ID: "R5-NO-KUBERNETES-PROVIDER-IN-INFRA", Severity: Error, Source: "R5 aws-auth",
			Title:   "The infra stack configures no Kubernetes or Helm provider",
			Problem: "The infra stack configures a Kubernetes or Helm provider", Check: checkInfraProviders},
		{ID: "R5-DEPLOYER-ACCESS", Severity: Error, Source: "R5 aws-auth",
			Title:   "The deploying identity has an explicit cluster-admin access entry",
			Problem: "The deploying identity has no explicit cluster-admin access entry", Check: checkDeployerAccess},
		{ID: "R6-NODE-GROUP-PER-AZ", Severity: Error, Source: "R6 Autoscaling",
			Title:   "Each pool has one node group per availability zone",
			Problem: "A pool does not have exactly one node group per availability zone", Check: checkNodeGroupPerZone},
		{ID: "R6-DESIRED-SIZE-IGNORED", Severity: Error, Source: "R6 Autoscaling",
			Title:   "Terraform ignores node groups' desired size after creation",
			Problem: "Terraform manages node groups' desired size after creation, undoing the autoscaler", Check: checkDesiredSizeIgnored},
		{ID: "R7-ROTATION-PATH", Severity: Error, Source: "R7 Node rotation",
			Title:   "Node groups roll through update_config (and generations for blue/green)",
			Problem: "Node groups have no rolling path (update_config, generations for blue/green)", Check: checkRotation},
		{ID: "BP-IMDSV2", Severity: Error, Source: "AWS EKS best practices: security",
			Title:   "Launch templates require IMDSv2 with the configured hop limit",
			Problem: "A launch template does not require IMDSv2 with the configured hop limit", Check: checkIMDSv2},
		{ID: "BP-IMDS-HOP-LIMIT", Severity: Warning, Source: "AWS EKS best practices: security",
			Title:   "IMDS hop limit is 1, so pods cannot reach the node's role",
			Problem: "IMDS hop limit is above 1, so pods can reach the node's role", Check: checkHopLimit},
		{ID: "BP-CONTROL-PLANE-LOGS", Severity: Warning, Source: "AWS EKS best practices: auditing",
			Title:   "All five control-plane log types are enabled",
			Problem: "Not all five control-plane log types are enabled", Check: onCluster(checkLogTypes)},
		{ID: "BP-LOG-GROUP-ENCRYPTED", Severity: Error, Source: "AWS EKS best practices: auditing",
			Title:   "Log groups (control plane, flow logs, Container Insights) are created by eksready, encrypted, with a retention",
			Problem: "A log group is not created by eksready, encrypted and with a retention", Check: checkLogGroup},
		{ID: "BP-PUBLIC-ENDPOINT", Severity: Warning, Source: "AWS EKS best practices: network security",
			Title:   "The public API endpoint is not open to 0.0.0.0/0",
			Problem: "The public API endpoint is open to 0.0.0.0/0", Check: onCluster(checkPublicEndpoint)},
		{ID: "BP-UPGRADE-POLICY", Severity: Warning, Source: "EKS version lifecycle",
			Title:   "Upgrade policy is STANDARD (no silent extended-support charges)",
			Problem: "Upgrade policy is EXTENDED: extended-support charges apply past standard support", Check: onCluster(checkUpgradePolicy)},
		{ID: "BP-BOOTSTRAP-ADDONS", Severity: Error, Source: "EKS cluster creation",
			Title:   "bootstrap_self_managed_addons is false (changing it later replaces the cluster)",
			Problem: "bootstrap_self_managed_addons is not false (changing it later replaces the cluster)", Check: onCluster(checkBootstrapAddons)},
	}, append(append(append(append(rulesBeyondInfra(), autoModeRules()...), dayTwoRules()...), acceleratorRules()...), baselineRules()...)...)
}

// cluster returns the infra stack's EKS cluster.
func cluster(in *Input) (resource, bool) {
	cs := ofType(in.Infra, "aws_eks_cluster")
	if len(cs) != 1 {
		return resource{}, false
	}
	return cs[0], true
}

// onCluster adapts a check of the cluster resource alone into a rule check.
func onCluster(check func(c resource) []Violation) func(in *Input) []Violation {
	return func(in *Input) []Violation {
		c, ok := cluster(in)
		if !ok {
			return missingCluster()
		}
		return check(c)
	}
}

func missingCluster() []Violation {
	return []Violation{{Address: "infra", Value: "no aws_eks_cluster", Fix: "synthesize with eksready; the infra stack must hold exactly one cluster"}}
}

// poolOf reads which pool a launch template or node group belongs to.
func poolOf(r resource) string {
	if labels, ok := r.Attrs["labels"].(map[string]any); ok {
		if p, ok := labels["eksready.io/pool"].(string); ok {
			return p
		}
	}
	for _, ts := range asList(r.Attrs["tag_specifications"]) {
		if tags, ok := ts["tags"].(map[string]any); ok {
			if p, ok := tags["eksready:pool"].(string); ok {
				return p
			}
		}
	}
	return ""
}

func asList(v any) []map[string]any {
	raw, _ := v.([]any)
	var out []map[string]any
	for _, x := range raw {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

var maxPodsRe = regexp.MustCompile(`(?m)^\s*(?:max-pods = |maxPods: )(\d+)\s*$`)

func checkMaxPods(in *Input) []Violation {
	var out []Violation
	for _, lt := range ofType(in.Infra, "aws_launch_template") {
		pool, ok := in.Config.Nodes[poolOf(lt)]
		if !ok {
			out = append(out, Violation{Address: at("infra", lt), Value: "launch template of no configured pool", Fix: "regenerate the stacks from cluster.yaml"})
			continue
		}
		want := 0
		for _, t := range pool.InstanceTypes {
			r, err := ipcapacity.MaxPods(t, config.CNI(in.Config))
			if err != nil {
				continue
			}
			if want == 0 || r.MaxPods < want {
				want = r.MaxPods
			}
		}
		ud, _ := base64.StdEncoding.DecodeString(str(lt.Attrs, "user_data"))
		m := maxPodsRe.FindSubmatch(ud)
		got := "no max-pods in user data"
		if m != nil {
			got = "max-pods " + string(m[1])
		}
		if m == nil || string(m[1]) != fmt.Sprint(want) {
			out = append(out, Violation{Address: at("infra", lt), Value: fmt.Sprintf("%s, planner says %d", got, want),
				Fix: fmt.Sprintf("let eksready render nodes.%s's user data; do not override max-pods by hand", poolOf(lt))})
		}
	}
	return append(out, checkKarpenterMaxPods(in)...)
}

// checkKarpenterMaxPods: the EC2NodeClass carries the max pods the capacity
// plan charged every Karpenter node with; without it Karpenter would assume
// the ENI-limited secondary-IP density.
func checkKarpenterMaxPods(in *Input) []Violation {
	want, err := config.KarpenterMaxPods(in.Config)
	if err != nil || want == 0 {
		return nil
	}
	var out []Violation
	for _, r := range releases(in) {
		for _, o := range objectsOf(r) {
			if o["kind"] != "EC2NodeClass" {
				continue
			}
			got, _ := obj(obj(o, "spec"), "kubelet")["maxPods"].(float64)
			if int(got) != want {
				out = append(out, Violation{Address: r.At(), Value: fmt.Sprintf("EC2NodeClass %s spec.kubelet.maxPods %v, planner says %d", str(obj(o, "metadata"), "name"), obj(obj(o, "spec"), "kubelet")["maxPods"], want),
					Fix: "let eksready render the EC2NodeClass; its max pods is the lowest among the types the NodePools may launch (software.karpenter.nodePools.<name>.minVCPUs, instanceSizes)"})
			}
		}
	}
	return out
}

// nodeRole returns the node groups' role name reference.
func nodeRoleRef(in *Input) string {
	for _, g := range ofType(in.Infra, "aws_eks_node_group") {
		return strings.Replace(str(g.Attrs, "node_role_arn"), ".arn}", ".name}", 1)
	}
	return ""
}

func roleHasPolicy(in *Input, roleNameRef, policy string) bool {
	for _, att := range ofType(in.Infra, "aws_iam_role_policy_attachment") {
		if str(att.Attrs, "role") == roleNameRef && strings.HasSuffix(str(att.Attrs, "policy_arn"), "/"+policy) {
			return true
		}
	}
	return false
}

func checkNodeOS(in *Input) []Violation {
	var out []Violation
	for _, g := range ofType(in.Infra, "aws_eks_node_group") {
		ami := str(g.Attrs, "ami_type")
		switch {
		case strings.HasPrefix(ami, "BOTTLEROCKET_"):
		case strings.HasPrefix(ami, "AL2023_"):
			if !roleHasPolicy(in, nodeRoleRef(in), "AmazonSSMManagedInstanceCore") {
				out = append(out, Violation{Address: at("infra", g), Value: ami + " without AmazonSSMManagedInstanceCore on the node role", Fix: "let eksready manage the node role"})
			}
		default:
			out = append(out, Violation{Address: at("infra", g), Value: "ami_type " + ami, Fix: fmt.Sprintf("set nodes.%s.os to bottlerocket (or al2023)", poolOf(g))})
		}
	}
	return out
}

func checkInspector(in *Input) []Violation {
	if len(ofType(in.Infra, "aws_inspector2_enabler")) > 0 {
		return nil
	}
	var out []Violation
	for _, g := range ofType(in.Infra, "aws_eks_node_group") {
		if strings.HasPrefix(str(g.Attrs, "ami_type"), "AL2023_") {
			out = append(out, Violation{Address: at("infra", g), Value: "AL2023 nodes, Inspector off", Fix: "set inspector.enabled: true (or use os: bottlerocket)"})
		}
	}
	return out
}

func checkVolumes(in *Input) []Violation {
	var out []Violation
	for _, lt := range ofType(in.Infra, "aws_launch_template") {
		pool := in.Config.Nodes[poolOf(lt)]
		devices := map[string]bool{}
		for _, bd := range asList(lt.Attrs["block_device_mappings"]) {
			ebs := obj(bd, "ebs")
			dev := str(bd, "device_name")
			devices[dev] = true
			if str(ebs, "encrypted") != "true" || !strings.HasPrefix(str(ebs, "kms_key_id"), "${aws_kms_key.") {
				out = append(out, Violation{Address: at("infra", lt), Value: fmt.Sprintf("%s encrypted=%q kms_key_id=%q", dev, str(ebs, "encrypted"), str(ebs, "kms_key_id")), Fix: "let eksready render the launch template: every volume uses the cluster's EBS key"})
			}
		}
		want := []string{"/dev/xvda"}
		if pool.OS == "bottlerocket" {
			want = append(want, "/dev/xvdb")
		}
		for _, d := range want {
			if !devices[d] {
				out = append(out, Violation{Address: at("infra", lt), Value: d + " not mapped", Fix: "Bottlerocket needs both its OS (xvda) and data (xvdb) volume mapped to size and encrypt them"})
			}
		}
	}
	return out
}

var semverRe = regexp.MustCompile(`^v\d+\.\d+\.\d+-eksbuild\.\d+$`)

// addonsByName finds the managed add-ons in infra and, with another CNI,
// in addons, where the ones that need pod networking follow that CNI.
func addonsByName(in *Input) map[string]resource {
	out := map[string]resource{}
	for _, st := range []struct {
		name  string
		stack report.Stack
	}{{"infra", in.Infra}, {"addons", in.Addons}} {
		for _, a := range ofType(st.stack, "aws_eks_addon") {
			a.Stack = st.name
			out[str(a.Attrs, "addon_name")] = a
		}
	}
	return out
}

func coreAddons(in *Input) []string {
	names := []string{"eks-pod-identity-agent", "kube-proxy", "coredns", "aws-ebs-csi-driver"}
	if usesVpcCni(in) {
		names = append([]string{"vpc-cni"}, names...)
	}
	return names
}

// usesVpcCni is false only when another CNI replaces it.
func usesVpcCni(in *Input) bool { return in.Config.Network.UsesVpcCni() }

// addonsFollow names the release the managed add-ons that run pods must
// follow in the addons stack, and why ("" on node groups whose pods start
// as soon as a node exists): the CNI that replaces the VPC CNI, or the
// baseline release whose policies admit the platform's traffic when
// NetworkPolicies deny by default.
func addonsFollow(in *Input) (address, why string) {
	switch {
	case !usesVpcCni(in):
		return "helm_release.cilium", "the Cilium release"
	case in.Config.Network.Policies.DefaultDeny():
		return "helm_release.baseline", "the eksready-baseline release (its NetworkPolicies admit the platform's traffic under defaultDeny)"
	}
	return "", ""
}

func checkCoreAddons(in *Input) []Violation {
	var out []Violation
	addons := addonsByName(in)
	for _, name := range coreAddons(in) {
		a, ok := addons[name]
		if !ok {
			out = append(out, Violation{Address: "infra: aws_eks_addon", Value: name + " missing", Fix: "eksready installs it; do not remove it from the stack"})
			continue
		}
		v := str(a.Attrs, "addon_version")
		if semverRe.MatchString(v) {
			continue
		}
		ds := strings.TrimSuffix(strings.TrimPrefix(v, "${data.aws_eks_addon_version."), ".version}")
		d, ok := in.Infra.Data["aws_eks_addon_version"][ds]
		if !ok {
			d, ok = in.Addons.Data["aws_eks_addon_version"][ds]
		}
		if !ok || d["most_recent"] != false {
			out = append(out, Violation{Address: a.At(), Value: fmt.Sprintf("addon_version %q", v), Fix: fmt.Sprintf("pin managedAddons.versions.%s, or leave it to the EKS default (never most_recent)", name)})
		}
	}
	return out
}

func checkAddonOrder(in *Input) []Violation {
	var out []Violation
	addons := addonsByName(in)
	groups := ofType(in.Infra, "aws_eks_node_group")
	before := []string{"eks-pod-identity-agent"}
	if usesVpcCni(in) {
		before = append([]string{"vpc-cni"}, before...)
	}
	for _, g := range groups {
		deps := strs(g.Attrs, "depends_on")
		for _, name := range before {
			if a, ok := addons[name]; ok && !contains(deps, a.Address()) {
				out = append(out, Violation{Address: at("infra", g), Value: "created without waiting for " + name, Fix: "node groups must depend on the networking add-ons (eksready wires this)"})
			}
		}
	}
	for _, name := range []string{"coredns", "aws-ebs-csi-driver"} {
		a, ok := addons[name]
		if !ok {
			continue
		}
		deps := strs(a.Attrs, "depends_on")
		if follow, why := addonsFollow(in); follow != "" {
			// With another CNI, or when NetworkPolicies deny by default, the
			// node groups are in infra, applied before; these follow the
			// release their pods need instead.
			if a.Stack != "addons" || !contains(deps, follow) {
				out = append(out, Violation{Address: a.At(), Value: "not installed after " + follow, Fix: name + " must follow " + why + " in the addons stack (eksready wires this)"})
			}
			continue
		}
		for _, g := range groups {
			if !contains(deps, g.Address()) {
				out = append(out, Violation{Address: a.At(), Value: "does not wait for " + g.Address(), Fix: name + " must depend on every node group (eksready wires this)"})
				break
			}
		}
	}
	return out
}

// keyOf resolves a "${aws_kms_key.X.arn}" reference.
func keyOf(in *Input, ref string) (resource, bool) {
	name := strings.TrimSuffix(strings.TrimPrefix(ref, "${aws_kms_key."), ".arn}")
	attrs, ok := in.Infra.Resource["aws_kms_key"][name]
	return resource{Type: "aws_kms_key", Name: name, Attrs: attrs}, ok
}

func checkSecretsEncryption(in *Input) []Violation {
	c, ok := cluster(in)
	if !ok {
		return missingCluster()
	}
	enc := obj(c.Attrs, "encryption_config")
	if enc == nil || !contains(strs(enc, "resources"), "secrets") {
		return []Violation{{Address: at("infra", c), Value: "no encryption_config for secrets", Fix: "eksready always encrypts secrets; do not remove encryption_config"}}
	}
	key, ok := keyOf(in, str(obj(enc, "provider"), "key_arn"))
	if !ok {
		return []Violation{{Address: at("infra", c), Value: "secrets key is not an eksready-managed KMS key", Fix: "let eksready create the secrets key"}}
	}
	if key.Attrs["enable_key_rotation"] != true {
		return []Violation{{Address: at("infra", key), Value: "enable_key_rotation is not true", Fix: "eksready turns rotation on; do not override it"}}
	}
	return nil
}

// policyStatements parses a key policy rendered as JSON.
func policyStatements(policy string) []map[string]any {
	var doc struct {
		Statement []map[string]any
	}
	_ = json.Unmarshal([]byte(policy), &doc)
	return doc.Statement
}

// principals lists a statement's AWS principals.
func principals(st map[string]any) []string {
	p, _ := st["Principal"].(map[string]any)
	return stringOrList(p["AWS"])
}

// actions lists a statement's actions.
func actions(st map[string]any) []string { return stringOrList(st["Action"]) }

// stringOrList reads an IAM policy element that is a string or a list.
func stringOrList(v any) []string { return report.Strings(v) }

func checkEbsKeyPolicy(in *Input) []Violation {
	keys := map[string]bool{}
	for _, lt := range ofType(in.Infra, "aws_launch_template") {
		for _, bd := range asList(lt.Attrs["block_device_mappings"]) {
			keys[str(obj(bd, "ebs"), "kms_key_id")] = true
		}
	}
	c, ok := cluster(in)
	if !ok {
		return missingCluster()
	}
	clusterRole := str(c.Attrs, "role_arn")
	var out []Violation
	refs := make([]string, 0, len(keys))
	for ref := range keys {
		refs = append(refs, ref)
	}
	sort.Strings(refs)
	for _, ref := range refs {
		key, ok := keyOf(in, ref)
		if !ok {
			continue // R2-VOLUMES-ENCRYPTED reports keys eksready does not manage
		}
		var useOK, grantOK bool
		for _, st := range policyStatements(str(key.Attrs, "policy")) {
			ps, acts := principals(st), actions(st)
			isRoot := len(ps) == 1 && strings.HasSuffix(ps[0], ":root")
			slr := false
			for _, p := range ps {
				slr = slr || strings.HasSuffix(p, "role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling") || strings.Contains(p, "aws_iam_service_linked_role.")
			}
			if slr && contains(ps, clusterRole) && contains(acts, "kms:GenerateDataKey*") && contains(acts, "kms:Decrypt") {
				useOK = true
			}
			if contains(acts, "kms:CreateGrant") && !isRoot {
				cond, _ := st["Condition"].(map[string]any)
				b, _ := cond["Bool"].(map[string]any)
				if b["kms:GrantIsForAWSResource"] != true {
					out = append(out, Violation{Address: at("infra", key), Value: "kms:CreateGrant without kms:GrantIsForAWSResource", Fix: "eksready renders the EBS key policy; do not widen it"})
				} else if slr {
					grantOK = true
				}
			}
		}
		if !useOK || !grantOK {
			out = append(out, Violation{Address: at("infra", key), Value: fmt.Sprintf("service-linked role and cluster role may use key: %v, may create AWS-resource grants: %v", useOK, grantOK), Fix: "eksready renders the EBS key policy the article gives; do not override it"})
		}
	}
	return out
}

func checkAuthMode(c resource) []Violation {
	if mode := str(obj(c.Attrs, "access_config"), "authentication_mode"); mode != "API" {
		return []Violation{{Address: at("infra", c), Value: "authentication_mode " + mode, Fix: "eksready sets API; grant access with access.entries"}}
	}
	return nil
}

func checkNoAwsAuth(in *Input) []Violation {
	var out []Violation
	for _, s := range []struct {
		name string
		st   any
	}{{"infra", in.Infra}, {"addons", in.Addons}} {
		data, _ := json.Marshal(s.st)
		if strings.Contains(string(data), "aws-auth") {
			out = append(out, Violation{Address: s.name, Value: "mentions aws-auth", Fix: "grant access through access.entries (EKS access entries), never the aws-auth ConfigMap"})
		}
	}
	return out
}

func checkInfraProviders(in *Input) []Violation {
	var out []Violation
	names := make([]string, 0, len(in.Infra.Provider))
	for name := range in.Infra.Provider {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if name == "kubernetes" || name == "helm" || name == "kubectl" {
			out = append(out, Violation{Address: "infra: provider." + name, Value: "configured", Fix: "in-cluster software belongs in the addons stack"})
		}
	}
	return out
}

func checkDeployerAccess(in *Input) []Violation {
	want := in.Config.Access.DeployerRoleArn
	if want == "" {
		want = "${data.aws_iam_session_context."
	}
	for _, e := range ofType(in.Infra, "aws_eks_access_entry") {
		if !strings.HasPrefix(str(e.Attrs, "principal_arn"), want) {
			continue
		}
		for _, a := range ofType(in.Infra, "aws_eks_access_policy_association") {
			if str(a.Attrs, "principal_arn") == "${"+e.Address()+".principal_arn}" && strings.HasSuffix(str(a.Attrs, "policy_arn"), "/AmazonEKSClusterAdminPolicy") {
				return nil
			}
		}
	}
	return []Violation{{Address: "infra: aws_eks_access_entry", Value: "no cluster-admin entry for the deployer", Fix: "set access.deployerRoleArn (or leave it empty for the identity running Terraform)"}}
}

// groupsByPoolGeneration groups node groups by pool and generation label.
func groupsByPoolGeneration(in *Input) (map[string][]resource, []string) {
	out := map[string][]resource{}
	for _, g := range ofType(in.Infra, "aws_eks_node_group") {
		labels, _ := g.Attrs["labels"].(map[string]any)
		key := fmt.Sprintf("%v generation %v", labels["eksready.io/pool"], labels["eksready.io/generation"])
		out[key] = append(out[key], g)
	}
	keys := make([]string, 0, len(out))
	for k := range out {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return out, keys
}

func checkNodeGroupPerZone(in *Input) []Violation {
	var out []Violation
	byPool, keys := groupsByPoolGeneration(in)
	for _, k := range keys {
		// A pool bound to one capacity reservation has its one node group
		// in the reservation's zone; every other pool one per zone.
		zones := in.Config.Network.AvailabilityZoneCount
		if len(byPool[k]) > 0 {
			if pool, ok := in.Config.Nodes[poolOf(byPool[k][0])]; ok && pool.CapacityReservation.ID != "" {
				zones = 1
			}
		}
		subnets := map[string]bool{}
		for _, g := range byPool[k] {
			s := strs(g.Attrs, "subnet_ids")
			if len(s) != 1 {
				out = append(out, Violation{Address: at("infra", g), Value: fmt.Sprintf("%d subnets", len(s)), Fix: "one node group per zone: eksready creates them per subnet"})
			}
			for _, x := range s {
				subnets[x] = true
			}
		}
		if len(byPool[k]) != zones || len(subnets) != zones {
			out = append(out, Violation{Address: "infra: pool " + k, Value: fmt.Sprintf("%d node groups over %d subnets for %d zones", len(byPool[k]), len(subnets), zones), Fix: "one managed node group per availability zone, so the autoscaler can balance zones"})
		}
	}
	return out
}

func checkDesiredSizeIgnored(in *Input) []Violation {
	var out []Violation
	for _, g := range ofType(in.Infra, "aws_eks_node_group") {
		if !contains(strs(obj(g.Attrs, "lifecycle"), "ignore_changes"), "scaling_config[0].desired_size") {
			out = append(out, Violation{Address: at("infra", g), Value: "desired_size managed by Terraform", Fix: "eksready ignores desired_size after creation; do not override lifecycle"})
		}
	}
	return out
}

func checkRotation(in *Input) []Violation {
	var out []Violation
	for _, g := range ofType(in.Infra, "aws_eks_node_group") {
		if obj(g.Attrs, "update_config") == nil {
			out = append(out, Violation{Address: at("infra", g), Value: "no update_config", Fix: fmt.Sprintf("set nodes.%s.update (eksready defaults to 33%%)", poolOf(g))})
		}
		if obj(g.Attrs, "launch_template") == nil {
			out = append(out, Violation{Address: at("infra", g), Value: "no launch template", Fix: "eksready renders one per pool generation so changes roll"})
		}
	}
	return out
}

func checkIMDSv2(in *Input) []Violation {
	var out []Violation
	for _, lt := range ofType(in.Infra, "aws_launch_template") {
		md := obj(lt.Attrs, "metadata_options")
		want := in.Config.Nodes[poolOf(lt)].MetadataHopLimit
		if str(md, "http_tokens") != "required" || md["http_put_response_hop_limit"] != float64(want) {
			out = append(out, Violation{Address: at("infra", lt), Value: fmt.Sprintf("http_tokens=%v hop limit=%v (configured %d)", md["http_tokens"], md["http_put_response_hop_limit"], want), Fix: "let eksready render metadata_options"})
		}
	}
	return out
}

func checkHopLimit(in *Input) []Violation {
	var out []Violation
	for _, lt := range ofType(in.Infra, "aws_launch_template") {
		if hop, _ := obj(lt.Attrs, "metadata_options")["http_put_response_hop_limit"].(float64); hop > 1 {
			out = append(out, Violation{Address: at("infra", lt), Value: fmt.Sprintf("hop limit %v", hop), Fix: fmt.Sprintf("set nodes.%s.metadataHopLimit: 1 unless a pod really needs IMDS", poolOf(lt))})
		}
	}
	return out
}

func checkLogTypes(c resource) []Violation {
	got := strs(c.Attrs, "enabled_cluster_log_types")
	var missing []string
	for _, t := range []string{"api", "audit", "authenticator", "controllerManager", "scheduler"} {
		if !contains(got, t) {
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		return []Violation{{Address: at("infra", c), Value: "missing " + strings.Join(missing, ", "), Fix: "list all five in controlPlane.logging.types (the default)"}}
	}
	return nil
}

// checkLogGroup: every log group eksready creates (control plane, VPC flow
// logs) is encrypted with a key of its own and has a retention, and the
// cluster waits for its control-plane group.
func checkLogGroup(in *Input) []Violation {
	c, ok := cluster(in)
	if !ok {
		return missingCluster()
	}
	var out []Violation
	name := "/aws/eks/" + str(c.Attrs, "name") + "/cluster"
	found := false
	for _, lg := range ofType(in.Infra, "aws_cloudwatch_log_group") {
		if !strings.HasPrefix(str(lg.Attrs, "kms_key_id"), "${aws_kms_key.") || lg.Attrs["retention_in_days"] == nil {
			out = append(out, Violation{Address: at("infra", lg), Value: fmt.Sprintf("kms_key_id=%q retention=%v", str(lg.Attrs, "kms_key_id"), lg.Attrs["retention_in_days"]), Fix: "eksready encrypts its log groups and sets controlPlane.logging.retentionDays / network.flowLogs.retentionDays / observability.retentionDays"})
		}
		if str(lg.Attrs, "name") != name {
			continue
		}
		found = true
		if !contains(strs(c.Attrs, "depends_on"), lg.Address()) {
			out = append(out, Violation{Address: at("infra", c), Value: "created without waiting for " + lg.Address(), Fix: "the cluster must depend on its log group, or EKS creates an unencrypted one"})
		}
	}
	if !found {
		out = append(out, Violation{Address: at("infra", c), Value: "no log group " + name, Fix: "eksready creates it; do not remove it"})
	}
	return out
}

func checkPublicEndpoint(c resource) []Violation {
	vpc := obj(c.Attrs, "vpc_config")
	if vpc["endpoint_public_access"] == false {
		return nil
	}
	cidrs := strs(vpc, "public_access_cidrs")
	if len(cidrs) == 0 || contains(cidrs, "0.0.0.0/0") {
		return []Violation{{Address: at("infra", c), Value: fmt.Sprintf("public endpoint open to %v", cidrs), Fix: "list your office, VPN and CI ranges in controlPlane.endpoint.publicAccessCidrs, or set publicAccess: false"}}
	}
	return nil
}

func checkUpgradePolicy(c resource) []Violation {
	if t := str(obj(c.Attrs, "upgrade_policy"), "support_type"); t != "STANDARD" {
		return []Violation{{Address: at("infra", c), Value: "support_type " + t, Fix: "set controlPlane.upgradePolicy: STANDARD, or keep EXTENDED knowingly (charged per hour past standard support)"}}
	}
	return nil
}

func checkBootstrapAddons(c resource) []Violation {
	if c.Attrs["bootstrap_self_managed_addons"] != false {
		return []Violation{{Address: at("infra", c), Value: fmt.Sprintf("bootstrap_self_managed_addons = %v", c.Attrs["bootstrap_self_managed_addons"]), Fix: "eksready sets false; the core add-ons are managed add-ons"}}
	}
	return nil
}

// rulesBeyondInfra are the rules over the network, the add-ons stack and
// the autoscaler, appended to Rules.
func rulesBeyondInfra() []*Rule {
	return []*Rule{
		{ID: "R1-POD-ADDRESSING", Severity: Warning, Source: "R1 IP exhaustion",
			Title:   "A pod addressing mode that does not exhaust VPC addresses is set (prefix delegation, custom networking, IPv6 or another CNI; in Auto Mode, the NodeClass's default prefix delegation)",
			Problem: "No pod addressing mode that spares VPC addresses is set (prefix delegation, custom networking, IPv6 or another CNI; in Auto Mode, the NodeClass's default prefix delegation)", Check: checkPodAddressing},
		{ID: "R1-CAPACITY-HEADROOM", Severity: Warning, Source: "R1 IP exhaustion",
			Title:   "Every node and pod subnet keeps the configured headroom at the declared maximum scale",
			Problem: "A node or pod subnet falls short of the configured headroom at the declared maximum scale", Check: checkHeadroom},
		{ID: "R4-DEFAULT-STORAGECLASS", Severity: Error, Source: "R4 Encryption",
			Title:   "Exactly one default StorageClass, encrypting new volumes with the cluster's EBS key",
			Problem: "There is not exactly one default StorageClass encrypting new volumes with the cluster's EBS key", Check: checkStorageClass},
		{ID: "R6-ONE-AUTOSCALER", Severity: Error, Source: "R6 Autoscaling",
			Title:   "Exactly one node autoscaler (cluster-autoscaler or Karpenter) is installed",
			Problem: "Not exactly one node autoscaler (cluster-autoscaler or Karpenter) is installed", Check: checkOneAutoscaler},
		{ID: "R6-BALANCE-SIMILAR", Severity: Error, Source: "R6 Autoscaling",
			Title:   "cluster-autoscaler balances similar node groups across zones",
			Problem: "cluster-autoscaler does not balance similar node groups across zones", Check: checkBalanceSimilar},
		{ID: "R7-KARPENTER-EXPIRY", Severity: Error, Source: "R7 Node rotation",
			Title:   "Karpenter NodePools expire nodes, so they rotate onto new AMIs",
			Problem: "A Karpenter NodePool never expires its nodes, so they never rotate onto new AMIs", Check: checkKarpenterExpiry},
		{ID: "BP-NAT-PER-AZ", Severity: Warning, Source: "AWS well-architected: reliability",
			Title:   "One NAT gateway per availability zone (no cross-zone single point of failure)",
			Problem: "Fewer NAT gateways than availability zones: one zone's outage cuts the others' egress", Check: checkNatPerZone},
		{ID: "BP-FLOW-LOGS", Severity: Warning, Source: "AWS EKS best practices: network security",
			Title:   "VPC flow logs are on",
			Problem: "VPC flow logs are off", Check: checkFlowLogs},
	}
}

// release is one Helm release with its values parsed.
type release struct {
	resource
	Values map[string]any
}

// releases lists the addons stack's Helm releases with their (JSON) values.
func releases(in *Input) []release {
	var out []release
	for _, r := range ofType(in.Addons, "helm_release") {
		rel := release{resource: r, Values: map[string]any{}}
		if vs, ok := r.Attrs["values"].([]any); ok && len(vs) > 0 {
			if s, ok := vs[0].(string); ok {
				_ = json.Unmarshal([]byte(s), &rel.Values)
			}
		}
		rel.Stack = "addons"
		out = append(out, rel)
	}
	return out
}

func chartOf(r release) string { return str(r.Attrs, "chart") }

func checkPodAddressing(in *Input) []Violation {
	if autoMode(in) {
		return checkAutoModePodAddressing(in)
	}
	for _, r := range releases(in) {
		if chartOf(r) == "cilium" {
			return nil
		}
	}
	if c, ok := cluster(in); ok && str(obj(c.Attrs, "kubernetes_network_config"), "ip_family") == "ipv6" {
		return nil
	}
	cni, ok := addonsByName(in)["vpc-cni"]
	if !ok {
		return []Violation{{Address: "infra: aws_eks_addon", Value: "no vpc-cni add-on and no other CNI", Fix: "set network.podNetworking.mode"}}
	}
	cv := str(cni.Attrs, "configuration_values")
	for _, mode := range []string{`"ENABLE_PREFIX_DELEGATION" = "true"`, `"AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG" = "true"`, `"ENABLE_PREFIX_DELEGATION":"true"`, `"AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG":"true"`} {
		if strings.Contains(cv, mode) {
			return nil
		}
	}
	return []Violation{{Address: cni.At(), Value: "VPC CNI in secondary-IP mode: every pod takes a VPC address and small instances cap pods at ENIs × IPs", Fix: "set network.podNetworking.mode to prefix-delegation (the default), custom-networking, ipv6 or cilium"}}
}

// autoModeSecondaryIP is the NodeClass's spec.advancedNetworking.ipv4PrefixSize
// that turns Auto Mode's prefix delegation off: "ipv4PrefixSize is default
// to Auto which is prefix and fallback to secondary IP. "32" is the
// secondary IP mode" (EKS user guide, create-node-class). Auto Mode hands
// out /28 prefixes by default and falls back to single addresses when a
// subnet has no free /28 (auto-networking); EKS then caps pods at 110
// "after the existing max pods calculation" (create-node-class).
const autoModeSecondaryIP = "32"

// checkAutoModePodAddressing holds every Auto Mode NodeClass to prefix
// delegation, the default eksready's NodeClass keeps (the built-in pools'
// NodeClass is AWS's, with the default too): in secondary-IP mode every
// pod takes a VPC address and nodes hold as many pods as their ENIs have
// addresses.
func checkAutoModePodAddressing(in *Input) []Violation {
	var out []Violation
	classes, rels := autoModeObjects(in, "NodeClass")
	for i, o := range classes {
		size := obj(obj(o, "spec"), "advancedNetworking")["ipv4PrefixSize"]
		if fmt.Sprint(size) == autoModeSecondaryIP {
			out = append(out, Violation{Address: rels[i].At(), Value: fmt.Sprintf("NodeClass %s in secondary-IP mode (advancedNetworking.ipv4PrefixSize %q): every pod takes a VPC address and nodes cap pods at ENIs × IPs", nameOf(o), autoModeSecondaryIP),
				Fix: "let eksready render the NodeClass: it keeps Auto Mode's default prefix delegation (ipv4PrefixSize Auto)"})
		}
	}
	return out
}

func checkHeadroom(in *Input) []Violation {
	rep, err := config.CapacityReport(in.Config)
	if err != nil || rep == nil {
		// A configuration that does not fit is rejected by validation
		// before any synth; nothing to report here.
		return nil
	}
	var out []Violation
	threshold := float64(in.Config.Readiness.MinCapacityHeadroomPercent)
	for _, s := range rep.Subnets {
		if s.HeadroomPercent < threshold {
			out = append(out, Violation{Address: "config: network (" + s.AZ + ")", Value: fmt.Sprintf("%s subnet %s keeps %.1f%% free at max scale (%d of %d needed)", s.Name, s.Label(), s.HeadroomPercent, s.Need, s.Usable),
				Fix: fmt.Sprintf("give the subnets more room (network.subnets, network.vpcCidr) or lower maxSize; the threshold is readiness.minCapacityHeadroomPercent (%d)", in.Config.Readiness.MinCapacityHeadroomPercent)})
		}
	}
	return out
}

// objectsOf lists the Kubernetes objects an eksready local-chart release
// renders (values.objects).
func objectsOf(r release) []map[string]any {
	return asList(r.Values["objects"])
}

func checkStorageClass(in *Input) []Violation {
	var defaults []string
	var out []Violation
	for _, r := range releases(in) {
		for _, o := range objectsOf(r) {
			if o["kind"] != "StorageClass" {
				continue
			}
			meta := obj(o, "metadata")
			ann, _ := meta["annotations"].(map[string]any)
			if ann["storageclass.kubernetes.io/is-default-class"] != "true" {
				continue
			}
			name := str(meta, "name")
			defaults = append(defaults, name)
			params, _ := o["parameters"].(map[string]any)
			key, _ := params["kmsKeyId"].(string)
			// Auto Mode provisions volumes itself; the EBS CSI driver is not
			// installed there, nor Auto Mode's provisioner elsewhere.
			want := "ebs.csi.aws.com"
			if autoMode(in) {
				want = "ebs.csi.eks.amazonaws.com"
			}
			if p := str(o, "provisioner"); p != want {
				out = append(out, Violation{Address: r.At(), Value: fmt.Sprintf("default StorageClass %s: provisioner %q, want %q", str(meta, "name"), p, want), Fix: "let eksready render the StorageClass for the compute mode"})
			}
			if params["encrypted"] != "true" || !strings.Contains(key, "aws_kms_keyebs-key") {
				out = append(out, Violation{Address: r.At(), Value: fmt.Sprintf("default StorageClass %s: encrypted=%v kmsKeyId=%q", name, params["encrypted"], key), Fix: "let eksready render the StorageClass: it encrypts with the EBS key from infra"})
			}
		}
	}
	if len(defaults) != 1 {
		out = append(out, Violation{Address: "addons: helm_release", Value: fmt.Sprintf("%d default StorageClasses %v", len(defaults), defaults), Fix: "exactly one StorageClass may be default; eksready installs gp3-encrypted"})
	}
	return out
}

func autoscalers(in *Input) []release {
	var out []release
	for _, r := range releases(in) {
		if c := chartOf(r); c == "cluster-autoscaler" || c == "karpenter" {
			out = append(out, r)
		}
	}
	return out
}

func checkOneAutoscaler(in *Input) []Violation {
	as := autoscalers(in)
	var names []string
	for _, r := range as {
		names = append(names, chartOf(r))
	}
	if autoMode(in) {
		// Auto Mode's own Karpenter is the one autoscaler.
		if len(as) == 0 {
			return nil
		}
		return []Violation{{Address: "addons: helm_release", Value: fmt.Sprintf("Auto Mode's built-in autoscaler and %v", names), Fix: "remove software.autoscaling: Auto Mode scales nodes itself"}}
	}
	if len(as) == 1 {
		return nil
	}
	return []Violation{{Address: "addons: helm_release", Value: fmt.Sprintf("%s %v", report.Count(len(as), "autoscaler"), names), Fix: "set software.autoscaling to cluster-autoscaler or karpenter (or waive this rule for a fixed-size cluster)"}}
}

func checkBalanceSimilar(in *Input) []Violation {
	for _, r := range autoscalers(in) {
		if chartOf(r) != "cluster-autoscaler" {
			continue
		}
		args, _ := r.Values["extraArgs"].(map[string]any)
		if args["balance-similar-node-groups"] != true {
			return []Violation{{Address: r.At(), Value: fmt.Sprintf("balance-similar-node-groups=%v", args["balance-similar-node-groups"]), Fix: "eksready sets it; one node group per zone only balances with it"}}
		}
	}
	return nil
}

func checkKarpenterExpiry(in *Input) []Violation {
	var out []Violation
	for _, r := range releases(in) {
		for _, o := range objectsOf(r) {
			if o["kind"] != "NodePool" || str(nodeClassRef(o), "group") == "eks.amazonaws.com" {
				continue // Auto Mode's NodePools: R7-AUTO-MODE-EXPIRY
			}
			spec := obj(obj(obj(o, "spec"), "template"), "spec")
			if e := str(spec, "expireAfter"); e == "" || e == "Never" {
				out = append(out, Violation{Address: r.At(), Value: fmt.Sprintf("NodePool %s expireAfter %q", str(obj(o, "metadata"), "name"), e), Fix: "set software.karpenter.nodePools.<name>.expireAfter (default 720h)"})
			}
		}
	}
	return out
}

func checkNatPerZone(in *Input) []Violation {
	if in.Config.Network.Existing() {
		return nil
	}
	nats := ofType(in.Infra, "aws_nat_gateway")
	if len(nats) != in.Config.Network.AvailabilityZoneCount {
		return []Violation{{Address: "infra: aws_nat_gateway", Value: fmt.Sprintf("%s for %s", report.Count(len(nats), "NAT gateway"), report.Count(in.Config.Network.AvailabilityZoneCount, "zone")), Fix: "set network.natGateways: perAz (the default); a single gateway is a cross-zone single point of failure"}}
	}
	return nil
}

func checkFlowLogs(in *Input) []Violation {
	if in.Config.Network.Existing() || len(ofType(in.Infra, "aws_flow_log")) > 0 {
		return nil
	}
	return []Violation{{Address: "infra: aws_vpc", Value: "no flow log", Fix: "set network.flowLogs.enabled: true (the default)"}}
}
