package config

import (
	"reflect"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// decodeInto lays a YAML tree over v, which already holds the defaults.
// yaml.v3's own decoder would do the same, but it compares every key of a
// mapping with every other one (its duplicate-key check, quadratic: 20,000
// tags took 1.8 s and 80,000 took 66 s), and it lets a null reset a map or
// list. Here each node is visited once: duplicates and nulls have already
// been reported by checkShape, so this walk only copies values.
//
// Like yaml.v3 it is lenient: a value that does not fit its field is left
// at the default (checkShape has reported it), unknown keys are skipped,
// and a null leaves the value below it (in a fleet, null in a cluster file
// removes the shared setting, so the built-in default remains).
func decodeInto(n *yaml.Node, v reflect.Value) {
	n = resolveYAML(n)
	if n == nil || n.Tag == "!!null" {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		// A fresh pointee: the default's may be shared with other values.
		p := reflect.New(v.Type().Elem())
		if !v.IsNil() {
			p.Elem().Set(v.Elem())
		}
		decodeInto(n, p.Elem())
		v.Set(p)
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return
		}
		fields := fieldIndexes(v.Type())
		for i := 0; i+1 < len(n.Content); i += 2 {
			if idx, ok := fields[n.Content[i].Value]; ok {
				decodeInto(n.Content[i+1], v.Field(idx))
			}
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return
		}
		// Keys are added to the default map (as yaml.v3 does), in a copy:
		// the default's map may be shared with other values.
		m := reflect.MakeMapWithSize(v.Type(), v.Len()+len(n.Content)/2)
		for it := v.MapRange(); it.Next(); {
			m.SetMapIndex(it.Key(), it.Value())
		}
		v.Set(m)
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := reflect.New(v.Type().Key()).Elem()
			if resolveYAML(n.Content[i]).Kind != yaml.ScalarNode || n.Content[i].Decode(key.Addr().Interface()) != nil {
				continue
			}
			elem := newElement(v.Type().Elem())
			decodeInto(n.Content[i+1], elem)
			v.SetMapIndex(key, elem)
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return
		}
		out := reflect.MakeSlice(v.Type(), 0, len(n.Content))
		for _, item := range n.Content {
			elem := newElement(v.Type().Elem())
			decodeInto(item, elem)
			out = reflect.Append(out, elem)
		}
		v.Set(out)
	default:
		if n.Kind != yaml.ScalarNode {
			return
		}
		// One scalar: yaml.v3's conversion rules, at constant cost. On
		// error v keeps its default.
		if n.Tag == "!!float" && v.Kind() >= reflect.Int && v.Kind() <= reflect.Uint64 {
			return // yaml.v3 would truncate it; checkShape refused it
		}
		tmp := reflect.New(v.Type())
		if n.Decode(tmp.Interface()) == nil {
			v.Set(tmp.Elem())
		}
	}
}

// elementDefaults are the types whose every new map value or list item
// starts from defaults rather than the zero value: a node pool states
// only what differs from the default pool.
var elementDefaults = map[reflect.Type]func() reflect.Value{
	reflect.TypeFor[NodePool]():          func() reflect.Value { return reflect.ValueOf(DefaultNodePool()) },
	reflect.TypeFor[KarpenterNodePool](): func() reflect.Value { return reflect.ValueOf(DefaultKarpenterNodePool()) },
	reflect.TypeFor[AutoModeNodePool]():  func() reflect.Value { return reflect.ValueOf(DefaultAutoModeNodePool()) },
	reflect.TypeFor[AccessEntry]():       func() reflect.Value { return reflect.ValueOf(DefaultAccessEntry()) },
}

// newElement is a settable new value of t: its defaults, or zero.
func newElement(t reflect.Type) reflect.Value {
	elem := reflect.New(t).Elem()
	if def, ok := elementDefaults[t]; ok {
		elem.Set(def())
	}
	return elem
}

var fieldIndexCache sync.Map // reflect.Type → map[string]int

// fieldIndexes maps a struct's YAML keys to its field indexes.
func fieldIndexes(t reflect.Type) map[string]int {
	if m, ok := fieldIndexCache.Load(t); ok {
		return m.(map[string]int)
	}
	m := map[string]int{}
	for i := 0; i < t.NumField(); i++ {
		name := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if name != "" && name != "-" {
			m[name] = i
		}
	}
	fieldIndexCache.Store(t, m)
	return m
}
