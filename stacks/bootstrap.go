package stacks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/cdktf/cdktf-provider-tfe-go/tfe/v11/datatfeagentpool"
	"github.com/cdktf/cdktf-provider-tfe-go/tfe/v11/datatfeproject"
	tfeprovider "github.com/cdktf/cdktf-provider-tfe-go/tfe/v11/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/constructs/hcpterraform"
)

// BootstrapStackName names the stack that creates the HCP Terraform
// workspaces of every cluster with backend.cloud.manageWorkspaces. It
// cannot collide with a cluster's stacks, whose names end in their kind.
const BootstrapStackName = "bootstrap"

// Bootstrap is the `bootstrap` stack: applied once (and again whenever a
// cluster is added or its workspace settings change), before the clusters'
// stacks, it creates every managing cluster's workspaces in HCP Terraform
// and the AWS side of their dynamic credentials.
type Bootstrap struct {
	// Stack is the Terraform stack.
	Stack cdktf.TerraformStack
	// OIDCProviderArn is the IAM OIDC provider the run roles trust (a
	// token when the stack creates it).
	OIDCProviderArn *string
	// Clusters holds each cluster's run role and workspaces, by name.
	Clusters map[string]BootstrapCluster
}

// BootstrapCluster is what the bootstrap creates for one cluster.
type BootstrapCluster struct {
	// RunRole is the role both workspaces' runs assume.
	RunRole *hcpterraform.RunRole
	// Workspaces are the cluster's workspaces and their settings.
	Workspaces *hcpterraform.Workspaces
}

// bootstrapPlan is the bootstrap stack worked out from the configuration,
// before any construct exists.
type bootstrapPlan struct {
	// cloud is the backend every cluster shares (hostname, organization,
	// project, bootstrap workspace, account, OIDC provider).
	cloud config.CloudBackend
	// region is the AWS provider's: the first cluster's (IAM is global).
	region string
	// agentPools are the agent pool names the clusters use, sorted.
	agentPools []string
	clusters   []config.Cluster
}

// planBootstrap checks that the clusters can share one bootstrap stack: a
// validated fleet always can (config.LoadFleet refuses clusters that
// disagree), so an error here is a caller's defect, reported before any
// jsii call.
func planBootstrap(clusters []config.Cluster) (bootstrapPlan, error) {
	if len(clusters) == 0 {
		return bootstrapPlan{}, fmt.Errorf("bootstrap stack: no cluster manages its workspaces")
	}
	var p bootstrapPlan
	for i, c := range clusters {
		if !c.Backend.ManagesWorkspaces() || c.Backend.Cloud.DynamicCredentials == nil || config.RunRoleArn(c) == "" {
			return p, fmt.Errorf("bootstrap stack: cluster %s does not manage its workspaces with valid dynamic credentials", c.Name)
		}
		cl := *c.Backend.Cloud
		if i == 0 {
			p.cloud, p.region = cl, c.Region
		}
		d, first := cl.DynamicCredentials, p.cloud.DynamicCredentials
		if cl.Hostname != p.cloud.Hostname || cl.Organization != p.cloud.Organization || cl.Project != p.cloud.Project ||
			cl.BootstrapWorkspace != p.cloud.BootstrapWorkspace || d.AccountID != first.AccountID || d.OIDCProviderArn != first.OIDCProviderArn ||
			config.PartitionOf(c.Region) != config.PartitionOf(p.region) {
			return p, fmt.Errorf("bootstrap stack: cluster %s does not share %s's organization, project, bootstrap workspace, AWS account and partition", c.Name, clusters[0].Name)
		}
		if cl.AgentPool != "" && !slices.Contains(p.agentPools, cl.AgentPool) {
			p.agentPools = append(p.agentPools, cl.AgentPool)
		}
	}
	slices.Sort(p.agentPools)
	p.clusters = clusters
	return p, nil
}

