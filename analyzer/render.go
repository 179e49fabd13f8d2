package analyzer

import (
	"fmt"
	"strings"
)

// This file renders operations and witnesses for people. The engine never
// calls it: facts and their identities are the typed fields, and only the
// passes and the drivers turn them into words.

// Describe names the operation for people: "Pool.mu.Lock", "send to
// Pool.q", "(*sync.WaitGroup).Wait".
func (op Op) Describe() string {
	name := op.Name
	switch op.Kind {
	case KindLock, KindRLock:
		if name == "" {
			name = "mutex"
		}
		if op.Kind == KindRLock {
			return name + ".RLock"
		}
		return name + ".Lock"
	case KindToken:
		return "take " + name
	case KindSend, KindRecv, KindClose:
		verb := map[Kind]string{KindSend: "send to", KindRecv: "receive from", KindClose: "close of"}[op.Kind]
		if name == "" {
			name = "channel"
		}
		s := verb + " " + name
		if op.Select {
			s += " in select"
		}
		return s
	case KindDone:
		return name + ".Done"
	case KindGo:
		return "go " + name
	}
	return name
}

// LockName names the lock an acquisition takes: "Pool.mu", or "the token
// of Conv.st" for a channel used as a lock.
func (op Op) LockName() string {
	if op.Kind == KindToken {
		return "the token of " + op.Name
	}
	if op.Name == "" {
		return "mutex"
	}
	return op.Name
}

// Pos renders the hop's position: "pool.go:12", "generated code", or "".
func (h Hop) Pos() string {
	switch {
	case h.Generated:
		return "generated code"
	case h.File == "":
		return ""
	}
	return fmt.Sprintf("%s:%d", h.File, h.Line)
}

// label renders a hop with the given name: "name (pool.go:12)".
func (h Hop) label(name string) string {
	p := h.Pos()
	if h.Dynamic {
		// A call through an interface or a func value that the call
		// graph resolved: the program may never make it.
		if p != "" {
			p += ", "
		}
		p += "dynamic"
	}
	if p != "" {
		return name + " (" + p + ")"
	}
	return name
}

// String renders a hop that is not the last of its chain.
func (h Hop) String() string {
	switch {
	case h.Elided:
		return "…"
	case h.Join && h.Class != "":
		return h.label(joinWaiter(h) + ", waiting for go " + h.Func)
	case h.Join:
		return h.label("waiting for go " + h.Func)
	}
	return h.label(h.Func)
}

// Hops renders the chain of op, hop by hop, the operation last.
func (op Op) Hops() []string {
	return RenderHops(op.Chain, op.Describe())
}

// RenderHops renders a chain whose last hop is an operation described by
// last ("" when the chain ends with a call).
func RenderHops(chain []Hop, last string) []string {
	out := make([]string, 0, len(chain))
	for i, h := range chain {
		if i == len(chain)-1 && h.Func == "" && !h.Elided {
			out = append(out, h.label(last))
			continue
		}
		out = append(out, h.String())
	}
	return out
}

// Witness renders the chain of op with arrows, from the label of the
// root (or function) it starts at: "finalizer f → g (a.go:3) → send to
// T.q (a.go:9)".
func (op Op) Witness(label string) string {
	hops := op.Hops()
	if label != "" {
		hops = append([]string{label}, hops...)
	}
	return strings.Join(hops, " → ")
}

// Render joins rendered hops with arrows.
func Render(hops []string) string { return strings.Join(hops, " → ") }

// joinWaiter names the wait of a join hop: what the waiter does that the
// goroutine must answer.
func joinWaiter(h Hop) string {
	switch h.Wait {
	case KindRecv:
		return "send to " + ShortClass(h.Class)
	case KindSend:
		return "receive from " + ShortClass(h.Class)
	case KindCond:
		return condWait
	}
	return waitGroupWait
}

// ShortClass names a lock or channel class for people: the class without
// its package path, "Pool.mu" for "example.com/db.Pool.mu", "chan made at
// pool.go:12" for a channel a function makes.
func ShortClass(class string) string {
	if strings.HasSuffix(class, elemSuffix) {
		return "channel from " + ShortClass(strings.TrimSuffix(class, elemSuffix))
	}
	if strings.HasSuffix(class, ctxSuffix) {
		return ShortClass(strings.TrimSuffix(class, ctxSuffix)) + ".Done()"
	}
	for _, m := range []string{perCallChan, onceChan} {
		if i := strings.Index(class, m); i >= 0 {
			return "chan made at " + class[i+len(m):]
		}
	}
	if i := strings.Index(class, localCtx); i >= 0 {
		return "context made at " + class[i+len(localCtx):]
	}
	rest := class
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		rest = rest[i+1:]
	}
	if i := strings.IndexByte(rest, '.'); i >= 0 && strings.Count(rest, ".") > 1 {
		rest = rest[i+1:]
	}
	return rest
}
