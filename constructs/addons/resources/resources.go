// Package resources ships eksready's small local Helm chart,
// eksready-resources, with the `addons` stack as a CDKTF asset. The chart
// prints the Kubernetes objects it is given as values, so objects whose
// kinds are CRDs (Karpenter's EC2NodeClass and NodePool) or that have no
// chart of their own (the default StorageClass) go through the Helm
// provider like everything else: no CRD has to exist at plan time, and no
// Kubernetes provider is needed.
package resources

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

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

// NewChart copies the embedded chart to a folder named after its content
// and declares it as a directory asset. CDKTF copies it into the stack's
// output and names it by content hash, so the synthesized path is relative
// and the same on every machine.
func NewChart(scope constructs.Construct, id string) *Chart {
	dir, err := materialize()
	if err != nil {
		// The chart is compiled into the binary; failing to write it to
		// the temporary directory is an environment problem worth stopping for.
		panic(fmt.Sprintf("resources: writing the eksready-resources chart: %v", err))
	}
	asset := cdktf.NewTerraformAsset(scope, jsii.String(id), &cdktf.TerraformAssetConfig{
		Path: jsii.String(dir),
		Type: cdktf.AssetType_DIRECTORY,
	})
	return &Chart{Path: jsii.String("./" + *asset.Path())}
}

// materialize writes the chart under the temporary directory, in a folder
// named after its content hash so repeated synths reuse it.
func materialize() (string, error) {
	files := map[string][]byte{}
	err := fs.WalkDir(chartFiles, "chart", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := chartFiles.ReadFile(p)
		files[p] = b
		return err
	})
	if err != nil {
		return "", err
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(files[n]))
		h.Write(files[n])
	}
	root := filepath.Join(os.TempDir(), "eksready-resources-chart-"+hex.EncodeToString(h.Sum(nil))[:16])
	for _, n := range names {
		target := filepath.Join(root, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(target, files[n], 0o644); err != nil {
			return "", err
		}
	}
	return filepath.Join(root, "chart"), nil
}
