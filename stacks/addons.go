package stacks

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawseksclusterauth"
	helmprovider "github.com/cdktf/cdktf-provider-helm-go/helm/v10/provider"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/config/ipcapacity"
	"github.com/eksready/eksready/constructs/addons/automodeobjects"
	"github.com/eksready/eksready/constructs/addons/baseline"
	"github.com/eksready/eksready/constructs/addons/bottlerocket"
	"github.com/eksready/eksready/constructs/addons/certmanager"
	"github.com/eksready/eksready/constructs/addons/clusterautoscaler"
	"github.com/eksready/eksready/constructs/addons/deviceplugins"
	"github.com/eksready/eksready/constructs/addons/externaldns"
	"github.com/eksready/eksready/constructs/addons/karpenter"
	"github.com/eksready/eksready/constructs/addons/loadbalancer"
	"github.com/eksready/eksready/constructs/addons/metricsserver"
	"github.com/eksready/eksready/constructs/addons/resources"
	"github.com/eksready/eksready/constructs/addons/storage"
	"github.com/eksready/eksready/constructs/guardduty"
	"github.com/eksready/eksready/constructs/identity"
	"github.com/eksready/eksready/constructs/observability"
)

// Addons is the `addons` stack: software inside the cluster, through Helm.
type Addons struct {
	// Stack is the Terraform stack.
	Stack cdktf.TerraformStack
	// Releases are the Helm releases by construct id, for callers that
	// order their own releases after eksready's.
	Releases map[string]release.Release
	// Cni is the Cilium release in podNetworking mode cilium (nil
	// otherwise); every other release depends on it, since no pod gets an
	// address before it runs.
	Cni release.Release
}

// NewAddons builds the `addons` stack. Everything it knows of the cluster
// comes from `infra`'s outputs, so it plans only once `infra` is applied.
//
// Release order (depends_on; Terraform destroys in reverse):
//   - the default StorageClass, on its own;
//   - the baseline first among the rest: eksready's namespaces, labelled
//     with Pod Security levels, and under defaultDeny the NetworkPolicies
//     admitting the platform's traffic (then the managed add-ons that run
//     pods follow it too);
//   - the AWS Load Balancer Controller first among the charts: its webhooks
//     intercept every Service, so charts that create Services install only
//     once it answers, and on destroy it is the last to go;
//   - metrics-server, cluster-autoscaler, the device plugins, external-dns,
//     cert-manager after it;
//   - Karpenter: CRD chart, controller, then the EC2NodeClass and NodePools,
//     so NodePools are deleted (and their nodes drained) while the
//     controller still runs;
//   - the Bottlerocket update operator's CRDs and operator after cert-manager.
func NewAddons(scope constructs.Construct, name string, cfg config.Cluster, infra *Infra) *Addons {
	stack := newAddonsStack(scope, name, cfg, infra)
	b := &addonsBuilder{
		Addons: &Addons{Stack: stack, Releases: map[string]release.Release{}},
		cfg:    cfg,
		infra:  infra,
		chart:  resources.NewChart(stack, "eksready-resources"),
	}
	b.addStorageClasses()
	b.addBaseline()
	b.addAutoModeObjects()
	b.addCni()
	b.orderManagedAddons()
	b.addLoadBalancerController()
	b.addMetricsServer()
	b.addAutoscaler()
	b.addDevicePlugins()
	b.addExternalDNS()
	b.addCertManager()
	return b.Addons
}

// newAddonsStack creates the stack with its backend and providers: Helm
// always, AWS only when addonsNeedAws.
func newAddonsStack(scope constructs.Construct, name string, cfg config.Cluster, infra *Infra) cdktf.TerraformStack {
	stack := cdktf.NewTerraformStack(scope, jsii.String(name))
	configureBackend(stack, name, cfg.Backend)
	if addonsNeedAws(cfg) {
		requireProviders(stack, "aws", "helm")
		// The same default tags as infra: the managed add-ons created here
		// (with Cilium) are AWS resources like any other.
		newAwsProvider(stack, cfg)
	} else {
		requireProviders(stack, "helm")
	}
	newHelmProvider(stack, cfg, infra)
	return stack
}

