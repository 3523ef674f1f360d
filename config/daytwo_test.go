package config

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/eksready/eksready/catalog"
)

// Entries are keyed by a name: given, or derived from the principal's name.
func TestAccessEntryNames(t *testing.T) {
	c := mustLoad(t, `
access:
  entries:
    - {principalArn: "arn:aws:iam::123456789012:role/team/Platform-Admins", policy: admin}
    - {principalArn: "arn:aws:iam::123456789012:user/jane.doe@example.com", policy: view, namespaces: [payments]}
    - {name: auditors, principalArn: "arn:aws:iam::123456789012:role/ops", kubernetesGroups: [audit-readers]}
    - {principalArn: "arn:aws:iam::123456789012:role/hybrid-nodes", type: HYBRID_LINUX}
`)
	var names, types []string
	for _, e := range c.Access.Entries {
		names, types = append(names, e.EntryName()), append(types, e.Type)
	}
	if want := []string{"platform-admins", "jane-doe-example-com", "auditors", "hybrid-nodes"}; !slices.Equal(names, want) {
		t.Errorf("names %v, want %v", names, want)
	}
	if want := []string{"STANDARD", "STANDARD", "STANDARD", "HYBRID_LINUX"}; !slices.Equal(types, want) {
		t.Errorf("types %v, want %v (STANDARD by default)", types, want)
	}
}

// A pool may lag the control plane by one minor and never lead it; the
// messages are built from the catalog, which holds every version literal.
func TestPoolKubernetesVersion(t *testing.T) {
	supported := catalog.SupportedKubernetes()
	if len(supported) < 3 {
		t.Fatalf("the catalog supports %v; the test needs three minors", supported)
	}
	oldest, middle, newest := supported[len(supported)-3], supported[len(supported)-2], supported[len(supported)-1]
	at := func(cluster, pool string) string {
		return fmt.Sprintf("kubernetesVersion: %q\nnodes: {system: {kubernetesVersion: %q}}\n", cluster, pool)
	}

	c := mustLoad(t, at(newest, middle))
	if got := c.PoolKubernetesVersion(SystemPool); got != middle {
		t.Errorf("a lagging pool runs %s, want %s", got, middle)
	}
	if got := mustLoad(t, "").PoolKubernetesVersion(SystemPool); got != catalog.DefaultKubernetes {
		t.Errorf("a pool without a version runs %s, want the control plane's %s", got, catalog.DefaultKubernetes)
	}

	assertSameProblems(t, problemsOf(t, at(middle, newest)), []string{
		fmt.Sprintf(`nodes.system.kubernetesVersion: %q is newer than the control plane's kubernetesVersion %s: a kubelet must never be newer than the API server (Kubernetes version skew policy); upgrade the control plane first`, newest, middle),
	})
	assertSameProblems(t, problemsOf(t, at(newest, oldest)), []string{
		fmt.Sprintf(`nodes.system.kubernetesVersion: %q is 2 minors behind the control plane's kubernetesVersion %s: EKS requires managed nodes at the control plane's minor before it upgrades the control plane again, so a pool may lag by 1 (upgrade the control plane one minor at a time, each pool after it)`, oldest, newest),
	})
	assertSameProblems(t, problemsOf(t, at(newest, "latest")), []string{
		`nodes.system.kubernetesVersion: "latest" is not supported: eksready's version catalog (reviewed ` + catalog.Reviewed + `) knows no EKS release of it (supported: ` + strings.Join(supported, ", ") + `)`,
	})
	// An AL2023 release is built for one minor: it must be the pool's.
	release := newest + ".0-20260115"
	assertSameProblems(t, problemsOf(t, fmt.Sprintf("kubernetesVersion: %q\nnodes: {system: {os: al2023, kubernetesVersion: %q, amiReleaseVersion: %q}}\n", newest, middle, release)), []string{
		fmt.Sprintf(`nodes.system.amiReleaseVersion: %q is an AL2023 release for Kubernetes %s, but the pool runs %s; pin a release of %s or leave it empty`, release, newest, middle, middle),
	})
	mustLoad(t, fmt.Sprintf("kubernetesVersion: %q\nnodes: {system: {os: al2023, kubernetesVersion: %q, amiReleaseVersion: %q}}\n", newest, newest, release))
}
