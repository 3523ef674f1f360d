package apptest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// programBinary builds eksready once for the tests that run the program
// itself (they fail before jsii starts, so they are cheap).
func programBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "eksready-bin-")
		if err != nil {
			binErr = err
			return
		}
		cleanupDirs = append(cleanupDirs, dir)
		binPath = filepath.Join(dir, "eksready")
		if out, err := exec.Command("go", "build", "-o", binPath, "..").CombinedOutput(); err != nil {
			binErr = err
			binPath = string(out)
		}
	})
	if binErr != nil {
		t.Fatalf("go build: %v\n%s", binErr, binPath)
	}
	return binPath
}

// programThatSynthesizes is programBinary for a test that runs the whole
// synth in it, each run starting a jsii runtime of its own (seconds, a GB):
// `make test` runs those, `make check` (-short) does not.
func programThatSynthesizes(t *testing.T) string {
	t.Helper()
	skipWhenShort(t, "runs the program's synth")
	return programBinary(t)
}

// TestCdktfCLISynth runs the pinned cdktf CLI the way users do (`npx cdktf
// synth` from the repository: cdktf.json's app, `go run .`) on the fleet
// fixture, and requires the manifest `cdktf deploy` reads and stacks
// byte-identical to the in-process synth. One CLI run: it starts its own
// jsii process.
func TestCdktfCLISynth(t *testing.T) {
	fleet := fleetNamed(t, "fleet")
	outdir := filepath.Join(t.TempDir(), "cdktf.out")
	cmd := cdktfOnFleet(t, "synth", outdir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("cdktf synth: %v\n%s", err, out.String())
	}
	deps := manifestStacks(t, outdir)
	if len(deps) != len(fleet.Stacks) {
		t.Fatalf("the CLI's manifest lists %d stacks, want %d:\n%s", len(deps), len(fleet.Stacks), out.String())
	}
	for _, stack := range fleet.Stacks {
		want := ""
		if strings.HasSuffix(stack, "-addons") {
			want = strings.TrimSuffix(stack, "-addons") + "-infra"
		}
		if got := strings.Join(deps[stack], ","); got != want {
			t.Errorf("%s depends on %q, want %q", stack, got, want)
		}
		got, err := os.ReadFile(filepath.Join(outdir, "stacks", stack, "cdk.tf.json"))
		if err != nil {
			t.Fatal(err)
		}
		inProcess, err := os.ReadFile(fleet.StackPath(stack))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, inProcess) {
			t.Errorf("%s from the CLI differs from the in-process synth:\n%s", stack, firstDifference(inProcess, got))
		}
	}
}

// cdktfOnFleet is the pinned cdktf CLI running one command the way users
// do, from the repository (cdktf.json's app, `go run .`), on the fleet
// fixture, writing to outdir.
func cdktfOnFleet(t *testing.T, command, outdir string) *exec.Cmd {
	t.Helper()
	skipWhenShort(t, "runs the cdktf CLI")
	cli, err := filepath.Abs(filepath.Join("..", "node_modules", ".bin", "cdktf"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cli); err != nil {
		t.Fatalf("the pinned cdktf CLI is missing (run make setup): %v", err)
	}
	cmd := exec.Command(cli, command, "--output", outdir)
	cmd.Dir = ".."
	cmd.Env = append(terraformEnv(t),
		"EKSREADY_CONFIG=__tests__/fixtures/fleet",
		"CHECKPOINT_DISABLE=1",
		"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20",
	)
	return cmd
}
