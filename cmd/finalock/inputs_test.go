package main

import (
	"os"
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
