package karpenter

import (
	"fmt"
	"sort"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/constructs/addons"
	"github.com/eksready/eksready/constructs/addons/resources"
	"github.com/eksready/eksready/constructs/identity"
)

// NodeClassName is the one EC2NodeClass every NodePool uses.
const NodeClassName = "default"

// Values are the karpenter chart values eksready sets; keys checked
// against aws/karpenter-provider-aws charts/karpenter/values.yaml and the
// chart README's values table (1.6-1.9 charts share them).
type Values struct {
	Settings struct {
		ClusterName     *string `json:"clusterName"`
		ClusterEndpoint *string `json:"clusterEndpoint"`
		// InterruptionQueue is the SQS queue NAME; empty disables
		// interruption handling.
		InterruptionQueue *string `json:"interruptionQueue"`
	} `json:"settings"`
	ServiceAccount struct {
		Name        string             `json:"name"`
		Annotations map[string]*string `json:"annotations"`
	} `json:"serviceAccount"`
	Replicas     int               `json:"replicas"`
	NodeSelector map[string]string `json:"nodeSelector"`
	Controller   struct {
		Resources map[string]any `json:"resources"`
	} `json:"controller"`
}

// NodeClass is a karpenter.k8s.aws/v1 EC2NodeClass
// (website/content/en/v1.9/concepts/nodeclasses.md).
type NodeClass struct {
	resources.Header
	Spec NodeClassSpec `json:"spec"`
}

// NodeClassSpec is the EC2NodeClass spec eksready sets.
type NodeClassSpec struct {
	// Role is the node role's NAME; Karpenter creates the instance profile.
	Role                       *string              `json:"role"`
	AmiSelectorTerms           []map[string]string  `json:"amiSelectorTerms"`
	SubnetSelectorTerms        []SelectorTerm       `json:"subnetSelectorTerms"`
	SecurityGroupSelectorTerms []SelectorTerm       `json:"securityGroupSelectorTerms"`
	BlockDeviceMappings        []BlockDeviceMapping `json:"blockDeviceMappings"`
	MetadataOptions            map[string]any       `json:"metadataOptions"`
	// Kubelet is spec.kubelet, where Karpenter v1 takes kubelet settings
	// (the EC2NodeClass CRD of v1.9.1 and v1.13.0 alike).
	Kubelet Kubelet `json:"kubelet"`
	// CapacityReservationSelectorTerms select the On-Demand Capacity
	// Reservations and Capacity Blocks NodePools with capacity type
	// reserved launch into (EC2NodeClass CRD v1.14.1: id, or tags with an
	// optional ownerID; the ReservedCapacity feature gate is on by default
	// in the v1.14.1 chart).
	CapacityReservationSelectorTerms []ReservationTerm `json:"capacityReservationSelectorTerms,omitempty"`
}

// ReservationTerm is one EC2NodeClass capacity reservation selector term.
type ReservationTerm struct {
	ID      string            `json:"id,omitempty"`
	Tags    map[string]string `json:"tags,omitempty"`
	OwnerID string            `json:"ownerID,omitempty"`
}

// Kubelet is the part of EC2NodeClass spec.kubelet eksready sets.
type Kubelet struct {
	// MaxPods is used by Karpenter's scheduling and passed to kubelet's
	// --max-pods (Bottlerocket: settings.kubernetes.max-pods). Without it
	// Karpenter assumes the ENI-limited secondary-IP density, even with
	// prefix delegation.
	MaxPods int `json:"maxPods"`
}

// SelectorTerm selects resources by tags.
type SelectorTerm struct {
	Tags map[string]string `json:"tags"`
}

// BlockDeviceMapping is one EBS volume of a node.
type BlockDeviceMapping struct {
	DeviceName string `json:"deviceName"`
	EBS        EBS    `json:"ebs"`
}

// EBS describes a node volume.
type EBS struct {
	VolumeSize          string  `json:"volumeSize"`
	VolumeType          string  `json:"volumeType"`
	Encrypted           bool    `json:"encrypted"`
	KmsKeyID            *string `json:"kmsKeyID"`
	DeleteOnTermination bool    `json:"deleteOnTermination"`
}

// NodePool is a karpenter.sh/v1 NodePool
// (website/content/en/v1.9/concepts/nodepools.md).
type NodePool struct {
	resources.Header
	Spec NodePoolSpec `json:"spec"`
}

