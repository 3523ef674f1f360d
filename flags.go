package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/eksready/eksready/catalog"
)

// usage is what --help prints.
const usage = `eksready synthesizes a production-ready Amazon EKS platform as two Terraform
stacks: infra (every AWS resource) and addons (in-cluster software through
Helm), applied in that order.

Usage:
  eksready              synthesize into cdktf.out (or $CDKTF_OUTDIR) and print
                        the summary and the production-readiness report
  eksready --help       this text
  eksready --version    the build: module, version, VCS revision, catalog

Run it through the cdktf CLI (cdktf.json runs "go run ."):
  npx cdktf synth                     synthesize, as above
  npx cdktf deploy infra addons       apply infra, then addons
  npx cdktf destroy addons infra      the reverse (docs/upgrades.md: Deletion protection)

Configuration, first found wins:
  the cdktf context key eksready:config (a file or a clusters directory)
  $EKSREADY_CONFIG (a file or a clusters directory)
  ./cluster.yaml, or a fleet in ./clusters/ (one file per cluster)
  the built-in default (documented key by key in cluster.example.yaml)

An invalid configuration writes nothing and lists every problem; an
unwaived readiness error fails the run after writing the stacks.
`

// answerFlags answers --help and --version without synthesizing; it
// reports whether it handled the arguments and the exit code. Any other
// argument is an error: eksready reads its configuration from files, and
// an option it ignored would look configured but not be.
func answerFlags(args []string, w io.Writer, build func() (*debug.BuildInfo, bool)) (bool, int) {
	if len(args) == 0 {
		return false, 0
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(w, usage)
		return true, 0
	case "-version", "--version", "version":
		info, ok := build()
		fmt.Fprint(w, versionText(info, ok))
		return true, 0
	}
	fmt.Fprintf(w, "eksready: unknown argument %q: eksready reads its configuration from files and takes no arguments but --help and --version\n", args[0])
	return true, 2
}

// versionText describes the build from the Go toolchain's record of it:
// the main module and its version ("(devel)" for a build from a checkout),
// the VCS revision, its time and whether the tree had changes, the Go
// version, the cdktf and provider bindings it links, and the version
// catalog's review.
func versionText(info *debug.BuildInfo, ok bool) string {
	var b strings.Builder
	if !ok || info == nil {
		b.WriteString("eksready (no build information: built without module support)\n")
	} else {
		fmt.Fprintf(&b, "eksready %s\n", orUnknown(info.Main.Version))
		fmt.Fprintf(&b, "module    %s\n", orUnknown(info.Main.Path))
		settings := map[string]string{}
		for _, s := range info.Settings {
			settings[s.Key] = s.Value
		}
		if rev := settings["vcs.revision"]; rev != "" {
			state := ""
			if settings["vcs.modified"] == "true" {
				state = ", with uncommitted changes"
			}
			fmt.Fprintf(&b, "revision  %s (%s, %s%s)\n", rev, orUnknown(settings["vcs"]), orUnknown(settings["vcs.time"]), state)
		} else {
			b.WriteString("revision  unknown (no VCS information: go run, or a build outside the repository)\n")
		}
		fmt.Fprintf(&b, "go        %s\n", orUnknown(info.GoVersion))
		for _, d := range info.Deps {
			switch d.Path {
			case "github.com/hashicorp/terraform-cdk-go/cdktf", "github.com/cdktf/cdktf-provider-aws-go/aws/v19", "github.com/cdktf/cdktf-provider-helm-go/helm/v10":
				fmt.Fprintf(&b, "links     %s %s\n", d.Path, d.Version)
			}
		}
	}
	fmt.Fprintf(&b, "catalog   reviewed %s (Kubernetes default %s, supported %s); prices reviewed %s\n",
		catalog.Reviewed, catalog.DefaultKubernetes, strings.Join(catalog.SupportedKubernetes(), ", "), catalog.PricesReviewed)
	return b.String()
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
