#!/usr/bin/env bash
# Robustness sweep: runs finalock over every package of popular modules at
# pinned versions, and over the programs of the Go distribution's test
# directory, and records crashes, load errors, time, memory and reports.
#
# Usage (from the repository root):
#
#   bench/sweep.sh [setup|modules|vet|determinism|gotest|std|all] [module-path...]
#
#   setup        only make the scratch modules (downloads)
#   modules      finalock -format=json -test=false MODULE/... under
#                -finalizers=goroutine and -finalizers=inline, one scratch
#                module per module, TIMEOUT each, wall time and peak RSS from
#                GNU time; prints a markdown table on stdout
#   vet          go vet -vettool=finalock MODULE/... on $VET_MODULES
#   determinism  runs finalock twice on $DET_MODULES and compares the JSON
#   gotest       finalock -test=false FILE.go on every .go file of
#                $(go env GOROOT)/test (outside *.dir folders), $GOTEST_JOBS
#                at once, $GOTEST_TIMEOUT seconds each
#   std          finalock -format=json -test=true std under both settings,
#                and go vet -vettool=finalock std; compares the findings
#                of go vet with those of the standalone goroutine run
#   all          (default) all of the above
#
# Settings (environment):
#
#   SWEEP_DIR       work directory (default $HOME/.cache/finalock-sweep):
#                   scratch modules, and results/ with the JSON, standard
#                   error and time of every run
#   FINALOCK_BIN    finalock binary (default: go build ./cmd/finalock)
#   TIMEOUT         time limit of one finalock run on a module (default 20m)
#   GOTEST_TIMEOUT  seconds for one file of the test directory (default 60)
#   GOTEST_JOBS     files analysed at once (default 2)
#   GOTEST_ROOT     folder for the gotest step (default $(go env GOROOT)/test)
#   VET_MODULES     modules for the vet step (default: three small ones)
#   DET_MODULES     modules for the determinism step (default: three with
#                   reports; run under -finalizers=inline, which reports most)
#   REUSE           1: keep the results of module runs already made with the
#                   same binary (to resume an interrupted sweep)
#
# Progress goes to standard error, the markdown tables to standard output.
# Each module line gives: packages (go list MODULE/...), for each setting
# wall seconds, peak RSS in MiB, exit status, load errors and reports, and
# the number of runs whose standard error shows a panic or an internal
# error. A run that hits TIMEOUT shows exit 124. The full results stay under
# $SWEEP_DIR/results for reading the reports.
set -euo pipefail

# The modules and their pinned versions.
MODULES=(
	"github.com/lib/pq v1.12.3"
	"github.com/go-sql-driver/mysql v1.10.1"
	"github.com/jackc/pgx/v5 v5.12.0"
	"github.com/mattn/go-sqlite3 v1.14.53"
	"google.golang.org/grpc v1.85.0"
	"github.com/containerd/containerd/v2 v2.4.2"
	"k8s.io/client-go v0.37.2"
	"github.com/prometheus/client_golang v1.25.0"
	"go.etcd.io/etcd/client/v3 v3.7.3"
	"github.com/nats-io/nats-server/v2 v2.15.2"
	"github.com/hashicorp/consul/api v1.34.5" # v1.35.0 needs go1.26.9
	"github.com/redis/go-redis/v9 v9.23.0"
	"go.uber.org/zap v1.28.0"
	"github.com/spf13/cobra v1.10.2"
	"github.com/gorilla/websocket v1.5.3"
	"github.com/fsnotify/fsnotify v1.10.1"
	"github.com/syndtr/goleveldb v1.0.0"
	"github.com/cockroachdb/pebble v1.1.5"
	"github.com/opencontainers/runc v1.5.2"
	"github.com/cilium/ebpf v0.22.0"
	"github.com/docker/docker v28.5.2+incompatible"
	"github.com/caddyserver/caddy/v2 v2.11.9"
)

