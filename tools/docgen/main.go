// Command docgen writes eksready's generated reference from the code that
// loads and checks a configuration, so the documentation cannot drift from
// it:
//
//   - docs/configuration.md and the JSON Schemas in docs/schema/ from the
//     config types (YAML keys from their tags, descriptions from their doc
//     comments, types by reflection), the built-in defaults (config.Default,
//     config.StaticDefault, config.ElementDefault, and the loader itself for
//     defaults that depend on another setting) and the value lists
//     validation checks against (config.AllowedValues);
//   - docs/readiness.md from the readiness rules (readiness.Rules).
//
// `make docs` runs it from the repository root; a test fails while a
// committed file differs from what it would write. It is a development
// tool: nothing in the product imports it.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/eksready/eksready/report/readiness"
)

// Generated files, relative to the repository root.
const (
	configurationFile = "docs/configuration.md"
	readinessFile     = "docs/readiness.md"
	clusterSchemaFile = "docs/schema/cluster.schema.json"
	fleetClusterFile  = "docs/schema/fleet-cluster.schema.json"
	fleetSchemaFile   = "docs/schema/fleet.schema.json"
)

func main() {
	root := flag.String("root", ".", "repository root (where go.mod is)")
	flag.Parse()
	files, err := generate(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "docgen:", err)
		os.Exit(1)
	}
	for _, name := range sortedKeys(files) {
		path := filepath.Join(*root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "docgen:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "docgen:", err)
			os.Exit(1)
		}
		fmt.Println("wrote", name)
	}
}

// generate renders every generated file, by its path from the root.
func generate(root string) (map[string][]byte, error) {
	docs, err := newDocIndex(root)
	if err != nil {
		return nil, err
	}
	cluster, err := clusterSettings(docs)
	if err != nil {
		return nil, err
	}
	fleet, err := fleetSettings(docs, cluster)
	if err != nil {
		return nil, err
	}
	rules, err := readinessPage(readiness.Rules())
	if err != nil {
		return nil, err
	}
	const seeDocs = "Generated from eksready's config package by `make docs`; docs/configuration.md describes every key and what the schema cannot check."
	return map[string][]byte{
		configurationFile: []byte(configurationPage(cluster, fleet)),
		readinessFile:     []byte(rules),
		clusterSchemaFile: schemaFile("eksready cluster configuration (cluster.yaml)", seeDocs, cluster, false),
		fleetClusterFile:  schemaFile("eksready cluster file in a fleet (clusters/<name>.yaml)", seeDocs+" Any key may be null: it removes what _fleet.yaml's defaults set.", cluster, true),
		fleetSchemaFile:   schemaFile("eksready fleet settings (clusters/_fleet.yaml)", seeDocs, fleet, false),
	}, nil
}
