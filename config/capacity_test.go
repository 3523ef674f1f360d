package config

import (
	"path/filepath"
	"testing"
)

// TestCapacityItemsAddUpToTheNeed: in the summary's items table, the rows
// of each subnet add up to its total, and the total is the subnet table's
// NEED AT MAX, for every fixture of the whole-app tests (every pod
// networking mode, an existing VPC planned for the worst case, Karpenter
// and Auto Mode pools, intra subnets, no endpoints).
func TestCapacityItemsAddUpToTheNeed(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "__tests__", "fixtures", "*.yaml"))
	configs := map[string]Cluster{"default": Default()}
	for _, f := range files {
		c, err := LoadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		configs[filepath.Base(f)] = c
	}
	for name, c := range configs {
		rep, err := CapacityReport(c)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rows := capacityItems(c, rep)
		totals, sum := 0, 0
		for _, r := range rows {
			switch {
			case r.item == "total":
				totals++
				if r.addresses != sum {
					t.Errorf("%s: %s rows add up to %d, total says %d", name, r.kind, sum, r.addresses)
				}
				need := -1
				for _, s := range rep.Subnets {
					if s.AZ == rep.Subnets[0].AZ && s.Name+" subnet" == r.kind {
						need = s.Need
					}
				}
				if r.addresses != need {
					t.Errorf("%s: %s total %d, NEED AT MAX %d", name, r.kind, r.addresses, need)
				}
				sum = 0
			case r.addresses >= 0:
				sum += r.addresses
			}
		}
		if totals == 0 {
			t.Errorf("%s: no subnet itemized:\n%s", name, renderCapacityItems(rows))
		}
	}
}
