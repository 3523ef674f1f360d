// Package deviceplugins installs the device plugins that advertise
// accelerators to the kubelet on nodes whose image does not run one: the
// NVIDIA device plugin for AL2023 NVIDIA nodes, the Neuron device plugin
// for Inferentia and Trainium nodes (EKS user guide,
// ml-eks-k8s-device-plugin, Considerations). Each runs as a DaemonSet in
// kube-system on exactly the nodes eksready labels for it
// (config.DevicePluginLabel), so it never doubles the plugin a
// Bottlerocket NVIDIA or Auto Mode node runs itself, tolerating their
// taints.
package deviceplugins

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/constructs/addons"
)

// Namespace holds both plugins, as their charts and the AWS guidance
// install them (the Neuron chart's devicePlugin.namespaceOverride is
// kube-system): a device plugin needs privileged host paths
// (/var/lib/kubelet/device-plugins), which kube-system allows.
const Namespace = "kube-system"

// Toleration is a pod toleration.
type Toleration struct {
	Key      string `json:"key"`
	Operator string `json:"operator"`
	Effect   string `json:"effect,omitempty"`
}

// Affinity is a pod's node affinity: required node selector terms.
type Affinity struct {
	NodeAffinity struct {
		Required struct {
			NodeSelectorTerms []NodeSelectorTerm `json:"nodeSelectorTerms"`
		} `json:"requiredDuringSchedulingIgnoredDuringExecution"`
	} `json:"nodeAffinity"`
}

// NodeSelectorTerm is one term of a required node affinity.
type NodeSelectorTerm struct {
	MatchExpressions []MatchExpression `json:"matchExpressions"`
}

// MatchExpression is one node selector requirement.
type MatchExpression struct {
	Key      string   `json:"key"`
	Operator string   `json:"operator"`
	Values   []string `json:"values"`
}

// NvidiaValues are the nvidia-device-plugin chart values eksready sets
// (NVIDIA/k8s-device-plugin v0.20.0 values.yaml: affinity and tolerations
// at the top level, read by templates/daemonset-device-plugin.yml). The
// chart's default affinity wants Node Feature Discovery's PCI labels,
// which eksready does not install: it is replaced.
type NvidiaValues struct {
	Affinity    Affinity     `json:"affinity"`
	Tolerations []Toleration `json:"tolerations"`
}

// NeuronValues are the neuron-helm-chart values eksready sets
// (aws-neuron/neuron-helm-charts 1.9.0 values.yaml). The chart's node
// problem detector (on by default, in a namespace of its own) is left
// off: eksready installs the device plugin only, as AWS does for the
// plugin alone (Neuron docs, k8s-neuron-device-plugin: --set
// npd.enabled=false); the scheduler extension and DRA driver stay off as
// the chart defaults them.
type NeuronValues struct {
	DevicePlugin struct {
		Affinity    Affinity     `json:"affinity"`
		Tolerations []Toleration `json:"tolerations"`
	} `json:"devicePlugin"`
	Npd struct {
		Enabled bool `json:"enabled"`
	} `json:"npd"`
}

// Config is what a plugin's release is built from.
type Config struct {
	// Kind is config.AcceleratorNVIDIA or config.AcceleratorNeuron.
	Kind string
	// KubernetesVersion picks the chart.
	KubernetesVersion string
	// Taints are those of every pool the plugin must reach; it tolerates
	// each (key and effect, any value).
	Taints []config.Taint
	// DependsOn are releases to install first.
	DependsOn []cdktf.ITerraformDependable
}

// Tolerations are the chart's own (CriticalAddonsOnly, the accelerator's
// resource taint) and one per distinct key and effect of the pools'
// taints, so the plugin reaches every node it serves whatever taints a
// pool was given.
func Tolerations(kind string, taints []config.Taint) []Toleration {
	out := []Toleration{
		{Key: "CriticalAddonsOnly", Operator: "Exists"},
		{Key: config.AcceleratorResource(kind), Operator: "Exists", Effect: "NoSchedule"},
	}
	for _, t := range taints {
		tol := Toleration{Key: t.Key, Operator: "Exists", Effect: t.KubernetesEffect()}
		seen := false
		for _, o := range out {
			seen = seen || o == tol
		}
		if !seen {
			out = append(out, tol)
		}
	}
	return out
}

// NodeAffinity selects the nodes labelled for a kind's plugin.
func NodeAffinity(kind string) Affinity {
	var a Affinity
	a.NodeAffinity.Required.NodeSelectorTerms = []NodeSelectorTerm{{MatchExpressions: []MatchExpression{
		{Key: config.DevicePluginLabel, Operator: "In", Values: []string{kind}},
	}}}
	return a
}

// Values are the chart values of a kind's plugin.
func Values(cfg Config) any {
	tolerations := Tolerations(cfg.Kind, cfg.Taints)
	if cfg.Kind == config.AcceleratorNeuron {
		var v NeuronValues
		v.DevicePlugin.Affinity = NodeAffinity(cfg.Kind)
		v.DevicePlugin.Tolerations = tolerations
		return v
	}
	return NvidiaValues{Affinity: NodeAffinity(cfg.Kind), Tolerations: tolerations}
}

// Component is a kind's pinned chart.
func Component(kind string) catalog.Component {
	if kind == config.AcceleratorNeuron {
		return catalog.NeuronDevicePlugin
	}
	return catalog.NvidiaDevicePlugin
}

// New installs a kind's device plugin.
func New(scope constructs.Construct, id string, cfg Config) release.Release {
	return addons.NewRelease(scope, id, addons.ReleaseConfig{
		Chart:          addons.Pin(Component(cfg.Kind), cfg.KubernetesVersion),
		Name:           config.DevicePluginRelease(cfg.Kind),
		Namespace:      Namespace,
		Values:         Values(cfg),
		TimeoutSeconds: 300,
		DependsOn:      cfg.DependsOn,
	})
}
