package apptest

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/eksready/eksready/report"
)

// backendOf returns a stack's backend type and settings; the cloud block
// counts as backend "cloud".
func backendOf(t *testing.T, st report.Stack) (string, map[string]any) {
	t.Helper()
	if cloud, ok := st.Terraform["cloud"].(map[string]any); ok {
		return "cloud", cloud
	}
	backends, _ := st.Terraform["backend"].(map[string]any)
	if len(backends) != 1 {
		t.Fatalf("want exactly one backend, got %v", st.Terraform["backend"])
	}
	for typ, cfg := range backends {
		return typ, cfg.(map[string]any)
	}
	return "", nil
}

// remoteStateOf returns the one terraform_remote_state data source of an
// addons stack.
func remoteStateOf(t *testing.T, addons report.Stack) map[string]any {
	t.Helper()
	rs := addons.Data["terraform_remote_state"]
	if len(rs) != 1 {
		t.Fatalf("addons has %d remote state sources, want 1", len(rs))
	}
	for _, src := range rs {
		return src
	}
	return nil
}

// assertReadsInfraState is the cross-stack contract for every backend:
// addons' remote state reads exactly the state infra writes.
func assertReadsInfraState(t *testing.T, infra, addons report.Stack) {
	t.Helper()
	typ, backend := backendOf(t, infra)
	src := remoteStateOf(t, addons)
	cfg, _ := src["config"].(map[string]any)
	switch typ {
	case "local":
		if src["backend"] != "local" || cfg["path"] != backend["path"] {
			t.Errorf("remote state %v does not read infra's local state %v", src, backend)
		}
	case "s3":
		// Everything that locates and decrypts the state, from infra's
		// backend; use_lockfile (an override) only matters when writing.
		want := maps.Clone(backend)
		delete(want, "use_lockfile")
		if src["backend"] != "s3" || !reflect.DeepEqual(cfg, want) {
			t.Errorf("remote state config\n  %v\nis not infra's S3 state\n  %v", cfg, want)
		}
	case "cloud":
		ws, _ := backend["workspaces"].(map[string]any)
		want := map[string]any{
			"organization": backend["organization"],
			"hostname":     backend["hostname"],
			"workspaces":   map[string]any{"name": ws["name"]},
		}
		if src["backend"] != "remote" || !reflect.DeepEqual(cfg, want) {
			t.Errorf("remote state %v does not read infra's workspace %v", src, backend)
		}
	default:
		t.Fatalf("unexpected backend %q", typ)
	}
}

// TestAddonsReadsInfraStateOnEveryBackend checks the cross-stack reference
// of every fixture and every cluster of every fleet.
func TestAddonsReadsInfraStateOnEveryBackend(t *testing.T) {
	for _, f := range synthAll(t) {
		t.Run(f.Name, func(t *testing.T) {
			assertReadsInfraState(t, f.Stack(t, "infra"), f.Stack(t, "addons"))
		})
	}
	for _, f := range synthFleets(t) {
		for _, c := range f.Fleet.Clusters {
			t.Run(f.Name+"/"+c.Name, func(t *testing.T) {
				assertReadsInfraState(t, f.Stack(t, c.Name+"-infra"), f.Stack(t, c.Name+"-addons"))
			})
		}
	}
}

func TestS3BackendEncryptsAndLocksEachStack(t *testing.T) {
	f := fixtureNamed(t, "backend-s3")
	for _, stack := range stackNames {
		st := f.Stack(t, stack)
		typ, b := backendOf(t, st)
		want := map[string]any{
			"bucket":         "acme-terraform-state",
			"key":            "eksready/s3-state/" + stack + ".tfstate",
			"region":         "eu-west-1",
			"encrypt":        true,
			"use_lockfile":   true,
			"dynamodb_table": "terraform-locks",
			"kms_key_id":     "arn:aws:kms:eu-west-1:111122223333:alias/terraform-state",
			"assume_role":    map[string]any{"role_arn": "arn:aws:iam::111122223333:role/terraform-state"},
		}
		if typ != "s3" || !reflect.DeepEqual(b, want) {
			t.Errorf("%s backend %s %v, want s3 %v", stack, typ, b, want)
		}
		// S3-native locking needs Terraform 1.10.
		if st.Terraform["required_version"] != ">= 1.10" {
			t.Errorf("%s required_version = %v, want >= 1.10", stack, st.Terraform["required_version"])
		}
	}
}

func TestCloudBackendUsesOneNamedWorkspacePerStack(t *testing.T) {
	f := fixtureNamed(t, "backend-cloud")
	for _, stack := range stackNames {
		typ, b := backendOf(t, f.Stack(t, stack))
		want := map[string]any{
			"organization": "acme",
			"hostname":     "app.terraform.io",
			"workspaces":   map[string]any{"name": "tfc-state-" + stack, "project": "platform"},
		}
		if typ != "cloud" || !reflect.DeepEqual(b, want) {
			t.Errorf("%s: %s %v, want cloud %v", stack, typ, b, want)
		}
	}
}

