// Package resources ships eksready's small local Helm chart,
// eksready-resources, with the `addons` stack as a CDKTF asset. The chart
// prints the Kubernetes objects it is given as values, so objects whose
// kinds are CRDs (Karpenter's EC2NodeClass and NodePool) or that have no
// chart of their own (the default StorageClass) go through the Helm
// provider like everything else: no CRD has to exist at plan time, and no
// Kubernetes provider is needed.
package resources

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

//go:embed chart
var chartFiles embed.FS

// Values is the chart's values: the objects, in order.
type Values struct {
	// Objects are complete Kubernetes manifests.
	Objects []any `json:"objects"`
}

// Header is what every object the chart prints starts with: its kind and
// name (cluster-scoped objects need no more metadata).
type Header struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   map[string]string `json:"metadata"`
}

// NewHeader is the header of a named object.
func NewHeader(apiVersion, kind, name string) Header {
	return Header{APIVersion: apiVersion, Kind: kind, Metadata: map[string]string{"name": name}}
}

// Chart is the chart as an asset of one stack.
type Chart struct {
	// Path is the chart's path relative to the stack's directory, where
	// Terraform runs ("./assets/<id>/<content hash>").
	Path *string
}

// NewChart writes the embedded chart into a fresh private folder inside
// the app's output directory and declares it as a directory asset. CDKTF
// copies it into the stack's output and names it by content hash, so the
// synthesized path is relative and the same on every machine. Call
// RemoveSources after the app's Synth.
//
// Not a shared temporary directory: a fixed path there (the chart's hash)
// could be created first by another user of the machine, who would then
// own it, or pre-filled with a template that would ship in the chart and
// be installed into the cluster.
func NewChart(scope constructs.Construct, id string) *Chart {
	dir, err := materialize(*cdktf.App_Of(scope).Outdir())
	if err != nil {
		// The chart is compiled into the binary; failing to write it into
		// the output directory is an environment problem worth stopping for.
		panic(fmt.Sprintf("resources: writing the eksready-resources chart: %v", err))
	}
	asset := cdktf.NewTerraformAsset(scope, jsii.String(id), &cdktf.TerraformAssetConfig{
		Path: jsii.String(dir),
		Type: cdktf.AssetType_DIRECTORY,
	})
	return &Chart{Path: jsii.String("./" + *asset.Path())}
}

// sourcePrefix starts the name of each folder materialize creates.
const sourcePrefix = ".eksready-resources-chart-"

// materialize writes the embedded chart into a new folder under outdir,
// created with os.MkdirTemp (a name nobody can predict, mode 0700), and
// returns the chart's path in it. Nothing already on disk is reused.
func materialize(outdir string) (string, error) {
	if err := os.MkdirAll(outdir, 0o755); err != nil {
		return "", err
	}
	root, err := os.MkdirTemp(outdir, sourcePrefix)
	if err != nil {
		return "", err
	}
	// cdktf resolves a relative asset path against the folder holding
	// cdktf.json, which need not be the working directory.
	if root, err = filepath.Abs(root); err != nil {
		return "", err
	}
	err = fs.WalkDir(chartFiles, "chart", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(root, filepath.FromSlash(p))
		if d.IsDir() {
			return os.Mkdir(target, 0o755)
		}
		b, err := chartFiles.ReadFile(p)
		if err != nil {
			return err
		}
		// O_EXCL: the folder is new, so every file must be too.
		f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		if _, err := f.Write(b); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	})
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "chart"), nil
}

// RemoveSources deletes the folders NewChart wrote into outdir, once the
// app has synthesized (and so copied the chart into the stack's assets).
func RemoveSources(outdir string) error {
	matches, err := filepath.Glob(filepath.Join(outdir, sourcePrefix+"*"))
	if err != nil {
		return err
	}
	for _, m := range matches {
		if err := os.RemoveAll(m); err != nil {
			return err
		}
	}
	return nil
}
