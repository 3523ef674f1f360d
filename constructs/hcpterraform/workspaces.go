package hcpterraform

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-tfe-go/tfe/v11/runtrigger"
	"github.com/cdktf/cdktf-provider-tfe-go/tfe/v11/variable"
	"github.com/cdktf/cdktf-provider-tfe-go/tfe/v11/workspace"
	"github.com/cdktf/cdktf-provider-tfe-go/tfe/v11/workspacesettings"
)

// Execution modes of an HCP Terraform workspace (tfe_workspace_settings).
const (
	// ExecutionRemote runs plans and applies on HCP Terraform's runners.
	ExecutionRemote = "remote"
	// ExecutionAgent runs them on a self-hosted agent pool.
	ExecutionAgent = "agent"
)

// Dynamic credentials variables: with TFC_AWS_PROVIDER_AUTH=true, HCP
// Terraform exchanges each run's workload identity token for credentials
// of the role TFC_AWS_RUN_ROLE_ARN names and hands them to the AWS
// provider.
const (
	ProviderAuthVariable = "TFC_AWS_PROVIDER_AUTH"
	RunRoleArnVariable   = "TFC_AWS_RUN_ROLE_ARN"
)

// WorkspacesConfig describes a cluster's two workspaces.
type WorkspacesConfig struct {
	// Cluster names the cluster, for descriptions.
	Cluster string
	// Organization owns the workspaces.
	Organization string
	// ProjectID is the project they are created in (a token).
	ProjectID *string
	// Infra and Addons are the workspace names.
	Infra, Addons string
	// TerraformVersion pins both workspaces' Terraform, an exact release.
	TerraformVersion string
	// AgentPoolID, when set, runs addons on that agent pool (execution
	// mode agent): the cluster's endpoint is private. nil: remote. infra
	// only calls AWS APIs and always runs remotely.
	AgentPoolID *string
	// RunRoleArn is the role both workspaces' runs assume (a token, so the
	// variables wait for the role).
	RunRoleArn *string
	// Protected puts lifecycle.prevent_destroy on both workspaces: a
	// workspace's deletion takes its state, the record of the cluster,
	// with it.
	Protected bool
}

// Workspaces are one cluster's workspaces and what connects them.
type Workspaces struct {
	// Infra and Addons are the workspaces.
	Infra, Addons workspace.Workspace
	// InfraSettings and AddonsSettings hold each workspace's execution
	// mode and state sharing: the one place either is set.
	InfraSettings, AddonsSettings workspacesettings.WorkspaceSettings
	// Trigger queues an addons run after every infra apply.
	Trigger runtrigger.RunTrigger
	// Variables are the dynamic credentials variables, two per workspace.
	Variables []variable.Variable
}

// Validate reports a configuration that cannot work, before any resource
// is declared.
func (c WorkspacesConfig) Validate() error {
	switch {
	case !workspaceNameRe.MatchString(c.Infra) || !workspaceNameRe.MatchString(c.Addons) || c.Infra == c.Addons:
		return fmt.Errorf("workspaces of %s: %q and %q must be two distinct workspace names", c.Cluster, c.Infra, c.Addons)
	case c.Organization == "" || c.ProjectID == nil || c.RunRoleArn == nil || c.TerraformVersion == "":
		return fmt.Errorf("workspaces of %s: organization, project, run role and Terraform version are required", c.Cluster)
	}
	return nil
}

// AddonsExecutionMode is the addons workspace's execution mode: agent on
// a pool when one is given (the endpoint is private), remote otherwise.
func (c WorkspacesConfig) AddonsExecutionMode() string {
	if c.AgentPoolID != nil {
		return ExecutionAgent
	}
	return ExecutionRemote
}

