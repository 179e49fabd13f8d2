package main

import (
	"bufio"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// Verdicts of a labelled case.
const (
	verdictReport = "report"
	verdictClean  = "clean"
	verdictSkip   = "skip"
)

// A labelledCase is one row of a corpus file: a place in a public module
// where finalock must report, or must stay silent.
type labelledCase struct {
	ID         string
	Module     string
	Version    string
	File       string // slash-separated, relative to the module root
	Line       int
	Func       string
	Pass       string // analyzer name
	Rule       string // diagnostic category; "" for any
	Expect     string // verdict under -finalizers=goroutine
	ExpectSync string // verdict under -finalizers=inline
	GOOS       string // "" for linux
	Tags       string // comma-separated build tags
	Chain      string
	Judgment   string
}

// columns are the corpus file's columns; the header row names them, in any
// order.
var columns = []string{"id", "module", "version", "file", "line", "func", "pass", "rule",
	"expect", "expect_sync", "goos", "tags", "chain", "judgment"}

// Package returns the import path of the package that holds the case's file.
func (c *labelledCase) Package() string {
	dir := path.Dir(c.File)
	if dir == "." {
		return c.Module
	}
	return c.Module + "/" + dir
}

// Verdict returns the expected verdict under the given finalizers setting.
func (c *labelledCase) Verdict(setting string) string {
	if setting == settingInline {
		return c.ExpectSync
	}
	return c.Expect
}

// Goos returns the GOOS to analyse the case with.
func (c *labelledCase) Goos() string {
	if c.GOOS == "" {
		return "linux"
	}
	return c.GOOS
}

// parseCorpus reads a corpus file: tab-separated, one header row naming the
// columns, no quoting. Blank lines and lines starting with '#' are ignored.
func parseCorpus(r io.Reader) ([]*labelledCase, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	var index map[string]int
	var cases []*labelledCase
	seen := map[string]int{}
	lineNo := 0
	for sc.Scan() {
		lineNo++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, "\t")
		if index == nil {
			index = map[string]int{}
			for i, f := range fields {
				index[strings.TrimSpace(f)] = i
			}
			for _, c := range columns {
				if _, ok := index[c]; !ok {
					return nil, fmt.Errorf("line %d: header has no %q column", lineNo, c)
				}
			}
			continue
		}
		get := func(col string) string {
			if i := index[col]; i < len(fields) {
				return strings.TrimSpace(fields[i])
			}
			return ""
		}
		c := &labelledCase{
			ID: get("id"), Module: get("module"), Version: get("version"),
			File: get("file"), Func: get("func"), Pass: get("pass"), Rule: get("rule"),
			Expect: get("expect"), ExpectSync: get("expect_sync"),
			GOOS: get("goos"), Tags: get("tags"), Chain: get("chain"), Judgment: get("judgment"),
		}
		n, err := strconv.Atoi(get("line"))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("line %d: case %s: bad line number %q", lineNo, c.ID, get("line"))
		}
		c.Line = n
		switch {
		case c.ID == "":
			return nil, fmt.Errorf("line %d: empty id", lineNo)
		case c.Module == "" || c.Version == "" || c.File == "" || c.Pass == "":
			return nil, fmt.Errorf("line %d: case %s: module, version, file and pass are required", lineNo, c.ID)
		case path.IsAbs(c.File) || strings.HasPrefix(path.Clean(c.File), ".."):
			return nil, fmt.Errorf("line %d: case %s: file %q is not inside the module", lineNo, c.ID, c.File)
		}
		for _, v := range []string{c.Expect, c.ExpectSync} {
			if v != verdictReport && v != verdictClean && v != verdictSkip {
				return nil, fmt.Errorf("line %d: case %s: verdict %q: want report, clean or skip", lineNo, c.ID, v)
			}
		}
		if prev, dup := seen[c.ID]; dup {
			return nil, fmt.Errorf("line %d: case %s already defined on line %d", lineNo, c.ID, prev)
		}
		seen[c.ID] = lineNo
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if index == nil {
		return nil, fmt.Errorf("no header row")
	}
	return cases, nil
}
