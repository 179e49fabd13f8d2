// Package gclplugin makes finalock a golangci-lint v2 module plugin.
//
// Importing it registers one linter, finalock, that runs every pass of the
// suite (passes.All) with full type information. Build a golangci-lint that
// includes it with `golangci-lint custom` and a .custom-gcl.yml naming
// module github.com/finalock/finalock and import
// github.com/finalock/finalock/gclplugin, then enable it in .golangci.yml:
//
//	version: "2"
//	linters:
//	  enable:
//	    - finalock
//	  settings:
//	    custom:
//	      finalock:
//	        type: module
//	        settings:
//	          finalizers: goroutine # or inline
//	issues:
//	  uniq-by-line: false # a line can have two findings
//
// Findings carry the linter name finalock; their text starts with the
// pass that reported them and ends with the pass and the rule, as in every
// driver ("lockinfinalizer: ... (lockinfinalizer/lock)"). //nolint:finalock
// suppresses them; a pass name (//nolint:lockinfinalizer) is no linter
// name, suppresses nothing and makes golangci-lint warn. To suppress one
// rule, use finalock's own //finalock:ignore rule reason, which works in
// every driver, or an exclusion rule on linter finalock whose text is
// "\\(lockinfinalizer/lock\\)$" (one rule) or "^lockinfinalizer: " (a pass).
package gclplugin

import (
	"fmt"
	"slices"
	"strings"

	"github.com/finalock/finalock/analyzer"
	"github.com/finalock/finalock/passes"
	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"
)

// Name is the plugin's name, which golangci-lint also uses as the linter
// name in reports and in //nolint directives.
const Name = "finalock"

func init() {
	register.Plugin(Name, New)
}

// Settings are the plugin's settings, read from
// linters.settings.custom.finalock.settings in .golangci.yml.
type Settings struct {
	// Finalizers says how the target runtime runs finalizers: "goroutine"
	// (gc, gccgo; the default) or "inline" (BDWGC-based runtimes such as
	// llgo). It is the standalone driver's -finalizers flag.
	Finalizers string `json:"finalizers"`
}

// settingKeys are the keys Settings accepts, spelled exactly.
var settingKeys = []string{"finalizers"}

// Plugin is the finalock linter as golangci-lint sees it.
type Plugin struct {
	settings Settings
}

// New decodes the plugin's settings and returns the plugin. Unknown keys,
// keys spelled in another case and values of the wrong type or outside
// their set are errors.
func New(settings any) (register.LinterPlugin, error) {
	s, err := decode(settings)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	if s.Finalizers == "" {
		s.Finalizers = string(analyzer.Goroutine)
	}
	if err := analyzer.SetFinalizers(s.Finalizers); err != nil {
		return nil, fmt.Errorf("%s: settings: %w", Name, err)
	}
	return &Plugin{settings: s}, nil
}

// decode reads the settings strictly. register.DecodeSettings rejects
// unknown fields, but encoding/json matches field names without regard to
// case, so the keys are checked first, exactly.
func decode(settings any) (Settings, error) {
	raw, err := register.DecodeSettings[map[string]any](settings)
	if err != nil {
		return Settings{}, fmt.Errorf("settings: want a map with the keys %s: %w", strings.Join(settingKeys, ", "), err)
	}
	var unknown []string
	for k := range raw {
		if !slices.Contains(settingKeys, k) {
			unknown = append(unknown, fmt.Sprintf("%q", k))
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return Settings{}, fmt.Errorf("settings: unknown key %s (known: %s)", strings.Join(unknown, ", "), strings.Join(settingKeys, ", "))
	}
	s, err := register.DecodeSettings[Settings](raw)
	if err != nil {
		return Settings{}, fmt.Errorf("settings: %w", err)
	}
	return s, nil
}

// BuildAnalyzers returns the suite's passes, with the finalization model
// of the settings in force for all of them.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	if err := analyzer.SetFinalizers(p.settings.Finalizers); err != nil {
		return nil, fmt.Errorf("%s: settings: %w", Name, err)
	}
	var out []*analysis.Analyzer
	for _, a := range passes.All() {
		out = append(out, withoutRelated(a))
	}
	return out, nil
}

// withoutRelated returns a copy of the pass a whose diagnostics carry no
// related information: golangci-lint would list each piece of it as an
// issue of its own, and a finding's message already counts the evidence
// it has besides its witness ("and 3 more locks").
func withoutRelated(a *analysis.Analyzer) *analysis.Analyzer {
	c := *a
	c.Run = func(pass *analysis.Pass) (any, error) {
		p := *pass
		p.Report = func(d analysis.Diagnostic) {
			d.Related = nil
			pass.Report(d)
		}
		return a.Run(&p)
	}
	return &c
}

// GetLoadMode asks golangci-lint for type information: the engine builds
// SSA from the packages' syntax and types.
func (p *Plugin) GetLoadMode() string {
	return register.LoadModeTypesInfo
}
