package nodes

import (
	"strings"
	"testing"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/config"
)

func TestKubeReservedFollowsTheEKSFormula(t *testing.T) {
	cases := []struct{ maxPods, vcpus, cpu, mem int }{
		{110, 2, 70, 1465},   // m5.large with prefix delegation
		{29, 2, 70, 574},     // m5.large in ENI mode: 11*29+255
		{110, 4, 80, 1465},   // 60 + 10 + 5 + 5
		{250, 48, 190, 3005}, // 80 + 44 * 2.5 = 190
		{110, 1, 60, 1465},
		{17, 2, 70, 442}, // t3.medium
	}
	for _, c := range cases {
		cpu, mem := KubeReserved(c.maxPods, c.vcpus)
		if cpu != c.cpu || mem != c.mem {
			t.Errorf("KubeReserved(%d pods, %d vCPU) = %dm, %dMi; want %dm, %dMi", c.maxPods, c.vcpus, cpu, mem, c.cpu, c.mem)
		}
	}
}

func TestBottlerocketUserData(t *testing.T) {
	got := UserData(Pool{Name: "system", Spec: config.NodePool{OS: "bottlerocket"}, MaxPods: 110, VCPUs: 2})
	want := `[settings.kubernetes]
max-pods = 110

[settings.kubernetes.kube-reserved]
cpu = "70m"
memory = "1465Mi"
ephemeral-storage = "1Gi"

[settings.host-containers.admin]
enabled = false

[settings.host-containers.control]
enabled = true
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestAL2023UserDataIsANodeConfigPart(t *testing.T) {
	got := UserData(Pool{Name: "legacy", Spec: config.NodePool{OS: "al2023"}, MaxPods: 58, VCPUs: 4})
	for _, want := range []string{
		`Content-Type: multipart/mixed; boundary="EKSREADY"`,
		"Content-Type: application/node.eks.aws",
		"kind: NodeConfig",
		"      maxPods: 58",
		"        cpu: 80m",
		"        memory: 893Mi",
		"--EKSREADY--",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("AL2023 user data lacks %q:\n%s", want, got)
		}
	}
}

func TestAmiReleaseParameters(t *testing.T) {
	v := catalog.DefaultKubernetes
	if got := amiReleaseParameter("bottlerocket", v, config.Arm); got != "/aws/service/bottlerocket/aws-k8s-"+v+"/arm64/latest/image_version" {
		t.Error(got)
	}
	if got := amiReleaseParameter("al2023", v, config.X86); got != "/aws/service/eks/optimized-ami/"+v+"/amazon-linux-2023/x86_64/standard/recommended/release_version" {
		t.Error(got)
	}
}