// NodePoolSpec is the NodePool spec eksready sets.
type NodePoolSpec struct {
	Template struct {
		Metadata struct {
			Labels map[string]string `json:"labels"`
		} `json:"metadata"`
		Spec struct {
			NodeClassRef map[string]string `json:"nodeClassRef"`
			Requirements []Requirement     `json:"requirements"`
			// ExpireAfter lives under template.spec in v1 (not disruption).
			ExpireAfter string `json:"expireAfter"`
			// Taints are on the pool's nodes for good (an accelerator's
			// NoSchedule taint, the pool's own).
			Taints []Taint `json:"taints,omitempty"`
			// StartupTaints are on every new node until a daemon removes
			// them (Cilium's agent-not-ready), and Karpenter does not wait
			// for pods to tolerate them.
			StartupTaints []Taint `json:"startupTaints,omitempty"`
		} `json:"spec"`
	} `json:"template"`
	Limits     map[string]string `json:"limits"`
	Disruption struct {
		ConsolidationPolicy string `json:"consolidationPolicy"`
		ConsolidateAfter    string `json:"consolidateAfter"`
	} `json:"disruption"`
}

// Taint is a Kubernetes node taint, as NodePools spell it.
type Taint struct {
	Key    string `json:"key"`
	Value  string `json:"value,omitempty"`
	Effect string `json:"effect"`
}

// Requirement is a node selector requirement.
type Requirement struct {
	Key      string   `json:"key"`
	Operator string   `json:"operator"`
	Values   []string `json:"values"`
}

// Pool is one NodePool's configuration.
type Pool struct {
	InstanceCategories []string
	Architectures      []string
	CapacityTypes      []string
	// InstanceSizes restricts karpenter.k8s.aws/instance-size; empty
	// allows every size.
	InstanceSizes []string
	// MinVCPUs keeps instances with at least this many vCPUs.
	MinVCPUs         int
	CPULimit         int
	MemoryLimitGiB   int
	ConsolidateAfter string
	ExpireAfter      string
	Labels           map[string]string
	// Taints are every taint of the pool's nodes (config.NodePoolTaints).
	Taints []Taint
	// Accelerator is "nvidia" or "neuron" for an accelerated pool, which
	// then launches only Families (instead of a generation bound), with
	// AcceleratorCounts devices per node when given, up to
	// AcceleratorLimit devices in total.
	Accelerator       string
	Families          []string
	AcceleratorCounts []int
	AcceleratorLimit  int
}

// Config is what the addons side is built from.
type Config struct {
	// KubernetesVersion picks the charts.
	KubernetesVersion string
	// ClusterName and ClusterEndpoint come from `infra` (tokens);
	// DiscoveryValue is the discovery tag value (the configured name).
	ClusterName     *string
	ClusterEndpoint *string
	DiscoveryValue  string
	// QueueName is the interruption queue's name (from `infra`).
	QueueName *string
	// NodeRoleName is the node role's name (from `infra`).
	NodeRoleName *string
	// EbsKeyArn encrypts both node volumes (from `infra`).
	EbsKeyArn *string
	// AmiAlias, RootVolumeGiB and DataVolumeGiB shape the EC2NodeClass.
	AmiAlias                     string
	RootVolumeGiB, DataVolumeGiB int
	// MaxPods is the kubelet max pods of every Karpenter node: the IP
	// capacity planner's lowest value among the types the NodePools may
	// launch (config.KarpenterMaxPods), so no node admits a pod its CNI
	// cannot address. Must be at least 1.
	MaxPods int
	// NitroOnly restricts every NodePool to Nitro instances
	// (karpenter.k8s.aws/instance-hypervisor In [nitro]): prefix
	// delegation needs them.
	NitroOnly bool
	// Pools are the NodePools by name.
	Pools map[string]Pool
	// ExtraNodeLabels go on every Karpenter node (the Bottlerocket update
	// operator's interface label).
	ExtraNodeLabels map[string]string
	// StartupTaints go on every Karpenter node at launch (the pod
	// networking mode's, as on managed nodes).
	StartupTaints []Taint
	// IdentityMode and RoleArn give the controller its IAM role.
	IdentityMode identity.Mode
	RoleArn      *string
	// Resources is the eksready-resources chart asset.
	Resources *resources.Chart
	// DependsOn are releases to install before the CRDs and controller.
	DependsOn []cdktf.ITerraformDependable
	// CapacityReservations are the EC2NodeClass's reservation selector
	// terms.
	CapacityReservations []ReservationTerm
}

