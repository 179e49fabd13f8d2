package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// flagErrorMark is the file, in the go command's work directory, whose
// presence says that a finalock run of this go vet already reported a bad
// flag.
const flagErrorMark = "finalock-flag-error"

// oneFlagError makes a bad flag value cost one line per go vet run rather
// than the usage text once per package. go vet starts finalock once per
// package, with the same flags and a vet.cfg in a directory of the go
// command's work directory ($WORK/b001/vet.cfg): the first run to fail
// parsing its flags creates flagErrorMark there, prints the error and
// exits 1; the others, finding the mark, exit 0 without a word. They
// write no facts, so go vet caches nothing for them, and it fails as a
// whole on the first one.
func oneFlagError(cfg string) {
	if !strings.HasSuffix(cfg, ".cfg") {
		return
	}
	var msg bytes.Buffer
	flag.CommandLine.SetOutput(&msg)
	flag.CommandLine.Usage = func() {
		text, _, _ := strings.Cut(strings.TrimSpace(msg.String()), "\n")
		os.Exit(reportFlagError(os.Stderr, filepath.Dir(filepath.Dir(cfg)), text))
	}
}

// reportFlagError prints the flag error text on w unless another run of
// the same go vet did, and returns the exit code.
func reportFlagError(w io.Writer, work, text string) int {
	f, err := os.OpenFile(filepath.Join(work, flagErrorMark), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	switch {
	case err == nil:
		f.Close()
	case os.IsExist(err):
		return 0
	}
	fmt.Fprintf(w, "finalock: %s (run 'finalock help' for the flags)\n", text)
	return 1
}
