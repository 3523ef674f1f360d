package apptest

import (
	"os"
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
