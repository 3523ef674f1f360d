package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestS3BackendDefaultsDeriveFromTheCluster(t *testing.T) {
	c, err := Load(strings.NewReader("name: prod\nregion: us-east-2\nbackend: {type: s3, s3: {bucket: acme-state}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := c.Backend.S3
	checks := []struct{ field, got, want string }{
		{"keyPrefix", s.KeyPrefix, "eksready"},
		{"keys.infra", s.Keys.Infra, "eksready/prod/infra.tfstate"},
		{"keys.addons", s.Keys.Addons, "eksready/prod/addons.tfstate"},
		{"region", s.Region, "us-east-2"},
		{"dynamodbTable", s.DynamodbTable, ""},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("backend.s3.%s = %q, want %q", ch.field, ch.got, ch.want)
		}
	}
	if c.Backend.Cloud != nil {
		t.Errorf("an s3 backend got a cloud block: %+v", c.Backend.Cloud)
	}
}

func TestS3BackendOverrides(t *testing.T) {
	c, err := Load(strings.NewReader(`
name: prod
backend:
  type: s3
  s3:
    bucket: acme-state
    keyPrefix: platform/eks
    keys: {addons: custom/addons.tfstate}
    region: eu-central-1
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Backend.S3.Keys; got.Infra != "platform/eks/prod/infra.tfstate" || got.Addons != "custom/addons.tfstate" {
		t.Errorf("keys = %+v", got)
	}
	if c.Backend.S3.Region != "eu-central-1" {
		t.Errorf("region = %q, want the bucket's region as given", c.Backend.S3.Region)
	}
}

func TestCloudBackendDefaults(t *testing.T) {
	c, err := Load(strings.NewReader("name: prod\nbackend: {type: cloud, cloud: {organization: acme}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	cl := c.Backend.Cloud
	if cl.Hostname != "app.terraform.io" || cl.Workspaces.Infra != "prod-infra" || cl.Workspaces.Addons != "prod-addons" || cl.Project != "" {
		t.Errorf("cloud defaults = %+v", *cl)
	}
	if got := c.Backend.StateLocation(StackAddons); got != "app.terraform.io/acme/prod-addons" {
		t.Errorf("state location = %q", got)
	}
}

func TestLocalBackendHasNoBlocks(t *testing.T) {
	c := Default()
	if c.Backend.S3 != nil || c.Backend.Cloud != nil || c.Backend.StateLocation(StackInfra) != "" {
		t.Errorf("the local default carries remote settings: %+v", c.Backend)
	}
}

func TestBackendValidation(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		want []string
	}{
		{"unknown type", "backend: {type: consul}", []string{
			`backend.type: "consul" is not supported (supported: local, s3, cloud)`,
		}},
		{"s3 without bucket", "backend: {type: s3}", []string{
			`backend.s3.bucket: is required when backend.type is s3`,
		}},
		{"cloud without organization", "backend: {type: cloud, cloud: {project: platform}}", []string{
			`backend.cloud.organization: is required when backend.type is cloud`,
		}},
		{"settings for another type", "backend: {type: local, s3: {bucket: acme-state}, cloud: {organization: acme}}", []string{
			`backend.s3: is only used with backend.type s3 (backend.type is "local"); remove it (in a fleet's cluster file, null drops one shared in _fleet.yaml)`,
			`backend.cloud: is only used with backend.type cloud (backend.type is "local"); remove it (in a fleet's cluster file, null drops one shared in _fleet.yaml)`,
		}},
		{"s3 values", `
backend:
  type: s3
  s3:
    bucket: Acme_State
    keyPrefix: /state/
    keys: {infra: a//b.tfstate, addons: "x/"}
    region: europe
    dynamodbTable: "t!"
    kmsKeyId: my-key
    roleArn: arn:aws:iam::111122223333:user/ci
`, []string{
			`backend.s3.bucket: "Acme_State" is not a valid S3 bucket name (3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit)`,
			`backend.s3.keyPrefix: "/state/" must not start or end with "/"`,
			`backend.s3.keys.infra: "a//b.tfstate" must not contain "//"`,
			`backend.s3.keys.addons: "x/" must not start or end with "/"`,
			`backend.s3.region: "europe" is not an AWS region name (like eu-west-1)`,
			`backend.s3.dynamodbTable: "t!" is not a DynamoDB table name (3-255 letters, digits, '_', '-' and '.')`,
			`backend.s3.kmsKeyId: "my-key" is not a KMS key ID, alias/<name>, or key or alias ARN`,
			`backend.s3.roleArn: "arn:aws:iam::111122223333:user/ci" is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)`,
		}},
		{"bucket like an IP address", "backend: {type: s3, s3: {bucket: 192.168.1.1}}", []string{
			`backend.s3.bucket: "192.168.1.1" is not a valid S3 bucket name: it is formatted as an IP address`,
		}},
		{"one key for both stacks", "backend: {type: s3, s3: {bucket: acme-state, keys: {infra: s.tfstate, addons: s.tfstate}}}", []string{
			`backend.s3.keys.addons: "s.tfstate" is also the infra key; each stack needs a state of its own`,
		}},
		{"cloud values", `
backend:
  type: cloud
  cloud:
    organization: "acme corp"
    project: " platform"
    hostname: "https://app.terraform.io"
    workspaces: {infra: "eks/infra", addons: "eks/infra"}
`, []string{
			`backend.cloud.organization: "acme corp" is not an organization name (letters, digits, '-' and '_')`,
			`backend.cloud.project: " platform" is not a project name (letters, digits, '-', '_' and inner spaces)`,
			`backend.cloud.hostname: "https://app.terraform.io" is not a host name (like app.terraform.io or tfe.example.com)`,
			`backend.cloud.workspaces.infra: "eks/infra" is not a workspace name (letters, digits, '-' and '_')`,
			`backend.cloud.workspaces.addons: "eks/infra" is not a workspace name (letters, digits, '-' and '_')`,
			`backend.cloud.workspaces.addons: "eks/infra" is also the infra workspace; each stack needs a workspace of its own`,
		}},
		{"unknown s3 key", "backend: {type: s3, s3: {bucket: acme-state, lockTable: x}}", []string{
			`backend.s3.lockTable: unknown key (line 1); known keys: bucket, dynamodbTable, keyPrefix, keys, kmsKeyId, region, roleArn`,
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assertSameProblems(t, problemsOf(t, tc.yaml), tc.want)
		})
	}
}

func TestBackendValuesAccepted(t *testing.T) {
	for _, y := range []string{
		"backend: {type: s3, s3: {bucket: acme.state-1, kmsKeyId: alias/terraform/state}}",
		"backend: {type: s3, s3: {bucket: acme-state, kmsKeyId: 1234abcd-12ab-34cd-56ef-1234567890ab}}",
		"backend: {type: s3, s3: {bucket: acme-state, kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/mrk-1234567890abcdef1234567890abcdef'}}",
		"backend: {type: cloud, cloud: {organization: Acme_Corp, project: Platform Team, hostname: 'tfe.example.com:8443'}}",
	} {
		if _, err := Load(strings.NewReader(y)); err != nil {
			t.Errorf("%s: %v", y, err)
		}
	}
}

// TestExampleBackendBlocksAreValid uncomments the s3 and cloud blocks the
// example documents and loads each: the documented values must work.
func TestExampleBackendBlocksAreValid(t *testing.T) {
	text, err := os.ReadFile(filepath.Join("..", "cluster.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{BackendS3, BackendCloud} {
		var out []string
		inBlock := false
		for _, line := range strings.Split(string(text), "\n") {
			switch {
			case line == "  # "+typ+":":
				inBlock = true
			case inBlock && !strings.HasPrefix(line, "  #   ") && !strings.HasPrefix(line, "  # "+typ+":"):
				inBlock = false
			}
			if inBlock {
				line = "  " + strings.TrimPrefix(line, "  # ")
			}
			if line == "  type: local" {
				line = "  type: " + typ
			}
			out = append(out, line)
		}
		c, err := Load(strings.NewReader(strings.Join(out, "\n")))
		if err != nil {
			t.Errorf("the documented %s block does not load:\n%v", typ, err)
			continue
		}
		if typ == BackendS3 && (c.Backend.S3 == nil || c.Backend.S3.Bucket != "acme-terraform-state") ||
			typ == BackendCloud && (c.Backend.Cloud == nil || c.Backend.Cloud.Organization != "acme") {
			t.Errorf("the %s block was not read: %+v", typ, c.Backend)
		}
	}
}
