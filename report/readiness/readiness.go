// Package readiness is eksready's production-readiness report: executable
// rules over what a synth wrote (the infra and addons cdk.tf.json) and the
// configuration it came from. Each rule names its source — one of the
// article's recommendations R1–R8, or a best practice (BP) — and, when it
// fires, the Terraform address, the offending value and the fix in
// cluster.yaml. It owns the rules, how a waiver in cluster.yaml applies
// to them, and the report's text and SARIF renderings.
//
// Pure Go: it reads JSON, never jsii. Like package report it may import
// catalog, config and report, never constructs or stacks, so a rule checks
// what Terraform will be given rather than what eksready meant to write.
package readiness

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/report"
)

// Severity ranks a rule.
type Severity string

const (
	// Error findings fail the synth unless waived.
	Error Severity = "error"
	// Warning findings are printed and reported, not fatal.
	Warning Severity = "warning"
	// Info findings are advice.
	Info Severity = "info"
)

// Rule is one executable check.
type Rule struct {
	// ID is stable and used in waivers ("R4-SECRETS-ENCRYPTION").
	ID string
	// Severity of its findings.
	Severity Severity
	// Title says in one line what must hold.
	Title string
	// Problem says in one line what is wrong when the rule fires: the
	// report prints it, never the Title, so a finding never reads like the
	// desired state.
	Problem string
	// Source is the recommendation or best practice it enforces.
	Source string
	// Check returns the violations in the input; none means it passes.
	Check func(in *Input) []Violation
}

// Violation is one place a rule does not hold.
type Violation struct {
	// Address is the Terraform address, prefixed by its stack
	// ("infra: aws_eks_cluster.control-plane_cluster_47C848BD"), or the
	// configuration path when no resource exists to point at.
	Address string
	// Value is what was found.
	Value string
	// Fix says what to change in cluster.yaml.
	Fix string
}

// Finding is a violation with its rule and waiver.
type Finding struct {
	// Rule is the rule that fired.
	Rule *Rule
	// Violation is where and what.
	Violation
	// Waived is true when cluster.yaml waives the rule; Reason says why.
	Waived bool
	Reason string
}

// Input is what rules read.
type Input struct {
	// Config is the resolved configuration.
	Config config.Cluster
	// Infra and Addons are the synthesized stacks.
	Infra, Addons report.Stack
	// InfraPath and AddonsPath are the stacks' files, for SARIF locations.
	InfraPath, AddonsPath string
}

// Report is the outcome of every rule.
type Report struct {
	// Rules are every rule evaluated, in order.
	Rules []*Rule
	// Findings are every violation, in rule order.
	Findings []Finding
	// Unknown lists waived rule IDs that match no rule.
	Unknown []string
	// BuiltIn are the rules an EKS Auto Mode cluster satisfies by
	// construction, not checked there, with the reason.
	BuiltIn []BuiltIn
}

// BuiltIn is a rule Auto Mode satisfies by construction.
type BuiltIn struct {
	// Rule is the rule not checked.
	Rule *Rule
	// Reason says why it holds (with the EKS user guide page).
	Reason string
}

// Evaluate runs every rule.
func Evaluate(in Input) Report {
	r := Report{Rules: Rules()}
	known := map[string]bool{}
	auto := autoMode(&in)
	for _, rule := range r.Rules {
		known[rule.ID] = true
		if reason, ok := autoModeReasons[rule.ID]; ok && auto {
			r.BuiltIn = append(r.BuiltIn, BuiltIn{Rule: rule, Reason: reason})
			continue
		}
		w, waived := in.Config.Readiness.WaiverFor(rule.ID)
		for _, v := range rule.Check(&in) {
			r.Findings = append(r.Findings, Finding{Rule: rule, Violation: v, Waived: waived, Reason: w.Reason})
		}
	}
	for _, w := range in.Config.Readiness.Waive {
		if !known[w.Rule] {
			r.Unknown = append(r.Unknown, w.Rule)
		}
	}
	return r
}

