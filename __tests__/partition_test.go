package apptest

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/eksready/eksready/config"
)

// Outside the aws partition an ARN spelled arn:aws:… names nothing, and
// IAM, EKS and S3 refuse it only at apply time. Every ARN eksready writes
// must take the partition from the account (data.aws_partition), so a
// stack of an aws-cn or aws-us-gov region holds no arn:aws: literal. One
// fixture per partition proves it (partition-aws-cn, partition-aws-us-gov).
func TestEveryArnFollowsTheRegionsPartition(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range synthAll(t) {
		partition := config.PartitionOf(f.Config.Region)
		seen[partition] = true
		if partition == "aws" {
			continue
		}
		for _, stack := range f.Stacks {
			raw, err := os.ReadFile(f.StackPath(stack))
			if err != nil {
				t.Fatal(err)
			}
			if i := strings.Index(string(raw), "arn:aws:"); i >= 0 {
				t.Errorf("%s (%s, partition %s): stack %s writes an arn:aws: literal: …%s…", f.Name, f.Config.Region, partition, stack, string(raw[max(0, i-80):min(len(raw), i+80)]))
			}
		}
	}
	for _, p := range config.Partitions {
		if !seen[p] {
			t.Errorf("no fixture synthesizes a region of partition %s", p)
		}
	}
}

// In the aws partition too, every arn:aws: literal in a stack must be one
// the configuration wrote (an access entry, a state role, a bucket):
// anything eksready builds itself takes the partition from the account, so
// the same code is right in aws-cn and aws-us-gov. Auto Mode (refused
// outside aws) is checked this way, since no fixture of another partition
// can synthesize it.
func TestOnlyConfiguredArnsAreLiterals(t *testing.T) {
	for _, f := range synthAll(t) {
		written := ""
		if f.Name != defaultFixture {
			raw, err := os.ReadFile(filepath.Join("fixtures", f.Name+".yaml"))
			if err != nil {
				t.Fatal(err)
			}
			written = string(raw)
		}
		for _, stack := range f.Stacks {
			raw, err := os.ReadFile(f.StackPath(stack))
			if err != nil {
				t.Fatal(err)
			}
			for _, arn := range literalArns(string(raw)) {
				if !strings.Contains(written, arn) {
					t.Errorf("%s/%s: %s is an ARN literal the configuration did not write; build it from data.aws_partition", f.Name, stack, arn)
				}
			}
		}
	}
}

// literalArnRe matches an ARN spelled out in the aws partition, up to the
// end of the JSON string (or of an escaped one) that holds it.
var literalArnRe = regexp.MustCompile(`arn:aws:[^"\\]*`)

func literalArns(stack string) []string { return literalArnRe.FindAllString(stack, -1) }

func TestLiteralArnsFindsWhatABrokenStackWrites(t *testing.T) {
	broken := `{"policy_arn":"arn:aws:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy","values":["{\"role\":\"arn:aws:iam::111122223333:role/x\"}"],"ok":"arn:${data.aws_partition.p.partition}:iam::aws:policy/X"}`
	got := literalArns(broken)
	want := []string{"arn:aws:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy", "arn:aws:iam::111122223333:role/x"}
	if !slices.Equal(got, want) {
		t.Errorf("literalArns = %q, want %q", got, want)
	}
}

