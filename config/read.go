package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"syscall"

	"gopkg.in/yaml.v3"
)

// MaxConfigBytes caps one configuration file. The complete example with
// every key is about 20 KB; a file fifty times that is not a cluster
// description but a mistake (or /dev/zero), and reading it would only
// exhaust memory.
const MaxConfigBytes = 1 << 20

// maxExpandedNodes caps how many YAML values a file may stand for once its
// aliases are followed. Every walk over the tree (shape check, merge,
// decode) follows aliases, so a few nested anchors ("billion laughs")
// would otherwise turn a small file into billions of values.
const maxExpandedNodes = 1_000_000

// readConfigFile reads one configuration file: a regular file (after
// symbolic links) of at most MaxConfigBytes. Anything else is a problem
// that says what the path is: a dangling link, a link loop, a directory,
// a FIFO or a device (whose read would block or never end).
func readConfigFile(path string) ([]byte, *Problem) {
	fail := func(rule string, args ...any) ([]byte, *Problem) {
		return nil, &Problem{Path: "(file)", Value: filePath(path), Rule: fmt.Sprintf(rule, args...)}
	}
	info, err := os.Stat(path)
	if err != nil {
		if l, lerr := os.Lstat(path); lerr == nil && l.Mode()&fs.ModeSymlink != 0 {
			if errors.Is(err, syscall.ELOOP) {
				return fail("is a symbolic link that loops back on itself; point it at a YAML file, or remove it")
			}
			if errors.Is(err, fs.ErrNotExist) {
				target, _ := os.Readlink(path)
				return fail("is a symbolic link to %s, which does not exist; point it at a YAML file, or remove it", formatValue(target))
			}
		}
		return fail("cannot be read: %s", errText(err))
	}
	if !info.Mode().IsRegular() {
		return fail("is %s, not a regular file; configuration is read from regular YAML files only", fileKind(info.Mode()))
	}
	if info.Size() > MaxConfigBytes {
		return fail("is %s bytes; a configuration file may hold at most %s bytes", comma(int(info.Size())), comma(MaxConfigBytes))
	}
	// O_NONBLOCK: should the path turn into a FIFO after the check above,
	// opening it must not wait for a writer.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return fail("cannot be read: %s", errText(err))
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		return fail("is not a regular file; configuration is read from regular YAML files only")
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxConfigBytes+1))
	if err != nil {
		return fail("cannot be read: %s", errText(err))
	}
	if len(data) > MaxConfigBytes {
		return fail("holds more than %s bytes; a configuration file may hold at most %s bytes", comma(MaxConfigBytes), comma(MaxConfigBytes))
	}
	return data, nil
}

// filePath is a configuration file's path as a Problem's value: quoted in
// full, unlike a value from the file (the system bounds its length).
type filePath string

// errText is an error without the path os already prefixed it with.
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	default:
		return "a special file"
	}
}

// emptyRule is what an empty configuration is told. Only the absence of
// any configuration means the built-in default: a file that exists but
// says nothing is more likely a mistake (a truncated write, the wrong
// file) than a request for the defaults.
const emptyRule = emptyPrefix + "write the configuration, or remove the file to use the built-in default"

const emptyPrefix = "is empty (no settings, only comments or document markers); "

