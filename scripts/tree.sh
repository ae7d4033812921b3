#!/usr/bin/env bash
# Materialise build/linux: a git repository whose first commit is the pristine
# base (deterministic: same hash on every machine), tagged "base", with every
# patch of patches/ applied by git am on top.
#
# An existing tree that already holds exactly patches/ is left alone.  A tree
# that differs is never overwritten unless FORCE=1: it may hold unexported work.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/base.env"
tree=$top/build/linux
patches=$top/patches

log() { printf '[tree] %s\n' "$*" >&2; }

series() {
	find "$patches" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
		! -name '0000-cover-letter.patch' 2>/dev/null | sort
}

make_base() {
	local pristine
	pristine=$("$top/scripts/fetch-base.sh")
	log "creating $tree from the pristine base"
	rm -rf "$tree.tmp"
	mkdir -p "$tree.tmp"
	cp -a "$pristine/." "$tree.tmp/"
	rm -f "$tree.tmp/.complete"
	# Debian appends a block to the top-level .gitignore that ignores every
	# top-level path ("/*"), which hides new files from git add and git
	# status.  Drop it; the rest of .gitignore is upstream's.
	rm -f "$tree.tmp/.gitignore"
	awk '/^# Debian packaging:/ { exit } { l[++n] = $0 }
	     END { while (n && (l[n] == "" || l[n] == "#")) n--
		   for (i = 1; i <= n; i++) print l[i] }' \
		"$pristine/.gitignore" > "$tree.tmp/.gitignore"
	(
		cd "$tree.tmp"
		# Nothing of the user's git configuration may change the base hash.
		export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
		git init -q -b master .
		git config core.autocrlf false
		git config core.abbrev 12
		git config commit.gpgsign false
		git add -A -f .
		export GIT_AUTHOR_NAME="$BASE_GIT_NAME" GIT_AUTHOR_EMAIL="$BASE_GIT_EMAIL"
		export GIT_COMMITTER_NAME="$BASE_GIT_NAME" GIT_COMMITTER_EMAIL="$BASE_GIT_EMAIL"
		export GIT_AUTHOR_DATE="$BASE_GIT_DATE" GIT_COMMITTER_DATE="$BASE_GIT_DATE"
		git commit -q --no-verify -m "$BASE_GIT_MSG"
		git tag base
	)
	# git am needs a committer: keep the user's own identity if there is one.
	git -C "$tree.tmp" config user.email >/dev/null ||
		git -C "$tree.tmp" config user.email "series@localhost"
	git -C "$tree.tmp" config user.name >/dev/null ||
		git -C "$tree.tmp" config user.name "Series Builder"
	mv "$tree.tmp" "$tree"
	log "base commit $(git -C "$tree" rev-parse --short=12 base)"
}

apply_series() {
	local p n=0
	git -C "$tree" checkout -q -B master base
	while read -r p; do
		[ -n "$p" ] || continue
		if ! git -C "$tree" am -q --keep-cr "$p" >/dev/null 2>&1; then
			git -C "$tree" am --abort >/dev/null 2>&1 || true
			log "ERROR: patch does not apply: $(basename "$p")"
			git -C "$tree" apply --check -v "$p" 2>&1 | tail -15 >&2 || true
			exit 1
		fi
		n=$((n + 1))
	done < <(series)
	log "applied $n patch(es) on base"
	echo "$(series_hash) $(git -C "$tree" rev-parse HEAD)" > "$tree/.git/series-stamp"
}

# The patches of the series, names and contents, as one hash.
series_hash() {
	local p
	series | while read -r p; do
		basename "$p"
		cat "$p"
	done | sha256sum | cut -d' ' -f1
}

# Nothing was committed or changed in the tree since the last apply_series.
tree_is_untouched_since_apply() {
	[ -f "$tree/.git/series-stamp" ] &&
	[ "$(cut -d' ' -f2 "$tree/.git/series-stamp")" = "$(git -C "$tree" rev-parse HEAD)" ] &&
	[ -z "$(git -C "$tree" status --porcelain --untracked-files=all)" ]
}

# The tree is exactly what the last apply_series made of the current patches/.
tree_is_applied_series() {
	[ -f "$tree/.git/series-stamp" ] &&
	[ "$(cat "$tree/.git/series-stamp")" = "$(series_hash) $(git -C "$tree" rev-parse HEAD)" ] &&
	[ -z "$(git -C "$tree" status --porcelain --untracked-files=all)" ]
}

if [ ! -d "$tree/.git" ]; then
	make_base
	apply_series
	exit 0
fi

if tree_is_applied_series || "$top/scripts/export.sh" --check >/dev/null 2>&1; then
	log "$tree already holds patches/ ($(git -C "$tree" rev-list --count base..HEAD) patch(es))"
	exit 0
fi
if tree_is_untouched_since_apply; then
	# patches/ changed (e.g. git pull) but the tree holds nothing of its own.
	log "patches/ changed since $tree was made from it: re-applying"
	git -C "$tree" reset -q --hard base
	apply_series
	exit 0
fi
if [ "${FORCE:-0}" != 1 ]; then
	log "ERROR: $tree differs from patches/ (see make export-check)."
	log "Export your work first (make export), or re-apply patches/ and lose"
	log "the tree's unexported commits and changes with: make tree FORCE=1"
	exit 1
fi
log "FORCE=1: resetting $tree to base and re-applying patches/"
git -C "$tree" am --abort >/dev/null 2>&1 || true
git -C "$tree" reset -q --hard base
git -C "$tree" clean -qfd
apply_series