// addonsBuilder is what the steps of NewAddons share. Each step adds its
// releases to Addons.Releases by construct id.
type addonsBuilder struct {
	*Addons
	cfg   config.Cluster
	infra *Infra
	// chart is the eksready-resources chart asset eksready's own
	// Kubernetes objects are installed with.
	chart *resources.Chart
	// first lists the releases every pod-running chart waits for: the
	// baseline (eksready's namespaces and, under defaultDeny, the policies
	// admitting the platform's traffic), the Auto Mode objects, the CNI
	// when another CNI replaces the VPC CNI (no pod gets an address before
	// it runs), then the load balancer controller, whose webhook
	// intercepts every Service.
	first []cdktf.ITerraformDependable
}

// addStorageClasses installs the default StorageClass, on its own.
func (b *addonsBuilder) addStorageClasses() {
	provisioner := storage.EBSCSIProvisioner
	if b.cfg.AutoModeOn() {
		provisioner = storage.AutoModeProvisioner
	}
	b.Releases["storage-classes"] = storage.New(b.Stack, "storage-classes", b.chart, b.infra.EbsKey.Arn, provisioner)
}

// addBaseline installs eksready's namespaces and platform policies, when
// there are any, first of all.
func (b *addonsBuilder) addBaseline() {
	if bc := baselineConfig(b.cfg, b.chart); !bc.Empty() {
		bl := baseline.New(b.Stack, "baseline", bc)
		b.Releases["baseline"] = bl
		b.first = append(b.first, bl)
	}
}

// addAutoModeObjects installs the Auto Mode NodeClass, NodePools and
// IngressClass in Auto Mode. Charts wait for the NodePools: without
// built-in node pools no pod runs before they exist.
func (b *addonsBuilder) addAutoModeObjects() {
	if !b.cfg.AutoModeOn() {
		return
	}
	am := automodeobjects.New(b.Stack, "auto-mode", autoModeConfig(b.cfg, b.infra, b.chart), b.first)
	b.Releases["auto-mode"] = am
	b.first = append(b.first, am)
}

// addCni installs Cilium when it replaces the VPC CNI.
func (b *addonsBuilder) addCni() {
	if b.Cni = newCilium(b.Stack, b.cfg, b.first); b.Cni != nil {
		b.first = append(b.first, b.Cni)
	}
}

// orderManagedAddons makes CoreDNS, the EBS CSI driver and every other
// managed add-on that runs pods follow what their pods need (the CNI, the
// NodePools, the platform policies) instead of waiting, degraded, in
// infra, when ManagedAddonsFollowAddons.
func (b *addonsBuilder) orderManagedAddons() {
	if ManagedAddonsFollowAddons(b.cfg) {
		b.infra.ManagedAddons.AfterNodes(constructs.NewConstruct(b.Stack, jsii.String("managed-addons")), b.first)
	}
}

// addLoadBalancerController installs the AWS Load Balancer Controller,
// first among the charts.
func (b *addonsBuilder) addLoadBalancerController() {
	if !b.cfg.Software.AwsLoadBalancerController.On() {
		return
	}
	lbc := loadbalancer.New(b.Stack, "aws-load-balancer-controller", loadbalancer.Config{
		KubernetesVersion: b.cfg.KubernetesVersion,
		ClusterName:       b.infra.Cluster.Resource.Name(),
		Region:            b.cfg.Region,
		VpcID:             b.infra.Network.VpcId,
		IdentityMode:      identity.Mode(b.cfg.WorkloadIdentity),
		RoleArn:           b.infra.Addons.LoadBalancerController.Arn(),
		DependsOn:         b.first,
	})
	b.Releases["aws-load-balancer-controller"] = lbc
	b.first = append(b.first, lbc)
}

// addMetricsServer installs metrics-server, on the host network when the
// API server cannot reach pods.
func (b *addonsBuilder) addMetricsServer() {
	if !b.cfg.Software.MetricsServer.On() {
		return
	}
	b.Releases["metrics-server"] = metricsserver.New(b.Stack, "metrics-server", metricsserver.Config{
		KubernetesVersion: b.cfg.KubernetesVersion,
		HostNetwork:       !config.APIServerReachesPods(b.cfg),
		DependsOn:         b.first,
	})
}

