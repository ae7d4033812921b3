#!/usr/bin/env bash
# Export the series from build/linux back to patches/, or check that patches/
# already holds it (--check).
#
# The output is stable across machines: zero commit hashes in the "From"
# lines, no git version signature, fixed abbreviation length.  The cover letter
# patches/0000-cover-letter.patch is written by hand and kept as it is.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/build/linux
patches=$top/patches
mode=${1:-export}

log() { printf '[export] %s\n' "$*" >&2; }

[ -d "$tree/.git" ] || { log "no tree at $tree: run make tree"; exit 1; }
git -C "$tree" rev-parse -q --verify base >/dev/null ||
	{ log "$tree has no 'base' tag: re-create it with make tree"; exit 1; }

fail=0
if [ -e "$tree/.git/rebase-apply" ] || [ -e "$tree/.git/rebase-merge" ]; then
	log "a git am/rebase is in progress in $tree"
	fail=1
fi
dirty=$(git -C "$tree" status --porcelain 2>/dev/null)
if [ -n "$dirty" ]; then
	log "uncommitted changes in $tree (commit them, then export):"
	printf '%s\n' "$dirty" | head -20 | sed 's/^/    /' >&2
	fail=1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=$(git -C "$tree" rev-list --count base..HEAD)
if [ "$n" -gt 0 ]; then
	git -C "$tree" -c core.abbrev=12 -c diff.noprefix=false \
		-c format.signature= -c format.coverLetter=false \
		format-patch -q --zero-commit --no-signature --numbered \
		--subject-prefix=PATCH -o "$tmp" base..HEAD
fi

if [ "$mode" = --check ]; then
	mkdir -p "$tmp/empty"
	[ -d "$patches" ] || patches=$tmp/empty
	d=$(diff -rq -x 0000-cover-letter.patch -x empty "$patches" "$tmp" 2>&1 || true)
	if [ -n "$d" ]; then
		log "patches/ does not hold the series in $tree ($n commit(s) on base):"
		printf '%s\n' "$d" | head -20 | sed "s|$tmp|build/linux (export)|; s|$top/||g; s/^/    /" >&2
		fail=1
	fi
	if [ "$fail" = 0 ]; then
		log "clean: patches/ holds the $n commit(s) of $tree"
	fi
	exit $fail
fi

if [ "$fail" != 0 ]; then
	log "not exporting"
	exit 1
fi
mkdir -p "$patches"
find "$patches" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
	! -name 0000-cover-letter.patch -delete
if [ "$n" -gt 0 ]; then
	cp "$tmp"/*.patch "$patches/"
fi
log "exported $n patch(es) to patches/"
git -C "$top" status --short -- patches | sed 's/^/    /' >&2 || true
