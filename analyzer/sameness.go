package analyzer

import "slices"

// same reports whether two summaries are equal, field by field: the test
// of a recursive cycle's fixed point. It builds nothing.
func (s *Summary) same(t *Summary) bool {
	if s == nil || t == nil {
		return s == t
	}
	return sameOps(s.Locks, t.Locks) && sameOps(s.Waits, t.Waits) && sameOps(s.Chans, t.Chans) &&
		sameOps(s.Alloc, t.Alloc) && sameOps(s.Go, t.Go) && sameOps(s.Holds, t.Holds) &&
		sameOps(s.Releases, t.Releases) && slices.Equal(s.Finalizes, t.Finalizes) &&
		slices.EqualFunc(s.Fds, t.Fds, sameFd) && slices.Equal(s.Spawns, t.Spawns) && sameRelocks(s, t)
}

func sameOps(a, b []Op) bool { return slices.EqualFunc(a, b, sameOp) }

func sameOp(a, b Op) bool {
	return a.Kind == b.Kind && a.Class == b.Class && a.Name == b.Name && a.Param == b.Param &&
		a.ByValue == b.ByValue && a.End == b.End && a.Select == b.Select && a.Must == b.Must && a.MustOK == b.MustOK &&
		a.Holder == b.Holder && slices.Equal(a.Ends, b.Ends) && slices.Equal(a.Guard, b.Guard) &&
		slices.Equal(a.Chain, b.Chain)
}

func sameFd(a, b FdWrapper) bool {
	return a.Param == b.Param && a.Call == b.Call && a.Pkg == b.Pkg && a.Flag == b.Flag &&
		a.Bit == b.Bit && a.Pair == b.Pair && slices.Equal(a.Chain, b.Chain)
}
