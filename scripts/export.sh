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

# The user's and the system's git configuration must not change the output
# (format.thread, format.signOff, diff.algorithm, ...): the repo's own only.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1

[ -d "$tree/.git" ] || { log "no tree at $tree: run make tree"; exit 1; }
git -C "$tree" rev-parse -q --verify base >/dev/null ||
	{ log "$tree has no 'base' tag: re-create it with make tree"; exit 1; }

fail=0
if [ -e "$tree/.git/rebase-apply" ] || [ -e "$tree/.git/rebase-merge" ]; then
	log "a git am/rebase is in progress in $tree"
	fail=1
fi
if ! git -C "$tree" merge-base --is-ancestor base HEAD; then
	log "HEAD of $tree does not descend from 'base'"
	fail=1
fi
if [ -n "$(git -C "$tree" rev-list --merges base..HEAD)" ]; then
	log "base..HEAD holds merge commits: format-patch cannot export them; rebase"
	fail=1
fi
if [ -n "$(git -C "$tree" stash list)" ]; then
	log "git stash in $tree holds work that patches/ cannot hold (git stash list)"
	fail=1
fi
dirty=$(git -C "$tree" status --porcelain --untracked-files=all 2>/dev/null)
if [ -n "$dirty" ]; then
	log "uncommitted changes in $tree (commit them, then export):"
	printf '%s\n' "$dirty" | head -20 | sed 's/^/    /' >&2
	fail=1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=$(git -C "$tree" rev-list --count base..HEAD)
if [ "$n" -gt 0 ]; then
	git -C "$tree" -c core.abbrev=12 -c diff.algorithm=myers \
		format-patch -q --zero-commit --no-signature --numbered \
		--no-thread --no-base --filename-max-length=64 \
		--subject-prefix=PATCH -o "$tmp" base..HEAD
	written=$(find "$tmp" -name '*.patch' | wc -l)
	if [ "$written" != "$n" ]; then
		log "format-patch wrote $written patch(es) for $n commit(s): an empty commit?"
		fail=1
	fi
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
# Keep what is replaced: patches/ may hold patches no commit of the tree has
# (dropped in by hand, or pulled but not applied yet).
backup=$top/build/patches-backup/$(date +%Y%m%d-%H%M%S)
for p in "$patches"/[0-9][0-9][0-9][0-9]-*.patch; do
	[ -e "$p" ] && [ "$(basename "$p")" != 0000-cover-letter.patch ] || continue
	if cmp -s "$p" "$tmp/$(basename "$p")"; then
		rm -f "$p"
	else
		mkdir -p "$backup"
		mv "$p" "$backup/"
	fi
done
[ ! -d "$backup" ] || log "replaced patches kept in ${backup#$top/}"
if [ "$n" -gt 0 ]; then
	cp "$tmp"/*.patch "$patches/"
fi
# The cover letter is written by hand; only its patch count follows the series.
cover=$patches/0000-cover-letter.patch
if [ -f "$cover" ]; then
	sed -i -E "0,/^Subject: \[PATCH [0-9]+\/[0-9]+\]/s//Subject: [PATCH 0\/$n]/" "$cover"
fi
log "exported $n patch(es) to patches/"
git -C "$top" status --short -- patches 2>/dev/null | sed 's/^/    /' >&2 || true
