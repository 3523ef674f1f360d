package readiness

import (
	"fmt"
	"strings"
	"time"

	"github.com/eksready/eksready/config"
)

// EKS Auto Mode: which rules it satisfies by construction (with the EKS
// user guide page that says so), and the rules that matter in it. A rule
// with an AutoMode reason is not checked on an Auto Mode cluster; the
// report lists it with the reason instead.
var autoModeReasons = map[string]string{
	"R1-MAX-PODS":             "Auto Mode computes each node's max pods itself and caps it at 110 (EKS user guide, create-node-class)",
	"R2-NODE-OS":              "AWS chooses and patches the node image, locked down with SELinux enforcing, a read-only root file system and no SSH or SSM access (automode)",
	"R2-INSPECTOR":            "Auto Mode nodes run AWS's image, released weekly with CVE fixes (automode-learn-instances)",
	"R2-VOLUMES-ENCRYPTED":    "Auto Mode has no launch templates; R4-AUTO-MODE-NODECLASS-ENCRYPTED checks the node volumes",
	"R3-CORE-ADDONS":          "the VPC CNI, kube-proxy, CoreDNS, EBS CSI driver and Pod Identity agent are built into Auto Mode (eks-add-ons); R3-AUTO-MODE-CAPABILITIES checks them",
	"R3-ADDON-ORDER":          "Auto Mode runs the networking add-ons itself; no node group waits for them",
	"R4-EBS-KEY-POLICY":       "Auto Mode creates no Auto Scaling groups; R4-AUTO-MODE-EBS-KEY-POLICY checks the key policy it needs",
	"R6-NODE-GROUP-PER-AZ":    "Auto Mode has no node groups: it launches nodes for the pending pods' constraints (automode)",
	"R6-DESIRED-SIZE-IGNORED": "Auto Mode has no node groups: it sizes the cluster itself",
	"R6-BALANCE-SIMILAR":      "Auto Mode has no cluster-autoscaler: it scales nodes itself",
	"R7-ROTATION-PATH":        "Auto Mode replaces nodes onto new images and after at most 21 days, respecting PodDisruptionBudgets (automode, auto-upgrade)",
	"R7-KARPENTER-EXPIRY":     "Auto Mode runs no self-managed Karpenter; R7-AUTO-MODE-EXPIRY checks its NodePools",
	"BP-IMDSV2":               "Auto Mode enforces IMDSv2 with a hop limit of 1, which cannot be changed (automode-learn-instances)",
	"BP-IMDS-HOP-LIMIT":       "Auto Mode enforces IMDSv2 with a hop limit of 1, which cannot be changed (automode-learn-instances)",
}

// autoModeRules are the rules that only mean something in Auto Mode; on
// other clusters they find nothing.
func autoModeRules() []*Rule {
	return []*Rule{
		{ID: "R3-AUTO-MODE-CAPABILITIES", Severity: Error, Source: "R3 EKS managed add-ons",
			Title:   "Auto Mode's compute, block storage and load balancing are on together, and no managed add-on or node group duplicates them",
			Problem: "Auto Mode's compute, block storage and load balancing are not all on, or a managed add-on or node group duplicates them", Check: checkAutoModeCapabilities},
		{ID: "R4-AUTO-MODE-NODECLASS-ENCRYPTED", Severity: Error, Source: "R4 Encryption",
			Title:   "Every Auto Mode NodeClass encrypts node storage with the cluster's EBS key, and every NodePool uses one",
			Problem: "An Auto Mode NodeClass does not encrypt node storage with the cluster's EBS key, or a NodePool uses none", Check: checkNodeClassEncrypted},
		{ID: "R4-AUTO-MODE-EBS-KEY-POLICY", Severity: Error, Source: "R4 Encryption",
			Title:   "The EBS key admits the cluster role as Auto Mode requires, CreateGrant only for AWS resources",
			Problem: "The EBS key does not admit the cluster role as Auto Mode requires, or allows CreateGrant beyond AWS resources", Check: checkAutoModeKeyPolicy},
		{ID: "R6-AUTO-MODE-NODEPOOLS", Severity: Error, Source: "R6 Autoscaling",
			Title:   "An Auto Mode cluster has a NodePool to run pods: a built-in one or its own",
			Problem: "The Auto Mode cluster has no NodePool to run pods: built-in pools are off and it defines none", Check: checkAutoModeNodePools},
		{ID: "R7-AUTO-MODE-EXPIRY", Severity: Error, Source: "R7 Node rotation",
			Title:   "Auto Mode NodePools expire nodes within Auto Mode's 21-day maximum",
			Problem: "An Auto Mode NodePool does not expire its nodes within Auto Mode's 21-day maximum", Check: checkAutoModeExpiry},
	}
}

