package config

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/eksready/eksready/catalog"
)

var (
	clusterNameRe = regexp.MustCompile(`^[a-z]([a-z0-9-]*[a-z0-9])?$`)
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
// EKS access policies they grant.
var AccessPolicies = map[string]string{
	"cluster-admin": "AmazonEKSClusterAdminPolicy",
	"admin":         "AmazonEKSAdminPolicy",
	"edit":          "AmazonEKSEditPolicy",
	"view":          "AmazonEKSViewPolicy",
}

// AccessPolicyArn is the ARN of an access policy by its name here, in the
// given partition (a plan-time token is fine): AWS owns the policies in
// every partition, so only the partition differs (arn:aws-cn:eks::aws:…).
func AccessPolicyArn(partition, name string) string {
	return EKSAccessPolicyArn(partition, AccessPolicies[name])
}

// EKSAccessPolicyArn is the ARN of an EKS access policy by its AWS name
// (AmazonEKSAutoNodePolicy) in the given partition.
func EKSAccessPolicyArn(partition, policy string) string {
	return "arn:" + partition + ":eks::aws:cluster-access-policy/" + policy
}

// LogRetentionDays are the retention periods CloudWatch Logs accepts
// (controlPlane.logging.retentionDays, network.flowLogs.retentionDays).
var LogRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// reservedTagKeys are set by eksready on every resource; a user tag with
// the same key would silently lose.
var reservedTagKeys = []string{"eksready:cluster", "managed-by"}

// reservedTagPrefixes are tag keys eksready, Kubernetes and Karpenter set
// on some resources (subnet discovery, node groups, launch templates).
// Resource tags override the provider's default_tags, so a user tag with
// such a key would silently lose on exactly those resources.
var reservedTagPrefixes = []string{"eksready:", "kubernetes.io/", "k8s.io/", "karpenter.sh/", "karpenter.k8s.aws/"}

// Tag limits shared by every AWS service eksready tags (the common tagging
// rules, e.g. docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
// and the EKS, IAM and KMS Tag types): at most 50 tags on a resource, keys
// of 1–128 and values of 0–256 Unicode characters, letters, digits, spaces
// and + - = . _ : / @ only, and no key starting with "aws:" in any case.
// The provider's default_tags carry user tags to every resource, so the
// strictest service's rules are the ones that hold.
const (
	maxTagsPerResource = 50
	maxTagKeyLength    = 128
	maxTagValueLength  = 256
	// EksreadyTagsPerResource is the most tags eksready itself puts on one
	// resource: eksready:cluster and managed-by everywhere, plus a subnet's
	// Name, kubernetes.io/cluster/<name>, kubernetes.io/role/… and
	// karpenter.sh/discovery. A whole-app test checks it against every
	// synthesized fixture.
	EksreadyTagsPerResource = 6
)

var tagCharsRe = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

func validateTags(tags map[string]string, v *collector) {
	if room := maxTagsPerResource - EksreadyTagsPerResource; len(tags) > room {
		v.missing("tags", "has %d tags; AWS allows %d on a resource and eksready sets up to %d itself, so at most %d are left", len(tags), maxTagsPerResource, EksreadyTagsPerResource, room)
	}
	for _, k := range sortedKeys(tags) {
		path, value := "tags."+k, tags[k]
		switch {
		case k == "":
			v.missing("tags", "has an empty key; AWS tag keys are 1 to %d characters", maxTagKeyLength)
		case slices.Contains(reservedTagKeys, k):
			v.add(path, value, "overrides a tag eksready sets on every resource (%s)", strings.Join(reservedTagKeys, ", "))
		case k == "Name" || slices.ContainsFunc(reservedTagPrefixes, func(p string) bool { return strings.HasPrefix(k, p) }):
			v.missing(path, "is a key eksready sets on some resources (Name, and keys starting with %s), where it would silently replace this tag", strings.Join(reservedTagPrefixes, ", "))
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			v.missing(path, "tag keys starting with \"aws:\" are reserved by AWS")
		case utf8.RuneCountInString(k) > maxTagKeyLength:
			v.missing(path, "tag keys are at most %d characters", maxTagKeyLength)
		case !tagCharsRe.MatchString(k):
			v.missing(path, "tag keys may hold only letters, digits, spaces and + - = . _ : / @")
		}
		switch {
		case utf8.RuneCountInString(value) > maxTagValueLength:
			v.missing(path, "is longer than the %d characters a tag value may have", maxTagValueLength)
		case !tagCharsRe.MatchString(value):
			v.add(path, value, "is not a valid tag value: letters, digits, spaces and + - = . _ : / @ only")
		}
	}
}

// Validate checks a defaulted configuration and returns every problem at
// once (as Problems), or nil.
func Validate(c Cluster) error {
	var v collector
	validateCluster(c, &v)
	validateNetwork(c, &v)
	validateControlPlane(c.ControlPlane, &v)
	validateAccess(c.Access, c.Region, &v)
	validateNodes(c, &v)
	validateCompute(c, &v)
	validateManagedAddons(c.ManagedAddons, c.AutoModeOn(), &v)
	validateSoftware(c, &v)
	validateBaseline(c, &v)
	validateReadiness(c.Readiness, &v)
	validateBackend(c.Backend, &v)
	validateWorkspaceManagement(c, &v)
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
	if rule := regionProblem(c.Region); rule != "" {
		v.add("region", c.Region, "%s", rule)
	}
	validateKubernetesVersion(c.KubernetesVersion, v)
	validateTags(c.Tags, v)
	if !slices.Contains(WorkloadIdentities, c.WorkloadIdentity) {
		v.add("workloadIdentity", c.WorkloadIdentity, "must be pod-identity or irsa")
	}
}

// WorkloadIdentities are the accepted Cluster.WorkloadIdentity values.
var WorkloadIdentities = []string{"pod-identity", "irsa"}

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
// summary prints them so they are made knowingly. What the
// production-readiness report finds (an open public endpoint, the EXTENDED
// upgrade policy: BP-PUBLIC-ENDPOINT, BP-UPGRADE-POLICY) is left to it, so
// every finding prints once.
func Warnings(c Cluster) []Problem {
	var w collector
	if r, ok := catalog.Release(c.KubernetesVersion); ok && r.Supported() && !r.InStandardSupport() {
		consequence := "EKS will upgrade the cluster soon after it is created (upgrade policy STANDARD)"
		if c.ControlPlane.UpgradePolicy == "EXTENDED" {
			consequence = "the cluster runs on extended support, charged per hour, until " + r.EndOfExtendedSupport
		}
		w.add("kubernetesVersion", c.KubernetesVersion, "left standard support on %s: %s", r.EndOfStandardSupport, consequence)
	}
	untestedChartWarnings(c, &w)
	zones := c.Network.AvailabilityZoneCount
	groups := 0
	for _, name := range sortedKeys(c.Nodes) {
		p, path := c.Nodes[name], "nodes."+name
		groups += zones * len(p.Generations)
		if p.MaxSize > nodesPerNodeGroupQuota && p.MaxSize <= maxClusterNodes {
			w.add(path+".maxSize", p.MaxSize, "is above the %d nodes per managed node group EKS allows by default: raise the service quota first (sizes are per zone: %d zones make %d nodes at most)", nodesPerNodeGroupQuota, zones, p.MaxSize*zones)
		}
		if c.Software.Autoscaling == AutoscalingKarpenter && name != SystemPool && p.MinSize == 0 && deref(p.DesiredSize) == 0 {
			w.add(path+".minSize", 0, "with desiredSize 0 leaves the pool empty, and nothing scales it: Karpenter launches its own nodes and never grows a managed node group (remove the pool, or give it a size)")
		}
	}
	if groups > nodeGroupsPerClusterQuota {
		w.missing("nodes", "make %d managed node groups (pools × zones × generations), above the %d per cluster EKS allows by default: raise the service quota first", groups, nodeGroupsPerClusterQuota)
	}
	workspaceWarnings(c, &w)
	return w.problems
}
