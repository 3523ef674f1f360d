package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Backend types eksready can configure.
const (
	BackendLocal = "local"
	BackendS3    = "s3"
	BackendCloud = "cloud"
)

// BackendTypes are the values backend.type accepts.
var BackendTypes = []string{BackendLocal, BackendS3, BackendCloud}

// Stack kinds: every cluster is synthesized as one stack of each. Stack
// names, S3 keys and Terraform Cloud workspaces are derived from them.
const (
	StackInfra  = "infra"
	StackAddons = "addons"
)

// StackKinds lists the stack kinds in deploy order.
var StackKinds = []string{StackInfra, StackAddons}

// Backend is where Terraform keeps state. Each stack has a state of its own
// (its own S3 key or workspace); `addons` reads `infra`'s outputs from it.
type Backend struct {
	// Type is "local" (state files in the repository root, at paths that are
	// the same on every machine), "s3" (an S3 bucket, configured under s3)
	// or "cloud" (HCP Terraform / Terraform Enterprise workspaces,
	// configured under cloud). Default: "local".
	Type string `yaml:"type"`

	// S3 configures the s3 backend; only allowed with type s3.
	// Default: unset (filled with its defaults when type is s3).
	S3 *S3Backend `yaml:"s3"`

	// Cloud configures the cloud backend; only allowed with type cloud.
	// Default: unset (filled with its defaults when type is cloud).
	Cloud *CloudBackend `yaml:"cloud"`
}

// S3Backend keeps each stack's state as an object in one S3 bucket,
// encrypted at rest, with S3-native locking (a lock object next to the
// state; Terraform >= 1.10).
type S3Backend struct {
	// Bucket holds the state objects. It must exist (eksready does not
	// create the bucket that holds its own state); turn on versioning so a
	// bad apply can be rolled back. Required.
	Bucket string `yaml:"bucket"`

	// KeyPrefix starts every derived key: `<keyPrefix>/<cluster>/<stack>.tfstate`.
	// Default: "eksready".
	KeyPrefix string `yaml:"keyPrefix"`

	// Keys are the state object keys of the two stacks.
	// Default: `<keyPrefix>/<cluster name>/infra.tfstate` and
	// `<keyPrefix>/<cluster name>/addons.tfstate`.
	Keys PerStack `yaml:"keys"`

	// Region of the bucket. Default: the cluster's region.
	Region string `yaml:"region"`

	// DynamodbTable adds DynamoDB state locking next to the S3-native lock
	// file, for a migration period while older Terraform versions still
	// run against the same state (Terraform deprecates DynamoDB locking).
	// Default: "" (S3-native locking only).
	DynamodbTable string `yaml:"dynamodbTable"`

	// KmsKeyID encrypts the state with a customer-managed KMS key (a key or
	// alias ARN, key ID or alias/<name>) instead of S3-managed keys.
	// Default: "" (SSE-S3).
	KmsKeyID string `yaml:"kmsKeyId"`

	// RoleArn is assumed to read and write the state, for a state bucket in
	// another account. Default: "" (the caller's own credentials).
	RoleArn string `yaml:"roleArn"`
}

// CloudBackend keeps each stack's state in its own HCP Terraform (or
// Terraform Enterprise) workspace, named rather than tagged: `addons` reads
// `infra`'s outputs by workspace name, which tagged workspaces cannot give.
type CloudBackend struct {
	// Organization owning the workspaces. Required.
	Organization string `yaml:"organization"`

	// Project the workspaces are created in by `terraform init`.
	// Default: "" (the organization's default project).
	Project string `yaml:"project"`

	// Hostname of HCP Terraform or of a Terraform Enterprise installation.
	// Default: "app.terraform.io".
	Hostname string `yaml:"hostname"`

	// Workspaces are the workspace names of the two stacks.
	// Default: `<cluster name>-infra` and `<cluster name>-addons`.
	Workspaces PerStack `yaml:"workspaces"`

	// ManageWorkspaces has eksready synthesize one more stack, `bootstrap`,
	// applied once before the clusters' stacks, which creates this
	// cluster's two workspaces in project with their execution mode,
	// Terraform version, remote-state sharing (infra's state to its own
	// addons only), a run trigger from infra to addons, and dynamic AWS
	// credentials (a run role trusting exactly the two workspaces, and the
	// variables that make runs assume it). The run role becomes
	// access.deployerRoleArn. Needs project and dynamicCredentials; the
	// settings below are only used with it. Default: false (`terraform
	// init` creates the workspaces, set up by hand or vended elsewhere).
	ManageWorkspaces bool `yaml:"manageWorkspaces"`

	// BootstrapWorkspace keeps the bootstrap stack's own state, in project
	// (`terraform init` of the bootstrap creates it, and the project if
	// missing). Every cluster of one bootstrap names the same one. With
	// manageWorkspaces on, it defaults to "eksready-bootstrap".
	BootstrapWorkspace string `yaml:"bootstrapWorkspace"`

	// TerraformVersion pins both workspaces' Terraform version, an exact
	// release. Default: catalog.TerraformVersion, the release eksready's
	// tests run the stacks with.
	TerraformVersion string `yaml:"terraformVersion"`

	// AgentPool names the HCP Terraform agent pool the addons workspace
	// runs on (execution mode agent). Required when
	// controlPlane.endpoint.publicAccess is false: HCP Terraform's own
	// runners cannot reach a private endpoint, an agent in the VPC can.
	// The pool must be organization-scoped or allow the workspace.
	// Default: "" (execution mode remote).
	AgentPool string `yaml:"agentPool"`

	// DynamicCredentials gives both workspaces short-lived AWS credentials
	// through HCP Terraform's OIDC integration: no stored keys. Required
	// with manageWorkspaces. Default: unset.
	DynamicCredentials *DynamicCredentials `yaml:"dynamicCredentials"`
}

