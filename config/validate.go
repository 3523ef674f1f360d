package config

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/eksready/eksready/catalog"
)

var (
	clusterNameRe = regexp.MustCompile(`^[a-z][a-z0-9-]*[a-z0-9]$`)
	regionRe      = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$`)
	// An IAM role or user ARN: partition, empty region, 12-digit account.
	principalArnRe = regexp.MustCompile(`^arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::[0-9]{12}:(role|user)/[\w+=,.@/-]{1,512}$`)
	roleArnRe      = regexp.MustCompile(`^arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512}$`)
	// A Kubernetes label value, which node group names also become.
	labelValueRe = regexp.MustCompile(`^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$`)
	dnsLabelRe   = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	addonVerRe   = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+-eksbuild\.[0-9]+$`)
)

// maxClusterNameLength keeps derived names ("<name>-cluster-…" IAM roles,
// 38-character name prefixes, KMS aliases) within AWS limits.
const maxClusterNameLength = 32

// AccessPolicies maps the policy names accepted in access entries to the
// EKS access policy ARNs they grant.
var AccessPolicies = map[string]string{
	"cluster-admin": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
	"admin":         "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy",
	"edit":          "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy",
	"view":          "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
}

// logRetentionDays are the retention periods CloudWatch Logs accepts.
var logRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// reservedTagKeys are set by eksready on every resource; a user tag with
// the same key would silently lose.
var reservedTagKeys = []string{"eksready:cluster", "managed-by"}

// Validate checks a defaulted configuration and returns every problem at
// once (as Problems), or nil.
func Validate(c Cluster) error {
	var v collector
	validateCluster(c, &v)
	validateNetwork(c, &v)
	validateControlPlane(c.ControlPlane, &v)
	validateAccess(c.Access, &v)
	validateNodes(c, &v)
	validateCompute(c, &v)
	validateManagedAddons(c.ManagedAddons, c.AutoModeOn(), &v)
	validateSoftware(c, &v)
	validateReadiness(c.Readiness, &v)
	validateBackend(c.Backend, &v)
	return v.err()
}

func validateCluster(c Cluster, v *collector) {
	switch {
	case c.Name == "":
		v.missing("name", "is required")
	case len(c.Name) > maxClusterNameLength:
		v.add("name", c.Name, "is %d characters long; at most %d are allowed", len(c.Name), maxClusterNameLength)
	case !clusterNameRe.MatchString(c.Name):
		v.add("name", c.Name, "must be lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen")
	}
	if !regionRe.MatchString(c.Region) {
		v.add("region", c.Region, "is not an AWS region name (like eu-west-1)")
	}
	validateKubernetesVersion(c.KubernetesVersion, v)
	for _, k := range sortedKeys(c.Tags) {
		path := "tags." + k
		switch {
		case slices.Contains(reservedTagKeys, k):
			v.add(path, c.Tags[k], "overrides a tag eksready sets on every resource (%s)", strings.Join(reservedTagKeys, ", "))
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			v.missing(path, "tag keys starting with \"aws:\" are reserved by AWS")
		case len(k) > 128:
			v.missing(path, "tag keys are at most 128 characters")
		case len(c.Tags[k]) > 256:
			v.add(path, c.Tags[k], "is longer than the 256 characters a tag value may have")
		}
	}
	if !slices.Contains([]string{"pod-identity", "irsa"}, c.WorkloadIdentity) {
		v.add("workloadIdentity", c.WorkloadIdentity, "must be pod-identity or irsa")
	}
}

func enumStrings[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func joinInts(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprint(x)
	}
	return strings.Join(parts, ", ")
}

// Warnings are choices that are valid but weaken the cluster; the synth
// summary prints them so they are made knowingly.
func Warnings(c Cluster) []Problem {
	var w collector
	ep := c.ControlPlane.Endpoint
	if ep.PublicAccess != nil && *ep.PublicAccess && slices.Contains(ep.PublicAccessCidrs, "0.0.0.0/0") {
		w.add("controlPlane.endpoint.publicAccessCidrs", ep.PublicAccessCidrs, "opens the public API endpoint to the whole internet; list your office, VPN and CI ranges instead")
	}
	if r, ok := catalog.Release(c.KubernetesVersion); ok && r.Supported() && !r.InStandardSupport() {
		consequence := "EKS will upgrade the cluster soon after it is created (upgrade policy STANDARD)"
		if c.ControlPlane.UpgradePolicy == "EXTENDED" {
			consequence = "the cluster runs on extended support, charged per hour, until " + r.EndOfExtendedSupport
		}
		w.add("kubernetesVersion", c.KubernetesVersion, "left standard support on %s: %s", r.EndOfStandardSupport, consequence)
	}
	untestedChartWarnings(c, &w)
	if c.ControlPlane.UpgradePolicy == "EXTENDED" {
		w.add("controlPlane.upgradePolicy", c.ControlPlane.UpgradePolicy, "keeps the cluster on a version past standard support at extra hourly cost")
	}
	return w.problems
}
