package config

import (
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// DefaultConfigFile is read when it exists in the working directory and no
// other path is given.
const DefaultConfigFile = "cluster.yaml"

// ConfigPathEnv names the environment variable that points at a
// configuration file, for runs where the cdktf context is not convenient.
const ConfigPathEnv = "EKSREADY_CONFIG"

// ConfigPathContextKey is the cdktf context key (cdktf.json "context", or
// `cdktf synth --context`-style CDKTF_CONTEXT_JSON) naming a configuration file.
const ConfigPathContextKey = "eksready:config"

// explicitPath is the configuration the user named: the cdktf context key
// first, then the environment variable; "" when neither is set. The cdktf
// CLI passes context to the app as JSON in CDKTF_CONTEXT_JSON; it is read
// here directly so that no jsii process starts before validation.
func explicitPath(getenv func(string) string) (string, error) {
	if raw := getenv("CDKTF_CONTEXT_JSON"); raw != "" {
		var ctx map[string]any
		if err := json.Unmarshal([]byte(raw), &ctx); err != nil {
			return "", fmt.Errorf("CDKTF_CONTEXT_JSON is not a JSON object: %w", err)
		}
		if v, ok := ctx[ConfigPathContextKey]; ok {
			s, isString := v.(string)
			if !isString || s == "" {
				return "", fmt.Errorf("context %q must be a non-empty file path, got %s", ConfigPathContextKey, formatValue(v))
			}
			return s, nil
		}
	}
	return getenv(ConfigPathEnv), nil
}

// LoadFile reads, defaults and validates the configuration at path; an
// empty path means the built-in default. The file must be a regular file
// of at most MaxConfigBytes holding one non-empty YAML document. Every
// problem found is returned at once as Problems; problems with the file as
// a whole name it.
func LoadFile(path string) (Cluster, error) {
	if path == "" {
		c := Default()
		return c, Validate(c)
	}
	data, p := readConfigFile(path)
	if p != nil {
		return Cluster{}, Problems{*p}
	}
	c, err := loadBytes(data)
	if ps, ok := err.(Problems); ok {
		for i := range ps {
			if ps[i].Path == "(file)" && ps[i].Value == nil {
				ps[i].Value = filePath(path)
			}
		}
	}
	return c, err
}

// Load parses YAML strictly over base() (Default() before the defaults that
// depend on other fields): an unknown or misspelt key, a key given twice,
// a null, or a value of the wrong type is a problem naming its path and
// line, and so is input that is empty or holds a second document. Then
// defaults that depend on other fields are filled and the result validated.
func Load(r io.Reader) (Cluster, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxConfigBytes+1))
	if err != nil {
		return Cluster{}, fmt.Errorf("reading cluster configuration: %w", err)
	}
	if len(data) > MaxConfigBytes {
		return Cluster{}, Problems{{Path: "(file)", Rule: fmt.Sprintf("holds more than %s bytes; a configuration file may hold at most %s bytes", comma(MaxConfigBytes), comma(MaxConfigBytes))}}
	}
	return loadBytes(data)
}

func loadBytes(data []byte) (Cluster, error) {
	root, problems := parseConfig(data)
	if problems != nil {
		return Cluster{}, problems
	}
	c := base()
	var shape collector
	checkShape(root, reflect.TypeOf(c), "", &shape)
	// Decode leniently even when the shape is wrong, so the rest of the
	// file can still be validated and every problem reported in one run.
	decodeInto(root, reflect.ValueOf(&c).Elem())
	omitUnwrittenNodes(root, &c)
	applyDefaults(&c)
	problems = shape.problems
	if err := Validate(c); err != nil {
		covered := pathsOf(shape.problems)
		for _, p := range err.(Problems) {
			// A value that could not be read stays at its default; judging
			// that default would only confuse.
			if !covered.covers(p.Path) {
				problems = append(problems, p)
			}
		}
	}
	if len(problems) > 0 {
		return c, problems
	}
	return c, nil
}

