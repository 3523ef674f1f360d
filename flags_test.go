package main

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/eksready/eksready/catalog"
)

func TestHelpAndVersionAnswerWithoutSynthesizing(t *testing.T) {
	build := func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{
			GoVersion: "go1.26.8",
			Main:      debug.Module{Path: "github.com/eksready/eksready", Version: "(devel)"},
			Deps:      []*debug.Module{{Path: "github.com/hashicorp/terraform-cdk-go/cdktf", Version: "v0.20.12"}, {Path: "golang.org/x/text", Version: "v0.1.0"}},
			Settings: []debug.BuildSetting{
				{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "dced8cb0123456789"},
				{Key: "vcs.time", Value: "2026-11-30T03:35:33Z"}, {Key: "vcs.modified", Value: "true"},
			},
		}, true
	}
	var out bytes.Buffer
	if handled, code := answerFlags([]string{"--version"}, &out, build); !handled || code != 0 {
		t.Fatalf("--version: handled %v, exit %d", handled, code)
	}
	want := "eksready (devel)\n" +
		"module    github.com/eksready/eksready\n" +
		"revision  dced8cb0123456789 (git, 2026-11-30T03:35:33Z, with uncommitted changes)\n" +
		"go        go1.26.8\n" +
		"links     github.com/hashicorp/terraform-cdk-go/cdktf v0.20.12\n" +
		"catalog   reviewed " + catalog.Reviewed + " (Kubernetes default " + catalog.DefaultKubernetes + ", supported " + strings.Join(catalog.SupportedKubernetes(), ", ") + "); prices reviewed " + catalog.PricesReviewed + "\n"
	if out.String() != want {
		t.Errorf("--version printed\n%s\nwant\n%s", out.String(), want)
	}

	out.Reset()
	noVCS := func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{Main: debug.Module{Path: "github.com/eksready/eksready", Version: "v1.2.0"}}, true
	}
	answerFlags([]string{"-version"}, &out, noVCS)
	if !strings.HasPrefix(out.String(), "eksready v1.2.0\n") || !strings.Contains(out.String(), "revision  unknown (no VCS information") {
		t.Errorf("a build without VCS information:\n%s", out.String())
	}
	out.Reset()
	answerFlags([]string{"--version"}, &out, func() (*debug.BuildInfo, bool) { return nil, false })
	if !strings.HasPrefix(out.String(), "eksready (no build information") {
		t.Errorf("no build information:\n%s", out.String())
	}

	for _, arg := range []string{"--help", "-h", "help"} {
		out.Reset()
		if handled, code := answerFlags([]string{arg}, &out, build); !handled || code != 0 || !strings.HasPrefix(out.String(), "eksready synthesizes") || !strings.Contains(out.String(), "npx cdktf deploy infra addons") {
			t.Errorf("%s: handled %v, exit %d:\n%s", arg, handled, code, out.String())
		}
	}

	out.Reset()
	if handled, code := answerFlags([]string{"--region", "eu-west-1"}, &out, build); !handled || code != 2 || out.String() != "eksready: unknown argument \"--region\": eksready reads its configuration from files and takes no arguments but --help and --version\n" {
		t.Errorf("an unknown argument: handled %v, exit %d: %q", handled, code, out.String())
	}
	if handled, _ := answerFlags(nil, &out, build); handled {
		t.Error("no arguments must synthesize")
	}
}
