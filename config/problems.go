package config

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with a configuration: where it is, what was
// given, and the rule it breaks. Its message reads like
// `nodes.system.maxSize: 0 is below minSize 2`.
type Problem struct {
	// Path is the field's location in cluster.yaml, dot-separated, with map
	// keys and list indexes as written (`nodes.system.maxSize`, `access.entries[1].policy`).
	Path string
	// Value is the offending value as the user wrote it (empty when the
	// field is missing altogether).
	Value any
	// Rule says what is wrong, phrased to follow the value.
	Rule string
}

// String renders the problem as `path: value rule`.
func (p Problem) String() string {
	if p.Value == nil {
		return fmt.Sprintf("%s: %s", p.Path, p.Rule)
	}
	return fmt.Sprintf("%s: %s %s", p.Path, formatValue(p.Value), p.Rule)
}

func formatValue(v any) string {
	switch t := v.(type) {
	case string:
		return fmt.Sprintf("%q", t)
	case []string:
		quoted := make([]string, len(t))
		for i, s := range t {
			quoted[i] = fmt.Sprintf("%q", s)
		}
		return "[" + strings.Join(quoted, ", ") + "]"
	default:
		return fmt.Sprint(v)
	}
}

// Problems is every problem found in one configuration. It is an error so
// that callers can return it as one; its message lists all of them, one per
// line, sorted by path so the output is stable.
type Problems []Problem

// Error lists every problem, one per line.
func (ps Problems) Error() string {
	sorted := append(Problems(nil), ps...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	lines := make([]string, len(sorted))
	for i, p := range sorted {
		lines[i] = "  - " + p.String()
	}
	noun := "problems"
	if len(ps) == 1 {
		noun = "problem"
	}
	return fmt.Sprintf("invalid cluster configuration (%d %s):\n%s", len(ps), noun, strings.Join(lines, "\n"))
}

// collector gathers problems while validation walks the configuration.
type collector struct{ problems Problems }

func (c *collector) add(path string, value any, rule string, args ...any) {
	c.problems = append(c.problems, Problem{Path: path, Value: value, Rule: fmt.Sprintf(rule, args...)})
}

func (c *collector) missing(path, rule string, args ...any) {
	c.problems = append(c.problems, Problem{Path: path, Rule: fmt.Sprintf(rule, args...)})
}

func (c *collector) err() error {
	if len(c.problems) == 0 {
		return nil
	}
	return c.problems
}