// PerStack gives one value per stack kind: an S3 key or a workspace name.
type PerStack struct {
	// Infra is the value for the `infra` stack. Default: derived (see the
	// enclosing setting).
	Infra string `yaml:"infra"`
	// Addons is the value for the `addons` stack. Default: derived (see the
	// enclosing setting).
	Addons string `yaml:"addons"`
}

// For returns the value for a stack kind (StackInfra or StackAddons).
func (s PerStack) For(kind string) string {
	if kind == StackAddons {
		return s.Addons
	}
	return s.Infra
}

var (
	// S3 bucket names: 3-63 lowercase letters, digits, dots and hyphens,
	// starting and ending with a letter or digit.
	bucketRe = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	ipLikeRe = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$`)
	// DynamoDB table names.
	dynamoTableRe = regexp.MustCompile(`^[A-Za-z0-9_.-]{3,255}$`)
	// The KMS key forms the S3 backend accepts (Terraform's
	// internal/backend/remote-state/s3/validate.go): a key ID (UUID or
	// multi-Region mrk-), alias/<name>, or the ARN of either.
	kmsKeyRe = regexp.MustCompile(`^(arn:aws(-cn|-us-gov|-iso|-iso-b)?:kms:[a-z0-9-]+:[0-9]{12}:)?(key/)?([a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}|mrk-[a-f0-9]{32}|alias/[A-Za-z0-9/_-]+)$`)
	// HCP Terraform names: organizations and workspaces take letters,
	// digits, '-' and '_'; projects also inner spaces.
	tfcNameRe    = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	tfcProjectRe = regexp.MustCompile(`^[A-Za-z0-9_-]+( [A-Za-z0-9_-]+)*$`)
	hostnameRe   = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:[0-9]{1,5})?$`)
)

// validateBackend checks the backend settings once defaults are applied.
func validateBackend(b Backend, v *collector) {
	if !slices.Contains(BackendTypes, b.Type) {
		v.add("backend.type", b.Type, "is not supported (supported: %s)", strings.Join(BackendTypes, ", "))
	}
	// A block for another backend type would be silently ignored; in a
	// fleet it is usually a shared setting the cluster meant to replace.
	if b.S3 != nil && b.Type != BackendS3 {
		v.missing("backend.s3", "is only used with backend.type s3 (backend.type is %q); remove it (in a fleet's cluster file, null drops one shared in _fleet.yaml)", b.Type)
	}
	if b.Cloud != nil && b.Type != BackendCloud {
		v.missing("backend.cloud", "is only used with backend.type cloud (backend.type is %q); remove it (in a fleet's cluster file, null drops one shared in _fleet.yaml)", b.Type)
	}
	if b.Type == BackendS3 && b.S3 != nil {
		validateS3Backend(*b.S3, v)
	}
	if b.Type == BackendCloud && b.Cloud != nil {
		validateCloudBackend(*b.Cloud, v)
	}
}

