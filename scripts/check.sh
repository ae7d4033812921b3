#!/usr/bin/env bash
# checkpatch.pl --strict over every patch of patches/ (the cover letter aside).
#
# usage: check.sh [RESULTS_JSONL]
# config/checkpatch.ignore lists message types to ignore, one per line with a
# justification; anything else is a failure.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/build/linux
results=${1:-}
cp=$tree/scripts/checkpatch.pl
[ -x "$cp" ] || { echo "[check] no $cp: run make tree" >&2; exit 1; }

ignore=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$top/config/checkpatch.ignore" 2>/dev/null |
	awk '{print $1}' | paste -sd, -)
args=(--strict --terse --show-types)
[ -z "$ignore" ] || args+=(--ignore "$ignore")

pass=0 fail=0 fails=()
for p in "$top"/patches/[0-9][0-9][0-9][0-9]-*.patch; do
	[ -e "$p" ] || continue
	name=$(basename "$p")
	[ "$name" != 0000-cover-letter.patch ] || continue
	if out=$(cd "$tree" && "$cp" "${args[@]}" "$p" 2>&1); then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		fails+=("checkpatch/$name")
		printf '%s\n' "$out" | sed "s|^|[check] |" >&2
	fi
done
echo "[check] checkpatch --strict: $pass patch(es) clean, $fail with findings" >&2
[ -z "$results" ] || "$top/scripts/results.py" count "$results" checkpatch "$pass" "$fail" 0 "${fails[@]}"
[ "$fail" = 0 ]
