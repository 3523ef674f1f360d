package config

import (
	"github.com/aws/aws-sdk-go-v2/service/eks/types"
)

// This file is the one place defaults live. Default() gives the built-in
// configuration; applyDefaults fills what YAML left empty inside maps and
// lists (which YAML decoding replaces wholesale rather than merging).

// SystemPool is the name of the node pool that always exists and runs the
// cluster's own software (CoreDNS, controllers).
const SystemPool = "system"

// Default returns the built-in configuration: what `make synth` builds when
// no cluster.yaml exists, and the base a cluster.yaml is laid over.
func Default() Cluster {
	c := Cluster{
		Name:              "eksready",
		Region:            "eu-west-1",
		KubernetesVersion: DefaultKubernetesVersion,
		Network: Network{
			VpcCidr:               "10.0.0.0/16",
			AvailabilityZoneCount: 3,
		},
		ControlPlane: ControlPlane{
			Endpoint: Endpoint{
				PublicAccess:      ptr(true),
				PublicAccessCidrs: []string{"0.0.0.0/0"},
			},
			Logging: Logging{
				Types:         allLogTypes(),
				RetentionDays: 90,
			},
			UpgradePolicy:         "STANDARD",
			KeyDeletionWindowDays: 30,
		},
		WorkloadIdentity: "pod-identity",
		Nodes: map[string]NodePool{
			SystemPool: DefaultNodePool(),
		},
		Inspector: Inspector{ResourceTypes: []string{"EC2", "ECR"}},
		ManagedAddons: ManagedAddons{
			SnapshotController: Toggle{Enabled: ptr(false)},
		},
		Software: Software{
			KubernetesAuth:    KubernetesAuthToken,
			Autoscaling:       AutoscalingClusterAutoscaler,
			ClusterAutoscaler: ClusterAutoscaler{Expander: "least-waste"},
			Karpenter: Karpenter{
				AmiAlias:      "bottlerocket@latest",
				RootVolumeGiB: 4,
				DataVolumeGiB: 20,
			},
			MetricsServer:              Toggle{Enabled: ptr(true)},
			AwsLoadBalancerController:  Toggle{Enabled: ptr(true)},
			ExternalDNS:                ExternalDNS{Enabled: ptr(false), Policy: "upsert-only"},
			CertManager:                Toggle{Enabled: ptr(false)},
			BottlerocketUpdateOperator: Toggle{Enabled: ptr(false)},
		},
		Readiness: Readiness{MinCapacityHeadroomPercent: 20},
		Backend:   Backend{Type: BackendLocal},
	}
	applyDefaults(&c)
	return c
}

// DefaultNodePool is what every node pool starts from before its YAML is
// laid over it (NodePool.UnmarshalYAML), so a pool only states what differs.
func DefaultNodePool() NodePool {
	return NodePool{
		InstanceTypes:    []string{"m6i.large"},
		CapacityType:     string(types.CapacityTypesOnDemand),
		MinSize:          1,
		MaxSize:          3,
		OS:               "bottlerocket",
		Generations:      []string{"1"},
		Update:           NodeUpdate{MaxUnavailablePercent: 33},
		MetadataHopLimit: 1,
	}
}

// DefaultKarpenterNodePool is what every Karpenter NodePool starts from
// before its YAML is laid over it: current-generation general purpose,
// compute and memory families on demand, capped so a runaway deployment
// cannot scale without bound, consolidated after a minute and rotated
// monthly (the Karpenter getting-started values).
func DefaultKarpenterNodePool() KarpenterNodePool {
	return KarpenterNodePool{
		InstanceCategories: []string{"c", "m", "r"},
		Architectures:      []string{"amd64"},
		CapacityTypes:      []string{"on-demand"},
		CPULimit:           100,
		MemoryLimitGiB:     400,
		ConsolidateAfter:   "1m",
		ExpireAfter:        "720h",
	}
}

// applyDefaults fills defaults that depend on other fields, once the YAML
// has been laid over Default().
func applyDefaults(c *Cluster) {
	for name, pool := range c.Nodes {
		if pool.DesiredSize == nil {
			pool.DesiredSize = ptr(pool.MinSize)
		}
		// Volume defaults depend on the OS: Bottlerocket keeps a small
		// read-only OS volume and puts images on the data volume; AL2023
		// keeps everything on its root volume.
		root, data := &pool.Volumes.Root, &pool.Volumes.Data
		if root.Type == "" {
			root.Type = "gp3"
		}
		if root.SizeGiB == 0 {
			root.SizeGiB = map[string]int{"bottlerocket": 4, "al2023": 50}[pool.OS]
		}
		if pool.OS == "bottlerocket" {
			if data.Type == "" {
				data.Type = "gp3"
			}
			if data.SizeGiB == 0 {
				data.SizeGiB = 50
			}
		}
		c.Nodes[name] = pool
	}
	applyBackendDefaults(c)
}

// Backend defaults that apply only to the chosen backend type, and derive
// per-stack state locations from the cluster's name.
const (
	// DefaultS3KeyPrefix starts every derived S3 state key.
	DefaultS3KeyPrefix = "eksready"
	// DefaultCloudHostname is HCP Terraform's host name.
	DefaultCloudHostname = "app.terraform.io"
)

// applyBackendDefaults fills the chosen backend's block. Blocks of other
// backend types stay as written, so validation can reject them.
func applyBackendDefaults(c *Cluster) {
	b := &c.Backend
	switch b.Type {
	case BackendS3:
		if b.S3 == nil {
			b.S3 = &S3Backend{}
		}
		s := b.S3
		if s.KeyPrefix == "" {
			s.KeyPrefix = DefaultS3KeyPrefix
		}
		if s.Region == "" {
			s.Region = c.Region
		}
		if s.Keys.Infra == "" {
			s.Keys.Infra = s.KeyPrefix + "/" + c.Name + "/" + StackInfra + ".tfstate"
		}
		if s.Keys.Addons == "" {
			s.Keys.Addons = s.KeyPrefix + "/" + c.Name + "/" + StackAddons + ".tfstate"
		}
	case BackendCloud:
		if b.Cloud == nil {
			b.Cloud = &CloudBackend{}
		}
		cl := b.Cloud
		if cl.Hostname == "" {
			cl.Hostname = DefaultCloudHostname
		}
		if cl.Workspaces.Infra == "" {
			cl.Workspaces.Infra = c.Name + "-" + StackInfra
		}
		if cl.Workspaces.Addons == "" {
			cl.Workspaces.Addons = c.Name + "-" + StackAddons
		}
	}
}

func allLogTypes() []string {
	var out []string
	for _, t := range types.LogType("").Values() {
		out = append(out, string(t))
	}
	return out
}

func ptr[T any](v T) *T { return &v }
