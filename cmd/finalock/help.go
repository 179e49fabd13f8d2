package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/finalock/finalock/analyzer"
	"github.com/finalock/finalock/docs"
	"github.com/finalock/finalock/passes"
	"golang.org/x/tools/go/analysis"
)

// usage writes the overview that -h and `finalock help` print: how to
// run finalock, its passes with their rules, the exit codes and the
// flags of fs.
func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, `finalock reports what can hang or leak in finalizers, cleanups, signal handlers and forked children.

usage:
  finalock [flags] packages...                           standalone: findings on standard output
  go vet -vettool=$(which finalock) [flags] packages...  as a vet tool
  finalock help [rule|pass]                              this text, or the documentation of a rule or a pass

`)
	writeRules(w)
	fmt.Fprintf(w, `
exit status (standalone):
  0  nothing found
  1  a package could not be loaded or analysed (the others still are)
  2  bad flags or usage
  3  findings reported
under go vet, go vet's own: 1 when anything is reported.

flags:
`)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// writeRules lists the passes, each with its summary and its rules: the
// names that end findings and that //finalock:ignore takes.
func writeRules(w io.Writer) {
	fmt.Fprintf(w, "passes and their rules (a finding ends with pass/rule; //finalock:ignore takes the rule):\n")
	width := 0
	for _, r := range analyzer.Rules {
		width = max(width, len(r.Name))
	}
	for _, a := range passes.All() {
		fmt.Fprintf(w, "  %s: %s\n", a.Name, title(a))
		for _, r := range analyzer.Rules {
			if r.Pass == a.Name {
				fmt.Fprintf(w, "    %-*s  %s\n", width, r.Name, r.Summary)
			}
		}
	}
	if r, ok := analyzer.RuleNamed(analyzer.IgnoreRule); ok {
		fmt.Fprintf(w, "  every pass:\n    %-*s  %s\n", width, r.Name, r.Summary)
	}
}

// title is the first paragraph of a pass's documentation, on one line.
func title(a *analysis.Analyzer) string {
	first, _, _ := strings.Cut(a.Doc, "\n\n")
	return strings.Join(strings.Fields(first), " ")
}

// help runs `finalock help [topic]`: the overview, or the documentation
// of one rule (lock, lockinfinalizer/lock) or one pass, on w.
func help(w, errs io.Writer, args []string) int {
	if len(args) == 0 {
		usage(w, newFlags(&options{enabled: map[string]*bool{}}))
		return exitClean
	}
	if len(args) > 1 {
		fmt.Fprintf(errs, "finalock: help takes one rule or pass, not %d\n", len(args))
		return exitUsage
	}
	topic := args[0]
	name := topic
	if pass, rule, ok := strings.Cut(topic, "/"); ok {
		if r, known := analyzer.RuleNamed(rule); known && r.Pass == pass {
			name = rule
		}
	}
	if r, ok := analyzer.RuleNamed(name); ok {
		text, _ := docs.Section(docs.Rules, r.Name)
		id := r.Name
		if r.Pass != "" {
			id = analyzer.RuleID(r.Pass, r.Name)
		}
		fmt.Fprintf(w, "%s: %s\n\n%s\n\n%s#%s\n", id, r.Summary, text, docs.RulesURL, docs.Anchor(r.Name))
		return exitClean
	}
	for _, a := range passes.All() {
		if a.Name == topic {
			fmt.Fprintf(w, "%s: %s\n\nrules: %s\n\n%s\n", a.Name, a.Doc, strings.Join(analyzer.RulesOf(a.Name), ", "), a.URL)
			return exitClean
		}
	}
	var topics []string
	for _, a := range passes.All() {
		topics = append(topics, a.Name)
	}
	for _, r := range analyzer.Rules {
		topics = append(topics, r.Name)
	}
	fmt.Fprintf(errs, "finalock: help %s: no such rule or pass; try one of %s\n", topic, strings.Join(topics, ", "))
	return exitUsage
}