SWEEP_DIR=${SWEEP_DIR:-$HOME/.cache/finalock-sweep}
TIMEOUT=${TIMEOUT:-20m}
GOTEST_TIMEOUT=${GOTEST_TIMEOUT:-60}
GOTEST_JOBS=${GOTEST_JOBS:-2}
VET_MODULES=${VET_MODULES:-"github.com/lib/pq github.com/syndtr/goleveldb github.com/fsnotify/fsnotify"}
DET_MODULES=${DET_MODULES:-"github.com/syndtr/goleveldb github.com/nats-io/nats-server/v2 github.com/redis/go-redis/v9"}

say() { echo "sweep: $*" >&2; }

case "${1:-all}" in
-h | --help | help)
	sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
	exit 0
	;;
esac

mkdir -p "$SWEEP_DIR/results"
SWEEP_DIR=$(cd "$SWEEP_DIR" && pwd)
if [[ -z "${FINALOCK_BIN:-}" ]]; then
	FINALOCK_BIN=$SWEEP_DIR/finalock
	say "building finalock into $FINALOCK_BIN"
	go build -o "$FINALOCK_BIN" ./cmd/finalock
fi
FINALOCK_BIN=$(cd "$(dirname "$FINALOCK_BIN")" && pwd)/$(basename "$FINALOCK_BIN")
BIN_SUM=$(sha256sum <"$FINALOCK_BIN" | cut -c1-16)
say "finalock binary $FINALOCK_BIN (sha256 $BIN_SUM)"

# version MODULE prints the pinned version of MODULE.
version() {
	local m
	for m in "${MODULES[@]}"; do
		if [[ ${m% *} == "$1" ]]; then
			echo "${m#* }"
			return
		fi
	done
	echo "sweep: $1 is not in the list of modules" >&2
	return 1
}

# slug MODULE names MODULE's files.
slug() { echo "$1" | tr '/+' '__'; }

# scratch MODULE VERSION makes (once) a scratch module requiring
# MODULE@VERSION and the modules its packages import, lists MODULE's
# packages in pkgs.txt, and prints the scratch module's directory.
scratch() {
	local dir
	dir=$SWEEP_DIR/mod/$(slug "$1")@$2
	if [[ ! -f $dir/pkgs.txt ]]; then
		mkdir -p "$dir"
		(
			cd "$dir"
			[[ -f go.mod ]] || go mod init scratch >/dev/null 2>&1 || exit 1
			go get "$1@$2" >&2 || exit 1
			# The module's own packages (not those of nested modules).
			go list -e -f '{{if .Module}}{{if eq .Module.Path "'"$1"'"}}{{.ImportPath}}{{end}}{{end}}' "$1/..." 2>/dev/null |
				grep . >pkgs.tmp || exit 1
			# Getting the packages adds the modules they import beyond the
			# module's own requirements (modules without go.mod). When that
			# fails as a whole, try package by package; what still fails
			# shows up as load errors.
			local mdir
			mdir=$(go list -m -f '{{.Dir}}' "$1")
			if [[ $2 == *+incompatible && -f $mdir/vendor.mod ]]; then
				# No go.mod: the requirements the module is built with are
				# in vendor.mod. Without them its imports resolve to the
				# latest versions, which need not have the same API.
				{
					printf 'module scratch\n\ngo %s\n\nrequire %s %s\n\n' "$(go env GOVERSION | sed 's/^go//')" "$1" "$2"
					sed -n '/^require (/,$p' "$mdir/vendor.mod"
				} >go.mod
				{
					printf '//go:build tools\n\npackage scratch\n\nimport (\n'
					sed 's/.*/\t_ "&"/' pkgs.tmp
					printf ')\n'
				} >deps.go
				go mod tidy -e >/dev/null 2>&1 || true
			elif ! mapfile -t pv < <(sed "s/\$/@$2/" pkgs.tmp) || ! go get "${pv[@]}" >/dev/null 2>&1; then
				while read -r p; do go get "$p@$2" >/dev/null 2>&1 || true; done <pkgs.tmp
			fi
			mv pkgs.tmp pkgs.txt
		) || return 1
	fi
	echo "$dir"
}

