#!/usr/bin/env bash
# Builds finalock for the GitHub Action of action.yml: inside finalock's
# own module, the action's checkout ($GITHUB_ACTION_PATH), not the module
# being analysed, into $RUNNER_TEMP/finalock. The workflow's GOFLAGS and
# go.work are for its own module: they do not apply here.
set -euo pipefail
: "${GITHUB_ACTION_PATH:?}" "${RUNNER_TEMP:?}"
GOFLAGS=-mod=readonly GOWORK=off go build -C "$GITHUB_ACTION_PATH" -trimpath -o "$RUNNER_TEMP/finalock" ./cmd/finalock
"$RUNNER_TEMP/finalock" help >/dev/null