// pathSet is the paths of problems already reported, so that validation
// does not judge a value that could not be read (it holds its default).
type pathSet map[string]bool

func pathsOf(ps Problems) pathSet {
	s := make(pathSet, len(ps))
	for _, p := range ps {
		s.add(p.Path)
	}
	return s
}

func (s *pathSet) add(path string) {
	if *s == nil {
		*s = pathSet{}
	}
	(*s)[path] = true
}

// covers reports whether path is in the set or below a path in it
// (`a.b` covers `a.b.c` and `a.b[0]`), in time proportional to the
// path's length rather than the set's size.
func (s pathSet) covers(path string) bool {
	if s[path] {
		return true
	}
	for i := 0; i < len(path); i++ {
		if (path[i] == '.' || path[i] == '[') && s[path[:i]] {
			return true
		}
	}
	return false
}

// checkShape walks the YAML tree beside the Go type it decodes into and
// records every unknown key, every key given twice, every null and every
// value of the wrong kind, with its path and line, so a user sees all of
// them at once instead of the decoder's first.
func checkShape(n *yaml.Node, t reflect.Type, path string, c *collector) {
	shapeChecker{c: c}.walk(n, t, path)
}

// shapeChecker is one checkShape walk.
type shapeChecker struct {
	c *collector
	// nullOK reports whether a null at a path is meaningful rather than a
	// mistake: in a fleet's cluster file, null removes a setting the shared
	// defaults made. nil: a null is always a problem.
	nullOK func(path string) bool
}

func (s shapeChecker) walk(n *yaml.Node, t reflect.Type, path string) {
	c := s.c
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	where := func(p string) string {
		if p == "" {
			return "(top level)"
		}
		return p
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Tag == "!!null" {
		// A null would leave the default in place of what the user meant
		// to write: refuse it rather than guess. The one exception is a
		// section heading with nothing (or only comments) under it, as in
		// cluster.example.yaml: it reads as the empty mapping it looks like.
		isMapping := t.Kind() == reflect.Struct || t.Kind() == reflect.Map
		switch {
		case s.nullOK != nil && s.nullOK(path):
		case n.Value == "" && isMapping:
		case n.Value == "":
			c.missing(where(path), "has no value (line %d); write one, or remove the key to keep the default", n.Line)
		case s.nullOK != nil:
			c.missing(where(path), "is null (line %d), but _fleet.yaml's defaults set nothing here for it to remove; write a value, or remove the key to keep the default", n.Line)
		default:
			c.missing(where(path), "is null (line %d); write a value, or remove the key to keep the default", n.Line)
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			c.add(where(path), n.Value, "must be a mapping (line %d)", n.Line)
			return
		}
		fields := yamlFields(t)
		s.pairs(n, path, func(key, val *yaml.Node) {
			f, ok := fields[key.Value]
			if !ok {
				c.missing(join(path, key.Value), "unknown key (line %d)%s", key.Line, suggestion(key.Value, fields))
				return
			}
			s.walk(val, f.Type, join(path, key.Value))
		})
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			c.add(where(path), n.Value, "must be a mapping (line %d)", n.Line)
			return
		}
		s.pairs(n, path, func(key, val *yaml.Node) {
			s.walk(val, t.Elem(), join(path, key.Value))
		})
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			c.add(where(path), n.Value, "must be a list (line %d)", n.Line)
			return
		}
		for i, item := range n.Content {
			s.walk(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
		}
	default:
		if n.Kind != yaml.ScalarNode {
			c.missing(where(path), "must be a single %s value, not a %s (line %d)", kindName(t), nodeKindName(n.Kind), n.Line)
			return
		}
		err := n.Decode(reflect.New(t).Interface())
		// yaml.v3 truncates a float into an integer field (7.5 becomes 7).
		isFloat := n.Tag == "!!float" && t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64
		if err != nil || isFloat {
			c.add(where(path), n.Value, "is not a valid %s (line %d)", kindName(t), n.Line)
		}
	}
}