// NewBootstrap builds the bootstrap stack for the clusters that manage
// their workspaces (config.BootstrapClusters).
//
// Its own state lives in backend.cloud.bootstrapWorkspace, which `terraform
// init` creates (with the project, if missing). It needs credentials no
// cluster's runs have, so it runs where an administrator's are: an HCP
// Terraform token allowed to manage workspaces in the project (`terraform
// login`, or TFE_TOKEN) and AWS credentials for the account that can
// create IAM roles and OIDC providers. The AWS provider only accepts that
// account (allowed_account_ids): the run role ARNs infra grants cluster
// access to are derived from it.
func NewBootstrap(scope constructs.Construct, clusters []config.Cluster) (*Bootstrap, error) {
	p, err := planBootstrap(clusters)
	if err != nil {
		return nil, err
	}
	cloud, creds := p.cloud, p.cloud.DynamicCredentials
	stack := cdktf.NewTerraformStack(scope, jsii.String(BootstrapStackName))
	cdktf.NewCloudBackend(stack, &cdktf.CloudBackendConfig{
		Organization: jsii.String(cloud.Organization),
		Hostname:     jsii.String(cloud.Hostname),
		Workspaces:   cdktf.NewNamedCloudWorkspace(jsii.String(cloud.BootstrapWorkspace), jsii.String(cloud.Project)),
	})
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{
		Region:            jsii.String(p.region),
		AllowedAccountIds: jsii.Strings(creds.AccountID),
		DefaultTags: &[]*provider.AwsProviderDefaultTags{{Tags: &map[string]*string{
			"managed-by": jsii.String("eksready"),
		}}},
	})
	tfeprovider.NewTfeProvider(stack, jsii.String("tfe"), &tfeprovider.TfeProviderConfig{
		Hostname:     jsii.String(cloud.Hostname),
		Organization: jsii.String(cloud.Organization),
	})
	requireProviders(stack, "aws", "tfe")

	b := &Bootstrap{Stack: stack, Clusters: map[string]BootstrapCluster{}}
	project := datatfeproject.NewDataTfeProject(stack, jsii.String("project"), &datatfeproject.DataTfeProjectConfig{
		Name:         jsii.String(cloud.Project),
		Organization: jsii.String(cloud.Organization),
	})
	pools := map[string]*string{}
	for _, name := range p.agentPools {
		pools[name] = datatfeagentpool.NewDataTfeAgentPool(stack, jsii.String("agent-pool-"+name), &datatfeagentpool.DataTfeAgentPoolConfig{
			Name:         jsii.String(name),
			Organization: jsii.String(cloud.Organization),
		}).Id()
	}
	b.OIDCProviderArn = jsii.String(creds.OIDCProviderArn)
	if creds.OIDCProviderArn == "" {
		b.OIDCProviderArn = hcpterraform.NewOIDCProvider(stack, "oidc-provider", cloud.Hostname).Arn()
	}
	for _, c := range p.clusters {
		cl := c.Backend.Cloud
		scope := constructs.NewConstruct(stack, jsii.String(c.Name))
		role := hcpterraform.NewRunRole(scope, "run-role", hcpterraform.RunRoleConfig{
			Name:            cl.DynamicCredentials.RoleName,
			Cluster:         c.Name,
			Hostname:        cl.Hostname,
			Organization:    cl.Organization,
			Project:         cl.Project,
			Workspaces:      []string{cl.Workspaces.Infra, cl.Workspaces.Addons},
			OIDCProviderArn: b.OIDCProviderArn,
			PolicyArns:      cl.DynamicCredentials.PolicyArns,
			Tags:            c.Tags,
		})
		var pool *string
		if cl.AgentPool != "" {
			pool = pools[cl.AgentPool]
		}
		b.Clusters[c.Name] = BootstrapCluster{
			RunRole: role,
			Workspaces: hcpterraform.NewWorkspaces(scope, "workspaces", hcpterraform.WorkspacesConfig{
				Cluster:          c.Name,
				Organization:     cl.Organization,
				ProjectID:        project.Id(),
				Infra:            cl.Workspaces.Infra,
				Addons:           cl.Workspaces.Addons,
				TerraformVersion: cl.TerraformVersion,
				AgentPoolID:      pool,
				RunRoleArn:       role.Role.Arn(),
				Protected:        c.Protected(),
			}),
		}
	}
	return b, nil
}

// BootstrapSummary describes the bootstrap stack for the synth summary:
// the apply order, where its state and credentials come from, and per
// cluster the workspaces, sharing, trigger and run role it creates. Empty
// when no cluster manages its workspaces.
func BootstrapSummary(repo config.Repository) []string {
	managers := config.BootstrapClusters(repo.Clusters)
	p, err := planBootstrap(managers)
	if err != nil {
		return nil
	}
	infra, addons := "infra", "addons"
	if repo.Fleet {
		infra, addons = "<cluster>-infra", "<cluster>-addons"
	}
	cloud, creds := p.cloud, p.cloud.DynamicCredentials
	oidc := "created for https://" + cloud.Hostname
	if creds.OIDCProviderArn != "" {
		oidc = "existing " + creds.OIDCProviderArn
	}
	lines := []string{
		fmt.Sprintf("apply order: %s first (again after adding a cluster), then %s, then %s (a run trigger queues %s after every %s apply)", BootstrapStackName, infra, addons, addons, infra),
		fmt.Sprintf("%s state: workspace %s in %s/%s on %s; apply it with an HCP Terraform token that can manage the project's workspaces and AWS credentials of account %s that can create IAM roles", BootstrapStackName, cloud.BootstrapWorkspace, cloud.Organization, cloud.Project, cloud.Hostname, creds.AccountID),
		fmt.Sprintf("OIDC provider: %s, audience %s", oidc, hcpterraform.Audience),
	}
	for _, c := range p.clusters {
		cl := c.Backend.Cloud
		mode := hcpterraform.ExecutionRemote
		if cl.AgentPool != "" {
			mode = hcpterraform.ExecutionAgent + " on pool " + cl.AgentPool
		}
		lines = append(lines, fmt.Sprintf("%s: workspaces %s (remote) and %s (%s), Terraform %s; %s shares its state with %s only; run trigger %s -> %s; run role %s (the deployer), policies %s",
			c.Name, cl.Workspaces.Infra, cl.Workspaces.Addons, mode, cl.TerraformVersion,
			cl.Workspaces.Infra, cl.Workspaces.Addons, cl.Workspaces.Infra, cl.Workspaces.Addons,
			config.RunRoleArn(c), strings.Join(cl.DynamicCredentials.PolicyArns, ", ")))
	}
	return lines
}