// addAutoscaler installs the node autoscaler chosen: cluster-autoscaler,
// or Karpenter's CRDs, controller and NodePools.
func (b *addonsBuilder) addAutoscaler() {
	sw := b.cfg.Software
	switch sw.Autoscaling {
	case config.AutoscalingClusterAutoscaler:
		b.Releases["cluster-autoscaler"] = clusterautoscaler.New(b.Stack, "cluster-autoscaler", clusterautoscaler.Config{
			KubernetesVersion: b.cfg.KubernetesVersion,
			ClusterName:       b.infra.Cluster.Resource.Name(),
			Region:            b.cfg.Region,
			Expander:          sw.ClusterAutoscaler.Expander,
			IdentityMode:      identity.Mode(b.cfg.WorkloadIdentity),
			RoleArn:           b.infra.Addons.ClusterAutoscaler.Arn(),
			DependsOn:         b.first,
		})
	case config.AutoscalingKarpenter:
		k := karpenter.New(b.Stack, "karpenter", karpenterConfig(b.cfg, b.infra, b.chart, b.first))
		b.Releases["karpenter-crd"] = k.CRDs
		b.Releases["karpenter"] = k.Controller
		b.Releases["karpenter-nodepools"] = k.NodePools
	}
}

// addDevicePlugins installs the device plugins the accelerated nodes need.
func (b *addonsBuilder) addDevicePlugins() {
	for _, need := range config.DevicePlugins(b.cfg) {
		name := config.DevicePluginRelease(need.Kind)
		b.Releases[name] = deviceplugins.New(b.Stack, name, deviceplugins.Config{
			Kind:              need.Kind,
			KubernetesVersion: b.cfg.KubernetesVersion,
			Taints:            need.Taints,
			DependsOn:         b.first,
		})
	}
}

// addExternalDNS installs external-dns for the configured hosted zones.
func (b *addonsBuilder) addExternalDNS() {
	sw := b.cfg.Software
	if !sw.ExternalDNS.On() {
		return
	}
	b.Releases["external-dns"] = externaldns.New(b.Stack, "external-dns", externaldns.Config{
		KubernetesVersion: b.cfg.KubernetesVersion,
		ClusterName:       b.cfg.Name,
		Region:            b.cfg.Region,
		ZoneIDs:           sw.ExternalDNS.HostedZoneIDs,
		DomainFilters:     sw.ExternalDNS.DomainFilters,
		Policy:            sw.ExternalDNS.Policy,
		IdentityMode:      identity.Mode(b.cfg.WorkloadIdentity),
		RoleArn:           b.infra.Addons.ExternalDNS.Arn(),
		DependsOn:         b.first,
	})
}

// addCertManager installs cert-manager and, after it (the operator's
// certificates and its CRD's conversion webhook CA come from it), the
// Bottlerocket update operator.
func (b *addonsBuilder) addCertManager() {
	sw := b.cfg.Software
	if !sw.CertManager.On() {
		return
	}
	cm := certmanager.New(b.Stack, "cert-manager", b.cfg.KubernetesVersion, b.first)
	b.Releases["cert-manager"] = cm
	if sw.BottlerocketUpdateOperator.On() {
		op := bottlerocket.New(b.Stack, "bottlerocket-update-operator", b.cfg.KubernetesVersion, append([]cdktf.ITerraformDependable{cm}, b.first...))
		b.Releases["brupop-crd"] = op.CRDs
		b.Releases["brupop-operator"] = op.Operator
	}
}

// addonsNeedAws reports whether the addons stack needs the AWS provider:
// to mint the Helm provider's token, and, when another CNI replaces the
// VPC CNI, to install the managed add-ons that must wait for it. It never
// creates anything else in AWS.
func addonsNeedAws(cfg config.Cluster) bool {
	return cfg.Software.KubernetesAuth != config.KubernetesAuthExec || ManagedAddonsFollowAddons(cfg)
}

