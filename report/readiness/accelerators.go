package readiness

import (
	"fmt"
	"strings"

	"github.com/eksready/eksready/config"
)

// Accelerated pools: each keeps ordinary pods off its costly nodes, has
// the driver and device plugin its accelerator needs, and says so when it
// keeps nodes running. Sources: the Kubernetes documentation (taints and
// tolerations, "Nodes with Special Hardware"), the EKS user guide
// (ml-eks-optimized-ami, ml-eks-k8s-device-plugin) and the EKS Best
// Practices Guide (cost optimization: scale idle capacity down).
func acceleratorRules() []*Rule {
	return []*Rule{
		{ID: "BP-ACCELERATOR-TAINT", Severity: Warning, Source: "Kubernetes taints and tolerations: nodes with special hardware",
			Title:   "Every accelerated pool (GPU, Inferentia, Trainium) carries a NoSchedule taint",
			Problem: "An accelerated pool has no NoSchedule taint, so ordinary pods can fill its costly nodes", Check: checkAcceleratorTaint},
		{ID: "BP-ACCELERATOR-DRIVER", Severity: Error, Source: "EKS user guide: accelerated AMIs and device plugins",
			Title:   "Every accelerated pool runs an AMI with its accelerator's driver, and a device plugin reaches its nodes",
			Problem: "An accelerated pool runs an AMI without its accelerator's driver, or no device plugin reaches its nodes", Check: checkAcceleratorDriver},
		{ID: "BP-ACCELERATOR-IDLE", Severity: Info, Source: "AWS EKS best practices: cost optimization",
			Title:   "Accelerated node groups can scale to zero nodes",
			Problem: "An accelerated node group keeps nodes running when no workload asks for them", Check: checkAcceleratorIdle},
	}
}

// acceleratedGroup is a node group's pool and accelerator kind ("" for
// none), from its instance types or, for a Capacity Block group whose
// launch template names the type, the pool's configuration.
func acceleratedGroup(in *Input, g resource) (pool, kind string) {
	pool = poolOf(g)
	types := strs(g.Attrs, "instance_types")
	if len(types) == 0 {
		types = in.Config.Nodes[pool].InstanceTypes
	}
	if len(types) > 0 {
		kind, _ = config.AcceleratorOf(types[0])
	}
	return pool, kind
}

// acceleratedNodePools lists the Karpenter and Auto Mode NodePools that
// launch accelerated instances (a GPU manufacturer requirement, or an
// instance-family requirement naming accelerated families), with their
// release and kind.
func acceleratedNodePools(in *Input) (pools []map[string]any, at []release, kinds []string) {
	for _, r := range releases(in) {
		for _, o := range objectsOf(r) {
			if o["kind"] != "NodePool" {
				continue
			}
			if kind := nodePoolAccelerator(o); kind != "" {
				pools, at, kinds = append(pools, o), append(at, r), append(kinds, kind)
			}
		}
	}
	return pools, at, kinds
}

func nodePoolAccelerator(np map[string]any) string {
	for _, req := range asList(obj(obj(obj(np, "spec"), "template"), "spec")["requirements"]) {
		key := str(req, "key")
		switch {
		case strings.HasSuffix(key, "/instance-gpu-manufacturer"):
			return config.AcceleratorNVIDIA
		case strings.HasSuffix(key, "/instance-accelerator-manufacturer"):
			return config.AcceleratorNeuron
		case strings.HasSuffix(key, "/instance-family"):
			for _, f := range strs(req, "values") {
				if kind, _ := config.AcceleratorOf(f + ".xlarge"); kind != "" {
					return kind
				}
			}
		}
	}
	return ""
}

func hasNoSchedule(taints []map[string]any, effect string) bool {
	for _, t := range taints {
		if str(t, "effect") == effect {
			return true
		}
	}
	return false
}

func checkAcceleratorTaint(in *Input) []Violation {
	var out []Violation
	for _, g := range ofType(in.Infra, "aws_eks_node_group") {
		if pool, kind := acceleratedGroup(in, g); kind != "" && !hasNoSchedule(asList(g.Attrs["taint"]), "NO_SCHEDULE") {
			out = append(out, Violation{Address: at("infra", g), Value: fmt.Sprintf("%s nodes of pool %s without a NO_SCHEDULE taint", kind, pool),
				Fix: fmt.Sprintf("keep nodes.%s.acceleratorTaint true (the default), or give the pool a NO_SCHEDULE taint", pool)})
		}
	}
	pools, rels, kinds := acceleratedNodePools(in)
	for i, np := range pools {
		if !hasNoSchedule(asList(obj(obj(obj(np, "spec"), "template"), "spec")["taints"]), "NoSchedule") {
			out = append(out, Violation{Address: rels[i].At(), Value: fmt.Sprintf("%s NodePool %s without a NoSchedule taint", kinds[i], nameOf(np)),
				Fix: "keep the NodePool's acceleratorTaint true (the default), or give it a NO_SCHEDULE taint"})
		}
	}
	return out
}

// amiDrives reports whether an EKS AMI type carries a kind's driver: the
// NVIDIA variants for NVIDIA GPUs; AL2023's Neuron AMI or Bottlerocket's
// standard x86_64 variant for Neuron (EKS user guide, ml-eks-optimized-ami).
func amiDrives(amiType, kind string) bool {
	switch kind {
	case config.AcceleratorNVIDIA:
		return strings.HasSuffix(amiType, "_NVIDIA")
	case config.AcceleratorNeuron:
		return amiType == "AL2023_x86_64_NEURON" || amiType == "BOTTLEROCKET_x86_64"
	}
	return true
}

