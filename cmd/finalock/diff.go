package main

import (
	"fmt"
	"strings"
)

// context is how many unchanged lines a hunk of a unified diff shows
// around its changes.
const context = 3

// A diffOp is one line of a line diff: kept (' '), deleted ('-') or
// inserted ('+').
type diffOp struct {
	kind byte
	text string // with its newline, if it has one
}

// unified returns the unified diff that turns a into b, or "" when they
// are equal.
func unified(aName, bName, a, b string) string {
	ops := lineDiff(splitLines(a), splitLines(b))
	var out strings.Builder
	for i := 0; i < len(ops); {
		first := nextChange(ops, i)
		if first < 0 {
			break
		}
		start := max(first-context, i)
		end := first
		for {
			last := end
			for last < len(ops) && ops[last].kind != ' ' {
				last++
			}
			end = min(last+context, len(ops))
			if next := nextChange(ops, last); next < 0 || next > last+2*context {
				break
			} else {
				end = next
			}
		}
		if out.Len() == 0 {
			fmt.Fprintf(&out, "--- %s\n+++ %s\n", aName, bName)
		}
		writeHunk(&out, ops, start, end)
		i = end
	}
	return out.String()
}

// nextChange returns the index of the first op from i on that is not a
// kept line, or -1.
func nextChange(ops []diffOp, i int) int {
	for ; i < len(ops); i++ {
		if ops[i].kind != ' ' {
			return i
		}
	}
	return -1
}

// writeHunk writes ops[start:end] as one hunk with its header.
func writeHunk(out *strings.Builder, ops []diffOp, start, end int) {
	aLine, bLine := 1, 1
	for _, op := range ops[:start] {
		if op.kind != '+' {
			aLine++
		}
		if op.kind != '-' {
			bLine++
		}
	}
	aCount, bCount := 0, 0
	for _, op := range ops[start:end] {
		if op.kind != '+' {
			aCount++
		}
		if op.kind != '-' {
			bCount++
		}
	}
	if aCount == 0 {
		aLine--
	}
	if bCount == 0 {
		bLine--
	}
	fmt.Fprintf(out, "@@ -%d,%d +%d,%d @@\n", aLine, aCount, bLine, bCount)
	for _, op := range ops[start:end] {
		out.WriteByte(op.kind)
		out.WriteString(op.text)
		if !strings.HasSuffix(op.text, "\n") {
			out.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// splitLines splits s after each newline.
func splitLines(s string) []string {
	var lines []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			lines = append(lines, s)
			break
		}
		lines = append(lines, s[:i+1])
		s = s[i+1:]
	}
	return lines
}

// lineDiff returns a shortest edit script from a to b, by Myers'
// algorithm: its cost grows with the number of changed lines, which for
// fixes is small, not with the length of the files.
func lineDiff(a, b []string) []diffOp {
	n, m := len(a), len(b)
	// trace[d][k+d] is the furthest x on diagonal k = x-y after d edits.
	var trace [][]int
	prev := func(d, k int) int {
		if d == 0 {
			return 0
		}
		return trace[d-1][k+d-1]
	}
	for d := 0; d <= n+m; d++ {
		v := make([]int, 2*d+1)
		for k := -d; k <= d; k += 2 {
			var x int
			if d == 0 {
				x = 0
			} else if k == -d || (k != d && prev(d, k-1) < prev(d, k+1)) {
				x = prev(d, k+1)
			} else {
				x = prev(d, k-1) + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[k+d] = x
			if x >= n && y >= m {
				trace = append(trace, v)
				return backtrack(trace, a, b, d)
			}
		}
		trace = append(trace, v)
	}
	return nil
}

// backtrack walks the trace of lineDiff back from the end of both inputs
// after D edits and returns the edit script in order.
func backtrack(trace [][]int, a, b []string, D int) []diffOp {
	var rev []diffOp
	x, y := len(a), len(b)
	for d := D; d > 0; d-- {
		k := x - y
		at := func(k int) int { return trace[d-1][k+d-1] }
		down := k == -d || (k != d && at(k-1) < at(k+1)) // an insertion
		prevK := k - 1
		if down {
			prevK = k + 1
		}
		prevX := at(prevK)
		prevY := prevX - prevK
		midX, midY := prevX+1, prevY
		if down {
			midX, midY = prevX, prevY+1
		}
		for x > midX && y > midY {
			x, y = x-1, y-1
			rev = append(rev, diffOp{' ', a[x]})
		}
		if down {
			rev = append(rev, diffOp{'+', b[prevY]})
		} else {
			rev = append(rev, diffOp{'-', a[prevX]})
		}
		x, y = prevX, prevY
	}
	for x > 0 && y > 0 {
		x, y = x-1, y-1
		rev = append(rev, diffOp{' ', a[x]})
	}
	ops := make([]diffOp, len(rev))
	for i, op := range rev {
		ops[len(rev)-1-i] = op
	}
	return ops
}
