package analyzer_test

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"go/types"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/finalock/finalock/analyzer"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// The packages whose facts are checked: every lockinfinalizer test
// package, among them a root in xa reaching, through xb, the locks of xc,
// helpers in track forwarding roots to rootsx, and spawners in spawnx and
// spawny; and the forkafterthreads packages whose summaries carry effects
// to importers: Pdeathsig set on commands (pdeathsiglib), fd wrappers
// (xdup), process starts (execfacts).
var factPatterns = []string{
	"lockinfinalizer/...", "installdep/...", "installapp/...",
	"forkafterthreads/pdeathsiglib", "forkafterthreads/pdeathsiguse",
	"forkafterthreads/xdup", "forkafterthreads/xdupuse",
	"forkafterthreads/execfacts",
}

// Budgets for the facts of those packages: for each package, as the
// drivers write them (one gob stream per package), and for any one fact
// on its own. The roots a constructor installs (Summary.Installs) carry
// what the root reaches to importers of other modules: servers, whose
// exported constructors install three finalizers, needs 13.4 KiB.
const (
	maxPackageFactBytes = 14 << 10
	maxFactBytes        = 16 << 10
)

// lenient is an analysistest.Testing that lets the engine run on test
// packages written for the passes: their "want" comments expect
// diagnostics the engine does not report, and the engine's facts carry no
// expectations. Any other complaint is an error.
type lenient struct{ t *testing.T }

func (l lenient) Errorf(format string, args ...any) {
	l.t.Helper()
	msg := fmt.Sprintf(format, args...)
	if strings.Contains(msg, ": unexpected fact: ") || strings.Contains(msg, ": no diagnostic was reported matching ") {
		return
	}
	l.t.Error(msg)
}

// A namedFact is one exported fact with a name that is stable from one run
// to the next.
type namedFact struct {
	pkg  string
	name string
	obj  types.Object // nil for a package fact
	fact analysis.Fact
}

var (
	factsOnce   sync.Once
	factsCached []namedFact
)

// exportedFacts returns every fact the engine exports for the packages of
// factPatterns, sorted by name, from one analysis shared by the tests.
func exportedFacts(t *testing.T) []namedFact {
	t.Helper()
	factsOnce.Do(func() { factsCached = analyseFacts(t) })
	if len(factsCached) == 0 {
		t.Fatal("no facts exported")
	}
	return factsCached
}

