package stacks

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Output is one synth's output directory in the making. Everything is
// written into Dir, a fresh owner-only directory beside the final one, and
// Commit swaps it in: a synth that fails half-way (a full disk, a panic in
// jsii) leaves the previous output as it was, and a successful one leaves
// only its own stacks and reports, never a stale `stacks/infra` from
// before a switch to a fleet.
type Output struct {
	// Final is the directory the output ends up in (cdktf.out, or
	// CDKTF_OUTDIR), with symbolic links resolved.
	Final string
	// Dir is where this synth writes.
	Dir string
	// UnderCLI is true when the cdktf CLI runs the app (see NewOutput).
	UnderCLI bool
}

// RunByCdktfCLI reports whether the cdktf CLI started the program: it sets
// CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS for every command it runs the
// app for (@cdktf/cli-core 0.20.12, src/lib/synth-stack.js), and nothing
// else does.
func RunByCdktfCLI(getenv func(string) string) bool {
	return getenv("CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS") != ""
}

// NewOutput checks that outdir can be the output directory and creates
// the private directory the synth writes into, before any jsii process
// starts. underCLI says whether the cdktf CLI runs the app.
func NewOutput(outdir string, underCLI bool) (*Output, error) {
	final, err := resolveOutdir(outdir)
	if err != nil {
		return nil, err
	}
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create the output directory %s: %v", outdir, pathErr(err))
	}
	dir, err := os.MkdirTemp(parent, "."+filepath.Base(final)+".new-")
	if err != nil {
		return nil, fmt.Errorf("cannot write the output directory %s: %v (the previous output, if any, is unchanged)", outdir, pathErr(err))
	}
	return &Output{Final: final, Dir: dir, UnderCLI: underCLI}, nil
}

// resolveOutdir follows a symbolic link at outdir (the output then
// replaces the link's target) and refuses anything but a directory.
func resolveOutdir(outdir string) (string, error) {
	final := outdir
	if info, err := os.Lstat(outdir); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(outdir)
		if err != nil {
			return "", fmt.Errorf("the output directory %s is a symbolic link that cannot be followed: %v", outdir, pathErr(err))
		}
		final = target
	}
	info, err := os.Stat(final)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return "", fmt.Errorf("the output directory %s cannot be used: %v", outdir, pathErr(err))
	case !info.IsDir():
		return "", fmt.Errorf("the output directory %s is a file, not a directory; remove it or set CDKTF_OUTDIR to a directory", outdir)
	}
	return filepath.Clean(final), nil
}

func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}

// Discard removes the unfinished output; the previous one stays.
func (o *Output) Discard() { _ = os.RemoveAll(o.Dir) }

// Commit makes Dir the output directory. Terraform's working state in a
// stack folder that is still synthesized (`.terraform`, the dependency
// lock file) moves across, so `terraform init` need not run again. Under
// the cdktf CLI, a stack folder that is no longer synthesized stays as an
// empty folder: the CLI deletes the folders of vanished stacks itself
// after the app exits, and fails when one is already gone.
func (o *Output) Commit() (err error) {
	var moved [][2]string // carried-over paths, from → to
	defer func() {
		if err != nil {
			for _, m := range moved {
				_ = os.Rename(m[1], m[0])
			}
			o.Discard()
			err = fmt.Errorf("cannot replace the output directory %s: %v (the previous output is unchanged)", o.Final, pathErr(err))
		}
	}()
	if err := os.Chmod(o.Dir, 0o755); err != nil {
		return err
	}
	oldStacks := filepath.Join(o.Final, "stacks")
	entries, _ := os.ReadDir(oldStacks)
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		newStack := filepath.Join(o.Dir, "stacks", e.Name())
		if _, err := os.Stat(newStack); err != nil {
			if o.UnderCLI {
				if err := os.MkdirAll(newStack, 0o755); err != nil {
					return err
				}
			}
			continue
		}
		for _, keep := range []string{".terraform", ".terraform.lock.hcl"} {
			from := filepath.Join(oldStacks, e.Name(), keep)
			to := filepath.Join(newStack, keep)
			if _, err := os.Lstat(from); err == nil {
				if err := os.Rename(from, to); err != nil {
					return err
				}
				moved = append(moved, [2]string{from, to})
			}
		}
	}
	if _, err := os.Lstat(o.Final); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(o.Dir, o.Final)
	}
	// Two renames: the previous output out of the way, the new one in.
	// Should the second fail, the first is undone.
	trash, err := os.MkdirTemp(filepath.Dir(o.Final), "."+filepath.Base(o.Final)+".old-")
	if err != nil {
		return err
	}
	previous := filepath.Join(trash, "previous")
	if err := os.Rename(o.Final, previous); err != nil {
		_ = os.Remove(trash)
		return err
	}
	if err := os.Rename(o.Dir, o.Final); err != nil {
		_ = os.Rename(previous, o.Final)
		_ = os.Remove(trash)
		return err
	}
	// The new output is in place; failing to delete the old one is not
	// worth failing the synth for.
	_ = os.RemoveAll(trash)
	return nil
}
