// Package apptest holds eksready's whole-app tests: every fixture
// configuration (fixtures/) is synthesized once, in one process (one jsii
// runtime), and the results are compared with golden files (golden/),
// checked for determinism, handed to the real terraform binary and AWS
// provider (validate, and `terraform test` with mocks: terraform/),
// applied to an AWS emulator (moto: emulator/) and checked by the
// readiness rules. It owns what only a whole synth shows; a unit's
// behaviour is tested beside its code, and nothing here is imported by
// the product.
package apptest

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/report"
	"github.com/eksready/eksready/stacks"
)

var update = flag.Bool("update", false, "rewrite the golden files from this synth")

// defaultFixture is the built-in configuration (no file).
const defaultFixture = "default"

// fixture is one configuration and where its synth went.
type fixture struct {
	Name   string
	Config config.Cluster
	Outdir string
	// Stacks are the stacks the synth wrote: infra and addons, or a pair
	// per cluster for a fleet (and the bootstrap stack when its clusters
	// manage their HCP Terraform workspaces).
	Stacks []string
	// Fleet is the loaded fleet, for fleet fixtures (directories).
	Fleet config.Repository
}

// StackPath is the synthesized cdk.tf.json of one stack.
func (f fixture) StackPath(stack string) string {
	return filepath.Join(f.Outdir, "stacks", stack, "cdk.tf.json")
}

// Stack parses one synthesized stack.
func (f fixture) Stack(t *testing.T, stack string) report.Stack {
	t.Helper()
	s, err := report.ReadStack(f.StackPath(stack))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var (
	synthOnce sync.Once
	synthDir  string
	synthErr  error
	fixtures  []fixture
	// fleets are the fleet fixtures (directories in fixtures/), kept apart
	// from fixtures because their stacks are not named infra and addons.
	fleets []fixture
	// repeatOutdir holds a second synth of the default configuration.
	repeatOutdir string
	// cleanupDirs are removed after all tests (shared scratch, like the
	// program binary).
	cleanupDirs []string
)

// synthAll synthesizes the default configuration (twice), every file in
// fixtures/ and every fleet directory there, all in this one process so
// the AWS bindings load once. It returns the single-cluster fixtures;
// synthFleets returns the fleets.
func synthAll(t *testing.T) []fixture {
	t.Helper()
	synthOnce.Do(func() {
		synthDir, synthErr = os.MkdirTemp("", "eksready-synth-")
		if synthErr != nil {
			return
		}
		fixtures = append(fixtures, fixture{Name: defaultFixture, Config: config.Default(), Stacks: stackNames})
		files, _ := filepath.Glob(filepath.Join("fixtures", "*.yaml"))
		sort.Strings(files)
		for _, file := range files {
			cfg, err := config.LoadFile(file)
			if err != nil {
				synthErr = err
				return
			}
			fixtures = append(fixtures, fixture{Name: strings.TrimSuffix(filepath.Base(file), ".yaml"), Config: cfg, Stacks: stackNames})
		}
		for i := range fixtures {
			// Same depth as cdktf.out/stacks/<name> so relative paths match a real synth.
			fixtures[i].Outdir = filepath.Join(synthDir, fixtures[i].Name, "cdktf.out")
			if synthErr = stacks.Synth(fixtures[i].Config, fixtures[i].Outdir); synthErr != nil {
				return
			}
		}
		entries, _ := os.ReadDir("fixtures")
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			repo, err := config.LoadFleet(filepath.Join("fixtures", e.Name()))
			if err != nil {
				synthErr = err
				return
			}
			f := fixture{Name: e.Name(), Fleet: repo, Outdir: filepath.Join(synthDir, e.Name(), "cdktf.out"), Stacks: stacks.StackNames(repo)}
			if synthErr = stacks.SynthFleet(repo.Clusters, f.Outdir); synthErr != nil {
				return
			}
			fleets = append(fleets, f)
		}
		repeatOutdir = filepath.Join(synthDir, "default-again", "cdktf.out")
		synthErr = stacks.Synth(config.Default(), repeatOutdir)
	})
	if synthErr != nil {
		t.Fatalf("synthesizing fixtures: %v", synthErr)
	}
	return fixtures
}

// synthFleets returns the synthesized fleet fixtures.
func synthFleets(t *testing.T) []fixture {
	t.Helper()
	synthAll(t)
	return fleets
}

// fixtureNamed returns one synthesized single-cluster fixture.
func fixtureNamed(t *testing.T, name string) fixture {
	t.Helper()
	return named(t, synthAll(t), name)
}

// fleetNamed returns one synthesized fleet fixture.
func fleetNamed(t *testing.T, name string) fixture {
	t.Helper()
	return named(t, synthFleets(t), name)
}

func named(t *testing.T, list []fixture, name string) fixture {
	t.Helper()
	for _, f := range list {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no fixture %q", name)
	return fixture{}
}

// skipWhenShort skips a test under `go test -short` (`make check`, the
// quick loop): every test that runs terraform, the emulator or the cdktf
// CLI reaches this through the helper that starts it, so a new one is
// covered too. `make test` runs them all.
func skipWhenShort(t *testing.T, what string) {
	t.Helper()
	if testing.Short() {
		t.Skipf("%s: make test runs it, make check (-short) does not", what)
	}
}

func TestMain(m *testing.M) {
	flag.Parse()
	os.Setenv("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
	code := m.Run()
	if synthDir != "" {
		os.RemoveAll(synthDir)
	}
	for _, d := range cleanupDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}
