// Package docs holds finalock's rule documentation, docs/rules.md,
// embedded so that `finalock help <rule>` and the SARIF output quote the
// same text that GitHub shows.
package docs

import (
	_ "embed"
	"strconv"
	"strings"
	"unicode"
)

// Rules is the Markdown text of docs/rules.md: a section per pass, a
// section per rule under its pass, and one for the ignore rule.
//
//go:embed rules.md
var Rules string

// RulesURL is where GitHub shows docs/rules.md; a rule's section is at
// RulesURL + "#" + Anchor(rule).
const RulesURL = "https://github.com/finalock/finalock/blob/main/docs/rules.md"

// A heading is one Markdown heading outside code blocks.
type heading struct {
	level int
	text  string
	line  int // index in the lines of the document
}

// headings lists the headings of md in order.
func headings(lines []string) []heading {
	var hs []heading
	fence := false
	for i, l := range lines {
		if strings.HasPrefix(l, "```") {
			fence = !fence
			continue
		}
		if fence || !strings.HasPrefix(l, "#") {
			continue
		}
		level := len(l) - len(strings.TrimLeft(l, "#"))
		if level <= 6 && strings.HasPrefix(l[level:], " ") {
			hs = append(hs, heading{level, strings.TrimSpace(l[level:]), i})
		}
	}
	return hs
}

// Section returns the text of md under the heading named title (at any
// level), without the heading, up to the next heading of the same or a
// higher level, and whether there is such a heading.
func Section(md, title string) (string, bool) {
	lines := strings.Split(md, "\n")
	hs := headings(lines)
	for i, h := range hs {
		if h.text != title {
			continue
		}
		end := len(lines)
		for _, next := range hs[i+1:] {
			if next.level <= h.level {
				end = next.line
				break
			}
		}
		return strings.TrimSpace(strings.Join(lines[h.line+1:end], "\n")), true
	}
	return "", false
}

// Anchors returns the anchor of every heading of md, in order, as GitHub
// makes them: a heading that repeats an earlier one's anchor gets -1, -2
// and so on.
func Anchors(md string) []string {
	var anchors []string
	seen := map[string]int{}
	for _, h := range headings(strings.Split(md, "\n")) {
		a := Anchor(h.text)
		if n := seen[a]; n > 0 {
			seen[a]++
			a += "-" + strconv.Itoa(n)
		} else {
			seen[a] = 1
		}
		anchors = append(anchors, a)
	}
	return anchors
}

// Anchor returns the anchor GitHub gives a heading: in lower case,
// letters, digits, '-' and '_' kept, spaces turned into '-', everything
// else dropped.
func Anchor(title string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(title) {
		switch {
		case c == ' ':
			b.WriteByte('-')
		case c == '-' || c == '_' || unicode.IsLetter(c) || unicode.IsDigit(c):
			b.WriteRune(c)
		}
	}
	return b.String()
}