// Karpenter is the three releases, in install order.
type Karpenter struct {
	CRDs       release.Release
	Controller release.Release
	NodePools  release.Release
}

// NewValues builds the controller chart's values.
func NewValues(cfg Config) Values {
	var v Values
	v.Settings.ClusterName = cfg.ClusterName
	// Given explicitly so startup does not depend on DescribeCluster.
	v.Settings.ClusterEndpoint = cfg.ClusterEndpoint
	v.Settings.InterruptionQueue = cfg.QueueName
	v.ServiceAccount.Name = ServiceAccount
	v.ServiceAccount.Annotations = addons.ServiceAccountAnnotations(cfg.IdentityMode, cfg.RoleArn)
	v.Replicas = 2
	// On the managed system pool: Karpenter must never run on capacity it
	// manages (the chart's default affinity already avoids Karpenter nodes).
	v.NodeSelector = addons.SystemPoolSelector()
	// Requests equal limits, as the getting-started guide installs it:
	// Guaranteed QoS, so the controller is the last thing evicted.
	res := map[string]string{"cpu": "1", "memory": "1Gi"}
	v.Controller.Resources = map[string]any{"requests": res, "limits": res}
	return v
}

// NewNodeClass builds the EC2NodeClass.
func NewNodeClass(cfg Config) NodeClass {
	discovery := []SelectorTerm{{Tags: map[string]string{DiscoveryTagKey: cfg.DiscoveryValue}}}
	volume := func(device string, gib int) BlockDeviceMapping {
		return BlockDeviceMapping{DeviceName: device, EBS: EBS{
			VolumeSize: fmt.Sprintf("%dGi", gib), VolumeType: "gp3",
			Encrypted: true, KmsKeyID: cfg.EbsKeyArn, DeleteOnTermination: true,
		}}
	}
	return NodeClass{
		Header: resources.NewHeader("karpenter.k8s.aws/v1", "EC2NodeClass", NodeClassName),
		Spec: NodeClassSpec{
			Role:                       cfg.NodeRoleName,
			AmiSelectorTerms:           []map[string]string{{"alias": cfg.AmiAlias}},
			SubnetSelectorTerms:        discovery,
			SecurityGroupSelectorTerms: discovery,
			// Bottlerocket: xvda is the OS volume, xvdb the data volume
			// (R2); both encrypted with the cluster's EBS key (R4).
			BlockDeviceMappings: []BlockDeviceMapping{volume("/dev/xvda", cfg.RootVolumeGiB), volume("/dev/xvdb", cfg.DataVolumeGiB)},
			// IMDSv2 only, hop limit 1: pods cannot reach the node role's
			// credentials through the metadata service.
			MetadataOptions: map[string]any{
				"httpEndpoint":            "enabled",
				"httpProtocolIPv6":        "disabled",
				"httpPutResponseHopLimit": 1,
				"httpTokens":              "required",
			},
			Kubelet: Kubelet{MaxPods: cfg.MaxPods},

			CapacityReservationSelectorTerms: cfg.CapacityReservations,
		},
	}
}

// Provider is what differs between the NodePools of self-managed
// Karpenter and those of EKS Auto Mode, whose NodePool is the same
// karpenter.sh/v1 kind on its own NodeClass and well-known labels.
type Provider struct {
	// NodeClassRef points the pools at their NodeClass.
	NodeClassRef map[string]string
	// LabelPrefix prefixes the instance-category and -generation labels
	// ("karpenter.k8s.aws" or "eks.amazonaws.com").
	LabelPrefix string
	// RequireLinux adds a kubernetes.io/os requirement (Auto Mode rejects
	// that label: it runs Linux only).
	RequireLinux bool
	// GenerationAbove is the instance-generation "Gt" value.
	GenerationAbove int
	// NitroOnly adds an instance-hypervisor requirement for Nitro, whose
	// instances are the only ones that take /28 prefixes (the IP
	// capacity planner counts on it under prefix delegation).
	NitroOnly bool
	// NeuronLabels are the label keys of a Neuron device's manufacturer and
	// count; empty where none is documented (Auto Mode lists
	// instance-gpu-* labels only, create-node-pool), and the
	// instance-family requirement alone selects Neuron types there.
	NeuronManufacturerLabel, NeuronCountLabel string
}

