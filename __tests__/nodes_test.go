package apptest

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/config/ipcapacity"
	"github.com/eksready/eksready/report"
)

// TestOneNodeGroupPerZonePerPoolGeneration (R6): every pool has exactly one
// managed node group per availability zone and generation, each in one
// subnet, with the autoscaler owning the desired size.
func TestOneNodeGroupPerZonePerPoolGeneration(t *testing.T) {
	for _, f := range synthAll(t) {
		infra := f.Stack(t, "infra")
		groups := infra.Resource["aws_eks_node_group"]
		want := 0
		for name, pool := range f.Config.Nodes {
			for _, gen := range pool.Generations {
				zones := map[string]bool{}
				for _, g := range groups {
					labels := g["labels"].(map[string]any)
					if labels["eksready.io/pool"] != name || labels["eksready.io/generation"] != gen {
						continue
					}
					subnets := toStrings(g["subnet_ids"])
					if len(subnets) != 1 {
						t.Errorf("%s: node group of %s spans %d subnets", f.Name, name, len(subnets))
						continue
					}
					zones[subnets[0]] = true
				}
				// A pool bound to one capacity reservation runs in its
				// zone only (gpu-al2023-neuron's Capacity Block pool).
				poolZones := config.PoolZones(f.Config, name)
				if len(zones) != len(poolZones) {
					t.Errorf("%s: pool %s generation %s has node groups in %d zones, want %d", f.Name, name, gen, len(zones), len(poolZones))
				}
				if len(poolZones) == 1 && len(poolZones) < f.Config.Network.AvailabilityZoneCount {
					want := fmt.Sprintf("network_private-%d_", poolZones[0])
					for subnet := range zones {
						if !strings.Contains(subnet, want) {
							t.Errorf("%s: pool %s runs in %s, not its reservation's zone (%s)", f.Name, name, subnet, want)
						}
					}
				}
				want += len(poolZones)
			}
		}
		if len(groups) != want {
			t.Errorf("%s: %d node groups, want %d", f.Name, len(groups), want)
		}
		for name, g := range groups {
			lc := g["lifecycle"].(map[string]any)
			if !slices.Contains(toStrings(lc["ignore_changes"]), "scaling_config[0].desired_size") || lc["create_before_destroy"] != true {
				t.Errorf("%s: %s lifecycle %v", f.Name, name, lc)
			}
			if g["update_config"] == nil {
				t.Errorf("%s: %s has no update_config", f.Name, name)
			}
		}
	}
}

// TestLaunchTemplatesEncryptBothVolumesAndRequireIMDSv2 (R2, R4).
func TestLaunchTemplatesEncryptBothVolumesAndRequireIMDSv2(t *testing.T) {
	for _, f := range synthAll(t) {
		infra := f.Stack(t, "infra")
		keyName, _ := resourceNamed(t, infra.Resource["aws_kms_key"], "ebs-key_")
		for name, lt := range infra.Resource["aws_launch_template"] {
			pool := f.Config.Nodes[strings.SplitN(strings.TrimPrefix(name, "nodes_"), "-g", 2)[0]]
			devices := map[string]bool{}
			for _, bd := range lt["block_device_mappings"].([]any) {
				m := bd.(map[string]any)
				ebs := m["ebs"].(map[string]any)
				devices[m["device_name"].(string)] = true
				if ebs["encrypted"] != "true" || ebs["kms_key_id"] != "${aws_kms_key."+keyName+".arn}" {
					t.Errorf("%s: %s volume %s not encrypted with the EBS key: %v", f.Name, name, m["device_name"], ebs)
				}
			}
			wantDevices := []string{"/dev/xvda"}
			if pool.OS == "bottlerocket" {
				wantDevices = append(wantDevices, "/dev/xvdb")
			}
			for _, d := range wantDevices {
				if !devices[d] {
					t.Errorf("%s: %s lacks %s", f.Name, name, d)
				}
			}
			md := lt["metadata_options"].(map[string]any)
			if md["http_tokens"] != "required" || md["http_put_response_hop_limit"] != float64(pool.MetadataHopLimit) {
				t.Errorf("%s: %s metadata options %v", f.Name, name, md)
			}
		}
	}
}

