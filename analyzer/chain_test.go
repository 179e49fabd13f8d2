package analyzer

import (
	"fmt"
	"slices"
	"testing"
)

// TestConcat checks concat, which copies only the hops it keeps, against
// the plain definition: a followed by b, and when that is longer than
// maxChain its first maxChain/2 hops, an Elided hop and its last
// maxChain/2-1 hops.
func TestConcat(t *testing.T) {
	chain := func(prefix string, n int) []Hop {
		var out []Hop
		for i := range n {
			out = append(out, Hop{Func: fmt.Sprint(prefix, i), Line: i + 1})
		}
		return out
	}
	for i := 0; i <= 2*maxChain+1; i++ {
		for j := 0; j <= 2*maxChain+1; j++ {
			a, b := chain("a", i), chain("b", j)
			want := slices.Concat(a, b)
			if len(want) > maxChain {
				want = slices.Concat(want[:maxChain/2], []Hop{{Elided: true}}, want[len(want)-(maxChain/2-1):])
			}
			got := concat(a, b)
			if !slices.Equal(got, want) || got == nil {
				t.Fatalf("concat of %d and %d hops = %v, want %v", i, j, got, want)
			}
			if cap(got) != len(got) {
				t.Errorf("concat of %d and %d hops: capacity %d for %d hops", i, j, cap(got), len(got))
			}
			if i == 1 && !slices.Equal(prepend(a[0], b), got) {
				t.Errorf("prepend to %d hops = %v, want %v", j, prepend(a[0], b), got)
			}
		}
	}
}

// TestOpKeyBuffer checks that appendOpKey appends opKey to what the
// buffer holds.
func TestOpKeyBuffer(t *testing.T) {
	ops := []Op{
		{},
		{Kind: KindRecv, Class: "p.T.c", Param: -1, Name: "c", End: EndPartner, Select: true, Ends: []string{"p.T.done", "p.T.quit"}},
		{Kind: KindLock, Class: "p.T.mu", Param: 12, ByValue: true, Holder: 3},
	}
	buf := []byte("x")
	for _, op := range ops {
		if got, want := string(appendOpKey(buf[:1], op)), "x"+opKey(op); got != want {
			t.Errorf("appendOpKey = %q, want %q", got, want)
		}
	}
	if got := opKey(ops[1]); got != fmt.Sprintf("%c|p.T.c|-1|c|%c|s|p.T.done|p.T.quit", '0'+KindRecv, '0'+EndPartner) {
		t.Errorf("opKey = %q", got)
	}
}