// pairs calls f for every key and value of a mapping, once per key: a key
// given again is a problem naming both lines (yaml.v3 would drop the
// whole mapping, or keep one of the two values), and its second value is
// not looked at.
func (s shapeChecker) pairs(n *yaml.Node, path string, f func(key, val *yaml.Node)) {
	first := make(map[string]int, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := n.Content[i]
		if k := resolveYAML(key); k.Kind != yaml.ScalarNode {
			s.c.missing(join(path, "?"), "a key must be a single value, not a %s (line %d)", nodeKindName(k.Kind), key.Line)
			continue
		}
		if line, dup := first[key.Value]; dup {
			s.c.missing(join(path, key.Value), "is given twice in one mapping (lines %d and %d); write each key once", line, key.Line)
			continue
		}
		first[key.Value] = key.Line
		f(key, n.Content[i+1])
	}
}

func yamlFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if name != "" && name != "-" {
			out[name] = f
		}
	}
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "boolean (true or false)"
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "whole number"
	default:
		return t.Kind().String()
	}
}

func nodeKindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	default:
		return "value"
	}
}

// suggestion names the known key closest to a misspelt one, when one is
// close enough to be a likely typo (see nearest); otherwise it lists the
// known keys.
func suggestion(key string, fields map[string]reflect.StructField) string {
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	if best, ok := nearest(key, names, maxTypoDistance(len(key))); ok {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return "; known keys: " + strings.Join(names, ", ")
}

// nearest returns the known name closest to s (case-insensitively, by
// editDistance, the first in the list on ties) when it is at most limit
// edits away: for keys, one edit for a name of three or four characters,
// two for a longer one, none for one or two characters (any two-letter key
// is two edits from any other: `<<` is not a typo of os).
func nearest(s string, known []string, limit int) (string, bool) {
	best, bestDist := "", limit+1
	for _, name := range known {
		// The lengths alone bound the distance (and keep a megabyte-long
		// key from costing a megabyte of work per known key).
		if abs(len(s)-len(name)) >= bestDist {
			continue
		}
		if d := editDistance(strings.ToLower(s), strings.ToLower(name)); d < bestDist {
			best, bestDist = name, d
		}
	}
	return best, best != ""
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func maxTypoDistance(n int) int {
	switch {
	case n <= 2:
		return 0
	case n <= 4:
		return 1
	default:
		return 2
	}
}

// editDistance is the optimal-string-alignment distance: insertions,
// deletions, substitutions and transpositions of neighbours (nmae is one
// edit from name).
func editDistance(a, b string) int {
	rows := make([][]int, len(a)+1)
	for i := range rows {
		rows[i] = make([]int, len(b)+1)
		rows[i][0] = i
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			rows[i][j] = min(rows[i-1][j]+1, rows[i][j-1]+1, rows[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				rows[i][j] = min(rows[i][j], rows[i-2][j-2]+1)
			}
		}
	}
	return rows[len(a)][len(b)]
}

// AllKeys lists every key the configuration model accepts, as dotted paths
// with `<name>` for map keys and `[]` for list items, in declaration order.
// Documentation tests use it to keep cluster.example.yaml complete.
func AllKeys() []string {
	var out []string
	var walk func(t reflect.Type, path string)
	walk = func(t reflect.Type, path string) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Struct:
			for i := 0; i < t.NumField(); i++ {
				name := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
				if name == "" || name == "-" {
					continue
				}
				p := join(path, name)
				out = append(out, p)
				walk(t.Field(i).Type, p)
			}
		case reflect.Map:
			walk(t.Elem(), path+".<name>")
		case reflect.Slice:
			walk(t.Elem(), path+"[]")
		}
	}
	walk(reflect.TypeOf(Cluster{}), "")
	return out
}
