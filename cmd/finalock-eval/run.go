package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Finalizer settings, as given to finalock's -finalizers flag.
const (
	settingGoroutine = "goroutine"
	settingInline    = "inline"
)

// settings lists the settings in report order.
var settings = []string{settingGoroutine, settingInline}

// A module is a scratch module that requires one labelled module at one
// version, and where that module's source lies.
type module struct {
	Path, Version string
	Scratch       string // directory of the scratch module
	Dir           string // the module's source directory
	Err           string // first line of the set-up error, if any
}

// A job is one finalock run: a package of a module, with one GOOS, build
// tags and finalizers setting.
type job struct {
	Module, Version, Package, GOOS, Tags, Setting string
}

func (j job) String() string {
	s := fmt.Sprintf("%s@%s %s GOOS=%s", j.Module, j.Version, j.Package, j.GOOS)
	if j.Tags != "" {
		s += " tags=" + j.Tags
	}
	return s + " finalizers=" + j.Setting
}

// A result is the outcome of one job.
type result struct {
	Findings []finding `json:"findings"`
	Errors   []string  `json:"errors,omitempty"` // finalock's error lines
	Err      string    `json:"err,omitempty"`    // why the package was not analysed
	Exit     int       `json:"exit"`
	Seconds  float64   `json:"seconds"`
}

// A runner sets up modules and runs finalock, caching every result on disk
// under its work directory, keyed by the finalock binary's digest and the
// job.
type runner struct {
	finalock string // path of the finalock binary
	digest   string // sha256 of the binary
	work     string
	timeout  time.Duration
	log      io.Writer

	mu      sync.Mutex
	modules map[string]*moduleOnce
}

type moduleOnce struct {
	once sync.Once
	m    *module
}

func newRunner(finalock, work string, timeout time.Duration, log io.Writer) (*runner, error) {
	data, err := os.ReadFile(finalock)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	return &runner{
		finalock: finalock, digest: hex.EncodeToString(sum[:]), work: work,
		timeout: timeout, log: log, modules: map[string]*moduleOnce{},
	}, nil
}

// module returns the scratch module of path@version, setting it up once.
// pkgs are the packages of the module that jobs will analyse: they are
// fetched too, so that their imports outside the module's own requirements
// resolve.
func (r *runner) module(path, version string, pkgs []string) *module {
	key := path + "@" + version
	r.mu.Lock()
	mo := r.modules[key]
	if mo == nil {
		mo = &moduleOnce{}
		r.modules[key] = mo
	}
	r.mu.Unlock()
	mo.once.Do(func() { mo.m = r.setup(path, version, pkgs) })
	return mo.m
}

// setup makes the scratch module: go mod init scratch, go get
// module@version and its packages, then go list -m -json for the source
// directory.
func (r *runner) setup(path, version string, pkgs []string) *module {
	m := &module{Path: path, Version: version}
	m.Scratch = filepath.Join(r.work, "mod", strings.NewReplacer("/", "_", "+", "_").Replace(path+"@"+version))
	if err := os.MkdirAll(m.Scratch, 0o755); err != nil {
		m.Err = err.Error()
		return m
	}
	// A scratch module set up before keeps the module's directory in
	// dir.txt.
	done := filepath.Join(m.Scratch, "dir.txt")
	if data, err := os.ReadFile(done); err == nil {
		if dir := strings.TrimSpace(string(data)); dir != "" {
			if _, err := os.Stat(dir); err == nil {
				m.Dir = dir
				return m
			}
		}
	}
	fmt.Fprintf(r.log, "finalock-eval: setting up %s@%s\n", path, version)
	if _, err := os.Stat(filepath.Join(m.Scratch, "go.mod")); err != nil {
		if _, err := r.gocmd(m.Scratch, nil, "mod", "init", "scratch"); err != nil {
			m.Err = err.Error()
			return m
		}
	}
	if _, err := r.gocmd(m.Scratch, nil, "get", path+"@"+version); err != nil {
		m.Err = err.Error()
		return m
	}
	// Fetching the packages themselves adds the modules they import that
	// the module's go.mod does not require (modules without go.mod).
	// A failure here is not fatal: finalock will name the package that
	// does not load.
	args := []string{"get"}
	for _, p := range pkgs {
		args = append(args, p+"@"+version)
	}
	if _, err := r.gocmd(m.Scratch, nil, args...); err != nil {
		fmt.Fprintf(r.log, "finalock-eval: %s@%s: fetching packages: %v\n", path, version, err)
	}
	out, err := r.gocmd(m.Scratch, nil, "list", "-m", "-json", path)
	if err != nil {
		m.Err = err.Error()
		return m
	}
	var info struct{ Dir string }
	if err := json.Unmarshal(out, &info); err != nil || info.Dir == "" {
		m.Err = fmt.Sprintf("go list -m %s: no source directory", path)
		return m
	}
	m.Dir = info.Dir
	os.WriteFile(done, []byte(m.Dir+"\n"), 0o644)
	return m
}

