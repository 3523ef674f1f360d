// Package managedaddons installs EKS managed add-ons (R3) in the order the
// cluster needs them: networking add-ons before any node exists (or nodes
// register with the wrong max-pods and no pod network), workload add-ons
// after the node groups (or they sit degraded until Terraform times out).
package managedaddons

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawseksaddonversion"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eksaddon"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/constructs/identity"
)

// Phase says when an add-on is installed relative to the node groups.
type Phase int

const (
	// BeforeNodes add-ons (VPC CNI, Pod Identity agent, kube-proxy) are
	// DaemonSets every node needs from its first second.
	BeforeNodes Phase = iota
	// AfterNodes add-ons (CoreDNS, EBS CSI driver, snapshot controller) are
	// Deployments that need somewhere to run before they report healthy.
	AfterNodes
)

// Addon is one managed add-on.
type Addon struct {
	// Name is the EKS add-on name ("vpc-cni").
	Name string
	// Version pins the add-on; empty resolves the version EKS marks default
	// for the cluster's Kubernetes version, at plan time.
	Version string
	// Phase orders it against the node groups.
	Phase Phase
	// ConfigurationValues is the add-on's configuration (its published
	// JSON schema); nil for none. Tokens inside resolve at plan time.
	ConfigurationValues map[string]any
	// Role is the add-on's service-account role; nil when it needs none.
	Role *identity.ServiceAccountRole
	// Prerequisites are AWS resources of the add-ons' own stack that must
	// exist before it (the log groups it writes to, the endpoint its agent
	// reports through). An add-on created in the addons stack cannot
	// depend on infra's resources, which are applied before it anyway.
	Prerequisites []cdktf.ITerraformDependable
}

// Config lists the add-ons of one cluster.
type Config struct {
	// ClusterName is the cluster (a token, so add-ons wait for it).
	ClusterName *string
	// KubernetesVersion selects default add-on versions.
	KubernetesVersion string
	// IdentityMode binds roles through Pod Identity or IRSA.
	IdentityMode identity.Mode
	// Addons are installed in Phase order.
	Addons []Addon
}

// ManagedAddons holds the created add-ons.
type ManagedAddons struct {
	scope constructs.Construct
	cfg   Config
	// ByName maps add-on names to the created resources.
	ByName map[string]eksaddon.EksAddon
}

// Validate rejects add-on lists that cannot be installed.
func (c Config) Validate() error {
	seen := map[string]bool{}
	for _, a := range c.Addons {
		if a.Name == "" {
			return fmt.Errorf("managed add-on without a name")
		}
		if seen[a.Name] {
			return fmt.Errorf("managed add-on %q listed twice", a.Name)
		}
		seen[a.Name] = true
	}
	return nil
}

// NewManagedAddons installs the BeforeNodes add-ons. Call AfterNodes once
// the node groups exist to install the rest.
func NewManagedAddons(scope constructs.Construct, id string, cfg Config) *ManagedAddons {
	if err := cfg.Validate(); err != nil {
		panic(err) // callers build the list from validated configuration
	}
	m := &ManagedAddons{scope: constructs.NewConstruct(scope, jsii.String(id)), cfg: cfg, ByName: map[string]eksaddon.EksAddon{}}
	m.createIn(m.scope, BeforeNodes, nil)
	return m
}

// BeforeNodes lists the add-ons node groups must wait for.
func (m *ManagedAddons) BeforeNodes() []cdktf.ITerraformDependable {
	return m.dependables(BeforeNodes)
}

// AfterNodes installs the AfterNodes add-ons in scope, each depending on
// dependsOn: every node group, or, when another CNI must run before any pod
// can, that CNI's release (then scope is in the addons stack).
func (m *ManagedAddons) AfterNodes(scope constructs.Construct, dependsOn []cdktf.ITerraformDependable) {
	m.createIn(scope, AfterNodes, dependsOn)
}

// Scope is the construct the add-ons are created under.
func (m *ManagedAddons) Scope() constructs.Construct { return m.scope }

// inOwnStack reports whether scope is in the stack the add-ons' roles are
// in. An add-on created in another stack (addons, after Cilium) cannot
// depend on the roles' policy attachments: depends_on would name
// attributes of infra's remote state, which Terraform refuses, and infra,
// attachments included, is applied before addons anyway.
func (m *ManagedAddons) inOwnStack(scope constructs.Construct) bool {
	return *cdktf.TerraformStack_Of(scope).Node().Path() == *cdktf.TerraformStack_Of(m.scope).Node().Path()
}

func (m *ManagedAddons) dependables(phase Phase) []cdktf.ITerraformDependable {
	var out []cdktf.ITerraformDependable
	for _, a := range m.cfg.Addons {
		if r, ok := m.ByName[a.Name]; ok && a.Phase == phase {
			out = append(out, r)
		}
	}
	return out
}

func (m *ManagedAddons) createIn(scope constructs.Construct, phase Phase, dependsOn []cdktf.ITerraformDependable) {
	for _, a := range m.cfg.Addons {
		if a.Phase != phase {
			continue
		}
		version := jsii.String(a.Version)
		if a.Version == "" {
			// most_recent = false: the version EKS marks default for this
			// Kubernetes version, never silently the newest build.
			v := dataawseksaddonversion.NewDataAwsEksAddonVersion(scope, jsii.String(a.Name+"-version"), &dataawseksaddonversion.DataAwsEksAddonVersionConfig{
				AddonName:         jsii.String(a.Name),
				KubernetesVersion: jsii.String(m.cfg.KubernetesVersion),
				MostRecent:        jsii.Bool(false),
			})
			version = v.Version()
		}
		deps := append([]cdktf.ITerraformDependable(nil), dependsOn...)
		addonCfg := &eksaddon.EksAddonConfig{
			ClusterName:  m.cfg.ClusterName,
			AddonName:    jsii.String(a.Name),
			AddonVersion: version,
			// eksready is the source of truth for add-on configuration:
			// OVERWRITE on create takes over anything EKS or a person put
			// there, and on update reverts hand edits instead of keeping
			// them invisibly (PRESERVE).
			ResolveConflictsOnCreate: jsii.String("OVERWRITE"),
			ResolveConflictsOnUpdate: jsii.String("OVERWRITE"),
		}
		if a.ConfigurationValues != nil {
			// jsonencode at plan time: values may hold expressions that are
			// not strings (the VPC CNI's per-zone eniConfig map is a zipmap()).
			addonCfg.ConfigurationValues = cdktf.Fn_Jsonencode(a.ConfigurationValues)
		}
		if m.inOwnStack(scope) {
			deps = append(deps, a.Prerequisites...)
		}
		if a.Role != nil {
			if m.inOwnStack(scope) {
				deps = append(deps, a.Role.Attachments...)
			}
			if m.cfg.IdentityMode == identity.PodIdentity {
				addonCfg.PodIdentityAssociation = []*eksaddon.EksAddonPodIdentityAssociation{{
					RoleArn:        a.Role.Arn(),
					ServiceAccount: jsii.String(a.Role.ServiceAccount),
				}}
			} else {
				addonCfg.ServiceAccountRoleArn = a.Role.Arn()
			}
		}
		if len(deps) > 0 {
			addonCfg.DependsOn = &deps
		}
		m.ByName[a.Name] = eksaddon.NewEksAddon(scope, jsii.String(a.Name), addonCfg)
	}
}
