package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/eksready/eksready/catalog"
)

// managedCloud is a cluster whose workspaces the bootstrap stack creates,
// with every required setting and nothing else.
const managedCloud = `
name: prod
backend:
  type: cloud
  cloud:
    organization: acme
    project: platform
    manageWorkspaces: true
    dynamicCredentials:
      accountId: "111122223333"
      policyArns: [arn:aws:iam::111122223333:policy/eksready-deployer]
`

func TestManagedWorkspacesDefaults(t *testing.T) {
	c, err := Load(strings.NewReader(managedCloud))
	if err != nil {
		t.Fatal(err)
	}
	cl := c.Backend.Cloud
	if cl.BootstrapWorkspace != "eksready-bootstrap" || cl.TerraformVersion != catalog.TerraformVersion || cl.AgentPool != "" {
		t.Errorf("defaults = %+v", *cl)
	}
	if d := cl.DynamicCredentials; d.RoleName != "prod-hcp-terraform" || d.OIDCProviderArn != "" {
		t.Errorf("dynamic credentials defaults = %+v", *d)
	}
	// The deployer is pinned in the loaded configuration itself, so every
	// reader of access.deployerRoleArn sees the run role.
	want := "arn:aws:iam::111122223333:role/prod-hcp-terraform"
	if c.Access.DeployerRoleArn != want || RunRoleArn(c) != want {
		t.Errorf("deployer = %q, run role = %q, want %q", c.Access.DeployerRoleArn, RunRoleArn(c), want)
	}
	if got := BootstrapClusters([]Cluster{Default(), c}); len(got) != 1 || got[0].Name != "prod" {
		t.Errorf("bootstrap clusters = %v", got)
	}
}