// pluginReaches reports whether a device-plugin release of a kind selects
// nodes with these labels and tolerates these taints.
func pluginReaches(in *Input, kind string, labels map[string]any, taints []map[string]any) bool {
	chart := map[string]string{config.AcceleratorNVIDIA: "nvidia-device-plugin", config.AcceleratorNeuron: "neuron-helm-chart"}[kind]
	for _, r := range releases(in) {
		if chartOf(r) != chart {
			continue
		}
		spec := r.Values
		if kind == config.AcceleratorNeuron {
			spec = obj(r.Values, "devicePlugin")
		}
		if selects(obj(obj(spec, "affinity"), "nodeAffinity"), labels) && tolerates(in, asList(spec["tolerations"]), taints) {
			return true
		}
	}
	return false
}

// selects reports whether a required node affinity's terms match labels
// (In expressions; one term is enough).
func selects(nodeAffinity map[string]any, labels map[string]any) bool {
	for _, term := range asList(obj(nodeAffinity, "requiredDuringSchedulingIgnoredDuringExecution")["nodeSelectorTerms"]) {
		ok := true
		for _, e := range asList(term["matchExpressions"]) {
			v, has := labels[str(e, "key")].(string)
			ok = ok && str(e, "operator") == "In" && has && contains(strs(e, "values"), v)
		}
		if ok {
			return true
		}
	}
	return false
}

// tolerates reports whether tolerations cover every NoSchedule and
// NoExecute taint (EKS or Kubernetes spelling).
// Startup taints (which a daemon removes once it runs) need no toleration.
func tolerates(in *Input, tolerations, taints []map[string]any) bool {
	effect := map[string]string{"NO_SCHEDULE": "NoSchedule", "NO_EXECUTE": "NoExecute", "PREFER_NO_SCHEDULE": "PreferNoSchedule"}
	for _, t := range taints {
		e := str(t, "effect")
		if k8s, ok := effect[e]; ok {
			e = k8s
		}
		startup := false
		for _, st := range config.NodeStartupTaints(in.Config) {
			startup = startup || st.Key == str(t, "key")
		}
		if e == "PreferNoSchedule" || startup {
			continue
		}
		ok := false
		for _, tol := range tolerations {
			keyOK := str(tol, "key") == "" || str(tol, "key") == str(t, "key")
			valueOK := str(tol, "operator") == "Exists" || str(tol, "value") == str(t, "value")
			ok = ok || (keyOK && valueOK && (str(tol, "effect") == "" || str(tol, "effect") == e))
		}
		if !ok {
			return false
		}
	}
	return true
}

func checkAcceleratorDriver(in *Input) []Violation {
	if autoMode(in) {
		// Auto Mode runs the drivers and device plugins itself
		// (auto-accelerated).
		return nil
	}
	var out []Violation
	for _, g := range ofType(in.Infra, "aws_eks_node_group") {
		pool, kind := acceleratedGroup(in, g)
		if kind == "" {
			continue
		}
		ami := str(g.Attrs, "ami_type")
		labels, _ := g.Attrs["labels"].(map[string]any)
		switch {
		case !amiDrives(ami, kind):
			out = append(out, Violation{Address: at("infra", g), Value: fmt.Sprintf("%s instances on ami_type %s, which has no %s driver", kind, ami, kind),
				Fix: fmt.Sprintf("let eksready choose nodes.%s's AMI type from its instance types", pool)})
		case (kind == config.AcceleratorNeuron || strings.HasPrefix(ami, "AL2023_")) && !pluginReaches(in, kind, labels, asList(g.Attrs["taint"])):
			out = append(out, Violation{Address: at("infra", g), Value: fmt.Sprintf("%s nodes on %s, and no %s device plugin release selects and tolerates them", kind, ami, kind),
				Fix: fmt.Sprintf("let eksready install the device plugin (%s) and label nodes.%s", config.DevicePluginRelease(kind), pool)})
		}
	}
	pools, rels, kinds := acceleratedNodePools(in)
	for i, np := range pools {
		if kinds[i] != config.AcceleratorNeuron {
			// Karpenter's bottlerocket alias gives NVIDIA nodes the
			// aws-k8s-nvidia variant, which runs the plugin itself.
			continue
		}
		tmpl := obj(obj(np, "spec"), "template")
		labels, _ := obj(tmpl, "metadata")["labels"].(map[string]any)
		if !pluginReaches(in, kinds[i], labels, asList(obj(tmpl, "spec")["taints"])) {
			out = append(out, Violation{Address: rels[i].At(), Value: fmt.Sprintf("NodePool %s launches Neuron nodes, and no Neuron device plugin release selects and tolerates them", nameOf(np)),
				Fix: "let eksready install the Neuron device plugin and label the NodePool's nodes"})
		}
	}
	return out
}

func checkAcceleratorIdle(in *Input) []Violation {
	var out []Violation
	for _, g := range ofType(in.Infra, "aws_eks_node_group") {
		pool, kind := acceleratedGroup(in, g)
		min, _ := obj(g.Attrs, "scaling_config")["min_size"].(float64)
		if kind != "" && min > 0 {
			out = append(out, Violation{Address: at("infra", g), Value: fmt.Sprintf("%s node group kept at %d or more nodes", kind, int(min)),
				Fix: fmt.Sprintf("set nodes.%s.minSize: 0 so the autoscaler removes idle accelerated nodes, unless they must stay warm", pool)})
		}
	}
	return out
}
