package apptest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/constructs/addons/clusterautoscaler"
	"github.com/eksready/eksready/constructs/addons/karpenter"
	"github.com/eksready/eksready/report"
)

// release is one synthesized helm_release, found by its release name.
type release struct {
	Ref    string
	Attrs  map[string]any
	Values map[string]any
}

// releases indexes a stack's helm_releases by release name, with their
// values parsed.
func releases(t *testing.T, st report.Stack) map[string]release {
	t.Helper()
	out := map[string]release{}
	for id, r := range st.Resource["helm_release"] {
		rel := release{Ref: ref("helm_release", id), Attrs: r, Values: map[string]any{}}
		if vals := toStrings(r["values"]); len(vals) == 1 {
			if err := json.Unmarshal([]byte(vals[0]), &rel.Values); err != nil {
				t.Fatalf("release %s: values are not JSON: %v", id, err)
			}
		}
		out[r["name"].(string)] = rel
	}
	return out
}

// get walks a parsed JSON value along keys.
func get(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// fromInfra reports whether an expression reads an infra output.
func fromInfra(v any) bool {
	s, _ := v.(string)
	return strings.HasPrefix(s, "${data.terraform_remote_state.cross-stack-reference-input-infra.outputs.")
}

// inlinePolicy returns the inline IAM policy of the role whose name
// prefix contains part.
func inlinePolicy(t *testing.T, infra report.Stack, part string) map[string]any {
	t.Helper()
	for id, p := range infra.Resource["aws_iam_role_policy"] {
		if p["name"] == part {
			var doc map[string]any
			if err := json.Unmarshal([]byte(p["policy"].(string)), &doc); err != nil {
				t.Fatalf("policy %s: %v", id, err)
			}
			return doc
		}
	}
	t.Fatalf("no inline policy named %q", part)
	return nil
}

func statements(doc map[string]any) []map[string]any {
	var out []map[string]any
	b, _ := json.Marshal(doc["Statement"])
	_ = json.Unmarshal(b, &out)
	return out
}

func TestExactlyOneAutoscalerIsInstalled(t *testing.T) {
	for _, f := range synthAll(t) {
		t.Run(f.Name, func(t *testing.T) {
			rs := releases(t, f.Stack(t, "addons"))
			_, ca := rs["cluster-autoscaler"]
			_, kp := rs["karpenter"]
			switch f.Config.Software.Autoscaling {
			case config.AutoscalingClusterAutoscaler:
				if !ca || kp {
					t.Errorf("cluster-autoscaler chosen: cluster-autoscaler=%v karpenter=%v", ca, kp)
				}
			case config.AutoscalingKarpenter:
				if ca || !kp {
					t.Errorf("karpenter chosen: cluster-autoscaler=%v karpenter=%v", ca, kp)
				}
			}
			infra := f.Stack(t, "infra")
			if got, want := len(infra.Resource["aws_sqs_queue"]) == 1, kp; got != want {
				t.Errorf("interruption queue present = %v, want %v", got, want)
			}
		})
	}
}

func TestClusterAutoscalerFlags(t *testing.T) {
	f := fixtureNamed(t, defaultFixture)
	ca := releases(t, f.Stack(t, "addons"))["cluster-autoscaler"]
	want, _ := catalog.ClusterAutoscaler.For(f.Config.KubernetesVersion)
	if ca.Attrs["version"] != want.Version || ca.Attrs["repository"] != want.Repository || ca.Attrs["chart"] != "cluster-autoscaler" {
		t.Errorf("chart %v %v %v, want %+v (matched to Kubernetes %s)", ca.Attrs["repository"], ca.Attrs["chart"], ca.Attrs["version"], want, f.Config.KubernetesVersion)
	}
	// The autoscaler runs the Kubernetes minor's release: the chart's own
	// image, or the catalog's image tag where no chart ships it (1.36).
	if tag, _ := get(ca.Values, "image", "tag").(string); tag != want.ImageTag || !strings.HasPrefix(strings.TrimPrefix(want.AppVersion, "v"), f.Config.KubernetesVersion+".") {
		t.Errorf("image tag %q, app %s; want %q running Kubernetes %s's autoscaler", tag, want.AppVersion, want.ImageTag, f.Config.KubernetesVersion)
	}
	args := get(ca.Values, "extraArgs").(map[string]any)
	for flag, want := range map[string]any{"balance-similar-node-groups": true, "expander": "least-waste", "skip-nodes-with-local-storage": false} {
		if args[flag] != want {
			t.Errorf("--%s=%v, want %v", flag, args[flag], want)
		}
	}
	checks := map[string]any{
		"priorityClassName":                  "system-cluster-critical",
		"replicaCount":                       float64(2),
		"awsRegion":                          f.Config.Region,
		"rbac.serviceAccount.name":           clusterautoscaler.ServiceAccount,
		"podDisruptionBudget.maxUnavailable": float64(1),
		"nodeSelector.eksready.io/pool":      "system",
	}
	for path, want := range checks {
		keys := strings.SplitN(path, ".", 3)
		if path == "nodeSelector.eksready.io/pool" {
			keys = []string{"nodeSelector", "eksready.io/pool"}
		}
		if got := get(ca.Values, keys...); got != want {
			t.Errorf("%s = %v, want %v", path, got, want)
		}
	}
	if !fromInfra(get(ca.Values, "autoDiscovery", "clusterName")) {
		t.Errorf("autoDiscovery.clusterName %v does not come from infra", get(ca.Values, "autoDiscovery", "clusterName"))
	}
}

// Karpenter supports a Kubernetes minor only from the release its
// compatibility matrix names (1.13 for 1.36): the karpenter fixture, on the
// default version, installs a release at or past that floor, and the CRD
// chart of the same version.
func TestKarpenterMeetsTheKubernetesCompatibilityFloor(t *testing.T) {
	f := fixtureNamed(t, "karpenter")
	rs := releases(t, f.Stack(t, "addons"))
	floor, ok := catalog.KarpenterFloor(f.Config.KubernetesVersion)
	got, _ := rs["karpenter"].Attrs["version"].(string)
	if !ok || got == "" || catalog.CompareVersions(got, floor) < 0 {
		t.Errorf("Kubernetes %s installs Karpenter %q, below its floor %q", f.Config.KubernetesVersion, got, floor)
	}
	if crd := rs["karpenter-crd"].Attrs["version"]; crd != got {
		t.Errorf("karpenter-crd %v, karpenter %v: they must match", crd, got)
	}
}

func TestKarpenterControllerPolicyIsScopedToTheCluster(t *testing.T) {
	f := fixtureNamed(t, "karpenter")
	infra := f.Stack(t, "infra")
	doc := inlinePolicy(t, infra, "kpt")
	sts := statements(doc)
	if len(sts) != 17 {
		t.Errorf("%d statements, want the 17 of Karpenter's CloudFormation policies", len(sts))
	}
	owned := "kubernetes.io/cluster/" + f.Config.Name
	for _, s := range sts {
		actions := strings.Join(toStrings(s["Action"]), ",")
		if s["Action"] != nil && len(toStrings(s["Action"])) == 0 {
			actions = s["Action"].(string)
		}
		cond, _ := json.Marshal(s["Condition"])
		res, _ := json.Marshal(s["Resource"])
		switch {
		case strings.Contains(actions, "TerminateInstances"), strings.Contains(actions, "CreateLaunchTemplate"),
			strings.Contains(actions, "InstanceProfile") && !strings.Contains(actions, "GetInstanceProfile") && !strings.Contains(actions, "ListInstanceProfiles"):
			if !strings.Contains(string(cond), owned) {
				t.Errorf("%v (%s) is not conditioned on %s", s["Sid"], actions, owned)
			}
		case strings.Contains(actions, "iam:PassRole"):
			if !strings.Contains(string(res), "aws_iam_role.karpenter_node-role") {
				t.Errorf("PassRole on %s, want only the node role", res)
			}
		case strings.Contains(actions, "sqs:"):
			if !strings.Contains(string(res), "aws_sqs_queue.") {
				t.Errorf("queue actions on %s, want only the interruption queue", res)
			}
		case strings.Contains(actions, "eks:DescribeCluster"):
			if !strings.HasSuffix(strings.Trim(string(res), `"`), ":cluster/"+f.Config.Name) {
				t.Errorf("DescribeCluster on %s", res)
			}
		}
	}
	// The controller launches instances with volumes under the EBS key:
	// the key policy names it and the node role.
	for id, key := range infra.Resource["aws_kms_key"] {
		if !strings.Contains(id, "ebs") {
			continue
		}
		for _, role := range []string{"aws_iam_role.karpenter_controller-identity", "aws_iam_role.karpenter_node-role"} {
			if !strings.Contains(key["policy"].(string), role) {
				t.Errorf("EBS key policy does not let %s use the key", role)
			}
		}
	}
	// Nodes join through an EC2_LINUX access entry for the node role.
	found := false
	for _, e := range infra.Resource["aws_eks_access_entry"] {
		if e["type"] == "EC2_LINUX" && strings.Contains(e["principal_arn"].(string), "aws_iam_role.karpenter_node-role") {
			found = true
		}
	}
	if !found {
		t.Error("no EC2_LINUX access entry for the Karpenter node role")
	}
}

func TestInterruptionQueueIsEncryptedAndWiredToEveryRule(t *testing.T) {
	for _, name := range []string{"karpenter", "everything-on"} {
		t.Run(name, func(t *testing.T) {
			infra := fixtureNamed(t, name).Stack(t, "infra")
			qid, q := only(t, infra, "aws_sqs_queue")
			if q["sqs_managed_sse_enabled"] != true || q["message_retention_seconds"] != float64(300) {
				t.Errorf("queue = %v, want SSE on and 300 s retention", q)
			}
			queueArn := "${" + ref("aws_sqs_queue", qid) + ".arn}"
			_, qp := only(t, infra, "aws_sqs_queue_policy")
			if qp["queue_url"] != "${"+ref("aws_sqs_queue", qid)+".url}" || !strings.Contains(qp["policy"].(string), `"aws:SecureTransport":false`) || !strings.Contains(qp["policy"].(string), "events.amazonaws.com") {
				t.Errorf("queue policy = %v", qp)
			}
			rules := infra.Resource["aws_cloudwatch_event_rule"]
			if len(rules) != len(karpenter.InterruptionRules) {
				t.Fatalf("%d rules, want %d", len(rules), len(karpenter.InterruptionRules))
			}
			var types []string
			for rid, r := range rules {
				var pattern map[string][]string
				_ = json.Unmarshal([]byte(r["event_pattern"].(string)), &pattern)
				types = append(types, pattern["detail-type"]...)
				targeted := false
				for _, tg := range infra.Resource["aws_cloudwatch_event_target"] {
					if tg["rule"] == "${"+ref("aws_cloudwatch_event_rule", rid)+".name}" && tg["arn"] == queueArn {
						targeted = true
					}
				}
				if !targeted {
					t.Errorf("rule %s does not target the queue", rid)
				}
			}
			slices.Sort(types)
			// Karpenter's getting-started template (v1.14): the four kinds it
			// always had and, from 1.10, interruptible capacity reservations.
			want := []string{"AWS Health Event", "EC2 Capacity Reservation Instance Interruption Warning", "EC2 Instance Rebalance Recommendation", "EC2 Instance State-change Notification", "EC2 Spot Instance Interruption Warning"}
			if !slices.Equal(types, want) {
				t.Errorf("rules match %v, want %v", types, want)
			}
			// Discovery tags on the cluster security group (a tag resource)
			// and every private subnet (by the network construct).
			tagged := 0
			for _, tg := range infra.Resource["aws_ec2_tag"] {
				if tg["key"] == karpenter.DiscoveryTagKey {
					tagged++
				}
			}
			if tagged != 1 {
				t.Errorf("%d discovery tags on the security group, want 1", tagged)
			}
			subnets := 0
			for _, sn := range infra.Resource["aws_subnet"] {
				if tags, _ := sn["tags"].(map[string]any); tags[karpenter.DiscoveryTagKey] == fixtureNamed(t, name).Config.Name {
					subnets++
				}
			}
			if subnets != fixtureNamed(t, name).Config.Network.AvailabilityZoneCount {
				t.Errorf("%d subnets carry the discovery tag, want one private subnet per zone", subnets)
			}
		})
	}
}

func TestReleaseOrdering(t *testing.T) {
	f := fixtureNamed(t, "everything-on")
	rs := releases(t, f.Stack(t, "addons"))
	dependsOn := func(a, b string) bool { return slices.Contains(toStrings(rs[a].Attrs["depends_on"]), rs[b].Ref) }
	orders := [][2]string{
		{"karpenter", "karpenter-crd"},
		{"karpenter-nodepools", "karpenter"},
		{"brupop-crd", "cert-manager"},
		{"brupop-operator", "brupop-crd"},
		{"brupop-operator", "cert-manager"},
	}
	// Every chart that creates Services waits for the load balancer
	// controller's webhook.
	for _, name := range []string{"metrics-server", "karpenter-crd", "karpenter", "external-dns", "cert-manager", "brupop-crd", "brupop-operator"} {
		orders = append(orders, [2]string{name, "aws-load-balancer-controller"})
	}
	for _, o := range orders {
		if _, ok := rs[o[0]]; !ok {
			t.Fatalf("no release %s", o[0])
		}
		if !dependsOn(o[0], o[1]) {
			t.Errorf("%s does not depend on %s: %v", o[0], o[1], rs[o[0]].Attrs["depends_on"])
		}
	}
	if rs["karpenter"].Attrs["skip_crds"] != true {
		t.Error("the karpenter chart must skip its crds/ copy; karpenter-crd owns them")
	}
	for name, r := range rs {
		if r.Attrs["atomic"] != true || r.Attrs["wait"] != true || r.Attrs["timeout"] == nil || r.Attrs["max_history"] != float64(10) {
			t.Errorf("%s: atomic/wait/timeout/max_history = %v/%v/%v/%v", name, r.Attrs["atomic"], r.Attrs["wait"], r.Attrs["timeout"], r.Attrs["max_history"])
		}
	}
	// eksready creates their namespaces, with Pod Security labels, in the
	// baseline release every other release waits for; Helm's
	// create_namespace could not label them.
	for _, name := range []string{"external-dns", "cert-manager", "brupop-crd"} {
		if rs[name].Attrs["create_namespace"] != false {
			t.Errorf("%s creates its namespace itself", name)
		}
		if !dependsOn(name, "eksready-baseline") {
			t.Errorf("%s does not wait for the baseline release", name)
		}
	}
	objects, _ := get(rs["eksready-baseline"].Values, "objects").([]any)
	labelled := map[string]string{}
	for _, o := range objects {
		if get(o, "kind") == "Namespace" {
			enforce, _ := get(o, "metadata", "labels", "pod-security.kubernetes.io/enforce").(string)
			labelled[get(o, "metadata", "name").(string)] = enforce
		}
	}
	if want := map[string]string{"external-dns": "restricted", "cert-manager": "restricted", "brupop-bottlerocket-aws": "privileged"}; !reflect.DeepEqual(labelled, want) {
		t.Errorf("baseline namespaces %v, want %v", labelled, want)
	}
}

func TestStorageClassEncryptsWithTheEbsKey(t *testing.T) {
	for _, f := range synthAll(t) {
		t.Run(f.Name, func(t *testing.T) {
			addons := f.Stack(t, "addons")
			sc := releases(t, addons)["storage-classes"]
			objects, _ := get(sc.Values, "objects").([]any)
			if len(objects) != 1 {
				t.Fatalf("objects = %v", objects)
			}
			o := objects[0]
			provisioner := "ebs.csi.aws.com"
			if f.Config.AutoModeOn() {
				provisioner = "ebs.csi.eks.amazonaws.com"
			}
			if get(o, "kind") != "StorageClass" || get(o, "provisioner") != provisioner || get(o, "volumeBindingMode") != "WaitForFirstConsumer" || get(o, "allowVolumeExpansion") != true || get(o, "reclaimPolicy") != "Delete" {
				t.Errorf("storage class = %v", o)
			}
			if get(o, "metadata", "annotations", "storageclass.kubernetes.io/is-default-class") != "true" {
				t.Error("the class is not the default")
			}
			if get(o, "parameters", "type") != "gp3" || get(o, "parameters", "encrypted") != "true" {
				t.Errorf("parameters = %v", get(o, "parameters"))
			}
			kms := get(o, "parameters", "kmsKeyId").(string)
			if !fromInfra(kms) || !strings.Contains(kms, "aws_kms_keyebs-key") {
				t.Errorf("kmsKeyId %s is not the EBS key from infra", kms)
			}
			// The chart is a relative asset shipped inside the stack.
			path := sc.Attrs["chart"].(string)
			if !strings.HasPrefix(path, "./assets/eksready-resources/") {
				t.Errorf("chart path %s is not a relative asset path", path)
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(f.StackPath("addons")), path, "templates", "objects.yaml")); err != nil {
				t.Errorf("asset not written beside the stack: %v", err)
			}
		})
	}
}

