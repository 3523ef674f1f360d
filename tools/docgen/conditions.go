package main

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/eksready/eksready/config"
)

// addConditions finds the defaults that depend on another setting, by
// asking the loader rather than restating its rules: for every setting that
// switches something (a boolean, or one with a fixed set of values) it
// loads a file changing only that setting, and records every value that
// then differs from the built-in configuration. A default that depends on
// two settings at once is found only through the one that differs from
// the built-in configuration; the doc comment says the rest.
func addConditions(settings []*setting) error {
	byPath := map[string]*setting{}
	var selectors []*setting
	walk(settings, func(s *setting) {
		byPath[s.Path] = s
		switches := s.Type.Kind() == reflect.Bool || (s.Enum != nil && s.Type.Kind() != reflect.Slice && s.Type.Kind() != reflect.Map)
		if s.leaf() && switches && !strings.Contains(s.Path, "[]") {
			selectors = append(selectors, s)
		}
	})
	builtIn := leaves(reflect.ValueOf(config.Default()))
	static := reflect.ValueOf(config.StaticDefault())
	for _, sel := range selectors {
		at, ok := concretePath(static, sel.Path)
		if !ok {
			continue
		}
		for _, when := range candidates(sel, plain(builtIn[at].value)) {
			c, err := config.Load(strings.NewReader(yamlAt(at, when)))
			if _, invalid := err.(config.Problems); err != nil && !invalid {
				return err
			}
			if reflect.ValueOf(c).IsZero() {
				continue // refused as a whole: nothing was defaulted
			}
			changed := leaves(reflect.ValueOf(c))
			for _, p := range sortedKeys(changed) {
				l := changed[p]
				if l.path == sel.Path || !set(l.value) || reflect.DeepEqual(plain(l.value), plain(builtIn[p].value)) {
					continue
				}
				s := byPath[l.path]
				if s == nil {
					return fmt.Errorf("setting %s (from %s) is not in the reference", l.path, p)
				}
				cond := condition{Selector: sel.Path, When: when, Value: plain(l.value)}
				if !slices.ContainsFunc(s.Conditions, func(o condition) bool { return reflect.DeepEqual(o, cond) }) {
					s.Conditions = append(s.Conditions, cond)
				}
			}
		}
	}
	return nil
}

// candidates are the values a switching setting is tried with: every
// value it can take but its built-in one.
func candidates(s *setting, current any) []any {
	all := s.Enum
	if s.Type.Kind() == reflect.Bool {
		all = []any{true, false}
	}
	return slices.DeleteFunc(slices.Clone(all), func(v any) bool { return reflect.DeepEqual(v, current) })
}

// leafValue is one value of a configuration, by its AllKeys path.
type leafValue struct {
	path  string
	value reflect.Value
}

// leaves lists a configuration's values that have no keys below them, by
// their concrete path (`nodes.system.minSize`).
func leaves(v reflect.Value) map[string]leafValue {
	out := map[string]leafValue{}
	collectLeaves(v, "", "", out)
	return out
}

func collectLeaves(v reflect.Value, at, path string, out map[string]leafValue) {
	for i := 0; i < v.NumField(); i++ {
		key := yamlKey(v.Type().Field(i))
		if key == "" {
			continue
		}
		f, a, p := v.Field(i), join(at, key), join(path, key)
		t := deref(f.Type())
		switch {
		case t.Kind() == reflect.Struct:
			if d := derefValue(f); d.IsValid() {
				collectLeaves(d, a, p, out)
			}
		case t.Kind() == reflect.Map && deref(t.Elem()).Kind() == reflect.Struct:
			if f.IsNil() {
				continue
			}
			for _, k := range sortedMapKeys(f) {
				if d := derefValue(f.MapIndex(k)); d.IsValid() {
					collectLeaves(d, a+"."+fmt.Sprint(k), p+".<name>", out)
				}
			}
		case t.Kind() == reflect.Slice && deref(t.Elem()).Kind() == reflect.Struct:
			for j := 0; j < f.Len(); j++ {
				if d := derefValue(f.Index(j)); d.IsValid() {
					collectLeaves(d, fmt.Sprintf("%s[%d]", a, j), p+"[]", out)
				}
			}
		default:
			out[a] = leafValue{path: p, value: f}
		}
	}
}

// concretePath writes an AllKeys path with each `<name>` replaced by the
// first key the built-in configuration has there (nodes.<name>.os is
// nodes.system.os); false when it has none.
func concretePath(v reflect.Value, path string) (string, bool) {
	var out []string
	for _, seg := range strings.Split(path, ".") {
		v = derefValue(v)
		if seg == "<name>" {
			if !v.IsValid() || v.Kind() != reflect.Map || v.Len() == 0 {
				return "", false
			}
			k := sortedMapKeys(v)[0]
			out = append(out, fmt.Sprint(k))
			v = v.MapIndex(k)
			continue
		}
		out = append(out, seg)
		if v.IsValid() && v.Kind() == reflect.Struct {
			next := reflect.Value{}
			for i := 0; i < v.NumField(); i++ {
				if yamlKey(v.Type().Field(i)) == seg {
					next = v.Field(i)
				}
			}
			v = next
		}
	}
	return strings.Join(out, "."), true
}

// yamlAt is a configuration file setting one value at a concrete path.
func yamlAt(path string, value any) string {
	segs := strings.Split(path, ".")
	var doc any = value
	for i := len(segs) - 1; i >= 0; i-- {
		doc = map[string]any{segs[i]: doc}
	}
	out, err := yaml.Marshal(doc)
	if err != nil {
		panic(err) // maps of strings and scalars always marshal
	}
	return string(out)
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
