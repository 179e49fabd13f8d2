#!/usr/bin/env bash
# modes.sh times finalock's two standalone modes on the same packages, one
# run after the other, alternated: the whole-program mode (the default)
# and -modular (package by package, as under go vet). It prints a markdown
# table of the median wall time and peak RSS of each, and their ratio.
#
# usage: bench/modes.sh [xtools] [docker] [std] [sweep]
#        (default: xtools docker std)
#
#   xtools   golang.org/x/tools v0.52.0, ./... (the copy bench/run.sh makes
#            under $BENCH_DIR/src)
#   docker   github.com/docker/docker v28.5.2+incompatible, the packages of
#            the scratch module bench/sweep.sh makes under $SWEEP_DIR/mod
#   std      the standard library (std)
#   sweep    every module of bench/sweep.sh (its scratch modules under
#            $SWEEP_DIR/mod), one run of each mode with -test=false, and
#            whether the two modes' findings are the same
#
# Settings (environment): FINALOCK_BIN (default: go build ./cmd/finalock),
# RUNS (default 3), BENCH_DIR (default /tmp/finalock-bench), SWEEP_DIR
# (default $HOME/.cache/finalock-sweep). Every run uses -test=true and the
# default -finalizers=goroutine; the outputs are kept under $BENCH_DIR/modes.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-3}
BENCH_DIR=${BENCH_DIR:-/tmp/finalock-bench}
SWEEP_DIR=${SWEEP_DIR:-$HOME/.cache/finalock-sweep}
OUT=$BENCH_DIR/modes
mkdir -p "$OUT"

die() { echo "modes: $*" >&2; exit 1; }

BIN=${FINALOCK_BIN:-}
if [[ -z $BIN ]]; then
	BIN=$OUT/finalock
	(cd "$ROOT" && go build -o "$BIN" ./cmd/finalock) || die "building ./cmd/finalock failed"
fi
/usr/bin/time -f '%e %M' -o /dev/null true 2>/dev/null || die "gnu time (/usr/bin/time) is needed"

# target sets dir and patterns for target $1.
target() {
	case $1 in
	xtools)
		dir=$BENCH_DIR/src/golang.org_x_tools@v0.52.0
		[[ -f $dir/go.mod ]] || die "$dir is missing: run bench/run.sh medium first"
		patterns=(./...)
		;;
	docker)
		dir=$SWEEP_DIR/mod/github.com_docker_docker@v28.5.2+incompatible
		[[ -f $dir/pkgs.txt ]] || die "$dir is missing: run bench/sweep.sh modules first"
		mapfile -t patterns <"$dir/pkgs.txt"
		;;
	std)
		dir=$OUT/std
		mkdir -p "$dir"
		patterns=(std)
		;;
	*) die "unknown target $1 (xtools, docker, std)" ;;
	esac
}

# median prints the median of its arguments.
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# sweep prints one row per module of the sweep: both modes, one run each.
sweep() {
	echo "| module | whole program: s | MiB | -modular: s | MiB | findings (whole / modular) | same findings |"
	echo "| --- | ---: | ---: | ---: | ---: | --- | --- |"
	local d m
	for d in "$SWEEP_DIR"/mod/*/; do
		m=$(basename "$d")
		[[ -f $d/pkgs.txt ]] || continue
		mapfile -t patterns <"$d/pkgs.txt"
		for mode in whole modular; do
			flags=()
			[[ $mode == modular ]] && flags=(-modular)
			echo "modes: $m $mode" >&2
			(cd "$d" && /usr/bin/time -f '%e %M' -o "$OUT/$m.$mode.time" \
				"$BIN" "${flags[@]}" -format=json -test=false "${patterns[@]}" >"$OUT/$m.$mode.json" 2>"$OUT/$m.$mode.err") || true
		done
		read -r ws wk < <(tail -n 1 "$OUT/$m.whole.time")
		read -r ms mk < <(tail -n 1 "$OUT/$m.modular.time")
		nw=$(grep -cP '^\t\t"analyzer": ' "$OUT/$m.whole.json" || true)
		nm=$(grep -cP '^\t\t"analyzer": ' "$OUT/$m.modular.json" || true)
		same=no
		cmp -s "$OUT/$m.whole.json" "$OUT/$m.modular.json" && same=yes
		echo "| ${m%@*} | $ws | $((wk / 1024)) | $ms | $((mk / 1024)) | $nw / $nm | $same |"
	done
}

targets=("$@")
((${#targets[@]})) || targets=(xtools docker std)
if [[ ${targets[*]} == sweep ]]; then
	sweep
	exit 0
fi
echo "| packages | whole program: s | MiB | -modular: s | MiB | time ratio | findings (whole / modular) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
for t in "${targets[@]}"; do
	target "$t"
	declare -A secs=() mibs=()
	for ((i = 1; i <= RUNS; i++)); do
		for mode in whole modular; do
			flags=()
			[[ $mode == modular ]] && flags=(-modular)
			echo "modes: $t run $i $mode" >&2
			(cd "$dir" && /usr/bin/time -f '%e %M' -o "$OUT/$t.$mode.time" \
				"$BIN" "${flags[@]}" -format=json "${patterns[@]}" >"$OUT/$t.$mode.json" 2>"$OUT/$t.$mode.err") || true
			read -r s k < <(tail -n 1 "$OUT/$t.$mode.time")
			secs[$mode]+="$s "
			mibs[$mode]+="$((k / 1024)) "
		done
	done
	# shellcheck disable=SC2086 # the lists are space separated on purpose.
	ws=$(median ${secs[whole]}) wm=$(median ${mibs[whole]}) ms=$(median ${secs[modular]}) mm=$(median ${mibs[modular]})
	nw=$(grep -cP '^\t\t"analyzer": ' "$OUT/$t.whole.json" || true)
	nm=$(grep -cP '^\t\t"analyzer": ' "$OUT/$t.modular.json" || true)
	echo "| $t | $ws | $wm | $ms | $mm | $(awk -v a="$ws" -v b="$ms" 'BEGIN {printf "%.2f×", a / b}') | $nw / $nm |"
	unset secs mibs
done
