// Package nodes builds the cluster's managed node groups: one node group
// per pool, generation and availability zone (so the cluster-autoscaler can
// balance zones and EBS-backed StatefulSets scale in the right zone, R6),
// each from an encrypted two-volume launch template (R2, R4), rolled by
// EKS on AMI or template changes and replaced blue/green by generation (R7).
package nodes

import (
	"encoding/base64"
	"fmt"
	"slices"
	"sort"
	"strings"

	ekstypes "github.com/aws/aws-sdk-go-v2/service/eks/types"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/autoscalinggrouptag"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsssmparameter"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eksnodegroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicyattachment"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/launchtemplate"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/constructs/account"
	"github.com/eksready/eksready/constructs/identity"
	"github.com/eksready/eksready/constructs/jsonvalue"
)

// Pool is one node pool with what the planner computed for it.
type Pool struct {
	// Name is the pool's name.
	Name string
	// Spec is the pool's validated, defaulted configuration.
	Spec config.NodePool
	// MaxPods is the kubelet max-pods for the pool: the IP capacity
	// planner's value for its smallest instance type, so kubelet never
	// admits a pod the CNI cannot address.
	MaxPods int
	// VCPUs is the smallest vCPU count among the pool's instance types,
	// for kube-reserved CPU.
	VCPUs int
	// Taints are every taint of the pool's nodes (config.PoolTaints: the
	// pod networking mode's startup taints, the accelerator's, the pool's
	// own).
	Taints []config.Taint
	// StartupTaints are those of Taints a daemon removes once it runs
	// (Cilium's agent-not-ready); no scale-from-zero template names them.
	StartupTaints []config.Taint
	// ExtraLabels are labels other components need on every node (the
	// Bottlerocket update operator's, the accelerator's).
	ExtraLabels map[string]string
	// Zones are the indexes of the zones (subnets) the pool has node
	// groups in (config.PoolZones).
	Zones []int
	// NodeTemplateTags tags each node group's Auto Scaling group with the
	// node template cluster-autoscaler reads when it scales the group up
	// from zero nodes: labels, taints and accelerator resources.
	NodeTemplateTags bool
}

// NodesConfig is what the node groups are built from.
type NodesConfig struct {
	// Account resolves ARNs.
	Account *account.Account
	// ClusterName is the cluster (a token, so node groups wait for it).
	ClusterName *string
	// ClusterNameLiteral names tags and resources.
	ClusterNameLiteral string
	// KubernetesVersion is the control plane's minor: it selects the AMI
	// releases of pools that follow it, and ClusterVersion (a token) is set
	// on their node groups, so a cluster upgrade rolls them after it.
	// A pool with a version of its own (its spec's KubernetesVersion) stays on
	// it, AMI included, while the control plane moves.
	KubernetesVersion string
	ClusterVersion    *string
	// SubnetIds are the node subnets, one per availability zone.
	SubnetIds []*string
	// EbsKeyArn encrypts every volume.
	EbsKeyArn *string
	// Pools are the node pools.
	Pools []Pool
	// Tags are added to node groups (the cluster-autoscaler's discovery tags).
	Tags map[string]string
	// DependsOn are what nodes must wait for: the networking add-ons, so a
	// node never registers before its CNI is configured.
	DependsOn []cdktf.ITerraformDependable
}

// Nodes holds the node role and groups.
type Nodes struct {
	// Role is the node IAM role every managed node uses.
	Role iamrole.IamRole
	// RolePolicies are the role's policy attachments.
	RolePolicies []cdktf.ITerraformDependable
	// LaunchTemplates maps "<pool>/<generation>" to its launch template.
	LaunchTemplates map[string]launchtemplate.LaunchTemplate
	// Groups are every node group, in pool, generation, zone order.
	Groups []eksnodegroup.EksNodeGroup
	// UserData maps "<pool>/<generation>" to the rendered (not encoded)
	// user data, for review and tests.
	UserData map[string]string
	// NodeTemplateTags are the Auto Scaling group tags of scale-from-zero
	// node templates, in node group order.
	NodeTemplateTags []autoscalinggrouptag.AutoscalingGroupTagA
}

