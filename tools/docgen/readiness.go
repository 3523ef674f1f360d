package main

import (
	"fmt"
	"strings"

	"github.com/eksready/eksready/report/readiness"
)

// severityMeaning says what a finding of each severity does to a synth.
var severityMeaning = map[readiness.Severity]string{
	readiness.Error:   "fails the synth unless waived (the stacks are still written, so the finding can be inspected)",
	readiness.Warning: "printed and reported, not fatal",
	readiness.Info:    "advice, printed and reported",
}

// readinessPage renders docs/readiness.md from the rules themselves.
func readinessPage(rules []*readiness.Rule) (string, error) {
	var b strings.Builder
	b.WriteString(generatedNote)
	fmt.Fprintf(&b, readinessIntro, len(rules))
	b.WriteString("| rule | severity | source | checks |\n|---|---|---|---|\n")
	for _, r := range rules {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s | %s |\n", r.ID, anchor(r.ID), r.Severity, r.Source, cell(r.Title))
	}
	for _, r := range rules {
		meaning, ok := severityMeaning[r.Severity]
		if !ok {
			return "", fmt.Errorf("rule %s: severity %q has no meaning written in tools/docgen", r.ID, r.Severity)
		}
		fmt.Fprintf(&b, "\n## `%s`\n\n", r.ID)
		fmt.Fprintf(&b, "- Checks: %s.\n", r.Title)
		fmt.Fprintf(&b, "- Severity: %s: %s.\n", r.Severity, meaning)
		fmt.Fprintf(&b, "- Source: %s.\n", r.Source)
		fmt.Fprintf(&b, "- When it fires, the report says: \"%s\", then the Terraform address (or configuration path), the value found and the fix.\n", r.Problem)
		if reason, ok := readiness.AutoModeReason(r.ID); ok {
			fmt.Fprintf(&b, "- On an EKS Auto Mode cluster: not checked, satisfied by construction: %s.\n", reason)
		}
		fmt.Fprintf(&b, "- Waive: `readiness: {waive: [{rule: %s, reason: \"<why this is acceptable here>\"}]}`.\n", r.ID)
	}
	return b.String(), nil
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

const readinessIntro = `
# Readiness rules

Every synth ends with a production-readiness report: %d executable rules
over the synthesized stacks and the configuration they came from
(` + "`report/readiness`" + `). This page is generated from the rules themselves:
their ID, severity, source, what each checks and what the report says when
it fires.

Each rule comes from one of the article's recommendations (R1 to R8: IP
exhaustion, Bottlerocket, managed add-ons, encryption, aws-auth,
autoscaling, node rotation; see [the article](../README.md#the-article-behind-it)) or a best practice (BP). A
finding names the Terraform address (or the configuration path when no
resource exists to point at), the value found and the fix in
` + "`cluster.yaml`" + `. ` + "`cdktf.out/readiness.sarif`" + ` carries the same findings as SARIF
2.1.0 for code scanning.

## Waiving a rule

A rule's findings can be accepted, with the reason on record, under
` + "`readiness.waive`" + ` in ` + "`cluster.yaml`" + ` (see
[the configuration reference](configuration.md#readinesswaive)). A waived
finding still shows in the report (marked waived, with the reason) and in
SARIF (as a suppression); a waived error no longer fails the synth. The rule
must exist and the reason must say why (at least 10 characters): a waiver
naming no rule is refused with the configuration, before anything is
written.

` + "```yaml" + `
readiness:
  waive:
    - rule: BP-PUBLIC-ENDPOINT
      reason: "CI runs outside AWS; the allow-list is tracked in PLAT-123"
` + "```" + `

## Rules

`
