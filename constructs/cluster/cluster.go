// Package cluster builds the EKS control plane: its IAM role, the KMS key
// for secrets, the encrypted log group, the cluster itself and, for IRSA,
// the OIDC provider. In EKS Auto Mode it also owns the control plane's
// side of it: the cluster role's Auto Mode policies and the cluster's
// compute, block storage and load balancing settings (the node role is
// constructs/automodeaws's).
package cluster

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ekscluster"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamopenidconnectprovider"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicyattachment"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/constructs/jsonvalue"

	"github.com/eksready/eksready/constructs/account"
	"github.com/eksready/eksready/constructs/identity"
	"github.com/eksready/eksready/constructs/kms"
)

// ClusterConfig is what the control plane is built from (already validated
// as part of the cluster configuration).
type ClusterConfig struct {
	// Account resolves ARNs and principals.
	Account *account.Account
	// Name is the EKS cluster name.
	Name string
	// KubernetesVersion is the EKS minor version.
	KubernetesVersion string
	// SubnetIds are where EKS places the control plane's network interfaces.
	SubnetIds []*string
	// ReplacedWith are references (as lifecycle.replace_triggered_by takes
	// them) whose replacement replaces the cluster: what EKS cannot move
	// it out of (network.Network.ControlPlanePlacement). Without them a
	// new VPC or other zones would plan as an in-place update of the
	// subnets, which EKS refuses at apply, after the new network is built;
	// as a replacement, deletion protection stops the plan.
	ReplacedWith []string
	// IPFamily is "ipv4" or "ipv6"; it cannot change after creation.
	IPFamily string
	// PublicAccess exposes the API endpoint publicly, limited to
	// PublicAccessCidrs. Private access is always on.
	PublicAccess bool
	// PublicAccessCidrs are the ranges allowed to the public endpoint.
	PublicAccessCidrs []string
	// LogTypes are the control-plane log types to deliver.
	LogTypes []string
	// LogRetentionDays is the log group's retention.
	LogRetentionDays int
	// UpgradePolicy is the EKS support type, STANDARD or EXTENDED.
	UpgradePolicy string
	// ZonalShift enables ARC zonal shift.
	ZonalShift bool
	// KeyDeletionWindowDays applies to the secrets key.
	KeyDeletionWindowDays int
	// IdentityMode decides whether an OIDC provider is created (IRSA).
	IdentityMode identity.Mode
	// LogsKey encrypts the control-plane log group; its policy must admit
	// CloudWatch Logs for LogGroupName (see stacks).
	LogsKey *kms.Key
	// AutoMode turns EKS Auto Mode on; nil builds a cluster for managed
	// node groups.
	AutoMode *AutoMode
	// Tags are the cluster's own tags, next to the provider's default
	// tags; nil for none.
	Tags map[string]string
}

// AutoMode is what an EKS Auto Mode control plane needs.
type AutoMode struct {
	// NodePools are the built-in node pools ("general-purpose", "system");
	// empty runs only NodePools created in the cluster.
	NodePools []string
	// NodeRoleArn is the role of the built-in pools' nodes. EKS requires
	// it with built-in pools and creates its access entry; it must be nil
	// without them (EKS user guide, create-node-pool: "Create an EKS
	// cluster with both nodePools and nodeRoleArn values empty").
	NodeRoleArn *string
	// DependsOn are what must exist before EKS launches nodes (the node
	// role's policy attachments).
	DependsOn []cdktf.ITerraformDependable
}

// AutoModeClusterPolicies are the managed policies the cluster role needs
// in Auto Mode, next to AmazonEKSClusterPolicy: compute, block storage,
// load balancing and networking (EKS user guide, auto-cluster-iam-role).
var AutoModeClusterPolicies = []string{"AmazonEKSComputePolicy", "AmazonEKSBlockStoragePolicy", "AmazonEKSLoadBalancingPolicy", "AmazonEKSNetworkingPolicy"}

// Cluster is the EKS control plane and what belongs to it.
type Cluster struct {
	// Resource is the aws_eks_cluster.
	Resource ekscluster.EksCluster
	// Name is the cluster's name as a token, so that whatever uses it
	// waits for the cluster to exist.
	Name *string
	// Role is the IAM role the control plane assumes.
	Role iamrole.IamRole
	// SecretsKey encrypts Kubernetes secrets (envelope encryption).
	SecretsKey *kms.Key
	// LogsKey encrypts the control-plane log group.
	LogsKey *kms.Key
	// LogGroup receives the control-plane logs.
	LogGroup cloudwatchloggroup.CloudwatchLogGroup
	// OIDCProvider is the IAM OIDC provider for IRSA (nil with Pod Identity).
	OIDCProvider iamopenidconnectprovider.IamOpenidConnectProvider
	// Identity is what service-account roles need to know of this cluster.
	Identity identity.Cluster
}

// LogGroupName is where EKS writes control-plane logs; eksready creates
// the group first so that it, not EKS, owns its retention and encryption.
func LogGroupName(cluster string) string { return "/aws/eks/" + cluster + "/cluster" }

