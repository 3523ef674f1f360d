// Package stacks composes eksready's constructs into its Terraform stacks:
// `infra` (every AWS resource) and `addons` (in-cluster software through
// Helm), so the AWS and Kubernetes/Helm providers never share a plan, and,
// for clusters that manage their HCP Terraform workspaces, the `bootstrap`
// stack that creates them.
//
// It owns the composition: which constructs each stack holds and in what
// order, how a validated config.Cluster becomes each construct's plain Go
// configuration, the cross-stack references from `addons` to `infra`'s
// outputs, backends and providers, and writing a repository's stacks (one
// cluster or a fleet) into the output directory.
//
// It may import constructs, config, catalog and report (the summary's
// section type); only the command imports it. It sets no default of a
// setting (config does) and never reads the synthesized JSON (report
// does); an AWS resource or Helm release of a concern of its own belongs
// in a construct.
package stacks

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/constructs/access"
	"github.com/eksready/eksready/constructs/account"
	"github.com/eksready/eksready/constructs/automodeaws"
	"github.com/eksready/eksready/constructs/cluster"
	"github.com/eksready/eksready/constructs/identity"
	"github.com/eksready/eksready/constructs/kms"
	"github.com/eksready/eksready/constructs/managedaddons"
	"github.com/eksready/eksready/constructs/network"
	"github.com/eksready/eksready/constructs/nodes"
)

// Infra is the `infra` stack: every AWS resource of the platform.
type Infra struct {
	// Stack is the Terraform stack.
	Stack cdktf.TerraformStack
	// Account is the plan-time account, partition and region.
	Account *account.Account
	// Network is the VPC.
	Network *network.Network
	// Cluster is the EKS control plane.
	Cluster *cluster.Cluster
	// Access holds the access entries; addons needs the deployer's.
	Access *access.Access
	// EbsKey encrypts every EBS volume; addons' default StorageClass uses it.
	EbsKey *kms.Key
	// ManagedAddons are the EKS managed add-ons.
	ManagedAddons *managedaddons.ManagedAddons
	// Nodes are the managed node groups and their role (nil in Auto Mode).
	Nodes *nodes.Nodes
	// AutoModeNodes is the Auto Mode node role and, without built-in node
	// pools, its access entry (nil with managed node groups).
	AutoModeNodes *automodeaws.Nodes
	// Addons are the AWS resources the in-cluster add-ons need.
	Addons *AddonsInfra
	// Baseline is the AWS side of the production baseline (observability,
	// Prometheus, runtime monitoring).
	Baseline *BaselineInfra
}

// NewInfra builds the `infra` stack from a validated configuration.
func NewInfra(scope constructs.Construct, name string, cfg config.Cluster) (*Infra, error) {
	stack := cdktf.NewTerraformStack(scope, jsii.String(name))
	configureBackend(stack, name, cfg.Backend)
	newAwsProvider(stack, cfg)
	requireProviders(stack, "aws")
	in := &Infra{Stack: stack, Account: account.NewAccount(stack, "account")}

	logsKey := newLogsKey(stack, cfg, in.Account)
	in.Network = newNetwork(stack, cfg, in.Account, logsKey.Arn)
	cp := cfg.ControlPlane
	var autoMode *cluster.AutoMode
	if cfg.AutoModeOn() {
		in.AutoModeNodes = automodeaws.NewNodes(stack, "auto-mode-nodes", automodeaws.NodesConfig{Account: in.Account, ClusterName: cfg.Name})
		autoMode = &cluster.AutoMode{NodePools: cfg.Compute.AutoMode.BuiltInNodePools, DependsOn: in.AutoModeNodes.Policies}
		if len(autoMode.NodePools) > 0 {
			autoMode.NodeRoleArn = in.AutoModeNodes.Role.Arn()
		}
	}
	in.Cluster = cluster.NewCluster(stack, "control-plane", cluster.ClusterConfig{
		Account:               in.Account,
		Name:                  cfg.Name,
		KubernetesVersion:     cfg.KubernetesVersion,
		SubnetIds:             in.Network.ControlPlaneSubnetIds,
		ReplacedWith:          in.Network.ControlPlanePlacement,
		IPFamily:              in.Network.IpFamily,
		PublicAccess:          *cp.Endpoint.PublicAccess,
		PublicAccessCidrs:     cp.Endpoint.PublicAccessCidrs,
		LogTypes:              cp.Logging.Types,
		LogRetentionDays:      cp.Logging.RetentionDays,
		UpgradePolicy:         cp.UpgradePolicy,
		ZonalShift:            cp.ZonalShift,
		KeyDeletionWindowDays: cp.KeyDeletionWindowDays,
		IdentityMode:          identity.Mode(cfg.WorkloadIdentity),
		LogsKey:               logsKey,
		AutoMode:              autoMode,
		Tags:                  clusterTags(cfg),
	})
	in.Access = access.NewAccess(stack, "access", accessConfig(cfg, in))
	if autoMode != nil && autoMode.NodeRoleArn == nil {
		in.AutoModeNodes.GrantClusterAccess(stack, "auto-mode-node-access", in.Cluster.Name)
	}
	in.Addons = newAddonsInfra(stack, cfg, in)
	in.EbsKey = newEbsKey(stack, cfg, in, in.Addons.VolumeLaunchers())
	protect(cfg, in, logsKey, in.Cluster.SecretsKey, in.EbsKey)
	newBaselineInfra(stack, cfg, in, logsKey)
	in.ManagedAddons = managedaddons.NewManagedAddons(stack, "managed-addons", managedaddons.Config{
		ClusterName:       in.Cluster.Name,
		KubernetesVersion: cfg.KubernetesVersion,
		IdentityMode:      identity.Mode(cfg.WorkloadIdentity),
		Addons:            managedAddonList(stack, cfg, in),
	})
	if cfg.AutoModeOn() {
		if !ManagedAddonsFollowAddons(cfg) {
			// The built-in node pools launch nodes for the add-ons' pods.
			in.ManagedAddons.AfterNodes(in.ManagedAddons.Scope(), nil)
		}
		newHandoffOutputs(stack, cfg, in)
		return in, nil
	}
	nodeGroups, err := newNodes(stack, cfg, in)
	if err != nil {
		return nil, err
	}
	in.Nodes = nodeGroups
	if !ManagedAddonsFollowAddons(cfg) {
		in.ManagedAddons.AfterNodes(in.ManagedAddons.Scope(), in.Nodes.Dependables())
	}
	newHandoffOutputs(stack, cfg, in)
	return in, nil
}

