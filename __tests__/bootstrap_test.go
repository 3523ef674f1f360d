package apptest

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/constructs/hcpterraform"
	"github.com/eksready/eksready/report"
	"github.com/eksready/eksready/stacks"
)

// bootstrapFleets are the synthesized fleets with a bootstrap stack.
func bootstrapFleets(t *testing.T) []fixture {
	t.Helper()
	var out []fixture
	for _, f := range synthFleets(t) {
		if slices.Contains(f.Stacks, stacks.BootstrapStackName) {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		t.Fatal("no fleet fixture has a bootstrap stack")
	}
	return out
}

// checkBootstrapStack runs `terraform init`, `validate` and a `terraform
// test` plan and apply on a synthesized bootstrap stack, with the AWS
// provider mocked and the schema provider standing in for hashicorp/tfe
// (terraform/bootstrap.tftest.hcl). The cloud block holding the
// bootstrap's own state is left alone (`init -backend=false`).
func checkBootstrapStack(t *testing.T, env []string, stackPath string) {
	t.Helper()
	mocks, err := os.ReadFile(filepath.Join("terraform", "bootstrap.tftest.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	checkStack(t, env, stackPath, map[string][]byte{"bootstrap.tftest.hcl": mocks}, false, 2)
}

// TestTerraformValidatesAndPlansBootstrap: every bootstrap stack validates
// and plans against the real AWS provider's schema and tfe 0.65.2's
// recorded one.
func TestTerraformValidatesAndPlansBootstrap(t *testing.T) {
	env := terraformEnv(t)
	for _, f := range bootstrapFleets(t) {
		t.Run(f.Name, func(t *testing.T) {
			checkBootstrapStack(t, env, f.StackPath(stacks.BootstrapStackName))
		})
	}
}

// TestTerraformRefusesBrokenBootstrapStacks shows the check above reads the
// tfe schema: broken copies of the bootstrap stack fail with Terraform's
// own diagnostics. The copies leave out the AWS side (whose 600 MB
// provider would make each command seconds slower): what is broken is tfe.
func TestTerraformRefusesBrokenBootstrapStacks(t *testing.T) {
	env := terraformEnv(t)
	f := fleetNamed(t, "fleet-hcp")
	original := withoutAws(t, f.StackPath(stacks.BootstrapStackName))
	dir := stackCopy(t, f.StackPath(stacks.BootstrapStackName), nil)
	if err := os.WriteFile(filepath.Join(dir, "cdk.tf.json"), original, 0o644); err != nil {
		t.Fatal(err)
	}
	terraform(t, dir, env, "init", "-backend=false")
	terraform(t, dir, env, "validate")
	first := func(st map[string]any, typ string) (string, map[string]any) {
		byName := dig(st, "resource", typ)
		name := slices.Sorted(maps.Keys(byName))[0]
		return name, byName[name].(map[string]any)
	}
	cases := []struct {
		name   string
		break_ func(st map[string]any) string
		want   []string
	}{
		{
			name: "unknown argument",
			break_: func(st map[string]any) string {
				name, s := first(st, "tfe_workspace_settings")
				s["remote_state_consumers"] = s["remote_state_consumer_ids"]
				delete(s, "remote_state_consumer_ids")
				return "tfe_workspace_settings." + name
			},
			want: []string{"Extraneous JSON object property", `No argument or block type is named "remote_state_consumers"`},
		},
		{
			name: "wrong type",
			break_: func(st map[string]any) string {
				name, s := first(st, "tfe_workspace_settings")
				s["remote_state_consumer_ids"] = "ws-123"
				return "tfe_workspace_settings." + name
			},
			want: []string{"Incorrect attribute value type", `Inappropriate value for attribute "remote_state_consumer_ids": set of string`},
		},
		{
			name: "missing required argument",
			break_: func(st map[string]any) string {
				name, trigger := first(st, "tfe_run_trigger")
				delete(trigger, "sourceable_id")
				return "tfe_run_trigger." + name
			},
			want: []string{"Missing required argument", `The argument "sourceable_id" is required, but no definition was found.`},
		},
		{
			name: "provider block argument that does not exist",
			break_: func(st map[string]any) string {
				p := st["provider"].(map[string]any)["tfe"].([]any)[0].(map[string]any)
				p["project"] = "platform"
				return "provider.tfe"
			},
			want: []string{"Extraneous JSON object property", `No argument or block type is named "project"`},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var st map[string]any
			if err := json.Unmarshal(original, &st); err != nil {
				t.Fatal(err)
			}
			where := c.break_(st)
			broken, err := json.MarshalIndent(st, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "cdk.tf.json"), broken, 0o644); err != nil {
				t.Fatal(err)
			}
			out := terraformFails(t, dir, env, "validate")
			for _, w := range append(c.want, where) {
				if !strings.Contains(out, w) {
					t.Errorf("terraform validate output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// withoutAws is a synthesized stack without its AWS provider and
// resources; references to them become a literal ARN.
func withoutAws(t *testing.T, stackPath string) []byte {
	t.Helper()
	raw, err := os.ReadFile(stackPath)
	if err != nil {
		t.Fatal(err)
	}
	raw = regexp.MustCompile(`\$\{aws_[^}]*\}`).ReplaceAll(raw, []byte("arn:aws:iam::111122223333:role/stand-in"))
	var st map[string]any
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	delete(st["provider"].(map[string]any), "aws")
	delete(dig(st, "terraform", "required_providers"), "aws")
	for typ := range dig(st, "resource") {
		if strings.HasPrefix(typ, "aws_") {
			delete(dig(st, "resource"), typ)
		}
	}
	out, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestWorkspacesRunTheTestedTerraform: the workspaces are pinned to the
// catalog's Terraform release, which must be the one these tests run.
func TestWorkspacesRunTheTestedTerraform(t *testing.T) {
	env := terraformEnv(t)
	out, err := runTerraform(t.TempDir(), env, "version", "-json")
	if err != nil {
		t.Fatalf("terraform version: %v\n%s", err, out)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &v); err != nil {
		t.Fatalf("terraform version -json: %v\n%s", err, out)
	}
	if v.Version != catalog.TerraformVersion {
		t.Errorf("the tests run Terraform %s; catalog.TerraformVersion, which the workspaces are pinned to, is %s", v.Version, catalog.TerraformVersion)
	}
	for _, f := range bootstrapFleets(t) {
		for typ, ws := range f.Stack(t, stacks.BootstrapStackName).Resource["tfe_workspace"] {
			if ws["terraform_version"] != catalog.TerraformVersion {
				t.Errorf("%s: tfe_workspace.%s runs Terraform %v", f.Name, typ, ws["terraform_version"])
			}
		}
	}
}

// TestBootstrapWiresEachClusterToItselfOnly checks the bootstrap stack of
// every fleet against its clusters' configuration (bootstrapProblems), and
// shows on weakened copies that the check catches what it exists for.
func TestBootstrapWiresEachClusterToItselfOnly(t *testing.T) {
	for _, f := range bootstrapFleets(t) {
		st := f.Stack(t, stacks.BootstrapStackName)
		if ps := bootstrapProblems(st, config.BootstrapClusters(f.Fleet.Clusters)); len(ps) > 0 {
			t.Errorf("%s:\n  %s", f.Name, strings.Join(ps, "\n  "))
		}
	}
	f := fleetNamed(t, "fleet-hcp")
	raw, err := os.ReadFile(f.StackPath(stacks.BootstrapStackName))
	if err != nil {
		t.Fatal(err)
	}
	settingsOf := func(st *report.Stack, cluster, kind string) map[string]any {
		for name, s := range st.Resource["tfe_workspace_settings"] {
			if strings.HasPrefix(name, cluster+"_workspaces_"+kind+"-settings_") {
				return s
			}
		}
		t.Fatalf("no %s settings for %s", kind, cluster)
		return nil
	}
	roleOf := func(st *report.Stack, cluster string) map[string]any {
		for name, r := range st.Resource["aws_iam_role"] {
			if strings.HasPrefix(name, cluster+"_run-role_") {
				return r
			}
		}
		t.Fatalf("no run role for %s", cluster)
		return nil
	}
	weakened := []struct {
		name   string
		weaken func(st *report.Stack)
		want   string
	}{
		{"state shared with the organization", func(st *report.Stack) {
			settingsOf(st, "dev", "infra")["global_remote_state"] = true
		}, "dev: workspace sandbox-infra's settings: global_remote_state is true, want false"},
		{"another cluster's addons reads infra", func(st *report.Stack) {
			s := settingsOf(st, "prod", "infra")
			s["remote_state_consumer_ids"] = append(s["remote_state_consumer_ids"].([]any), settingsOf(st, "dev", "addons")["workspace_id"])
		}, "prod: workspace prod-infra shares its state with [prod-addons sandbox-addons], want [prod-addons]"},
		{"sharing also set on the workspace", func(st *report.Stack) {
			for name, ws := range st.Resource["tfe_workspace"] {
				if strings.HasPrefix(name, "dev_") {
					ws["remote_state_consumer_ids"] = []any{}
				}
			}
		}, "sets remote_state_consumer_ids; execution mode and sharing belong to tfe_workspace_settings alone"},
		{"a private cluster's addons on remote runners", func(st *report.Stack) {
			s := settingsOf(st, "prod", "addons")
			s["execution_mode"] = "remote"
			delete(s, "agent_pool_id")
		}, "prod: workspace prod-addons runs remote, want agent on pool prod-vpc-agents"},
		{"a trust pattern matching another cluster", func(st *report.Stack) {
			r := roleOf(st, "prod")
			r["assume_role_policy"] = strings.ReplaceAll(r["assume_role_policy"].(string), "workspace:prod-infra:", "workspace:prod-*:")
		}, "prod: run role eks-prod-deployer trusts organization:acme:project:Platform Team:workspace:prod-eu-infra:run_phase:plan (not one of its own workspaces)"},
		{"a pattern after a workspace name override", func(st *report.Stack) {
			r := roleOf(st, "dev")
			r["assume_role_policy"] = strings.ReplaceAll(r["assume_role_policy"].(string), "workspace:sandbox-infra:", "workspace:dev-*:")
		}, "dev: run role dev-hcp-terraform refuses organization:acme:project:Platform Team:workspace:sandbox-infra:run_phase:apply (one of its own workspaces)"},
		{"a missing run trigger", func(st *report.Stack) {
			for name := range st.Resource["tfe_run_trigger"] {
				if strings.HasPrefix(name, "prod-eu_") {
					delete(st.Resource["tfe_run_trigger"], name)
				}
			}
		}, "prod-eu: 0 run triggers from prod-eu-infra to prod-eu-addons, want 1"},
	}
	for _, w := range weakened {
		t.Run(w.name, func(t *testing.T) {
			var st report.Stack
			if err := json.Unmarshal(raw, &st); err != nil {
				t.Fatal(err)
			}
			w.weaken(&st)
			ps := bootstrapProblems(st, config.BootstrapClusters(f.Fleet.Clusters))
			if !slices.ContainsFunc(ps, func(p string) bool { return strings.Contains(p, w.want) }) {
				t.Errorf("the weakened copy was not caught: want %q among\n  %s", w.want, strings.Join(ps, "\n  "))
			}
		})
	}
}

// refRe reads a whole-attribute reference: ${<address>.<attribute>}.
var refRe = regexp.MustCompile(`^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.([a-z_]+)\}$`)

// refersTo returns the address an attribute value refers to
// ("tfe_workspace.x") when it is a reference to that address's attribute
// attr, and "" otherwise.
func refersTo(v any, attr string) string {
	s, _ := v.(string)
	m := refRe.FindStringSubmatch(s)
	if m == nil || m[2] != attr {
		return ""
	}
	return m[1]
}

// bootstrapProblems checks a bootstrap stack against the clusters it was
// synthesized for: per cluster, its two workspaces (Terraform version,
// project), execution mode and state sharing set in tfe_workspace_settings
// only (no global sharing; infra shared with its own addons alone, addons
// with nobody; agent execution on the configured pool where the endpoint
// is private), one run trigger from infra to addons, both dynamic
// credentials variables on each workspace naming the cluster's run role,
// and a run role whose trust admits exactly the cluster's two workspaces.
func bootstrapProblems(st report.Stack, clusters []config.Cluster) []string {
	var ps []string
	fail := func(format string, args ...any) { ps = append(ps, fmt.Sprintf(format, args...)) }

	// Workspaces by address, and their names.
	wsName := map[string]string{}
	for id, ws := range st.Resource["tfe_workspace"] {
		wsName["tfe_workspace."+id] = fmt.Sprint(ws["name"])
		for _, arg := range []string{"execution_mode", "agent_pool_id", "global_remote_state", "remote_state_consumer_ids", "operations"} {
			if _, set := ws[arg]; set {
				fail("tfe_workspace.%s sets %s; execution mode and sharing belong to tfe_workspace_settings alone", id, arg)
			}
		}
	}
	wsAddr := map[string]string{}
	for addr, name := range wsName {
		wsAddr[name] = addr
	}
	settings := map[string][]map[string]any{}
	for _, s := range st.Resource["tfe_workspace_settings"] {
		w := wsName[refersTo(s["workspace_id"], "id")]
		settings[w] = append(settings[w], s)
	}
	var projectAddr string
	for id, p := range st.Data["tfe_project"] {
		projectAddr = "data.tfe_project." + id
		if len(clusters) > 0 && p["name"] != clusters[0].Backend.Cloud.Project {
			fail("data.tfe_project.%s looks up %v, want %s", id, p["name"], clusters[0].Backend.Cloud.Project)
		}
	}
	roles := map[string]map[string]any{}
	for id, r := range st.Resource["aws_iam_role"] {
		roles[fmt.Sprint(r["name"])] = r
		roles["aws_iam_role."+id] = r
	}

	var all []string // every cluster's workspaces
	for _, c := range clusters {
		all = append(all, c.Backend.Cloud.Workspaces.Infra, c.Backend.Cloud.Workspaces.Addons)
	}
	for _, c := range clusters {
		cl := c.Backend.Cloud
		infra, addons := cl.Workspaces.Infra, cl.Workspaces.Addons
		for _, w := range []string{infra, addons} {
			addr := wsAddr[w]
			ws := st.Resource["tfe_workspace"][strings.TrimPrefix(addr, "tfe_workspace.")]
			switch {
			case ws == nil:
				fail("%s: no workspace %s", c.Name, w)
				continue
			case ws["terraform_version"] != cl.TerraformVersion || ws["organization"] != cl.Organization || refersTo(ws["project_id"], "id") != projectAddr:
				fail("%s: workspace %s has Terraform %v in %v/%v, want %s in %s/%s", c.Name, w, ws["terraform_version"], ws["organization"], ws["project_id"], cl.TerraformVersion, cl.Organization, projectAddr)
			}
			if n := len(settings[w]); n != 1 {
				fail("%s: workspace %s has %d tfe_workspace_settings, want 1", c.Name, w, n)
				continue
			}
			s := settings[w][0]
			if s["global_remote_state"] != false {
				fail("%s: workspace %s's settings: global_remote_state is %v, want false", c.Name, w, s["global_remote_state"])
			}
			var consumers []string
			for _, id := range toStrings(s["remote_state_consumer_ids"]) {
				consumers = append(consumers, wsName[refersTo(id, "id")])
			}
			slices.Sort(consumers)
			wantConsumers := []string{}
			if w == infra {
				wantConsumers = []string{addons}
			}
			if consumers == nil {
				consumers = []string{}
			}
			// Stated even when empty: left out, the provider keeps whatever
			// consumers the workspace has.
			if _, stated := s["remote_state_consumer_ids"]; !stated || !slices.Equal(consumers, wantConsumers) {
				fail("%s: workspace %s shares its state with %v, want %v", c.Name, w, consumers, wantConsumers)
			}
			got := fmt.Sprint(s["execution_mode"])
			if p := refersTo(s["agent_pool_id"], "id"); p != "" {
				got += " on pool " + fmt.Sprint(st.Data["tfe_agent_pool"][strings.TrimPrefix(p, "data.tfe_agent_pool.")]["name"])
			}
			want := hcpterraform.ExecutionRemote
			if w == addons && cl.AgentPool != "" {
				want = hcpterraform.ExecutionAgent + " on pool " + cl.AgentPool
			}
			if got != want {
				fail("%s: workspace %s runs %s, want %s", c.Name, w, got, want)
			}
			if ep := c.ControlPlane.Endpoint; w == addons && ep.PublicAccess != nil && !*ep.PublicAccess && !strings.HasPrefix(got, hcpterraform.ExecutionAgent) {
				fail("%s: the endpoint is private but %s does not run on an agent", c.Name, w)
			}
		}
		triggers := 0
		for _, tr := range st.Resource["tfe_run_trigger"] {
			from, to := wsName[refersTo(tr["sourceable_id"], "id")], wsName[refersTo(tr["workspace_id"], "id")]
			if to == addons || from == infra {
				if from == infra && to == addons {
					triggers++
				} else {
					fail("%s: run trigger from %s to %s", c.Name, from, to)
				}
			}
		}
		if triggers != 1 {
			fail("%s: %d run triggers from %s to %s, want 1", c.Name, triggers, infra, addons)
		}
		role := roles[cl.DynamicCredentials.RoleName]
		if role == nil {
			fail("%s: no run role %s", c.Name, cl.DynamicCredentials.RoleName)
			continue
		}
		if arn := config.RunRoleArn(c); arn != c.Access.DeployerRoleArn || !strings.HasSuffix(arn, ":role/"+fmt.Sprint(role["name"])) {
			fail("%s: run role %v, deployer %s, derived ARN %s", c.Name, role["name"], c.Access.DeployerRoleArn, arn)
		}
		for _, w := range []string{infra, addons} {
			vars := map[string]string{}
			for _, v := range st.Resource["tfe_variable"] {
				if wsName[refersTo(v["workspace_id"], "id")] == w && v["category"] == "env" {
					vars[fmt.Sprint(v["key"])] = fmt.Sprint(v["value"])
				}
			}
			if vars[hcpterraform.ProviderAuthVariable] != "true" {
				fail("%s: workspace %s has %s=%q, want true", c.Name, w, hcpterraform.ProviderAuthVariable, vars[hcpterraform.ProviderAuthVariable])
			}
			if r := roles[refersTo(vars[hcpterraform.RunRoleArnVariable], "arn")]; r == nil || r["name"] != cl.DynamicCredentials.RoleName {
				fail("%s: workspace %s's %s is %q, not the ARN of run role %s", c.Name, w, hcpterraform.RunRoleArnVariable, vars[hcpterraform.RunRoleArnVariable], cl.DynamicCredentials.RoleName)
			}
		}
		ps = append(ps, trustProblems(c, role, all)...)
	}
	return ps
}

// trustProblems evaluates a run role's trust policy the way IAM would for
// a token of every workspace of the fleet, in both run phases: exactly the
// cluster's own two workspaces may assume it, with HCP Terraform's AWS
// audience, through the OIDC provider of the backend's host.
func trustProblems(c config.Cluster, role map[string]any, workspaces []string) []string {
	var ps []string
	cl := c.Backend.Cloud
	var doc struct {
		Statement []struct {
			Effect    string
			Action    string
			Principal map[string]string
			Condition map[string]map[string]any
		}
	}
	if err := json.Unmarshal([]byte(fmt.Sprint(role["assume_role_policy"])), &doc); err != nil || len(doc.Statement) != 1 {
		return []string{fmt.Sprintf("%s: run role %v's trust policy is not one statement: %v", c.Name, role["name"], err)}
	}
	s := doc.Statement[0]
	host := cl.Hostname
	if s.Effect != "Allow" || s.Action != "sts:AssumeRoleWithWebIdentity" || len(s.Condition) != 2 || len(s.Condition["StringEquals"]) != 1 || len(s.Condition["StringLike"]) != 1 ||
		s.Condition["StringEquals"][host+":aud"] != hcpterraform.Audience {
		ps = append(ps, fmt.Sprintf("%s: run role %v's trust is not web identity for audience %s on %s alone: %+v", c.Name, role["name"], hcpterraform.Audience, host, s))
	}
	provider := s.Principal["Federated"]
	if want := cl.DynamicCredentials.OIDCProviderArn; want != "" && provider != want || want == "" && refersTo(provider, "arn") == "" {
		ps = append(ps, fmt.Sprintf("%s: run role %v trusts principal %q", c.Name, role["name"], provider))
	}
	patterns := toStrings(s.Condition["StringLike"][host+":sub"])
	own := []string{cl.Workspaces.Infra, cl.Workspaces.Addons}
	for _, w := range workspaces {
		for _, phase := range []string{"plan", "apply"} {
			sub := "organization:" + cl.Organization + ":project:" + cl.Project + ":workspace:" + w + ":run_phase:" + phase
			admitted := slices.ContainsFunc(patterns, func(p string) bool { return stringLike(p, sub) })
			switch isOwn := slices.Contains(own, w); {
			case admitted && !isOwn:
				ps = append(ps, fmt.Sprintf("%s: run role %v trusts %s (not one of its own workspaces)", c.Name, role["name"], sub))
			case !admitted && isOwn:
				ps = append(ps, fmt.Sprintf("%s: run role %v refuses %s (one of its own workspaces)", c.Name, role["name"], sub))
			}
		}
	}
	return ps
}

// stringLike is IAM's StringLike: `*` matches any run of characters, `?`
// any one, case-sensitively.
func stringLike(pattern, s string) bool {
	re := "^" + strings.NewReplacer(`\*`, ".*", `\?`, ".").Replace(regexp.QuoteMeta(pattern)) + "$"
	return regexp.MustCompile(re).MatchString(s)
}