func TestRunRoleArnFollowsThePartition(t *testing.T) {
	c, err := Load(strings.NewReader(strings.Replace(managedCloud, "name: prod\n", "name: prod\nregion: cn-north-1\n", 1) + "      roleName: eks-deployer\n"))
	if err == nil {
		t.Fatal("a policy of partition aws was accepted for a cluster in aws-cn")
	}
	c, err = Load(strings.NewReader(strings.NewReplacer(
		"name: prod\n", "name: prod\nregion: cn-north-1\n",
		"arn:aws:iam", "arn:aws-cn:iam").Replace(managedCloud) + "      roleName: eks-deployer\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Access.DeployerRoleArn; got != "arn:aws-cn:iam::111122223333:role/eks-deployer" {
		t.Errorf("deployer = %q", got)
	}
}

// Without manageWorkspaces nothing changes: no derived settings, and the
// deployer still follows the caller.
func TestUnmanagedCloudBackendIsUnchanged(t *testing.T) {
	c, err := Load(strings.NewReader("name: prod\nbackend: {type: cloud, cloud: {organization: acme}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cl := c.Backend.Cloud; cl.BootstrapWorkspace != "" || cl.TerraformVersion != "" || cl.DynamicCredentials != nil || c.Access.DeployerRoleArn != "" || RunRoleArn(c) != "" {
		t.Errorf("an unmanaged cloud backend got workspace settings: %+v, deployer %q", *cl, c.Access.DeployerRoleArn)
	}
}

func TestWorkspaceManagementValidation(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		want []string
	}{
		{"another backend", `
backend:
  type: s3
  s3: {bucket: acme-state}
  cloud: {organization: acme, manageWorkspaces: true}
`, []string{
			`backend.cloud: is only used with backend.type cloud (backend.type is "s3"); remove it (in a fleet's cluster file, null drops one shared in _fleet.yaml)`,
		}},
		{"settings without manageWorkspaces", `
backend:
  type: cloud
  cloud:
    organization: acme
    bootstrapWorkspace: boot
    terraformVersion: 1.11.4
    agentPool: vpc-agents
    dynamicCredentials: {accountId: "111122223333"}
`, []string{
			`backend.cloud.bootstrapWorkspace: is only used with backend.cloud.manageWorkspaces: true (the bootstrap stack); set it, or remove this setting`,
			`backend.cloud.terraformVersion: is only used with backend.cloud.manageWorkspaces: true (the bootstrap stack); set it, or remove this setting`,
			`backend.cloud.agentPool: is only used with backend.cloud.manageWorkspaces: true (the bootstrap stack); set it, or remove this setting`,
			`backend.cloud.dynamicCredentials: is only used with backend.cloud.manageWorkspaces: true (the bootstrap stack); set it, or remove this setting`,
		}},
		{"required settings missing", `
controlPlane:
  endpoint: {publicAccess: false}
backend:
  type: cloud
  cloud: {organization: acme, manageWorkspaces: true}
`, []string{
			`backend.cloud.project: is required when backend.cloud.manageWorkspaces is true: the run role trusts each workspace by its project (organization:<org>:project:<project>:workspace:<name>), and the bootstrap creates the workspaces there`,
			`backend.cloud.agentPool: is required when backend.cloud.manageWorkspaces is true and controlPlane.endpoint.publicAccess is false: addons must reach the private API endpoint, which HCP Terraform's own runners cannot; name an agent pool whose agents run where the endpoint is reachable`,
			`backend.cloud.dynamicCredentials: is required when backend.cloud.manageWorkspaces is true: accountId and policyArns give the run role its account and permissions`,
		}},
		{"empty dynamic credentials", `
backend:
  type: cloud
  cloud: {organization: acme, project: platform, manageWorkspaces: true, dynamicCredentials: {}}
`, []string{
			`backend.cloud.dynamicCredentials.accountId: is required when backend.cloud.manageWorkspaces is true: the account of the run role, whose ARN becomes access.deployerRoleArn`,
			`backend.cloud.dynamicCredentials.policyArns: is required when backend.cloud.manageWorkspaces is true: without a permissions policy the run role can do nothing, and infra fails at its first resource`,
		}},
		{"bad values", `
name: prod
access:
  deployerRoleArn: arn:aws:iam::111122223333:role/someone-else
backend:
  type: cloud
  cloud:
    organization: acme
    project: platform
    hostname: tfe.example.com:8443
    manageWorkspaces: true
    bootstrapWorkspace: prod-addons
    terraformVersion: "~> 1.11"
    agentPool: " vpc-agents"
    dynamicCredentials:
      accountId: "11112222333"
      roleName: "prod/hcp"
      policyArns:
        - arn:aws:iam::aws:policy/AdministratorAccess
        - arn:aws:iam::aws:policy/AdministratorAccess
        - arn:aws:iam::444455556666:policy/theirs
        - arn:aws-cn:iam::aws:policy/ReadOnlyAccess
        - arn:aws:iam::aws:role/not-a-policy
      oidcProviderArn: arn:aws:iam::111122223333:oidc-provider/app.terraform.io
`, []string{
			`backend.cloud.hostname: "tfe.example.com:8443" has a port, which an IAM OIDC provider's URL cannot have: dynamic credentials need HCP Terraform or Terraform Enterprise on the standard HTTPS port`,
			`backend.cloud.bootstrapWorkspace: "prod-addons" is also one of the cluster's workspaces; the bootstrap stack needs a state of its own`,
			`backend.cloud.terraformVersion: "~> 1.11" is not an exact Terraform release (like ` + catalog.TerraformVersion + `): a workspace whose version floats runs an unchanged configuration with another Terraform`,
			`backend.cloud.agentPool: " vpc-agents" has leading or trailing spaces`,
			`backend.cloud.dynamicCredentials.accountId: "11112222333" is not an AWS account ID (12 digits)`,
			`backend.cloud.dynamicCredentials.roleName: "prod/hcp" is not an IAM role name (1-64 letters, digits and + = , . @ _ -)`,
			`backend.cloud.dynamicCredentials.policyArns[1]: "arn:aws:iam::aws:policy/AdministratorAccess" is listed twice`,
			`backend.cloud.dynamicCredentials.policyArns[3]: "arn:aws-cn:iam::aws:policy/ReadOnlyAccess" is in partition aws-cn but region eu-west-1 is in partition aws (ARNs never cross partitions)`,
			`backend.cloud.dynamicCredentials.policyArns[4]: "arn:aws:iam::aws:role/not-a-policy" is not an IAM managed policy ARN (arn:aws:iam::aws:policy/<name> or arn:aws:iam::<account>:policy/<name>)`,
			`backend.cloud.dynamicCredentials.oidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/app.terraform.io" is a provider for app.terraform.io, not for backend.cloud.hostname tfe.example.com:8443`,
		}},
		{"values against the account", `
name: prod
access:
  deployerRoleArn: arn:aws:iam::111122223333:role/someone-else
backend:
  type: cloud
  cloud:
    organization: acme
    project: platform
    manageWorkspaces: true
    dynamicCredentials:
      accountId: "111122223333"
      policyArns: [arn:aws:iam::444455556666:policy/theirs]
      oidcProviderArn: arn:aws:iam::444455556666:oidc-provider/app.terraform.io
`, []string{
			`backend.cloud.dynamicCredentials.policyArns[0]: "arn:aws:iam::444455556666:policy/theirs" is a policy of account 444455556666; a role can attach only AWS managed policies and those of its own account (111122223333)`,
			`backend.cloud.dynamicCredentials.oidcProviderArn: "arn:aws:iam::444455556666:oidc-provider/app.terraform.io" is in account 444455556666, not in dynamicCredentials.accountId 111122223333, where the run role trusts it`,
			`access.deployerRoleArn: "arn:aws:iam::111122223333:role/someone-else" is not the cluster's HCP Terraform run role (arn:aws:iam::111122223333:role/prod-hcp-terraform), which applies both stacks when backend.cloud.manageWorkspaces is true and must hold the cluster-admin entry; remove it (it defaults to the run role)`,
		}},
		{"too many policies", strings.Replace(managedCloud, "[arn:aws:iam::111122223333:policy/eksready-deployer]", "["+strings.Join(distinctPolicies(21), ", ")+"]", 1), []string{
			`backend.cloud.dynamicCredentials.policyArns: lists 21 policies; IAM attaches at most 20 managed policies to a role`,
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assertSameProblems(t, problemsOf(t, tc.yaml), tc.want)
		})
	}
}

func TestWorkspaceManagementAccepted(t *testing.T) {
	for _, y := range []string{
		managedCloud,
		// The deployer may be written, as long as it is the run role.
		managedCloud + "access: {deployerRoleArn: arn:aws:iam::111122223333:role/prod-hcp-terraform}\n",
		// A private endpoint with its agent pool, an existing OIDC provider.
		managedCloud + `    agentPool: vpc-agents
controlPlane:
  endpoint: {publicAccess: false}
`,
		strings.Replace(managedCloud, "      policyArns:", "      oidcProviderArn: arn:aws:iam::111122223333:oidc-provider/app.terraform.io\n      policyArns:", 1),
	} {
		if _, err := Load(strings.NewReader(y)); err != nil {
			t.Errorf("%s: %v", y, err)
		}
	}
}

func TestManyRunRolePoliciesWarn(t *testing.T) {
	c, err := Load(strings.NewReader(strings.Replace(managedCloud, "[arn:aws:iam::111122223333:policy/eksready-deployer]", "["+strings.Join(distinctPolicies(11), ", ")+"]", 1)))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range Warnings(c) {
		got = append(got, w.String())
	}
	want := "backend.cloud.dynamicCredentials.policyArns: lists 11 policies, above the 10 managed policies per role IAM allows by default: raise the account's quota before applying the bootstrap"
	if !slices.Contains(got, want) {
		t.Errorf("warnings %v lack %q", got, want)
	}
	c, _ = Load(strings.NewReader(managedCloud))
	for _, w := range Warnings(c) {
		if strings.HasPrefix(w.Path, "backend.") {
			t.Errorf("one policy warns: %v", w)
		}
	}
}

// distinctPolicies returns n different AWS managed policy ARNs.
func distinctPolicies(n int) []string {
	var arns []string
	for i := range n {
		arns = append(arns, "arn:aws:iam::aws:policy/p"+strings.Repeat("x", i+1))
	}
	return arns
}

// A fleet shares the bootstrap settings through _fleet.yaml; each cluster
// gets its own run role and workspaces.
const hcpFleet = `
defaults:
  backend:
    type: cloud
    cloud:
      organization: acme
      project: platform
      manageWorkspaces: true
      dynamicCredentials:
        accountId: "111122223333"
        policyArns: [arn:aws:iam::111122223333:policy/eksready-deployer]
`

func TestFleetSharesOneBootstrap(t *testing.T) {
	dir := writeFleet(t, map[string]string{
		FleetFile:   hcpFleet,
		"dev.yaml":  "region: eu-west-1\n",
		"prod.yaml": "region: eu-central-1\n",
	})
	repo, err := LoadFleet(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range repo.Clusters {
		if want := "arn:aws:iam::111122223333:role/" + c.Name + "-hcp-terraform"; c.Access.DeployerRoleArn != want {
			t.Errorf("%s deployer = %q, want %q", c.Name, c.Access.DeployerRoleArn, want)
		}
	}
	if repo.Clusters[0].Backend.Cloud.DynamicCredentials == repo.Clusters[1].Backend.Cloud.DynamicCredentials {
		t.Error("two clusters share one dynamicCredentials block")
	}
}

func TestFleetBootstrapConflicts(t *testing.T) {
	dir := writeFleet(t, map[string]string{
		FleetFile: hcpFleet,
		"dev.yaml": `
backend:
  cloud:
    project: sandbox
    dynamicCredentials: {accountId: "444455556666", policyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess], roleName: shared-role}
`,
		"prod.yaml": "backend: {cloud: {dynamicCredentials: {roleName: shared-role}}}\n",
		// A cluster whose infra workspace is the bootstrap's, and one that
		// takes another cluster's workspace: neither manages workspaces.
		"legacy.yaml":  "backend: {cloud: {manageWorkspaces: false, dynamicCredentials: null, workspaces: {infra: eksready-bootstrap}}}\n",
		"stealer.yaml": "backend: {cloud: {manageWorkspaces: false, dynamicCredentials: null, workspaces: {addons: prod-addons}}}\n",
	})
	got := fleetProblems(t, dir)
	want := []string{
		`dev.yaml: backend.cloud.bootstrapWorkspace: "eksready-bootstrap" is also the infra workspace of cluster legacy (` + dir + `/legacy.yaml); the bootstrap stack needs a state of its own`,
		`prod.yaml: backend.cloud.project: "platform" differs from cluster dev (` + dir + `/dev.yaml), which has "sandbox": one bootstrap stack serves one organization, project and AWS account; keep clusters that differ in a fleet of their own`,
		`prod.yaml: backend.cloud.dynamicCredentials.accountId: "111122223333" differs from cluster dev (` + dir + `/dev.yaml), which has "444455556666": one bootstrap stack serves one organization, project and AWS account; keep clusters that differ in a fleet of their own`,
		`prod.yaml: backend.cloud.dynamicCredentials.roleName: "shared-role" is also the run role of cluster dev (` + dir + `/dev.yaml); IAM role names are unique in an account`,
		`stealer.yaml: backend.cloud.workspaces.addons: "prod-addons" is also the state of the addons stack of cluster prod (` + dir + `/prod.yaml); every stack needs a state of its own`,
	}
	assertSameProblems(t, got, want)
}

// TestExampleWorkspaceManagementIsValid uncomments the cloud block of the
// example with its manageWorkspaces settings, turns them on, and loads
// it: the documented values must work, and those marked as defaults must
// be the defaults.
func TestExampleWorkspaceManagementIsValid(t *testing.T) {
	text, err := os.ReadFile(filepath.Join("..", "cluster.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	inBlock, inner := false, false
	for _, line := range strings.Split(string(text), "\n") {
		switch {
		case line == "  # cloud:":
			inBlock = true
		case inBlock && !strings.HasPrefix(line, "  #   "):
			inBlock, inner = false, false
		}
		if inBlock {
			line = "  " + strings.TrimPrefix(line, "  # ")
			// The settings only used with manageWorkspaces: true are
			// commented once more, under a line that says so.
			if inner {
				line = "    " + strings.TrimPrefix(line, "    # ")
			}
			inner = inner || strings.Contains(line, "# Only with manageWorkspaces: true")
		}
		switch strings.TrimSpace(line) {
		case "type: local":
			line = "  type: cloud"
		case "manageWorkspaces: false":
			line = "    manageWorkspaces: true"
		case `project: ""`:
			line = "    project: platform"
		}
		out = append(out, line)
	}
	c, err := Load(strings.NewReader(strings.Join(out, "\n")))
	if err != nil {
		t.Fatalf("the documented manageWorkspaces settings do not load:\n%v\n%s", err, strings.Join(out, "\n"))
	}
	cl := c.Backend.Cloud
	if !cl.ManageWorkspaces || cl.DynamicCredentials == nil || cl.DynamicCredentials.AccountID != "111122223333" {
		t.Fatalf("the settings were not read: %+v", *cl)
	}
	if cl.BootstrapWorkspace != DefaultBootstrapWorkspace || cl.TerraformVersion != catalog.TerraformVersion || cl.DynamicCredentials.RoleName != c.Name+RunRoleSuffix {
		t.Errorf("the example's documented defaults are not the defaults: %+v, %+v", *cl, *cl.DynamicCredentials)
	}
}
