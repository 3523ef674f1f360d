package readiness

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/eksready/eksready/config"
)

// The production baseline beyond the article: metrics and logs, network
// policies, runtime threat detection and pod security. Names and labels
// are repeated here rather than imported (readiness reads synthesized
// output and imports nothing that builds it); the sources are the
// constructs' own (constructs/observability, constructs/addons/baseline).
const (
	containerInsightsPrefix = "/aws/containerinsights/"
	podSecurityPrefix       = "pod-security.kubernetes.io/"
	addonNamespaceNote      = "eksready.io/created-for-addon"
)

var podSecurityLevels = []string{"privileged", "baseline", "restricted"}

// baselineRules are the rules of the production baseline, appended to
// Rules after the Auto Mode rules.
func baselineRules() []*Rule {
	return []*Rule{
		{ID: "BP-OBSERVABILITY", Severity: Warning, Source: "AWS EKS best practices: observability",
			Title:   "Container Insights runs: the CloudWatch observability add-on is installed with an IAM role of its own",
			Problem: "Container Insights is off: no CloudWatch observability add-on with an IAM role of its own", Check: checkObservability},
		{ID: "BP-OBSERVABILITY-LOG-GROUPS", Severity: Error, Source: "AWS EKS best practices: observability",
			Title:   "Every log group the CloudWatch observability add-on writes to is created by eksready before it, with a retention, encrypted with a key that admits it",
			Problem: "A log group the CloudWatch observability add-on writes to is not created by eksready before it, with a retention and encrypted with a key that admits it", Check: checkObservabilityLogGroups},
		{ID: "BP-NETWORK-POLICY", Severity: Warning, Source: "AWS EKS best practices: network security",
			Title:   "Kubernetes NetworkPolicies are enforced",
			Problem: "Kubernetes NetworkPolicies are not enforced: a NetworkPolicy changes nothing", Check: checkNetworkPolicy},
		{ID: "BP-RUNTIME-MONITORING", Severity: Info, Source: "AWS EKS best practices: runtime security",
			Title:   "eksready installs GuardDuty's runtime monitoring agent",
			Problem: "eksready installs no GuardDuty runtime monitoring agent", Check: checkRuntimeMonitoring},
		{ID: "BP-POD-SECURITY-LABELS", Severity: Error, Source: "Kubernetes Pod Security Standards",
			Title:   "Every namespace eksready installs its software into (except kube-system) is created by eksready with Pod Security labels: enforce at a level, warn and audit at restricted",
			Problem: "A namespace eksready installs its software into lacks Pod Security labels (enforce at a level, warn and audit at restricted)", Check: checkPodSecurityLabels},
	}
}

// clusterAddress points a finding about a missing add-on at the cluster
// it belongs to (so SARIF locates it on a line).
func clusterAddress(in *Input) string {
	if c, ok := cluster(in); ok {
		return at("infra", c)
	}
	return "infra: aws_eks_addon"
}

// observabilityAddon is the CloudWatch observability add-on, in either stack.
func observabilityAddon(in *Input) (resource, bool) {
	a, ok := addonsByName(in)[config.CloudWatchObservabilityAddon]
	return a, ok
}

func checkObservability(in *Input) []Violation {
	fix := "set observability.enabled: true (the default)"
	if !in.Config.Network.UsesVpcCni() {
		fix = "the add-on's webhooks need a control plane that reaches pods: use a VPC CNI pod networking mode, or waive this rule and ship metrics and logs another way"
	}
	a, ok := observabilityAddon(in)
	if !ok {
		return []Violation{{Address: clusterAddress(in), Value: "no " + config.CloudWatchObservabilityAddon + " add-on", Fix: fix}}
	}
	if obj(a.Attrs, "pod_identity_association") == nil && str(a.Attrs, "service_account_role_arn") == "" {
		return []Violation{{Address: a.At(), Value: "no IAM role bound to the agent (neither a Pod Identity association nor an IRSA role)", Fix: "let eksready render the add-on: the agent's role holds CloudWatchAgentServerPolicy, never the node role"}}
	}
	return nil
}

// logsKeyAdmits reports whether a key policy lets CloudWatch Logs use the
// key for a log group (its encryption context names the group's ARN).
func logsKeyAdmits(policy, group string) bool {
	for _, st := range policyStatements(policy) {
		cond, _ := st["Condition"].(map[string]any)
		eq, _ := cond["ArnEquals"].(map[string]any)
		for _, arn := range stringOrList(eq["kms:EncryptionContext:aws:logs:arn"]) {
			if strings.HasSuffix(arn, ":log-group:"+group) {
				return true
			}
		}
	}
	return false
}

