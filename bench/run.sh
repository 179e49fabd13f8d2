#!/usr/bin/env bash
# run.sh measures finalock side by side with plain go vet, a floor analyzer
# (bench/floor: ssa and a vta call graph per package, one fact, no findings)
# and staticcheck, on pinned corpora, and prints a markdown table.
#
# usage: bench/run.sh [--std] [small|medium|std ...]
#
#   with no corpus named, it runs small (fsnotify) and medium (x/tools);
#   --std adds the standard library of the go toolchain in use.
#
# environment:
#   RUNS                 timed runs of each command, default 3; medians are reported
#   BENCH_DIR            scratch directory, default /tmp/finalock-bench
#   FINALOCK_BIN         benchmark this binary instead of building ./cmd/finalock
#   STATICCHECK_VERSION  default v0.8.2 (staticcheck 2026.2.2, the newest release)
#
# what is measured, per corpus and per run:
#   - go vet, go vet -vettool=finalock and go vet -vettool=floor with every
#     compile result cached and no vet result cached ("cold"), then the same
#     command again at once ("warm": everything comes from the cache);
#   - finalock, floor and staticcheck run standalone (staticcheck with an
#     empty STATICCHECK_CACHE each time).
# wall time and peak rss come from gnu time ('%e %M'). for go vet the rss is
# that of the largest single process (the go command or one tool process),
# not the sum of the processes running at once. exit codes of the measured
# commands are ignored, since findings make them non-zero; each command's
# output is kept under $BENCH_DIR/logs.
#
# how the vet cache is kept cold (checked with go1.26; see
# cmd/go/internal/work/exec.go, (*Builder).vet):
#   - go vet caches each package's result under a key made of the tool id,
#     the flags passed through to the tool, the package's build action and
#     the vet outputs of its dependencies. dependencies, the standard
#     library included, are vetted too, for their facts.
#   - -c=N does not salt that key: go vet prints the context lines itself and
#     does not pass -c to the tool. on fsnotify, go vet -vettool=floor -c=1
#     took 1.33 s cold, then 0.08 s with -c=1 again and 0.07 s with -c=2;
#     plain go vet likewise (1.06 s, then 0.05 s and 0.06 s).
#   - a flag that is passed through does salt it (-floor=1 for floor,
#     -printf.funcs=NAME for plain vet: 1.06 s cold again with a new name),
#     but for plain vet any such flag also changes how the standard library
#     dependencies are vetted (go vet then drops its -unsafeptr=false default
#     for them), so the command measured is no longer plain go vet.
#   - for a tool built on x/tools the id is the sha256 of the executable, so a
#     copy with a few bytes appended also salts it; cmd/vet's id is its
#     version line, which holds only the program name and go version.
# so this script salts nothing: each cold run gets a GOCACHE of its own, a
# hard-linked copy of a base cache that holds every compile result the
# commands need and no vet result of any measured tool. the base is warmed
# with go build, go list -export -deps -test and go vet with a copy of the
# floor that has bytes appended, whose results no measured run can reuse.
# the copy is thrown away after the warm rerun.

set -euo pipefail

readonly SMALL_MOD=github.com/fsnotify/fsnotify SMALL_VER=v1.9.0
readonly MEDIUM_MOD=golang.org/x/tools MEDIUM_VER=v0.52.0
readonly STATICCHECK_VERSION=${STATICCHECK_VERSION:-v0.8.2}
readonly WARMUP_SALT=finalock-bench-warmup

RUNS=${RUNS:-3}
BENCH_DIR=${BENCH_DIR:-/tmp/finalock-bench}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# every corpus is measured with the toolchain in use, outside any workspace.
export GOTOOLCHAIN=local GOWORK=off

die() {
	echo "bench: $*" >&2
	exit 1
}

say() {
	echo "bench: $*" >&2
}

usage() {
	awk 'NR > 1 && /^# what is measured/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"
}

