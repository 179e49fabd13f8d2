package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/finalock/finalock/analyzer"
)

// SARIF 2.1.0, the subset finalock writes (GitHub code scanning reads it).
// Small typed structs keep the output exact and the dependencies few.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult               `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	ShortDescription     sarifText         `json:"shortDescription"`
	Help                 sarifText         `json:"help"`
	HelpURI              string            `json:"helpUri"`
	DefaultConfiguration sarifConfig       `json:"defaultConfiguration"`
	Properties           map[string]string `json:"properties,omitempty"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	CodeFlows           []sarifCodeFlow   `json:"codeFlows,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	Message          *sarifText     `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           *sarifRegion     `json:"region,omitempty"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifCodeFlow struct {
	ThreadFlows []sarifThreadFlow `json:"threadFlows"`
}

type sarifThreadFlow struct {
	Locations []sarifFlowLocation `json:"locations"`
}

type sarifFlowLocation struct {
	Location sarifLocation `json:"location"`
}

const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	srcRoot      = "SRCROOT"
	homepage     = "https://github.com/finalock/finalock"
	fingerprintV = "finalock/v1"
)

// writeSARIF writes the report as one SARIF run. File URIs are relative to
// the main module's directory; each finding's witness chain is a code flow
// whose hops point at their files where they can be resolved.
func (r *report) writeSARIF(w io.Writer) error {
	root := r.moduleRoot
	rules, index := sarifRules()
	run := sarifRun{
		Tool:    sarifTool{Driver: sarifDriver{Name: "finalock", InformationURI: homepage, Rules: rules}},
		Results: []sarifResult{},
	}
	if root != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{srcRoot: {URI: fileURI(root) + "/"}}
	}
	for _, f := range r.findings {
		i, ok := index[f.Category]
		if !ok {
			continue
		}
		primary := sarifLocation{PhysicalLocation: &sarifPhysical{
			ArtifactLocation: artifact(f.File, root),
			Region:           &sarifRegion{StartLine: f.Line, StartColumn: f.Column, EndLine: f.EndLine, EndColumn: f.EndColumn},
		}}
		res := sarifResult{
			RuleID: f.Category, RuleIndex: i, Level: "warning",
			Message:             sarifText{Text: f.Message},
			Locations:           []sarifLocation{primary},
			PartialFingerprints: map[string]string{fingerprintV: fingerprint(f, root)},
		}
		if flow := codeFlow(f, primary, root); flow != nil {
			res.CodeFlows = []sarifCodeFlow{*flow}
		}
		run.Results = append(run.Results, res)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

// sarifRules describes every rule of the suite, and indexes them by id.
func sarifRules() ([]sarifRule, map[string]int) {
	var rules []sarifRule
	index := map[string]int{}
	for _, r := range analyzer.Rules {
		index[r.Name] = len(rules)
		props := map[string]string{}
		if r.Pass != "" {
			props["pass"] = r.Pass
		}
		rules = append(rules, sarifRule{
			ID:                   r.Name,
			ShortDescription:     sarifText{Text: r.Summary},
			Help:                 sarifText{Text: r.Summary + ". See " + homepage + "#" + r.Name + " for examples and the fix."},
			HelpURI:              homepage + "#" + r.Name,
			DefaultConfiguration: sarifConfig{Level: "warning"},
			Properties:           props,
		})
	}
	return rules, index
}

// artifact names a file relative to root when it is inside it.
func artifact(file, root string) sarifArtifactLoc {
	if root != "" {
		if rel, err := filepath.Rel(root, file); err == nil && !strings.HasPrefix(rel, "..") {
			return sarifArtifactLoc{URI: (&url.URL{Path: filepath.ToSlash(rel)}).String(), URIBaseID: srcRoot}
		}
	}
	return sarifArtifactLoc{URI: fileURI(file)}
}

func fileURI(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

// positionsRE matches the positions inside messages, which move when
// unrelated lines are edited.
var positionsRE = regexp.MustCompile(`\.go:\d+`)

// fingerprint identifies a finding across edits that move it: the rule,
// the file, and the message without line numbers.
func fingerprint(f finding, root string) string {
	h := sha256.New()
	for _, s := range []string{f.Category, artifact(f.File, root).URI, positionsRE.ReplaceAllString(f.Message, ".go")} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// hopRE splits a witness hop "name (file.go:line)".
var hopRE = regexp.MustCompile(`^(.*) \(([^()\s]+\.go):(\d+)\)$`)

// codeFlow turns the witness chain that ends the message into a thread
// flow: the root first, then one location per hop.
func codeFlow(f finding, primary sarifLocation, root string) *sarifCodeFlow {
	if len(f.Chain) < 2 {
		return nil
	}
	var locs []sarifFlowLocation
	for i, h := range f.Chain {
		loc := sarifLocation{Message: &sarifText{Text: h}}
		if i == 0 {
			loc.PhysicalLocation = primary.PhysicalLocation
		} else if m := hopRE.FindStringSubmatch(h); m != nil {
			if file := f.resolve(m[2]); file != "" {
				line, _ := strconv.Atoi(m[3])
				loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: artifact(file, root), Region: &sarifRegion{StartLine: line}}
			}
		}
		locs = append(locs, sarifFlowLocation{Location: loc})
	}
	return &sarifCodeFlow{ThreadFlows: []sarifThreadFlow{{Locations: locs}}}
}
