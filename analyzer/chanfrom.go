package analyzer

import (
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A library that takes a channel from its caller keeps it in a field
// and uses it there; the caller knows what the channel is for. pebble's
// commit pipeline makes a counting semaphore and hands it to the log
// writer in its configuration:
//
//	logSyncQSem: make(chan struct{}, record.SyncConcurrency-1)
//	p.logSyncQSem <- struct{}{} // take a unit, then queue a sync
//	record.NewLogWriter(f, n, record.LogWriterConfig{QueueSemChan: d.commit.logSyncQSem})
//
// and the log writer's flush loop gives the unit back as it pops the
// sync from its queue (<-w.queueSemChan). The record package alone sees
// a receive from a channel it never sends on; the package that made the
// channel sees whose channel it is. The facts carry the link: record's
// Tables say LogWriter.queueSemChan holds what LogWriterConfig.QueueSemChan
// held (ChanFrom), and the importer sees what it stores there.

// chanSources returns the channel fields of the package whose every
// store keeps a channel loaded from a field of an exported type of the
// package (a constructor keeping its configuration's channel).
func (e *engine) chanSources() []ChanFrom {
	from := map[string]string{}
	bad := map[string]bool{}
	prefix := e.pkg.Path() + "."
	for _, st := range e.chanIndex().stores {
		if !strings.HasPrefix(st.class, prefix) || bad[st.class] {
			continue
		}
		src := e.exportedField(st.st.Val)
		if src == "" || src == st.class || (from[st.class] != "" && from[st.class] != src) {
			bad[st.class] = true
			continue
		}
		from[st.class] = src
	}
	var out []ChanFrom
	for c, f := range from {
		if !bad[c] {
			out = append(out, ChanFrom{Class: c, From: f})
		}
	}
	slices.SortFunc(out, func(a, b ChanFrom) int { return strings.Compare(a.Class, b.Class) })
	return out
}

// exportedField returns the class of the field that v loads, when it is
// a field of an exported type of the package, else "".
func (e *engine) exportedField(v ssa.Value) string {
	var t types.Type
	var field int
	switch x := v.(type) {
	case *ssa.Field:
		t, field = x.X.Type(), x.Field
	case *ssa.UnOp:
		fa, ok := x.X.(*ssa.FieldAddr)
		if !ok || x.Op != token.MUL {
			return ""
		}
		t, field = deref(fa.X.Type()), fa.Field
	default:
		return ""
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() != e.pkg || !n.Obj().Exported() {
		return ""
	}
	st, ok := n.Underlying().(*types.Struct)
	if !ok || field >= st.NumFields() {
		return ""
	}
	return qualifiedName(e.pkg, n.Obj().Name()+"."+st.Field(field).Name())
}

// importedChanFrom returns the ChanFrom links of the packages imported,
// by class.
func (e *engine) importedChanFrom() map[string]string {
	if e.chanFrom != nil {
		return e.chanFrom
	}
	e.chanFrom = map[string]string{}
	if !e.facts {
		return e.chanFrom
	}
	for _, imp := range e.pkg.Imports() {
		var t Tables
		if isStd(imp.Path()) || !e.pass.ImportPackageFact(imp, &t) {
			continue
		}
		for _, l := range t.ChanFrom {
			e.chanFrom[l.Class] = l.From
		}
	}
	return e.chanFrom
}

// givesUnit reports whether a receive from a channel of class, a field
// of an imported package, gives back a unit of a counting semaphore of
// this package: every channel the package puts where that field takes
// its channels from is one semaphore, made empty with a buffer, that the
// package takes units of by sending and never closes nor reads values
// from. The receive waits only while no unit is out, which only a
// release without a take can bring about.
func (e *engine) givesUnit(class string) bool {
	if u, ok := e.units[class]; ok {
		return u
	}
	if e.units == nil {
		e.units = map[string]bool{}
	}
	u := e.unitOf(class)
	e.units[class] = u
	return u
}

// unitOf is givesUnit, computed.
func (e *engine) unitOf(class string) bool {
	from := e.importedChanFrom()[class]
	if from == "" {
		return false
	}
	sem := ""
	for _, st := range e.chanIndex().stores {
		if st.class != from {
			continue
		}
		c := e.chanPlace(st.st.Val, 0).class
		if c == "" || (sem != "" && c != sem) {
			return false
		}
		sem = c
	}
	return sem != "" && e.takenUnits(sem)
}

// takenUnits reports whether class is a counting semaphore whose units
// the package takes by sending: every channel stored in it is made with
// a buffer and not primed, the package sends on it, and it neither
// closes it nor receives a value from it that it uses.
func (e *engine) takenUnits(class string) bool {
	stored := false
	for _, st := range e.chanIndex().stores {
		if st.class != class {
			continue
		}
		if !semaphore(st.st.Val) || e.primedToken(st.st.Val, class) {
			return false
		}
		stored = true
	}
	sends := false
	for _, u := range e.chanIndex().uses {
		if u.class != class {
			continue
		}
		switch {
		case u.kind == KindClose:
			return false
		case u.kind == KindRecv && (u.kept || u.inSelect):
			return false
		case u.kind == KindSend:
			sends = true
		}
	}
	return stored && sends
}