// TestMaxPodsComesFromThePlanner: the kubelet max-pods in user data is the
// planner's value for the pool's smallest instance type.
func TestMaxPodsComesFromThePlanner(t *testing.T) {
	for _, f := range synthAll(t) {
		infra := f.Stack(t, "infra")
		for name, lt := range infra.Resource["aws_launch_template"] {
			poolName := strings.SplitN(strings.TrimPrefix(name, "nodes_"), "-g", 2)[0]
			pool := f.Config.Nodes[poolName]
			want := 1 << 30
			for _, it := range pool.InstanceTypes {
				r, err := ipcapacity.MaxPods(it, config.CNI(f.Config))
				if err != nil {
					t.Fatal(err)
				}
				want = min(want, r.MaxPods)
			}
			ud, err := base64.StdEncoding.DecodeString(lt["user_data"].(string))
			if err != nil {
				t.Fatal(err)
			}
			line := fmt.Sprintf("max-pods = %d", want)
			if pool.OS == "al2023" {
				line = fmt.Sprintf("maxPods: %d", want)
			}
			if !strings.Contains(string(ud), line) {
				t.Errorf("%s: %s user data lacks %q:\n%s", f.Name, name, line, ud)
			}
			if pool.OS == "bottlerocket" && (!strings.Contains(string(ud), "[settings.host-containers.admin]\nenabled = false") || !strings.Contains(string(ud), "[settings.host-containers.control]\nenabled = true")) {
				t.Errorf("%s: %s Bottlerocket host containers wrong:\n%s", f.Name, name, ud)
			}
		}
	}
}

