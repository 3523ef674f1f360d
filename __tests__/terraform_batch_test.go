package apptest

// The mocked terraform checks of every synthesized stack run as one batch:
// one working directory holding every stack as a module, one `terraform
// init` for all of them, and one `terraform test` process per CPU, each
// running a share of the stacks' test files. Starting terraform and the
// AWS provider (a 700 MB binary whose schema takes seconds to load) is
// what these checks cost; in one process that happens once per process
// instead of three times per stack. Every test file runs on its own, so a
// failing stack fails only its own check.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// mockCheck is one synthesized stack and what terraform test does with it.
type mockCheck struct {
	// Kind is "infra" (plan and apply against the mocked AWS provider) or
	// "addons" (plan, with infra's outputs overridden and the Helm
	// provider's recorded schema).
	Kind string
	// Name is the subtest's name: the fixture, or fleet/<stack>.
	Name string
	// Stack is the synthesized cdk.tf.json.
	Stack string
	// InitBackend: the stack's (local) backend is initialized for real;
	// remote backends are left alone (no credentials here).
	InitBackend bool
	// Run is HCL added inside the run block: override_data for addons,
	// assertions.
	Run string
	// WantError, when set, makes this a check that must fail with that
	// diagnostic (a deliberately broken copy).
	WantError string
}

// id is the check's module and test file name.
func (c mockCheck) id() string {
	return c.Kind + "-" + regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(c.Name, "-")
}

// mockResult is what terraform test reported for one check.
type mockResult struct {
	// Status is terraform test's: "pass", "fail", "skip" or "error".
	Status string
	// Output is the diagnostics terraform gave for this check's file.
	Output string
}

var (
	batchOnce    sync.Once
	batchResults map[string]mockResult
	batchErr     error
	// batchExtra are checks other tests add to the batch (registered in
	// their file's init), so they share its processes.
	batchExtra []func(t *testing.T) mockCheck
)

// mockChecks lists every check of the batch: each fixture's and fleet
// cluster's infra and addons stacks, then the registered extras.
func mockChecks(t *testing.T) []mockCheck {
	t.Helper()
	checksOnce.Do(func() { checksList = listMockChecks(t) })
	return checksList
}

var (
	checksOnce sync.Once
	checksList []mockCheck
)

func listMockChecks(t *testing.T) []mockCheck {
	t.Helper()
	var checks []mockCheck
	for _, f := range synthAll(t) {
		checks = append(checks, mockCheck{Kind: "infra", Name: f.Name, Stack: f.StackPath("infra"), InitBackend: f.Config.Backend.Type == "local"})
	}
	for _, f := range synthFleets(t) {
		for _, c := range f.Fleet.Clusters {
			stack := c.Name + "-infra"
			checks = append(checks, mockCheck{Kind: "infra", Name: f.Name + "/" + stack, Stack: f.StackPath(stack), InitBackend: c.Backend.Type == "local"})
		}
	}
	for _, a := range allAddonsStacks(t) {
		checks = append(checks, mockCheck{Kind: "addons", Name: a.Name, Stack: a.Addons, InitBackend: a.Config.Backend.Type == "local", Run: string(remoteStateOverrides(t, a))})
	}
	for _, extra := range batchExtra {
		checks = append(checks, extra(t))
	}
	return checks
}

// mockBatch runs every check once per test binary and returns the results
// by check id.
func mockBatch(t *testing.T) map[string]mockResult {
	t.Helper()
	env := terraformEnv(t)
	batchOnce.Do(func() {
		checks := mockChecks(t)
		batchResults, batchErr = runMockBatch(t, env, checks)
	})
	if batchErr != nil {
		t.Fatal(batchErr)
	}
	return batchResults
}

// requireMockCheck fails the test unless the batch ran the check with the
// outcome it wants.
func requireMockCheck(t *testing.T, c mockCheck) {
	t.Helper()
	r, ok := mockBatch(t)[c.id()]
	switch {
	case !ok:
		t.Fatalf("the terraform batch has no result for %s", c.id())
	case c.WantError != "":
		if r.Status == "pass" || !strings.Contains(r.Output, c.WantError) {
			t.Errorf("%s must fail with %q; terraform test: %s\n%s", c.id(), c.WantError, r.Status, r.Output)
		}
	case r.Status != "pass":
		t.Errorf("terraform test of %s: %s\n%s", c.Stack, r.Status, r.Output)
	}
}

