package apptest

import (
	"strings"
	"testing"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/report/readiness"
	"github.com/eksready/eksready/stacks"
)

// TestEveryFixtureIsProductionReady: no fixture in the repository may
// carry an unwaived readiness error (issue 8), fleets included.
func TestEveryFixtureIsProductionReady(t *testing.T) {
	check := func(name string, cfg config.Cluster, outdir string, fleet bool) {
		in, err := readiness.Load(cfg, outdir, stacks.StackName(cfg.Name, config.StackInfra, fleet), stacks.StackName(cfg.Name, config.StackAddons, fleet))
		if err != nil {
			t.Fatal(err)
		}
		if r := readiness.Evaluate(in); r.Failed() {
			t.Errorf("%s fails readiness:\n%s", name, strings.Join(r.Section().Lines, "\n"))
		}
	}
	for _, f := range synthAll(t) {
		check(f.Name, f.Config, f.Outdir, false)
	}
	for _, f := range synthFleets(t) {
		for _, cfg := range f.Fleet.Clusters {
			check(f.Name+"/"+cfg.Name, cfg, f.Outdir, true)
		}
	}
}
