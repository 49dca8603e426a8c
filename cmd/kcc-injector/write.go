package main

import (
	"fmt"
	"io"
	"os"
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/IvMisticos/kube-credential-cache/internal/kubeconfigfile"
	"github.com/IvMisticos/kube-credential-cache/pkg/injector"
)

// editFunc edits one kubeconfig: the users it may touch (all when empty)
// and the file's content in, the new content out.
type editFunc func(users []string, src []byte) ([]byte, error)

// printEdited prints the edit of one file and leaves the file alone.
func printEdited(path string, users []string, edit editFunc, stdout io.Writer) error {
	target, err := resolve(path)
	if err != nil {
		return err
	}
	src, err := os.ReadFile(target)
	if err != nil {
		return fmt.Errorf("could not read kubeconfig: %w", err)
	}
	out, err := edit(users, src)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	_, err = stdout.Write(out)
	return err
}

// editInPlace edits the files through the kubeconfig edit flow (kubectl's
// locks from read to rename, atomic writes, no write when nothing
// changed). One file named on the command line must exist and has all its
// users edited. Of the files kubectl reads, each user is edited in the
// first file that holds one of its name, the one kubectl uses, like
// `kubectl config set-credentials` would; the others are left alone.
func editInPlace(paths []string, named bool, users []string, edit editFunc) error {
	return kubeconfigfile.EditAll(paths, 0, func(files []*kubeconfigfile.File) error {
		if named {
			f := files[0]
			if !f.Exists {
				return fmt.Errorf("%s: no such file", f.Path)
			}
			out, err := edit(users, f.Data)
			if err != nil {
				return fmt.Errorf("%s: %w", f.Path, err)
			}
			f.Data = out
			return nil
		}
		if !slices.ContainsFunc(files, func(f *kubeconfigfile.File) bool { return f.Exists }) {
			return fmt.Errorf("%s: no such file", files[len(files)-1].Path)
		}
		owned, err := ownedUsers(files, users)
		if err != nil {
			return err
		}
		for i, f := range files {
			if len(owned[i]) == 0 {
				continue
			}
			out, err := edit(owned[i], f.Data)
			if err != nil {
				return fmt.Errorf("%s: %w", f.Path, err)
			}
			f.Data = out
		}
		return nil
	})
}

// ownedUsers lists for each file the users it holds first, limited to
// want when given; a wanted user no file holds is an error.
func ownedUsers(files []*kubeconfigfile.File, want []string) ([][]string, error) {
	owned := make([][]string, len(files))
	seen := map[string]bool{}
	for i, f := range files {
		names, err := userNames(f.Data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
		for _, n := range names {
			if seen[n] {
				continue
			}
			seen[n] = true
			if len(want) == 0 || slices.Contains(want, n) {
				owned[i] = append(owned[i], n)
			}
		}
	}
	for _, n := range want {
		if !seen[n] {
			return nil, fmt.Errorf("no user named %q in %d kubeconfig files", n, len(files))
		}
	}
	return owned, nil
}

// userNames are the names of a kubeconfig's users, in file order.
func userNames(data []byte) ([]string, error) {
	var doc struct {
		Users []struct {
			Name string `yaml:"name"`
		} `yaml:"users"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("not a kubeconfig: %w", err)
	}
	var names []string
	for _, u := range doc.Users {
		if u.Name != "" {
			names = append(names, u.Name)
		}
	}
	return names, nil
}

// edits maps the command line to the editFunc and collects what
// the native switches report across files.
func edits(o options, report *injector.NativeReport) editFunc {
	opts := func(users []string) injector.Options {
		return injector.Options{Users: users, Command: o.command}
	}
	switch {
	case o.restore: // Restore also undoes the native switches
		return func(users []string, b []byte) ([]byte, error) {
			ro := opts(users)
			if !o.commandSet {
				ro.Command = "" // restore then also recognises an explicit -c
			}
			return injector.Restore(b, ro)
		}
	case len(o.natives) > 0:
		return func(users []string, b []byte) ([]byte, error) {
			out, r, err := injector.InjectNative(b, opts(users), o.natives...)
			report.Native = append(report.Native, r.Native...)
			for _, c := range r.Commands {
				if !slices.Contains(report.Commands, c) {
					report.Commands = append(report.Commands, c)
				}
			}
			report.Skipped = append(report.Skipped, r.Skipped...)
			return out, err
		}
	default:
		return func(users []string, b []byte) ([]byte, error) { return injector.Inject(b, opts(users)) }
	}
}
