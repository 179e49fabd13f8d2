package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// evidenceModule has a signal handler that takes two locks, each held
// elsewhere across a wait that can last forever: one finding, the other
// lock as related evidence.
const evidenceModule = `package p

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

var (
	mu, other sync.Mutex
	jobs      = make(chan int)
	work      = make(chan int)
)

func serve() {
	mu.Lock()
	defer mu.Unlock()
	<-jobs
}

func drain() {
	other.Lock()
	defer other.Unlock()
	<-work
}

func Trap() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	<-c
	mu.Lock()
	mu.Unlock()
	other.Lock()
	other.Unlock()
	os.Exit(0)
}
`

// TestEvidence checks that the standalone driver carries a finding's
// evidence as data: the JSON chain and related evidence, and in SARIF the
// holder's path as a second thread flow and the other lock as a related
// location, each pointing at its file.
func TestEvidence(t *testing.T) {
	bin := buildFinalock(t)
	dir := t.TempDir()
	writeModule(t, dir, map[string]string{"go.mod": "module evmod\n\ngo 1.26\n", "p/p.go": evidenceModule})

	out, errs, code := runSplit(t, dir, bin, "-format=json", "./...")
	if code != exitFindings {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	var findings []finding
	if err := json.Unmarshal(out, &findings); err != nil {
		t.Fatal(err)
	}
	var lock *finding
	for i, f := range findings {
		if f.Category == "lock" {
			lock = &findings[i]
		}
	}
	if lock == nil {
		t.Fatalf("no lock finding:\n%s", out)
	}
	if len(lock.Chain) != 2 || !strings.HasPrefix(lock.Chain[0], "signal handler Trap") || !strings.Contains(lock.Chain[1], "p.go:") {
		t.Errorf("chain %q, want the handler and its lock", lock.Chain)
	}
	if len(lock.Related) != 1 {
		t.Fatalf("related %+v, want the other lock", lock.Related)
	}
	rel := lock.Related[0]
	if !strings.Contains(rel.Message, "holds it across receive from") || !strings.HasSuffix(rel.File, "p.go") || rel.Line == 0 || len(rel.Chain) != 2 {
		t.Errorf("related %+v, want where the other lock is held and across what", rel)
	}

	_, log := runSARIF(t, bin, dir, exitFindings, "./...")
	for _, res := range log.Runs[0].Results {
		if res.RuleID != "lock" {
			continue
		}
		if len(res.CodeFlows) != 1 || len(res.CodeFlows[0].ThreadFlows) != 3 {
			t.Fatalf("code flows %+v, want the witness, the holder's path and the other holder's", res.CodeFlows)
		}
		holder := res.CodeFlows[0].ThreadFlows[1]
		if holder.Message == nil || !strings.Contains(holder.Message.Text, "holds it across") {
			t.Errorf("second thread flow %+v, want the holder's path", holder)
		}
		for _, l := range holder.Locations {
			if l.Location.PhysicalLocation == nil {
				t.Errorf("holder step %q has no location", l.Location.Message.Text)
			}
		}
		if len(res.RelatedLocations) != 1 || res.RelatedLocations[0].PhysicalLocation == nil {
			t.Errorf("related locations %+v, want the other lock's holder", res.RelatedLocations)
		}
		return
	}
	t.Fatal("no lock result in the SARIF output")
}
