package catalog

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Chart is one pinned Helm chart.
type Chart struct {
	// Repository is the chart repository URL or OCI registry.
	Repository string
	// Name is the chart's name in the repository.
	Name string
	// Version is the exact chart version (never a range: an unpinned chart
	// changes what an unchanged configuration deploys).
	Version string
	// AppVersion is the software version it runs (for people reading the
	// table; Helm ignores it).
	AppVersion string
	// ImageTag, when set, replaces the chart's default image tag: for a
	// Kubernetes minor whose software has been released but no chart ships
	// it yet. Empty keeps the chart's own image.
	ImageTag string
	// Kubernetes are the minors this pin supports, as its project states
	// them (the source comment of each row says where).
	Kubernetes []string
}

// Supports reports whether the pin supports a Kubernetes minor.
func (c Chart) Supports(kubernetes string) bool { return slices.Contains(c.Kubernetes, kubernetes) }

// Component is one piece of software eksready installs by Helm, with its
// pins: one for most, one per Kubernetes minor where no single release
// supports every version eksready accepts.
type Component struct {
	// Name names the software in messages.
	Name string
	// Pins are its charts, oldest first.
	Pins []Chart
	// Untested are accepted Kubernetes versions no pin is known from its
	// sources to support, each with the reason. The newest pin is
	// installed on them, and the synth summary warns.
	Untested map[string]string
}

// For returns the newest pin that supports a Kubernetes minor, and false
// when none does.
func (c Component) For(kubernetes string) (Chart, bool) {
	for i := len(c.Pins) - 1; i >= 0; i-- {
		if c.Pins[i].Supports(kubernetes) {
			return c.Pins[i], true
		}
	}
	return Chart{}, false
}

// Install returns the pin to install on a Kubernetes minor: the newest
// that supports it, or, for an Untested minor, the newest pin of all; and
// false when there is none.
func (c Component) Install(kubernetes string) (Chart, bool) {
	if p, ok := c.For(kubernetes); ok {
		return p, true
	}
	if c.Untested[kubernetes] != "" && len(c.Pins) > 0 {
		return c.Pins[len(c.Pins)-1], true
	}
	return Chart{}, false
}