// newHelmProvider points the Helm provider at the cluster `infra` created:
// endpoint and CA from infra's outputs, credentials by token or exec.
func newHelmProvider(stack cdktf.TerraformStack, cfg config.Cluster, infra *Infra) {
	cl := infra.Cluster.Resource
	k8s := &helmprovider.HelmProviderKubernetes{
		Host:                 cl.Endpoint(),
		ClusterCaCertificate: cdktf.Fn_Base64decode(cl.CertificateAuthority().Get(jsii.Number(0)).Data()),
	}
	if cfg.Software.KubernetesAuth == config.KubernetesAuthExec {
		// A fresh token for every connection: a long apply (Karpenter,
		// cert-manager waits) never outlives it. Needs the AWS CLI.
		k8s.Exec = &helmprovider.HelmProviderKubernetesExec{
			ApiVersion: jsii.String("client.authentication.k8s.io/v1beta1"),
			Command:    jsii.String("aws"),
			Args:       jsii.Strings("eks", "get-token", "--cluster-name", *cl.Name(), "--region", cfg.Region),
		}
	} else {
		// The AWS provider mints the short-lived token (15 minutes) the Helm
		// provider authenticates with.
		auth := dataawseksclusterauth.NewDataAwsEksClusterAuth(stack, jsii.String("cluster-auth"), &dataawseksclusterauth.DataAwsEksClusterAuthConfig{
			Name: cl.Name(),
		})
		k8s.Token = auth.Token()
	}
	helmprovider.NewHelmProvider(stack, jsii.String("helm"), &helmprovider.HelmProviderConfig{Kubernetes: k8s})
}

func karpenterConfig(cfg config.Cluster, infra *Infra, chart *resources.Chart, dependsOn []cdktf.ITerraformDependable) karpenter.Config {
	kin, k := infra.Addons.Karpenter, cfg.Software.Karpenter
	kc := karpenter.Config{
		KubernetesVersion: cfg.KubernetesVersion,
		ClusterName:       infra.Cluster.Resource.Name(),
		ClusterEndpoint:   infra.Cluster.Resource.Endpoint(),
		DiscoveryValue:    cfg.Name,
		QueueName:         kin.Queue.Name(),
		NodeRoleName:      kin.NodeRole.Name(),
		EbsKeyArn:         infra.EbsKey.Arn,
		AmiAlias:          k.AmiAlias,
		RootVolumeGiB:     k.RootVolumeGiB,
		DataVolumeGiB:     k.DataVolumeGiB,
		Pools:             map[string]karpenter.Pool{},
		IdentityMode:      identity.Mode(cfg.WorkloadIdentity),
		RoleArn:           kin.Controller.Arn(),
		Resources:         chart,
		DependsOn:         dependsOn,
	}
	if cfg.Software.BottlerocketUpdateOperator.On() {
		kc.ExtraNodeLabels = bottlerocket.NodeLabels()
	}
	// The max pods the capacity plan charged every Karpenter node with;
	// validation planned the same NodePools, so this cannot fail here.
	maxPods, err := config.KarpenterMaxPods(cfg)
	if err != nil {
		panic(err)
	}
	kc.MaxPods, kc.NitroOnly = maxPods, config.KarpenterNitroOnly(cfg)
	for _, t := range config.NodeStartupTaints(cfg) {
		kc.StartupTaints = append(kc.StartupTaints, karpenter.Taint{Key: t.Key, Value: t.Value, Effect: t.KubernetesEffect()})
	}
	for name, p := range k.NodePools {
		// Karpenter's Bottlerocket nodes run no Neuron device plugin of
		// their own; eksready's DaemonSet selects them by label.
		kc.Pools[name] = nodePool(p, config.KarpenterRequirements(cfg, p), true)
	}
	for _, t := range k.CapacityReservations {
		kc.CapacityReservations = append(kc.CapacityReservations, karpenter.ReservationTerm{ID: t.ID, Tags: t.Tags, OwnerID: t.OwnerID})
	}
	return kc
}

