// Command eksready synthesizes a production-ready Amazon EKS platform as two
// Terraform stacks, `infra` and `addons`. Run it through `make synth` or
// `npx cdktf synth`; the configuration is cluster.yaml when present, or a
// fleet of clusters from a clusters/ directory (stacks `<cluster>-infra`
// and `<cluster>-addons`).
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/report"
	"github.com/eksready/eksready/report/readiness"
	"github.com/eksready/eksready/stacks"
)

func main() {
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
	if err := stacks.SynthRepository(repo, outdir); err != nil {
		fail(err)
	}
	summary, err := report.Summarize(outdir)
	if err != nil {
		fail(err)
	}
	var sections []report.Section
	failed := false
	for _, cfg := range repo.Clusters {
		ready, err := readinessReport(cfg, outdir, repo.Fleet)
		if err != nil {
			fail(err)
		}
		section := ready.Section()
		if repo.Fleet {
			section.Title += " of " + cfg.Name
		}
		sections = append(sections, section)
		failed = failed || ready.Failed()
	}
	summary.Write(os.Stdout, append(stacks.RepositorySummarySections(repo), sections...)...)
	if failed {
		fail(fmt.Errorf("the production-readiness report has unwaived errors (above); fix them or waive them in readiness.waive with a reason"))
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
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
// a fleet.
func readinessReport(cfg config.Cluster, outdir string, fleet bool) (readiness.Report, error) {
	in, err := readiness.Load(cfg, outdir, stacks.StackName(cfg.Name, config.StackInfra, fleet), stacks.StackName(cfg.Name, config.StackAddons, fleet))
	if err != nil {
		return readiness.Report{}, err
	}
	ready := readiness.Evaluate(in)
	sarif, err := ready.SARIF(in)
	if err != nil {
		return ready, err
	}
	name := "readiness.sarif"
	if fleet {
		name = "readiness-" + cfg.Name + ".sarif"
	}
	return ready, os.WriteFile(filepath.Join(outdir, name), sarif, 0o644)
}