// NewCluster creates the control plane.
func NewCluster(scope constructs.Construct, id string, cfg ClusterConfig) *Cluster {
	scope = constructs.NewConstruct(scope, jsii.String(id))
	c := &Cluster{LogsKey: cfg.LogsKey}
	rolePolicies := c.createRole(scope, cfg)
	c.createSecretsKey(scope, cfg)
	c.createLogGroup(scope, cfg)
	// The log group must exist first or EKS creates its own, unencrypted
	// and kept forever; the role needs its policies before EKS assumes it.
	c.Resource = ekscluster.NewEksCluster(scope, jsii.String("cluster"), eksClusterConfig(cfg, c, append(rolePolicies, c.LogGroup)))
	c.Name = c.Resource.Name()
	c.Identity = identity.Cluster{Name: c.Name, NamePrefix: cfg.Name + "-", Mode: cfg.IdentityMode}
	if cfg.IdentityMode == identity.IRSA {
		c.createOIDCProvider(scope)
	}
	return c
}

// createRole creates the role the control plane assumes and attaches its
// managed policies, returning the attachments (and, in Auto Mode, what
// must exist before EKS launches nodes) for the cluster to wait for.
func (c *Cluster) createRole(scope constructs.Construct, cfg ClusterConfig) []cdktf.ITerraformDependable {
	partition := *cfg.Account.Partition
	// sts:TagSession is required by EKS Auto Mode ("The Cluster IAM Role
	// must have an updated trust policy including the sts:TagSession
	// action", EKS user guide, auto-enable-existing) and harmless without
	// it, so the trust is the same in both modes and switching keeps it.
	c.Role = iamrole.NewIamRole(scope, jsii.String("role"), &iamrole.IamRoleConfig{
		NamePrefix:       jsii.String(identity.RoleNamePrefix(cfg.Name+"-", "cluster")),
		Description:      jsii.String("EKS control plane of " + cfg.Name),
		AssumeRolePolicy: jsonvalue.String(identity.ServiceTrustPolicy("eks.amazonaws.com", "sts:AssumeRole", "sts:TagSession")),
	})
	// AmazonEKSClusterPolicy is the only policy a cluster without EKS Auto
	// Mode needs; the VPC resource controller policy is for Windows and
	// security groups for pods, which eksready does not enable.
	policy := iamrolepolicyattachment.NewIamRolePolicyAttachment(scope, jsii.String("cluster-policy"), &iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
		Role:      c.Role.Name(),
		PolicyArn: jsii.String(fmt.Sprintf("arn:%s:iam::aws:policy/AmazonEKSClusterPolicy", partition)),
	})
	deps := []cdktf.ITerraformDependable{policy}
	if cfg.AutoMode == nil {
		return deps
	}
	for _, name := range AutoModeClusterPolicies {
		deps = append(deps, iamrolepolicyattachment.NewIamRolePolicyAttachment(scope, jsii.String("auto-mode-"+name), &iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
			Role:      c.Role.Name(),
			PolicyArn: jsii.String(fmt.Sprintf("arn:%s:iam::aws:policy/%s", partition, name)),
		}))
	}
	return append(deps, cfg.AutoMode.DependsOn...)
}

// createSecretsKey creates the KMS key that envelope-encrypts Kubernetes
// secrets, usable by the control plane's role.
func (c *Cluster) createSecretsKey(scope constructs.Construct, cfg ClusterConfig) {
	c.SecretsKey = kms.NewKey(scope, "secrets-key", kms.KeyConfig{
		Account:            cfg.Account,
		Alias:              "eks/" + cfg.Name + "/secrets",
		Description:        "Envelope encryption of Kubernetes secrets in EKS cluster " + cfg.Name,
		DeletionWindowDays: cfg.KeyDeletionWindowDays,
		Statements: []kms.Statement{{
			// The actions EKS documents for secrets encryption with a
			// customer-managed key.
			"Sid":       "ClusterRoleEncryptsSecrets",
			"Effect":    "Allow",
			"Principal": map[string]any{"AWS": c.Role.Arn()},
			"Action":    []string{"kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"},
			"Resource":  "*",
		}},
	})
}

// createLogGroup creates the control-plane log group, encrypted with the
// logs key, before EKS would create one of its own.
func (c *Cluster) createLogGroup(scope constructs.Construct, cfg ClusterConfig) {
	c.LogGroup = cloudwatchloggroup.NewCloudwatchLogGroup(scope, jsii.String("log-group"), &cloudwatchloggroup.CloudwatchLogGroupConfig{
		Name:            jsii.String(LogGroupName(cfg.Name)),
		RetentionInDays: jsii.Number(cfg.LogRetentionDays),
		KmsKeyId:        c.LogsKey.Arn,
	})
}

