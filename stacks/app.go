package stacks

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/jsii-runtime-go"
	"github.com/eksready/eksready/report"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/config"
)

// Synth builds both stacks for a validated configuration and writes them
// under outdir (cdktf.out by convention).
func Synth(cfg config.Cluster, outdir string) error {
	// cdktf creates only the last path element itself.
	if err := os.MkdirAll(filepath.Dir(outdir), 0o755); err != nil {
		return err
	}
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(outdir)})
	infra := NewInfra(app, "infra", cfg)
	NewAddons(app, "addons", cfg, infra)
	app.Synth()
	return nil
}

// SummarySections are the configuration-derived blocks of the synth
// summary: what was built from which file, the IP capacity table, and
// warnings.
func SummarySections(cfg config.Cluster) []report.Section {
	var warnings []string
	for _, w := range config.Warnings(cfg) {
		warnings = append(warnings, w.String())
	}
	return []report.Section{
		{Title: "cluster", Lines: []string{fmt.Sprintf("%s in %s, Kubernetes %s", cfg.Name, cfg.Region, cfg.KubernetesVersion)}},
		{Title: "IP capacity at max scale", Lines: config.CapacitySummary(cfg)},
		{Title: "warnings", Lines: warnings},
	}
}
