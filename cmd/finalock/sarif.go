package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/finalock/finalock/analyzer"
	"github.com/finalock/finalock/docs"
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
	Invocations        []sarifInvocation           `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult               `json:"results"`
}

// A sarifInvocation is the run of finalock: successful when every package
// was analysed, with a notification for each that was not.
type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	Version         string      `json:"version"`
	SemanticVersion string      `json:"semanticVersion"`
	InformationURI  string      `json:"informationUri"`
	Rules           []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	ShortDescription     sarifText         `json:"shortDescription"`
	Help                 sarifHelp         `json:"help"`
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

// sarifHelp is a rule's documentation, as plain text and as Markdown.
type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	CodeFlows           []sarifCodeFlow   `json:"codeFlows,omitempty"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	Fixes               []sarifFix        `json:"fixes,omitempty"`
}

// A sarifFix is a finding's suggested fix, as the edits it makes to each
// file.
type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLoc   `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion `json:"deletedRegion"`
	InsertedContent *sarifText  `json:"insertedContent,omitempty"`
}

type sarifLocation struct {
	ID               int            `json:"id,omitempty"`
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
	StartLine   int  `json:"startLine"`
	StartColumn int  `json:"startColumn,omitempty"`
	EndLine     int  `json:"endLine,omitempty"`
	EndColumn   int  `json:"endColumn,omitempty"`
	ByteOffset  *int `json:"byteOffset,omitempty"`
	ByteLength  *int `json:"byteLength,omitempty"`
}

type sarifCodeFlow struct {
	ThreadFlows []sarifThreadFlow `json:"threadFlows"`
}

type sarifThreadFlow struct {
	Message   *sarifText          `json:"message,omitempty"`
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

// writeSARIF writes the report as one SARIF run. File URIs are relative
// to the repository that holds the main module (the module's directory
// when none does), as code scanning resolves them; each finding's witness
// chain is a code flow whose hops point at their files where they can be
// resolved, and each package that was not analysed is a notification.
func (r *report) writeSARIF(w io.Writer) error {
	root := repositoryRoot(r.moduleRoot)
	rules, index := sarifRules()
	v, semver := version()
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{Name: "finalock", Version: v, SemanticVersion: semver, InformationURI: homepage, Rules: rules}},
		Invocations: []sarifInvocation{{
			ExecutionSuccessful:        len(r.failures) == 0,
			ToolExecutionNotifications: notifications(r.failures, r.cwd, root),
		}},
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
			Fixes:               sarifFixes(f.Fixes, root),
		}
		if flow := codeFlow(f, primary, root); flow != nil {
			res.CodeFlows = []sarifCodeFlow{*flow}
		}
		res.RelatedLocations = relatedLocations(f, root)
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
		doc, _ := docs.Section(docs.Rules, r.Name)
		rules = append(rules, sarifRule{
			ID:                   r.Name,
			ShortDescription:     sarifText{Text: r.Summary},
			Help:                 sarifHelp{Text: r.Summary + ".\n\n" + doc, Markdown: doc},
			HelpURI:              docs.RulesURL + "#" + docs.Anchor(r.Name),
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

// fingerprint identifies a finding across edits that move it and across
// rewordings of its message: the rule, the file, and the pass's identity
// of the finding (its root and lock or operation), or, for a pass that
// gives none, the message without line numbers.
func fingerprint(f finding, root string) string {
	id := f.key
	if id == "" {
		id = positionsRE.ReplaceAllString(f.Message, ".go")
	}
	h := sha256.New()
	for _, s := range []string{f.Category, artifact(f.File, root).URI, id} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// codeFlow turns the flows of a finding into thread flows: the witness
// (the root first, then one location per step), then the holder's path
// and the other evidence.
func codeFlow(f finding, primary sarifLocation, root string) *sarifCodeFlow {
	var threads []sarifThreadFlow
	for i, fl := range f.flows {
		var locs []sarifFlowLocation
		for j, s := range fl.Steps {
			loc := sarifLocation{Message: &sarifText{Text: s.String()}}
			switch {
			case i == 0 && j == 0:
				loc.PhysicalLocation = primary.PhysicalLocation
			default:
				loc.PhysicalLocation = f.stepLocation(s, root)
			}
			locs = append(locs, sarifFlowLocation{Location: loc})
		}
		if len(locs) > 0 {
			threads = append(threads, sarifThreadFlow{Message: &sarifText{Text: fl.Message}, Locations: locs})
		}
	}
	if len(threads) == 0 || (len(threads) == 1 && len(threads[0].Locations) < 2) {
		return nil
	}
	return &sarifCodeFlow{ThreadFlows: threads}
}

// relatedLocations returns the start of each piece of evidence of a
// finding, with what it shows.
func relatedLocations(f finding, root string) []sarifLocation {
	var out []sarifLocation
	for _, fl := range f.flows {
		if !fl.Related || len(fl.Steps) == 0 {
			continue
		}
		loc := sarifLocation{ID: len(out) + 1, Message: &sarifText{Text: fl.Message}, PhysicalLocation: f.stepLocation(fl.Steps[0], root)}
		out = append(out, loc)
	}
	return out
}

// stepLocation resolves a step's file among the files of the finding's
// package and its dependencies, or returns nil.
func (f finding) stepLocation(s analyzer.Step, root string) *sarifPhysical {
	if s.File == "" {
		return nil
	}
	file := f.resolve(s.File)
	if file == "" {
		return nil
	}
	return &sarifPhysical{ArtifactLocation: artifact(file, root), Region: &sarifRegion{StartLine: s.Line}}
}

// repositoryRoot returns the directory of the repository that holds dir:
// the nearest directory from dir up that has a .git (a directory, or a
// file in a worktree). Without one it returns dir.
func repositoryRoot(dir string) string {
	if dir == "" {
		return ""
	}
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

// notifications describes the packages that were not analysed, each at
// the position of its error when it has one. Positions of load errors are
// relative to cwd.
func notifications(failures []failure, cwd, root string) []sarifNotification {
	var ns []sarifNotification
	for _, f := range failures {
		n := sarifNotification{Level: "error", Message: sarifText{Text: f.String()}}
		if f.File != "" {
			file := f.File
			if !filepath.IsAbs(file) {
				file = filepath.Join(cwd, file)
			}
			phys := &sarifPhysical{ArtifactLocation: artifact(file, root)}
			if f.Line > 0 {
				phys.Region = &sarifRegion{StartLine: f.Line, StartColumn: f.Column}
			}
			n.Locations = []sarifLocation{{PhysicalLocation: phys}}
		}
		ns = append(ns, n)
	}
	return ns
}

// sarifFixes turns a finding's fixes into SARIF fixes: for each file the
// regions to replace, by line and column and by byte offset.
func sarifFixes(fixes []fix, root string) []sarifFix {
	var out []sarifFix
	for _, fx := range fixes {
		sf := sarifFix{Description: sarifText{Text: fx.Message}}
		byFile := map[string][]sarifReplacement{}
		var files []string
		for _, e := range fx.Edits {
			offset, length := e.Start.Offset, e.End.Offset-e.Start.Offset
			rep := sarifReplacement{DeletedRegion: sarifRegion{
				StartLine: e.Start.Line, StartColumn: e.Start.Column,
				EndLine: e.End.Line, EndColumn: e.End.Column,
				ByteOffset: &offset, ByteLength: &length,
			}}
			if e.New != "" {
				rep.InsertedContent = &sarifText{Text: e.New}
			}
			if _, ok := byFile[e.File]; !ok {
				files = append(files, e.File)
			}
			byFile[e.File] = append(byFile[e.File], rep)
		}
		for _, file := range files {
			sf.ArtifactChanges = append(sf.ArtifactChanges, sarifArtifactChange{ArtifactLocation: artifact(file, root), Replacements: byFile[file]})
		}
		out = append(out, sf)
	}
	return out
}
