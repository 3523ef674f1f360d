package catalog

import "slices"

// PriceItem is something AWS charges for by the hour or the month,
// whether or not anything uses it: the always-on resources of a cluster.
type PriceItem string

// The priced items. Usage-based charges (instances, data processed or
// transferred, log ingestion, requests) are not items: they depend on what
// runs, not on what is declared.
const (
	// EKSClusterStandard is an EKS cluster on a Kubernetes version in
	// standard support, per cluster-hour.
	EKSClusterStandard PriceItem = "eks-cluster-standard"
	// EKSClusterExtended is an EKS cluster on a version in extended
	// support, per cluster-hour (in place of the standard price).
	EKSClusterExtended PriceItem = "eks-cluster-extended"
	// NATGateway is a NAT gateway, per gateway-hour (data processed is
	// charged per GB on top).
	NATGateway PriceItem = "nat-gateway"
	// PublicIPv4 is a public IPv4 address, in use or idle, per
	// address-hour.
	PublicIPv4 PriceItem = "public-ipv4"
	// InterfaceEndpoint is an interface VPC endpoint in one availability
	// zone, per endpoint-hour in each zone (data processed is charged per
	// GB on top).
	InterfaceEndpoint PriceItem = "interface-endpoint"
	// KMSKey is a customer-managed KMS key, per key-month.
	KMSKey PriceItem = "kms-key"
)

// HoursPerMonth is the month AWS's pricing examples use (8,760 hours a
// year over 12 months), so hourly prices turn into monthly ones the way
// the pricing pages do.
const HoursPerMonth = 730

// Price is one dated price, in US dollars, with where it was read.
type Price struct {
	// Item is what is charged.
	Item PriceItem
	// Partition is the AWS partition the price belongs to.
	Partition string
	// Regions are the regions it applies to; empty means every region of
	// the partition (the source states one price for all of them).
	Regions []string
	// USD is the price in US dollars per Unit.
	USD float64
	// Unit is "hour" or "month".
	Unit string
	// Source is the AWS pricing page (and region) it was read from, and
	// how, when the page could not be read as a person sees it.
	Source string
	// Reviewed is the day the source was read (YYYY-MM-DD).
	Reviewed string
}

// PricesReviewed is the day the price table was last checked against its
// sources.
const PricesReviewed = "2026-12-05"

// Prices is eksready's price table of always-on resources. AWS's pricing
// pages render most regional figures with a region selector a script
// fills in; where that table could not be read, the row says how the
// figure was checked. Regions and partitions without a row are not
// estimated: the synth summary says so instead of guessing (no AWS China
// (aws-cn, priced in CNY by its local operators) or GovCloud (aws-us-gov)
// prices were sourced, and regional prices only for the regions below).
var Prices = []Price{
	{Item: EKSClusterStandard, Partition: "aws", USD: 0.10, Unit: "hour", Reviewed: PricesReviewed,
		Source: "https://aws.amazon.com/eks/pricing/ (\"$0.10 per cluster per hour\" for a version in standard support; one price, no region selector), restated in the AWS Containers Blog \"Amazon EKS extended support for Kubernetes versions pricing\" (2024): \"you will continue to pay $0.10 per cluster per hour\""},
	{Item: EKSClusterExtended, Partition: "aws", USD: 0.60, Unit: "hour", Reviewed: PricesReviewed,
		Source: "https://aws.amazon.com/eks/pricing/ and the AWS Containers Blog \"Amazon EKS extended support for Kubernetes versions pricing\" (2024): \"charged a total of $0.60 per cluster per hour\" for a version in extended support"},
	{Item: PublicIPv4, Partition: "aws", USD: 0.005, Unit: "hour", Reviewed: PricesReviewed,
		Source: "https://aws.amazon.com/vpc/pricing/ (Public IPv4 Address tab) and the AWS News Blog \"New – AWS Public IPv4 Address Charge + Public IP Insights\" (2023-07-28): $0.005 per IP address per hour for every public IPv4 address, in use or idle, from 2024-02-01, one price in every region"},
	{Item: KMSKey, Partition: "aws", USD: 1.00, Unit: "month", Reviewed: PricesReviewed,
		Source: "https://aws.amazon.com/kms/pricing/: $1 per customer managed key per month, prorated hourly; with automatic rotation, the first and second rotation of a key each add $1 per month (not counted here: eksready's keys rotate yearly, so that starts a year after creation)"},
	{Item: NATGateway, Partition: "aws", Regions: []string{"us-east-1"}, USD: 0.045, Unit: "hour", Reviewed: PricesReviewed,
		Source: "https://aws.amazon.com/vpc/pricing/ (NAT Gateway tab, US East (N. Virginia)), as AWS's Price List API publishes it: AmazonEC2, us-east-1, usage type NatGateway-Hours (SKU M2YSHUBETB3JX4M4), $0.045 per hour"},
	{Item: NATGateway, Partition: "aws", Regions: []string{"eu-west-1"}, USD: 0.048, Unit: "hour", Reviewed: PricesReviewed,
		Source: "https://aws.amazon.com/vpc/pricing/ (NAT Gateway tab, Europe (Ireland)), as AWS's Price List API publishes it: offer file https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/20260925174521/eu-west-1/index.json (publication 2026-09-25), usage type EU-NatGateway-Hours, $0.048/Hrs"},
	{Item: InterfaceEndpoint, Partition: "aws", Regions: []string{"us-east-1"}, USD: 0.01, Unit: "hour", Reviewed: PricesReviewed,
		Source: "https://aws.amazon.com/privatelink/pricing/ (Interface Endpoint pricing, US East (N. Virginia), the page's default region): $0.01 per VPC endpoint per availability zone per hour"},
	{Item: InterfaceEndpoint, Partition: "aws", Regions: []string{"eu-west-1"}, USD: 0.011, Unit: "hour", Reviewed: PricesReviewed,
		Source: "https://aws.amazon.com/privatelink/pricing/ (Interface Endpoint pricing, Europe (Ireland)): the region's table is filled in by script and could not be read on the review day; the figure is checked against AWS Cost and Usage Report line items of usage type EU-VpcEndpoint-Hours (USD 352.42 for 34,824 endpoint-AZ hours), billed at the same 8% discount the same report applies to EU-NatGateway-Hours ($0.048) and EU-PublicIPv4:InUseAddress ($0.005)"},
}

// PriceOf returns the price of an item in a region of a partition, and
// false when the table has none: no estimate is better than a guess.
func PriceOf(item PriceItem, partition, region string) (Price, bool) {
	for _, p := range Prices {
		if p.Item == item && p.Partition == partition && (len(p.Regions) == 0 || slices.Contains(p.Regions, region)) {
			return p, true
		}
	}
	return Price{}, false
}

// Monthly is the price of one unit for a month.
func (p Price) Monthly() float64 {
	if p.Unit == "hour" {
		return p.USD * HoursPerMonth
	}
	return p.USD
}
