package main

import (
	"os"
	"slices"
	"testing"
)

func TestCdktfSubcommand(t *testing.T) {
	// The process tree `npx cdktf list` makes: node runs the CLI, which
	// runs cdktf.json's `go run .` through sh -c, which runs the program.
	procs := map[int]struct {
		args []string
		ppid int
	}{
		40: {[]string{"/tmp/go-build1/exe/eksready"}, 30},
		30: {[]string{"go", "run", "."}, 20},
		20: {[]string{"/bin/sh", "-c", "go run ."}, 10},
		10: {[]string{"node", "/repo/node_modules/.bin/cdktf", "--log-level", "debug", "list"}, 1},
		// cdktf synth --output x, run with a flag first.
		11: {[]string{"node", "/repo/node_modules/cdktf-cli/bundle/bin/cdktf", "synth", "--output", "x"}, 1},
		// Not under the CLI: a shell running the binary.
		12: {[]string{"bash"}, 1},
	}
	proc := func(pid int) ([]string, int, bool) {
		p, ok := procs[pid]
		return p.args, p.ppid, ok
	}
	for pid, want := range map[int]string{40: "list", 11: "synth", 12: "", 99: ""} {
		if got := cdktfSubcommand(pid, proc); got != want {
			t.Errorf("from pid %d: %q, want %q", pid, got, want)
		}
	}
}

func TestReadProcReadsThisProcess(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	args, ppid, ok := readProc(os.Getpid())
	if !ok || ppid != os.Getppid() || !slices.Equal(args, os.Args) {
		t.Errorf("readProc = %q, %d, %v; want %q, %d", args, ppid, ok, os.Args, os.Getppid())
	}
}
