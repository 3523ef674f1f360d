package report

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/config"
)

// CostLine is one priced kind of always-on resource the infra stack
// declares.
type CostLine struct {
	// What is charged, as the summary names it.
	What string
	// Count is how many units the stack declares (endpoints × zones for
	// interface endpoints).
	Count int
	// Item is the catalog's price item.
	Item catalog.PriceItem
	// Price is the catalog's price; zero (with Priced false) when none was
	// sourced for the region.
	Price catalog.Price
	// Priced is false when the catalog has no price for the region.
	Priced bool
}

// Monthly is the line's cost for a month, in US dollars (0 when unpriced).
func (l CostLine) Monthly() float64 {
	if !l.Priced {
		return 0
	}
	return float64(l.Count) * l.Price.Monthly()
}

// CostEstimate is the monthly cost of the always-on resources an infra
// stack declares, from the catalog's dated prices. It counts what the
// synthesized stack holds, so resources any part of eksready adds are
// counted without a change here.
type CostEstimate struct {
	// Region and Partition are where the cluster runs.
	Region, Partition string
	// Lines are the priced kinds of resources, in a stable order.
	Lines []CostLine
	// Uncounted are declared resources whose quantity the stack does not
	// state (an endpoint's subnets given as an expression).
	Uncounted []string
}

// Complete reports whether every line has a price.
func (e CostEstimate) Complete() bool {
	for _, l := range e.Lines {
		if !l.Priced {
			return false
		}
	}
	return len(e.Uncounted) == 0
}

// Total is the sum of the priced lines, rounded to cents.
func (e CostEstimate) Total() float64 {
	total := 0.0
	for _, l := range e.Lines {
		total += l.Monthly()
	}
	return cents(total)
}

// Line returns the line of an item, and false when the stack has none.
func (e CostEstimate) Line(item catalog.PriceItem) (CostLine, bool) {
	for _, l := range e.Lines {
		if l.Item == item {
			return l, true
		}
	}
	return CostLine{}, false
}

func cents(usd float64) float64 { return math.Round(usd*100) / 100 }

// EstimateCost counts the infra stack's always-on resources and prices
// them for region: the EKS control plane at the support tier its version
// is in on the catalog's review date, NAT gateways, public IPv4 addresses
// (Elastic IPs), interface endpoints in each of their subnets' zones, and
// customer-managed KMS keys.
func EstimateCost(infra Stack, region string) CostEstimate {
	e := CostEstimate{Region: region, Partition: config.PartitionOf(region)}
	add := func(what string, item catalog.PriceItem, count int) {
		if count == 0 {
			return
		}
		p, ok := catalog.PriceOf(item, e.Partition, region)
		e.Lines = append(e.Lines, CostLine{What: what, Count: count, Item: item, Price: p, Priced: ok})
	}
	standard, extended := 0, 0
	for _, name := range slices.Sorted(maps.Keys(infra.Resource["aws_eks_cluster"])) {
		if clusterOnExtendedSupport(infra.Resource["aws_eks_cluster"][name]) {
			extended++
		} else {
			standard++
		}
	}
	add("EKS control plane (standard support)", catalog.EKSClusterStandard, standard)
	add("EKS control plane (extended support)", catalog.EKSClusterExtended, extended)
	add("NAT gateways", catalog.NATGateway, len(infra.Resource["aws_nat_gateway"]))
	add("public IPv4 addresses (Elastic IPs)", catalog.PublicIPv4, len(infra.Resource["aws_eip"]))
	zones := 0
	endpoints := infra.Resource["aws_vpc_endpoint"]
	for _, name := range slices.Sorted(maps.Keys(endpoints)) {
		ep := endpoints[name]
		if t, _ := ep["vpc_endpoint_type"].(string); t != "Interface" {
			continue
		}
		subnets, ok := ep["subnet_ids"].([]any)
		if !ok {
			e.Uncounted = append(e.Uncounted, "aws_vpc_endpoint."+name+" (its subnets are an expression)")
			continue
		}
		zones += len(subnets)
	}
	add("interface endpoints × zones", catalog.InterfaceEndpoint, zones)
	add("KMS keys", catalog.KMSKey, len(infra.Resource["aws_kms_key"]))
	return e
}

