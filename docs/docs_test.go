package docs_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/finalock/finalock/analyzer"
	"github.com/finalock/finalock/docs"
	"github.com/finalock/finalock/passes"
)

// TestEveryRuleDocumented requires a section of docs/rules.md for every
// pass and every rule, a rule's under its pass's, each with an anchor of
// its own.
func TestEveryRuleDocumented(t *testing.T) {
	anchors := docs.Anchors(docs.Rules)
	for _, a := range passes.All() {
		if text, ok := docs.Section(docs.Rules, a.Name); !ok || text == "" {
			t.Errorf("docs/rules.md has no section %s", a.Name)
		}
	}
	for _, r := range analyzer.Rules {
		text, ok := docs.Section(docs.Rules, r.Name)
		if !ok || text == "" {
			t.Errorf("docs/rules.md has no section %s", r.Name)
			continue
		}
		if r.Pass != "" {
			pass, _ := docs.Section(docs.Rules, r.Pass)
			if !strings.Contains(pass, "### "+r.Name+"\n") {
				t.Errorf("docs/rules.md: %s is not a section of %s", r.Name, r.Pass)
			}
		}
		if n := count(anchors, r.Name); n != 1 {
			t.Errorf("docs/rules.md: %d headings have the anchor #%s, want 1", n, r.Name)
		}
	}
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

func TestSection(t *testing.T) {
	md := "# Top\n\nintro\n\n## a\n\ntext of a\n\n```sh\n# not a heading\n```\n\n### b\n\ntext of b\n\n## c\n\ntext of c\n"
	for _, tc := range []struct{ title, want string }{
		{"a", "text of a\n\n```sh\n# not a heading\n```\n\n### b\n\ntext of b"},
		{"b", "text of b"},
		{"c", "text of c"},
	} {
		if got, ok := docs.Section(md, tc.title); !ok || got != tc.want {
			t.Errorf("Section(%q) = %q, %v; want %q", tc.title, got, ok, tc.want)
		}
	}
	if _, ok := docs.Section(md, "not a heading"); ok {
		t.Error("a comment in a code block is taken for a heading")
	}
}

func TestAnchors(t *testing.T) {
	md := "# In CI\n## In CI\n## `-fix`, `-diff` and fixes\n## Exit codes: 0–3\n"
	want := []string{"in-ci", "in-ci-1", "-fix--diff-and-fixes", "exit-codes-03"}
	if got := docs.Anchors(md); !slices.Equal(got, want) {
		t.Errorf("Anchors = %q, want %q", got, want)
	}
}

// linkRE matches the target of a Markdown link.
var linkRE = regexp.MustCompile(`\]\(([^()\s]+)\)`)

// homepage is the repository on GitHub: links into it are checked against
// the files of this checkout.
const homepage = "https://github.com/finalock/finalock"

// TestLinks checks every link of the README and of docs/*.md that points
// into this repository, and every URL the suite gives out (the passes'
// Analyzer.URL, docs.RulesURL): the file exists and, for Markdown, so
// does the anchor.
func TestLinks(t *testing.T) {
	files, err := filepath.Glob("*.md")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join("..", "README.md"))
	checked := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range linkRE.FindAllStringSubmatch(string(data), -1) {
			target := m[1]
			if strings.HasPrefix(target, homepage) {
				checkURL(t, file, target)
			} else if !strings.Contains(target, "://") && !strings.HasPrefix(target, "mailto:") {
				path, frag, _ := strings.Cut(target, "#")
				if path == "" {
					path = filepath.Base(file)
				}
				checkTarget(t, file, filepath.Join(filepath.Dir(file), filepath.FromSlash(path)), frag)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no links found")
	}
	for _, a := range passes.All() {
		checkURL(t, a.Name+".Analyzer.URL", a.URL)
	}
	checkURL(t, "docs.RulesURL", docs.RulesURL)
}

// checkURL checks a URL of the repository on GitHub.
func checkURL(t *testing.T, from, url string) {
	t.Helper()
	rest, frag, _ := strings.Cut(strings.TrimPrefix(url, homepage), "#")
	path := "README.md"
	if rest != "" {
		p, ok := strings.CutPrefix(rest, "/blob/main/")
		if !ok {
			p, ok = strings.CutPrefix(rest, "/tree/main/")
		}
		if !ok {
			t.Errorf("%s: %s is not a file of the main branch", from, url)
			return
		}
		path = p
	}
	checkTarget(t, from, filepath.Join("..", filepath.FromSlash(path)), frag)
}

// checkTarget checks that path exists and, when it is Markdown and frag
// is not empty, that one of its headings has the anchor frag.
func checkTarget(t *testing.T, from, path, frag string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("%s: link to %s: %v", from, path, err)
		return
	}
	if frag == "" || !strings.HasSuffix(path, ".md") {
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(docs.Anchors(string(data)), frag) {
		t.Errorf("%s: link to %s#%s: no heading has that anchor", from, path, frag)
	}
}

// TestREADMERuleTable requires the README's rule tables to give every
// rule one line, with its summary and a link to its section.
func TestREADMERuleTable(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	for _, r := range analyzer.Rules {
		if r.Pass == "" {
			continue
		}
		row := "| [" + r.Name + "](docs/rules.md#" + r.Name + ") | " + r.Summary + " |\n"
		if strings.Count(readme, row) != 1 {
			t.Errorf("README.md does not have the row once:\n%s", row)
		}
		section, _ := docs.Section(readme, r.Pass)
		if !strings.Contains(section+"\n", row) {
			t.Errorf("README.md: the row of %s is not under ### %s", r.Name, r.Pass)
		}
	}
}
