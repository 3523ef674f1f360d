// Package automodeobjects installs EKS Auto Mode's Kubernetes objects, in
// the addons stack: what an Auto Mode cluster needs inside the cluster and
// AWS does not create. They are eksready's NodeClass (node volumes
// encrypted with the cluster's EBS key, the cluster's subnets and security
// group), the NodePools from cluster.yaml, an IngressClass for Auto Mode's
// Application Load Balancers and, with network policies on, the ConfigMap
// that turns on Auto Mode's network policy controller. The objects' kinds
// are CRDs EKS installs in every Auto Mode cluster, so they go through the
// eksready-resources chart like Karpenter's. It creates no AWS resource:
// Auto Mode's node role and access entry are constructs/automodeaws's, in
// the infra stack.
//
// Fields are checked against the EKS user guide (awsdocs/amazon-eks-user-guide
// at commit 0026c9df, latest/ug/automode): create-node-class.adoc ("Node
// Class Specification", eks.amazonaws.com/v1 NodeClass), create-node-pool.adoc
// (karpenter.sh/v1 NodePool, nodeClassRef group eks.amazonaws.com, the
// eks.amazonaws.com/ labels; kubernetes.io/os is not supported),
// auto-configure-alb.adoc (IngressClassParams eks.amazonaws.com/v1,
// IngressClass controller eks.amazonaws.com/alb) and auto-kms.adoc
// (ephemeralStorage.kmsKeyID).
package automodeobjects

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/constructs/addons"
	"github.com/eksready/eksready/constructs/addons/karpenter"
	"github.com/eksready/eksready/constructs/addons/resources"
)

// NodeClassName names eksready's NodeClass. The user guide asks not to
// name a custom NodeClass "default" (create-node-class, Considerations).
const NodeClassName = "eksready"

// IngressClassName names the IngressClass and its IngressClassParams, as
// the AWS Load Balancer Controller's chart names its class.
const IngressClassName = "alb"

// Namespace holds the release (its objects are cluster-scoped).
const Namespace = "kube-system"

// NodeClass is an eks.amazonaws.com/v1 NodeClass.
type NodeClass struct {
	resources.Header
	Spec NodeClassSpec `json:"spec"`
}

// NodeClassSpec is the NodeClass spec eksready sets; the rest keeps Auto
// Mode's defaults (snatPolicy Random, networkPolicyEventLogs Disabled).
type NodeClassSpec struct {
	// Role is the node role's NAME.
	Role *string `json:"role"`
	// SubnetSelectorTerms select the cluster's private (node) subnets.
	SubnetSelectorTerms []IDTerm `json:"subnetSelectorTerms"`
	// SecurityGroupSelectorTerms select the cluster security group: the
	// managed AmazonEKSLoadBalancingPolicy may only add load balancer rules
	// to groups named eks-cluster-sg-* (auto-networking, Considerations).
	SecurityGroupSelectorTerms []IDTerm `json:"securityGroupSelectorTerms"`
	// EphemeralStorage is the node volume, encrypted with KmsKeyID.
	EphemeralStorage EphemeralStorage `json:"ephemeralStorage"`
	// NetworkPolicy is what a pod no NetworkPolicy selects may do on these
	// nodes, DefaultAllow or DefaultDeny ("" leaves Auto Mode's default,
	// DefaultAllow). EKS user guide, auto-net-pol, Step 2.
	NetworkPolicy string `json:"networkPolicy,omitempty"`
	// CapacityReservationSelectorTerms select the On-Demand Capacity
	// Reservations and Capacity Blocks NodePools with capacity type
	// reserved launch into: an id, or tags with an optional owner account
	// (EKS user guide, auto-odcr).
	CapacityReservationSelectorTerms []ReservationTerm `json:"capacityReservationSelectorTerms,omitempty"`
}

// ReservationTerm is one NodeClass capacity reservation selector term.
type ReservationTerm struct {
	ID    string            `json:"id,omitempty"`
	Tags  map[string]string `json:"tags,omitempty"`
	Owner string            `json:"owner,omitempty"`
}

// NetworkPolicy values of the NodeClass.
const (
	NetworkPolicyDefaultAllow = "DefaultAllow"
	NetworkPolicyDefaultDeny  = "DefaultDeny"
)

// ConfigMap is a v1 ConfigMap.
type ConfigMap struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   map[string]string `json:"metadata"`
	Data       map[string]string `json:"data"`
}

// NewNetworkPolicyController is the ConfigMap that turns on Auto Mode's
// network policy controller: until it exists, NetworkPolicies are accepted
// but not enforced (EKS user guide, auto-net-pol, Step 1). Auto Mode runs
// no vpc-cni add-on, so nothing else owns kube-system/amazon-vpc-cni; on a
// cluster where one exists already (a cluster that ran the VPC CNI before
// switching), adopt it into the release as baseline's documentation shows.
func NewNetworkPolicyController() ConfigMap {
	return ConfigMap{
		APIVersion: "v1",
		Kind:       "ConfigMap",
		Metadata:   map[string]string{"name": "amazon-vpc-cni", "namespace": "kube-system"},
		Data:       map[string]string{"enable-network-policy-controller": "true"},
	}
}

// IDTerm selects one resource by ID.
type IDTerm struct {
	ID *string `json:"id"`
}

// EphemeralStorage is the NodeClass's node volume.
type EphemeralStorage struct {
	Size       string  `json:"size"`
	Iops       int     `json:"iops"`
	Throughput int     `json:"throughput"`
	KmsKeyID   *string `json:"kmsKeyID"`
}

