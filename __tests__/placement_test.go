package apptest

import (
	"slices"
	"strings"
	"testing"
)

// TestClusterIsReplacedWithItsPlacement: the cluster's
// lifecycle.replace_triggered_by names what EKS cannot move it out of
// (its VPC, the set of zones of its control-plane subnets): the VPC's and
// the control-plane subnets' IDs where eksready creates them (the intra
// subnets when there are any), and with an existing VPC a terraform_data
// holding the VPC ID and the control-plane zones. Every reference names a
// resource of the stack, in the bare form Terraform requires there. That
// a change of VPC or zones then plans a new cluster, which deletion
// protection stops, is shown against the emulator in TestDestructiveChanges.
func TestClusterIsReplacedWithItsPlacement(t *testing.T) {
	for _, f := range synthAll(t) {
		{
			st := readJSON(t, f.StackPath("infra"))
			var triggers []string
			for _, c := range get(st, "resource", "aws_eks_cluster").(map[string]any) {
				for _, r := range get(c, "lifecycle", "replace_triggered_by").([]any) {
					triggers = append(triggers, r.(string))
				}
			}
			var want []string
			if f.Config.Network.Existing() {
				for name, d := range get(st, "resource", "terraform_data").(map[string]any) {
					want = append(want, "terraform_data."+name)
					tr := get(d, "triggers_replace").(map[string]any)
					e := f.Config.Network.ExistingVpc
					controlPlane := e.PrivateSubnets
					if len(e.IntraSubnets) > 0 {
						controlPlane = e.IntraSubnets
					}
					var zones []any
					for _, s := range controlPlane {
						zones = append(zones, s.Zone)
					}
					slices.SortFunc(zones, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
					if tr["vpc_id"] != e.VpcId || !slices.Equal(tr["zones"].([]any), zones) {
						t.Errorf("%s: placement %v, want the VPC %s and the control-plane zones", f.Name, tr, f.Config.Network.ExistingVpc.VpcId)
					}
				}
			} else {
				for name := range get(st, "resource", "aws_vpc").(map[string]any) {
					want = append(want, "aws_vpc."+name+".id")
				}
				tier := "network_private-"
				if f.Config.Network.IntraSubnets() {
					tier = "network_intra-"
				}
				for name := range get(st, "resource", "aws_subnet").(map[string]any) {
					if strings.HasPrefix(name, tier) {
						want = append(want, "aws_subnet."+name+".id")
					}
				}
			}
			slices.Sort(triggers)
			slices.Sort(want)
			if len(want) == 0 || !slices.Equal(triggers, want) {
				t.Errorf("%s: the cluster is replaced with %v, want %v", f.Name, triggers, want)
			}
		}
	}
}