// eksClusterConfig is the aws_eks_cluster's configuration: c's role and
// secrets key, waiting for dependsOn.
func eksClusterConfig(cfg ClusterConfig, c *Cluster, dependsOn []cdktf.ITerraformDependable) *ekscluster.EksClusterConfig {
	conf := &ekscluster.EksClusterConfig{
		Name:    jsii.String(cfg.Name),
		Version: jsii.String(cfg.KubernetesVersion),
		RoleArn: c.Role.Arn(),
		VpcConfig: &ekscluster.EksClusterVpcConfig{
			SubnetIds:             &cfg.SubnetIds,
			EndpointPrivateAccess: jsii.Bool(true),
			EndpointPublicAccess:  jsii.Bool(cfg.PublicAccess),
			PublicAccessCidrs:     publicCidrs(cfg),
		},
		// API-only authentication: access entries, never the aws-auth
		// ConfigMap, and no invisible admin for whoever created the cluster.
		// The admin setting forces a new cluster if changed later, and the
		// authentication mode only ever moves towards API (CONFIG_MAP →
		// API_AND_CONFIG_MAP → API, in place), so both are right from day
		// one.
		AccessConfig: &ekscluster.EksClusterAccessConfig{
			AuthenticationMode:                      jsii.String("API"),
			BootstrapClusterCreatorAdminPermissions: jsii.Bool(false),
		},
		// No unmanaged kube-proxy/CoreDNS/VPC CNI: eksready installs them as
		// managed add-ons, or Auto Mode runs them (where AWS requires false).
		// Changing this later replaces the cluster.
		BootstrapSelfManagedAddons: jsii.Bool(false),
		EncryptionConfig: &ekscluster.EksClusterEncryptionConfig{
			Provider:  &ekscluster.EksClusterEncryptionConfigProvider{KeyArn: c.SecretsKey.Arn},
			Resources: jsii.Strings("secrets"),
		},
		EnabledClusterLogTypes: jsii.Strings(cfg.LogTypes...),
		KubernetesNetworkConfig: &ekscluster.EksClusterKubernetesNetworkConfig{
			IpFamily: jsii.String(cfg.IPFamily),
		},
		UpgradePolicy:    &ekscluster.EksClusterUpgradePolicy{SupportType: jsii.String(cfg.UpgradePolicy)},
		ZonalShiftConfig: &ekscluster.EksClusterZonalShiftConfig{Enabled: jsii.Bool(cfg.ZonalShift)},
		DependsOn:        &dependsOn,
	}
	if len(cfg.ReplacedWith) > 0 {
		triggers := make([]any, len(cfg.ReplacedWith))
		for i, r := range cfg.ReplacedWith {
			triggers[i] = r
		}
		conf.Lifecycle = &cdktf.TerraformResourceLifecycle{ReplaceTriggeredBy: &triggers}
	}
	if len(cfg.Tags) > 0 {
		tags := map[string]*string{}
		for k, v := range cfg.Tags {
			tags[k] = jsii.String(v)
		}
		conf.Tags = &tags
	}
	if cfg.AutoMode != nil {
		enableAutoMode(conf, cfg.AutoMode)
	}
	return conf
}

// enableAutoMode turns on EKS Auto Mode's compute, block storage and load
// balancing together: they "must all be enabled or disabled in the same
// request" (EKS user guide, auto-enable-existing). Attributes checked
// against the AWS provider 5.100 schema of aws_eks_cluster.
func enableAutoMode(conf *ekscluster.EksClusterConfig, a *AutoMode) {
	conf.ComputeConfig = &ekscluster.EksClusterComputeConfig{
		Enabled:     jsii.Bool(true),
		NodePools:   jsii.Strings(a.NodePools...),
		NodeRoleArn: a.NodeRoleArn,
	}
	conf.StorageConfig = &ekscluster.EksClusterStorageConfig{
		BlockStorage: &ekscluster.EksClusterStorageConfigBlockStorage{Enabled: jsii.Bool(true)},
	}
	conf.KubernetesNetworkConfig.ElasticLoadBalancing = &ekscluster.EksClusterKubernetesNetworkConfigElasticLoadBalancing{Enabled: jsii.Bool(true)}
}

// createOIDCProvider creates the IAM OIDC provider for IRSA from the
// cluster's issuer and records it in c.Identity.
func (c *Cluster) createOIDCProvider(scope constructs.Construct) {
	issuer := c.Resource.Identity().Get(jsii.Number(0)).Oidc().Get(jsii.Number(0)).Issuer()
	c.OIDCProvider = iamopenidconnectprovider.NewIamOpenidConnectProvider(scope, jsii.String("oidc-provider"), &iamopenidconnectprovider.IamOpenidConnectProviderConfig{
		Url:          issuer,
		ClientIdList: jsii.Strings("sts.amazonaws.com"),
		// thumbprint_list is optional: IAM validates EKS's OIDC issuer
		// against its own trusted CAs.
	})
	c.Identity.OIDCProviderArn = c.OIDCProvider.Arn()
	c.Identity.OIDCIssuerHost = cdktf.Fn_Replace(issuer, jsii.String("https://"), jsii.String(""))
}

// publicCidrs is nil when the endpoint is private-only, so no stale
// allow-list sits in the plan.
func publicCidrs(cfg ClusterConfig) *[]*string {
	if !cfg.PublicAccess {
		return nil
	}
	return jsii.Strings(cfg.PublicAccessCidrs...)
}