// Validate rejects what cannot be built; configuration validation has
// already reported user mistakes, so this catches wiring defects.
func (c NodesConfig) Validate() error {
	if len(c.SubnetIds) == 0 {
		return fmt.Errorf("nodes: no subnets")
	}
	for _, p := range c.Pools {
		if p.MaxPods < 1 || p.VCPUs < 1 {
			return fmt.Errorf("nodes: pool %s has max pods %d, vCPUs %d", p.Name, p.MaxPods, p.VCPUs)
		}
		if len(p.Spec.Generations) == 0 {
			return fmt.Errorf("nodes: pool %s has no generation", p.Name)
		}
		if len(p.Zones) == 0 {
			return fmt.Errorf("nodes: pool %s has no zone", p.Name)
		}
		for _, z := range p.Zones {
			if z < 0 || z >= len(c.SubnetIds) {
				return fmt.Errorf("nodes: pool %s has zone %d of %d", p.Name, z, len(c.SubnetIds))
			}
		}
		if _, err := AmiReleaseParameter(p.Spec.AmiType(), c.KubernetesVersion); err != nil {
			return fmt.Errorf("nodes: pool %s: %w", p.Name, err)
		}
	}
	return nil
}

// NewNodes creates the node role, a launch template per pool generation
// and a node group per pool, generation and zone.
func NewNodes(scope constructs.Construct, id string, cfg NodesConfig) *Nodes {
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	scope = constructs.NewConstruct(scope, jsii.String(id))
	n := &Nodes{LaunchTemplates: map[string]launchtemplate.LaunchTemplate{}, UserData: map[string]string{}}
	n.Role = iamrole.NewIamRole(scope, jsii.String("role"), &iamrole.IamRoleConfig{
		NamePrefix:       jsii.String(identity.RoleNamePrefix(cfg.ClusterNameLiteral+"-", "node")),
		Description:      jsii.String("Managed nodes of EKS cluster " + cfg.ClusterNameLiteral),
		AssumeRolePolicy: jsonvalue.String(identity.ServiceTrustPolicy(cfg.Account.ServicePrincipal("ec2"), "sts:AssumeRole")),
	})
	// Worker and image-pull policies only: the CNI's permissions live on
	// its own role. SSM lets operators in without SSH: on AL2023 through
	// the SSM agent, on Bottlerocket through its control container.
	for i, policy := range []string{"AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonSSMManagedInstanceCore"} {
		n.RolePolicies = append(n.RolePolicies, iamrolepolicyattachment.NewIamRolePolicyAttachment(scope, jsii.String(fmt.Sprintf("policy-%d", i)), &iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
			Role:      n.Role.Name(),
			PolicyArn: jsii.String(fmt.Sprintf("arn:%s:iam::aws:policy/%s", *cfg.Account.Partition, policy)),
		}))
	}
	releases := map[string]*string{}
	deps := append(append([]cdktf.ITerraformDependable(nil), n.RolePolicies...), cfg.DependsOn...)
	for _, pool := range sortedPools(cfg.Pools) {
		spec := pool.Spec
		release := jsii.String(spec.AmiReleaseVersion)
		version, k8s := cfg.ClusterVersion, cfg.KubernetesVersion
		if spec.KubernetesVersion != "" {
			version, k8s = jsii.String(spec.KubernetesVersion), spec.KubernetesVersion
		}
		if spec.AmiReleaseVersion == "" {
			path, _ := AmiReleaseParameter(spec.AmiType(), k8s)
			if _, ok := releases[path]; !ok {
				// The accelerated variants' own parameters get a suffix, and
				// pools behind the control plane read their own version's
				// release; the others keep the IDs they always had.
				id := fmt.Sprintf("release-%s-%s", spec.OS, spec.Architecture())
				if i := strings.LastIndex(spec.AmiType(), "_"); i > 0 && slices.Contains([]string{"NVIDIA", "NEURON"}, spec.AmiType()[i+1:]) {
					id += "-" + strings.ToLower(spec.AmiType()[i+1:])
				}
				if k8s != cfg.KubernetesVersion {
					id += "-" + strings.ReplaceAll(k8s, ".", "-")
				}
				param := dataawsssmparameter.NewDataAwsSsmParameter(scope, jsii.String(id), &dataawsssmparameter.DataAwsSsmParameterConfig{
					Name: jsii.String(path),
				})
				// The release version is public: insecure_value keeps it
				// readable in plans, where `value` would be redacted.
				releases[path] = param.InsecureValue()
			}
			release = releases[path]
		}
		for _, gen := range spec.Generations {
			key := pool.Name + "/" + gen
			userData := UserData(pool)
			n.UserData[key] = userData
			lt := launchTemplate(scope, cfg, pool, gen, userData)
			n.LaunchTemplates[key] = lt
			for _, zone := range pool.Zones {
				g := nodeGroup(scope, cfg, pool, gen, zone, cfg.SubnetIds[zone], lt, release, version, n.Role.Arn(), deps)
				n.Groups = append(n.Groups, g)
				if pool.NodeTemplateTags {
					n.NodeTemplateTags = append(n.NodeTemplateTags, nodeTemplateTags(scope, pool, gen, zone, g)...)
				}
			}
		}
	}
	return n
}

