// Command eksready synthesizes a production-ready Amazon EKS platform as two
// Terraform stacks, `infra` and `addons`. Run it through `make synth` or
// `npx cdktf synth`; the configuration is cluster.yaml when present.
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/report"
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
		if table := config.CapacityFailure(cfg); table != nil {
			fmt.Fprintln(os.Stderr, "eksready:", err)
			fmt.Fprintf(os.Stderr, "\nIP capacity at max scale:\n  %s\n", strings.Join(table, "\n  "))
			os.Exit(1)
		}
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
	summary.Write(os.Stdout, stacks.SummarySections(cfg)...)
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "eksready:", err)
	os.Exit(1)
}
