package report

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// FloatingValue is a value Terraform resolves at plan time that can
// change from one plan to the next without a change to the configuration:
// what the next plan may update on its own.
type FloatingValue struct {
	// What floats, and where it is read from.
	What string
	// Pin says how to fix it in cluster.yaml.
	Pin string
}

// String renders the value for the summary.
func (f FloatingValue) String() string { return f.What + "; pin: " + f.Pin }

var (
	ssmRef          = regexp.MustCompile(`^\$\{data\.aws_ssm_parameter\.([A-Za-z0-9_-]+)\.(insecure_)?value\}$`)
	addonVersionRef = regexp.MustCompile(`^\$\{data\.aws_eks_addon_version\.([A-Za-z0-9_-]+)\.version\}$`)
	// latestAlias is an EC2NodeClass AMI alias that follows new releases
	// ("bottlerocket@latest"), inside a release's rendered values.
	latestAlias = regexp.MustCompile(`\\?"alias\\?":\s*\\?"([a-z0-9]+@latest)\\?"`)
)

// FloatingValues lists what the synthesized stacks resolve at plan time
// and can change without a change to cluster.yaml: node AMI releases read
// from AWS's public SSM parameters, EKS add-on versions EKS marks default,
// and Karpenter AMI aliases that follow the newest release.
func FloatingValues(infra, addons Stack) []FloatingValue {
	var out []FloatingValue
	byParam := map[string][]string{}
	for _, name := range slices.Sorted(maps.Keys(infra.Resource["aws_eks_node_group"])) {
		ng := infra.Resource["aws_eks_node_group"][name]
		release, _ := ng["release_version"].(string)
		m := ssmRef.FindStringSubmatch(release)
		if m == nil {
			continue
		}
		pool := name
		if labels, ok := ng["labels"].(map[string]any); ok {
			if p, ok := labels["eksready.io/pool"].(string); ok {
				pool = p
			}
		}
		if !slices.Contains(byParam[m[1]], pool) {
			byParam[m[1]] = append(byParam[m[1]], pool)
		}
	}
	for _, param := range slices.Sorted(maps.Keys(byParam)) {
		path, _ := infra.Data["aws_ssm_parameter"][param]["name"].(string)
		pools := byParam[param]
		var pins []string
		for _, p := range pools {
			pins = append(pins, "nodes."+p+".amiReleaseVersion")
		}
		out = append(out, FloatingValue{
			What: fmt.Sprintf("node AMI release of pool %s: the newest release, from SSM parameter %s", strings.Join(pools, ", "), path),
			Pin:  strings.Join(pins, ", "),
		})
	}
	var addonNames []string
	for _, st := range []Stack{infra, addons} {
		for _, name := range slices.Sorted(maps.Keys(st.Resource["aws_eks_addon"])) {
			a := st.Resource["aws_eks_addon"][name]
			version, _ := a["addon_version"].(string)
			if !addonVersionRef.MatchString(version) {
				continue
			}
			if n, _ := a["addon_name"].(string); n != "" && !slices.Contains(addonNames, n) {
				addonNames = append(addonNames, n)
			}
		}
	}
	sort.Strings(addonNames)
	if len(addonNames) > 0 {
		out = append(out, FloatingValue{
			What: fmt.Sprintf("EKS add-on versions of %s: the version EKS marks default for the control plane's Kubernetes version, from aws_eks_addon_version", strings.Join(addonNames, ", ")),
			Pin:  "managedAddons.versions.<add-on>",
		})
	}
	var aliases []string
	for _, name := range slices.Sorted(maps.Keys(addons.Resource["helm_release"])) {
		for _, v := range Strings(addons.Resource["helm_release"][name]["values"]) {
			for _, m := range latestAlias.FindAllStringSubmatch(v, -1) {
				if !slices.Contains(aliases, m[1]) {
					aliases = append(aliases, m[1])
				}
			}
		}
	}
	for _, a := range aliases {
		out = append(out, FloatingValue{
			What: fmt.Sprintf("Karpenter EC2NodeClass AMI alias %s: Karpenter resolves the newest release and replaces drifted nodes", a),
			Pin:  "software.karpenter.amiAlias (" + strings.SplitN(a, "@", 2)[0] + "@v<major>.<minor>.<patch>)",
		})
	}
	return out
}

// FloatingSection renders the floating values for the synth summary.
func FloatingSection(values []FloatingValue) Section {
	lines := make([]string, len(values))
	for i, v := range values {
		lines[i] = v.String()
	}
	return Section{Title: "resolved at plan time, can change without a config change (see docs/upgrades.md: Floating versions)", Lines: lines}
}

// Strings reads a JSON value that is a string or a list of strings (an
// IAM policy element, a release's values).
func Strings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