// The tag budget (config.EksreadyTagsPerResource) is what validation
// leaves the user of AWS's 50 tags per resource: it must cover the most
// tags eksready puts on any one resource of any fixture, counting the
// provider's default tags (without the user's own).
func TestEksreadyTagsFitTheirBudget(t *testing.T) {
	most, where := 0, ""
	for _, f := range synthAll(t) {
		for _, stack := range f.Stacks {
			st := f.Stack(t, stack)
			defaults := 0
			for _, p := range st.Provider["aws"] {
				for _, dt := range asList(p["default_tags"]) {
					defaults += len(asMap(asMap(dt)["tags"]))
				}
			}
			defaults -= len(f.Config.Tags)
			for typ, byName := range st.Resource {
				for name, attrs := range byName {
					n := defaults + len(asMap(attrs["tags"]))
					for _, spec := range asList(attrs["tag_specifications"]) {
						n = max(n, defaults+len(asMap(asMap(spec)["tags"])))
					}
					if n > most {
						most, where = n, f.Name+": "+typ+"."+name
					}
				}
			}
		}
	}
	if most != config.EksreadyTagsPerResource {
		t.Errorf("eksready puts at most %d tags on one resource (%s); config.EksreadyTagsPerResource is %d", most, where, config.EksreadyTagsPerResource)
	}
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func asList(v any) []any {
	switch l := v.(type) {
	case []any:
		return l
	case map[string]any:
		return []any{l}
	}
	return nil
}

// TestAWSRulesRefusedBeforeAnythingIsWritten runs the real program on
// values AWS would refuse only at apply time (one per class: node count,
// tags, names, instance types, regions, public ranges, bucket names,
// partitions, Auto Mode outside the commercial partition, IPv6 ranges,
// waivers). Each must exit non-zero with its exact problem, print no
// panic, and leave an earlier cdktf.out byte-identical. Validation fails
// before jsii starts, so this is cheap.
func TestAWSRulesRefusedBeforeAnythingIsWritten(t *testing.T) {
	bin := programBinary(t)
	cases := map[string]struct{ yaml, want string }{
		"int64 maxSize":           {"nodes: {system: {maxSize: 9223372036854775807}}\n", "nodes.system.maxSize: 9223372036854775807 is more nodes per zone than the 100000 an EKS cluster can hold"},
		"reserved tag":            {"tags: {'aws:owner': x}\n", `tags.aws:owner: tag keys starting with "aws:" are reserved by AWS`},
		"dotted pool":             {"nodes: {web.frontend: {}}\n", `nodes.web.frontend: "web.frontend" is not a valid pool name`},
		"mac instance":            {"nodes: {system: {instanceTypes: [mac2.metal]}}\n", `nodes.system.instanceTypes[0]: "mac2.metal" is a Mac instance type`},
		"AMD GPU":                 {"nodes: {gpu: {instanceTypes: [g4ad.xlarge]}}\n", `nodes.gpu.instanceTypes[0]: "g4ad.xlarge" is an accelerated instance type no EKS AMI can drive`},
		"unknown region":          {"region: eu-west-9\n", `region: "eu-west-9" is not a region where Amazon EKS runs`},
		"private public CIDR":     {"controlPlane: {endpoint: {publicAccessCidrs: ['10.0.0.0/8']}}\n", `controlPlane.endpoint.publicAccessCidrs[0]: "10.0.0.0/8" is a private (RFC 1918) range`},
		"reserved bucket":         {"backend: {type: s3, s3: {bucket: xn--state}}\n", `backend.s3.bucket: "xn--state" is not a valid S3 bucket name: the prefix "xn--" is reserved by S3`},
		"partition mismatch":      {"region: cn-north-1\naccess: {entries: [{principalArn: 'arn:aws:iam::111122223333:role/sre', policy: view}]}\n", "is in partition aws but region cn-north-1 is in partition aws-cn"},
		"IPv6 without ranges":     {"network: {podNetworking: {mode: ipv6}, existingVpc: {vpcId: vpc-0a1b2c3d4e5f60718, privateSubnets: [{id: subnet-0bbbbbbbbbbbbbbb1, zone: eu-west-1a, cidr: 10.50.32.0/20}, {id: subnet-0bbbbbbbbbbbbbbb2, zone: eu-west-1b, cidr: 10.50.48.0/20}]}}\n", "network.existingVpc.privateSubnets[0].ipv6Cidr: is required with podNetworking.mode ipv6"},
		"unknown waiver":          {"readiness: {waive: [{rule: BP-NOT-A-RULE, reason: tracked in PLAT-9}]}\n", `readiness.waive[0].rule: "BP-NOT-A-RULE" is no readiness rule`},
		"auto mode in aws-cn":     {"region: cn-north-1\ncompute: {mode: auto-mode}\n", `compute.mode: "auto-mode" is not available in region cn-north-1: EKS Auto Mode, its IAM policies (AmazonEKSComputePolicy and the others) and the AmazonEKSAutoNodePolicy access policy cannot be confirmed in partition aws-cn`},
		"auto mode in aws-us-gov": {"region: us-gov-east-1\ncompute: {mode: auto-mode}\n", `compute.mode: "auto-mode" is not available in region us-gov-east-1`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			previous := filepath.Join(dir, "cdktf.out", "stacks", "infra", "cdk.tf.json")
			if err := os.MkdirAll(filepath.Dir(previous), 0o755); err != nil {
				t.Fatal(err)
			}
			const earlier = `{"earlier": "synth"}`
			if err := os.WriteFile(previous, []byte(earlier), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := runWithConfig(t, bin, dir, tc.yaml)
			if err == nil {
				t.Fatalf("synthesized:\n%s", out)
			}
			if !strings.Contains(out, tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, out)
			}
			if strings.Contains(out, "panic") || strings.Contains(out, "goroutine") {
				t.Errorf("a configuration mistake surfaced as a panic:\n%s", out)
			}
			if got, err := os.ReadFile(previous); err != nil || string(got) != earlier {
				t.Errorf("the earlier cdktf.out changed: %q, %v", got, err)
			}
			entries, _ := os.ReadDir(filepath.Join(dir, "cdktf.out"))
			if len(entries) != 1 {
				t.Errorf("cdktf.out holds %d entries, want only the earlier stacks folder", len(entries))
			}
		})
	}
}