// Dependables lists every node group, for what must wait for nodes
// (CoreDNS, the EBS CSI driver).
func (n *Nodes) Dependables() []cdktf.ITerraformDependable {
	out := make([]cdktf.ITerraformDependable, len(n.Groups))
	for i, g := range n.Groups {
		out[i] = g
	}
	return out
}

// AmiReleaseParameter is the AWS public SSM parameter holding the latest
// release of an EKS AMI type for a Kubernetes version, in the form
// aws_eks_node_group.release_version expects. It is the one place the
// mapping lives. Sources: EKS user guide retrieve-ami-id (AL2023
// amazon-linux-2023/<arch>/{standard,nvidia,neuron}, the release_version
// sub-parameter), aws/karpenter-provider-aws v1.14.1
// pkg/providers/amifamily/{al2023,bottlerocket}.go (the same AL2023 paths;
// Bottlerocket aws-k8s-<v> and aws-k8s-<v>-nvidia, per architecture),
// Bottlerocket's image_version sub-parameter for release versions.
func AmiReleaseParameter(amiType, kubernetesVersion string) (string, error) {
	const al2023 = "/aws/service/eks/optimized-ami/%s/amazon-linux-2023/%s/%s/recommended/release_version"
	const bottlerocket = "/aws/service/bottlerocket/aws-k8s-%s%s/%s/latest/image_version"
	switch ekstypes.AMITypes(amiType) {
	case ekstypes.AMITypesAl2023X8664Standard:
		return fmt.Sprintf(al2023, kubernetesVersion, config.X86, "standard"), nil
	case ekstypes.AMITypesAl2023Arm64Standard:
		return fmt.Sprintf(al2023, kubernetesVersion, config.Arm, "standard"), nil
	case ekstypes.AMITypesAl2023X8664Nvidia:
		return fmt.Sprintf(al2023, kubernetesVersion, config.X86, "nvidia"), nil
	case ekstypes.AMITypesAl2023Arm64Nvidia:
		return fmt.Sprintf(al2023, kubernetesVersion, config.Arm, "nvidia"), nil
	case ekstypes.AMITypesAl2023X8664Neuron:
		return fmt.Sprintf(al2023, kubernetesVersion, config.X86, "neuron"), nil
	case ekstypes.AMITypesBottlerocketX8664:
		return fmt.Sprintf(bottlerocket, kubernetesVersion, "", config.X86), nil
	case ekstypes.AMITypesBottlerocketArm64:
		return fmt.Sprintf(bottlerocket, kubernetesVersion, "", config.Arm), nil
	case ekstypes.AMITypesBottlerocketX8664Nvidia:
		return fmt.Sprintf(bottlerocket, kubernetesVersion, "-nvidia", config.X86), nil
	case ekstypes.AMITypesBottlerocketArm64Nvidia:
		return fmt.Sprintf(bottlerocket, kubernetesVersion, "-nvidia", config.Arm), nil
	}
	return "", fmt.Errorf("no release-version parameter is known for AMI type %q", amiType)
}