# parse_args sets the corpora to run.
parse_args() {
	local std=0 arg
	corpora=()
	for arg in "$@"; do
		case $arg in
		--std) std=1 ;;
		small | medium | std) corpora+=("$arg") ;;
		-h | --help)
			usage
			exit 0
			;;
		*) die "unknown argument $arg (try --help)" ;;
		esac
	done
	if ((${#corpora[@]} == 0)); then
		corpora=(small medium)
	fi
	if ((std)) && [[ " ${corpora[*]} " != *" std "* ]]; then
		corpora+=(std)
	fi
	[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, not '$RUNS'"
}

# need_gnu_time makes sure /usr/bin/time is gnu time, installing it if missing.
need_gnu_time() {
	if [[ ! -x /usr/bin/time ]]; then
		say "installing gnu time"
		{ apt-get update -qq && apt-get install -y -qq time; } >/dev/null ||
			die "/usr/bin/time is missing and apt-get could not install it"
	fi
	/usr/bin/time -f '%e %M' -o /dev/null true 2>/dev/null ||
		die "/usr/bin/time does not take -f and -o: gnu time is needed"
}

# build_tools puts finalock, floor and staticcheck into $BIN.
build_tools() {
	mkdir -p "$BIN"
	if [[ -n ${FINALOCK_BIN:-} ]]; then
		[[ -x $FINALOCK_BIN ]] || die "FINALOCK_BIN=$FINALOCK_BIN is not an executable"
		cp "$FINALOCK_BIN" "$BIN/finalock"
	else
		say "building finalock"
		(cd "$ROOT" && go build -o "$BIN/finalock" ./cmd/finalock) ||
			die "building ./cmd/finalock failed"
	fi
	say "building floor"
	(cd "$ROOT" && go build -o "$BIN/floor" ./bench/floor) ||
		die "building ./bench/floor failed"
	cp "$BIN/floor" "$BIN/floor-warmup"
	printf '%s' "$WARMUP_SALT" >>"$BIN/floor-warmup"
	say "installing staticcheck $STATICCHECK_VERSION"
	(cd "$BENCH_DIR" && GOBIN=$BIN go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION") ||
		die "installing staticcheck $STATICCHECK_VERSION failed"
}

# fetch_module copies MOD@VER from the module cache into a writable directory
# with its dependencies downloaded, and prints that directory.
fetch_module() {
	local mod=$1 ver=$2 dir src
	dir=$BENCH_DIR/src/${mod//\//_}@$ver
	if [[ ! -f $dir/go.mod ]]; then
		src=$(cd "$BENCH_DIR" && go mod download -json "$mod@$ver" |
			sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
		[[ -n $src && -d $src ]] || die "go mod download $mod@$ver gave no directory"
		rm -rf "$dir.tmp"
		mkdir -p "$dir.tmp"
		cp -R "$src/." "$dir.tmp"
		chmod -R u+w "$dir.tmp"
		mv "$dir.tmp" "$dir"
	fi
	(cd "$dir" && go mod download) >&2 || die "go mod download in $dir failed"
	echo "$dir"
}

# prepare_corpus sets dir, pattern and label for corpus $1.
prepare_corpus() {
	case $1 in
	small)
		dir=$(fetch_module "$SMALL_MOD" "$SMALL_VER")
		pattern=./...
		label="fsnotify $SMALL_VER"
		;;
	medium)
		dir=$(fetch_module "$MEDIUM_MOD" "$MEDIUM_VER")
		pattern=./...
		label="x/tools $MEDIUM_VER"
		;;
	std)
		dir=$BENCH_DIR/src/std
		mkdir -p "$dir"
		pattern=std
		label="std $(go env GOVERSION)"
		;;
	esac
}

# warm_base fills the base cache of corpus $1 with every compile result the
# measured commands need. rerunning it is cheap: it reuses what is there.
warm_base() {
	base=$BENCH_DIR/cache/$1/base
	mkdir -p "$base"
	say "$label: warming the compile cache (slow the first time)"
	(
		cd "$dir"
		# shellcheck disable=SC2030 # the base cache is for this subshell only.
		export GOCACHE=$base
		go build "$pattern"
		go list -export -deps -test "$pattern" >/dev/null
		go vet -vettool="$BIN/floor-warmup" "$pattern" >/dev/null 2>&1 || true
	) || die "$label: warming the compile cache failed"
}

# fresh_cache points GOCACHE at a new hard-linked copy of the base cache.
fresh_cache() {
	local copy=$BENCH_DIR/cache/$corpus/run
	rm -rf "$copy"
	cp -al "$base" "$copy"
	# shellcheck disable=SC2031 # set for the measured commands, not the warmup.
	export GOCACHE=$copy
}

# timed KEY CMD... runs CMD in the corpus directory under gnu time and
# records its wall seconds and peak rss (KiB) under KEY.
timed() {
	local key=$1 tf out rc=0 wall rss
	shift
	tf=$BENCH_DIR/time.out
	out=$LOGS/$corpus.$key.$run.log
	rm -f "$tf"
	(cd "$dir" && /usr/bin/time -f '%e %M' -o "$tf" "$@") >"$out" 2>&1 || rc=$?
	# gnu time writes a line about a non-zero exit before the figures.
	read -r wall rss < <(tail -n 1 "$tf")
	[[ $wall =~ ^[0-9.]+$ && $rss =~ ^[0-9]+$ ]] || die "$label: no figures for $key (see $out)"
	printf '%s\t%s\t%s\t%s\n' "$corpus" "$key" "$wall" "$rss" >>"$RESULTS"
	say "$label: run $run: $key: ${wall} s, $((rss / 1024)) MiB, exit $rc"
}

# measure_corpus runs every command RUNS times on the current corpus.
measure_corpus() {
	local tool key sc
	for ((run = 1; run <= RUNS; run++)); do
		for tool in vet finalock floor; do
			fresh_cache
			if [[ $tool == vet ]]; then
				key=vet
				set -- go vet "$pattern"
			else
				key=$tool-vet
				set -- go vet -vettool="$BIN/$tool" "$pattern"
			fi
			timed "$key-cold" "$@"
			timed "$key-warm" "$@"
		done
		fresh_cache
		timed finalock "$BIN/finalock" "$pattern"
		timed floor "$BIN/floor" "$pattern"
		sc=$BENCH_DIR/cache/$corpus/staticcheck
		rm -rf "$sc"
		mkdir -p "$sc"
		timed staticcheck env STATICCHECK_CACHE="$sc" "$BIN/staticcheck" "$pattern"
	done
	rm -rf "$BENCH_DIR/cache/$corpus/run" "$BENCH_DIR/cache/$corpus/staticcheck"
	export GOCACHE=$user_gocache
}

# median CORPUS KEY FIELD prints the median of a column (3 wall, 4 rss).
median() {
	awk -F '\t' -v c="$1" -v k="$2" -v f="$3" '$1 == c && $2 == k { print $f }' "$RESULTS" |
		sort -g |
		awk '{ v[NR] = $1 }
		END {
			if (NR == 0) print "nan"
			else if (NR % 2) print v[(NR + 1) / 2]
			else print (v[NR / 2] + v[NR / 2 + 1]) / 2
		}'
}

# ratio A B prints A/B with two decimals.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a != "nan" && b != "nan" && b > 0) printf "%.2f", a / b; else print "n/a" }'
}

# load1 prints the one-minute load average.
load1() {
	cut -d ' ' -f 1 /proc/loadavg
}

# print_table writes the markdown table of medians and ratios to stdout.
print_table() {
	local c key cmd cache ref w r rw rr fw fr i
	local -a rows=(
		"vet-cold|go vet|cold vet cache|finalock-vet-cold"
		"finalock-vet-cold|go vet -vettool=finalock|cold vet cache|"
		"floor-vet-cold|go vet -vettool=floor|cold vet cache|finalock-vet-cold"
		"vet-warm|go vet|warm rerun|finalock-vet-warm"
		"finalock-vet-warm|go vet -vettool=finalock|warm rerun|"
		"floor-vet-warm|go vet -vettool=floor|warm rerun|finalock-vet-warm"
		"finalock|finalock|standalone|"
		"floor|floor|standalone|finalock"
		"staticcheck|staticcheck|standalone, empty cache|finalock"
	)
	printf '\n%s, %s, %s cores, %s run(s) each, medians; %s; load average %s at the start, %s at the end\n\n' \
		"$(date +%F)" "$(go env GOVERSION)" "$(nproc)" "$RUNS" "$("$BIN/staticcheck" -version)" \
		"$load_start" "$(load1)"
	echo '| corpus | command | mode | wall s | peak RSS MiB | finalock ÷ this, wall | finalock ÷ this, RSS |'
	echo '| --- | --- | --- | ---: | ---: | ---: | ---: |'
	for c in "${corpora[@]}"; do
		for i in "${rows[@]}"; do
			IFS='|' read -r key cmd cache ref <<<"$i"
			w=$(median "$c" "$key" 3)
			r=$(median "$c" "$key" 4)
			rw='—'
			rr='—'
			if [[ -n $ref ]]; then
				fw=$(median "$c" "$ref" 3)
				fr=$(median "$c" "$ref" 4)
				rw=$(ratio "$fw" "$w")
				rr=$(ratio "$fr" "$r")
			fi
			# shellcheck disable=SC2016 # the backquotes are markdown.
			printf '| %s | `%s %s` | %s | %s | %s | %s | %s |\n' \
				"${labels[$c]}" "$cmd" "${patterns[$c]}" "$cache" \
				"$(awk -v s="$w" 'BEGIN { if (s == "nan") print "nan"; else printf "%.2f", s }')" \
				"$(awk -v k="$r" 'BEGIN { if (k == "nan") print "nan"; else printf "%.0f", k / 1024 }')" \
				"$rw" "$rr"
		done
	done
}

main() {
	parse_args "$@"
	if [[ -z ${FINALOCK_BIN:-} && ! -d $ROOT/cmd/finalock ]]; then
		die "cmd/finalock does not exist yet: nothing to benchmark (FINALOCK_BIN=path benchmarks another binary)"
	fi
	need_gnu_time
	mkdir -p "$BENCH_DIR"
	BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
	BIN=$BENCH_DIR/bin RESULTS=$BENCH_DIR/results.tsv LOGS=$BENCH_DIR/logs
	mkdir -p "$LOGS"
	: >"$RESULTS"
	user_gocache=$(go env GOCACHE)
	build_tools
	load_start=$(load1)
	if awk -v l="$load_start" 'BEGIN { exit !(l > 0.5) }'; then
		say "warning: load average is $load_start: other work will skew the figures"
	fi

	declare -gA labels=() patterns=()
	for corpus in "${corpora[@]}"; do
		prepare_corpus "$corpus"
		labels[$corpus]=$label
		patterns[$corpus]=$pattern
		warm_base "$corpus"
		measure_corpus
	done
	print_table
}

main "$@"
