// Command finalock-gcl is golangci-lint v2 with the finalock module plugin
// built in: the binary `golangci-lint custom` makes from a .custom-gcl.yml,
// put together from the Go module proxy instead of a clone of
// golangci-lint's repository, so that it builds offline and at exactly the
// versions pinned in go.sum.
//
//	cd testdata/src/golangci/gcl && go build -o /tmp/finalock-gcl .
//	cd testdata/src/vetmod && /tmp/finalock-gcl run -c ../golangci/.golangci.yml ./...
package main

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/golangci/golangci-lint/v2/pkg/commands"
	"github.com/golangci/golangci-lint/v2/pkg/exitcodes"

	// Registers the finalock linter.
	_ "github.com/finalock/finalock/gclplugin"
)

const (
	gclModule      = "github.com/golangci/golangci-lint/v2"
	finalockModule = "github.com/finalock/finalock"
)

// version, when set with -ldflags "-X main.version=...", replaces the
// version computed from the build information.
var version string

func main() {
	if err := commands.Execute(buildInfo()); err != nil {
		fmt.Fprintf(os.Stderr, "The command is terminated due to an error: %v\n", err)
		os.Exit(exitcodes.Failure)
	}
}

// buildInfo describes this binary the way golangci-lint's own main does.
//
// golangci-lint salts its results cache with the version, so the version
// must change whenever finalock's code does. The finalock module comes from
// a replace directive, which the build information records without a
// checksum; the version therefore ends with a hash of the executable, as
// `golangci-lint custom` ends it with a hash of the plugin's directory.
func buildInfo() commands.BuildInfo {
	info := commands.BuildInfo{Version: version, Commit: "?", Date: "(unknown)", GoVersion: "unknown"}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		info.Version = cmp.Or(info.Version, "(devel)")
		return info
	}
	info.GoVersion = bi.GoVersion
	gcl, finalock := "unknown", "unknown"
	for _, d := range bi.Deps {
		switch d.Path {
		case gclModule:
			gcl = d.Version
		case finalockModule:
			finalock = d.Version
			if r := d.Replace; r != nil {
				finalock = "=> " + r.Path
				if r.Version != "" && r.Version != "(devel)" {
					finalock += " " + r.Version
				}
			}
		}
	}
	info.Commit = fmt.Sprintf("(%s %s, %s %s)", gclModule, gcl, finalockModule, finalock)
	for _, s := range bi.Settings {
		if s.Key == "vcs.time" {
			info.Date = s.Value
		}
	}
	if info.Version == "" {
		info.Version = "(devel)"
		if sum := executableHash(); sum != "" {
			info.Version = strings.TrimPrefix(gcl, "v") + "-finalock-" + sum
		}
	}
	return info
}

// executableHash returns the first 12 hex digits of the SHA-256 of the
// running executable, or "" if it cannot be read.
func executableHash() string {
	path, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}
