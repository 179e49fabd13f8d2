package main

import (
	"regexp"
	"runtime/debug"
)

// semverRE matches a Go module version that is a semantic version, and
// captures it without the "v".
var semverRE = regexp.MustCompile(`^v(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$`)

// version returns finalock's version as the go command recorded it in
// the binary, and that version as a semantic version without the "v".
// Installed with go install …@v0.1.0 it is v0.1.0; built from a checkout
// it is "devel", with the commit when the build recorded it
// (0.0.0-devel+<commit> as a semantic version).
func version() (string, string) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel", "0.0.0-devel"
	}
	return versionOf(info)
}

// versionOf is version for the build information info.
func versionOf(info *debug.BuildInfo) (string, string) {
	if m := semverRE.FindStringSubmatch(info.Main.Version); m != nil {
		return info.Main.Version, m[1]
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			rev := s.Value[:12]
			return "devel " + rev, "0.0.0-devel+" + rev
		}
	}
	return "devel", "0.0.0-devel"
}
