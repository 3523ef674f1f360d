package stacks

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/jsii-runtime-go"
	"github.com/eksready/eksready/report"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/constructs/addons/resources"
)

// StackName names a cluster's stack of one kind (config.StackInfra or
// config.StackAddons): the kind itself for a single cluster, so that
// `cdktf deploy infra addons` works as documented, and
// `<cluster>-<kind>` in a fleet, so that every cluster's pair is distinct
// and `cdktf deploy 'prod-*'` selects one cluster.
func StackName(cluster, kind string, fleet bool) string {
	if fleet {
		return cluster + "-" + kind
	}
	return kind
}

// Synth builds both stacks of one validated configuration, named `infra`
// and `addons`, and writes them under outdir (cdktf.out by convention).
func Synth(cfg config.Cluster, outdir string) error {
	return synth(outdir, false, []config.Cluster{cfg})
}

// SynthFleet builds the stacks of every cluster of a validated fleet,
// `<cluster>-infra` and `<cluster>-addons`, into one cdktf app under
// outdir: one synth, one manifest, every `addons` depending only on its
// own cluster's `infra`.
func SynthFleet(clusters []config.Cluster, outdir string) error {
	return synth(outdir, true, clusters)
}

// SynthRepository synthesizes what config.LoadRepository loaded.
func SynthRepository(repo config.Repository, outdir string) error {
	return synth(outdir, repo.Fleet, repo.Clusters)
}

func synth(outdir string, fleet bool, clusters []config.Cluster) (err error) {
	// cdktf creates only the last path element itself.
	if err := os.MkdirAll(filepath.Dir(outdir), 0o755); err != nil {
		return err
	}
	// jsii reports a failure in the node process (a write refused, a disk
	// full) as a Go panic; the user gets its message, not a stack trace.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("synthesizing into %s failed: %v", outdir, r)
		}
	}()
	// The bootstrap's own checks run before any construct exists.
	managers := config.BootstrapClusters(clusters)
	if len(managers) > 0 {
		if _, err := planBootstrap(managers); err != nil {
			return err
		}
	}
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(outdir)})
	for _, cfg := range clusters {
		infra, err := NewInfra(app, StackName(cfg.Name, config.StackInfra, fleet), cfg)
		if err != nil {
			return err
		}
		NewAddons(app, StackName(cfg.Name, config.StackAddons, fleet), cfg, infra)
	}
	if len(managers) > 0 {
		// No stack dependency on it: cdktf would then refuse to deploy one
		// cluster's stacks (`cdktf deploy 'prod-*'`) without it. The
		// summary states the order instead.
		if _, err := NewBootstrap(app, managers); err != nil {
			return err
		}
	}
	app.Synth()
	// The chart's source folder has been copied into the stack's assets.
	return resources.RemoveSources(outdir)
}

// StackNames lists the stacks a synth of the repository writes: the
// bootstrap stack first when a cluster manages its HCP Terraform
// workspaces, then each cluster's infra and addons.
func StackNames(repo config.Repository) []string {
	var names []string
	if len(config.BootstrapClusters(repo.Clusters)) > 0 {
		names = append(names, BootstrapStackName)
	}
	for _, c := range repo.Clusters {
		for _, kind := range config.StackKinds {
			names = append(names, StackName(c.Name, kind, repo.Fleet))
		}
	}
	return names
}

// SummarySections are the configuration-derived blocks of the synth
// summary: what was built from which file, the IP capacity table, and
// warnings.
func SummarySections(cfg config.Cluster) []report.Section {
	return RepositorySummarySections(config.Repository{Clusters: []config.Cluster{cfg}})
}

// RepositorySummarySections are SummarySections for every cluster of a
// repository; in a fleet each line names its cluster.
func RepositorySummarySections(repo config.Repository) []report.Section {
	var clusters, capacity, accelerators, warnings, baselines []string
	for i, cfg := range repo.Clusters {
		line := fmt.Sprintf("%s in %s, Kubernetes %s, %s state", cfg.Name, cfg.Region, cfg.KubernetesVersion, cfg.Backend.Type)
		prefix := ""
		if repo.Fleet {
			line += " (" + repo.Files[i] + ")"
			prefix = cfg.Name + ": "
		}
		clusters = append(clusters, line)
		if repo.Fleet {
			capacity = append(capacity, cfg.Name+":")
		}
		capacity = append(capacity, config.CapacitySummary(cfg)...)
		for _, l := range config.AcceleratorLines(cfg) {
			accelerators = append(accelerators, prefix+l)
		}
		for _, w := range config.Warnings(cfg) {
			warnings = append(warnings, prefix+w.String())
		}
		for _, line := range config.BaselineSummary(cfg) {
			baselines = append(baselines, prefix+line)
		}
	}
	title := "cluster"
	if repo.Fleet {
		title = "clusters"
	}
	return []report.Section{
		{Title: title, Lines: clusters},
		{Title: "HCP Terraform bootstrap", Lines: BootstrapSummary(repo)},
		{Title: "IP capacity at max scale", Lines: capacity},
		{Title: "accelerated pools", Lines: accelerators},
		{Title: "production baseline", Lines: baselines},
		{Title: "warnings", Lines: warnings},
	}
}