// autoMode reports whether the synthesized cluster runs EKS Auto Mode.
func autoMode(in *Input) bool {
	c, ok := cluster(in)
	return ok && obj(c.Attrs, "compute_config")["enabled"] == true
}

// autoModeObjects lists the addons stack's Auto Mode objects of a kind
// (NodeClass: apiVersion eks.amazonaws.com/v1; NodePool: nodeClassRef
// group eks.amazonaws.com) with the release rendering them.
func autoModeObjects(in *Input, kind string) (objs []map[string]any, at []release) {
	for _, r := range releases(in) {
		for _, o := range objectsOf(r) {
			if o["kind"] != kind {
				continue
			}
			switch kind {
			case "NodeClass":
				if o["apiVersion"] != "eks.amazonaws.com/v1" {
					continue
				}
			case "NodePool":
				if str(nodeClassRef(o), "group") != "eks.amazonaws.com" {
					continue
				}
			}
			objs, at = append(objs, o), append(at, r)
		}
	}
	return objs, at
}

func nodeClassRef(nodePool map[string]any) map[string]any {
	return obj(obj(obj(obj(nodePool, "spec"), "template"), "spec"), "nodeClassRef")
}

func nameOf(o map[string]any) string { return str(obj(o, "metadata"), "name") }

func checkAutoModeCapabilities(in *Input) []Violation {
	if !autoMode(in) {
		return nil
	}
	c, _ := cluster(in)
	var out []Violation
	storage := obj(obj(c.Attrs, "storage_config"), "block_storage")["enabled"]
	elb := obj(obj(c.Attrs, "kubernetes_network_config"), "elastic_load_balancing")["enabled"]
	if storage != true || elb != true {
		out = append(out, Violation{Address: at("infra", c), Value: fmt.Sprintf("compute on, block storage %v, load balancing %v", storage, elb),
			Fix: "AWS requires all three enabled together; let eksready render the cluster (compute.mode auto-mode)"})
	}
	for name, a := range addonsByName(in) {
		if config.BuiltIntoAutoMode(name) {
			out = append(out, Violation{Address: a.At(), Value: name + " installed as a managed add-on", Fix: "Auto Mode runs " + name + " itself; remove it (managedAddons)"})
		}
	}
	for _, g := range ofType(in.Infra, "aws_eks_node_group") {
		out = append(out, Violation{Address: at("infra", g), Value: "managed node group in an Auto Mode cluster", Fix: "define Auto Mode NodePools under compute.autoMode.nodePools instead of nodes"})
	}
	return out
}

