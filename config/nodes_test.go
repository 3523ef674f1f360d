package config

import (
	"strings"
	"testing"
)

func TestArchitectureOf(t *testing.T) {
	arm := []string{"a1.large", "m6g.large", "m7gd.xlarge", "c6gn.2xlarge", "c7g.medium", "r8g.4xlarge", "t4g.small", "im4gn.large", "is4gen.xlarge", "x2gd.large", "g5g.xlarge", "hpc7g.16xlarge", "mac2.metal", "mac2-m2pro.metal", "mac2-m1ultra.metal"}
	x86 := []string{"m5.large", "m6i.large", "m7i-flex.large", "c6a.xlarge", "g4dn.xlarge", "g5.xlarge", "p4d.24xlarge", "inf2.xlarge", "trn1.2xlarge", "x2iedn.xlarge", "t3.medium", "z1d.large", "i3en.large", "m5zn.large", "mac1.metal"}
	for _, it := range arm {
		if got := ArchitectureOf(it); got != Arm {
			t.Errorf("%s: %s, want arm64", it, got)
		}
	}
	for _, it := range x86 {
		if got := ArchitectureOf(it); got != X86 {
			t.Errorf("%s: %s, want x86_64", it, got)
		}
	}
}

func TestAmiTypeFollowsOSAndArchitecture(t *testing.T) {
	cases := map[string]NodePool{
		"BOTTLEROCKET_x86_64":    {OS: "bottlerocket", InstanceTypes: []string{"m6i.large"}},
		"BOTTLEROCKET_ARM_64":    {OS: "bottlerocket", InstanceTypes: []string{"m7g.large"}},
		"AL2023_x86_64_STANDARD": {OS: "al2023", InstanceTypes: []string{"c6a.large"}},
		"AL2023_ARM_64_STANDARD": {OS: "al2023", InstanceTypes: []string{"c7g.large"}},
	}
	for want, p := range cases {
		if got := p.AmiType(); got != want {
			t.Errorf("%v: %s, want %s", p.InstanceTypes, got, want)
		}
	}
}

func TestNodePoolDefaultsDependOnOS(t *testing.T) {
	c, err := Load(strings.NewReader("nodes:\n  legacy:\n    os: al2023\n"))
	if err != nil {
		t.Fatal(err)
	}
	br, al := c.Nodes[SystemPool], c.Nodes["legacy"]
	if br.Volumes.Root.SizeGiB != 4 || br.Volumes.Data.SizeGiB != 50 || br.Volumes.Data.Type != "gp3" {
		t.Errorf("bottlerocket volumes %+v", br.Volumes)
	}
	if al.Volumes.Root.SizeGiB != 50 || al.Volumes.Data != (Volume{}) {
		t.Errorf("al2023 volumes %+v", al.Volumes)
	}
	if br.CurrentGeneration() != "1" || br.MetadataHopLimit != 1 || br.Update.MaxUnavailablePercent != 33 {
		t.Errorf("pool defaults %+v", br)
	}
}

func TestNodeValidationRules(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		want []string
	}{
		{"mixed architectures", "nodes: {system: {instanceTypes: [m6i.large, m7g.large]}}", []string{
			`nodes.system.instanceTypes[1]: "m7g.large" is arm64 but m6i.large is x86_64: one pool, one CPU architecture (make a second pool)`,
		}},
		{"generations", "nodes: {system: {generations: []}, web: {generations: ['1', 'Blue', '1']}}", []string{
			`nodes.system.generations: [] must name the current generation (remove the pool instead to delete its nodes)`,
			`nodes.web.generations: ["1", "Blue", "1"] lists 3 generations; at most two run side by side (old, new)`,
			`nodes.web.generations[1]: "Blue" must be 1–8 lowercase letters or digits`,
			`nodes.web.generations[2]: "1" is listed twice`,
		}},
		{"long pool name", "nodes: {a-rather-long-pool-name-for-batch: {generations: ['20261126']}}", []string{
			`nodes.a-rather-long-pool-name-for-batch.generations[0]: "20261126" makes node group names like "a-rather-long-pool-name-for-batch-g20261126-az6-" longer than the 37 characters EKS allows a name prefix; shorten the pool or generation name`,
		}},
		{"os and volumes", "nodes: {system: {os: windows}, legacy: {os: al2023, volumes: {data: {sizeGiB: 20}}}, fast: {volumes: {root: {sizeGiB: 1}, data: {type: gp2, iops: 1}}}, io: {volumes: {data: {type: io2, throughputMiBs: 500}}}}", []string{
			`nodes.system.os: "windows" must be bottlerocket or al2023`,
			`nodes.legacy.volumes.data: applies to Bottlerocket only; AL2023 keeps everything on the root volume`,
			`nodes.fast.volumes.root.sizeGiB: 1 is below the 2 GiB the Bottlerocket OS image needs`,
			`nodes.fast.volumes.data.type: "gp2" must be gp3 or io2`,
			`nodes.io.volumes.data.iops: 0 must be between 100 and 256000 for io2 (it has no baseline)`,
			`nodes.io.volumes.data.throughputMiBs: 500 applies to gp3 only`,
		}},
		{"gp3 limits", "nodes: {system: {volumes: {data: {iops: 20000, throughputMiBs: 100}}}}", []string{
			`nodes.system.volumes.data.iops: 20000 must be between 3000 and 16000 for gp3`,
			`nodes.system.volumes.data.throughputMiBs: 100 must be between 125 and 1000 for gp3`,
		}},
		{"labels taints update imds", "nodes: {system: {labels: {'eksready.io/pool': x, 'bad key!': y}, taints: [{key: gpu, effect: NoSchedule}], update: {maxUnavailablePercent: 0}, metadataHopLimit: 0}}", []string{
			`nodes.system.labels.eksready.io/pool: uses the eksready.io/ prefix, which eksready sets itself`,
			`nodes.system.labels.bad key!: is not a valid Kubernetes label key`,
			`nodes.system.taints[0].effect: "NoSchedule" must be one of NO_SCHEDULE, NO_EXECUTE, PREFER_NO_SCHEDULE`,
			`nodes.system.update.maxUnavailablePercent: 0 must be between 1 and 100`,
			`nodes.system.metadataHopLimit: 0 must be between 1 and 64`,
		}},
		{"unknown to EC2 and to the planner", "nodes: {system: {instanceTypes: [m9z.large]}, old: {instanceTypes: [cc2.8xlarge]}}", []string{
			`nodes.system.instanceTypes[0]: "m9z.large" is not an EC2 instance type`,
			`nodes.old.instanceTypes[0]: "cc2.8xlarge" is not known to the IP capacity planner (no published ENI limits), so its max pods cannot be computed`,
		}},
		{"inspector", "inspector: {enabled: true, resourceTypes: []}", []string{
			`inspector.resourceTypes: [] must name at least one resource type when Inspector is enabled`,
		}},
		{"inspector types", "inspector: {resourceTypes: [EC2, EKS]}", []string{
			`inspector.resourceTypes[1]: "EKS" must be one of EC2, ECR, LAMBDA, LAMBDA_CODE`,
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assertSameProblems(t, problemsOf(t, tc.yaml), tc.want)
		})
	}
}