# analyse MODULE VERSION SETTING OUT runs finalock on MODULE/... with
# SETTING into OUT.{json,err,time,exit}.
analyse() {
	local m=$1 v=$2 setting=$3 out=$4 dir rc=0
	if [[ ${REUSE:-0} == 1 && -f $out.exit && -f $out.bin && $(cat "$out.bin") == "$BIN_SUM" ]]; then
		say "reusing $out"
		return
	fi
	dir=$(scratch "$m" "$v") || {
		echo "scratch module failed" >"$out.err"
		echo 1 >"$out.exit"
		return
	}
	say "finalock -finalizers=$setting $m/... ($v, $(wc -l <"$dir/pkgs.txt") packages)"
	(cd "$dir" && mapfile -t pkgs <pkgs.txt && /usr/bin/time -f '%e %M' -o "$out.time" \
		timeout "$TIMEOUT" "$FINALOCK_BIN" -finalizers="$setting" -format=json -test=false "${pkgs[@]}" \
		>"$out.json" 2>"$out.err") || rc=$?
	echo "$rc" >"$out.exit"
	echo "$BIN_SUM" >"$out.bin"
}

# count_reports FILE prints the number of findings in a JSON report.
count_reports() {
	if [[ -s $1 ]]; then
		grep -c '"analyzer":' "$1" || true
	else
		echo 0
	fi
}

# panics FILE prints 1 when a standard error file shows a crash.
panics() { grep -qE '^panic: |^goroutine [0-9]+ \[|internal error' "$1" && echo 1 || echo 0; }

