package stacks

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Output is one synth's output in the making. Everything is written into
// Dir, a fresh owner-only directory inside the output directory, and
// Commit moves it into place: a synth that fails half-way (a full disk, an
// error in jsii) leaves the previous output as it was, and a successful
// one replaces all of the previous synthesized output, so no stale
// `stacks/infra` or report survives a switch to a fleet.
//
// Only what a synth writes is replaced (manifest.json, stacks/, the
// readiness reports); anything else in the directory stays, so pointing
// CDKTF_OUTDIR at a directory holding other files never deletes them.
type Output struct {
	// Final is the output directory (cdktf.out, or CDKTF_OUTDIR), with
	// symbolic links resolved.
	Final string
	// Dir is where this synth writes.
	Dir string
	// UnderCLI is true when the cdktf CLI runs the app (RunByCdktfCLI).
	UnderCLI bool
	// created is true when NewOutput created Final.
	created bool
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
	_, statErr := os.Stat(final)
	created := errors.Is(statErr, fs.ErrNotExist)
	if err := os.MkdirAll(final, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create the output directory %s: %v", outdir, pathErr(err))
	}
	dir, err := os.MkdirTemp(final, stagingPrefix)
	if err != nil {
		if created {
			_ = os.Remove(final)
		}
		// Without the random folder name: the directory is what to fix.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("cannot write the output directory %s: %v (the previous output, if any, is unchanged)", outdir, err)
	}
	// cdktf resolves relative paths (the chart asset's) against the folder
	// holding cdktf.json, not the working directory.
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return &Output{Final: final, Dir: dir, UnderCLI: underCLI, created: created}, nil
}

// stagingPrefix and trashPrefix name the synth's private folders inside
// the output directory: the new output, and the previous one on its way out.
const (
	stagingPrefix = ".eksready-new-"
	trashPrefix   = ".eksready-old-"
)

// synthesized reports whether an entry of the output directory is one a
// synth writes: cdktf's manifest and stack folders, eksready's reports.
func synthesized(name string) bool {
	return name == "manifest.json" || name == "stacks" ||
		strings.HasPrefix(name, "readiness") && strings.HasSuffix(name, ".sarif")
}

// resolveOutdir follows a symbolic link at outdir and refuses anything but
// a directory (or nothing yet).
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

// Discard removes the unfinished output; the previous one stays (and an
// output directory this synth created goes too).
func (o *Output) Discard() {
	_ = os.RemoveAll(o.Dir)
	if o.created {
		_ = os.Remove(o.Final)
	}
}

// Commit puts the new output in place of the previous one. Terraform's
// working state in a stack folder that is still synthesized (`.terraform`,
// the dependency lock file) moves across, so `terraform init` need not run
// again. Under the cdktf CLI, a stack folder that is no longer synthesized
// stays as an empty folder: the CLI deletes the folders of vanished stacks
// itself after the app exits, and fails when one is already gone.
//
// Each step is a rename inside the output directory; should one fail, the
// steps before it are undone and the previous output is as it was.
func (o *Output) Commit() (err error) {
	type move struct{ from, to string }
	var done []move
	rename := func(from, to string) error {
		if err := os.Rename(from, to); err != nil {
			return err
		}
		done = append(done, move{from, to})
		return nil
	}
	trash, err := os.MkdirTemp(o.Final, trashPrefix)
	if err != nil {
		o.Discard()
		return fmt.Errorf("cannot replace the output in %s: %v (the previous output is unchanged)", o.Final, pathErr(err))
	}
	defer func() {
		if err != nil {
			for _, m := range slices.Backward(done) {
				_ = os.Rename(m.to, m.from)
			}
			o.Discard()
			_ = os.RemoveAll(trash)
			err = fmt.Errorf("cannot replace the output in %s: %v (the previous output is unchanged)", o.Final, pathErr(err))
			return
		}
		_ = os.Remove(o.Dir)
		// The new output is in place; failing to delete the old one is not
		// worth failing the synth for.
		_ = os.RemoveAll(trash)
	}()

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
			if _, err := os.Lstat(from); err == nil {
				if err := rename(from, filepath.Join(newStack, keep)); err != nil {
					return err
				}
			}
		}
	}
	previous, err := os.ReadDir(o.Final)
	if err != nil {
		return err
	}
	for _, e := range previous {
		if synthesized(e.Name()) {
			if err := rename(filepath.Join(o.Final, e.Name()), filepath.Join(trash, e.Name())); err != nil {
				return err
			}
		}
	}
	fresh, err := os.ReadDir(o.Dir)
	if err != nil {
		return err
	}
	for _, e := range fresh {
		if err := rename(filepath.Join(o.Dir, e.Name()), filepath.Join(o.Final, e.Name())); err != nil {
			return err
		}
	}
	return nil
}
