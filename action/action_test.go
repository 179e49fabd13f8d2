// Package action_test runs the GitHub Action of action.yml the way a
// workflow does, in a module that is not finalock's, and checks that the
// README's CI recipes agree with it.
package action_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// root is the root of this repository: the action's checkout.
var root = filepath.Join("..")

// scratchModule is a module of a user of the action, with one finding.
var scratchModule = map[string]string{
	"go.mod": "module example.com/scratch\n\ngo 1.26\n",
	"queue/queue.go": `package queue

import "runtime"

// Q is a queue whose finalizer sends on an unbuffered channel.
type Q struct{ c chan int }

// New returns a queue.
func New() *Q {
	q := &Q{c: make(chan int)}
	runtime.SetFinalizer(q, func(q *Q) { q.c <- 1 })
	return q
}
`,
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// goEnv returns the go command's settings that must survive a change of
// HOME: the module and build caches.
func goEnv(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOPATH", "GOMODCACHE", "GOCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	v := strings.Split(strings.TrimSpace(string(out)), "\n")
	return []string{"GOPATH=" + v[0], "GOMODCACHE=" + v[1], "GOCACHE=" + v[2], "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off"}
}

// bash runs script in dir with the environment plus env, and returns its
// output and exit code.
func bash(t *testing.T, dir, script string, env ...string) (string, int) {
	t.Helper()
	cmd := exec.Command("bash", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), goEnv(t)...), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return out.String(), exit.ExitCode()
	case err != nil:
		t.Fatalf("bash: %v", err)
	}
	return out.String(), 0
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// inputs returns the names of the inputs that action.yml declares.
func inputs(t *testing.T) []string {
	t.Helper()
	yml := readFile(t, "action.yml")
	_, rest, ok := strings.Cut(yml, "\ninputs:\n")
	if !ok {
		t.Fatal("action.yml declares no inputs")
	}
	block, _, _ := strings.Cut(rest, "\noutputs:\n")
	var names []string
	for _, m := range regexp.MustCompile(`(?m)^  ([a-z-]+):$`).FindAllStringSubmatch(block, -1) {
		names = append(names, m[1])
	}
	return names
}

// TestActionInputs checks that action.yml hands every input that run.sh
// reads to it, and that the README's example and table name exactly the
// declared inputs.
func TestActionInputs(t *testing.T) {
	yml := readFile(t, "action.yml")
	names := inputs(t)
	if len(names) < 5 {
		t.Fatalf("action.yml: inputs %v", names)
	}
	for _, name := range names {
		switch name {
		case "upload-sarif", "working-directory":
			if !strings.Contains(yml, "inputs."+name) {
				t.Errorf("action.yml does not use the input %s", name)
			}
		default:
			env := "INPUT_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
			if !strings.Contains(yml, env+": ${{ inputs."+name+" }}") {
				t.Errorf("action.yml does not pass the input %s to run.sh as %s", name, env)
			}
			if !strings.Contains(readFile(t, "action/run.sh"), env) {
				t.Errorf("action/run.sh does not read %s", env)
			}
		}
	}
	for _, script := range []string{"action/build.sh", "action/run.sh"} {
		if !strings.Contains(yml, `"$GITHUB_ACTION_PATH/`+script+`"`) {
			t.Errorf("action.yml does not run %s", script)
		}
	}

	readme := readFile(t, "README.md")
	_, example, ok := strings.Cut(readme, "  - uses: finalock/finalock@")
	if !ok {
		t.Fatal("the README has no workflow step that uses the action")
	}
	example, _, _ = strings.Cut(example, "```")
	with := regexp.MustCompile(`(?m)^      ([a-z-]+):`).FindAllStringSubmatch(example, -1)
	if len(with) == 0 {
		t.Error("the README's example of the action gives no inputs")
	}
	for _, m := range with {
		if !slices.Contains(names, m[1]) {
			t.Errorf("the README's example gives the input %s, which action.yml does not declare", m[1])
		}
	}
	for _, name := range names {
		if !strings.Contains(readme, "| `"+name+"` |") {
			t.Errorf("the README's table of inputs does not list %s", name)
		}
	}
}