func launchTemplate(scope constructs.Construct, cfg NodesConfig, pool Pool, gen string, userData string) launchtemplate.LaunchTemplate {
	spec := pool.Spec
	volumes := []*launchtemplate.LaunchTemplateBlockDeviceMappings{blockDevice("/dev/xvda", spec.Volumes.Root, cfg.EbsKeyArn)}
	if spec.OS == "bottlerocket" {
		volumes = append(volumes, blockDevice("/dev/xvdb", spec.Volumes.Data, cfg.EbsKeyArn))
	}
	tags := map[string]*string{
		"Name":                jsii.String(fmt.Sprintf("%s-%s", cfg.ClusterNameLiteral, pool.Name)),
		"eksready:pool":       jsii.String(pool.Name),
		"eksready:generation": jsii.String(gen),
	}
	var tagSpecs []*launchtemplate.LaunchTemplateTagSpecifications
	for _, rt := range []string{"instance", "volume", "network-interface"} {
		tagSpecs = append(tagSpecs, &launchtemplate.LaunchTemplateTagSpecifications{ResourceType: jsii.String(rt), Tags: &tags})
	}
	ltc := &launchtemplate.LaunchTemplateConfig{
		NamePrefix:          jsii.String(fmt.Sprintf("%s-%s-g%s-", cfg.ClusterNameLiteral, pool.Name, gen)),
		Description:         jsii.String(fmt.Sprintf("EKS cluster %s, pool %s, generation %s", cfg.ClusterNameLiteral, pool.Name, gen)),
		BlockDeviceMappings: volumes,
		// IMDSv2 only; a hop limit of 1 keeps containers from reaching the
		// node's metadata and borrowing its role.
		MetadataOptions: &launchtemplate.LaunchTemplateMetadataOptions{
			HttpEndpoint:            jsii.String("enabled"),
			HttpTokens:              jsii.String("required"),
			HttpPutResponseHopLimit: jsii.Number(spec.MetadataHopLimit),
			InstanceMetadataTags:    jsii.String("disabled"),
		},
		Monitoring:           &launchtemplate.LaunchTemplateMonitoring{Enabled: jsii.Bool(spec.DetailedMonitoring)},
		TagSpecifications:    tagSpecs,
		UserData:             jsii.String(base64.StdEncoding.EncodeToString([]byte(userData))),
		UpdateDefaultVersion: jsii.Bool(true),
	}
	if r := spec.CapacityReservation; r.Set() {
		// Targeted: instances launch only into the reservation (or the
		// group's), never as plain On-Demand capacity beside it.
		target := &launchtemplate.LaunchTemplateCapacityReservationSpecificationCapacityReservationTarget{}
		if r.ID != "" {
			target.CapacityReservationId = jsii.String(r.ID)
		} else {
			target.CapacityReservationResourceGroupArn = jsii.String(r.ResourceGroupArn)
		}
		ltc.CapacityReservationSpecification = &launchtemplate.LaunchTemplateCapacityReservationSpecification{CapacityReservationTarget: target}
	}
	if capacityBlock(spec) {
		// What EKS requires of a Capacity Block node group's launch
		// template (EKS user guide, capacity-blocks-mng): the capacity-block
		// market and the block's one instance type.
		ltc.InstanceMarketOptions = &launchtemplate.LaunchTemplateInstanceMarketOptions{MarketType: jsii.String("capacity-block")}
		ltc.InstanceType = jsii.String(spec.InstanceTypes[0])
	}
	return launchtemplate.NewLaunchTemplate(scope, jsii.String(fmt.Sprintf("%s-g%s-template", pool.Name, gen)), ltc)
}

