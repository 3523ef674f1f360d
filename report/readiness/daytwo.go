package readiness

import (
	"fmt"
	"maps"
	"regexp"
	"slices"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/report"
)

// dayTwoRules are about how the cluster behaves after its first apply:
// who keeps admin, pools left behind by an upgrade, and what the always-on
// network costs.
func dayTwoRules() []*Rule {
	return []*Rule{
		{ID: "R5-DEPLOYER-PINNED", Severity: Warning, Source: "R5 aws-auth",
			Title:   "The deployer's cluster-admin entry names one IAM role, not whoever runs Terraform",
			Problem: "Cluster admin follows whoever applies last: the deployer's access entry is the caller of each run", Check: checkDeployerPinned},
		{ID: "R7-VERSION-SKEW", Severity: Warning, Source: "R7 Node rotation",
			Title:   "Every node pool runs the control plane's Kubernetes minor",
			Problem: "A node pool runs an older Kubernetes minor than the control plane", Check: checkVersionSkew},
		{ID: "BP-ENDPOINT-COST", Severity: Info, Source: "Cost: AWS pricing (catalog/prices.go)",
			Title:   "The interface endpoints cost less than the control plane",
			Problem: "The interface VPC endpoints cost more each month than the EKS control plane", Check: checkEndpointCost},
	}
}

// callerRef is an expression resolving to whoever runs Terraform.
var callerRef = regexp.MustCompile(`data\.(aws_iam_session_context|aws_caller_identity)\.`)

func checkDeployerPinned(in *Input) []Violation {
	var out []Violation
	for _, e := range ofType(in.Infra, "aws_eks_access_entry") {
		p := str(e.Attrs, "principal_arn")
		if !callerRef.MatchString(p) {
			continue
		}
		out = append(out, Violation{
			Address: e.At(),
			Value:   "principal_arn " + p + ": the IAM role of the current run, so a laptop's apply and CI's replace each other's entry and the other loses admin",
			Fix:     "set access.deployerRoleArn to the one role that deploys (CI's, or the HCP Terraform run role), and give people entries of their own under access.entries",
		})
	}
	return out
}

func checkVersionSkew(in *Input) []Violation {
	c, ok := cluster(in)
	if !ok {
		return missingCluster()
	}
	control := str(c.Attrs, "version")
	type pool struct {
		version string
		groups  []string
	}
	pools := map[string]*pool{}
	for _, ng := range ofType(in.Infra, "aws_eks_node_group") {
		v := str(ng.Attrs, "version")
		if _, known := catalog.Release(v); !known || v == control {
			// A reference to the cluster's version follows it.
			continue
		}
		name := poolOf(ng)
		if pools[name] == nil {
			pools[name] = &pool{version: v}
		}
		pools[name].groups = append(pools[name].groups, ng.Name)
	}
	var out []Violation
	for _, n := range slices.Sorted(maps.Keys(pools)) {
		p := pools[n]
		behind, _ := config.MinorsBehind(p.version, control)
		out = append(out, Violation{
			Address: "infra: aws_eks_node_group." + p.groups[0],
			Value:   fmt.Sprintf("pool %s (%s) runs %s, the control plane %s (%s behind)", n, plural(len(p.groups), "node group"), p.version, control, plural(behind, "minor")),
			Fix: fmt.Sprintf("finish the upgrade: remove nodes.%s.kubernetesVersion and deploy, which rolls the pool's nodes onto %s; EKS requires it before the control plane's next upgrade, and creates node groups only at the control plane's version meanwhile (a new generation, zone or replacement of this pool fails)",
				n, control),
		})
	}
	return out
}

func checkEndpointCost(in *Input) []Violation {
	est := report.EstimateCost(in.Infra, in.Config.Region)
	endpoints, ok := est.Line(catalog.InterfaceEndpoint)
	if !ok || !endpoints.Priced {
		return nil
	}
	control := 0.0
	for _, item := range []catalog.PriceItem{catalog.EKSClusterStandard, catalog.EKSClusterExtended} {
		if l, ok := est.Line(item); ok {
			if !l.Priced {
				return nil
			}
			control += l.Monthly()
		}
	}
	if endpoints.Monthly() <= control {
		return nil
	}
	interfaces := ofTypeWhere(in.Infra, "aws_vpc_endpoint", func(attrs map[string]any) bool { return str(attrs, "vpc_endpoint_type") == "Interface" })
	return []Violation{{
		Address: interfaces[0].At(),
		Value:   fmt.Sprintf("%s, %d endpoint-zones: $%.2f a month at $%.3f an hour each in %s, against $%.2f for the control plane", plural(len(interfaces), "interface endpoint"), endpoints.Count, endpoints.Monthly(), endpoints.Price.USD, in.Config.Region, control),
		Fix:     "set network.endpoints.enabled: false (nodes then reach AWS APIs through the NAT gateways, charged per GB), or keep only the services you need in network.endpoints.services",
	}}
}

// ofTypeWhere lists a stack's resources of one type that match.
func ofTypeWhere(st report.Stack, typ string, match func(map[string]any) bool) []resource {
	var out []resource
	for _, r := range ofType(st, typ) {
		if match(r.Attrs) {
			out = append(out, r)
		}
	}
	return out
}

// plural is "1 minor", "2 minors".
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