// gocmd runs the go command in dir and returns its standard output; its
// error carries the first line of standard error.
func (r *runner) gocmd(dir string, env []string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go %s: %s", strings.Join(args, " "), firstLine(stderr.String(), err))
	}
	return stdout.Bytes(), nil
}

// firstLine returns the first non-empty line of s, or err's text.
func firstLine(s string, err error) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// jobEnv returns the environment of a job: GOOS, and the tags appended to
// GOFLAGS.
func jobEnv(j job) []string {
	env := []string{"GOOS=" + j.GOOS}
	if j.Tags != "" {
		flags := strings.TrimSpace(os.Getenv("GOFLAGS") + " -tags=" + j.Tags)
		env = append(env, "GOFLAGS="+flags)
	}
	return env
}

// run analyses one job's package with finalock, or returns the cached
// result.
func (r *runner) run(j job, m *module) *result {
	if m.Err != "" {
		return &result{Err: m.Err, Exit: -1}
	}
	key, _ := json.Marshal([]string{r.digest, j.Module, j.Version, j.Package, j.GOOS, j.Tags, j.Setting})
	sum := sha256.Sum256(key)
	cache := filepath.Join(r.work, "results", hex.EncodeToString(sum[:16])+".json")
	if data, err := os.ReadFile(cache); err == nil {
		var res result
		if json.Unmarshal(data, &res) == nil {
			return &res
		}
	}
	fmt.Fprintf(r.log, "finalock-eval: analysing %s\n", j)
	res := r.analyse(j, m)
	if data, err := json.Marshal(res); err == nil && os.MkdirAll(filepath.Dir(cache), 0o755) == nil {
		// A run that failed is not cached: the next run tries again
		// (after a timeout, or once missing C headers are installed).
		if res.Err == "" {
			os.WriteFile(cache, data, 0o644)
		}
	}
	return res
}

// analyse runs finalock -format=json -test=false on the job's package in
// the scratch module.
func (r *runner) analyse(j job, m *module) *result {
	ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.finalock, "-finalizers="+j.Setting, "-format=json", "-test=false", j.Package)
	cmd.Dir = m.Scratch
	cmd.Env = append(os.Environ(), jobEnv(j)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	res := &result{Seconds: time.Since(start).Seconds()}
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		res.Err, res.Exit = fmt.Sprintf("timed out after %s", r.timeout), -1
		return res
	case errors.As(err, &exit):
		res.Exit = exit.ExitCode()
	case err != nil:
		res.Err, res.Exit = err.Error(), -1
		return res
	}
	for _, l := range strings.Split(stderr.String(), "\n") {
		if strings.HasPrefix(l, "panic: ") || strings.Contains(l, "internal error") {
			res.Err = "crashed: " + l
			return res
		}
		if strings.HasPrefix(l, "finalock: ") {
			res.Errors = append(res.Errors, l)
		}
	}
	if res.Exit != 0 && res.Exit != 1 && res.Exit != 3 {
		res.Err = fmt.Sprintf("exit %d: %s", res.Exit, firstLine(stderr.String(), nil))
		return res
	}
	if err := json.Unmarshal(stdout.Bytes(), &res.Findings); err != nil {
		res.Err = fmt.Sprintf("exit %d, output is not JSON: %s", res.Exit, firstLine(stderr.String(), err))
		return res
	}
	// The package itself did not load: its error line names it.
	for _, l := range res.Errors {
		if strings.HasPrefix(l, "finalock: "+j.Package+": ") {
			res.Err = strings.TrimPrefix(l, "finalock: ")
			break
		}
	}
	if res.Err == "" && res.Exit == 1 && len(res.Errors) > 0 && len(res.Findings) == 0 {
		res.Err = strings.TrimPrefix(res.Errors[0], "finalock: ")
	}
	sort.SliceStable(res.Findings, func(a, b int) bool {
		x, y := res.Findings[a], res.Findings[b]
		if x.File != y.File {
			return x.File < y.File
		}
		return x.Line < y.Line
	})
	return res
}

// buildFinalock builds finalock from the repository at repo into dir.
func buildFinalock(repo, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	out := filepath.Join(dir, "finalock")
	cmd := exec.Command("go", "build", "-o", out, "./cmd/finalock")
	cmd.Dir = repo
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building finalock in %s: %s", repo, firstLine(stderr.String(), err))
	}
	return out, nil
}
