package catalog

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestTheCalendarIsOrderedAndDated(t *testing.T) {
	for i, r := range KubernetesReleases {
		for _, d := range []string{r.Released, r.EndOfStandardSupport, r.EndOfExtendedSupport} {
			if _, err := time.Parse(time.DateOnly, d); err != nil {
				t.Errorf("%s: %v", r.Version, err)
			}
		}
		if !(r.Released < r.EndOfStandardSupport && r.EndOfStandardSupport < r.EndOfExtendedSupport) {
			t.Errorf("%s: dates out of order: %+v", r.Version, r)
		}
		if i > 0 && compareVersions(KubernetesReleases[i-1].Version, r.Version) >= 0 {
			t.Errorf("%s is listed after %s", r.Version, KubernetesReleases[i-1].Version)
		}
	}
	if _, err := time.Parse(time.DateOnly, Reviewed); err != nil {
		t.Error(err)
	}
}

// TestTheCalendarFollowsEKSAndSaysWhereFrom: every row names its source,
// the versions the EKS calendar lists take its dates, and every row keeps
// the calendar's rule to the day (14 months of standard support from the
// EKS release, then 12 of extended), which a date copied from elsewhere
// (endoflife.date was one to four days off for 1.32-1.34) breaks.
func TestTheCalendarFollowsEKSAndSaysWhereFrom(t *testing.T) {
	// The versions of KubernetesReleases the EKS calendar (commit 0138560)
	// lists: 1.29 to 1.34.
	inCalendar := []string{"1.31", "1.32", "1.33", "1.34"}
	for _, r := range KubernetesReleases {
		if r.Source == "" {
			t.Errorf("%s names no source", r.Version)
		}
		if slices.Contains(inCalendar, r.Version) != (r.Source == eksCalendar) {
			t.Errorf("%s: source %q; the EKS calendar lists 1.29-1.34 and is the source for exactly those", r.Version, r.Source)
		}
		released, _ := time.Parse(time.DateOnly, r.Released)
		if want := released.AddDate(0, 14, 0).Format(time.DateOnly); r.EndOfStandardSupport != want {
			t.Errorf("%s: released %s, standard support until %s; EKS gives 14 months (%s)", r.Version, r.Released, r.EndOfStandardSupport, want)
		}
		standard, _ := time.Parse(time.DateOnly, r.EndOfStandardSupport)
		if want := standard.AddDate(0, 12, 0).Format(time.DateOnly); r.EndOfExtendedSupport != want {
			t.Errorf("%s: extended support until %s; EKS gives 12 months after standard support (%s)", r.Version, r.EndOfExtendedSupport, want)
		}
	}
	// The calendar's own dates for the versions it lists.
	for v, released := range map[string]string{"1.31": "2024-09-26", "1.32": "2025-01-23", "1.33": "2025-05-29", "1.34": "2025-10-02"} {
		if r, _ := Release(v); r.Released != released {
			t.Errorf("%s released %s; the EKS calendar says %s", v, r.Released, released)
		}
	}
}

// The review of 2026-11-30: 1.32-1.36 supported, 1.31 gone, 1.37 unknown.
func TestSupportedVersionsOnTheReviewDate(t *testing.T) {
	if got := strings.Join(SupportedKubernetes(), ","); got != "1.32,1.33,1.34,1.35,1.36" {
		t.Errorf("supported = %s", got)
	}
	if r, ok := Release("1.31"); !ok || r.Supported() || r.EndOfExtendedSupport != "2026-11-26" {
		t.Errorf("1.31 = %+v, %v: it left extended support on 2026-11-26", r, ok)
	}
	if _, ok := Release("1.37"); ok {
		t.Error("no AWS source for EKS 1.37 was found; it must not be listed")
	}
	if r, _ := Release("1.34"); !r.InStandardSupport() {
		t.Error("1.34 is in standard support until 2026-12-02")
	}
}

func TestDefaultIsTheNewestVersionInStandardSupport(t *testing.T) {
	var newest string
	for _, r := range KubernetesReleases {
		if r.InStandardSupport() {
			newest = r.Version
		}
	}
	if DefaultKubernetes != newest {
		t.Errorf("default %s, newest in standard support %s", DefaultKubernetes, newest)
	}
}

