package apptest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
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
	for _, p := range treeDifferences(t, fixtureNamed(t, defaultFixture).Outdir, repeatOutdir) {
		t.Error(p)
	}
	// Broken copies: a file only the second synth writes, one only the
	// first writes, a changed byte and a leaked path are all caught.
	for name, breakIt := range map[string]func(a, b string){
		"extra file in the second": func(_, b string) { writeFile(t, filepath.Join(b, "stacks", "extra", "cdk.tf.json"), "{}") },
		"extra file in the first":  func(a, _ string) { writeFile(t, filepath.Join(a, "extra.json"), "{}") },
		"changed file":             func(_, b string) { writeFile(t, filepath.Join(b, "manifest.json"), "{\"x\":2}") },
		"machine path": func(a, b string) {
			writeFile(t, filepath.Join(a, "p"), synthDir)
			writeFile(t, filepath.Join(b, "p"), synthDir)
		},
	} {
		a, b := t.TempDir(), t.TempDir()
		writeFile(t, filepath.Join(a, "manifest.json"), "{\"x\":1}")
		writeFile(t, filepath.Join(b, "manifest.json"), "{\"x\":1}")
		if len(treeDifferences(t, a, b)) != 0 {
			t.Fatalf("identical trees differ")
		}
		breakIt(a, b)
		if len(treeDifferences(t, a, b)) == 0 {
			t.Errorf("treeDifferences misses %s", name)
		}
	}
}

// treeDifferences compares two synth outputs in both directions: every
// file of either must be in the other, byte for byte, and hold no
// machine-dependent path.
func treeDifferences(t *testing.T, first, second string) []string {
	t.Helper()
	files := func(root string) map[string][]byte {
		out := map[string][]byte{}
		err := filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			out[rel], err = os.ReadFile(path)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	a, b := files(first), files(second)
	var out []string
	for rel, content := range a {
		other, ok := b[rel]
		switch {
		case !ok:
			out = append(out, rel+" is missing from the second synth")
		case !bytes.Equal(content, other):
			out = append(out, rel+" differs between two synths:\n"+firstDifference(content, other))
		}
		for _, leak := range []string{synthDir, os.Getenv("HOME"), "/tmp/", "/work/"} {
			if leak != "" && bytes.Contains(content, []byte(leak)) {
				out = append(out, fmt.Sprintf("%s contains the machine-dependent path %q", rel, leak))
			}
		}
	}
	for rel := range b {
		if _, ok := a[rel]; !ok {
			out = append(out, rel+" is written only by the second synth")
		}
	}
	sort.Strings(out)
	return out
}

// TestEveryGoldenFolderHasAFixture: golden/ holds a folder per fixture
// (single clusters and fleets) and nothing else, each with the stacks its
// synth writes, so a deleted or renamed fixture cannot leave golden files
// nobody compares. With -update, what no fixture writes is removed.
func TestEveryGoldenFolderHasAFixture(t *testing.T) {
	want := map[string][]string{}
	for _, f := range append(synthAll(t), synthFleets(t)...) {
		want[f.Name] = f.Stacks
	}
	if *update {
		for _, stale := range goldenProblems(t, "golden", want) {
			if stale.path != "" {
				os.RemoveAll(filepath.Join("golden", stale.path))
			}
		}
	}
	for _, p := range goldenProblems(t, "golden", want) {
		t.Error(p.message)
	}
	// Broken copies: a folder whose fixture was deleted, a stray file, a
	// stack the synth no longer writes.
	for name, breakIt := range map[string]func(dir string){
		"deleted single-cluster fixture": func(dir string) { writeFile(t, filepath.Join(dir, "gone", "infra.json"), "{}") },
		"stray file":                     func(dir string) { writeFile(t, filepath.Join(dir, "notes.txt"), "") },
		"stale stack":                    func(dir string) { writeFile(t, filepath.Join(dir, defaultFixture, "old.json"), "{}") },
		"missing stack":                  func(dir string) { os.Remove(filepath.Join(dir, defaultFixture, "addons.json")) },
	} {
		dir := t.TempDir()
		for _, stack := range stackNames {
			writeFile(t, filepath.Join(dir, defaultFixture, stack+".json"), "{}")
		}
		only := map[string][]string{defaultFixture: stackNames}
		if len(goldenProblems(t, dir, only)) != 0 {
			t.Fatalf("a complete golden folder has problems: %v", goldenProblems(t, dir, only))
		}
		breakIt(dir)
		if len(goldenProblems(t, dir, only)) == 0 {
			t.Errorf("goldenProblems misses a %s", name)
		}
	}
}

// goldenProblem is a golden entry no fixture accounts for (path, relative
// to the golden folder, empty for a missing file) or a missing one.
type goldenProblem struct{ path, message string }

// goldenProblems compares a golden folder with the fixtures' stacks.
func goldenProblems(t *testing.T, dir string, want map[string][]string) []goldenProblem {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []goldenProblem
	for _, e := range entries {
		stacks, ok := want[e.Name()]
		if !e.IsDir() || !ok {
			out = append(out, goldenProblem{e.Name(), fmt.Sprintf("golden/%s belongs to no fixture (remove it, or run -update)", e.Name())})
			continue
		}
		files, _ := os.ReadDir(filepath.Join(dir, e.Name()))
		var got []string
		for _, f := range files {
			stack := strings.TrimSuffix(f.Name(), ".json")
			got = append(got, stack)
			if f.IsDir() || !strings.HasSuffix(f.Name(), ".json") || !slices.Contains(stacks, stack) {
				out = append(out, goldenProblem{filepath.Join(e.Name(), f.Name()), fmt.Sprintf("golden/%s/%s is no stack of fixture %s", e.Name(), f.Name(), e.Name())})
			}
		}
		for _, stack := range stacks {
			if !slices.Contains(got, stack) {
				out = append(out, goldenProblem{"", fmt.Sprintf("golden/%s/%s.json is missing", e.Name(), stack)})
			}
		}
	}
	return out
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