func TestKarpenterObjects(t *testing.T) {
	f := fixtureNamed(t, "everything-on")
	rs := releases(t, f.Stack(t, "addons"))
	v := rs["karpenter"].Values
	for _, key := range []string{"clusterName", "clusterEndpoint", "interruptionQueue"} {
		if !fromInfra(get(v, "settings", key)) {
			t.Errorf("settings.%s = %v, want an infra output", key, get(v, "settings", key))
		}
	}
	if !fromInfra(get(v, "serviceAccount", "annotations", "eks.amazonaws.com/role-arn")) {
		t.Errorf("IRSA annotation = %v", get(v, "serviceAccount", "annotations"))
	}
	if get(v, "nodeSelector", "eksready.io/pool") != "system" {
		t.Error("the controller does not run on the system pool")
	}
	objects := get(rs["karpenter-nodepools"].Values, "objects").([]any)
	nc := objects[0]
	if get(nc, "kind") != "EC2NodeClass" || !fromInfra(get(nc, "spec", "role")) {
		t.Errorf("node class = %v", nc)
	}
	if got := get(nc, "spec", "amiSelectorTerms").([]any)[0]; get(got, "alias") != "bottlerocket@v1.42.0" {
		t.Errorf("ami = %v", got)
	}
	bdms := get(nc, "spec", "blockDeviceMappings").([]any)
	if len(bdms) != 2 || get(bdms[0], "deviceName") != "/dev/xvda" || get(bdms[1], "deviceName") != "/dev/xvdb" {
		t.Fatalf("block devices = %v", bdms)
	}
	for _, b := range bdms {
		if get(b, "ebs", "encrypted") != true || !fromInfra(get(b, "ebs", "kmsKeyID")) {
			t.Errorf("volume %v is not encrypted with the EBS key", b)
		}
	}
	if get(nc, "spec", "metadataOptions", "httpTokens") != "required" || get(nc, "spec", "metadataOptions", "httpPutResponseHopLimit") != float64(1) {
		t.Errorf("metadata options = %v", get(nc, "spec", "metadataOptions"))
	}
	np := objects[1]
	if get(np, "spec", "template", "spec", "expireAfter") != "720h" || get(np, "spec", "disruption", "consolidationPolicy") != "WhenEmptyOrUnderutilized" {
		t.Errorf("node pool = %v", np)
	}
	if get(np, "spec", "template", "metadata", "labels", "bottlerocket.aws/updater-interface-version") != "2.0.0" {
		t.Error("Karpenter nodes lack the update operator's label while the operator is on")
	}
}

