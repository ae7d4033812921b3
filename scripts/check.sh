#!/usr/bin/env bash
# checkpatch.pl --strict over every patch of patches/ (the cover letter aside),
# scripts/kernel-doc -Wall over every file the series touches, and sparse
# (C=2) and the compiler's W=1 warnings over every object they build into
# (needs the guest kernel built: make kernel).
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

# One checkpatch per patch, as many at once as there are CPUs: the series
# is long and checkpatch is slow.
tmp=$(mktemp -d)
# Whatever stops this script before the end is a failure make test counts
finished=0
trap 'rm -rf "$tmp"; [ "$finished" = 1 ] || [ -z "$results" ] ||
	"$top/scripts/results.py" count "$results" check 0 1 0 "check.sh stopped early"' EXIT
# A patch passes only with its .ok: one that was never checked fails.
checkpatch_one() {
	local p=$1 name
	name=$(basename "$p")
	if (cd "$tree" && "$cp" "${args[@]}" "$p") > "$tmp/$name.out" 2>&1; then
		touch "$tmp/$name.ok"
	fi
}
export -f checkpatch_one
export tree cp tmp
export CHECKPATCH_ARGS="${args[*]}"
for p in "$top"/patches/[0-9][0-9][0-9][0-9]-*.patch; do
	[ -e "$p" ] && [ "$(basename "$p")" != 0000-cover-letter.patch ] && printf '%s\0' "$p"
done | xargs -0 -r -P "$(nproc)" -I{} bash -c 'args=($CHECKPATCH_ARGS); checkpatch_one "$1"' _ {} || true
pass=0 fail=0 fails=()
for p in "$top"/patches/[0-9][0-9][0-9][0-9]-*.patch; do
	[ -e "$p" ] || continue
	name=$(basename "$p")
	[ "$name" != 0000-cover-letter.patch ] || continue
	if [ -e "$tmp/$name.ok" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		fails+=("checkpatch/$name")
		if [ -e "$tmp/$name.out" ]; then
			sed "s|^|[check] |" "$tmp/$name.out" >&2
		else
			echo "[check] $name: never checked" >&2
		fi
	fi
done
echo "[check] checkpatch --strict: $pass patch(es) clean, $fail with findings" >&2
[ -z "$results" ] || "$top/scripts/results.py" count "$results" checkpatch "$pass" "$fail" 0 "${fails[@]}"
cp_fail=$fail

# kernel-doc -Wall over every C file and header the series touches (the
# selftests aside): a file fails when it has more warnings than at the base,
# which has hundreds of its own.
kdoc_count() {
	"$tree/scripts/kernel-doc" -none -Wall "$1" 2>&1 | grep -c -i 'warning' || true
}
pass=0 fail=0 fails=()
if git -C "$tree" rev-parse -q --verify base >/dev/null; then
	while read -r f; do
		[ -e "$tree/$f" ] || continue
		before=0
		if git -C "$tree" cat-file -e "base:$f" 2>/dev/null; then
			mkdir -p "$tmp/$(dirname "$f")"
			git -C "$tree" show "base:$f" > "$tmp/$f"
			before=$(kdoc_count "$tmp/$f")
		fi
		after=$(kdoc_count "$tree/$f")
		if [ "$after" -le "$before" ]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			fails+=("kernel-doc/$f")
			echo "[check] $f: $after kernel-doc warning(s), $before at the base" >&2
			"$tree/scripts/kernel-doc" -none -Wall "$tree/$f" 2>&1 | sed "s|^|[check]   |" >&2
		fi
	done < <(git -C "$tree" diff --name-only --no-renames --diff-filter=AM base..HEAD -- '*.c' '*.h' |
		 grep -v '^tools/' || true)
	echo "[check] kernel-doc -Wall: $pass file(s) with no new warning, $fail with new ones" >&2
	[ -z "$results" ] || "$top/scripts/results.py" count "$results" kernel-doc "$pass" "$fail" 0 "${fails[@]}"
fi
kdoc_fail=$fail

"$top/scripts/static.sh" "$results" && static_fail=0 || static_fail=1
finished=1
[ "$cp_fail" = 0 ] && [ "$kdoc_fail" = 0 ] && [ "$static_fail" = 0 ]