// nodePool is a Karpenter or Auto Mode NodePool as the construct renders
// it: the configuration, plus the accelerator's labels and taint and the
// families the capacity plan admitted under its requirements.
// neuronPlugin says whether eksready's Neuron device plugin must reach the
// pool's Neuron nodes (not in Auto Mode, which runs its own).
func nodePool(p config.KarpenterNodePool, req ipcapacity.Requirements, neuronPlugin bool) karpenter.Pool {
	pool := karpenter.Pool{
		InstanceCategories: p.InstanceCategories, Architectures: p.Architectures, CapacityTypes: p.CapacityTypes,
		InstanceSizes: p.InstanceSizes, MinVCPUs: p.MinVCPUs, CPULimit: p.CPULimit, MemoryLimitGiB: p.MemoryLimitGiB,
		ConsolidateAfter: p.ConsolidateAfter, ExpireAfter: p.ExpireAfter, Labels: p.Labels,
	}
	for _, t := range config.NodePoolTaints(p) {
		pool.Taints = append(pool.Taints, karpenter.Taint{Key: t.Key, Value: t.Value, Effect: t.KubernetesEffect()})
	}
	if kind := p.Accelerator.Kind; kind != "" {
		pool.Accelerator, pool.AcceleratorCounts, pool.AcceleratorLimit = kind, p.Accelerator.Counts, p.Accelerator.Limit
		pool.Families = ipcapacity.Families(ipcapacity.LaunchableTypes(req))
		pool.Labels = map[string]string{config.AcceleratorLabel: kind}
		if kind == config.AcceleratorNeuron && neuronPlugin {
			pool.Labels[config.DevicePluginLabel] = kind
		}
		for k, v := range p.Labels {
			pool.Labels[k] = v
		}
	}
	return pool
}

// baselineConfig lists the namespaces eksready creates for its own
// software, each at the Pod Security level its pods meet, and, when
// NetworkPolicies deny by default, the EKS add-ons' namespaces that need
// the platform policy before their pods start.
func baselineConfig(cfg config.Cluster, chart *resources.Chart) baseline.Config {
	sw := cfg.Software
	bc := baseline.Config{Resources: chart, DefaultDeny: cfg.Network.Policies.DefaultDeny(), AddonNamespaces: map[string]string{}}
	if sw.CertManager.On() {
		bc.Namespaces = append(bc.Namespaces, baseline.Namespace{Name: certmanager.Namespace, Enforce: certmanager.PodSecurity})
		if sw.BottlerocketUpdateOperator.On() {
			bc.Namespaces = append(bc.Namespaces, baseline.Namespace{Name: bottlerocket.Namespace, Enforce: bottlerocket.PodSecurity})
		}
	}
	if sw.ExternalDNS.On() {
		bc.Namespaces = append(bc.Namespaces, baseline.Namespace{Name: externaldns.Namespace, Enforce: externaldns.PodSecurity})
	}
	if bc.DefaultDeny {
		if cfg.Observability.On() {
			bc.AddonNamespaces[observability.Namespace] = config.CloudWatchObservabilityAddon
		}
		if cfg.RuntimeMonitoring.On() {
			bc.AddonNamespaces[guardduty.Namespace] = config.GuardDutyAgentAddon
		}
	}
	return bc
}

// autoModeConfig is the Auto Mode objects' configuration, with what they
// need from infra as cross-stack references.
func autoModeConfig(cfg config.Cluster, infra *Infra, chart *resources.Chart) automodeobjects.Config {
	a := cfg.Compute.AutoMode
	ac := automodeobjects.Config{
		NodeRoleName:           infra.AutoModeNodes.Role.Name(),
		SubnetIds:              infra.Network.PrivateSubnetIds,
		ClusterSecurityGroupID: infra.Cluster.Resource.VpcConfig().ClusterSecurityGroupId(),
		EbsKeyArn:              infra.EbsKey.Arn,
		StorageGiB:             a.EphemeralStorage.SizeGiB,
		Iops:                   a.EphemeralStorage.Iops,
		ThroughputMiBs:         a.EphemeralStorage.ThroughputMiBs,
		Pools:                  map[string]karpenter.Pool{},
		IngressScheme:          a.IngressScheme,
		Resources:              chart,
		NetworkPolicies:        cfg.Network.Policies.On(),
		NetworkPolicyDefault:   automodeobjects.NetworkPolicyDefaultAllow,
	}
	if cfg.Network.Policies.DefaultDeny() {
		ac.NetworkPolicyDefault = automodeobjects.NetworkPolicyDefaultDeny
	}
	for name, p := range a.NodePools {
		ac.Pools[name] = nodePool(config.KarpenterNodePool(p), config.AutoModeRequirements(p), false)
	}
	for _, t := range a.CapacityReservations {
		ac.CapacityReservations = append(ac.CapacityReservations, automodeobjects.ReservationTerm{ID: t.ID, Tags: t.Tags, Owner: t.OwnerID})
	}
	return ac
}