// ManagedAddonsFollowAddons reports whether the managed add-ons that run
// pods are installed by the addons stack rather than infra: with another
// CNI (Cilium, installed by addons) nodes stay tainted until it runs; in
// Auto Mode without built-in node pools no node exists before addons
// creates the NodePools; and when NetworkPolicies deny by default, a pod
// has no traffic until the policy admitting the platform's namespaces
// exists, which addons creates first. Installed in infra, they would sit
// degraded until Terraform timed out.
func ManagedAddonsFollowAddons(cfg config.Cluster) bool {
	if cfg.AutoModeOn() {
		return len(cfg.Compute.AutoMode.BuiltInNodePools) == 0
	}
	return !cfg.Network.UsesVpcCni() || cfg.Network.Policies.DefaultDeny()
}

func accessConfig(cfg config.Cluster, in *Infra) access.AccessConfig {
	ac := access.AccessConfig{
		Account:           in.Account,
		ClusterName:       in.Cluster.Name,
		DeployerRoleArn:   cfg.Access.DeployerRoleArn,
		DeployerPolicyArn: config.AccessPolicyArn(*in.Account.Partition, "cluster-admin"),
	}
	for i, e := range cfg.Access.Entries {
		g := access.Grant{
			Name:             e.EntryName(),
			PrincipalArn:     jsii.String(e.PrincipalArn),
			Type:             e.Type,
			Namespaces:       e.Namespaces,
			KubernetesGroups: e.KubernetesGroups,
			// Releases before named entries addressed them by position:
			// moved blocks carry a state written then to the names, as
			// long as the list is unchanged when eksready is upgraded.
			LegacyPosition: i + 1,
		}
		if e.Policy != "" {
			g.PolicyArn = config.AccessPolicyArn(*in.Account.Partition, e.Policy)
		}
		ac.Grants = append(ac.Grants, g)
	}
	return ac
}