// capacityBlock reports whether the pool runs in a Capacity Block for ML.
func capacityBlock(spec config.NodePool) bool {
	return spec.CapacityType == string(ekstypes.CapacityTypesCapacityBlock)
}

func blockDevice(device string, v config.Volume, key *string) *launchtemplate.LaunchTemplateBlockDeviceMappings {
	ebs := &launchtemplate.LaunchTemplateBlockDeviceMappingsEbs{
		VolumeSize:          jsii.Number(v.SizeGiB),
		VolumeType:          jsii.String(v.Type),
		Encrypted:           jsii.String("true"),
		KmsKeyId:            key,
		DeleteOnTermination: jsii.String("true"),
	}
	if v.Iops > 0 {
		ebs.Iops = jsii.Number(v.Iops)
	}
	if v.ThroughputMiBs > 0 {
		ebs.Throughput = jsii.Number(v.ThroughputMiBs)
	}
	return &launchtemplate.LaunchTemplateBlockDeviceMappings{DeviceName: jsii.String(device), Ebs: ebs}
}

func nodeGroup(scope constructs.Construct, cfg NodesConfig, pool Pool, gen string, zone int, subnet *string, lt launchtemplate.LaunchTemplate, release, version *string, role *string, deps []cdktf.ITerraformDependable) eksnodegroup.EksNodeGroup {
	spec := pool.Spec
	labels := map[string]*string{}
	for k, v := range nodeLabels(pool, gen) {
		labels[k] = jsii.String(v)
	}
	var taints []*eksnodegroup.EksNodeGroupTaint
	for _, t := range pool.Taints {
		taint := &eksnodegroup.EksNodeGroupTaint{Key: jsii.String(t.Key), Effect: jsii.String(t.Effect)}
		if t.Value != "" {
			taint.Value = jsii.String(t.Value)
		}
		taints = append(taints, taint)
	}
	update := &eksnodegroup.EksNodeGroupUpdateConfig{MaxUnavailablePercentage: jsii.Number(spec.Update.MaxUnavailablePercent)}
	if spec.Update.MaxUnavailable > 0 {
		update = &eksnodegroup.EksNodeGroupUpdateConfig{MaxUnavailable: jsii.Number(spec.Update.MaxUnavailable)}
	}
	tags := map[string]*string{}
	for k, v := range cfg.Tags {
		tags[k] = jsii.String(v)
	}
	ng := &eksnodegroup.EksNodeGroupConfig{
		ClusterName:         cfg.ClusterName,
		NodeGroupNamePrefix: jsii.String(config.NodeGroupNamePrefix(pool.Name, gen, zone)),
		NodeRoleArn:         role,
		SubnetIds:           &[]*string{subnet},
		ScalingConfig: &eksnodegroup.EksNodeGroupScalingConfig{
			MinSize:     jsii.Number(spec.MinSize),
			MaxSize:     jsii.Number(spec.MaxSize),
			DesiredSize: jsii.Number(*spec.DesiredSize),
		},
		UpdateConfig: update,
		// false keeps PodDisruptionBudgets binding during version and AMI
		// updates; true lets EKS terminate nodes whose pods cannot be
		// evicted (nodes.<pool>.update.forceUpdateVersion).
		ForceUpdateVersion: jsii.Bool(spec.Update.ForceUpdateVersion),
		CapacityType:       jsii.String(spec.CapacityType),
		AmiType:            jsii.String(spec.AmiType()),
		ReleaseVersion:     release,
		Version:            version,
		LaunchTemplate:     &eksnodegroup.EksNodeGroupLaunchTemplate{Id: lt.Id(), Version: cdktf.Token_AsString(lt.LatestVersion(), nil)},
		Labels:             &labels,
		// EKS replaces nodes that fail health checks instead of leaving
		// them NotReady.
		NodeRepairConfig: &eksnodegroup.EksNodeGroupNodeRepairConfig{Enabled: jsii.Bool(true)},
		Tags:             &tags,
		Lifecycle: &cdktf.TerraformResourceLifecycle{
			// A change EKS cannot roll in place (instance types, capacity
			// type) creates the replacement before the old group goes.
			CreateBeforeDestroy: jsii.Bool(true),
			// The autoscaler owns the node count after creation.
			IgnoreChanges: &[]*string{jsii.String("scaling_config[0].desired_size")},
		},
		DependsOn: &deps,
	}
	if len(taints) > 0 {
		ng.Taint = taints
	}
	if !capacityBlock(spec) {
		// A Capacity Block's launch template names the instance type, and
		// EKS refuses it in both places.
		ng.InstanceTypes = jsii.Strings(spec.InstanceTypes...)
	}
	return eksnodegroup.NewEksNodeGroup(scope, jsii.String(fmt.Sprintf("%s-g%s-az%d", pool.Name, gen, zone+1)), ng)
}

