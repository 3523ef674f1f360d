// Command schemaprovider is a stand-in Terraform provider for tests: it
// serves a real provider's schema, recorded with `terraform providers
// schema -json` (schemas/), and otherwise behaves like a mock.
// Configuration and validation accept anything the schema accepts; plan
// returns the proposed state with unknown computed attributes; apply fills
// them with placeholder values; read returns the state.
//
// One binary serves every recorded provider: installed as
// terraform-provider-<type>_v<version> (the file name Terraform's provider
// installation requires), it serves
// schemas/terraform-provider-<type>-<version>.schema.json. Today that is
// hashicorp/helm 2.17.0 (the addons stacks) and hashicorp/tfe 0.65.2 (the
// bootstrap stack).
//
// It exists because no Helm or tfe provider binary can be installed on the
// machines that run eksready's tests. With it installed under the real
// provider's address and version, `terraform validate` and `terraform test`
// check what Terraform itself checks against the real schema: attribute
// and block names, types, required arguments, references, depends_on, the
// provider block's shape and every expression. It does not do what the
// real provider does at run time (reach a cluster or HCP Terraform, fetch
// or render charts, check values against a chart, enforce the provider's
// own validators, such as tfe's execution mode values): a configuration it
// accepts can still fail against the real provider.
//
// Terraform starts it as a plugin; run directly it only says so.
package main

import (
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5/tf5server"
)

// schemas are `terraform providers schema -json` of each provider served,
// named terraform-provider-<type>-<version>.schema.json.
//
//go:embed schemas/*.schema.json
var schemas embed.FS

// pluginNameRe is a provider plugin's file name as Terraform requires it
// in a filesystem mirror: terraform-provider-<type>_v<version>.
var pluginNameRe = regexp.MustCompile(`^terraform-provider-([a-z0-9-]+)_v([0-9]+\.[0-9]+\.[0-9]+)$`)

// SchemaFor returns the recorded schema a plugin of this file name serves.
func SchemaFor(executable string) ([]byte, error) {
	m := pluginNameRe.FindStringSubmatch(filepath.Base(executable))
	if m == nil {
		return nil, fmt.Errorf("schemaprovider: installed as %q; install it as terraform-provider-<type>_v<version> to serve that provider's recorded schema", filepath.Base(executable))
	}
	data, err := schemas.ReadFile("schemas/terraform-provider-" + m[1] + "-" + m[2] + ".schema.json")
	if err != nil {
		return nil, fmt.Errorf("schemaprovider: no recorded schema for %s %s", m[1], m[2])
	}
	return data, nil
}

func main() {
	// The name Terraform started the plugin by, not the resolved
	// executable: the plugin cache may link it from elsewhere.
	data, err := SchemaFor(os.Args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rec, err := ParseRecorded(data)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := tf5server.Serve(rec.Address, func() tfprotov5.ProviderServer { return NewServer(rec) }); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