func TestEveryPinIsExact(t *testing.T) {
	exact := regexp.MustCompile(`^v?\d+\.\d+\.\d+$`)
	for _, c := range Components() {
		if len(c.Pins) == 0 {
			t.Errorf("%s has no pin", c.Name)
		}
		for _, p := range c.Pins {
			if p.Repository == "" || p.Name == "" || !exact.MatchString(p.Version) || p.AppVersion == "" || len(p.Kubernetes) == 0 {
				t.Errorf("%s: %+v is not an exact pin with a repository and supported versions", c.Name, p)
			}
			if p.ImageTag != "" && !exact.MatchString(p.ImageTag) {
				t.Errorf("%s: image tag %q is not exact", c.Name, p.ImageTag)
			}
		}
	}
	if KarpenterCRD.Pins[0].Version != Karpenter.Pins[0].Version {
		t.Error("karpenter-crd and karpenter must be the same version")
	}
}

// Every Kubernetes version eksready accepts has, for every component, a pin
// that supports it, or is listed as untested with a reason (which the synth
// summary prints as a warning). The autoscalers and the add-ons on by
// default may have no such gap.
func TestEveryAcceptedVersionHasAPinForEveryComponent(t *testing.T) {
	noGaps := []string{ClusterAutoscaler.Name, Karpenter.Name, KarpenterCRD.Name, MetricsServer.Name, AwsLoadBalancerController.Name}
	for _, c := range Components() {
		for _, v := range SupportedKubernetes() {
			_, ok := c.For(v)
			reason := c.Untested[v]
			if _, installs := c.Install(v); !installs {
				t.Errorf("nothing to install for %s on Kubernetes %s", c.Name, v)
			}
			switch {
			case !ok && reason == "":
				t.Errorf("Kubernetes %s has no %s pin that supports it", v, c.Name)
			case ok && reason != "":
				t.Errorf("%s lists Kubernetes %s as untested, yet a pin supports it", c.Name, v)
			case reason != "" && slices.Contains(noGaps, c.Name):
				t.Errorf("%s must support every accepted version; %s: %s", c.Name, v, reason)
			}
		}
		for v := range c.Untested {
			if r, ok := Release(v); !ok || !r.Supported() {
				t.Errorf("%s: untested entry %s is not an accepted version", c.Name, v)
			}
		}
	}
}

func TestKarpenterMeetsTheCompatibilityFloorOfEveryAcceptedVersion(t *testing.T) {
	for _, v := range SupportedKubernetes() {
		floor, ok := KarpenterFloor(v)
		pin, pinned := Karpenter.For(v)
		if !ok || !pinned || CompareVersions(pin.Version, floor) < 0 {
			t.Errorf("Kubernetes %s needs Karpenter >= %q; pinned %q", v, floor, pin.Version)
		}
	}
	if pin, _ := Karpenter.For("1.36"); CompareVersions(pin.Version, "1.13.0") < 0 {
		t.Errorf("Kubernetes 1.36 needs Karpenter 1.13 or later, pinned %s", pin.Version)
	}
}

func TestClusterAutoscalerMatchesTheKubernetesMinor(t *testing.T) {
	for _, v := range SupportedKubernetes() {
		c, ok := ClusterAutoscaler.For(v)
		if !ok || !strings.HasPrefix(c.AppVersion, v+".") || (c.ImageTag != "" && c.ImageTag != "v"+c.AppVersion) {
			t.Errorf("Kubernetes %s gets cluster-autoscaler %+v", v, c)
		}
	}
	if c, _ := ClusterAutoscaler.For("1.36"); c.ImageTag != "v1.36.1" {
		t.Errorf("1.36 runs %+v, want image v1.36.1", c)
	}
	if _, ok := ClusterAutoscaler.For("1.20"); ok {
		t.Error("an unpinned version must report false")
	}
}

func TestForPicksTheNewestPinThatSupportsTheVersion(t *testing.T) {
	if c, _ := CertManager.For("1.32"); c.Version != "v1.20.3" {
		t.Errorf("1.32 gets cert-manager %s", c.Version)
	}
	if c, _ := CertManager.For("1.35"); c.Version != "v1.21.1" {
		t.Errorf("1.35 gets cert-manager %s", c.Version)
	}
	if got := strings.Join(CertManager.Kubernetes(), ","); got != "1.32,1.33,1.34,1.35,1.36" {
		t.Errorf("cert-manager supports %s", got)
	}
}

func TestCompareVersions(t *testing.T) {
	for _, c := range []struct {
		a, b string
		sign int
	}{{"1.13.0", "1.9.1", 1}, {"v1.21.1", "1.21.1", 0}, {"1.36", "1.36.0", 0}, {"1.2", "1.10", -1}} {
		got := CompareVersions(c.a, c.b)
		if (got > 0) != (c.sign > 0) || (got < 0) != (c.sign < 0) {
			t.Errorf("CompareVersions(%s, %s) = %d", c.a, c.b, got)
		}
	}
}
