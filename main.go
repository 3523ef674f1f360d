// Command eksready synthesizes a production-ready Amazon EKS platform as two
// Terraform stacks, `infra` and `addons`. Run it through `make synth` or
// `npx cdktf synth`; the configuration is cluster.yaml when present, or a
// fleet of clusters from a clusters/ directory (stacks `<cluster>-infra`
// and `<cluster>-addons`).
//
// The command is the top of eksready's layers (main → stacks → constructs
// → config → catalog, with report reading the output) and owns only the
// run: its flags, finding and loading the configuration (config), the
// synth (stacks), and printing what report and report/readiness say of
// the result. Nothing imports it, and it holds no rule of its own: a
// check, a default or a resource belongs in the layer below that owns it.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/report"
	"github.com/eksready/eksready/report/readiness"
	"github.com/eksready/eksready/stacks"
)

func main() {
	if handled, code := answerFlags(os.Args[1:], os.Stdout, debug.ReadBuildInfo); handled {
		os.Exit(code)
	}
	path, err := config.ResolveConfig(os.Getenv, fileExists, dirExists)
	if err != nil {
		fail(err)
	}
	// The configuration is loaded and validated before any construct
	// exists: a bad cluster.yaml, or one bad file of a fleet, writes nothing.
	repo, err := config.LoadRepository(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "eksready:", err)
		for _, c := range repo.Clusters {
			if table := config.CapacityFailure(c); table != nil {
				fmt.Fprintf(os.Stderr, "\nIP capacity at max scale:\n  %s\n", strings.Join(table, "\n  "))
			}
		}
		os.Exit(1)
	}
	outdir := os.Getenv("CDKTF_OUTDIR")
	if outdir == "" {
		outdir = "cdktf.out"
	}
	// The stacks are written into a fresh private folder inside outdir
	// and moved into place only when complete: a failed synth leaves the
	// previous output intact, a successful one leaves no stale stack.
	out, err := stacks.NewOutput(outdir, stacks.RunByCdktfCLI(os.Getenv))
	if err != nil {
		fail(err)
	}
	if err := stacks.SynthRepository(repo, out.Dir); err != nil {
		out.Discard()
		fail(err)
	}
	if err := out.Commit(); err != nil {
		fail(err)
	}
	summary, err := report.Summarize(outdir)
	if err != nil {
		fail(err)
	}
	summary.PutFirst(stacks.BootstrapStackName)
	var dayTwo, sections []report.Section
	failed := false
	for _, cfg := range repo.Clusters {
		ready, in, err := readinessReport(cfg, outdir, repo.Fleet)
		if err != nil {
			fail(err)
		}
		section := ready.Section()
		cost := report.EstimateCost(in.Infra, cfg.Region).Section()
		floating := report.FloatingSection(report.FloatingValues(in.Infra, in.Addons))
		if repo.Fleet {
			section.Title += " of " + cfg.Name
			cost.Title = cfg.Name + ": " + cost.Title
			floating.Title = cfg.Name + ": " + floating.Title
		}
		dayTwo = append(dayTwo, cost, floating)
		sections = append(sections, section)
		failed = failed || ready.Failed()
	}
	sections = append(append(dayTwo, sections...), stacks.NextSteps(repo))
	// `cdktf list` prints what the app prints before its list of stacks;
	// there the summary only buries the list. It still goes to stderr when
	// the readiness report fails the run, so the reason is visible.
	w := io.Writer(os.Stdout)
	if out.UnderCLI && cdktfSubcommand(os.Getppid(), readProc) == "list" {
		w = io.Discard
		if failed {
			w = os.Stderr
		}
	}
	summary.Write(w, append(stacks.RepositorySummarySections(repo), sections...)...)
	if failed {
		fail(fmt.Errorf("the production-readiness report has unwaived errors (above); fix them or waive them in readiness.waive with a reason"))
	}
}

// fileExists reports whether anything is at p, a dangling symbolic link
// included: a cluster.yaml that cannot be read is an error, not an absent
// configuration.
func fileExists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

func dirExists(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.IsDir()
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "eksready:", err)
	os.Exit(1)
}

// readinessReport evaluates one cluster's stacks and writes its SARIF log
// next to them: cdktf.out/readiness.sarif, or readiness-<cluster>.sarif in
// a fleet. It returns the stacks it read too, for the rest of the summary.
func readinessReport(cfg config.Cluster, outdir string, fleet bool) (readiness.Report, readiness.Input, error) {
	in, err := readiness.Load(cfg, outdir, stacks.StackName(cfg.Name, config.StackInfra, fleet), stacks.StackName(cfg.Name, config.StackAddons, fleet))
	if err != nil {
		return readiness.Report{}, in, err
	}
	ready := readiness.Evaluate(in)
	sarif, err := ready.SARIF(in)
	if err != nil {
		return ready, in, err
	}
	name := "readiness.sarif"
	if fleet {
		name = "readiness-" + cfg.Name + ".sarif"
	}
	return ready, in, os.WriteFile(filepath.Join(outdir, name), sarif, 0o644)
}

// cdktfSubcommand names the cdktf CLI command that started the program
// ("synth", "list", "deploy"...), or "". The CLI gives the app the same
// environment for every command (@cdktf/cli-core 0.20.12,
// src/lib/synth-stack.js sets CDKTF_OUTDIR, CDKTF_CONTEXT_JSON,
// CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS and SYNTH_HCL_OUTPUT alike), so
// the command is read from the CLI's own arguments: the nearest ancestor
// process run as `node …/cdktf <command>` (through `sh -c` and `go run`).
func cdktfSubcommand(pid int, proc func(pid int) (args []string, ppid int, ok bool)) string {
	for range 8 {
		args, ppid, ok := proc(pid)
		if !ok {
			return ""
		}
		for i, a := range args {
			if base := filepath.Base(a); (base == "cdktf" || base == "cdktf.js") && i+1 < len(args) {
				// The first command word; the value of a global option
				// (`--log-level debug`) is not one.
				rest := args[i+1:]
				for j := 0; j < len(rest); j++ {
					switch {
					case slices.Contains(cdktfValueOptions, rest[j]):
						j++
					case slices.Contains(cdktfCommands, rest[j]):
						return rest[j]
					}
				}
				return ""
			}
		}
		if ppid <= 1 {
			return ""
		}
		pid = ppid
	}
	return ""
}

// cdktfCommands are the cdktf CLI's commands (`cdktf --help`, 0.20.12).
var cdktfCommands = []string{"init", "get", "convert", "deploy", "destroy", "diff", "list", "login", "synth", "watch", "output", "debug", "provider", "completion"}

// cdktfValueOptions are the CLI's global options that take a value.
var cdktfValueOptions = []string{"--app", "-a", "--output", "-o", "--log-level", "--log-file-directory", "--experimental-provider-schema-cache-path"}

// readProc reads a process's arguments and parent from /proc (Linux);
// elsewhere it reports nothing, and the summary is printed as always.
func readProc(pid int) ([]string, int, bool) {
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return nil, 0, false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil, 0, false
	}
	// pid (comm) state ppid …: comm may hold spaces and parentheses.
	_, rest, found := strings.Cut(string(stat[strings.LastIndexByte(string(stat), ')')+1:]), " ")
	if !found {
		return nil, 0, false
	}
	fields := strings.Fields(rest)
	if len(fields) < 2 {
		return nil, 0, false
	}
	ppid, err := strconv.Atoi(fields[1])
	if err != nil {
		return nil, 0, false
	}
	return strings.Split(strings.TrimRight(string(cmdline), "\x00"), "\x00"), ppid, true
}