// clusterOnExtendedSupport reports whether a synthesized cluster is billed
// for extended support: its version is past standard support on the
// catalog's review date and its upgrade policy keeps it there (with
// STANDARD, EKS upgrades it instead).
func clusterOnExtendedSupport(cluster map[string]any) bool {
	version, _ := cluster["version"].(string)
	r, ok := catalog.Release(version)
	if !ok || r.InStandardSupport() {
		return false
	}
	support := "STANDARD"
	switch p := cluster["upgrade_policy"].(type) {
	case map[string]any:
		support, _ = p["support_type"].(string)
	case []any:
		if len(p) > 0 {
			if m, ok := p[0].(map[string]any); ok {
				support, _ = m["support_type"].(string)
			}
		}
	}
	return support == "EXTENDED"
}

// CostLeftOut are the charges the estimate does not include: they depend
// on what runs, not on what is declared.
var CostLeftOut = []string{
	"nodes (EC2 instances, their EBS volumes, and EKS Auto Mode's management fee per instance-hour, by instance type, where it applies)",
	"data transfer, and data processed by NAT gateways and interface endpoints (per GB)",
	"CloudWatch Logs ingestion and storage (control-plane logs, flow logs)",
	"KMS requests, load balancers and volumes created from inside the cluster",
}

// Section renders the estimate for the synth summary.
func (e CostEstimate) Section() Section {
	title := fmt.Sprintf("estimated monthly cost of always-on resources in %s (US dollars, %d hours a month, prices reviewed %s)", e.Region, catalog.HoursPerMonth, catalog.PricesReviewed)
	var lines []string
	var unpriced []string
	for _, l := range e.Lines {
		unit := fmt.Sprintf("$%s/%s", trimPrice(l.Price.USD), l.Price.Unit)
		cost := fmt.Sprintf("$%.2f", cents(l.Monthly()))
		if !l.Priced {
			unit, cost = "no price sourced", "-"
			unpriced = append(unpriced, l.What)
		}
		lines = append(lines, fmt.Sprintf("%-40s %4d × %-18s %10s", l.What, l.Count, unit, cost))
	}
	total := fmt.Sprintf("$%.2f", e.Total())
	switch {
	case len(e.Lines) == 0:
		lines = append(lines, "nothing priced is declared")
	case len(unpriced) == len(e.Lines):
		lines = append(lines, fmt.Sprintf("no estimate: eksready's price table (catalog/prices.go) has no sourced prices for %s (partition %s)", e.Region, e.Partition))
	case !e.Complete():
		lines = append(lines, fmt.Sprintf("%-40s %25s %10s", "total of the priced lines (incomplete)", "", total))
		if len(unpriced) > 0 {
			lines = append(lines, fmt.Sprintf("not estimated, no price sourced for %s: %s", e.Region, strings.Join(unpriced, ", ")))
		}
	default:
		lines = append(lines, fmt.Sprintf("%-40s %25s %10s", "total", "", total))
	}
	for _, u := range e.Uncounted {
		lines = append(lines, "not counted: "+u)
	}
	lines = append(lines, "left out (usage-based): "+strings.Join(CostLeftOut, "; "))
	lines = append(lines, "prices and their sources: catalog/prices.go")
	return Section{Title: title, Lines: lines}
}

// trimPrice prints a price without trailing zeros beyond the cents
// ("0.10", "0.048", "1.00").
func trimPrice(usd float64) string {
	s := fmt.Sprintf("%.4f", usd)
	for strings.HasSuffix(s, "0") && len(s) > strings.Index(s, ".")+3 {
		s = s[:len(s)-1]
	}
	return s
}
