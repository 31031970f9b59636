#!/usr/bin/env bash
# The check step of action.yml (the refs GitHub Action), kept here so that it can be
# run and tested outside GitHub: tests/hooks/test_github_action.py runs it.
#
# It runs `refs check` over INPUT_PATHS with a Markdown report, appends the report and
# refs' own output to $GITHUB_STEP_SUMMARY (when set), writes the `report` and
# `exit-code` outputs to $GITHUB_OUTPUT (when set), and exits with refs' status:
# 0 clean, 1 a --fail-on status occurred, 2 usage or input error.
#
# Environment (action.yml maps its inputs to these; all optional but INPUT_PATHS):
#   INPUT_PATHS    files, directories or globs: one a line, or several on a line
#                  separated by spaces; globs are expanded by refs (`**` included),
#                  not by the shell
#   INPUT_FAIL_ON  --fail-on (empty: refs' default)
#   INPUT_SOURCE   --source (index, crossref, http://HOST:PORT; empty: refs' default)
#   INPUT_INDEX    --index (a local index for --source index)
#   INPUT_MAILTO   --mailto (Crossref's polite pool)
#   INPUT_ARGS     more arguments for `refs check`, separated by spaces
#   INPUT_REPORT   where to write the Markdown report (default: in $RUNNER_TEMP)
#   INPUT_SUMMARY  "false" to leave $GITHUB_STEP_SUMMARY alone
#   REFS_BIN       the refs executable (default: refs on PATH)
set -uo pipefail
set -f # no globbing here: refs expands the globs it is given

refs=${REFS_BIN:-refs}
# bytes of report in the step summary: GitHub refuses more than 1 MiB a step (the tests lower it)
limit=${REFS_SUMMARY_LIMIT:-900000}

work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/refs-check.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
report=${INPUT_REPORT:-}
if [ -z "$report" ] && [ -n "${RUNNER_TEMP:-}" ]; then # kept for later steps: the output
    report="$(mktemp -d "$RUNNER_TEMP/refs-check-report.XXXXXX")/report.md" || exit 2
elif [ -z "$report" ]; then
    report="$work/report.md"
fi
log="$work/refs-check.log"

words() { # the words of $1, split on spaces, tabs and newlines, never globbed
    local line word
    while IFS= read -r line; do
        for word in $line; do
            printf '%s\n' "$word"
        done
    done <<<"$1"
}

args=(check)
while IFS= read -r word; do
    [ -n "$word" ] && args+=("$word")
done < <(words "${INPUT_PATHS:-}")
args+=(--format markdown --output "$report")
[ -n "${INPUT_FAIL_ON:-}" ] && args+=(--fail-on "$INPUT_FAIL_ON")
[ -n "${INPUT_SOURCE:-}" ] && args+=(--source "$INPUT_SOURCE")
[ -n "${INPUT_INDEX:-}" ] && args+=(--index "$INPUT_INDEX")
[ -n "${INPUT_MAILTO:-}" ] && args+=(--mailto "$INPUT_MAILTO")
while IFS= read -r word; do
    [ -n "$word" ] && args+=("$word")
done < <(words "${INPUT_ARGS:-}")

rm -f -- "$report" # a report left from an earlier run must not pass for this one's
mkdir -p -- "$(dirname -- "$report")"
echo "refs ${args[*]}"
"$refs" "${args[@]}" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ "${INPUT_SUMMARY:-true}" != "false" ]; then
    {
        if [ -s "$report" ]; then
            size=$(wc -c <"$report")
            if [ "$size" -le "$limit" ]; then
                cat -- "$report"
                echo
            else
                LC_ALL=C awk -v max="$limit" '{ n += length($0) + 1; if (n > max) exit; print }' "$report"
                echo
                echo
                echo "*The report ($size bytes) is cut here: GitHub keeps at most 1 MiB of a step's summary. The whole report is the action's \`report\` output.*"
            fi
        else
            echo "# refs check"
            echo
            echo "refs check stopped before writing a report (exit status $status): see its output below."
        fi
        echo
        echo "<details><summary>refs check output (exit status $status)</summary>"
        echo
        echo '```text'
        tail -n 200 -- "$log"
        echo '```'
        echo
        echo "</details>"
    } >>"$GITHUB_STEP_SUMMARY"
fi

if [ -n "${GITHUB_OUTPUT:-}" ]; then
    {
        if [ -s "$report" ]; then echo "report=$report"; else echo "report="; fi
        echo "exit-code=$status"
    } >>"$GITHUB_OUTPUT"
fi

exit "$status"