// NodeTemplate is what cluster-autoscaler must know of a node group's
// nodes to scale it up from zero, as Auto Scaling group tags
// (cluster-autoscaler-1.36.1 cloudprovider/aws/README.md, "Auto-Discovery
// Setup": k8s.io/cluster-autoscaler/node-template/label/<name>,
// .../taint/<key> = <value>:<effect>, .../resources/<name>). It calls the
// EKS API for a managed node group's labels and taints only while the
// group has never had a node, and knows no Neuron devices (its instance
// table counts NVIDIA GPUs only), so the tags carry them all: the labels,
// the taints except startup taints a daemon removes, and the accelerator
// devices of the pool's type with the fewest.
func NodeTemplate(pool Pool, gen string) map[string]string {
	const prefix = "k8s.io/cluster-autoscaler/node-template/"
	out := map[string]string{}
	for k, v := range nodeLabels(pool, gen) {
		out[prefix+"label/"+k] = v
	}
	for _, t := range pool.Taints {
		if !slices.Contains(pool.StartupTaints, t) {
			out[prefix+"taint/"+t.Key] = t.Value + ":" + t.KubernetesEffect()
		}
	}
	devices, cores := config.AcceleratorsPerNode(pool.Spec.InstanceTypes)
	if kind := pool.Spec.Accelerator(); kind != "" && devices > 0 {
		out[prefix+"resources/"+config.AcceleratorResource(kind)] = fmt.Sprint(devices)
		if cores > 0 {
			out[prefix+"resources/aws.amazon.com/neuroncore"] = fmt.Sprint(cores)
		}
	}
	return out
}

