package apptest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/constructs/addons/clusterautoscaler"
	"github.com/eksready/eksready/report"
)

// The IAM scoping tests decode policies strictly: a statement with a field
// IAM does not have, or a field of the wrong type, is an error, never a
// statement that silently decodes to nothing. Each check returns what is
// wrong, so the tests can show it failing on broken copies of the policy.

// stringOrList is an IAM string-or-list value (Action, Resource, a
// condition's values): IAM accepts "a" for ["a"]. Booleans, which
// condition values may be, are kept as "true"/"false". Anything else is an
// error.
type stringOrList []string

// UnmarshalJSON accepts a string, a list of strings or a boolean.
func (s *stringOrList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		var one string
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*s = stringOrList{one}
		return nil
	case len(b) > 0 && b[0] == '[':
		var list []string
		if err := json.Unmarshal(b, &list); err != nil {
			return fmt.Errorf("not a list of strings: %s", b)
		}
		*s = list
		return nil
	case string(b) == "true" || string(b) == "false":
		*s = stringOrList{string(b)}
		return nil
	}
	return fmt.Errorf("not a string or a list of strings: %s", b)
}

// policyStatement is an identity policy's statement, every field IAM
// defines for one.
type policyStatement struct {
	Sid         string
	Effect      string
	Action      stringOrList
	NotAction   stringOrList
	Resource    stringOrList
	NotResource stringOrList
	Condition   map[string]map[string]stringOrList
}

// grants reports whether an Allow statement grants the action, wildcards
// included (IAM matches actions case-insensitively).
func (s policyStatement) grants(action string) bool {
	if s.Effect != "Allow" {
		return false
	}
	matches := func(patterns stringOrList) bool {
		return slices.ContainsFunc(patterns, func(p string) bool {
			ok, _ := path.Match(strings.ToLower(p), strings.ToLower(action))
			return ok
		})
	}
	if len(s.NotAction) > 0 {
		return !matches(s.NotAction)
	}
	return matches(s.Action)
}

// decodePolicy decodes an identity policy document strictly.
func decodePolicy(doc string) ([]policyStatement, error) {
	var p struct {
		Version   string
		Statement json.RawMessage
	}
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, err
	}
	raw := bytes.TrimSpace(p.Statement)
	if len(raw) > 0 && raw[0] == '{' {
		raw = append(append([]byte{'['}, raw...), ']')
	}
	var out []policyStatement
	dec = json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no statement")
	}
	for i, s := range out {
		if s.Effect != "Allow" && s.Effect != "Deny" {
			return nil, fmt.Errorf("statement %d: Effect %q", i, s.Effect)
		}
		if len(s.Action) == 0 && len(s.NotAction) == 0 {
			return nil, fmt.Errorf("statement %d: no Action", i)
		}
	}
	return out, nil
}

// namedPolicy returns the inline policy document named name.
func namedPolicy(t *testing.T, infra report.Stack, name string) string {
	t.Helper()
	for _, p := range infra.Resource["aws_iam_role_policy"] {
		if p["name"] == name {
			return p["policy"].(string)
		}
	}
	t.Fatalf("no inline policy named %q", name)
	return ""
}

// externalDNSScopeProblems: record changes are granted by exactly one
// statement, on exactly the configured zones (in the account's partition),
// and nothing else grants them.
func externalDNSScopeProblems(doc string, zones []string) []string {
	sts, err := decodePolicy(doc)
	if err != nil {
		return []string{"policy does not decode: " + err.Error()}
	}
	var want []string
	for _, z := range zones {
		want = append(want, "arn:${data.aws_partition.account_partition_32ACE770.partition}:route53:::hostedzone/"+z)
	}
	var out []string
	granting := 0
	for _, s := range sts {
		if !s.grants("route53:ChangeResourceRecordSets") {
			continue
		}
		granting++
		got := slices.Sorted(slices.Values(s.Resource))
		if !slices.Equal(got, slices.Sorted(slices.Values(want))) || len(s.NotResource) > 0 {
			out = append(out, fmt.Sprintf("statement %q allows record changes on %v, want %v", s.Sid, s.Resource, want))
		}
	}
	if granting != 1 {
		out = append(out, fmt.Sprintf("%d statements allow route53:ChangeResourceRecordSets, want 1", granting))
	}
	return out
}