// TestNodeRoleAndEbsKeyPolicy: the node role has the worker, ECR pull and
// SSM policies and never the CNI policy; the EBS key admits the Auto
// Scaling service-linked role and the cluster role, with CreateGrant only
// for AWS resources.
func TestNodeRoleAndEbsKeyPolicy(t *testing.T) {
	for _, f := range synthAll(t) {
		if f.Config.AutoModeOn() {
			continue // TestAutoModeInfra
		}
		infra := f.Stack(t, "infra")
		roleName, _ := resourceNamed(t, infra.Resource["aws_iam_role"], "nodes_role_")
		var policies []string
		for _, att := range infra.Resource["aws_iam_role_policy_attachment"] {
			if att["role"] == "${aws_iam_role."+roleName+".name}" {
				p := att["policy_arn"].(string)
				policies = append(policies, p[strings.LastIndex(p, "/")+1:])
			}
		}
		slices.Sort(policies)
		if want := []string{"AmazonEC2ContainerRegistryPullOnly", "AmazonEKSWorkerNodePolicy", "AmazonSSMManagedInstanceCore"}; !slices.Equal(policies, want) {
			t.Errorf("%s: node role policies %v, want %v", f.Name, policies, want)
		}
		_, key := resourceNamed(t, infra.Resource["aws_kms_key"], "ebs-key_")
		policy := key["policy"].(string)
		for _, want := range []string{
			`role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
			`"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"]`,
			`"Action":"kms:CreateGrant","Condition":{"Bool":{"kms:GrantIsForAWSResource":true}}`,
			`${aws_iam_role.control-plane_role_`,
		} {
			if !strings.Contains(policy, want) {
				t.Errorf("%s: EBS key policy lacks %s:\n%s", f.Name, want, policy)
			}
		}
	}
}

func TestAL2023SpotArmAndInspectorFixture(t *testing.T) {
	f := fixtureNamed(t, "nodes-al2023-spot-arm-bluegreen")
	infra := f.Stack(t, "infra")
	amis := map[string]string{}
	for _, g := range infra.Resource["aws_eks_node_group"] {
		pool := g["labels"].(map[string]any)["eksready.io/pool"].(string)
		amis[pool] = g["ami_type"].(string)
		if pool == "batch" && g["capacity_type"] != "SPOT" {
			t.Errorf("batch pool is %v", g["capacity_type"])
		}
		if pool == "system" && g["release_version"] != f.Config.Nodes["system"].AmiReleaseVersion {
			t.Errorf("pinned release not used: %v", g["release_version"])
		}
		// forceUpdateVersion on the batch pool only: the system pool keeps
		// PodDisruptionBudgets binding during updates.
		if want := pool == "batch"; g["force_update_version"] != want {
			t.Errorf("%s pool force_update_version = %v, want %v", pool, g["force_update_version"], want)
		}
	}
	if amis["system"] != "AL2023_x86_64_STANDARD" || amis["batch"] != "BOTTLEROCKET_ARM_64" {
		t.Errorf("AMI types %v", amis)
	}
	_, ins := only(t, infra, "aws_inspector2_enabler")
	if !slices.Equal(toStrings(ins["resource_types"]), []string{"EC2", "ECR"}) {
		t.Errorf("inspector resource types %v", ins["resource_types"])
	}
	if len(fixtureNamed(t, defaultFixture).Stack(t, "infra").Resource["aws_inspector2_enabler"]) != 0 {
		t.Error("Inspector is on in the default configuration")
	}
}

// TestManagedAddonOrderAroundNodes (R3): the CNI, Pod Identity agent and
// kube-proxy exist before any node group; CoreDNS and the EBS CSI driver
// wait for every node group.
func TestManagedAddonOrderAroundNodes(t *testing.T) {
	for _, f := range synthAll(t) {
		infra, addonsStack := f.Stack(t, "infra"), f.Stack(t, "addons")
		addonRef := map[string]string{}
		addonAttrs := map[string]map[string]any{}
		for _, st := range []report.Stack{infra, addonsStack} {
			for name, a := range st.Resource["aws_eks_addon"] {
				addonRef[a["addon_name"].(string)] = "aws_eks_addon." + name
				addonAttrs[a["addon_name"].(string)] = a
			}
		}
		before := []string{"eks-pod-identity-agent", "kube-proxy"}
		if f.Config.Network.UsesVpcCni() {
			before = append(before, "vpc-cni")
		}
		var groupRefs []string
		for name, g := range infra.Resource["aws_eks_node_group"] {
			groupRefs = append(groupRefs, "aws_eks_node_group."+name)
			deps := toStrings(g["depends_on"])
			for _, b := range before {
				if !slices.Contains(deps, addonRef[b]) {
					t.Errorf("%s: node group %s does not wait for %s", f.Name, name, b)
				}
			}
		}
		for _, after := range []string{"coredns", "aws-ebs-csi-driver"} {
			deps := toStrings(addonAttrs[after]["depends_on"])
			follow := ""
			switch {
			case !f.Config.Network.UsesVpcCni():
				// Nodes stay tainted until the CNI (in addons) runs.
				follow = "helm_release.cilium"
			case f.Config.AutoModeOn():
				// Auto Mode runs CoreDNS and the EBS CSI driver itself.
				continue
			case f.Config.Network.Policies.DefaultDeny():
				// Pods have no traffic until the platform policies exist.
				follow = "helm_release.baseline"
			}
			if follow != "" {
				if _, inAddons := addonsStack.Resource["aws_eks_addon"][strings.TrimPrefix(addonRef[after], "aws_eks_addon.")]; !inAddons || !slices.Contains(deps, follow) {
					t.Errorf("%s: %s is not installed after %s", f.Name, after, follow)
				}
				continue
			}
			for _, g := range groupRefs {
				if !slices.Contains(deps, g) {
					t.Errorf("%s: %s does not wait for %s", f.Name, after, g)
				}
			}
		}
	}
}

// resourceNamed finds the one resource whose logical name starts with prefix.
func resourceNamed(t *testing.T, byName map[string]map[string]any, prefix string) (string, map[string]any) {
	t.Helper()
	for name, r := range byName {
		if strings.HasPrefix(name, prefix) {
			return name, r
		}
	}
	t.Fatalf("no resource named %s…", prefix)
	return "", nil
}

// The default synth installs the EKS node monitoring agent, after every
// node group, so node auto repair sees kernel, network and storage faults.
func TestDefaultInstallsTheNodeMonitoringAgentAfterTheNodes(t *testing.T) {
	infra := fixtureNamed(t, defaultFixture).Stack(t, "infra")
	var agent map[string]any
	for _, a := range infra.Resource["aws_eks_addon"] {
		if a["addon_name"] == config.NodeMonitoringAgentAddon {
			agent = a
		}
	}
	if agent == nil {
		t.Fatal("no eks-node-monitoring-agent add-on in the default infra stack")
	}
	deps := toStrings(agent["depends_on"])
	for name := range infra.Resource["aws_eks_node_group"] {
		if !slices.Contains(deps, "aws_eks_node_group."+name) {
			t.Errorf("the node monitoring agent does not wait for node group %s: %v", name, deps)
		}
	}
	for _, g := range infra.Resource["aws_eks_node_group"] {
		if g["force_update_version"] != false {
			t.Errorf("force_update_version = %v by default, want false", g["force_update_version"])
		}
	}
}

// TestKarpenterMaxPodsComesFromThePlanner: every fixture with Karpenter
// gives its EC2NodeClass the kubelet max pods the capacity plan charged
// every Karpenter node with, and its NodePools the requirements the plan
// bounded them by.
func TestKarpenterMaxPodsComesFromThePlanner(t *testing.T) {
	seen := 0
	for _, f := range synthAll(t) {
		if f.Config.Software.Autoscaling != config.AutoscalingKarpenter {
			continue
		}
		seen++
		want, err := config.KarpenterMaxPods(f.Config)
		if err != nil || want < 1 {
			t.Fatalf("%s: planner max pods %d, %v", f.Name, want, err)
		}
		rep, err := config.CapacityReport(f.Config)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		for _, s := range rep.Subnets {
			for _, g := range s.Groups {
				if strings.HasPrefix(g.Group, "karpenter/") && g.PodsPerNode != want {
					t.Errorf("%s: plan charges %s at %d pods, EC2NodeClass should say %d", f.Name, g.Group, g.PodsPerNode, want)
				}
			}
		}
		objects, _ := get(releases(t, f.Stack(t, "addons"))["karpenter-nodepools"].Values, "objects").([]any)
		if len(objects) == 0 {
			t.Fatalf("%s: no Karpenter objects", f.Name)
		}
		if got := get(objects[0], "spec", "kubelet", "maxPods"); got != float64(want) {
			t.Errorf("%s: EC2NodeClass spec.kubelet.maxPods = %v, want %d", f.Name, got, want)
		}
		for _, np := range objects[1:] {
			name := get(np, "metadata", "name").(string)
			p := f.Config.Software.Karpenter.NodePools[name]
			reqs := map[string][]any{}
			for _, r := range get(np, "spec", "template", "spec", "requirements").([]any) {
				reqs[get(r, "key").(string)] = append(get(r, "values").([]any), get(r, "operator"))
			}
			if got := reqs["karpenter.k8s.aws/instance-cpu"]; fmt.Sprint(got) != fmt.Sprintf("[%d Gt]", p.MinVCPUs-1) {
				t.Errorf("%s: NodePool %s instance-cpu requirement %v, want Gt %d", f.Name, name, got, p.MinVCPUs-1)
			}
			if got := reqs["karpenter.k8s.aws/instance-hypervisor"]; config.KarpenterNitroOnly(f.Config) != (fmt.Sprint(got) == "[nitro In]") {
				t.Errorf("%s: NodePool %s hypervisor requirement %v with prefix delegation %v", f.Name, name, got, config.KarpenterNitroOnly(f.Config))
			}
			if got := reqs["karpenter.k8s.aws/instance-size"]; len(p.InstanceSizes) > 0 && len(got) != len(p.InstanceSizes)+1 {
				t.Errorf("%s: NodePool %s instance-size requirement %v, want %v", f.Name, name, got, p.InstanceSizes)
			}
		}
	}
	if seen < 2 {
		t.Errorf("%d fixtures with Karpenter, want at least karpenter and everything-on", seen)
	}
}
