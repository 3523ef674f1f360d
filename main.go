// Command eksready synthesizes a production-ready Amazon EKS platform as two
// Terraform stacks, `infra` and `addons`. Run it through `make synth` or
// `npx cdktf synth`; the configuration is cluster.yaml when present.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/report"
	"github.com/eksready/eksready/report/readiness"
	"github.com/eksready/eksready/stacks"
)

func main() {
	path, err := config.ResolvePath(os.Getenv, fileExists)
	if err != nil {
		fail(err)
	}
	// The configuration is loaded and validated before any construct
	// exists: a bad cluster.yaml writes nothing.
	cfg, err := config.LoadFile(path)
	if err != nil {
		fail(err)
	}
	outdir := os.Getenv("CDKTF_OUTDIR")
	if outdir == "" {
		outdir = "cdktf.out"
	}
	if err := stacks.Synth(cfg, outdir); err != nil {
		fail(err)
	}
	summary, err := report.Summarize(outdir)
	if err != nil {
		fail(err)
	}
	in, err := readiness.Load(cfg, outdir, "infra", "addons")
	if err != nil {
		fail(err)
	}
	ready := readiness.Evaluate(in)
	sarif, err := ready.SARIF(in)
	if err != nil {
		fail(err)
	}
	if err := os.WriteFile(filepath.Join(outdir, "readiness.sarif"), sarif, 0o644); err != nil {
		fail(err)
	}
	summary.Write(os.Stdout, append(stacks.SummarySections(cfg), ready.Section())...)
	if ready.Failed() {
		fail(fmt.Errorf("the production-readiness report has unwaived errors (above); fix them or waive them in readiness.waive with a reason"))
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "eksready:", err)
	os.Exit(1)
}