func checkNodeClassEncrypted(in *Input) []Violation {
	if !autoMode(in) {
		return nil
	}
	var out []Violation
	classes, rels := autoModeObjects(in, "NodeClass")
	names := map[string]bool{}
	for i, o := range classes {
		names[nameOf(o)] = true
		key := str(obj(obj(o, "spec"), "ephemeralStorage"), "kmsKeyID")
		if !strings.Contains(key, "aws_kms_keyebs-key") {
			out = append(out, Violation{Address: rels[i].At(), Value: fmt.Sprintf("NodeClass %s kmsKeyID %q", nameOf(o), key),
				Fix: "let eksready render the NodeClass: its ephemeral storage uses the cluster's EBS key"})
		}
	}
	pools, rels := autoModeObjects(in, "NodePool")
	for i, o := range pools {
		if ref := str(nodeClassRef(o), "name"); !names[ref] {
			out = append(out, Violation{Address: rels[i].At(), Value: fmt.Sprintf("NodePool %s on NodeClass %q, which eksready does not encrypt", nameOf(o), ref),
				Fix: "define NodePools under compute.autoMode.nodePools; they use eksready's NodeClass"})
		}
	}
	return out
}

func checkAutoModeKeyPolicy(in *Input) []Violation {
	if !autoMode(in) {
		return nil
	}
	c, _ := cluster(in)
	clusterRole := str(c.Attrs, "role_arn")
	var out []Violation
	for _, key := range ofType(in.Infra, "aws_kms_key") {
		if !strings.HasPrefix(key.Name, "ebs-key") {
			continue
		}
		var useOK, grantOK bool
		for _, st := range policyStatements(str(key.Attrs, "policy")) {
			ps, acts := principals(st), actions(st)
			isRoot := len(ps) == 1 && strings.HasSuffix(ps[0], ":root")
			if contains(ps, clusterRole) && containsAll(acts, "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey") {
				useOK = true
			}
			if !contains(acts, "kms:CreateGrant") || isRoot {
				continue
			}
			cond, _ := st["Condition"].(map[string]any)
			b, _ := cond["Bool"].(map[string]any)
			switch {
			case b["kms:GrantIsForAWSResource"] != true:
				out = append(out, Violation{Address: at("infra", key), Value: "kms:CreateGrant without kms:GrantIsForAWSResource", Fix: "eksready renders the EBS key policy; do not widen it"})
			case contains(ps, clusterRole) && containsAll(acts, "kms:ListGrants", "kms:RevokeGrant"):
				grantOK = true
			}
		}
		if !useOK || !grantOK {
			out = append(out, Violation{Address: at("infra", key), Value: fmt.Sprintf("cluster role may use the key: %v, may create, list and revoke AWS-resource grants: %v", useOK, grantOK),
				Fix: "eksready renders the key policy the EKS user guide gives for Auto Mode (auto-kms); do not override it"})
		}
	}
	return out
}

func containsAll(xs []string, want ...string) bool {
	for _, w := range want {
		if !contains(xs, w) {
			return false
		}
	}
	return true
}

func checkAutoModeNodePools(in *Input) []Violation {
	if !autoMode(in) {
		return nil
	}
	c, _ := cluster(in)
	if len(strs(obj(c.Attrs, "compute_config"), "node_pools")) > 0 {
		return nil
	}
	if pools, _ := autoModeObjects(in, "NodePool"); len(pools) > 0 {
		return nil
	}
	return []Violation{{Address: at("infra", c), Value: "no built-in node pool and no NodePool of its own", Fix: "list built-in pools in compute.autoMode.builtInNodePools or define compute.autoMode.nodePools"}}
}

func checkAutoModeExpiry(in *Input) []Violation {
	var out []Violation
	pools, rels := autoModeObjects(in, "NodePool")
	for i, o := range pools {
		e := str(obj(obj(obj(o, "spec"), "template"), "spec"), "expireAfter")
		d, err := time.ParseDuration(e)
		if err != nil || d > config.AutoModeMaxNodeLifetime {
			out = append(out, Violation{Address: rels[i].At(), Value: fmt.Sprintf("NodePool %s expireAfter %q", nameOf(o), e),
				Fix: fmt.Sprintf("set compute.autoMode.nodePools.%s.expireAfter to at most 504h (default 336h)", nameOf(o))})
		}
	}
	return out
}