// Count returns the unwaived findings of a severity.
func (r Report) Count(s Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Rule.Severity == s && !f.Waived {
			n++
		}
	}
	return n
}

// Failed reports whether the synth must fail: an unwaived error, or a
// waiver naming no rule (a typo would otherwise waive nothing silently).
func (r Report) Failed() bool { return r.Count(Error) > 0 || len(r.Unknown) > 0 }

// Section renders the report for the synth summary: counts per severity,
// then each finding.
func (r Report) Section() report.Section {
	waived := 0
	for _, f := range r.Findings {
		if f.Waived {
			waived++
		}
	}
	counts := fmt.Sprintf("%s: %s, %s, %s, %d waived", report.Count(len(r.Rules), "rule"), report.Count(r.Count(Error), "error"), report.Count(r.Count(Warning), "warning"), report.Count(r.Count(Info), "info"), waived)
	if len(r.BuiltIn) > 0 {
		counts += fmt.Sprintf(", %d satisfied by EKS Auto Mode", len(r.BuiltIn))
	}
	lines := []string{counts}
	for _, b := range r.BuiltIn {
		lines = append(lines, fmt.Sprintf("AUTO MODE %s (%s): %s", b.Rule.ID, b.Rule.Source, b.Reason))
	}
	for _, f := range r.Findings {
		status := strings.ToUpper(string(f.Rule.Severity))
		if f.Waived {
			status = "WAIVED " + status
		}
		lines = append(lines, fmt.Sprintf("%s %s (%s): %s", status, f.Rule.ID, f.Rule.Source, f.Rule.Problem))
		lines = append(lines, fmt.Sprintf("    at %s: %s", f.Address, f.Value))
		if f.Waived {
			lines = append(lines, "    waived: "+f.Reason)
		} else {
			lines = append(lines, "    fix: "+f.Fix)
		}
	}
	for _, id := range r.Unknown {
		lines = append(lines, fmt.Sprintf("ERROR readiness.waive names %q, which is no rule (known rules are listed in docs/readiness.md)", id))
	}
	return report.Section{Title: "production readiness", Lines: lines}
}

// resource is one resource or data source of a stack.
type resource struct {
	Type, Name string
	Attrs      map[string]any
	// Stack is the stack it was found in, when the finder records it.
	Stack string
}

// At is the address prefixed by its stack (infra unless recorded).
func (r resource) At() string {
	if r.Stack == "" {
		return at("infra", r)
	}
	return at(r.Stack, r)
}

// Address is the Terraform address.
func (r resource) Address() string { return r.Type + "." + r.Name }

// ofType lists a stack's resources of one type, sorted by name.
func ofType(st report.Stack, typ string) []resource {
	var out []resource
	for name, attrs := range st.Resource[typ] {
		out = append(out, resource{Type: typ, Name: name, Attrs: attrs})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// at prefixes an address with its stack.
func at(stack string, r resource) string { return stack + ": " + r.Address() }

// str reads a string attribute (empty when absent or not a string).
func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// obj reads a nested block, which cdktf renders as an object (or a list
// of one object).
func obj(m map[string]any, key string) map[string]any {
	switch v := m[key].(type) {
	case map[string]any:
		return v
	case []any:
		if len(v) > 0 {
			o, _ := v[0].(map[string]any)
			return o
		}
	}
	return nil
}

// strs reads a list of strings.
func strs(m map[string]any, key string) []string {
	raw, _ := m[key].([]any)
	out := make([]string, 0, len(raw))
	for _, x := range raw {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Load reads a synthesized pair of stacks for evaluation.
func Load(cfg config.Cluster, outdir, infraStack, addonsStack string) (Input, error) {
	in := Input{
		Config:     cfg,
		InfraPath:  filepath.Join(outdir, "stacks", infraStack, "cdk.tf.json"),
		AddonsPath: filepath.Join(outdir, "stacks", addonsStack, "cdk.tf.json"),
	}
	var err error
	if in.Infra, err = report.ReadStack(in.InfraPath); err != nil {
		return in, err
	}
	in.Addons, err = report.ReadStack(in.AddonsPath)
	return in, err
}
