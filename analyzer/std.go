package analyzer

import (
	"go/build"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

var stdCache sync.Map // package path → bool

// IsStd reports whether the package path belongs to the standard library:
// its first element has no dot and the package is in GOROOT. (Test packages
// such as "a" have no dot either, so the path alone does not decide.)
func IsStd(path string) bool { return isStd(path) }

func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	if strings.Contains(first, ".") || path == "" {
		return false
	}
	if v, ok := stdCache.Load(path); ok {
		return v.(bool)
	}
	fi, err := os.Stat(filepath.Join(build.Default.GOROOT, "src", filepath.FromSlash(path)))
	std := err == nil && fi.IsDir()
	stdCache.Store(path, std)
	return std
}