// clusterAutoscalerScopeProblems: the autoscaler may resize and terminate
// (the two writes it needs), and every statement that grants anything but
// reads is conditioned on this cluster's discovery tag and the enabled tag.
func clusterAutoscalerScopeProblems(doc, cluster string) []string {
	sts, err := decodePolicy(doc)
	if err != nil {
		return []string{"policy does not decode: " + err.Error()}
	}
	var out []string
	for _, need := range []string{"autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"} {
		if !slices.ContainsFunc(sts, func(s policyStatement) bool { return s.grants(need) }) {
			out = append(out, "nothing grants "+need)
		}
	}
	read := func(a string) bool {
		_, verb, _ := strings.Cut(a, ":")
		return strings.HasPrefix(verb, "Describe") || strings.HasPrefix(verb, "Get") || strings.HasPrefix(verb, "List")
	}
	tags := []string{"aws:ResourceTag/" + clusterautoscaler.ClusterTagKey(cluster), "aws:ResourceTag/" + clusterautoscaler.EnabledTagKey}
	for _, s := range sts {
		if s.Effect != "Allow" || (len(s.NotAction) == 0 && !slices.ContainsFunc(s.Action, func(a string) bool { return !read(a) })) {
			continue
		}
		for _, key := range tags {
			conditioned := false
			for op, byKey := range s.Condition {
				conditioned = conditioned || strings.HasPrefix(op, "StringEquals") && len(byKey[key]) > 0
			}
			if !conditioned {
				out = append(out, fmt.Sprintf("statement %q (%v) writes without a StringEquals condition on %s", s.Sid, s.Action, key))
			}
		}
	}
	return out
}

// cniPolicyProblems: with the VPC CNI on IPv4, AmazonEKS_CNI_Policy is
// attached exactly once, to the role the vpc-cni add-on runs as; with IPv6
// (an inline policy), another CNI or Auto Mode, to nothing.
func cniPolicyProblems(infra report.Stack, c config.Cluster) []string {
	var out []string
	var roles []string
	for _, att := range infra.Resource["aws_iam_role_policy_attachment"] {
		if strings.HasSuffix(fmt.Sprint(att["policy_arn"]), "/AmazonEKS_CNI_Policy") {
			roles = append(roles, fmt.Sprint(att["role"]))
		}
	}
	sort.Strings(roles)
	if !c.Network.UsesVpcCni() || c.Network.IPv6() || c.AutoModeOn() {
		if len(roles) > 0 {
			out = append(out, fmt.Sprintf("AmazonEKS_CNI_Policy attached to %v, want nowhere", roles))
		}
		return out
	}
	var cniRole string
	for _, a := range infra.Resource["aws_eks_addon"] {
		if a["addon_name"] != "vpc-cni" {
			continue
		}
		cniRole = fmt.Sprint(a["service_account_role_arn"])
		if pia := asList(a["pod_identity_association"]); len(pia) == 1 {
			cniRole = fmt.Sprint(asMap(pia[0])["role_arn"])
		}
	}
	if len(roles) != 1 {
		return append(out, fmt.Sprintf("AmazonEKS_CNI_Policy attached %d times (%v), want once, to the vpc-cni add-on's role", len(roles), roles))
	}
	// The attachment names the role by name, the add-on by ARN: both are
	// references to the same aws_iam_role.
	role := strings.TrimSuffix(strings.TrimPrefix(roles[0], "${"), ".name}")
	if !strings.HasPrefix(role, "aws_iam_role.") || cniRole != "${"+role+".arn}" {
		out = append(out, fmt.Sprintf("AmazonEKS_CNI_Policy is on %s, but the vpc-cni add-on runs as %s", roles[0], cniRole))
	}
	return out
}

func TestExternalDNSPolicyIsScopedToTheZones(t *testing.T) {
	f := fixtureNamed(t, "everything-on")
	doc := namedPolicy(t, f.Stack(t, "infra"), "edns")
	zones := f.Config.Software.ExternalDNS.HostedZoneIDs
	if p := externalDNSScopeProblems(doc, zones); len(p) > 0 {
		t.Errorf("external-dns policy: %v", p)
	}
	// Broken copies: the check must catch each.
	zone := `"arn:${data.aws_partition.account_partition_32ACE770.partition}:route53:::hostedzone/` + zones[0] + `"`
	for name, broken := range map[string]string{
		"change statement removed":  `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["route53:ListHostedZones"],"Resource":"*"}]}`,
		"action as a string on *":   `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"route53:ChangeResourceRecordSets","Resource":"*"}]}`,
		"wildcard action":           `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"route53:*","Resource":"*"}]}`,
		"one zone short":            `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["route53:ChangeResourceRecordSets"],"Resource":[` + zone + `]}]}`,
		"action of the wrong shape": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":{"route53":"ChangeResourceRecordSets"},"Resource":"*"}]}`,
		"misspelt field":            `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Actions":["route53:ChangeResourceRecordSets"],"Resource":"*"}]}`,
	} {
		if p := externalDNSScopeProblems(broken, zones); len(p) == 0 {
			t.Errorf("a broken copy passes (%s): %s", name, broken)
		}
	}
}