cmd_modules() {
	local list=("$@") m v s out dir npk cells rss
	if [[ ${#list[@]} -eq 0 ]]; then
		for m in "${MODULES[@]}"; do list+=("${m% *}"); done
	fi
	echo "| module | version | packages | goroutine: s / MiB / exit / load errors / reports | inline: s / MiB / exit / load errors / reports | panics |"
	echo "| --- | --- | --: | --- | --- | --: |"
	for m in "${list[@]}"; do
		v=$(version "$m")
		out=$SWEEP_DIR/results/$(slug "$m")
		npk="?"
		if dir=$(scratch "$m" "$v"); then
			npk=$(wc -l <"$dir/pkgs.txt")
		fi
		cells=""
		local crashed=0
		for s in goroutine inline; do
			analyse "$m" "$v" "$s" "$out.$s"
			# GNU time puts "Command exited with non-zero status N" first.
			read -r secs rss < <(tail -n 1 "$out.$s.time" 2>/dev/null) || true
			[[ $rss =~ ^[0-9]+$ ]] || { secs="?"; rss=0; }
			cells+="| $secs / $((rss / 1024)) / $(cat "$out.$s.exit") / $(grep -c '^finalock: ' "$out.$s.err" || true) / $(count_reports "$out.$s.json") "
			crashed=$((crashed + $(panics "$out.$s.err")))
		done
		echo "| $m | $v | $npk $cells| $crashed |"
	done
}

cmd_vet() {
	local m v dir rc
	echo "| module | go vet -vettool exit | wall s | peak MiB | diagnostics | standalone reports (goroutine) |"
	echo "| --- | --: | --: | --: | --: | --: |"
	for m in $VET_MODULES; do
		v=$(version "$m")
		dir=$(scratch "$m" "$v")
		local out
		out=$SWEEP_DIR/results/$(slug "$m").vet
		say "go vet -vettool=finalock $m/..."
		rc=0
		(cd "$dir" && mapfile -t pkgs <pkgs.txt && /usr/bin/time -f '%e %M' -o "$out.time" \
			timeout "$TIMEOUT" go vet -vettool="$FINALOCK_BIN" "${pkgs[@]}" >"$out.out" 2>"$out.err") || rc=$?
		read -r secs rss < <(tail -n 1 "$out.time") || true
		[[ $rss =~ ^[0-9]+$ ]] || { secs="?"; rss=0; }
		# vet prints one "# pkg" header per package with findings, then
		# one line per diagnostic and one per piece of related information.
		local n
		n=$(findings_of "$out.err" | wc -l)
		local std
		std=$SWEEP_DIR/results/$(slug "$m").goroutine.json
		echo "| $m | $rc | $secs | $((rss / 1024)) | $n | $(count_reports "$std") |"
	done
}

cmd_determinism() {
	local m v dir
	echo "| module | reports | run 1 sha256 | run 2 sha256 | identical |"
	echo "| --- | --: | --- | --- | --- |"
	for m in $DET_MODULES; do
		v=$(version "$m")
		local a b
		a=$SWEEP_DIR/results/$(slug "$m").det1
		b=$SWEEP_DIR/results/$(slug "$m").det2
		rm -f "$a.exit" "$b.exit"
		analyse "$m" "$v" inline "$a"
		analyse "$m" "$v" inline "$b"
		local ha hb
		ha=$(sha256sum <"$a.json" | cut -c1-16)
		hb=$(sha256sum <"$b.json" | cut -c1-16)
		echo "| $m | $(count_reports "$a.json") | $ha | $hb | $([[ $ha == "$hb" ]] && echo yes || echo NO) |"
	done
}

# gotest_one FILE analyses one file of the test directory and prints
# "STATUS FILE": ok, findings, notypecheck (a load error), timeout, panic,
# or exitN.
gotest_one() {
	local f=$1 rc=0 err
	err=$(mktemp)
	(cd "$(dirname "$f")" && timeout "$GOTEST_TIMEOUT" "$FINALOCK_BIN" -test=false -format=json "$(basename "$f")" >/dev/null 2>"$err") || rc=$?
	local status
	if grep -qE '^panic: |^goroutine [0-9]+ \[|internal error' "$err"; then
		status=panic
		cp "$err" "$SWEEP_DIR/results/gotest.panic.$(echo "$f" | tr '/' '_')"
	elif [[ $rc == 124 ]]; then
		status=timeout
	elif [[ $rc == 0 ]]; then
		status=ok
	elif [[ $rc == 3 ]]; then
		status=findings
	elif [[ $rc == 1 ]]; then
		status=notypecheck
	else
		status=exit$rc
	fi
	rm -f "$err"
	echo "$status $f"
}

cmd_gotest() {
	local root list
	root=${GOTEST_ROOT:-$(go env GOROOT)/test}
	list=$SWEEP_DIR/results/gotest.status
	export -f gotest_one
	export FINALOCK_BIN GOTEST_TIMEOUT SWEEP_DIR
	say "finalock on each file of $root ($GOTEST_JOBS at once)"
	local start=$SECONDS
	# GOPATH mode: the files import only the standard library, and a file
	# outside any module loads as command-line-arguments either way.
	# shellcheck disable=SC2016 # the inner bash expands $1
	find "$root" -name '*.go' -not -path '*.dir/*' | sort |
		GO111MODULE=off GOFLAGS='' xargs -P "$GOTEST_JOBS" -I{} bash -c 'gotest_one "$1"' _ {} >"$list"
	local wall=$((SECONDS - start))
	echo "| files | analysed (type-check) | with findings | do not type-check | timeouts | panics | other exits | wall s |"
	echo "| --: | --: | --: | --: | --: | --: | --: | --: |"
	c() { grep -c "^$1 " "$list" || true; }
	echo "| $(wc -l <"$list") | $(($(c ok) + $(c findings))) | $(c findings) | $(c notypecheck) | $(c timeout) | $(c panic) | $(grep -c '^exit' "$list" || true) | $wall |"
}

# findings_of prints the findings of a JSON report or of go vet's output,
# one "file.go:line: message" per line (base names, no column), sorted.
findings_of() {
	if [[ $1 == *.json ]]; then
		jq -r '.[] | "\(.file | split("/") | last):\(.line): \(.message) (\(.analyzer)/\(.category))"' "$1"
	else
		# go vet ends each finding with its rule, and prints related
		# information on lines of their own, indented by a tab.
		# A run without findings matches nothing: not an error.
		{ grep -E '^[^#].*\.go:[0-9]+:[0-9]+: ' "$1" || true; } | { grep -v -P '\.go:[0-9]+:[0-9]+: \t' || true; } |
			sed -E 's|^([^:]*/)?([^/:]+\.go):([0-9]+):[0-9]+: |\2:\3: |'
	fi | sort -u
}

# cmd_std runs finalock over the standard library, tests included:
# standalone under both settings, and under go vet -vettool.
cmd_std() {
	local out=$SWEEP_DIR/results/std s rc secs rss work
	work=$(mktemp -d)
	echo "| driver | setting | wall s | peak MiB | exit | load errors | reports | panics |"
	echo "| --- | --- | --: | --: | --: | --: | --: | --: |"
	for s in goroutine inline; do
		say "finalock -finalizers=$s std"
		rc=0
		(cd "$work" && GOFLAGS='' /usr/bin/time -f '%e %M' -o "$out.$s.time" \
			timeout "$TIMEOUT" "$FINALOCK_BIN" -finalizers="$s" -format=json -test=true std \
			>"$out.$s.json" 2>"$out.$s.err") || rc=$?
		read -r secs rss < <(tail -n 1 "$out.$s.time") || true
		[[ $rss =~ ^[0-9]+$ ]] || { secs="?"; rss=0; }
		echo "| standalone | $s | $secs | $((rss / 1024)) | $rc | $(grep -c '^finalock: ' "$out.$s.err" || true) | $(count_reports "$out.$s.json") | $(panics "$out.$s.err") |"
	done
	say "go vet -vettool=finalock std"
	rc=0
	(cd "$work" && GOFLAGS='' /usr/bin/time -f '%e %M' -o "$out.vet.time" \
		timeout "$TIMEOUT" go vet -vettool="$FINALOCK_BIN" std >"$out.vet.out" 2>"$out.vet.err") || rc=$?
	read -r secs rss < <(tail -n 1 "$out.vet.time") || true
	[[ $rss =~ ^[0-9]+$ ]] || { secs="?"; rss=0; }
	echo "| go vet -vettool | goroutine | $secs | $((rss / 1024)) | $rc | – | $(findings_of "$out.vet.err" | wc -l) | $(panics "$out.vet.err") |"
	rmdir "$work" 2>/dev/null || true
	echo
	if diff <(findings_of "$out.goroutine.json") <(findings_of "$out.vet.err") >"$out.diff"; then
		echo "go vet and the standalone run (goroutine) print the same findings."
	else
		echo "go vet and the standalone run (goroutine) differ: see $out.diff."
	fi
}

cmd_setup() {
	local m
	for m in "${MODULES[@]}"; do
		say "setting up ${m% *}@${m#* }"
		scratch "${m% *}" "${m#* }" >/dev/null || say "${m% *}: set-up failed"
	done
}

what=${1:-all}
[[ $# -gt 0 ]] && shift
case $what in
setup) cmd_setup ;;
modules) cmd_modules "$@" ;;
vet) cmd_vet ;;
determinism) cmd_determinism ;;
gotest) cmd_gotest ;;
std) cmd_std ;;
all)
	cmd_modules "$@"
	echo
	cmd_vet
	echo
	cmd_determinism
	echo
	cmd_gotest
	echo
	cmd_std
	;;
*)
	echo "usage: bench/sweep.sh [setup|modules|vet|determinism|gotest|std|all] [module...]" >&2
	exit 2
	;;
esac