// karpenterProvider is self-managed Karpenter on eksready's EC2NodeClass.
var karpenterProvider = Provider{
	NodeClassRef: map[string]string{"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": NodeClassName},
	LabelPrefix:  "karpenter.k8s.aws",
	RequireLinux: true,
	// Current generations only (the getting-started NodePool); the IP
	// capacity planner bounds pools with the same value.
	GenerationAbove: config.KarpenterGenerationAbove,
	// Karpenter's well-known labels (pkg/apis/v1/labels.go, v1.14.1):
	// Neuron types carry instance-accelerator-manufacturer "aws".
	NeuronManufacturerLabel: "karpenter.k8s.aws/instance-accelerator-manufacturer",
	NeuronCountLabel:        "karpenter.k8s.aws/instance-accelerator-count",
}

// NewNodePools builds the NodePools, sorted by name.
func NewNodePools(cfg Config) []NodePool {
	p := karpenterProvider
	p.NitroOnly = cfg.NitroOnly
	return BuildNodePools(cfg.Pools, cfg.ExtraNodeLabels, cfg.StartupTaints, p)
}

// BuildNodePools builds NodePools for a provider, sorted by name: pool
// labels (eksready.io/pool, extra labels, the pool's own), requirements,
// expiry, limits and consolidation.
func BuildNodePools(pools map[string]Pool, extraLabels map[string]string, startupTaints []Taint, p Provider) []NodePool {
	names := make([]string, 0, len(pools))
	for n := range pools {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []NodePool
	for _, name := range names {
		pool := pools[name]
		np := NodePool{Header: resources.NewHeader("karpenter.sh/v1", "NodePool", name)}
		labels := map[string]string{addons.PoolLabel: name}
		for k, v := range extraLabels {
			labels[k] = v
		}
		for k, v := range pool.Labels {
			labels[k] = v
		}
		np.Spec.Template.Metadata.Labels = labels
		np.Spec.Template.Spec.NodeClassRef = p.NodeClassRef
		var reqs []Requirement
		if p.RequireLinux {
			reqs = append(reqs, Requirement{Key: "kubernetes.io/os", Operator: "In", Values: []string{"linux"}})
		}
		np.Spec.Template.Spec.Requirements = append(reqs,
			Requirement{Key: "kubernetes.io/arch", Operator: "In", Values: pool.Architectures},
			Requirement{Key: "karpenter.sh/capacity-type", Operator: "In", Values: pool.CapacityTypes},
			Requirement{Key: p.LabelPrefix + "/instance-category", Operator: "In", Values: pool.InstanceCategories},
		)
		if pool.Accelerator == "" {
			np.Spec.Template.Spec.Requirements = append(np.Spec.Template.Spec.Requirements,
				Requirement{Key: p.LabelPrefix + "/instance-generation", Operator: "Gt", Values: []string{fmt.Sprint(p.GenerationAbove)}})
		} else {
			np.Spec.Template.Spec.Requirements = append(np.Spec.Template.Spec.Requirements, acceleratorRequirements(pool, p)...)
		}
		if pool.MinVCPUs > 1 {
			np.Spec.Template.Spec.Requirements = append(np.Spec.Template.Spec.Requirements, Requirement{Key: p.LabelPrefix + "/instance-cpu", Operator: "Gt", Values: []string{fmt.Sprint(pool.MinVCPUs - 1)}})
		}
		if len(pool.InstanceSizes) > 0 {
			np.Spec.Template.Spec.Requirements = append(np.Spec.Template.Spec.Requirements, Requirement{Key: p.LabelPrefix + "/instance-size", Operator: "In", Values: pool.InstanceSizes})
		}
		if p.NitroOnly {
			np.Spec.Template.Spec.Requirements = append(np.Spec.Template.Spec.Requirements, Requirement{Key: p.LabelPrefix + "/instance-hypervisor", Operator: "In", Values: []string{"nitro"}})
		}
		np.Spec.Template.Spec.ExpireAfter = pool.ExpireAfter
		np.Spec.Template.Spec.Taints = pool.Taints
		np.Spec.Template.Spec.StartupTaints = startupTaints
		np.Spec.Limits = map[string]string{"cpu": fmt.Sprint(pool.CPULimit), "memory": fmt.Sprintf("%dGi", pool.MemoryLimitGiB)}
		if pool.Accelerator != "" {
			np.Spec.Limits[config.AcceleratorResource(pool.Accelerator)] = fmt.Sprint(pool.AcceleratorLimit)
		}
		np.Spec.Disruption.ConsolidationPolicy = "WhenEmptyOrUnderutilized"
		np.Spec.Disruption.ConsolidateAfter = pool.ConsolidateAfter
		out = append(out, np)
	}
	return out
}

// acceleratorRequirements select an accelerated pool's instances: the
// families the capacity plan admitted (each driven by the Bottlerocket
// variant Karpenter's bottlerocket alias and Auto Mode pick for it), the
// accelerator's manufacturer, and the device counts asked for.
func acceleratorRequirements(pool Pool, p Provider) []Requirement {
	reqs := []Requirement{{Key: p.LabelPrefix + "/instance-family", Operator: "In", Values: pool.Families}}
	counts := make([]string, len(pool.AcceleratorCounts))
	for i, n := range pool.AcceleratorCounts {
		counts[i] = fmt.Sprint(n)
	}
	switch {
	case pool.Accelerator == config.AcceleratorNVIDIA:
		reqs = append(reqs, Requirement{Key: p.LabelPrefix + "/instance-gpu-manufacturer", Operator: "In", Values: []string{"nvidia"}})
		if len(counts) > 0 {
			reqs = append(reqs, Requirement{Key: p.LabelPrefix + "/instance-gpu-count", Operator: "In", Values: counts})
		}
	case p.NeuronManufacturerLabel != "":
		reqs = append(reqs, Requirement{Key: p.NeuronManufacturerLabel, Operator: "In", Values: []string{"aws"}})
		if len(counts) > 0 {
			reqs = append(reqs, Requirement{Key: p.NeuronCountLabel, Operator: "In", Values: counts})
		}
	}
	return reqs
}

// New installs the CRD chart, the controller, then the EC2NodeClass and
// NodePools. Terraform destroys in reverse: the NodePools go first, while
// the controller still runs to drain and terminate their nodes.
func New(scope constructs.Construct, id string, cfg Config) *Karpenter {
	if cfg.MaxPods < 1 {
		// Configuration validation plans every NodePool first; a zero here
		// is a wiring defect, caught before any resource exists.
		panic(fmt.Sprintf("karpenter: MaxPods %d; the IP capacity planner's value is required", cfg.MaxPods))
	}
	scope = constructs.NewConstruct(scope, &id)
	k := &Karpenter{}
	k.CRDs = addons.NewRelease(scope, "crds", addons.ReleaseConfig{
		Chart:          addons.Pin(catalog.KarpenterCRD, cfg.KubernetesVersion),
		Name:           "karpenter-crd",
		Namespace:      Namespace,
		TimeoutSeconds: 300,
		DependsOn:      cfg.DependsOn,
	})
	k.Controller = addons.NewRelease(scope, "controller", addons.ReleaseConfig{
		Chart:     addons.Pin(catalog.Karpenter, cfg.KubernetesVersion),
		Name:      "karpenter",
		Namespace: Namespace,
		Values:    NewValues(cfg),
		// The CRDs come from karpenter-crd, which Helm upgrades; the
		// chart's own crds/ copy would only be installed once.
		SkipCrds:       true,
		TimeoutSeconds: 600,
		DependsOn:      append([]cdktf.ITerraformDependable{k.CRDs}, cfg.DependsOn...),
	})
	objects := []any{NewNodeClass(cfg)}
	for _, np := range NewNodePools(cfg) {
		objects = append(objects, np)
	}
	k.NodePools = addons.NewRelease(scope, "nodepools", addons.ReleaseConfig{
		LocalChart: cfg.Resources.Path,
		Name:       "karpenter-nodepools",
		Namespace:  Namespace,
		Values:     resources.Values{Objects: objects},
		// Uninstalling deletes the NodePools; Karpenter then drains and
		// terminates their nodes before the EC2NodeClass finalizer lets go.
		TimeoutSeconds: 900,
		DependsOn:      []cdktf.ITerraformDependable{k.Controller},
	})
	return k
}
