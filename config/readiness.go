package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Readiness configures the production-readiness report that ends every
// synth: which findings are accepted, and thresholds.
type Readiness struct {
	// Waive accepts findings of a rule, with the reason on record; a waived
	// rule still appears in the report, marked waived. Default: none.
	Waive []Waiver `yaml:"waive"`

	// MinCapacityHeadroomPercent is the smallest share of a subnet's
	// addresses that must stay free at the declared maximum scale before
	// the report warns. Default: 20.
	MinCapacityHeadroomPercent int `yaml:"minCapacityHeadroomPercent"`
}

// Waiver accepts one rule's findings.
type Waiver struct {
	// Rule is the rule ID (as the report prints it, e.g. BP-PUBLIC-ENDPOINT).
	Rule string `yaml:"rule"`
	// Reason says why the finding is acceptable here; required.
	Reason string `yaml:"reason"`
}

var ruleIDRe = regexp.MustCompile(`^(R[1-8]|BP)-[A-Z0-9-]+$`)

// ReadinessRuleIDs are the IDs of every rule of the production-readiness
// report (report/readiness), so that a waiver naming no rule is refused
// before anything is written. config cannot import the report (it reads
// synthesized output), so the list lives here and a test in
// report/readiness checks that it equals the rules' IDs, in report order.
var ReadinessRuleIDs = []string{
	"R1-MAX-PODS", "R2-NODE-OS", "R2-INSPECTOR", "R2-VOLUMES-ENCRYPTED", "R3-CORE-ADDONS",
	"R3-ADDON-ORDER", "R4-SECRETS-ENCRYPTION", "R4-EBS-KEY-POLICY", "R5-AUTH-MODE-API",
	"R5-NO-AWS-AUTH", "R5-NO-KUBERNETES-PROVIDER-IN-INFRA", "R5-DEPLOYER-ACCESS",
	"R6-NODE-GROUP-PER-AZ", "R6-DESIRED-SIZE-IGNORED", "R7-ROTATION-PATH",
	"BP-IMDSV2", "BP-IMDS-HOP-LIMIT", "BP-CONTROL-PLANE-LOGS", "BP-LOG-GROUP-ENCRYPTED",
	"BP-PUBLIC-ENDPOINT", "BP-UPGRADE-POLICY", "BP-BOOTSTRAP-ADDONS",
	"R1-POD-ADDRESSING", "R1-CAPACITY-HEADROOM", "R4-DEFAULT-STORAGECLASS", "R6-ONE-AUTOSCALER",
	"R6-BALANCE-SIMILAR", "R7-KARPENTER-EXPIRY", "BP-NAT-PER-AZ", "BP-FLOW-LOGS",
	"R3-AUTO-MODE-CAPABILITIES", "R4-AUTO-MODE-NODECLASS-ENCRYPTED", "R4-AUTO-MODE-EBS-KEY-POLICY",
	"R6-AUTO-MODE-NODEPOOLS", "R7-AUTO-MODE-EXPIRY",
	"R5-DEPLOYER-PINNED", "R7-VERSION-SKEW", "BP-ENDPOINT-COST",
	"BP-ACCELERATOR-TAINT", "BP-ACCELERATOR-DRIVER", "BP-ACCELERATOR-IDLE",
	"BP-OBSERVABILITY", "BP-OBSERVABILITY-LOG-GROUPS", "BP-NETWORK-POLICY", "BP-RUNTIME-MONITORING",
	"BP-POD-SECURITY-LABELS",
}

func validateReadiness(r Readiness, v *collector) {
	seen := map[string]bool{}
	for i, w := range r.Waive {
		path := fmt.Sprintf("readiness.waive[%d]", i)
		if !ruleIDRe.MatchString(w.Rule) {
			v.add(path+".rule", w.Rule, "is not a readiness rule ID (like R4-SECRETS-ENCRYPTION or BP-PUBLIC-ENDPOINT)")
		} else if !slices.Contains(ReadinessRuleIDs, w.Rule) {
			v.add(path+".rule", w.Rule, "is no readiness rule%s", ruleSuggestion(w.Rule))
		} else if seen[w.Rule] {
			v.add(path+".rule", w.Rule, "is waived twice")
		}
		seen[w.Rule] = true
		if len(strings.TrimSpace(w.Reason)) < 10 {
			v.add(path+".reason", w.Reason, "must say why the finding is acceptable (at least 10 characters): a waiver without a reason is not reviewable")
		}
	}
	if r.MinCapacityHeadroomPercent < 0 || r.MinCapacityHeadroomPercent > 90 {
		v.add("readiness.minCapacityHeadroomPercent", r.MinCapacityHeadroomPercent, "must be between 0 and 90")
	}
}

// ruleSuggestion names the rule ID closest to an unknown one, as unknown
// keys are answered: rule IDs are long (9 to 34 characters), so a typo may
// be up to a quarter of the ID away (BP-PUBLIC-ENDPIONT, R6-ONE-AUTOSCALERS).
// With none that close, it says where the IDs are listed rather than
// printing all of them.
func ruleSuggestion(rule string) string {
	if best, ok := nearest(rule, ReadinessRuleIDs, max(2, len(rule)/4)); ok {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return "; the rule IDs are in docs/readiness.md and in every synth's report"
}

// WaiverFor returns the waiver of a rule, if any.
func (r Readiness) WaiverFor(rule string) (Waiver, bool) {
	for _, w := range r.Waive {
		if w.Rule == rule {
			return w, true
		}
	}
	return Waiver{}, false
}