// analyseFacts runs the engine on the packages of factPatterns and returns
// every fact it exported for them, sorted by name.
func analyseFacts(t *testing.T) []namedFact {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	results := analysistest.Run(lenient{t}, dir, analyzer.Analyzer, factPatterns...)
	if len(results) < 5 {
		t.Fatalf("got %d results for %v, want the whole test tree", len(results), factPatterns)
	}
	var out []namedFact
	for _, r := range results {
		if r.Err != nil {
			t.Fatalf("%s: %v", r.Action.Package.Types.Path(), r.Err)
		}
		pkg := r.Action.Package.Types.Path()
		for obj, facts := range r.Facts {
			for _, f := range facts {
				out = append(out, namedFact{pkg, factName(pkg, obj, f), obj, f})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	for i := 1; i < len(out); i++ {
		if out[i].name == out[i-1].name {
			t.Fatalf("two facts named %s", out[i].name)
		}
	}
	return out
}

func factName(pkg string, obj types.Object, f analysis.Fact) string {
	what := "package"
	if obj != nil {
		what = obj.Name()
		if fn, ok := obj.(*types.Func); ok {
			what = fn.FullName()
		}
	}
	return fmt.Sprintf("%s %s %T", pkg, what, f)
}

func encode(t *testing.T, f analysis.Fact) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(f); err != nil {
		t.Fatalf("encoding %T: %v", f, err)
	}
	return buf.Bytes()
}

// TestFactsDeterministic encodes every fact ten times and requires the same
// bytes each time (facts must hold no maps).
func TestFactsDeterministic(t *testing.T) {
	for _, nf := range exportedFacts(t) {
		first := encode(t, nf.fact)
		for i := 0; i < 9; i++ {
			if again := encode(t, nf.fact); !bytes.Equal(first, again) {
				t.Errorf("%s: encoding %d differs from the first", nf.name, i+2)
				break
			}
		}
	}
}

// TestFactsStableAcrossRuns analyses the packages twice and requires the
// same facts, byte for byte.
func TestFactsStableAcrossRuns(t *testing.T) {
	a, b := exportedFacts(t), analyseFacts(t)
	if len(a) != len(b) {
		t.Fatalf("first run exported %d facts, second %d", len(a), len(b))
	}
	for i := range a {
		if a[i].name != b[i].name {
			t.Fatalf("fact %d: %s in the first run, %s in the second", i, a[i].name, b[i].name)
		}
		if !bytes.Equal(encode(t, a[i].fact), encode(t, b[i].fact)) {
			t.Errorf("%s differs between runs:\n%+v\n%+v", a[i].name, a[i].fact, b[i].fact)
		}
	}
}

// TestFactsRoundTrip decodes every encoded fact and compares it with the
// original.
func TestFactsRoundTrip(t *testing.T) {
	// The facts cover every kind of content importers read.
	var deathsig, chanFrom bool
	for _, nf := range exportedFacts(t) {
		switch f := nf.fact.(type) {
		case *analyzer.Summary:
			deathsig = deathsig || f.Deathsig != nil
		case *analyzer.Tables:
			chanFrom = chanFrom || len(f.ChanFrom) > 0
		}
	}
	if !deathsig || !chanFrom {
		t.Errorf("no fact with a Deathsig (%t) or a ChanFrom (%t)", deathsig, chanFrom)
	}
	for _, nf := range exportedFacts(t) {
		data := encode(t, nf.fact)
		got := reflect.New(reflect.TypeOf(nf.fact).Elem()).Interface().(analysis.Fact)
		if err := gob.NewDecoder(bytes.NewReader(data)).Decode(got); err != nil {
			t.Errorf("%s: decoding: %v", nf.name, err)
			continue
		}
		if !reflect.DeepEqual(got, nf.fact) {
			t.Errorf("%s: round trip changed the fact:\nbefore %+v\nafter  %+v", nf.name, nf.fact, got)
		}
	}
}

// TestFactsSize holds the facts to a size budget.
func TestFactsSize(t *testing.T) {
	streams := map[string]*bytes.Buffer{}
	encoders := map[string]*gob.Encoder{}
	for _, nf := range exportedFacts(t) {
		if n := len(encode(t, nf.fact)); n > maxFactBytes {
			t.Errorf("%s: %d bytes, budget %d", nf.name, n, maxFactBytes)
		}
		if streams[nf.pkg] == nil {
			streams[nf.pkg] = new(bytes.Buffer)
			encoders[nf.pkg] = gob.NewEncoder(streams[nf.pkg])
		}
		if err := encoders[nf.pkg].Encode(nf.fact); err != nil {
			t.Fatalf("%s: %v", nf.name, err)
		}
	}
	pkgs := make([]string, 0, len(streams))
	for pkg := range streams {
		pkgs = append(pkgs, pkg)
	}
	sort.Strings(pkgs)
	total := 0
	for _, pkg := range pkgs {
		n := streams[pkg].Len()
		t.Logf("%6d bytes of facts for %s", n, pkg)
		if n > maxPackageFactBytes {
			t.Errorf("facts of %s take %d bytes, budget %d", pkg, n, maxPackageFactBytes)
		}
		total += n
	}
	t.Logf("%6d bytes in all", total)
}

// TestFactsCarryCrossPackageEffects checks what the facts must carry for
// the passes to see through packages: an exported function's summary is
// closed over its unexported callees, a forwarding helper's summary says
// which parameter it registers, and a package's table holds the locks its
// dependencies hold across waits.
func TestFactsCarryCrossPackageEffects(t *testing.T) {
	byName := map[string]analysis.Fact{}
	for _, nf := range exportedFacts(t) {
		byName[nf.name] = nf.fact
	}
	summary := func(name string) *analyzer.Summary {
		t.Helper()
		s, ok := byName[name+" *analyzer.Summary"].(*analyzer.Summary)
		if !ok {
			t.Fatalf("no summary for %s", name)
		}
		return s
	}
	tables := func(pkg string) *analyzer.Tables {
		t.Helper()
		tb, ok := byName[pkg+" package *analyzer.Tables"].(*analyzer.Tables)
		if !ok {
			t.Fatalf("no tables for %s", pkg)
		}
		return tb
	}

	// (*xc.Pool).Release locks through the unexported release.
	release := summary("lockinfinalizer/xc (*lockinfinalizer/xc.Pool).Release")
	if !hasOp(release.Locks, analyzer.KindLock, "lockinfinalizer/xc.Pool.mu") {
		t.Errorf("(*xc.Pool).Release: no lock of Pool.mu in %+v", release.Locks)
	}
	// (*xb.Client).Close reaches it through xc.
	closeSum := summary("lockinfinalizer/xb (*lockinfinalizer/xb.Client).Close")
	if !hasOp(closeSum.Locks, analyzer.KindLock, "lockinfinalizer/xc.Pool.mu") {
		t.Errorf("(*xb.Client).Close: no lock of xc's Pool.mu in %+v", closeSum.Locks)
	}
	// The Held table of xa includes what xc holds across waits.
	found := false
	for _, h := range tables("lockinfinalizer/xa").Held {
		if h.Class == "lockinfinalizer/xc.Pool.mu" && h.Op.End != 0 {
			found = true
		}
	}
	if !found {
		t.Errorf("xa's tables do not hold xc's Pool.mu held across a wait")
	}
	// track's helpers forward their function parameter (receiver first)
	// to the runtime, with the parameters that give the object and the
	// cleanup's argument.
	for fn, want := range map[string]analyzer.Forward{
		"lockinfinalizer/track lockinfinalizer/track.Track":              {Kind: analyzer.RootFinalizer, Param: 1, Obj: 0, Arg: -1},
		"lockinfinalizer/track lockinfinalizer/track.TrackAny":           {Kind: analyzer.RootFinalizer, Param: 1, Obj: 0, Arg: -1},
		"lockinfinalizer/track lockinfinalizer/track.OnRelease":          {Kind: analyzer.RootCleanup, Param: 1, Obj: 0, Arg: 2},
		"lockinfinalizer/track (*lockinfinalizer/track.Registrar).Watch": {Kind: analyzer.RootFinalizer, Param: 2, Obj: 1, Arg: -1},
	} {
		s := summary(fn)
		if len(s.Finalizes) != 1 || s.Finalizes[0] != want {
			t.Errorf("%s: Finalizes = %+v, want %+v", fn, s.Finalizes, want)
		}
	}
	// track.Hold's result holds its parameter, in the field P.
	if got, want := summary("lockinfinalizer/track lockinfinalizer/track.Hold").Keeps, []analyzer.Keep{{Param: 0, Field: "P"}}; !slices.Equal(got, want) {
		t.Errorf("track.Hold: Keeps = %+v, want %+v", got, want)
	}
	// spawnx's spawners say which parameters they run on a new
	// goroutine: Go both of its functions, Start and spawny's Spawn the
	// one they forward to another spawner.
	for fn, want := range map[string][]int{
		"lockinfinalizer/spawnx lockinfinalizer/spawnx.Go":    {1, 2},
		"lockinfinalizer/spawnx lockinfinalizer/spawnx.Start": {0},
		"lockinfinalizer/spawny lockinfinalizer/spawny.Spawn": {0},
	} {
		if s := summary(fn); !slices.Equal(s.Spawns, want) {
			t.Errorf("%s: Spawns = %v, want %v", fn, s.Spawns, want)
		}
	}
	// spawnx.Run calls its functions on the caller's goroutine.
	if s, ok := byName["lockinfinalizer/spawnx lockinfinalizer/spawnx.Run *analyzer.Summary"].(*analyzer.Summary); ok && len(s.Spawns) > 0 {
		t.Errorf("spawnx.Run: Spawns = %v, want none", s.Spawns)
	}
}

// TestFactsOnlyExported checks that summaries are exported only for
// functions other packages can name: the others' facts would never be read.
func TestFactsOnlyExported(t *testing.T) {
	for _, nf := range exportedFacts(t) {
		if nf.obj != nil && !nf.obj.Exported() {
			t.Errorf("%s: fact on an unexported function", nf.name)
		}
	}
}

func hasOp(ops []analyzer.Op, kind analyzer.Kind, class string) bool {
	for _, op := range ops {
		if op.Kind == kind && op.Class == class {
			return true
		}
	}
	return false
}

// TestFactsCarryCallbacks checks the callback facts of cblib and cbapp: a
// registering method says, through its unexported helper, which
// parameter it stores into which field; the package fact lists the
// fields that roots call with the locks held at the call (Lib's handler
// holds Lib.mu, Safe's has released Safe.mu), and an importer's fact
// passes them on.
func TestFactsCarryCallbacks(t *testing.T) {
	byName := map[string]analysis.Fact{}
	for _, nf := range exportedFacts(t) {
		byName[nf.name] = nf.fact
	}
	for fn, want := range map[string][]analyzer.FieldStore{
		"lockinfinalizer/cblib (*lockinfinalizer/cblib.Lib).OnShutdown": {{Param: 1, Field: "lockinfinalizer/cblib.Lib.onShutdown"}},
		"lockinfinalizer/cblib (*lockinfinalizer/cblib.Safe).Add":       {{Param: 1, Field: "lockinfinalizer/cblib.Safe.hooks"}},
	} {
		s, ok := byName[fn+" *analyzer.Summary"].(*analyzer.Summary)
		if !ok {
			t.Errorf("no summary for %s", fn)
			continue
		}
		if !slices.Equal(s.Stores, want) {
			t.Errorf("%s: Stores = %+v, want %+v", fn, s.Stores, want)
		}
	}
	if s, ok := byName["lockinfinalizer/cblib (*lockinfinalizer/cblib.Lib).Drain *analyzer.Summary"].(*analyzer.Summary); !ok ||
		len(s.Calls) != 1 || s.Calls[0].Field != "lockinfinalizer/cblib.Lib.OnDrain" || len(s.Calls[0].Held) != 0 {
		t.Errorf("(*cblib.Lib).Drain: want one call of Lib.OnDrain with no lock held, got %+v", s)
	}
	held := func(pkg string) map[string][]string {
		t.Helper()
		c, ok := byName[pkg+" package *analyzer.Callbacks"].(*analyzer.Callbacks)
		if !ok {
			t.Fatalf("no callbacks for %s", pkg)
		}
		out := map[string][]string{}
		for _, cb := range c.List {
			var classes []string
			for _, op := range cb.Call.Held {
				classes = append(classes, op.Class)
			}
			out[cb.Call.Field] = append(out[cb.Call.Field], strings.Join(classes, ","))
		}
		return out
	}
	for _, pkg := range []string{"lockinfinalizer/cblib", "lockinfinalizer/cbapp"} {
		got := held(pkg)
		for field, want := range map[string]string{
			"lockinfinalizer/cblib.Lib.onShutdown": "lockinfinalizer/cblib.Lib.mu",
			"lockinfinalizer/cblib.Lib.Hooks":      "lockinfinalizer/cblib.Lib.mu",
			"lockinfinalizer/cblib.Lib.Hook":       "lockinfinalizer/cblib.Lib.mu",
			"lockinfinalizer/cblib.Safe.hooks":     "",
		} {
			if !slices.Equal(got[field], []string{want}) {
				t.Errorf("%s: callbacks of %s held %q, want [%q]", pkg, field, got[field], want)
			}
		}
		if _, ok := got["lockinfinalizer/cblib.Lib.Later"]; ok {
			t.Errorf("%s: Lib.Later has a callback, but no root calls it", pkg)
		}
		if _, ok := got["lockinfinalizer/cblib.Lib.counters"]; ok {
			t.Errorf("%s: Lib.counters has a callback, but no other package can set it", pkg)
		}
	}
}
