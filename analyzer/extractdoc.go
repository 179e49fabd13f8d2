package analyzer

import (
	"strings"
)

// ExtractDoc returns the text of the package doc comment of a pass's
// doc.go source that follows the line "# Analyzer name", without the
// "name: " that starts it, the way x/tools passes keep their Analyzer.Doc
// in one place.
func ExtractDoc(src, name string) string {
	var lines []string
	in := false
	for _, line := range strings.Split(src, "\n") {
		if strings.HasPrefix(line, "package ") {
			break
		}
		text := strings.TrimPrefix(strings.TrimPrefix(line, "//"), " ")
		if text == "# Analyzer "+name {
			in = true
			continue
		}
		if in {
			lines = append(lines, text)
		}
	}
	doc := strings.TrimSpace(strings.Join(lines, "\n"))
	// The first line reads "name: summary"; Analyzer.Doc holds the summary.
	return strings.TrimPrefix(doc, name+": ")
}
