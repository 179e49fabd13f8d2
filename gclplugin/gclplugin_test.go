package gclplugin

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/finalock/finalock/analyzer"
	"github.com/finalock/finalock/passes"
	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// restoreModel puts the suite-wide finalization model back after a test.
func restoreModel(t *testing.T) {
	before := analyzer.Finalizers()
	t.Cleanup(func() {
		if err := analyzer.SetFinalizers(string(before)); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRegistered(t *testing.T) {
	restoreModel(t)
	newPlugin, err := register.GetPlugin("finalock")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.GetLoadMode(); got != register.LoadModeTypesInfo {
		t.Errorf("GetLoadMode() = %q, want %q", got, register.LoadModeTypesInfo)
	}
	as, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	all := passes.All()
	if len(as) != len(all) {
		t.Fatalf("BuildAnalyzers() returned %d analyzers, want %d", len(as), len(all))
	}
	for i := range all {
		if as[i].Name != all[i].Name || as[i].Doc != all[i].Doc || len(as[i].Requires) != len(all[i].Requires) {
			t.Errorf("analyzer %d is %s, want %s", i, as[i].Name, all[i].Name)
		}
	}
}

// TestNoRelated checks that the plugin's passes report without related
// information, which golangci-lint would list as issues of their own,
// where the passes themselves give it.
func TestNoRelated(t *testing.T) {
	restoreModel(t)
	p, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	as, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	related := func(a *analysis.Analyzer) int {
		n := 0
		for _, r := range analysistest.Run(t, dir, a, "lockinfinalizer/future") {
			for _, d := range r.Diagnostics {
				n += len(d.Related)
			}
		}
		return n
	}
	if related(passes.All()[0]) == 0 {
		t.Fatal("the pass gives no related information on lockinfinalizer/future")
	}
	if n := related(as[0]); n != 0 {
		t.Errorf("the plugin's pass gives %d pieces of related information, want none", n)
	}
}

func TestFinalizers(t *testing.T) {
	restoreModel(t)
	for _, tc := range []struct {
		settings any
		want     analyzer.Model
	}{
		{nil, analyzer.Goroutine},
		{map[string]any{}, analyzer.Goroutine},
		{map[string]any{"finalizers": "inline"}, analyzer.Inline},
		{map[string]any{"finalizers": "goroutine"}, analyzer.Goroutine},
	} {
		// Start from the other model, so that each case must set it.
		other := analyzer.Inline
		if tc.want == analyzer.Inline {
			other = analyzer.Goroutine
		}
		if err := analyzer.SetFinalizers(string(other)); err != nil {
			t.Fatal(err)
		}
		p, err := New(tc.settings)
		if err != nil {
			t.Errorf("New(%v): %v", tc.settings, err)
			continue
		}
		// A later plugin with other settings does not change this one's.
		if _, err := New(map[string]any{"finalizers": string(other)}); err != nil {
			t.Fatal(err)
		}
		if _, err := p.BuildAnalyzers(); err != nil {
			t.Errorf("New(%v).BuildAnalyzers(): %v", tc.settings, err)
			continue
		}
		if got := analyzer.Finalizers(); got != tc.want {
			t.Errorf("New(%v): finalizers %q, want %q", tc.settings, got, tc.want)
		}
	}
}

func TestBadSettings(t *testing.T) {
	restoreModel(t)
	for _, tc := range []struct {
		settings any
		want     string
	}{
		{map[string]any{"finalizers": "eager"}, `finalizers="eager"`},
		{map[string]any{"finalizers": true}, "cannot unmarshal bool"},
		{map[string]any{"Finalizers": "inline"}, `unknown key "Finalizers"`},
		{map[string]any{"finalizer": "inline"}, `unknown key "finalizer"`},
		{map[string]any{"finalizers": "inline", "test": false, "format": "json"}, `unknown key "format", "test"`},
		{"inline", "want a map"},
		{[]any{"finalizers", "inline"}, "want a map"},
	} {
		p, err := New(tc.settings)
		if err == nil {
			t.Errorf("New(%#v) = %v, want an error", tc.settings, p)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "finalock: ") {
			t.Errorf("New(%#v): error %q, want one starting with finalock: and containing %q", tc.settings, err, tc.want)
		}
	}
}
