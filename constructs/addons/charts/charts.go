// Package charts is the one place eksready pins the Helm charts it
// installs: repository, chart name and exact version, with the sources the
// pins were checked against. It is pure Go (no jsii), so configuration
// validation can ask it which Kubernetes versions a chart supports.
//
// Bumping a chart: change its Version here, re-read that version's
// values.yaml for every key eksready sets (each component package cites
// the file next to its values), update the golden files and review the diff.
package charts

import "sort"

// Chart is one pinned Helm chart.
type Chart struct {
	// Repository is the chart repository URL or OCI registry.
	Repository string
	// Name is the chart's name in the repository.
	Name string
	// Version is the exact chart version (never a range: an unpinned chart
	// changes what an unchanged configuration deploys).
	Version string
	// AppVersion is the software version the chart installs (for people
	// reading the table; Helm ignores it).
	AppVersion string
}

var (
	// MetricsServer serves resource metrics (kubectl top, HPA).
	// Source: kubernetes-sigs/metrics-server charts/metrics-server (CHANGELOG, values.yaml).
	MetricsServer = Chart{Repository: "https://kubernetes-sigs.github.io/metrics-server/", Name: "metrics-server", Version: "3.12.2", AppVersion: "0.7.2"}

	// AwsLoadBalancerController provisions ALBs and NLBs. Chart 1.13.x
	// ships controller v2.13.x; its IAM policy is docs/install/iam_policy.json
	// at tag v2.13.4 (see package loadbalancer).
	AwsLoadBalancerController = Chart{Repository: "https://aws.github.io/eks-charts", Name: "aws-load-balancer-controller", Version: "1.13.4", AppVersion: "v2.13.4"}

	// ExternalDNS publishes Service and Ingress names to Route 53.
	// Source: kubernetes-sigs/external-dns chart CHANGELOG (v1.19.0, 2025-09-08).
	ExternalDNS = Chart{Repository: "https://kubernetes-sigs.github.io/external-dns/", Name: "external-dns", Version: "1.19.0", AppVersion: "0.19.0"}

	// CertManager issues certificates; the Bottlerocket update operator
	// needs it. Its chart versions carry a leading "v".
	// Source: cert-manager/cert-manager deploy/charts/cert-manager/values.yaml (1.17 line).
	CertManager = Chart{Repository: "https://charts.jetstack.io", Name: "cert-manager", Version: "v1.17.2", AppVersion: "v1.17.2"}

	// BottlerocketShadow is the update operator's CRD chart.
	// Source: bottlerocket-os/bottlerocket-update-operator deploy/charts/bottlerocket-shadow/Chart.yaml.
	BottlerocketShadow = Chart{Repository: "https://bottlerocket-os.github.io/bottlerocket-update-operator", Name: "bottlerocket-shadow", Version: "1.0.0", AppVersion: "1.0.0"}

	// BottlerocketUpdateOperator updates Bottlerocket nodes in place.
	// Source: deploy/charts/bottlerocket-update-operator/Chart.yaml (1.4.0).
	BottlerocketUpdateOperator = Chart{Repository: "https://bottlerocket-os.github.io/bottlerocket-update-operator", Name: "bottlerocket-update-operator", Version: "1.4.0", AppVersion: "1.4.0"}

	// Cilium replaces the VPC CNI in podNetworking mode cilium (overlay).
	// Source: helm.cilium.io; values checked against cilium/cilium
	// install/kubernetes/cilium/values.yaml on main during 1.17 development
	// (the released 1.17.4 file is not in the reference index).
	Cilium = Chart{Repository: "https://helm.cilium.io", Name: "cilium", Version: "1.17.4", AppVersion: "1.17.4"}

	// KarpenterCRD installs Karpenter's CRDs as templates, so Helm upgrades
	// them (the karpenter chart's crds/ folder is installed once, never
	// upgraded). Always the same version as Karpenter.
	KarpenterCRD = Chart{Repository: "oci://public.ecr.aws/karpenter", Name: "karpenter-crd", Version: karpenterVersion, AppVersion: karpenterVersion}

	// Karpenter is the node autoscaler alternative to cluster-autoscaler.
	Karpenter = Chart{Repository: "oci://public.ecr.aws/karpenter", Name: "karpenter", Version: karpenterVersion, AppVersion: karpenterVersion}
)

// karpenterVersion supports every Kubernetes version eksready accepts
// (1.32-1.35): the v1.9 compatibility matrix
// (aws/karpenter-provider-aws website/content/en/v1.9/upgrading/compatibility.md)
// needs >= 1.2 for 1.32 and 1.9.x for 1.35; the v1.9 getting-started guide
// pins 1.9.1, and its cloudformation.yaml is the controller policy eksready
// implements.
const karpenterVersion = "1.9.1"

// clusterAutoscaler maps each Kubernetes minor version to the newest chart
// whose appVersion is that minor: cluster-autoscaler supports only the
// Kubernetes minor it was built for. Source: kubernetes/autoscaler
// gh-pages index.yaml (chart version -> appVersion).
var clusterAutoscaler = map[string]Chart{
	"1.32": {Version: "9.46.6", AppVersion: "1.32.0"},
	"1.33": {Version: "9.51.0", AppVersion: "1.33.0"},
	"1.34": {Version: "9.53.0", AppVersion: "1.34.2"},
	"1.35": {Version: "9.56.0", AppVersion: "1.35.0"},
}

// ClusterAutoscaler returns the cluster-autoscaler chart matching a
// Kubernetes minor version, and false when none is pinned.
func ClusterAutoscaler(kubernetesVersion string) (Chart, bool) {
	c, ok := clusterAutoscaler[kubernetesVersion]
	if !ok {
		return Chart{}, false
	}
	c.Repository = "https://kubernetes.github.io/autoscaler"
	c.Name = "cluster-autoscaler"
	return c, true
}

// ClusterAutoscalerVersions lists the Kubernetes versions with a pinned
// cluster-autoscaler chart, sorted.
func ClusterAutoscalerVersions() []string {
	out := make([]string, 0, len(clusterAutoscaler))
	for v := range clusterAutoscaler {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}
