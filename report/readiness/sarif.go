package readiness

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
)

// SarifVersion and SarifSchema identify the SARIF format written.
const (
	SarifVersion = "2.1.0"
	SarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
)

// sarifLevel maps severities to SARIF result levels.
var sarifLevel = map[Severity]string{Error: "error", Warning: "warning", Info: "note"}

// SARIF renders the report as a SARIF 2.1.0 log, so GitHub and GitLab code
// scanning show findings on pull requests. Locations point at the
// synthesized stack file (relative to the working directory) and the line
// where the resource is declared; waived findings carry an external
// suppression with the waiver's reason.
func (r Report) SARIF(in Input) ([]byte, error) {
	type m = map[string]any
	var rules []m
	index := map[string]int{}
	for i, rule := range r.Rules {
		index[rule.ID] = i
		rules = append(rules, m{
			"id":                   rule.ID,
			"name":                 strings.ReplaceAll(rule.ID, "-", ""),
			"shortDescription":     m{"text": rule.Title},
			"fullDescription":      m{"text": rule.Title + " (" + rule.Source + ")"},
			"defaultConfiguration": m{"level": sarifLevel[rule.Severity]},
			"properties":           m{"source": rule.Source, "severity": string(rule.Severity)},
		})
	}
	results := []m{}
	for _, f := range r.Findings {
		file, line := locate(in, f.Address)
		result := m{
			"ruleId":    f.Rule.ID,
			"ruleIndex": index[f.Rule.ID],
			"level":     sarifLevel[f.Rule.Severity],
			"message":   m{"text": f.Rule.Problem + ": " + f.Value + ". Fix: " + f.Fix},
			"locations": []m{{
				"physicalLocation": m{
					"artifactLocation": m{"uri": filepath.ToSlash(file)},
					"region":           m{"startLine": line},
				},
				"logicalLocations": []m{{"fullyQualifiedName": f.Address, "kind": "resource"}},
			}},
		}
		if f.Waived {
			result["suppressions"] = []m{{"kind": "external", "justification": f.Reason}}
		}
		results = append(results, result)
	}
	log := m{
		"$schema": SarifSchema,
		"version": SarifVersion,
		"runs": []m{{
			"tool": m{"driver": m{
				"name":           "eksready-readiness",
				"informationUri": "https://github.com/eksready/eksready",
				"rules":          rules,
			}},
			"results": results,
		}},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(log)
	return buf.Bytes(), err
}

// locate finds the stack file and the line declaring an address
// ("infra: aws_eks_cluster.name"), falling back to line 1.
func locate(in Input, address string) (string, int) {
	stack, rest, _ := strings.Cut(address, ": ")
	file := in.InfraPath
	if stack == "addons" {
		file = in.AddonsPath
	}
	_, name, ok := strings.Cut(rest, ".")
	if !ok || file == "" {
		return file, 1
	}
	f, err := os.Open(file)
	if err != nil {
		return file, 1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == `"`+name+`": {` {
			return file, n
		}
	}
	return file, 1
}
