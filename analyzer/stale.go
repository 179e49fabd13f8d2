package analyzer

import (
	"fmt"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// staleMessage says that the directive's rule (as written, and by name)
// suppressed nothing. A finding is reported at its root, not at the lock
// or wait it reaches: when a finding of that rule mentions a line the
// directive covers (a hop of its witness, the lock it names), the message
// says where that finding is, since that is where the directive belongs.
func staleMessage(fset *token.FileSet, dir *directive, written, rule string, shown []analysis.Diagnostic) string {
	if at := passesThrough(fset, dir, rule, shown); at != "" {
		return fmt.Sprintf("%s %s suppresses nothing here: the %s finding that passes through this line is reported at %s; put the directive there",
			IgnoreDirective, written, rule, at)
	}
	return fmt.Sprintf("%s %s suppresses nothing here: remove it", IgnoreDirective, written)
}

// passesThrough returns the position, as file.go:line, of the first
// finding of rule whose message names a line the directive covers, or "".
// Messages name positions by file base name, as witnesses do.
func passesThrough(fset *token.FileSet, dir *directive, rule string, shown []analysis.Diagnostic) string {
	base := filepath.Base(dir.file)
	mention := regexp.MustCompile(`(?:^|[^\w./-])` + regexp.QuoteMeta(base) + `:(\d+)`)
	var found []token.Position
	for _, d := range shown {
		if d.Category != rule {
			continue
		}
		for _, m := range mention.FindAllStringSubmatch(d.Message, -1) {
			if line, err := strconv.Atoi(m[1]); err == nil && dir.from <= line && line <= dir.to {
				found = append(found, fset.Position(d.Pos))
				break
			}
		}
	}
	if len(found) == 0 {
		return ""
	}
	first := slices.MinFunc(found, func(a, b token.Position) int {
		if c := strings.Compare(a.Filename, b.Filename); c != 0 {
			return c
		}
		return a.Offset - b.Offset
	})
	return fmt.Sprintf("%s:%d", filepath.Base(first.Filename), first.Line)
}

// dropRules is the fix for a directive whose rules named by stale (as
// written) suppress nothing: it removes them from the directive, and the
// whole directive when no rule is left. Without the file's text there is
// no fix.
func dropRules(pass *analysis.Pass, dir *directive, stale []string) *analysis.SuggestedFix {
	if len(stale) == 0 || pass.ReadFile == nil {
		return nil
	}
	src, err := pass.ReadFile(dir.file)
	if err != nil {
		return nil
	}
	tf := pass.Fset.File(dir.comment.Pos())
	if tf == nil || tf.Size() != len(src) {
		return nil
	}
	start, end := tf.Offset(dir.comment.Pos()), tf.Offset(dir.comment.End())
	var keep []string
	for _, r := range dir.rules {
		if !slices.Contains(stale, r) {
			keep = append(keep, r)
		}
	}
	if len(keep) > 0 {
		text := dir.comment.Text
		list := strings.Fields(strings.TrimPrefix(text, IgnoreDirective))[0]
		at := strings.Index(text[len(IgnoreDirective):], list) + len(IgnoreDirective)
		return &analysis.SuggestedFix{
			Message: "remove " + strings.Join(stale, ", ") + " from the directive",
			TextEdits: []analysis.TextEdit{{
				Pos: dir.comment.Pos() + token.Pos(at), End: dir.comment.Pos() + token.Pos(at+len(list)),
				NewText: []byte(strings.Join(keep, ",")),
			}},
		}
	}
	// The whole comment goes: with its line when it is alone on it, else
	// with the blanks before it.
	from := start
	for from > 0 && (src[from-1] == ' ' || src[from-1] == '\t') {
		from--
	}
	to := end
	if from == 0 || src[from-1] == '\n' {
		if to < len(src) && src[to] == '\n' {
			to++
		}
	} else if to < len(src) && src[to] != '\n' {
		return nil
	}
	return &analysis.SuggestedFix{
		Message: "remove the directive",
		TextEdits: []analysis.TextEdit{{
			Pos: tf.Pos(from), End: tf.Pos(to),
		}},
	}
}