// runMockBatch writes the batch's working directory, initializes it once,
// checks the local backends, and runs the test files in one terraform
// test process per CPU.
func runMockBatch(t *testing.T, env []string, checks []mockCheck) (map[string]mockResult, error) {
	dir, err := os.MkdirTemp("", "eksready-batch-")
	if err != nil {
		return nil, err
	}
	cleanupDirs = append(cleanupDirs, dir)
	mocks, err := os.ReadFile(filepath.Join("terraform", "mocks.tftest.hcl"))
	if err != nil {
		return nil, err
	}
	// The root requires what the stacks require, so one init installs
	// every provider the modules need.
	root := map[string]any{"terraform": map[string]any{"required_providers": map[string]any{
		"aws":  map[string]any{"source": "hashicorp/aws", "version": "~> 5.99"},
		"helm": map[string]any{"source": "hashicorp/helm", "version": "~> " + helmProviderVersion[:strings.LastIndex(helmProviderVersion, ".")]},
	}}}
	if err := writeJSONFile(filepath.Join(dir, "main.tf.json"), root); err != nil {
		return nil, err
	}
	results := map[string]mockResult{}
	var files []string
	for _, c := range checks {
		stack, err := os.ReadFile(c.Stack)
		if err != nil {
			return nil, err
		}
		module := filepath.Join(dir, "stacks", c.id())
		if err := os.MkdirAll(module, 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(module, "cdk.tf.json"), stack, 0o644); err != nil {
			return nil, err
		}
		// terraform test destroys what its runs applied; deletion
		// protection would refuse, so the batch's copies have it off.
		writeUnprotectOverride(t, module, stack)
		if c.InitBackend {
			if out, err := initBackendOnly(dir, env, c, stack); err != nil {
				results[c.id()] = mockResult{Status: "error", Output: out}
				continue
			}
		}
		command := "apply"
		if c.Kind == "addons" {
			command = "plan"
		}
		file := fmt.Sprintf("%s\nrun %q {\n  command = %s\n  module {\n    source = \"./stacks/%s\"\n  }\n%s}\n", mocks, c.id(), command, c.id(), c.Run)
		name := filepath.Join("tests", c.id()+".tftest.hcl")
		if err := os.MkdirAll(filepath.Join(dir, "tests"), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(file), 0o644); err != nil {
			return nil, err
		}
		files = append(files, name)
	}
	if out, err := runTerraform(dir, env, "init"); err != nil {
		return nil, fmt.Errorf("terraform init of the batch failed:\n%s", out)
	}
	shards := min(runtime.NumCPU(), len(files))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for s := 0; s < shards; s++ {
		args := []string{"test", "-json"}
		for i := s; i < len(files); i += shards {
			args = append(args, "-filter="+files[i])
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, _ := runTerraform(dir, env, args...)
			got, general := testResults(out)
			mu.Lock()
			defer mu.Unlock()
			for _, arg := range args[2:] {
				// What terraform said outside any file (a module it could
				// not load, a crash) belongs to every file it left without
				// a status.
				id := strings.TrimSuffix(filepath.Base(arg), ".tftest.hcl")
				r := got[id]
				if r.Status == "" {
					r.Status, r.Output = "error", r.Output+general
				}
				results[id] = r
			}
		}()
	}
	wg.Wait()
	return results, nil
}

// initBackendOnly runs `terraform init` on the stack's terraform block
// alone, in a folder of the depth of cdktf.out/stacks/<name>: the backend
// configuration is checked as terraform reads it, without installing or
// hashing the AWS provider again.
func initBackendOnly(dir string, env []string, c mockCheck, stack []byte) (string, error) {
	var doc map[string]any
	if err := json.Unmarshal(stack, &doc); err != nil {
		return err.Error(), err
	}
	block, _ := doc["terraform"].(map[string]any)
	backendDir := filepath.Join(dir, "backends", c.id(), "cdktf.out", "stacks", filepath.Base(filepath.Dir(c.Stack)))
	if err := os.MkdirAll(backendDir, 0o755); err != nil {
		return err.Error(), err
	}
	if err := writeJSONFile(filepath.Join(backendDir, "cdk.tf.json"), map[string]any{"terraform": map[string]any{"backend": block["backend"]}}); err != nil {
		return err.Error(), err
	}
	return runTerraform(backendDir, env, "init")
}

// testResults reads `terraform test -json`: each test file's status and
// the diagnostics reported for it, and what was said outside any file.
func testResults(out string) (map[string]mockResult, string) {
	results := map[string]mockResult{}
	var general strings.Builder
	for _, line := range strings.Split(out, "\n") {
		var msg struct {
			Type       string `json:"type"`
			File       string `json:"@testfile"`
			Message    string `json:"@message"`
			Diagnostic *struct {
				Severity string `json:"severity"`
				Summary  string `json:"summary"`
				Detail   string `json:"detail"`
				Range    *struct {
					Filename string `json:"filename"`
				} `json:"range"`
			} `json:"diagnostic"`
			TestFile *struct {
				Path     string `json:"path"`
				Progress string `json:"progress"`
				Status   string `json:"status"`
			} `json:"test_file"`
		}
		if json.Unmarshal([]byte(line), &msg) != nil {
			if strings.TrimSpace(line) != "" {
				general.WriteString(line + "\n")
			}
			continue
		}
		switch {
		case msg.TestFile != nil && msg.TestFile.Progress == "complete":
			id := strings.TrimSuffix(filepath.Base(msg.TestFile.Path), ".tftest.hcl")
			r := results[id]
			r.Status = msg.TestFile.Status
			results[id] = r
		case msg.Diagnostic != nil && msg.Diagnostic.Severity == "error":
			text := msg.Diagnostic.Summary + ": " + msg.Diagnostic.Detail
			if msg.Diagnostic.Range != nil {
				text += " (" + msg.Diagnostic.Range.Filename + ")"
			}
			if msg.File == "" {
				general.WriteString(text + "\n")
				continue
			}
			id := strings.TrimSuffix(filepath.Base(msg.File), ".tftest.hcl")
			r := results[id]
			r.Output += text + "\n"
			results[id] = r
		}
	}
	return results, general.String()
}

// writeJSONFile writes v as indented JSON.
func writeJSONFile(path string, v any) error {
	raw, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, raw, 0o644)
}
