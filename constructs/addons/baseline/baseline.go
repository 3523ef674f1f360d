// Package baseline installs, before any chart, the Kubernetes objects the
// platform itself needs to be safe: the namespaces eksready creates for its
// own software, labelled with Pod Security Standards levels, and, when
// NetworkPolicies deny by default, a policy admitting all traffic of the
// platform's namespaces so that its own software keeps working. Everything
// goes through the eksready-resources chart in one release.
package baseline

import (
	"sort"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"

	"github.com/eksready/eksready/constructs/addons"
	"github.com/eksready/eksready/constructs/addons/resources"
)

// Pod Security Standards levels (kubernetes.io/docs/concepts/security/pod-security-standards).
const (
	Privileged = "privileged"
	Baseline   = "baseline"
	Restricted = "restricted"
)

// Pod Security Admission namespace labels (kubernetes.io/docs/concepts/
// security/pod-security-admission): enforce rejects pods above the level;
// warn and audit only report them.
const (
	EnforceLabel = "pod-security.kubernetes.io/enforce"
	WarnLabel    = "pod-security.kubernetes.io/warn"
	AuditLabel   = "pod-security.kubernetes.io/audit"
)

// AddonNamespaceAnnotation marks a namespace eksready creates only so that
// an EKS add-on's pods are admitted by a NetworkPolicy from their first
// second (defaultDeny): the add-on's own pods decide what they need, so it
// carries no Pod Security labels.
const AddonNamespaceAnnotation = "eksready.io/created-for-addon"

// AllowPlatformPolicy names the NetworkPolicy that admits all traffic of
// a platform namespace under defaultDeny.
const AllowPlatformPolicy = "eksready-allow-platform"

// ReleaseName is the release holding the objects.
const ReleaseName = "eksready-baseline"

// Namespace is one namespace eksready creates for its own software.
type Namespace struct {
	// Name is the namespace.
	Name string
	// Enforce is the strictest Pod Security level every pod eksready
	// installs there meets; warn and audit are always restricted.
	Enforce string
}

// Config lists what the release holds.
type Config struct {
	// Namespaces are eksready's own namespaces, labelled.
	Namespaces []Namespace
	// AddonNamespaces are EKS add-ons' namespaces eksready creates ahead
	// of the add-on (only with DefaultDeny), by namespace: add-on name.
	AddonNamespaces map[string]string
	// DefaultDeny adds AllowPlatformPolicy to kube-system and every
	// namespace above.
	DefaultDeny bool
	// Resources is the eksready-resources chart asset.
	Resources *resources.Chart
}

// Empty reports whether the release would hold no object.
func (c Config) Empty() bool {
	return len(c.Namespaces) == 0 && len(c.AddonNamespaces) == 0 && !c.DefaultDeny
}

// Object is a namespaced object's header with labels and annotations.
type Object struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   Meta   `json:"metadata"`
}

// Meta is an object's metadata.
type Meta struct {
	Name        string            `json:"name"`
	Namespace   string            `json:"namespace,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// NetworkPolicy is a networking.k8s.io/v1 NetworkPolicy.
type NetworkPolicy struct {
	Object
	Spec NetworkPolicySpec `json:"spec"`
}

// NetworkPolicySpec selects every pod and admits every peer both ways.
type NetworkPolicySpec struct {
	PodSelector map[string]any   `json:"podSelector"`
	PolicyTypes []string         `json:"policyTypes"`
	Ingress     []map[string]any `json:"ingress"`
	Egress      []map[string]any `json:"egress"`
}

// NewNamespace is one of eksready's namespaces with its Pod Security
// labels: enforce at the level its pods meet, warn and audit at
// restricted, so anything weaker shows up in API responses and the audit
// log without being refused.
func NewNamespace(ns Namespace) Object {
	return Object{APIVersion: "v1", Kind: "Namespace", Metadata: Meta{
		Name: ns.Name,
		Labels: map[string]string{
			EnforceLabel: ns.Enforce,
			WarnLabel:    Restricted,
			AuditLabel:   Restricted,
		},
	}}
}

// NewAllowPlatform admits all ingress and egress of every pod in a
// namespace. Both policy types are stated: the VPC CNI's strict mode
// isolates a pod in each direction a policy names.
func NewAllowPlatform(namespace string) NetworkPolicy {
	return NetworkPolicy{
		Object: Object{APIVersion: "networking.k8s.io/v1", Kind: "NetworkPolicy", Metadata: Meta{Name: AllowPlatformPolicy, Namespace: namespace}},
		Spec: NetworkPolicySpec{
			PodSelector: map[string]any{},
			PolicyTypes: []string{"Ingress", "Egress"},
			Ingress:     []map[string]any{{}},
			Egress:      []map[string]any{{}},
		},
	}
}

// Objects are the release's objects: namespaces first (Helm creates them
// before the policies in them), in a stable order.
func Objects(cfg Config) []any {
	var out []any
	platform := []string{"kube-system"}
	for _, ns := range cfg.Namespaces {
		out = append(out, NewNamespace(ns))
		platform = append(platform, ns.Name)
	}
	addonNamespaces := make([]string, 0, len(cfg.AddonNamespaces))
	for ns := range cfg.AddonNamespaces {
		addonNamespaces = append(addonNamespaces, ns)
	}
	sort.Strings(addonNamespaces)
	for _, ns := range addonNamespaces {
		out = append(out, Object{APIVersion: "v1", Kind: "Namespace", Metadata: Meta{
			Name:        ns,
			Annotations: map[string]string{AddonNamespaceAnnotation: cfg.AddonNamespaces[ns]},
		}})
		platform = append(platform, ns)
	}
	if cfg.DefaultDeny {
		for _, ns := range platform {
			out = append(out, NewAllowPlatform(ns))
		}
	}
	return out
}

// New installs the objects. Every other release depends on it, so it is
// installed first and uninstalled last; uninstalling it deletes the
// namespaces and whatever is left in them.
//
// A namespace that already exists (created by an earlier eksready with
// Helm's create_namespace, or by hand) makes the install fail: Helm
// refuses to take over an object another release or no release owns.
// Adopt it into the release first:
//
//	kubectl label namespace NAME app.kubernetes.io/managed-by=Helm
//	kubectl annotate namespace NAME meta.helm.sh/release-name=eksready-baseline meta.helm.sh/release-namespace=kube-system
func New(scope constructs.Construct, id string, cfg Config) release.Release {
	return addons.NewRelease(scope, id, addons.ReleaseConfig{
		LocalChart:     cfg.Resources.Path,
		Name:           ReleaseName,
		Namespace:      "kube-system",
		Values:         resources.Values{Objects: Objects(cfg)},
		TimeoutSeconds: 120,
	})
}
