package catalog

import (
	"strings"
	"testing"
	"time"
)

// Every price is a dated fact with its source, in US dollars, and no item
// has two prices for one region.
func TestEveryPriceHasASourceAndAReviewDate(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range Prices {
		name := string(p.Item) + " " + p.Partition + " " + strings.Join(p.Regions, ",")
		if !strings.HasPrefix(p.Source, "https://aws.amazon.com/") {
			t.Errorf("%s: source %q is not an AWS pricing page", name, p.Source)
		}
		day, err := time.Parse("2006-01-02", p.Reviewed)
		if err != nil {
			t.Errorf("%s: review date %q is not YYYY-MM-DD", name, p.Reviewed)
		} else if p.Reviewed > PricesReviewed || day.Year() < 2026 {
			t.Errorf("%s: reviewed %s, outside the table's review (%s)", name, p.Reviewed, PricesReviewed)
		}
		if p.USD <= 0 || (p.Unit != "hour" && p.Unit != "month") {
			t.Errorf("%s: %v per %q is not a price", name, p.USD, p.Unit)
		}
		if p.Partition != "aws" {
			t.Errorf("%s: no price outside the aws partition was sourced", name)
		}
		regions := p.Regions
		if len(regions) == 0 {
			regions = []string{"*"}
		}
		for _, r := range regions {
			key := string(p.Item) + "/" + p.Partition + "/" + r
			if seen[key] {
				t.Errorf("%s: a second price for %s", name, r)
			}
			seen[key] = true
		}
	}
	for _, item := range []PriceItem{EKSClusterStandard, EKSClusterExtended, NATGateway, PublicIPv4, InterfaceEndpoint, KMSKey} {
		if _, ok := PriceOf(item, "aws", "eu-west-1"); !ok {
			t.Errorf("%s has no price in eu-west-1, the default region", item)
		}
	}
}

func TestPriceOf(t *testing.T) {
	p, ok := PriceOf(NATGateway, "aws", "eu-west-1")
	if !ok || p.USD != 0.048 || p.Monthly() != 0.048*730 {
		t.Errorf("NAT gateway in eu-west-1: %+v %v", p, ok)
	}
	if p, ok := PriceOf(KMSKey, "aws", "ap-south-2"); !ok || p.Monthly() != 1 {
		t.Errorf("a partition-wide price applies in every region: %+v %v", p, ok)
	}
	if _, ok := PriceOf(NATGateway, "aws", "ap-south-2"); ok {
		t.Error("a region without a sourced price must have none")
	}
	if _, ok := PriceOf(EKSClusterStandard, "aws-cn", "cn-north-1"); ok {
		t.Error("no aws-cn price was sourced")
	}
}
