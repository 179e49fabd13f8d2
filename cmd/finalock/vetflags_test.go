package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestVetFlagError checks that a bad flag value under go vet costs one
// error line, not the usage text once per package.
func TestVetFlagError(t *testing.T) {
	bin := buildFinalock(t)
	out, code := run(t, vetmod, "go", "vet", "-vettool="+bin, "-finalizers=bdwgc", "./...")
	text := strings.TrimSpace(string(out))
	if code == 0 || strings.Count(text, "finalock: ") != 1 || strings.Count(text, "\n") > 1 || !strings.Contains(text, `invalid value "bdwgc" for flag -finalizers`) {
		t.Errorf("go vet with a bad -finalizers: exit %d, want one error line:\n%s", code, out)
	}
}

func TestReportFlagError(t *testing.T) {
	work := t.TempDir()
	var first, second bytes.Buffer
	if code := reportFlagError(&first, work, "bad flag"); code != 1 || first.String() != "finalock: bad flag (run 'finalock help' for the flags)\n" {
		t.Errorf("first run: exit %d, %q", code, first.String())
	}
	if code := reportFlagError(&second, work, "bad flag"); code != 0 || second.Len() != 0 {
		t.Errorf("second run: exit %d, %q; want 0 and silence", code, second.String())
	}
}
