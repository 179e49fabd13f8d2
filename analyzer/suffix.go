package analyzer

import "strings"

// RuleID names a rule together with the pass that reports it, as every
// finding's message ends and as a //finalock:ignore directive may name
// it: "lockinfinalizer/lock".
func RuleID(pass, rule string) string {
	if rule == "" {
		return pass
	}
	return pass + "/" + rule
}

// RuleSuffix is the text that ends every finding's message, the way
// staticcheck ends a line with its check id: " (lockinfinalizer/lock)".
// Ignores appends it; no pass composes it itself.
func RuleSuffix(pass, rule string) string {
	return " (" + RuleID(pass, rule) + ")"
}

// CutRuleSuffix returns msg without the suffix RuleSuffix appended to it,
// the pass and the rule the suffix named, and whether msg had one. A
// position in parentheses, as a witness ends with ("(t.go:40)"), is no
// suffix.
func CutRuleSuffix(msg string) (rest, pass, rule string, ok bool) {
	if !strings.HasSuffix(msg, ")") {
		return msg, "", "", false
	}
	open := strings.LastIndex(msg, " (")
	if open < 0 {
		return msg, "", "", false
	}
	id := msg[open+2 : len(msg)-1]
	pass, rule, _ = strings.Cut(id, "/")
	if !isPass(pass) || (rule != "" && !isName(rule)) {
		return msg, "", "", false
	}
	return msg[:open], pass, rule, true
}

// isName reports whether s can name a pass or a rule: lower-case letters
// and digits.
func isName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// isPass reports whether some rule of Rules belongs to the pass called
// name.
func isPass(name string) bool {
	for _, r := range Rules {
		if r.Pass != "" && r.Pass == name {
			return true
		}
	}
	return false
}
