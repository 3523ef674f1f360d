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

func validateControlPlane(cp ControlPlane, v *collector) {
	ep := cp.Endpoint
	if ep.PublicAccess != nil && *ep.PublicAccess {
		if len(ep.PublicAccessCidrs) == 0 {
			v.add("controlPlane.endpoint.publicAccessCidrs", []string{}, "must list at least one CIDR when publicAccess is true (or set publicAccess: false)")
		}
	}
	for i, cidr := range ep.PublicAccessCidrs {
		if p, err := netip.ParsePrefix(cidr); err != nil || !p.Addr().Is4() || p.Masked() != p {
			v.add(fmt.Sprintf("controlPlane.endpoint.publicAccessCidrs[%d]", i), cidr, "is not an IPv4 CIDR block with its host bits clear")
		}
	}
	known := enumStrings(ekstypes.LogType("").Values())
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
	if !slices.Contains(logRetentionDays, cp.Logging.RetentionDays) {
		v.add("controlPlane.logging.retentionDays", cp.Logging.RetentionDays, "is not a retention CloudWatch Logs accepts (%s)", joinInts(logRetentionDays))
	}
	if !slices.Contains([]string{"STANDARD", "EXTENDED"}, cp.UpgradePolicy) {
		v.add("controlPlane.upgradePolicy", cp.UpgradePolicy, "must be STANDARD or EXTENDED")
	}
	if cp.KeyDeletionWindowDays < 7 || cp.KeyDeletionWindowDays > 30 {
		v.add("controlPlane.keyDeletionWindowDays", cp.KeyDeletionWindowDays, "must be between 7 and 30 (the range KMS allows)")
	}
}

func validateAccess(a Access, v *collector) {
	if a.DeployerRoleArn != "" && !roleArnRe.MatchString(a.DeployerRoleArn) {
		v.add("access.deployerRoleArn", a.DeployerRoleArn, "is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)")
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
