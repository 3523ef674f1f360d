package apptest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/eksready/eksready/report"
)

var stackNames = []string{"infra", "addons"}

// TestGoldenSnapshots compares every stack of every fixture with its
// committed golden file. Run `go test ./__tests__/ -run Golden -update` to
// rewrite them, then review the diff like code.
func TestGoldenSnapshots(t *testing.T) {
	for _, f := range append(synthAll(t), synthFleets(t)...) {
		for _, stack := range f.Stacks {
			t.Run(f.Name+"/"+stack, func(t *testing.T) {
				got, err := os.ReadFile(f.StackPath(stack))
				if err != nil {
					t.Fatal(err)
				}
				golden := filepath.Join("golden", f.Name, stack+".json")
				if *update {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("no golden file (run with -update to create it): %v", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from %s (rerun with -update and review the diff):\n%s", f.StackPath(stack), golden, firstDifference(want, got))
				}
			})
		}
	}
}

// TestSynthIsDeterministic synthesizes the default configuration twice and
// requires byte-identical output, with no machine-dependent content.
func TestSynthIsDeterministic(t *testing.T) {
	first := fixtureNamed(t, defaultFixture).Outdir
	err := filepath.Walk(first, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(first, path)
		a, _ := os.ReadFile(path)
		b, err := os.ReadFile(filepath.Join(repeatOutdir, rel))
		if err != nil {
			t.Errorf("%s missing from the second synth", rel)
			return nil
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two synths:\n%s", rel, firstDifference(a, b))
		}
		for _, leak := range []string{synthDir, os.Getenv("HOME"), "/tmp/", "/work/"} {
			if leak != "" && bytes.Contains(a, []byte(leak)) {
				t.Errorf("%s contains the machine-dependent path %q", rel, leak)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestManifestOrdersStacks checks the contract `cdktf deploy infra addons`
// relies on: both stacks exist and addons depends on infra alone.
func TestManifestOrdersStacks(t *testing.T) {
	for _, f := range synthAll(t) {
		sum, err := report.Summarize(f.Outdir)
		if err != nil {
			t.Fatal(err)
		}
		if len(sum.Stacks) != 2 || sum.Stacks[0].Name != "infra" || sum.Stacks[1].Name != "addons" {
			t.Fatalf("%s: stacks = %+v, want infra then addons", f.Name, sum.Stacks)
		}
		if deps := strings.Join(sum.Stacks[1].DependsOn, ","); deps != "infra" {
			t.Errorf("%s: addons depends on %q, want infra", f.Name, deps)
		}
		if len(sum.Stacks[0].DependsOn) != 0 {
			t.Errorf("%s: infra depends on %v", f.Name, sum.Stacks[0].DependsOn)
		}
	}
}

// TestProvidersStayInTheirStack is the two-stack split itself: no
// Kubernetes or Helm provider in infra, and every provider requirement
// with a full source and a range constraint.
func TestProvidersStayInTheirStack(t *testing.T) {
	for _, f := range synthAll(t) {
		infra, addons := f.Stack(t, "infra"), f.Stack(t, "addons")
		for name := range infra.Provider {
			if name != "aws" {
				t.Errorf("%s: infra configures provider %q; only aws belongs there", f.Name, name)
			}
		}
		if _, ok := addons.Provider["helm"]; !ok {
			t.Errorf("%s: addons has no helm provider", f.Name)
		}
		for stack, st := range map[string]report.Stack{"infra": infra, "addons": addons} {
			reqs, _ := st.Terraform["required_providers"].(map[string]any)
			for name, r := range reqs {
				req, _ := r.(map[string]any)
				if req["source"] != "hashicorp/"+name || !strings.HasPrefix(req["version"].(string), "~> ") {
					t.Errorf("%s/%s: provider %s requirement %v, want source hashicorp/%s and a ~> constraint", f.Name, stack, name, req, name)
				}
			}
		}
	}
}

// TestAddonsReadsInfraFromState checks that addons learns the cluster only
// through infra's outputs, read from infra's state at a relative path.
func TestAddonsReadsInfraFromState(t *testing.T) {
	f := fixtureNamed(t, defaultFixture)
	addons := f.Stack(t, "addons")
	rs := addons.Data["terraform_remote_state"]
	if len(rs) != 1 {
		t.Fatalf("addons has %d remote state sources, want 1", len(rs))
	}
	for _, src := range rs {
		cfg, _ := src["config"].(map[string]any)
		if cfg["path"] != "../../../terraform.infra.tfstate" {
			t.Errorf("remote state path %v, want ../../../terraform.infra.tfstate", cfg["path"])
		}
	}
	helm, _ := json.Marshal(addons.Provider["helm"])
	for _, want := range []string{"data.terraform_remote_state.", "endpoint", "certificate_authority", "data.aws_eks_cluster_auth."} {
		if !strings.Contains(string(helm), want) {
			t.Errorf("helm provider configuration lacks %q: %s", want, helm)
		}
	}
}

// firstDifference shows the first differing line of two texts, enough to
// find the change without dumping megabytes.
func firstDifference(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + wl + "\n   got: " + gl
		}
	}
	return "(no line differs)"
}
