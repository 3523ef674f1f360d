// Command eksready synthesizes a production-ready Amazon EKS platform as two
// Terraform stacks, `infra` and `addons`. Run it through `make synth` or
// `npx cdktf synth`; the configuration is cluster.yaml when present, or a
// fleet of clusters from a clusters/ directory (stacks `<cluster>-infra`
// and `<cluster>-addons`).
package main

import (
	"fmt"
	"os"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/report"
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
		fail(err)
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
	summary.Write(os.Stdout, stacks.RepositorySummarySections(repo)...)
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