func TestHelmProviderAuthentication(t *testing.T) {
	token := f2(t, defaultFixture)
	if k := token.Provider["helm"][0]["kubernetes"].(map[string]any); k["token"] == nil || k["exec"] != nil {
		t.Errorf("default authentication = %v, want a token", k)
	}
	exec := f2(t, "everything-on")
	k := exec.Provider["helm"][0]["kubernetes"].(map[string]any)
	e, _ := k["exec"].(map[string]any)
	args := toStrings(get(e, "args"))
	if e == nil || e["command"] != "aws" || e["api_version"] != "client.authentication.k8s.io/v1beta1" || k["token"] != nil ||
		len(args) != 6 || args[0] != "eks" || args[1] != "get-token" || !fromInfra(args[3]) || args[5] != "us-east-1" {
		t.Errorf("exec authentication = %v", k)
	}
	if len(exec.Data["aws_eks_cluster_auth"]) != 0 {
		t.Error("exec authentication still reads a token")
	}
}

func f2(t *testing.T, name string) report.Stack {
	t.Helper()
	return fixtureNamed(t, name).Stack(t, "addons")
}

// TestLoadBalancerControllerKeepsItsWebhookCertificate: in every stack
// that installs the controller, the rendered values keep the webhook's
// TLS Secret across upgrades (chart 3.x defaults keepTLSSecret to false)
// and leave the chart's cert-manager mode off.
func TestLoadBalancerControllerKeepsItsWebhookCertificate(t *testing.T) {
	installed := 0
	for _, f := range synthAll(t) {
		r, ok := releases(t, f.Stack(t, "addons"))["aws-load-balancer-controller"]
		if !ok {
			continue
		}
		installed++
		if get(r.Values, "keepTLSSecret") != true || get(r.Values, "enableCertManager") != nil {
			t.Errorf("%s: keepTLSSecret %v, enableCertManager %v; want true and unset", f.Name, get(r.Values, "keepTLSSecret"), get(r.Values, "enableCertManager"))
		}
	}
	if installed == 0 {
		t.Error("no fixture installs the load balancer controller")
	}
}
