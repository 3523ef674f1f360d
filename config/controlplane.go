package config

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	ekstypes "github.com/aws/aws-sdk-go-v2/service/eks/types"
)

// ControlPlane configures the EKS control plane.
type ControlPlane struct {
	// Endpoint controls who can reach the Kubernetes API.
	Endpoint Endpoint `yaml:"endpoint"`

	// Logging configures control-plane log delivery to CloudWatch Logs.
	Logging Logging `yaml:"logging"`

	// UpgradePolicy is the EKS support type: "STANDARD" (the cluster is
	// upgraded automatically when standard support ends) or "EXTENDED"
	// (extended support, charged extra). Default: "STANDARD".
	UpgradePolicy string `yaml:"upgradePolicy"`

	// ZonalShift enables ARC zonal shift for the cluster, so traffic can be
	// moved away from an impaired availability zone. Default: false.
	ZonalShift bool `yaml:"zonalShift"`

	// KeyDeletionWindowDays is the waiting period (7–30) before the KMS keys
	// eksready creates are deleted after `destroy`. Default: 30.
	KeyDeletionWindowDays int `yaml:"keyDeletionWindowDays"`
}

// Endpoint controls access to the Kubernetes API server. Private access is
// always on, so nodes and in-VPC tooling never leave the VPC.
type Endpoint struct {
	// PublicAccess exposes the API on the internet, limited to
	// PublicAccessCidrs. The `addons` stack needs to reach the API from
	// wherever it is deployed, so turn it off only when deploys run inside
	// the VPC. Default: true.
	PublicAccess *bool `yaml:"publicAccess"`

	// PublicAccessCidrs are the only ranges allowed to the public endpoint.
	// Must not be empty when PublicAccess is true. Default: ["0.0.0.0/0"],
	// which the synth summary flags: narrow it to your offices and CI.
	PublicAccessCidrs []string `yaml:"publicAccessCidrs"`
}

// Logging configures control-plane logging.
type Logging struct {
	// Types are the control-plane log types sent to CloudWatch Logs.
	// Default: all five (api, audit, authenticator, controllerManager, scheduler).
	Types []string `yaml:"types"`

	// RetentionDays is how long the log group keeps events; one of the
	// values CloudWatch Logs accepts. Default: 90.
	RetentionDays int `yaml:"retentionDays"`
}

// Access configures EKS access entries.
type Access struct {
	// DeployerRoleArn is the IAM role that runs `cdktf deploy`; it gets an
	// explicit cluster-admin access entry so the `addons` stack can install
	// software. Empty means the identity running Terraform, resolved at plan
	// time (the role behind an assumed-role session): the entry then follows
	// whoever applies last, and the readiness report warns. Default: "".
	DeployerRoleArn string `yaml:"deployerRoleArn"`

	// Entries grant further IAM principals access to the cluster, each
	// keyed by its name, so adding or removing one changes no other.
	// Default: none.
	Entries []AccessEntry `yaml:"entries"`
}

// AccessEntry grants one IAM principal access to the cluster: an EKS
// access policy, Kubernetes groups for your own RBAC, or both.
type AccessEntry struct {
	// Name keys the entry: its Terraform address is built from it, so the
	// entry keeps its address whatever is added or removed around it.
	// Lowercase letters, digits and '-', starting with a letter.
	// Default: derived from the principal's name (its last path segment,
	// lowercased, other characters turned into '-').
	Name string `yaml:"name"`

	// PrincipalArn is an IAM role or user ARN.
	PrincipalArn string `yaml:"principalArn"`

	// Type is the EKS access entry type: STANDARD for people and tools, or
	// a node type (EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX, HYBRID_LINUX) for
	// an IAM role of nodes eksready does not manage, which EKS grants node
	// permissions itself (no policy, namespaces or groups then). It cannot
	// change once created. Default: "STANDARD".
	Type string `yaml:"type"`

	// Policy is one of "cluster-admin", "admin", "edit", "view" (the EKS
	// access policies AmazonEKSClusterAdminPolicy, AmazonEKSAdminPolicy,
	// AmazonEKSEditPolicy, AmazonEKSViewPolicy). STANDARD entries need a
	// policy or kubernetesGroups. Default: "" (none).
	Policy string `yaml:"policy"`

	// Namespaces limits the policy to these namespaces; empty means the
	// whole cluster. "cluster-admin" is cluster-wide only.
	Namespaces []string `yaml:"namespaces"`

	// KubernetesGroups are Kubernetes group names the principal belongs
	// to, for RoleBindings and ClusterRoleBindings of your own (EKS does
	// not check that a binding exists). Names starting with "system:" are
	// Kubernetes' own and refused. Default: none.
	KubernetesGroups []string `yaml:"kubernetesGroups"`
}

