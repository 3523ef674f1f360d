package baseline

import (
	"encoding/json"
	"strings"
	"testing"
)

// Namespaces carry enforce at their level and warn/audit at restricted;
// add-on namespaces carry no Pod Security label; under defaultDeny every
// platform namespace, kube-system included, gets the allow-all policy.
func TestObjects(t *testing.T) {
	cfg := Config{
		Namespaces:      []Namespace{{Name: "cert-manager", Enforce: Restricted}, {Name: "brupop-bottlerocket-aws", Enforce: Privileged}},
		AddonNamespaces: map[string]string{"amazon-guardduty": "aws-guardduty-agent", "amazon-cloudwatch": "amazon-cloudwatch-observability"},
		DefaultDeny:     true,
	}
	raw, _ := json.Marshal(Objects(cfg))
	var objs []struct {
		Kind     string
		Metadata struct {
			Name, Namespace     string
			Labels, Annotations map[string]string
		}
		Spec struct {
			PolicyTypes []string
			Ingress     []map[string]any
			Egress      []map[string]any
		}
	}
	if err := json.Unmarshal(raw, &objs); err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, o := range objs {
		order = append(order, o.Kind+" "+o.Metadata.Namespace+"/"+o.Metadata.Name)
		switch {
		case o.Kind == "Namespace" && o.Metadata.Annotations[AddonNamespaceAnnotation] != "":
			if len(o.Metadata.Labels) != 0 {
				t.Errorf("add-on namespace %s is labelled: %v", o.Metadata.Name, o.Metadata.Labels)
			}
		case o.Kind == "Namespace":
			l := o.Metadata.Labels
			if l[WarnLabel] != Restricted || l[AuditLabel] != Restricted || (l[EnforceLabel] != Restricted && l[EnforceLabel] != Privileged) {
				t.Errorf("namespace %s labels %v", o.Metadata.Name, l)
			}
		case o.Kind == "NetworkPolicy":
			if strings.Join(o.Spec.PolicyTypes, ",") != "Ingress,Egress" || len(o.Spec.Ingress) != 1 || len(o.Spec.Egress) != 1 || len(o.Spec.Ingress[0]) != 0 || len(o.Spec.Egress[0]) != 0 {
				t.Errorf("policy in %s does not admit everything both ways: %+v", o.Metadata.Namespace, o.Spec)
			}
		}
	}
	want := []string{
		"Namespace /cert-manager", "Namespace /brupop-bottlerocket-aws", "Namespace /amazon-cloudwatch", "Namespace /amazon-guardduty",
		"NetworkPolicy kube-system/eksready-allow-platform", "NetworkPolicy cert-manager/eksready-allow-platform",
		"NetworkPolicy brupop-bottlerocket-aws/eksready-allow-platform", "NetworkPolicy amazon-cloudwatch/eksready-allow-platform",
		"NetworkPolicy amazon-guardduty/eksready-allow-platform",
	}
	if strings.Join(order, "\n") != strings.Join(want, "\n") {
		t.Errorf("objects:\n%s\nwant:\n%s", strings.Join(order, "\n"), strings.Join(want, "\n"))
	}
	cfg.DefaultDeny = false
	for _, o := range Objects(cfg) {
		if _, isPolicy := o.(NetworkPolicy); isPolicy {
			t.Error("a policy without defaultDeny")
		}
	}
	if !(Config{}).Empty() || (Config{DefaultDeny: true}).Empty() {
		t.Error("Empty")
	}
}