// managedAddonList is the cluster's managed add-ons with their roles and
// configuration, in creation order.
func managedAddonList(stack cdktf.TerraformStack, cfg config.Cluster, in *Infra) []managedaddons.Addon {
	ids := in.Cluster.Identity
	partition := *in.Account.Partition
	version := func(name string) string { return cfg.ManagedAddons.Versions[name] }

	var addons []managedaddons.Addon
	if cfg.AutoModeOn() {
		// Auto Mode runs the VPC CNI, kube-proxy, CoreDNS, the EBS CSI driver
		// and the Pod Identity agent itself; the snapshot controller is not
		// built in and is compatible ("EKS Auto Mode does not include the
		// snapshot controller", EKS user guide, sample-storage-workload).
		return append(optionalAddons(cfg), in.Baseline.Addons(cfg)...)
	}
	if cfg.Network.UsesVpcCni() {
		// The CNI's permissions live on its own role, not the node role, so
		// pods on a node cannot borrow them. IPv6 clusters need the IPv6
		// actions instead of the IPv4 managed policy.
		cni := identity.ServiceAccountRoleConfig{
			Cluster:           ids,
			Namespace:         "kube-system",
			ServiceAccount:    "aws-node",
			RoleName:          "vpc-cni",
			ManagedPolicyArns: []string{fmt.Sprintf("arn:%s:iam::aws:policy/AmazonEKS_CNI_Policy", partition)},
			ManagedAddon:      true,
		}
		if cfg.Network.IPv6() {
			cni.ManagedPolicyArns, cni.Policy = nil, in.Network.VpcCniIPv6Policy(partition)
		}
		addons = append(addons, managedaddons.Addon{
			Name: "vpc-cni", Version: version("vpc-cni"), Phase: managedaddons.BeforeNodes,
			Role:                identity.NewServiceAccountRole(stack, "vpc-cni-identity", cni),
			ConfigurationValues: in.Network.VpcCniConfigurationValues(in.Cluster.Resource.VpcConfig().ClusterSecurityGroupId()),
		})
	}
	ebsRole := identity.NewServiceAccountRole(stack, "ebs-csi-identity", identity.ServiceAccountRoleConfig{
		Cluster:           ids,
		Namespace:         "kube-system",
		ServiceAccount:    "ebs-csi-controller-sa",
		RoleName:          "ebs-csi",
		ManagedPolicyArns: []string{fmt.Sprintf("arn:%s:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy", partition)},
		Policy:            ebsCSIKeyPolicy(in.EbsKey.Arn),
		ManagedAddon:      true,
	})
	addons = append(addons, []managedaddons.Addon{
		{Name: "eks-pod-identity-agent", Version: version("eks-pod-identity-agent"), Phase: managedaddons.BeforeNodes},
		{Name: "kube-proxy", Version: version("kube-proxy"), Phase: managedaddons.BeforeNodes},
		{Name: "coredns", Version: version("coredns"), Phase: managedaddons.AfterNodes},
		{Name: "aws-ebs-csi-driver", Version: version("aws-ebs-csi-driver"), Phase: managedaddons.AfterNodes, Role: ebsRole},
	}...)
	addons = append(addons, optionalAddons(cfg)...)
	return append(addons, in.Baseline.Addons(cfg)...)
}

// optionalAddons are the snapshot controller, when enabled, and the
// additional add-ons, all installed after the nodes.
func optionalAddons(cfg config.Cluster) []managedaddons.Addon {
	var addons []managedaddons.Addon
	if cfg.ManagedAddons.SnapshotController.On() {
		addons = append(addons, managedaddons.Addon{Name: "snapshot-controller", Version: cfg.ManagedAddons.Versions["snapshot-controller"], Phase: managedaddons.AfterNodes})
	}
	if cfg.ManagedAddons.NodeMonitoringAgent.On() {
		// A DaemonSet that needs no AWS permissions: it only reads node logs
		// and sets node conditions. After the nodes, like every add-on
		// whose pods need somewhere to run.
		addons = append(addons, managedaddons.Addon{Name: config.NodeMonitoringAgentAddon, Version: cfg.ManagedAddons.Versions[config.NodeMonitoringAgentAddon], Phase: managedaddons.AfterNodes})
	}
	for _, a := range cfg.ManagedAddons.Additional {
		addons = append(addons, managedaddons.Addon{Name: a.Name, Version: a.Version, Phase: managedaddons.AfterNodes})
	}
	return addons
}

// clusterTags are the tags of the EKS cluster beyond the provider's
// default tags: the GuardDuty exclusion tag when eksready installs the
// agent, so GuardDuty's automated agent configuration never installs a
// second one (and never updates eksready's).
func clusterTags(cfg config.Cluster) map[string]string {
	if !cfg.RuntimeMonitoring.On() {
		return nil
	}
	return map[string]string{config.GuardDutyManagedTag: "false"}
}

// newAwsProvider configures the AWS provider with the region and the tags
// every resource carries, so ownership is visible in the AWS console and
// cost reports without per-resource tagging.
func newAwsProvider(stack cdktf.TerraformStack, cfg config.Cluster) provider.AwsProvider {
	tags := map[string]*string{
		"eksready:cluster": jsii.String(cfg.Name),
		"managed-by":       jsii.String("eksready"),
	}
	for k, v := range cfg.Tags {
		tags[k] = jsii.String(v)
	}
	return provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{
		Region:      jsii.String(cfg.Region),
		DefaultTags: &[]*provider.AwsProviderDefaultTags{{Tags: &tags}},
	})
}