// parseConfig parses one configuration file's YAML into the root of its
// single document, with merge keys (`<<`) expanded. Everything that makes
// the file unusable as a whole is a problem: invalid YAML, no content, a
// second document (it would be ignored), aliases expanding beyond
// maxExpandedNodes, a merge key with something other than mappings.
func parseConfig(data []byte) (*yaml.Node, Problems) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, Problems{{Path: "(file)", Rule: "is not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}}
	}
	// Empty documents after the first (a trailing `---`) hold nothing that
	// could be ignored; any other would be.
	for {
		var next yaml.Node
		err := dec.Decode(&next)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, Problems{{Path: "(file)", Rule: "is not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}}
		}
		if !isEmptyDocument(&next) {
			return nil, Problems{{Path: "(file)", Rule: fmt.Sprintf("holds a second YAML document (the '---' on line %d); a file describes one cluster, in one document", next.Line)}}
		}
	}
	if isEmptyDocument(&doc) {
		return nil, Problems{{Path: "(file)", Rule: emptyRule}}
	}
	root := doc.Content[0]
	if size := expandedSize(root, map[*yaml.Node]int{}); size > maxExpandedNodes {
		return nil, Problems{{Path: "(file)", Rule: fmt.Sprintf("stands for more than %s values once its aliases are followed; write the values out, or use fewer nested aliases", comma(maxExpandedNodes))}}
	}
	var c collector
	expandMerges(root, "", map[*yaml.Node]bool{}, &c)
	if len(c.problems) > 0 {
		return nil, c.problems
	}
	return root, nil
}

// isEmptyDocument reports whether a parsed document holds nothing: no
// document at all (empty, or only comments), or one that is only `---`
// or an explicit null (`~`, `null`).
func isEmptyDocument(doc *yaml.Node) bool {
	if len(doc.Content) == 0 {
		return true
	}
	root := doc.Content[0]
	return root.Kind == yaml.ScalarNode && root.Tag == "!!null"
}

// expandedSize counts the values n stands for with every alias followed,
// stopping early past maxExpandedNodes. memo makes it linear in the nodes
// actually written.
func expandedSize(n *yaml.Node, memo map[*yaml.Node]int) int {
	if n == nil {
		return 0
	}
	if n.Kind == yaml.AliasNode {
		return expandedSize(n.Alias, memo)
	}
	if s, ok := memo[n]; ok {
		return s
	}
	memo[n] = maxExpandedNodes + 1 // a cycle counts as too large
	size := 1
	for _, c := range n.Content {
		size += expandedSize(c, memo)
		if size > maxExpandedNodes {
			break
		}
	}
	memo[n] = size
	return size
}

// isMergeKey reports whether a mapping key is YAML's merge key: a plain
// `<<` (a quoted "<<" is an ordinary string).
func isMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Tag == "!!merge"
}

// expandMerges replaces every merge key (`<<: *anchor` or
// `<<: [*a, *b]`) with the keys it brings, as YAML's merge-key type
// defines it: keys written in the mapping win, then the merged mappings in
// order. Afterwards no walk over the tree needs to know about merge keys,
// and a key written twice in the mapping itself is still a duplicate.
func expandMerges(n *yaml.Node, path string, done map[*yaml.Node]bool, c *collector) {
	if n == nil || done[n] {
		return
	}
	done[n] = true
	if n.Kind == yaml.AliasNode {
		expandMerges(n.Alias, path, done, c)
		return
	}
	if n.Kind != yaml.MappingNode {
		for i, item := range n.Content {
			expandMerges(item, fmt.Sprintf("%s[%d]", path, i), done, c)
		}
		return
	}
	var own []*yaml.Node
	var sources []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !isMergeKey(k) {
			own = append(own, k, v)
			expandMerges(v, join(path, k.Value), done, c)
			continue
		}
		items := []*yaml.Node{v}
		if r := resolveYAML(v); r != nil && r.Kind == yaml.SequenceNode {
			items = r.Content
		}
		for _, item := range items {
			src := resolveYAML(item)
			if src == nil || src.Kind != yaml.MappingNode {
				c.missing(join(path, "<<"), "is a YAML merge key, which takes a mapping or a list of mappings (line %d)", k.Line)
				continue
			}
			expandMerges(src, path, done, c)
			sources = append(sources, src)
		}
	}
	if sources == nil {
		return
	}
	seen := make(map[string]bool, len(own)/2)
	for i := 0; i < len(own); i += 2 {
		seen[own[i].Value] = true
	}
	for _, src := range sources {
		for i := 0; i+1 < len(src.Content); i += 2 {
			if k := src.Content[i]; !seen[k.Value] {
				seen[k.Value] = true
				own = append(own, k, src.Content[i+1])
			}
		}
	}
	n.Content = own
}