// TestFleetStacksPairPerCluster checks the fleet's manifest: a stack pair
// per cluster, named after it, each addons depending on its own infra only
// and referring to no other cluster.
func TestFleetStacksPairPerCluster(t *testing.T) {
	f := fleetNamed(t, "fleet")
	sum, err := report.Summarize(f.Outdir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, s := range sum.Stacks {
		got[s.Name] = s.DependsOn
	}
	want := map[string][]string{
		"dev-infra": nil, "dev-addons": {"dev-infra"},
		"prod-eu-infra": nil, "prod-eu-addons": {"prod-eu-infra"},
		"stage-infra": nil, "stage-addons": {"stage-infra"},
	}
	if len(got) != len(want) {
		t.Fatalf("stacks = %v, want %v", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
	}
	for name, deps := range want {
		if strings.Join(got[name], ",") != strings.Join(deps, ",") {
			t.Errorf("%s depends on %v, want %v", name, got[name], deps)
		}
	}
	for _, c := range []string{"dev", "prod-eu", "stage"} {
		text, err := os.ReadFile(f.StackPath(c + "-addons"))
		if err != nil {
			t.Fatal(err)
		}
		for _, other := range []string{"dev", "prod-eu", "stage"} {
			if other != c && bytes.Contains(text, []byte("cross-stack-reference-input-"+other+"-infra")) {
				t.Errorf("%s-addons refers to %s-infra", c, other)
			}
		}
	}
}

// TestFleetSharedSettingsReachEveryCluster follows the fleet fixture's
// _fleet.yaml into the synthesized stacks: shared tags and backend,
// per-cluster overrides winning.
func TestFleetSharedSettingsReachEveryCluster(t *testing.T) {
	f := fleetNamed(t, "fleet")
	tags := func(stack string) map[string]any {
		aws := f.Stack(t, stack).Provider["aws"]
		dt, _ := aws[0]["default_tags"].([]any)
		m, _ := dt[0].(map[string]any)["tags"].(map[string]any)
		return m
	}
	wantTags := map[string]map[string]any{
		"dev-infra":     {"cost-center": "platform", "owner": "sre", "environment": "dev", "eksready:cluster": "dev", "managed-by": "eksready"},
		"prod-eu-infra": {"cost-center": "platform", "owner": "platform-oncall", "environment": "prod", "eksready:cluster": "prod-eu", "managed-by": "eksready"},
		"stage-infra":   {"cost-center": "platform", "owner": "sre", "eksready:cluster": "stage", "managed-by": "eksready"},
	}
	for stack, want := range wantTags {
		if got := tags(stack); !reflect.DeepEqual(got, want) {
			t.Errorf("%s default tags = %v, want %v", stack, got, want)
		}
	}
	wantState := map[string]string{
		"dev-infra":      "s3 eksready/dev/infra.tfstate",
		"dev-addons":     "s3 eksready/dev/addons.tfstate",
		"prod-eu-infra":  "s3 legacy/prod-eu.tfstate",
		"prod-eu-addons": "s3 eksready/prod-eu/addons.tfstate",
		"stage-infra":    "cloud stage-infra",
		"stage-addons":   "cloud stage-addons",
	}
	for stack, want := range wantState {
		typ, b := backendOf(t, f.Stack(t, stack))
		got := typ + " "
		if typ == "s3" {
			got += b["key"].(string)
		} else if ws, ok := b["workspaces"].(map[string]any); ok {
			got += ws["name"].(string)
		}
		if got != want {
			t.Errorf("%s state = %q, want %q", stack, got, want)
		}
	}
}

// TestInvalidFleetWritesNothing runs the real program on a clusters/
// directory with problems in several files (one only visible across
// files, one only in the shared file): it must exit non-zero, name
// every problem with its file, and write no cdktf.out.
func TestInvalidFleetWritesNothing(t *testing.T) {
	bin := programBinary(t)
	dir := t.TempDir()
	files := map[string]string{
		"clusters/_fleet.yaml":   "defaults:\n  backend: {type: s3}\n",
		"clusters/prod.yaml":     "backend: {s3: {bucket: acme-state}}\n",
		"clusters/prod-eu.yaml":  "name: prod\nbackend: {s3: {bucket: acme-state}}\n",
		"clusters/EU_Prod.yaml":  "backend: {s3: {bucket: acme-state}}\n",
		"clusters/cloudy.yaml":   "backend: {type: cloud, cloud: {project: platform}}\n",
		"clusters/no-state.yaml": "region: eu-west-1\n",
	}
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err == nil {
		t.Fatalf("an invalid fleet synthesized:\n%s", out.String())
	}
	want := []string{
		"eksready: invalid fleet configuration in clusters (4 problems in 4 files):",
		`clusters/EU_Prod.yaml: name: "EU_Prod" must be lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (the name comes from the file name; set name: in the file to choose another)`,
		`clusters/_fleet.yaml: defaults.backend.s3.bucket: is required when backend.type is s3`,
		`clusters/cloudy.yaml: backend.cloud.organization: is required when backend.type is cloud`,
		`clusters/prod.yaml: name: "prod" is also the name of the cluster in clusters/prod-eu.yaml; cluster names must be unique in a fleet`,
	}
	for _, w := range want {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, out.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "cdktf.out")); !os.IsNotExist(err) {
		t.Error("cdktf.out was written for an invalid fleet")
	}
}

// manifestStacks reads a manifest's stack names and dependencies.
func manifestStacks(t *testing.T, outdir string) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(outdir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Stacks map[string]struct {
			Dependencies         []string `json:"dependencies"`
			SynthesizedStackPath string   `json:"synthesizedStackPath"`
			WorkingDirectory     string   `json:"workingDirectory"`
		} `json:"stacks"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for name, s := range m.Stacks {
		if s.SynthesizedStackPath != "stacks/"+name+"/cdk.tf.json" || s.WorkingDirectory != "stacks/"+name {
			t.Errorf("stack %s at %s (working directory %s)", name, s.SynthesizedStackPath, s.WorkingDirectory)
		}
		out[name] = s.Dependencies
	}
	return out
}