// IngressClassParams is an eks.amazonaws.com/v1 IngressClassParams.
type IngressClassParams struct {
	resources.Header
	Spec struct {
		Scheme string `json:"scheme"`
	} `json:"spec"`
}

// IngressClass is a networking.k8s.io/v1 IngressClass.
type IngressClass struct {
	resources.Header
	Spec struct {
		Controller string            `json:"controller"`
		Parameters map[string]string `json:"parameters"`
	} `json:"spec"`
}

// Config is what the objects are built from; tokens come from `infra`.
type Config struct {
	// NodeRoleName is the Auto Mode node role's name.
	NodeRoleName *string
	// SubnetIds are the node subnets, one per zone.
	SubnetIds []*string
	// ClusterSecurityGroupID is the EKS-created cluster security group.
	ClusterSecurityGroupID *string
	// EbsKeyArn encrypts the node volumes.
	EbsKeyArn *string
	// StorageGiB, Iops and ThroughputMiBs size the node volume.
	StorageGiB, Iops, ThroughputMiBs int
	// Pools are the NodePools by name.
	Pools map[string]karpenter.Pool
	// IngressScheme is internal or internet-facing.
	IngressScheme string
	// NetworkPolicies turns on the network policy controller; NodeClass
	// networkPolicy is then NetworkPolicyDefault.
	NetworkPolicies bool
	// NetworkPolicyDefault is DefaultAllow or DefaultDeny.
	NetworkPolicyDefault string
	// Resources is the eksready-resources chart asset.
	Resources *resources.Chart
	// CapacityReservations are the NodeClass's reservation selector terms.
	CapacityReservations []ReservationTerm
}

// autoModeProvider points NodePools at eksready's NodeClass with Auto
// Mode's labels. Generation 5 or newer, as the built-in node pools
// ("Require generation 5 or newer EC2 instances", set-builtin-node-pools).
var autoModeProvider = karpenter.Provider{
	NodeClassRef:    map[string]string{"group": "eks.amazonaws.com", "kind": "NodeClass", "name": NodeClassName},
	LabelPrefix:     "eks.amazonaws.com",
	GenerationAbove: 4,
}

// NewNodeClass builds eksready's NodeClass.
func NewNodeClass(cfg Config) NodeClass {
	subnets := make([]IDTerm, len(cfg.SubnetIds))
	for i, id := range cfg.SubnetIds {
		subnets[i] = IDTerm{ID: id}
	}
	nc := NodeClass{
		Header: resources.NewHeader("eks.amazonaws.com/v1", "NodeClass", NodeClassName),
		Spec: NodeClassSpec{
			Role:                       cfg.NodeRoleName,
			SubnetSelectorTerms:        subnets,
			SecurityGroupSelectorTerms: []IDTerm{{ID: cfg.ClusterSecurityGroupID}},
			EphemeralStorage: EphemeralStorage{
				Size:       fmt.Sprintf("%dGi", cfg.StorageGiB),
				Iops:       cfg.Iops,
				Throughput: cfg.ThroughputMiBs,
				KmsKeyID:   cfg.EbsKeyArn,
			},
			CapacityReservationSelectorTerms: cfg.CapacityReservations,
		},
	}
	if cfg.NetworkPolicies {
		nc.Spec.NetworkPolicy = cfg.NetworkPolicyDefault
	}
	return nc
}

// NewNodePools builds the NodePools, sorted by name.
func NewNodePools(cfg Config) []karpenter.NodePool {
	return karpenter.BuildNodePools(cfg.Pools, nil, nil, autoModeProvider)
}

// NewIngressClass builds the IngressClassParams and IngressClass through
// which Ingresses get Auto Mode ALBs. Not the default class: an Ingress
// opts in with ingressClassName: alb.
func NewIngressClass(scheme string) (IngressClassParams, IngressClass) {
	p := IngressClassParams{Header: resources.NewHeader("eks.amazonaws.com/v1", "IngressClassParams", IngressClassName)}
	p.Spec.Scheme = scheme
	c := IngressClass{Header: resources.NewHeader("networking.k8s.io/v1", "IngressClass", IngressClassName)}
	c.Spec.Controller = "eks.amazonaws.com/alb"
	c.Spec.Parameters = map[string]string{"apiGroup": "eks.amazonaws.com", "kind": "IngressClassParams", "name": IngressClassName}
	return p, c
}

// New installs the NodeClass, NodePools and IngressClass in one release.
// Uninstalling deletes the NodePools; Auto Mode then drains and terminates
// their nodes.
func New(scope constructs.Construct, id string, cfg Config, dependsOn []cdktf.ITerraformDependable) release.Release {
	objects := []any{NewNodeClass(cfg)}
	for _, np := range NewNodePools(cfg) {
		objects = append(objects, np)
	}
	params, class := NewIngressClass(cfg.IngressScheme)
	objects = append(objects, params, class)
	if cfg.NetworkPolicies {
		objects = append(objects, NewNetworkPolicyController())
	}
	return addons.NewRelease(scope, id, addons.ReleaseConfig{
		LocalChart:     cfg.Resources.Path,
		Name:           "auto-mode",
		Namespace:      Namespace,
		Values:         resources.Values{Objects: objects},
		TimeoutSeconds: 900,
		DependsOn:      dependsOn,
	})
}
