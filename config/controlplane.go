package config

import (
	"fmt"
	"net/netip"
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
	// time (the role behind an assumed-role session). Default: "".
	DeployerRoleArn string `yaml:"deployerRoleArn"`

	// Entries grant further IAM principals access to the cluster.
	// Default: none.
	Entries []AccessEntry `yaml:"entries"`
}

// AccessEntry grants one IAM principal an EKS access policy.
type AccessEntry struct {
	// PrincipalArn is an IAM role or user ARN.
	PrincipalArn string `yaml:"principalArn"`

	// Policy is one of "cluster-admin", "admin", "edit", "view" (the EKS
	// access policies AmazonEKSClusterAdminPolicy, AmazonEKSAdminPolicy,
	// AmazonEKSEditPolicy, AmazonEKSViewPolicy).
	Policy string `yaml:"policy"`

	// Namespaces limits the policy to these namespaces; empty means the
	// whole cluster. "cluster-admin" is cluster-wide only.
	Namespaces []string `yaml:"namespaces"`
}

// ControlPlaneLogTypes are the control-plane log types EKS can send to
// CloudWatch Logs (controlPlane.logging.types).
var ControlPlaneLogTypes = enumStrings(ekstypes.LogType("").Values())

// UpgradePolicies are the EKS support types (controlPlane.upgradePolicy).
var UpgradePolicies = enumStrings(ekstypes.SupportType("").Values())

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
	for i, e := range a.Entries {
		path := fmt.Sprintf("access.entries[%d]", i)
		if !principalArnRe.MatchString(e.PrincipalArn) {
			v.add(path+".principalArn", e.PrincipalArn, "is not an IAM role or user ARN (arn:aws:iam::<12-digit account>:role/<name> or :user/<name>)")
		} else if first, dup := seen[e.PrincipalArn]; dup {
			v.add(path+".principalArn", e.PrincipalArn, "already has an access entry (%s); EKS allows one entry per principal", first)
		} else {
			seen[e.PrincipalArn] = path
			checkArnPartition(path+".principalArn", e.PrincipalArn, region, v)
		}
		if _, ok := AccessPolicies[e.Policy]; !ok {
			v.add(path+".policy", e.Policy, "is not an access policy (known: %s)", strings.Join(sortedKeys(AccessPolicies), ", "))
		}
		if e.Policy == "cluster-admin" && len(e.Namespaces) > 0 {
			v.add(path+".namespaces", e.Namespaces, "cannot be set with policy cluster-admin, which EKS grants cluster-wide only")
		}
		for j, ns := range e.Namespaces {
			if len(ns) > 63 || !dnsLabelRe.MatchString(ns) {
				v.add(fmt.Sprintf("%s.namespaces[%d]", path, j), ns, "is not a valid Kubernetes namespace name")
			}
		}
	}
}