// NewWorkspaces creates a cluster's infra and addons workspaces. Execution
// mode and state sharing are set on tfe_workspace_settings only (the
// tfe_workspace arguments for them are deprecated in tfe 0.65 and would
// fight over the same settings): neither workspace shares its state with
// the organization, infra shares it with its own addons alone (addons
// reads infra's outputs through terraform_remote_state, and a workspace's
// state is all of its secrets), addons with nobody. A run trigger plans
// addons after each infra apply; both workspaces get the dynamic
// credentials variables.
func NewWorkspaces(scope constructs.Construct, id string, cfg WorkspacesConfig) *Workspaces {
	if err := cfg.Validate(); err != nil {
		// Reached only through a defect in eksready: the bootstrap stack
		// builds this from a validated configuration.
		panic(err)
	}
	scope = constructs.NewConstruct(scope, jsii.String(id))
	newWorkspace := func(id, name, stack string) workspace.Workspace {
		ws := workspace.NewWorkspace(scope, jsii.String(id), &workspace.WorkspaceConfig{
			Name:             jsii.String(name),
			Organization:     jsii.String(cfg.Organization),
			ProjectId:        cfg.ProjectID,
			TerraformVersion: jsii.String(cfg.TerraformVersion),
			Description:      jsii.String(fmt.Sprintf("eksready cluster %s: the %s stack. Created by eksready's bootstrap stack.", cfg.Cluster, stack)),
		})
		if cfg.Protected {
			ws.AddOverride(jsii.String("lifecycle.prevent_destroy"), true)
		}
		return ws
	}
	w := &Workspaces{
		Infra:  newWorkspace("infra", cfg.Infra, "infra"),
		Addons: newWorkspace("addons", cfg.Addons, "addons"),
	}
	w.InfraSettings = workspacesettings.NewWorkspaceSettings(scope, jsii.String("infra-settings"), &workspacesettings.WorkspaceSettingsConfig{
		WorkspaceId:            w.Infra.Id(),
		ExecutionMode:          jsii.String(ExecutionRemote),
		GlobalRemoteState:      jsii.Bool(false),
		RemoteStateConsumerIds: &[]*string{w.Addons.Id()},
	})
	addons := &workspacesettings.WorkspaceSettingsConfig{
		WorkspaceId:       w.Addons.Id(),
		ExecutionMode:     jsii.String(cfg.AddonsExecutionMode()),
		AgentPoolId:       cfg.AgentPoolID,
		GlobalRemoteState: jsii.Bool(false),
		// Stated empty rather than left out, so a consumer added by hand
		// shows up as drift and is removed.
		RemoteStateConsumerIds: &[]*string{},
	}
	w.AddonsSettings = workspacesettings.NewWorkspaceSettings(scope, jsii.String("addons-settings"), addons)
	w.Trigger = runtrigger.NewRunTrigger(scope, jsii.String("trigger"), &runtrigger.RunTriggerConfig{
		WorkspaceId:  w.Addons.Id(),
		SourceableId: w.Infra.Id(),
	})
	for _, ws := range []struct {
		id string
		w  workspace.Workspace
	}{{"infra", w.Infra}, {"addons", w.Addons}} {
		w.Variables = append(w.Variables,
			variable.NewVariable(scope, jsii.String(ws.id+"-provider-auth"), &variable.VariableConfig{
				WorkspaceId: ws.w.Id(),
				Category:    jsii.String("env"),
				Key:         jsii.String(ProviderAuthVariable),
				Value:       jsii.String("true"),
				Description: jsii.String("Dynamic AWS credentials for every run (eksready bootstrap)"),
			}),
			variable.NewVariable(scope, jsii.String(ws.id+"-run-role"), &variable.VariableConfig{
				WorkspaceId: ws.w.Id(),
				Category:    jsii.String("env"),
				Key:         jsii.String(RunRoleArnVariable),
				Value:       cfg.RunRoleArn,
				Description: jsii.String("The role every run assumes: the cluster's deployer (eksready bootstrap)"),
			}))
	}
	return w
}