// nodeTemplateTags tags a node group's Auto Scaling group (which EKS
// creates and names; node group tags do not reach it) with NodeTemplate.
// Not propagated: they describe the group, not its instances.
func nodeTemplateTags(scope constructs.Construct, pool Pool, gen string, zone int, g eksnodegroup.EksNodeGroup) []autoscalinggrouptag.AutoscalingGroupTagA {
	tmpl := NodeTemplate(pool, gen)
	keys := make([]string, 0, len(tmpl))
	for k := range tmpl {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	asg := g.Resources().Get(jsii.Number(0)).AutoscalingGroups().Get(jsii.Number(0)).Name()
	var out []autoscalinggrouptag.AutoscalingGroupTagA
	for i, k := range keys {
		out = append(out, autoscalinggrouptag.NewAutoscalingGroupTagA(scope, jsii.String(fmt.Sprintf("%s-g%s-az%d-template-%d", pool.Name, gen, zone+1, i)), &autoscalinggrouptag.AutoscalingGroupTagAConfig{
			AutoscalingGroupName: asg,
			Tag: &autoscalinggrouptag.AutoscalingGroupTagTag{
				Key: jsii.String(k), Value: jsii.String(tmpl[k]), PropagateAtLaunch: jsii.Bool(false),
			},
		}))
	}
	return out
}

// KubeReserved is what kubelet reserves for Kubernetes' own daemons, by
// the formula the EKS AMIs use: memory 11 MiB per pod plus 255 MiB; CPU 6%
// of the first core, 1% of the second, 0.5% of cores three and four and
// 0.25% of the rest.
func KubeReserved(maxPods, vcpus int) (cpuMillis int, memoryMiB int) {
	memoryMiB = 11*maxPods + 255
	tenths := 0 // tenths of a millicore, to keep 0.25% exact
	for core := 1; core <= vcpus; core++ {
		switch {
		case core == 1:
			tenths += 600
		case core == 2:
			tenths += 100
		case core <= 4:
			tenths += 50
		default:
			tenths += 25
		}
	}
	return (tenths + 9) / 10, memoryMiB
}

// UserData renders the pool's node settings: Bottlerocket TOML, or an
// AL2023 nodeadm NodeConfig in a MIME part. On Bottlerocket the admin
// container (root shell) stays off, keeping the attack surface minimal,
// and the control container (the way in, through SSM) on. EKS merges its own settings
// (cluster endpoint, CA, DNS) into both; the values here win, which is how
// the planner's max-pods reaches kubelet.
func UserData(pool Pool) string {
	cpu, mem := KubeReserved(pool.MaxPods, pool.VCPUs)
	if pool.Spec.OS == "al2023" {
		return strings.Join([]string{
			"MIME-Version: 1.0",
			`Content-Type: multipart/mixed; boundary="EKSREADY"`,
			"",
			"--EKSREADY",
			"Content-Type: application/node.eks.aws",
			"",
			"---",
			"apiVersion: node.eks.aws/v1alpha1",
			"kind: NodeConfig",
			"spec:",
			"  kubelet:",
			"    config:",
			fmt.Sprintf("      maxPods: %d", pool.MaxPods),
			"      kubeReserved:",
			fmt.Sprintf("        cpu: %dm", cpu),
			fmt.Sprintf("        memory: %dMi", mem),
			"        ephemeral-storage: 1Gi",
			"",
			"--EKSREADY--",
			"",
		}, "\n")
	}
	lines := []string{
		"[settings.kubernetes]",
		fmt.Sprintf("max-pods = %d", pool.MaxPods),
		"",
		"[settings.kubernetes.kube-reserved]",
		fmt.Sprintf("cpu = \"%dm\"", cpu),
		fmt.Sprintf("memory = \"%dMi\"", mem),
		`ephemeral-storage = "1Gi"`,
		"",
		"[settings.host-containers.admin]",
		"enabled = false",
		"",
		"[settings.host-containers.control]",
		"enabled = true",
		"",
	}
	return strings.Join(lines, "\n")
}

// nodeLabels are the labels of a pool generation's nodes: pool and
// generation, the pool's own, then those other components need.
func nodeLabels(pool Pool, gen string) map[string]string {
	labels := map[string]string{config.PoolLabel: pool.Name, config.GenerationLabel: gen}
	for k, v := range pool.Spec.Labels {
		labels[k] = v
	}
	for k, v := range pool.ExtraLabels {
		labels[k] = v
	}
	return labels
}

// sortedPools orders pools by name so construct IDs and output are stable.
func sortedPools(pools []Pool) []Pool {
	out := append([]Pool(nil), pools...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
