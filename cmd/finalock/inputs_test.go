package main

import (
	"os"
	"path/filepath"
	"testing"
)

// inCI reports whether the tests run in CI, which sets CI=true: there a
// test whose input is missing fails instead of skipping.
func inCI() bool { return os.Getenv("CI") == "true" }

// needInput returns the value of the environment variable env, which
// names an input of the test. When it is empty the test fails in CI and
// is skipped elsewhere, with hint saying how to provide it.
func needInput(t *testing.T, env, hint string) string {
	t.Helper()
	v := os.Getenv(env)
	if v != "" {
		return v
	}
	if inCI() {
		t.Fatalf("CI=true, but %s is empty: %s", env, hint)
	}
	t.Skipf("%s is empty: %s", env, hint)
	return ""
}

// copyTree copies the directory src to dst, passing each file's contents
// through edit when it is not nil.
func copyTree(t *testing.T, src, dst string, edit func(rel string, data []byte) []byte) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if edit != nil {
			data = edit(rel, data)
		}
		out := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
