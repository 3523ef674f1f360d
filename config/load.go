package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
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
				return "", fmt.Errorf("context %q must be a non-empty file path, got %v", ConfigPathContextKey, v)
			}
			return s, nil
		}
	}
	return getenv(ConfigPathEnv), nil
}

// LoadFile reads, defaults and validates the configuration at path; an
// empty path means the built-in default. Every problem found is returned
// at once as Problems.
func LoadFile(path string) (Cluster, error) {
	if path == "" {
		c := Default()
		return c, Validate(c)
	}
	f, err := os.Open(path)
	if err != nil {
		return Cluster{}, fmt.Errorf("reading cluster configuration: %w", err)
	}
	defer f.Close()
	return Load(f)
}

// Load parses YAML strictly over base() (Default() before the defaults that
// depend on other fields): an unknown or misspelt key, or
// a value of the wrong type, is a problem naming its path and line. Then
// defaults that depend on other fields are filled and the result validated.
func Load(r io.Reader) (Cluster, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Cluster{}, fmt.Errorf("reading cluster configuration: %w", err)
	}
	c := base()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return Cluster{}, Problems{{Path: "(file)", Rule: "is not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}}
	}
	if len(doc.Content) == 0 {
		c = Default()
		return c, Validate(c)
	}
	var shape collector
	checkShape(doc.Content[0], reflect.TypeOf(c), "", &shape)
	// Decode leniently even when the shape is wrong: yaml.v3 skips unknown
	// keys and values it cannot convert and goes on, so the rest of the file
	// can still be validated and every problem reported in one run.
	if err := yaml.Unmarshal(data, &c); err != nil && len(shape.problems) == 0 {
		// checkShape mirrors the decoder, so this would be a defect in
		// eksready rather than in the file; report it rather than panic.
		return Cluster{}, Problems{{Path: "(file)", Rule: err.Error()}}
	}
	omitUnwrittenNodes(doc.Content[0], &c)
	applyDefaults(&c)
	problems := shape.problems
	if err := Validate(c); err != nil {
		for _, p := range err.(Problems) {
			// A value that could not be read stays at its default; judging
			// that default would only confuse.
			if !coveredBy(p.Path, shape.problems) {
				problems = append(problems, p)
			}
		}
	}
	if len(problems) > 0 {
		return c, problems
	}
	return c, nil
}

func coveredBy(path string, shape Problems) bool {
	for _, s := range shape {
		if path == s.Path || strings.HasPrefix(path, s.Path+".") || strings.HasPrefix(path, s.Path+"[") {
			return true
		}
	}
	return false
}

// UnmarshalYAML lays a pool's YAML over DefaultNodePool(), so each pool
// states only what differs from the defaults.
func (p *NodePool) UnmarshalYAML(n *yaml.Node) error {
	type plain NodePool
	v := plain(DefaultNodePool())
	if err := decodeOver(n, &v); err != nil {
		return err
	}
	*p = NodePool(v)
	return nil
}

// decodeOver decodes n over v, which holds the defaults. On a type error
// yaml.v3 has still decoded every other field: the value is kept (yaml.v3
// drops a map value whose unmarshaler fails) so that validation can speak
// about the rest of it; Load's shape check has already reported the value
// that could not be read.
func decodeOver[T any](n *yaml.Node, v *T) error {
	var typeErr *yaml.TypeError
	if err := n.Decode(v); err != nil && !errors.As(err, &typeErr) {
		return err
	}
	return nil
}

// checkShape walks the YAML tree beside the Go type it decodes into and
// records every unknown key and every value of the wrong kind, with its
// path, so a user sees all of them at once instead of the decoder's first.
func checkShape(n *yaml.Node, t reflect.Type, path string, c *collector) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Tag == "!!null" {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	where := func(p string) string {
		if p == "" {
			return "(top level)"
		}
		return p
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			c.add(where(path), n.Value, "must be a mapping (line %d)", n.Line)
			return
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, val := n.Content[i], n.Content[i+1]
			f, ok := fields[key.Value]
			if !ok {
				c.missing(join(path, key.Value), "unknown key (line %d)%s", key.Line, suggestion(key.Value, fields))
				continue
			}
			checkShape(val, f.Type, join(path, key.Value), c)
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			c.add(where(path), n.Value, "must be a mapping (line %d)", n.Line)
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			checkShape(n.Content[i+1], t.Elem(), join(path, n.Content[i].Value), c)
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			c.add(where(path), n.Value, "must be a list (line %d)", n.Line)
			return
		}
		for i, item := range n.Content {
			checkShape(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i), c)
		}
	default:
		if n.Kind != yaml.ScalarNode {
			c.missing(where(path), "must be a single %s value, not a %s (line %d)", kindName(t), nodeKindName(n.Kind), n.Line)
			return
		}
		if err := n.Decode(reflect.New(t).Interface()); err != nil {
			c.add(where(path), n.Value, "is not a valid %s (line %d)", kindName(t), n.Line)
		}
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
// close enough to be a likely typo.
func suggestion(key string, fields map[string]reflect.StructField) string {
	best, bestDist := "", 3
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if d := editDistance(strings.ToLower(key), strings.ToLower(name)); d < bestDist {
			best, bestDist = name, d
		}
	}
	if best == "" {
		return "; known keys: " + strings.Join(names, ", ")
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
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