func checkObservabilityLogGroups(in *Input) []Violation {
	a, ok := observabilityAddon(in)
	if !ok {
		return nil
	}
	groups := map[string]resource{}
	for _, lg := range ofType(in.Infra, "aws_cloudwatch_log_group") {
		groups[str(lg.Attrs, "name")] = lg
	}
	want := []string{}
	for _, kind := range []string{"application", "dataplane", "host", "performance"} {
		want = append(want, containerInsightsPrefix+in.Config.Name+"/"+kind)
	}
	if !strings.Contains(str(a.Attrs, "configuration_values"), "enhanced_container_insights") {
		// Without eksready's agent configuration Application Signals is on,
		// and its metrics go to an account-wide group.
		want = append(want, "/aws/application-signals/data")
	}
	var out []Violation
	deps := strs(a.Attrs, "depends_on")
	for _, name := range want {
		lg, ok := groups[name]
		switch {
		case !ok:
			out = append(out, Violation{Address: "infra: aws_cloudwatch_log_group", Value: "no log group " + name + ": the add-on would create it unencrypted and keep it forever", Fix: "let eksready create the add-on's log groups (observability.enabled)"})
			continue
		case lg.Attrs["retention_in_days"] == nil:
			out = append(out, Violation{Address: at("infra", lg), Value: name + " has no retention", Fix: "set observability.retentionDays"})
		case a.Stack == "infra" && !contains(deps, lg.Address()):
			out = append(out, Violation{Address: a.At(), Value: "does not wait for " + lg.Address() + " (" + name + ")", Fix: "the add-on must depend on its log groups (eksready wires this)"})
		}
		key, ok := keyOf(in, str(lg.Attrs, "kms_key_id"))
		if !ok {
			out = append(out, Violation{Address: at("infra", lg), Value: fmt.Sprintf("%s kms_key_id %q is not an eksready key", name, str(lg.Attrs, "kms_key_id")), Fix: "let eksready encrypt the group with the cluster's logs key"})
		} else if !logsKeyAdmits(str(key.Attrs, "policy"), name) {
			out = append(out, Violation{Address: at("infra", key), Value: "the key policy does not admit CloudWatch Logs for " + name, Fix: "let eksready render the logs key policy: it lists every group the key encrypts"})
		}
	}
	return out
}

func checkNetworkPolicy(in *Input) []Violation {
	for _, r := range releases(in) {
		if chartOf(r) == "cilium" {
			return nil // Cilium enforces NetworkPolicies itself
		}
	}
	fix := "set network.policies.enabled: true (the default)"
	if autoMode(in) {
		for _, r := range releases(in) {
			for _, o := range objectsOf(r) {
				data, _ := o["data"].(map[string]any)
				if o["kind"] == "ConfigMap" && nameOf(o) == "amazon-vpc-cni" && data["enable-network-policy-controller"] == "true" {
					return nil
				}
			}
		}
		return []Violation{{Address: "addons: helm_release", Value: "no ConfigMap kube-system/amazon-vpc-cni with enable-network-policy-controller \"true\": Auto Mode accepts NetworkPolicies without enforcing them", Fix: fix}}
	}
	cni, ok := addonsByName(in)["vpc-cni"]
	if !ok {
		return []Violation{{Address: "infra: aws_eks_addon", Value: "no vpc-cni add-on and no other CNI", Fix: "set network.podNetworking.mode"}}
	}
	cv := str(cni.Attrs, "configuration_values")
	if strings.Contains(cv, `"enableNetworkPolicy" = "true"`) || strings.Contains(cv, `"enableNetworkPolicy":"true"`) {
		return nil
	}
	return []Violation{{Address: cni.At(), Value: "vpc-cni without enableNetworkPolicy \"true\": the network policy agent does not run", Fix: fix}}
}

func checkRuntimeMonitoring(in *Input) []Violation {
	if _, ok := addonsByName(in)[config.GuardDutyAgentAddon]; ok {
		return nil
	}
	return []Violation{{Address: clusterAddress(in), Value: "no " + config.GuardDutyAgentAddon + " add-on",
		Fix: "set runtimeMonitoring.enabled: true, or waive this rule with the reason where GuardDuty's automated agent configuration (or your security team) installs the agent"}}
}

// namespaceObject is a Namespace an eksready release renders.
type namespaceObject struct {
	labels, annotations map[string]any
	release             release
}

func checkPodSecurityLabels(in *Input) []Violation {
	namespaces := map[string]namespaceObject{}
	for _, r := range releases(in) {
		for _, o := range objectsOf(r) {
			if o["kind"] != "Namespace" {
				continue
			}
			meta := obj(o, "metadata")
			labels, _ := meta["labels"].(map[string]any)
			annotations, _ := meta["annotations"].(map[string]any)
			namespaces[nameOf(o)] = namespaceObject{labels: labels, annotations: annotations, release: r}
		}
	}
	var out []Violation
	for _, r := range releases(in) {
		ns := str(r.Attrs, "namespace")
		if ns == "kube-system" || ns == "" {
			continue
		}
		if r.Attrs["create_namespace"] == true {
			out = append(out, Violation{Address: r.At(), Value: "namespace " + ns + " created by Helm's create_namespace, which cannot label it", Fix: "let eksready create its namespaces (the eksready-baseline release)"})
			continue
		}
		if _, ok := namespaces[ns]; !ok {
			out = append(out, Violation{Address: r.At(), Value: "namespace " + ns + " is not created by eksready", Fix: "let eksready create its namespaces (the eksready-baseline release)"})
		}
	}
	names := make([]string, 0, len(namespaces))
	for name := range namespaces {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		n := namespaces[name]
		if n.annotations[addonNamespaceNote] != nil {
			continue // an EKS add-on's namespace: its own pods decide
		}
		enforce, _ := n.labels[podSecurityPrefix+"enforce"].(string)
		if !slices.Contains(podSecurityLevels, enforce) || n.labels[podSecurityPrefix+"warn"] != "restricted" || n.labels[podSecurityPrefix+"audit"] != "restricted" {
			out = append(out, Violation{Address: n.release.At(), Value: fmt.Sprintf("namespace %s: enforce=%v warn=%v audit=%v", name, n.labels[podSecurityPrefix+"enforce"], n.labels[podSecurityPrefix+"warn"], n.labels[podSecurityPrefix+"audit"]),
				Fix: "let eksready render its namespaces: enforce at the level the software there meets, warn and audit at restricted"})
		}
	}
	return out
}
