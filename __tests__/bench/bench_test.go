// Package bench measures a synth of the default configuration against the
// floor every synth pays (starting jsii and loading the AWS provider
// bindings): wall time and peak memory of the whole process tree (the Go
// program and its node children). Run with `make bench`.
package bench

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// measurement is one run of a command.
type measurement struct {
	wall time.Duration
	// peakTree is the largest sum of resident memory over the process
	// tree seen while it ran; peakNode the same over node processes only.
	peakTree, peakNode int64
}

func build(b *testing.B, dir, pkg string) string {
	b.Helper()
	out := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", out, pkg)
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build %s: %v\n%s", pkg, err, msg)
	}
	return out
}

// run starts the binary in dir and samples /proc every 10 ms.
func run(b *testing.B, bin, dir string) measurement {
	b.Helper()
	cmd := exec.Command(bin)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20")
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var m measurement
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			m.wall = time.Since(start)
			if err != nil {
				b.Fatalf("%s: %v", bin, err)
			}
			return m
		case <-tick.C:
			tree, node := treeRSS(cmd.Process.Pid)
			m.peakTree, m.peakNode = max(m.peakTree, tree), max(m.peakNode, node)
		}
	}
}

// treeRSS sums VmRSS over a process and its descendants, and over the
// node processes among them.
func treeRSS(pid int) (total, node int64) {
	rss, name := status(pid)
	total = rss
	if name == "node" {
		node = rss
	}
	for _, child := range children(pid) {
		t, n := treeRSS(child)
		total, node = total+t, node+n
	}
	return total, node
}

func status(pid int) (rssBytes int64, name string) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		switch {
		case len(fields) >= 2 && fields[0] == "Name:":
			name = fields[1]
		case len(fields) >= 2 && fields[0] == "VmRSS:":
			kb, _ := strconv.ParseInt(fields[1], 10, 64)
			rssBytes = kb * 1024
		}
	}
	return rssBytes, name
}

func children(pid int) []int {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	var out []int
	for _, t := range tasks {
		data, _ := os.ReadFile(t)
		for _, f := range strings.Fields(string(data)) {
			if c, err := strconv.Atoi(f); err == nil {
				out = append(out, c)
			}
		}
	}
	return out
}

func best(acc, m measurement) measurement {
	if acc.wall == 0 || m.wall < acc.wall {
		acc.wall = m.wall
	}
	acc.peakTree, acc.peakNode = max(acc.peakTree, m.peakTree), max(acc.peakNode, m.peakNode)
	return acc
}

// BenchmarkSynthAgainstFloor reports, per iteration, the default synth's
// and the floor's wall time and peak memory, and their ratio. Targets:
// ratio ≤ 1.25, node peak ≤ 1.2 GB for the default configuration.
func BenchmarkSynthAgainstFloor(b *testing.B) {
	dir := b.TempDir()
	eksready := build(b, dir, "github.com/eksready/eksready")
	floor := build(b, dir, "github.com/eksready/eksready/__tests__/bench/floor")
	work := b.TempDir() // no cluster.yaml: the built-in default
	// One warm-up of each so jsii's cache unpacking is not measured.
	run(b, floor, work)
	run(b, eksready, work)
	b.ResetTimer()
	// Alternate the two and keep each one's fastest run and highest peak:
	// on a shared machine the minimum is the least disturbed measurement.
	var synth, base measurement
	for i := 0; i < b.N; i++ {
		base = best(base, run(b, floor, work))
		synth = best(synth, run(b, eksready, work))
	}
	ratio := synth.wall.Seconds() / base.wall.Seconds()
	const mb = 1 << 20
	b.ReportMetric(synth.wall.Seconds(), "synth-s")
	b.ReportMetric(base.wall.Seconds(), "floor-s")
	b.ReportMetric(ratio, "ratio")
	b.ReportMetric(float64(synth.peakTree)/mb, "synth-tree-peak-MB")
	b.ReportMetric(float64(synth.peakNode)/mb, "synth-node-peak-MB")
	b.ReportMetric(float64(base.peakTree)/mb, "floor-tree-peak-MB")
	b.Logf("synth %.2fs (tree peak %d MB, node %d MB); floor %.2fs (tree peak %d MB); ratio %.2f",
		synth.wall.Seconds(), synth.peakTree/mb, synth.peakNode/mb, base.wall.Seconds(), base.peakTree/mb, ratio)
}
