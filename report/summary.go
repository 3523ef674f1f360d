// Package report reads what a synth wrote (cdktf.out) and tells a person
// what is in it: the summary of each stack, the monthly cost of a
// cluster's always-on resources at the catalog's prices, and the values
// Terraform resolves at plan time that may change on their own. The
// readiness rules are its subpackage readiness.
//
// It is pure Go: it never starts jsii, so it can run on any synthesized
// output, in tests or after `cdktf synth`. It may import catalog and
// config, never constructs or stacks: it judges the output as written, not
// the code that wrote it.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// StackSummary counts what one synthesized stack declares.
type StackSummary struct {
	// Name is the stack's name (`infra`, `addons`).
	Name string
	// Path is the stack's cdk.tf.json, relative to the working directory.
	Path string
	// DependsOn lists the stacks that must be applied first.
	DependsOn []string
	// Resources counts resources by Terraform type.
	Resources map[string]int
	// DataSources counts data sources by Terraform type.
	DataSources map[string]int
}

// Total returns the number of resources in the stack.
func (s StackSummary) Total() int { return sum(s.Resources) }

// Summary describes one synth's output directory.
type Summary struct {
	// Outdir is the directory the synth wrote.
	Outdir string
	// Stacks are the synthesized stacks in the order they deploy.
	Stacks []StackSummary
}

type manifest struct {
	Stacks map[string]struct {
		Dependencies         []string `json:"dependencies"`
		SynthesizedStackPath string   `json:"synthesizedStackPath"`
	} `json:"stacks"`
}

// Stack is the subset of a synthesized cdk.tf.json that reports read.
type Stack struct {
	// Resource maps Terraform type → logical name → attributes.
	Resource map[string]map[string]map[string]any `json:"resource"`
	// Data maps data source type → logical name → attributes.
	Data map[string]map[string]map[string]any `json:"data"`
	// Provider maps provider name → its configurations.
	Provider map[string][]map[string]any `json:"provider"`
	// Terraform is the `terraform` block (backend, required_providers).
	Terraform map[string]any `json:"terraform"`
	// Output maps output names to their declarations.
	Output map[string]map[string]any `json:"output"`
}

// ReadStack parses a synthesized cdk.tf.json.
func ReadStack(path string) (Stack, error) {
	var s Stack
	data, err := os.ReadFile(path)
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return s, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// Summarize reads outdir/manifest.json and every stack it lists.
func Summarize(outdir string) (Summary, error) {
	var m manifest
	data, err := os.ReadFile(filepath.Join(outdir, "manifest.json"))
	if err != nil {
		return Summary{}, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return Summary{}, fmt.Errorf("manifest.json: %w", err)
	}
	sum := Summary{Outdir: outdir}
	for name, entry := range m.Stacks {
		path := filepath.Join(outdir, entry.SynthesizedStackPath)
		st, err := ReadStack(path)
		if err != nil {
			return Summary{}, err
		}
		ss := StackSummary{Name: name, Path: path, DependsOn: entry.Dependencies, Resources: map[string]int{}, DataSources: map[string]int{}}
		for typ, byName := range st.Resource {
			ss.Resources[typ] = len(byName)
		}
		for typ, byName := range st.Data {
			ss.DataSources[typ] = len(byName)
		}
		sum.Stacks = append(sum.Stacks, ss)
	}
	sortByDeployOrder(sum.Stacks)
	return sum, nil
}

// sortByDeployOrder puts every stack after the stacks it depends on, and
// otherwise by name, so the summary reads in `cdktf deploy` order.
func sortByDeployOrder(stacks []StackSummary) {
	depth := map[string]int{}
	byName := map[string]StackSummary{}
	for _, s := range stacks {
		byName[s.Name] = s
	}
	var visit func(string, int) int
	visit = func(name string, guard int) int {
		if d, ok := depth[name]; ok || guard > len(stacks) {
			return d
		}
		d := 0
		for _, dep := range byName[name].DependsOn {
			d = max(d, visit(dep, guard+1)+1)
		}
		depth[name] = d
		return d
	}
	for _, s := range stacks {
		visit(s.Name, 0)
	}
	sort.Slice(stacks, func(i, j int) bool {
		if depth[stacks[i].Name] != depth[stacks[j].Name] {
			return depth[stacks[i].Name] < depth[stacks[j].Name]
		}
		return stacks[i].Name < stacks[j].Name
	})
}

// PutFirst moves the named stack, when present, to the front of the deploy
// order: a stack that must be applied before all others although no stack
// depends on it in the manifest (the HCP Terraform bootstrap stack, which
// cdktf must not require for deploying one cluster's stacks).
func (s *Summary) PutFirst(name string) {
	for i, st := range s.Stacks {
		if st.Name == name {
			copy(s.Stacks[1:i+1], s.Stacks[:i])
			s.Stacks[0] = st
			return
		}
	}
}

// Section is a titled block of lines appended to the summary (warnings,
// capacity tables, readiness findings).
type Section struct {
	// Title heads the block.
	Title string
	// Lines are printed indented under the title.
	Lines []string
}

// Count writes a count with its noun, singular for one: "1 warning",
// "2 warnings". Nouns ending in "s" take "es"; "info" stays as it is.
func Count(n int, noun string) string {
	switch {
	case n == 1 || noun == "info":
		return fmt.Sprintf("%d %s", n, noun)
	case strings.HasSuffix(noun, "s"):
		return fmt.Sprintf("%d %ses", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Write prints the summary for a person: each stack with its resource
// counts by type, then the extra sections.
func (s Summary) Write(w io.Writer, sections ...Section) {
	fmt.Fprintf(w, "eksready: wrote %s to %s\n", Count(len(s.Stacks), "stack"), s.Outdir)
	for _, st := range s.Stacks {
		deps := ""
		if len(st.DependsOn) > 0 {
			deps = ", after " + strings.Join(st.DependsOn, ", ")
		}
		fmt.Fprintf(w, "\nstack %s (%s%s): %s, %s\n", st.Name, st.Path, deps, Count(st.Total(), "resource"), Count(sum(st.DataSources), "data source"))
		for _, typ := range sortedKeys(st.Resources) {
			fmt.Fprintf(w, "  %4d  %s\n", st.Resources[typ], typ)
		}
	}
	for _, sec := range sections {
		if len(sec.Lines) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", sec.Title)
		for _, l := range sec.Lines {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