func validateS3Backend(s S3Backend, v *collector) {
	switch {
	case s.Bucket == "":
		v.missing("backend.s3.bucket", "is required when backend.type is s3")
	default:
		if rule := bucketNameProblem(s.Bucket); rule != "" {
			v.add("backend.s3.bucket", s.Bucket, "%s", rule)
		}
	}
	validateS3Path("backend.s3.keyPrefix", s.KeyPrefix, v)
	validateS3Path("backend.s3.keys.infra", s.Keys.Infra, v)
	validateS3Path("backend.s3.keys.addons", s.Keys.Addons, v)
	if s.Keys.Infra != "" && s.Keys.Infra == s.Keys.Addons {
		v.add("backend.s3.keys.addons", s.Keys.Addons, "is also the infra key; each stack needs a state of its own")
	}
	if rule := regionProblem(s.Region); rule != "" {
		v.add("backend.s3.region", s.Region, "%s", rule)
	} else if s.RoleArn != "" {
		checkArnPartition("backend.s3.roleArn", s.RoleArn, s.Region, v)
	}
	if s.DynamodbTable != "" && !dynamoTableRe.MatchString(s.DynamodbTable) {
		v.add("backend.s3.dynamodbTable", s.DynamodbTable, "is not a DynamoDB table name (3-255 letters, digits, '_', '-' and '.')")
	}
	if s.KmsKeyID != "" && !kmsKeyRe.MatchString(s.KmsKeyID) {
		v.add("backend.s3.kmsKeyId", s.KmsKeyID, "is not a KMS key ID, alias/<name>, or key or alias ARN")
	} else if s.KmsKeyID != "" && regionProblem(s.Region) == "" {
		checkArnPartition("backend.s3.kmsKeyId", s.KmsKeyID, s.Region, v)
	}
	if s.RoleArn != "" && !roleArnRe.MatchString(s.RoleArn) {
		v.add("backend.s3.roleArn", s.RoleArn, "is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)")
	}
}

// validateS3Path applies the S3 backend's own key rules, so a bad key
// fails here rather than at `terraform init`.
// S3 general purpose bucket naming rules (Amazon S3 User Guide, "General
// purpose bucket naming rules", read 2026-11-30): besides the character
// set, these prefixes and suffixes are reserved for S3's own names.
var (
	reservedBucketPrefixes = []string{"xn--", "sthree-", "amzn-s3-demo-"}
	reservedBucketSuffixes = []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3"}
)

// bucketNameProblem returns the rule a bucket name breaks, or "".
func bucketNameProblem(name string) string {
	switch {
	case !bucketRe.MatchString(name):
		return "is not a valid S3 bucket name (3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit)"
	case strings.Contains(name, ".."):
		return "is not a valid S3 bucket name: it has two adjacent dots"
	case ipLikeRe.MatchString(name):
		return "is not a valid S3 bucket name: it is formatted as an IP address"
	}
	for _, p := range reservedBucketPrefixes {
		if strings.HasPrefix(name, p) {
			return fmt.Sprintf("is not a valid S3 bucket name: the prefix %q is reserved by S3", p)
		}
	}
	for _, sfx := range reservedBucketSuffixes {
		if strings.HasSuffix(name, sfx) {
			return fmt.Sprintf("is not a valid S3 bucket name: the suffix %q is reserved by S3", sfx)
		}
	}
	return ""
}

func validateS3Path(path, value string, v *collector) {
	switch {
	case value == "":
		v.missing(path, "must not be empty")
	case strings.HasPrefix(value, "/") || strings.HasSuffix(value, "/"):
		v.add(path, value, "must not start or end with \"/\"")
	case strings.Contains(value, "//"):
		v.add(path, value, "must not contain \"//\"")
	}
}

func validateCloudBackend(c CloudBackend, v *collector) {
	switch {
	case c.Organization == "":
		v.missing("backend.cloud.organization", "is required when backend.type is cloud")
	case !tfcNameRe.MatchString(c.Organization):
		v.add("backend.cloud.organization", c.Organization, "is not an organization name (letters, digits, '-' and '_')")
	}
	if c.Project != "" && !tfcProjectRe.MatchString(c.Project) {
		v.add("backend.cloud.project", c.Project, "is not a project name (letters, digits, '-', '_' and inner spaces)")
	}
	if !hostnameRe.MatchString(c.Hostname) {
		v.add("backend.cloud.hostname", c.Hostname, "is not a host name (like app.terraform.io or tfe.example.com)")
	}
	for _, kind := range StackKinds {
		name := c.Workspaces.For(kind)
		if !tfcNameRe.MatchString(name) {
			v.add("backend.cloud.workspaces."+kind, name, "is not a workspace name (letters, digits, '-' and '_')")
		}
	}
	if c.Workspaces.Infra != "" && c.Workspaces.Infra == c.Workspaces.Addons {
		v.add("backend.cloud.workspaces.addons", c.Workspaces.Addons, "is also the infra workspace; each stack needs a workspace of its own")
	}
}

// StateLocation names where one stack's state lives, in a form two stacks
// can be compared by: two stacks with the same location would overwrite
// each other's state. Local state is told apart by stack name instead.
func (b Backend) StateLocation(kind string) string {
	switch {
	case b.Type == BackendS3 && b.S3 != nil:
		return "s3://" + b.S3.Bucket + "/" + b.S3.Keys.For(kind)
	case b.Type == BackendCloud && b.Cloud != nil:
		return b.Cloud.Hostname + "/" + b.Cloud.Organization + "/" + b.Cloud.Workspaces.For(kind)
	}
	return ""
}
