// Command schemaprovider is a stand-in Terraform provider for tests: it
// serves the real hashicorp/helm 2.17.0 provider's schema, recorded with
// `terraform providers schema -json` (schemas/), and otherwise behaves like
// a mock. Configuration and validation accept anything the schema accepts;
// plan returns the proposed state with unknown computed attributes; apply
// fills them with placeholder values; read returns the state.
//
// It exists because no Helm provider binary can be installed on the
// machines that run eksready's tests. With it installed as
// registry.terraform.io/hashicorp/helm 2.17.0, `terraform validate` and
// `terraform test` check what Terraform itself checks against the real
// schema: attribute and block names, types, required arguments, references,
// depends_on, the provider block's shape and every expression. It does not
// do what the Helm provider does at run time (reach a cluster, fetch or
// render charts, check values against a chart, validate the kubeconfig):
// a configuration it accepts can still fail against the real provider.
//
// Terraform starts it as a plugin; run directly it only says so.
package main

import (
	_ "embed"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5/tf5server"
)

// helmSchema is `terraform providers schema -json` of hashicorp/helm
// 2.17.0, the version the addons stack requires (~> 2.17).
//
//go:embed schemas/terraform-provider-helm-2.17.0.schema.json
var helmSchema []byte

func main() {
	rec, err := ParseRecorded(helmSchema)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := tf5server.Serve(rec.Address, func() tfprotov5.ProviderServer { return NewServer(rec) }); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
