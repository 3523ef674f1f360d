package config

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
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
	path := p.Path
	if len(path) > maxEchoedPath {
		// Paths hold the keys the user wrote; a key can be long too.
		path = bounded(path, maxEchoedPath) + "…"
	}
	if p.Value == nil {
		return fmt.Sprintf("%s: %s", path, p.Rule)
	}
	return fmt.Sprintf("%s: %s %s", path, formatValue(p.Value), p.Rule)
}

// maxEchoedValue and maxEchoedPath bound what a message repeats of the
// user's input: enough to recognise it, never the whole of a 1 MB value.
const (
	maxEchoedValue = 80
	maxEchoedPath  = 200
)

// maxListedProblems bounds how many problems one error lists; the count of
// the rest follows. A file of thousands of bad keys needs its first
// screenful fixed, not a megabyte of messages.
const maxListedProblems = 100

func formatValue(v any) string {
	switch t := v.(type) {
	case filePath:
		return fmt.Sprintf("%q", string(t))
	case string:
		return quoteBounded(t)
	case []string:
		quoted := make([]string, 0, len(t))
		for i, s := range t {
			if i == 10 {
				quoted = append(quoted, fmt.Sprintf("… %d more", len(t)-i))
				break
			}
			quoted = append(quoted, quoteBounded(s))
		}
		return "[" + strings.Join(quoted, ", ") + "]"
	default:
		s := fmt.Sprint(v)
		if len(s) > maxEchoedValue {
			s = bounded(s, maxEchoedValue) + "…"
		}
		return s
	}
}

// quoteBounded quotes s, or the start of it and its length when it is long.
func quoteBounded(s string) string {
	if len(s) <= maxEchoedValue {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q… (%s bytes)", bounded(s, maxEchoedValue), comma(len(s)))
}

// bounded is at most n bytes of the start of s, cut at a character boundary.
func bounded(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// listProblems renders problems one per line, at most maxListedProblems.
func listProblems[P fmt.Stringer](ps []P) string {
	lines := make([]string, 0, min(len(ps), maxListedProblems)+1)
	for i, p := range ps {
		if i == maxListedProblems {
			lines = append(lines, fmt.Sprintf("  … and %d more", len(ps)-i))
			break
		}
		lines = append(lines, "  - "+p.String())
	}
	return strings.Join(lines, "\n")
}

// Problems is every problem found in one configuration. It is an error so
// that callers can return it as one; its message lists all of them, one per
// line, sorted by path so the output is stable.
type Problems []Problem

// Error lists every problem, one per line.
func (ps Problems) Error() string {
	sorted := append(Problems(nil), ps...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	noun := "problems"
	if len(ps) == 1 {
		noun = "problem"
	}
	return fmt.Sprintf("invalid cluster configuration (%d %s):\n%s", len(ps), noun, listProblems(sorted))
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