// ControlPlaneLogTypes are the control-plane log types EKS can send to
// CloudWatch Logs (controlPlane.logging.types).
var ControlPlaneLogTypes = enumStrings(ekstypes.LogType("").Values())

// UpgradePolicies are the EKS support types (controlPlane.upgradePolicy).
var UpgradePolicies = enumStrings(ekstypes.SupportType("").Values())

// AccessEntryTypeStandard is the access entry type of people and tools.
const AccessEntryTypeStandard = "STANDARD"

// AccessEntryTypes are the types an entry here may have: STANDARD, and the
// node types whose permissions EKS grants by itself (CreateAccessEntry,
// Amazon EKS API Reference: EC2_LINUX and EC2_WINDOWS take no
// kubernetesGroups and no access policy; node types take IAM roles only).
// EC2 (EKS Auto Mode) is left out: eksready creates that entry itself.
var AccessEntryTypes = []string{AccessEntryTypeStandard, "EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX", "HYBRID_LINUX"}

// DeployerEntryName is the name of the deployer's entry, which no other
// entry may take.
const DeployerEntryName = "deployer"

// EntryName is the entry's key: its name, or the one derived from its
// principal ("" when none can be derived).
func (e AccessEntry) EntryName() string {
	if e.Name != "" {
		return e.Name
	}
	return derivedEntryName(e.PrincipalArn)
}

var nonNameChars = regexp.MustCompile(`[^a-z0-9]+`)