// Kubernetes lists the minors some pin of the component supports, sorted.
func (c Component) Kubernetes() []string {
	var out []string
	for _, p := range c.Pins {
		for _, k := range p.Kubernetes {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	slices.SortFunc(out, compareVersions)
	return out
}

const (
	autoscalerRepo = "https://kubernetes.github.io/autoscaler"
	karpenterRepo  = "oci://public.ecr.aws/karpenter"
	brupopRepo     = "https://bottlerocket-os.github.io/bottlerocket-update-operator"
	jetstackRepo   = "https://charts.jetstack.io"
	ciliumRepo     = "https://helm.cilium.io"
	nvidiaRepo     = "https://nvidia.github.io/k8s-device-plugin"
	neuronRepo     = "oci://public.ecr.aws/neuron"
)

// karpenterVersion is the newest Karpenter release (v1.14.1, tagged
// 2026-08-20), and its chart and CRD chart version. Source:
// aws/karpenter-provider-aws charts/karpenter/Chart.yaml at the v1.14.1
// docs update (commit 1d927085) and the v1.14 getting-started guide, which
// installs KARPENTER_VERSION 1.14.1 on K8S_VERSION 1.36. The Kubernetes
// versions it supports follow from karpenterFloor. eksready's controller
// policy and interruption rules follow that guide's cloudformation.yaml.
const karpenterVersion = "1.14.1"

var (
	// MetricsServer serves resource metrics (kubectl top, HPA). Chart
	// 3.13.1 (2026-02-27, the newest; metrics-server 0.9.0 has no chart
	// yet) ships 0.8.1, which supports Kubernetes 1.31+. Source:
	// kubernetes-sigs/metrics-server tag metrics-server-helm-chart-3.13.1
	// charts/metrics-server/{Chart.yaml,CHANGELOG.md,values.yaml} and the
	// README's compatibility matrix (0.8.x: 1.31+).
	MetricsServer = Component{Name: "metrics-server", Pins: []Chart{{
		Repository: "https://kubernetes-sigs.github.io/metrics-server/", Name: "metrics-server",
		Version: "3.13.1", AppVersion: "0.8.1", Kubernetes: minors("1.31", "1.36"),
	}}}

	// AwsLoadBalancerController provisions ALBs and NLBs. Chart 3.5.0
	// (2026-08-03) ships controller v3.5.0; "v2.5.0+ requires Kubernetes
	// 1.22+". Source: kubernetes-sigs/aws-load-balancer-controller tag
	// v3.5.0 helm/aws-load-balancer-controller/{Chart.yaml,values.yaml},
	// docs/deploy/installation.md; aws/eks-charts
	// stable/aws-load-balancer-controller/Chart.yaml (3.5.0). The IAM
	// policy is docs/install/iam_policy.json at v3.5.0 (package loadbalancer).
	AwsLoadBalancerController = Component{Name: "aws-load-balancer-controller", Pins: []Chart{{
		Repository: "https://aws.github.io/eks-charts", Name: "aws-load-balancer-controller",
		Version: "3.5.0", AppVersion: "v3.5.0", Kubernetes: minors("1.31", "1.36"),
	}}}

	// ExternalDNS publishes Service and Ingress names to Route 53. Chart
	// 1.21.1 ships 0.21.0 (the newest chart; app 0.22.0 has none yet);
	// releases from 0.18 support Kubernetes 1.21 and later. Source:
	// kubernetes-sigs/external-dns tag external-dns-helm-chart-1.21.1
	// charts/external-dns/{Chart.yaml,CHANGELOG.md,values.yaml}, README at
	// v0.21.0 ("Kubernetes version compatibility").
	ExternalDNS = Component{Name: "external-dns", Pins: []Chart{{
		Repository: "https://kubernetes-sigs.github.io/external-dns/", Name: "external-dns",
		Version: "1.21.1", AppVersion: "0.21.0", Kubernetes: minors("1.31", "1.36"),
	}}}

	// CertManager issues certificates; the Bottlerocket update operator
	// needs it. No release supports both 1.32 and 1.36: 1.20 supports
	// 1.32-1.35, 1.21 supports 1.33-1.36. Chart versions carry a leading v.
	// Source: cert-manager/website content/docs/releases/README.md at
	// commit 776e5dba (supported releases table); chart values and upgrade
	// notes (upgrading-1.17-1.18 to upgrading-1.20-1.21) at the same commit;
	// cert-manager/cert-manager tags v1.20.3 (2026-06-25) and v1.21.1
	// (2026-07-29) deploy/charts/cert-manager/values.yaml.
	CertManager = Component{Name: "cert-manager", Pins: []Chart{
		{Repository: jetstackRepo, Name: "cert-manager", Version: "v1.20.3", AppVersion: "v1.20.3", Kubernetes: minors("1.32", "1.35")},
		{Repository: jetstackRepo, Name: "cert-manager", Version: "v1.21.1", AppVersion: "v1.21.1", Kubernetes: minors("1.33", "1.36")},
	}}

	// BottlerocketShadow is the update operator's CRD chart. The operator
	// has had no release since 1.4.0 (newest tag; last commit 2024-10-14)
	// and states no Kubernetes range; its charts use only GA APIs (apps/v1,
	// rbac v1, apiextensions v1, scheduling v1, cert-manager.io/v1).
	// Source: bottlerocket-os/bottlerocket-update-operator tag v1.4.0
	// deploy/charts/bottlerocket-shadow/Chart.yaml and templates.
	BottlerocketShadow = Component{Name: "bottlerocket-shadow", Pins: []Chart{{
		Repository: brupopRepo, Name: "bottlerocket-shadow", Version: "1.0.0", AppVersion: "1.0.0", Kubernetes: minors("1.31", "1.36"),
	}}}

	// BottlerocketUpdateOperator updates Bottlerocket nodes in place.
	// Source: as BottlerocketShadow, deploy/charts/bottlerocket-update-operator/Chart.yaml (1.4.0).
	BottlerocketUpdateOperator = Component{Name: "bottlerocket-update-operator", Pins: []Chart{{
		Repository: brupopRepo, Name: "bottlerocket-update-operator", Version: "1.4.0", AppVersion: "1.4.0", Kubernetes: minors("1.31", "1.36"),
	}}}

	// Cilium replaces the VPC CNI in podNetworking mode cilium (overlay).
	// Cilium lists the Kubernetes versions it e2e-tests per release; 1.19
	// lists 1.32-1.35 (Documentation/network/kubernetes/compatibility.rst at
	// 1.19.3, and .github/actions/eks/k8s-versions.yaml: EKS 1.32-1.35).
	// Chart 1.19.6 (2026-07-16) is the newest 1.19 patch; values.yaml read
	// from cilium/charts cilium-1.19.6.tgz. No Cilium release's list naming
	// 1.36 could be read (1.20.0, 2026-07-29, exists, but its compatibility
	// list was not available to check), so 1.36 is recorded as untested,
	// not guessed: Cilium says versions it does not list "depend on the
	// forward / backward compatibility offered by Kubernetes".
	Cilium = Component{Name: "cilium", Pins: []Chart{{
		Repository: ciliumRepo, Name: "cilium", Version: "1.19.6", AppVersion: "1.19.6", Kubernetes: minors("1.32", "1.35"),
	}}, Untested: map[string]string{
		"1.36": "Cilium 1.19 is e2e-tested with Kubernetes 1.32 to 1.35 only, and no Cilium release tested with 1.36 has been verified for eksready; it relies on Kubernetes' backward compatibility",
	}}

	// KarpenterCRD installs Karpenter's CRDs as templates, so Helm upgrades
	// them (the karpenter chart's crds/ folder is installed once, never
	// upgraded; 1.14 adds the capacitybuffers CRD). Always the same
	// version as Karpenter.
	KarpenterCRD = Component{Name: "karpenter-crd", Pins: []Chart{{
		Repository: karpenterRepo, Name: "karpenter-crd", Version: karpenterVersion, AppVersion: karpenterVersion, Kubernetes: karpenterSupports(karpenterVersion),
	}}}

	// Karpenter is the node autoscaler alternative to cluster-autoscaler.
	Karpenter = Component{Name: "karpenter", Pins: []Chart{{
		Repository: karpenterRepo, Name: "karpenter", Version: karpenterVersion, AppVersion: karpenterVersion, Kubernetes: karpenterSupports(karpenterVersion),
	}}}

	// ClusterAutoscaler supports only the Kubernetes minor it was built
	// for, so it is pinned per minor: the newest chart whose appVersion is
	// that minor. Source: kubernetes/autoscaler tags
	// cluster-autoscaler-chart-* cluster-autoscaler/charts/cluster-autoscaler/Chart.yaml
	// (9.46.6: 1.32.0; 9.51.0: 1.33.0; 9.53.0: 1.34.2; 9.59.0, 2026-07-21,
	// the newest chart: 1.35.0). No chart ships 1.36 yet: for 1.36 the
	// newest chart (9.59.0, whose RBAC already covers the 1.36 APIs:
	// provisioningrequests, capacitybuffers, capacityquotas) runs image
	// tag v1.36.1 (tag cluster-autoscaler-1.36.1, 2026-07-22) through its
	// image.tag value (values.yaml; deployment.yaml renders
	// image.repository:image.tag). The flags eksready sets exist in
	// 1.36.1's config/flags/flags.go, and its AWS IAM policy
	// (cloudprovider/aws/README.md) is unchanged since 1.35.0.
	ClusterAutoscaler = Component{Name: "cluster-autoscaler", Pins: []Chart{
		{Repository: autoscalerRepo, Name: "cluster-autoscaler", Version: "9.46.6", AppVersion: "1.32.0", Kubernetes: []string{"1.32"}},
		{Repository: autoscalerRepo, Name: "cluster-autoscaler", Version: "9.51.0", AppVersion: "1.33.0", Kubernetes: []string{"1.33"}},
		{Repository: autoscalerRepo, Name: "cluster-autoscaler", Version: "9.53.0", AppVersion: "1.34.2", Kubernetes: []string{"1.34"}},
		{Repository: autoscalerRepo, Name: "cluster-autoscaler", Version: "9.59.0", AppVersion: "1.35.0", Kubernetes: []string{"1.35"}},
		{Repository: autoscalerRepo, Name: "cluster-autoscaler", Version: "9.59.0", AppVersion: "1.36.1", ImageTag: "v1.36.1", Kubernetes: []string{"1.36"}},
	}}
)

// The device plugins advertise accelerators to the kubelet where the node
// image does not run one itself: the EKS-optimized Bottlerocket NVIDIA AMIs
// and EKS Auto Mode ship the NVIDIA device plugin; AL2023 NVIDIA AMIs need
// it installed; every EKS AMI with Inferentia or Trainium needs the Neuron
// device plugin (EKS user guide, ml-eks-k8s-device-plugin, Considerations).
var (
	// NvidiaDevicePlugin is NVIDIA's k8s-device-plugin chart 0.20.0
	// (2026-08-19, the newest tag; plugin 0.20.0, built against the
	// Kubernetes 0.36.3 libraries). Chart.yaml states kubeVersion
	// ">= 1.10.0-0" and the README "Kubernetes version >= 1.10" (the
	// device-plugin API is stable since). Source: NVIDIA/k8s-device-plugin
	// tag v0.20.0 deployments/helm/nvidia-device-plugin/{Chart.yaml,
	// values.yaml,templates/daemonset-device-plugin.yml,
	// templates/validation.yml}, CHANGELOG.md, go.mod.
	NvidiaDevicePlugin = Component{Name: "nvidia-device-plugin", Pins: []Chart{{
		Repository: nvidiaRepo, Name: "nvidia-device-plugin", Version: "0.20.0", AppVersion: "0.20.0", Kubernetes: minors("1.31", "1.36"),
	}}}

	// NeuronDevicePlugin is AWS's Neuron Helm chart 1.9.0 (2026-07-10, for
	// Neuron SDK 2.31.0: device plugin image 2.31.0.0). Chart 1.10.0
	// (2026-08-19) exists, but its values and templates could not be read
	// here, so 1.9.0 is pinned. The EKS user guide (device-management-neuron)
	// supports the Neuron device plugin on "All EKS-supported Kubernetes
	// versions". Source: aws-neuron/neuron-helm-charts release 1.9.0
	// (commit b77a6f90) charts/neuron-helm-chart/{Chart.yaml,values.yaml},
	// templates/device-plugin/{device-plugin-daemonset.yaml,
	// device-plugin-rbac.yaml}, templates/_helpers.tpl (validateConfig,
	// neuron-device-plugin.affinity), templates/npd/npd-daemonset.yaml.
	NeuronDevicePlugin = Component{Name: "neuron-device-plugin", Pins: []Chart{{
		Repository: neuronRepo, Name: "neuron-helm-chart", Version: "1.9.0", AppVersion: "2.31.0.0", Kubernetes: minors("1.32", "1.36"),
	}}}
)

// Components lists every component eksready installs by Helm.
func Components() []Component {
	return []Component{MetricsServer, AwsLoadBalancerController, ExternalDNS, CertManager, BottlerocketShadow, BottlerocketUpdateOperator, Cilium, KarpenterCRD, Karpenter, ClusterAutoscaler, NvidiaDevicePlugin, NeuronDevicePlugin}
}

// minors lists the Kubernetes minors from first to last (same major).
func minors(first, last string) []string {
	a, b := mustParse(first), mustParse(last)
	var out []string
	for m := a[1]; m <= b[1]; m++ {
		out = append(out, fmt.Sprintf("%d.%d", a[0], m))
	}
	return out
}

// karpenterSupports lists the minors whose compatibility floor a Karpenter
// release meets.
func karpenterSupports(version string) []string {
	var out []string
	for k, floor := range karpenterFloor {
		if compareVersions(version, floor) >= 0 {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, compareVersions)
	return out
}

// CompareVersions orders two dotted versions ("1.13.0", "v1.21.1", "1.36")
// numerically; a missing part counts as 0.
func CompareVersions(a, b string) int { return compareVersions(a, b) }

func compareVersions(a, b string) int {
	x, y := mustParse(a), mustParse(b)
	for i := 0; i < max(len(x), len(y)); i++ {
		var p, q int
		if i < len(x) {
			p = x[i]
		}
		if i < len(y) {
			q = y[i]
		}
		if p != q {
			return p - q
		}
	}
	return 0
}

func parseVersion(s string) ([]int, error) {
	parts := strings.Split(strings.TrimPrefix(s, "v"), ".")
	out := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("%q is not a dotted version", s)
		}
		out[i] = n
	}
	return out, nil
}

func mustParse(s string) []int {
	v, err := parseVersion(s)
	if err != nil {
		panic("catalog: " + err.Error())
	}
	return v
}