// TestAction builds finalock as the action does and runs it with each
// format in a scratch module that is not finalock's.
func TestAction(t *testing.T) {
	if testing.Short() {
		t.Skip("builds finalock and runs it")
	}
	actionPath, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	runner := t.TempDir()
	module := t.TempDir()
	writeFiles(t, module, scratchModule)
	env := []string{"GITHUB_ACTION_PATH=" + actionPath, "RUNNER_TEMP=" + runner}
	if out, code := bash(t, module, `"$GITHUB_ACTION_PATH/action/build.sh"`, env...); code != 0 {
		t.Fatalf("build.sh: exit %d\n%s", code, out)
	}
	runAction := func(inputs ...string) (string, int, string) {
		t.Helper()
		output := filepath.Join(t.TempDir(), "output")
		out, code := bash(t, module, `"$GITHUB_ACTION_PATH/action/run.sh"`, append(append(env, "GITHUB_OUTPUT="+output), inputs...)...)
		data, _ := os.ReadFile(output)
		return out, code, string(data)
	}

	out, code, _ := runAction("INPUT_PACKAGES=./...", "INPUT_FORMAT=text", "INPUT_FINALIZERS=goroutine")
	if code != 3 || !strings.Contains(out, "queue/queue.go:11:22: finalizer New.func1 can wait without bound") || !strings.Contains(out, "(lockinfinalizer/blocking)") {
		t.Errorf("format text: exit %d, want 3 and the finding\n%s", code, out)
	}

	out, code, output := runAction("INPUT_FORMAT=sarif")
	report := filepath.Join(module, "finalock.sarif")
	if code != 0 || output != "report="+report+"\n" {
		t.Errorf("format sarif: exit %d, output %q\n%s", code, output, out)
	}
	var log struct {
		Runs []struct {
			Results []struct{ RuleID string }
		}
	}
	if data, err := os.ReadFile(report); err != nil || json.Unmarshal(data, &log) != nil || len(log.Runs) != 1 || len(log.Runs[0].Results) != 1 || log.Runs[0].Results[0].RuleID != "blocking" {
		t.Errorf("format sarif: %s does not hold the one blocking finding (%v)", report, err)
	}

	if out, code := bash(t, module, `"$RUNNER_TEMP/finalock" -write-baseline=finalock.baseline ./...`, env...); code != 0 {
		t.Fatalf("-write-baseline: exit %d\n%s", code, out)
	}
	if out, code, _ := runAction("INPUT_BASELINE=finalock.baseline"); code != 0 {
		t.Errorf("with the baseline: exit %d, want 0\n%s", code, out)
	}
	if out, code, _ := runAction("INPUT_FLAGS=-test=false -forkafterthreads", "INPUT_PACKAGES=./queue"); code != 0 {
		t.Errorf("flags -forkafterthreads: exit %d, want 0 (no fork findings)\n%s", code, out)
	}
	if out, code, _ := runAction("INPUT_FORMAT=xml"); code != 2 || !strings.Contains(out, "not \"xml\"") {
		t.Errorf("format xml: exit %d, want 2\n%s", code, out)
	}
	writeFiles(t, module, map[string]string{"broken/broken.go": "package broken\n\nvar x int = \"x\"\n"})
	if out, code, _ := runAction("INPUT_FORMAT=sarif"); code != 1 {
		t.Errorf("format sarif with a package that does not type-check: exit %d, want 1\n%s", code, out)
	}
}

// TestREADMEAnyCI runs the README's recipe for other CI systems in a
// scratch module, with this checkout in place of the clone: finalock is
// built inside its own module, then go vet uses it.
func TestREADMEAnyCI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds finalock and runs go vet")
	}
	readme := readFile(t, "README.md")
	_, recipe, ok := strings.Cut(readme, "**Any CI**")
	if !ok {
		t.Fatal("the README has no recipe for other CI systems")
	}
	_, recipe, _ = strings.Cut(recipe, "```sh\n")
	recipe, _, _ = strings.Cut(recipe, "```")
	lines := strings.Split(strings.TrimSpace(recipe), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "git clone ") {
		t.Fatalf("the recipe is not a clone, a build and a go vet:\n%s", recipe)
	}
	home := t.TempDir()
	actionPath, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	clone := lines[0][strings.LastIndex(lines[0], " ")+1:]
	script := "set -e\nln -s " + actionPath + " " + clone + "\n" + strings.Join(lines[1:], "\n") + "\n"
	module := t.TempDir()
	writeFiles(t, module, scratchModule)
	out, code := bash(t, module, script, "HOME="+home)
	if code != 1 || !strings.Contains(out, "queue/queue.go:11:22: finalizer New.func1 can wait without bound") || !strings.Contains(out, "(lockinfinalizer/blocking)") {
		t.Errorf("the recipe: exit %d, want 1 (go vet found the finding)\n%s", code, out)
	}
}
