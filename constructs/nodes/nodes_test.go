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

// Every AMI type eksready selects has its release parameter, the
// accelerated variants included.
func TestAmiReleaseParameters(t *testing.T) {
	v := catalog.DefaultKubernetes
	for ami, want := range map[string]string{
		"BOTTLEROCKET_x86_64":        "/aws/service/bottlerocket/aws-k8s-" + v + "/x86_64/latest/image_version",
		"BOTTLEROCKET_ARM_64":        "/aws/service/bottlerocket/aws-k8s-" + v + "/arm64/latest/image_version",
		"BOTTLEROCKET_x86_64_NVIDIA": "/aws/service/bottlerocket/aws-k8s-" + v + "-nvidia/x86_64/latest/image_version",
		"BOTTLEROCKET_ARM_64_NVIDIA": "/aws/service/bottlerocket/aws-k8s-" + v + "-nvidia/arm64/latest/image_version",
		"AL2023_x86_64_STANDARD":     "/aws/service/eks/optimized-ami/" + v + "/amazon-linux-2023/x86_64/standard/recommended/release_version",
		"AL2023_ARM_64_STANDARD":     "/aws/service/eks/optimized-ami/" + v + "/amazon-linux-2023/arm64/standard/recommended/release_version",
		"AL2023_x86_64_NVIDIA":       "/aws/service/eks/optimized-ami/" + v + "/amazon-linux-2023/x86_64/nvidia/recommended/release_version",
		"AL2023_ARM_64_NVIDIA":       "/aws/service/eks/optimized-ami/" + v + "/amazon-linux-2023/arm64/nvidia/recommended/release_version",
		"AL2023_x86_64_NEURON":       "/aws/service/eks/optimized-ami/" + v + "/amazon-linux-2023/x86_64/neuron/recommended/release_version",
	} {
		if got, err := AmiReleaseParameter(ami, v); err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", ami, got, err, want)
		}
	}
	if _, err := AmiReleaseParameter("AL2_x86_64_GPU", v); err == nil {
		t.Error("an AMI type eksready never selects must have no parameter")
	}
}

// Every pool eksready accepts has a parameter for its AMI type: each
// accelerated family on each OS that drives it.
func TestEveryAcceptedAmiTypeHasAReleaseParameter(t *testing.T) {
	for family, f := range catalog.AcceleratedFamilies {
		for _, os := range []string{"bottlerocket", "al2023"} {
			if (os == "bottlerocket" && !f.Bottlerocket) || (os == "al2023" && !f.AL2023) {
				continue
			}
			p := config.NodePool{OS: os, InstanceTypes: []string{family + ".xlarge"}}
			if _, err := AmiReleaseParameter(p.AmiType(), catalog.DefaultKubernetes); err != nil {
				t.Errorf("%s on %s: %v", family, os, err)
			}
		}
	}
}

// A scale-from-zero node template names the labels, the taints but the
// startup ones, and the accelerator devices (GPUs; Neuron devices and
// cores, which cluster-autoscaler's own table lacks).
func TestNodeTemplate(t *testing.T) {
	startup := config.Taint{Key: "node.cilium.io/agent-not-ready", Value: "true", Effect: "NO_EXECUTE"}
	gpu := config.Taint{Key: "nvidia.com/gpu", Value: "true", Effect: "NO_SCHEDULE"}
	got := NodeTemplate(Pool{Name: "gpu", Spec: config.NodePool{InstanceTypes: []string{"g6.xlarge", "g6.2xlarge"}},
		Taints: []config.Taint{startup, gpu}, StartupTaints: []config.Taint{startup},
		ExtraLabels: map[string]string{"k8s.amazonaws.com/accelerator": "nvidia-l4"}}, "1")
	want := map[string]string{
		"k8s.io/cluster-autoscaler/node-template/label/eksready.io/pool":              "gpu",
		"k8s.io/cluster-autoscaler/node-template/label/eksready.io/generation":        "1",
		"k8s.io/cluster-autoscaler/node-template/label/k8s.amazonaws.com/accelerator": "nvidia-l4",
		"k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu":                "true:NoSchedule",
		"k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu":            "1",
	}
	if len(got) != len(want) {
		t.Errorf("template %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	neuron := NodeTemplate(Pool{Name: "inf", Spec: config.NodePool{InstanceTypes: []string{"inf2.xlarge"}}}, "1")
	if neuron["k8s.io/cluster-autoscaler/node-template/resources/aws.amazon.com/neuron"] != "1" || neuron["k8s.io/cluster-autoscaler/node-template/resources/aws.amazon.com/neuroncore"] != "2" {
		t.Errorf("Neuron template %v", neuron)
	}
}
