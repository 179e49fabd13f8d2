#!/usr/bin/env bash
# Runs finalock for the GitHub Action of action.yml, in the module's
# directory, with the action's inputs in INPUT_PACKAGES, INPUT_FORMAT,
# INPUT_FINALIZERS, INPUT_BASELINE and INPUT_FLAGS. With format text the
# findings fail the step; with sarif or json they go to finalock.sarif or
# finalock.json, whose path is the step's output "report", and only errors
# (exit 1) and bad flags (exit 2) fail it.
set -euo pipefail
finalock="${RUNNER_TEMP:?}/finalock"
format="${INPUT_FORMAT:-text}"

args=("-finalizers=${INPUT_FINALIZERS:-goroutine}")
if [ -n "${INPUT_BASELINE:-}" ]; then
	args+=("-baseline=$INPUT_BASELINE")
fi
read -r -a flags <<<"${INPUT_FLAGS:-}"
read -r -a packages <<<"${INPUT_PACKAGES:-./...}"
if [ "${#packages[@]}" -eq 0 ]; then
	packages=(./...)
fi

case "$format" in
text)
	exec "$finalock" "${args[@]}" ${flags[@]+"${flags[@]}"} "${packages[@]}"
	;;
sarif | json)
	report="finalock.$format"
	status=0
	"$finalock" -format="$format" "${args[@]}" ${flags[@]+"${flags[@]}"} "${packages[@]}" >"$report" || status=$?
	echo "report=$PWD/$report" >>"${GITHUB_OUTPUT:-/dev/null}"
	if [ "$status" -eq 3 ]; then
		echo "finalock: findings in $report"
	elif [ "$status" -ne 0 ]; then
		exit "$status"
	fi
	;;
*)
	echo "finalock action: format is text, sarif or json, not \"$format\"" >&2
	exit 2
	;;
esac