func TestClusterAutoscalerPolicyIsScopedToTheCluster(t *testing.T) {
	f := fixtureNamed(t, defaultFixture)
	doc := namedPolicy(t, f.Stack(t, "infra"), "cas")
	if p := clusterAutoscalerScopeProblems(doc, f.Config.Name); len(p) > 0 {
		t.Errorf("cluster-autoscaler policy: %v", p)
	}
	cond := `"Condition":{"StringEquals":{"aws:ResourceTag/k8s.io/cluster-autoscaler/` + f.Config.Name + `":"owned","aws:ResourceTag/k8s.io/cluster-autoscaler/enabled":"true"}}`
	for name, broken := range map[string]string{
		"write statement removed":   `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["autoscaling:DescribeAutoScalingGroups"],"Resource":"*"}]}`,
		"condition removed":         `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["autoscaling:SetDesiredCapacity","autoscaling:TerminateInstanceInAutoScalingGroup"],"Resource":"*"}]}`,
		"write as a string":         `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["autoscaling:SetDesiredCapacity","autoscaling:TerminateInstanceInAutoScalingGroup"],"Resource":"*",` + cond + `},{"Effect":"Allow","Action":"ec2:TerminateInstances","Resource":"*"}]}`,
		"only the enabled tag":      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["autoscaling:SetDesiredCapacity","autoscaling:TerminateInstanceInAutoScalingGroup"],"Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/k8s.io/cluster-autoscaler/enabled":"true"}}}]}`,
		"wildcard action":           `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["autoscaling:SetDesiredCapacity","autoscaling:TerminateInstanceInAutoScalingGroup"],"Resource":"*",` + cond + `},{"Effect":"Allow","Action":"autoscaling:*","Resource":"*"}]}`,
		"condition of wrong shape":  `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["autoscaling:SetDesiredCapacity","autoscaling:TerminateInstanceInAutoScalingGroup"],"Resource":"*","Condition":["owned"]}]}`,
		"misspelt condition field":  `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["autoscaling:SetDesiredCapacity","autoscaling:TerminateInstanceInAutoScalingGroup"],"Resource":"*","Conditions":{}}]}`,
		"no statement at all":       `{"Version":"2012-10-17","Statement":[]}`,
		"statement as a bare value": `{"Version":"2012-10-17","Statement":"autoscaling:*"}`,
	} {
		if p := clusterAutoscalerScopeProblems(broken, f.Config.Name); len(p) == 0 {
			t.Errorf("a broken copy passes (%s): %s", name, broken)
		}
	}
}

// TestCNIPolicyOnlyOnTheCNIRole: the CNI policy is on the CNI's own role,
// the one the vpc-cni add-on runs as, and never on the node role.
func TestCNIPolicyOnlyOnTheCNIRole(t *testing.T) {
	attached := 0
	for _, f := range synthAll(t) {
		infra := f.Stack(t, "infra")
		for _, p := range cniPolicyProblems(infra, f.Config) {
			t.Errorf("%s: %s", f.Name, p)
		}
		for _, att := range infra.Resource["aws_iam_role_policy_attachment"] {
			if strings.HasSuffix(fmt.Sprint(att["policy_arn"]), "/AmazonEKS_CNI_Policy") {
				attached++
			}
		}
	}
	if attached == 0 {
		t.Error("no fixture attaches AmazonEKS_CNI_Policy")
	}
	// Broken copies of the default's infra stack.
	f := fixtureNamed(t, defaultFixture)
	policyOn := func(role string) func(report.Stack) {
		return func(st report.Stack) {
			for _, att := range st.Resource["aws_iam_role_policy_attachment"] {
				if strings.HasSuffix(fmt.Sprint(att["policy_arn"]), "/AmazonEKS_CNI_Policy") {
					att["role"] = role
				}
			}
		}
	}
	for name, breakIt := range map[string]func(report.Stack){
		"attachment removed": func(st report.Stack) {
			for id, att := range st.Resource["aws_iam_role_policy_attachment"] {
				if strings.HasSuffix(fmt.Sprint(att["policy_arn"]), "/AmazonEKS_CNI_Policy") {
					delete(st.Resource["aws_iam_role_policy_attachment"], id)
				}
			}
		},
		"on the node role": policyOn("${aws_iam_role.nodes_role_6392FD84.name}"),
		"attached twice": func(st report.Stack) {
			st.Resource["aws_iam_role_policy_attachment"]["extra"] = map[string]any{"role": "${aws_iam_role.nodes_role_6392FD84.name}", "policy_arn": "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"}
		},
	} {
		st := f.Stack(t, "infra")
		breakIt(st)
		if p := cniPolicyProblems(st, f.Config); len(p) == 0 {
			t.Errorf("a broken copy passes (%s)", name)
		}
	}
}
