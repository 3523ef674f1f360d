package stacks

import (
	"fmt"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/report"
)

// NextSteps is the last block of the synth summary: how to deploy what was
// synthesized, reach each cluster once it exists, and take it down again.
func NextSteps(repo config.Repository) report.Section {
	var lines []string
	for _, cfg := range repo.Clusters {
		infra := StackName(cfg.Name, config.StackInfra, repo.Fleet)
		addons := StackName(cfg.Name, config.StackAddons, repo.Fleet)
		if repo.Fleet {
			lines = append(lines, cfg.Name+":")
		}
		lines = append(lines,
			fmt.Sprintf("deploy:     npx cdktf deploy %s %s", infra, addons),
			fmt.Sprintf("kubeconfig: aws eks update-kubeconfig --name %s --region %s", cfg.Name, cfg.Region),
			"            (as the deployer role or a principal under access.entries: only they have access entries)",
		)
		var teardown string
		if *cfg.DeletionProtection {
			teardown = fmt.Sprintf("set deletionProtection: false and run npx cdktf deploy %s; then ", infra)
		}
		lines = append(lines, fmt.Sprintf("teardown:   %sdelete LoadBalancer Services and Ingresses (and Karpenter NodePools), then npx cdktf destroy %s %s (docs/upgrades.md: Deletion protection)", teardown, addons, infra))
	}
	return report.Section{Title: "next steps", Lines: lines}
}