// derivedEntryName is the principal's name (the ARN's last path segment),
// lowercased, with runs of other characters turned into '-': IAM role and
// user names are unique regardless of case, so within one account no two
// principals derive the same name.
func derivedEntryName(arn string) string {
	name := arn[strings.LastIndexAny(arn, ":/")+1:]
	name = strings.Trim(nonNameChars.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if !entryNameRe.MatchString(name) || len(name) > maxEntryNameLength {
		return ""
	}
	return name
}

// entryNameRe is an access entry name: it becomes part of a Terraform
// address, and starting with a letter keeps it apart from the positional
// names of earlier releases (entry-1, entry-2).
var entryNameRe = regexp.MustCompile(`^[a-z]([a-z0-9-]*[a-z0-9])?$`)

const maxEntryNameLength = 63

func validateControlPlane(cp ControlPlane, v *collector) {
	ep := cp.Endpoint
	if ep.PublicAccess != nil && *ep.PublicAccess {
		if len(ep.PublicAccessCidrs) == 0 {
			v.add("controlPlane.endpoint.publicAccessCidrs", []string{}, "must list at least one CIDR when publicAccess is true (or set publicAccess: false)")
		}
	}
	if len(ep.PublicAccessCidrs) > maxPublicAccessCidrs {
		v.missing("controlPlane.endpoint.publicAccessCidrs", "lists %d CIDR blocks; EKS allows at most %d (a fixed quota)", len(ep.PublicAccessCidrs), maxPublicAccessCidrs)
	}
	for i, cidr := range ep.PublicAccessCidrs {
		path := fmt.Sprintf("controlPlane.endpoint.publicAccessCidrs[%d]", i)
		p, err := netip.ParsePrefix(cidr)
		switch {
		case err != nil || !p.Addr().Is4() || p.Masked() != p:
			v.add(path, cidr, "is not an IPv4 CIDR block with its host bits clear")
		case nonPublic(p) != "":
			v.add(path, cidr, "is %s, not a public range: EKS accepts only public addresses here (list the public addresses your traffic leaves from; clients inside the VPC use the private endpoint)", nonPublic(p))
		case slices.Index(ep.PublicAccessCidrs, cidr) != i:
			v.add(path, cidr, "is listed twice")
		}
	}
	known := ControlPlaneLogTypes
	seen := map[string]bool{}
	for i, t := range cp.Logging.Types {
		path := fmt.Sprintf("controlPlane.logging.types[%d]", i)
		switch {
		case !slices.Contains(known, t):
			v.add(path, t, "is not a control-plane log type (known: %s)", strings.Join(known, ", "))
		case seen[t]:
			v.add(path, t, "is listed twice")
		}
		seen[t] = true
	}
	if !slices.Contains(LogRetentionDays, cp.Logging.RetentionDays) {
		v.add("controlPlane.logging.retentionDays", cp.Logging.RetentionDays, "is not a retention CloudWatch Logs accepts (%s)", joinInts(LogRetentionDays))
	}
	if !slices.Contains(UpgradePolicies, cp.UpgradePolicy) {
		v.add("controlPlane.upgradePolicy", cp.UpgradePolicy, "must be STANDARD or EXTENDED")
	}
	if cp.KeyDeletionWindowDays < 7 || cp.KeyDeletionWindowDays > 30 {
		v.add("controlPlane.keyDeletionWindowDays", cp.KeyDeletionWindowDays, "must be between 7 and 30 (the range KMS allows)")
	}
}

// maxPublicAccessCidrs is EKS's fixed quota of public endpoint access CIDR
// ranges per cluster (Amazon EKS service quotas, not adjustable).
const maxPublicAccessCidrs = 40

// nonPublicRanges are IPv4 ranges no internet client's address comes from
// (RFC 6890 special-purpose ranges other than the whole internet).
var nonPublicRanges = []struct{ prefix, what string }{
	{"10.0.0.0/8", "a private (RFC 1918) range"},
	{"172.16.0.0/12", "a private (RFC 1918) range"},
	{"192.168.0.0/16", "a private (RFC 1918) range"},
	{"100.64.0.0/10", "carrier-grade NAT shared address space (RFC 6598)"},
	{"127.0.0.0/8", "a loopback range"},
	{"169.254.0.0/16", "a link-local range"},
	{"224.0.0.0/4", "a multicast range"},
	{"240.0.0.0/4", "a reserved range"},
}

// nonPublic names the non-public range a CIDR lies inside, or "" when it
// holds public addresses. 0.0.0.0/0 is public; 0.0.0.0/8 ("this network")
// and its subnets are not.
func nonPublic(p netip.Prefix) string {
	if p.Bits() >= 8 && netip.MustParsePrefix("0.0.0.0/8").Contains(p.Addr()) {
		return "the \"this network\" range 0.0.0.0/8"
	}
	for _, r := range nonPublicRanges {
		rp := netip.MustParsePrefix(r.prefix)
		if rp.Bits() <= p.Bits() && rp.Contains(p.Addr()) {
			return r.what
		}
	}
	return ""
}

func validateAccess(a Access, region string, v *collector) {
	if a.DeployerRoleArn != "" && !roleArnRe.MatchString(a.DeployerRoleArn) {
		v.add("access.deployerRoleArn", a.DeployerRoleArn, "is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)")
	} else if a.DeployerRoleArn != "" {
		checkArnPartition("access.deployerRoleArn", a.DeployerRoleArn, region, v)
	}
	seen := map[string]string{}
	if a.DeployerRoleArn != "" {
		seen[a.DeployerRoleArn] = "access.deployerRoleArn"
	}
	names := map[string]string{DeployerEntryName: "the deployer's entry"}
	for i, e := range a.Entries {
		path := fmt.Sprintf("access.entries[%d]", i)
		if !principalArnRe.MatchString(e.PrincipalArn) {
			v.add(path+".principalArn", e.PrincipalArn, "is not an IAM role or user ARN (arn:aws:iam::<12-digit account>:role/<name> or :user/<name>)")
			validateEntryName(path, e, names, v)
		} else if first, dup := seen[e.PrincipalArn]; dup {
			// The same principal derives the same name: one problem.
			v.add(path+".principalArn", e.PrincipalArn, "already has an access entry (%s); EKS allows one entry per principal", first)
		} else {
			seen[e.PrincipalArn] = path
			checkArnPartition(path+".principalArn", e.PrincipalArn, region, v)
			validateEntryName(path, e, names, v)
		}
		if !slices.Contains(AccessEntryTypes, e.Type) {
			v.add(path+".type", e.Type, "is not an access entry type eksready creates (%s)", strings.Join(AccessEntryTypes, ", "))
			continue
		}
		if e.Type != AccessEntryTypeStandard {
			validateNodeEntry(path, e, v)
			continue
		}
		if _, ok := AccessPolicies[e.Policy]; !ok && (e.Policy != "" || len(e.KubernetesGroups) == 0) {
			v.add(path+".policy", e.Policy, "is not an access policy (known: %s); a STANDARD entry needs a policy, kubernetesGroups, or both", strings.Join(sortedKeys(AccessPolicies), ", "))
		}
		if e.Policy == "cluster-admin" && len(e.Namespaces) > 0 {
			v.add(path+".namespaces", e.Namespaces, "cannot be set with policy cluster-admin, which EKS grants cluster-wide only")
		}
		if e.Policy == "" && len(e.Namespaces) > 0 {
			v.add(path+".namespaces", e.Namespaces, "only scope a policy, and the entry has none")
		}
		for j, ns := range e.Namespaces {
			if len(ns) > 63 || !dnsLabelRe.MatchString(ns) {
				v.add(fmt.Sprintf("%s.namespaces[%d]", path, j), ns, "is not a valid Kubernetes namespace name")
			}
		}
		for j, g := range e.KubernetesGroups {
			gpath := fmt.Sprintf("%s.kubernetesGroups[%d]", path, j)
			switch {
			case strings.TrimSpace(g) == "":
				v.add(gpath, g, "is empty; a Kubernetes group name is what a RoleBinding's subject names")
			case strings.HasPrefix(g, "system:"):
				// The prefix is Kubernetes' own (RBAC: "system:" names are
				// reserved for system use); system:masters would be
				// cluster-admin that no access policy shows or revokes.
				v.add(gpath, g, "is a Kubernetes system group (the system: prefix is reserved for Kubernetes); grant cluster-wide rights with policy instead")
			case slices.Index(e.KubernetesGroups, g) != j:
				v.add(gpath, g, "is listed twice")
			}
		}
	}
}

// validateEntryName checks an entry's key and that no other entry has it.
func validateEntryName(path string, e AccessEntry, names map[string]string, v *collector) {
	name := e.EntryName()
	switch {
	case e.Name == "" && name == "":
		v.add(path+".name", e.Name, "is required here: no name can be derived from principalArn %q (set one: lowercase letters, digits and '-', starting with a letter)", e.PrincipalArn)
		return
	case e.Name != "" && (!entryNameRe.MatchString(e.Name) || len(e.Name) > maxEntryNameLength):
		v.add(path+".name", e.Name, "is not an access entry name (lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, at most %d characters)", maxEntryNameLength)
		return
	}
	if first, dup := names[name]; dup {
		derived := ""
		if e.Name == "" {
			derived = fmt.Sprintf(" (derived from principalArn %q; set name to tell them apart)", e.PrincipalArn)
		}
		v.add(path+".name", name, "is already the name of %s%s; entries are keyed by name", first, derived)
		return
	}
	names[name] = path
}

// validateNodeEntry checks an entry of a node type: EKS grants the node
// permissions itself, to an IAM role.
func validateNodeEntry(path string, e AccessEntry, v *collector) {
	if strings.Contains(e.PrincipalArn, ":user/") {
		v.add(path+".principalArn", e.PrincipalArn, "is an IAM user; an access entry of type %s takes an IAM role of nodes", e.Type)
	}
	if e.Policy != "" {
		v.add(path+".policy", e.Policy, "cannot be set with type %s: EKS grants node permissions itself", e.Type)
	}
	if len(e.Namespaces) > 0 {
		v.add(path+".namespaces", e.Namespaces, "cannot be set with type %s: EKS grants node permissions itself", e.Type)
	}
	if len(e.KubernetesGroups) > 0 {
		v.add(path+".kubernetesGroups", e.KubernetesGroups, "cannot be set with type %s: EKS grants node permissions itself", e.Type)
	}
}
