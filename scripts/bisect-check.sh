#!/usr/bin/env bash
# make bisect-check: build the guest kernel at every patch of the series, in
# order, so that a bisection can stop anywhere.
#
# Works on a clone of build/linux in build/bisect/linux (build/linux is left
# alone, and so is any build you run meanwhile) with its own output directory
# build/bisect/kbuild: each step is an incremental build, through ccache.
# Every step gets the configuration of the whole series (build/kbuild's
# .config, from make kernel) through olddefconfig, so an option a later patch
# adds is simply absent until then.
#
# One line per patch goes to build/bisect/results.txt ("ok" or "FAIL", the
# patch number, the commit, the step's key, its seconds, its subject); the
# build log of a failed step is kept in build/bisect/NNNN.log.  The key is a
# hash of what the bzImage is built from: the sources at the commit (less
# tools/testing and Documentation), the configuration the step builds with
# (the series' one after olddefconfig at that commit) and the compiler
# version.  A step whose key already built ok is not built again, so an
# interrupted run resumes where it stopped, and a changelog, a selftest or
# an option a later patch adds changes no earlier step's key.  The last
# line is "bisect-check: N of M patches build".
#
# config/bisect-check.results keeps the "ok" lines of the runs the repo's
# authors made with the default configuration, so that a run too long for
# one sitting can go on from another checkout: a step whose key is recorded
# there as built is not built again, and is listed as "rec" rather than
# "ok" (and counted apart in the last line).  Each step that builds is
# added to the record as it finishes; a run in which every step builds
# replaces it with that run's lines, so the record holds the last complete
# run and what interrupted or failing runs built since.  BISECT_FRESH=1, or
# a configuration of its own (KBUILD_OUT), ignores the record and leaves
# it alone: every step is then built here (or found built in results.txt).
set -euo pipefail
shopt -s inherit_errexit

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
src=$top/build/linux
dir=$top/build/bisect
tree=$dir/linux
out=$dir/kbuild
results=$dir/results.txt
record=$top/config/bisect-check.results
use_record=1
if [ "${BISECT_FRESH:-0}" = 1 ] || [ -n "${KBUILD_OUT:-}" ]; then
	use_record=0
fi
config=${KBUILD_OUT:-$top/build/kbuild}/.config
jobs=${JOBS:-$(nproc)}
log() { printf '[bisect-check] %s\n' "$*" >&2; }

[ -d "$src/.git" ] || { log "no $src: run make tree"; exit 1; }
[ -f "$config" ] || { log "no $config: run make kernel first (its configuration is used at every step)"; exit 1; }
head=$(git -C "$src" rev-parse HEAD)
mapfile -t commits < <(git -C "$src" rev-list --reverse base..HEAD)
[ "${#commits[@]}" -gt 0 ] || { log "no patch between base and HEAD"; exit 1; }

mkdir -p "$dir" "$out"
if [ ! -d "$tree/.git" ]; then
	log "cloning build/linux into ${tree#"$top"/}"
	git clone -q --no-checkout "$src" "$tree"
fi
git -C "$tree" fetch -q "$src" "$head"
touch "$results"

cc=gcc
if command -v ccache >/dev/null 2>&1 && [ "${NO_CCACHE:-0}" != 1 ]; then
	cc="ccache gcc"
	export CCACHE_DIR=${CCACHE_DIR:-$top/build/ccache}
	export CCACHE_BASEDIR=$top
fi
kmake() { make -s -C "$tree" O="$out" ARCH=x86_64 CC="$cc" HOSTCC="$cc" "$@"; }
# build_step COMMIT
build_step() {
	git -C "$tree" checkout -q --detach "$1" &&
		cp "$config" "$out/.config" &&
		kmake olddefconfig >/dev/null &&
		kmake -j"$jobs" bzImage
}

# olddefconfig's result depends on the configuration, the Kconfig files,
# scripts/ and the Makefiles of the commit, and the tools Kconfig asks
# (compiler, assembler, linker, pahole, rustc, bindgen, found through
# PATH): key a memo of it on those, so that a step that is already done is
# recognised without a checkout.  The build command (kmake, build_step) is
# in neither key: empty results.txt and config/bisect-check.results after
# changing it.
memo=$dir/olddefconfig
kconfig_inputs_key() {
	{
		cat "$config"
		git -C "$src" ls-tree -r "$1" | grep -P '\t(.*/)?Kconfig[^/]*$'
		git -C "$src" ls-tree "$1" scripts Makefile arch/x86/Makefile
		gcc --version | sed -n 1p
		as --version | sed -n 1p
		ld --version | sed -n 1p
		pahole --version 2>/dev/null || true
		rustc --version 2>/dev/null || true
		bindgen --version 2>/dev/null || true
		env | grep -E '^(PATH|CROSS_COMPILE|LLVM)=' || true
	} | sha256sum | cut -c1-16
}

# step_config COMMIT: the configuration the step builds with
step_config() {
	local f
	f=$memo/$(kconfig_inputs_key "$1")
	if [ ! -f "$f" ]; then
		git -C "$tree" checkout -q --detach "$1" || return 1
		cp "$config" "$out/.config"
		kmake olddefconfig >/dev/null || return 1
		mkdir -p "$memo"
		grep -v '^# Linux/' "$out/.config" > "$f.tmp"
		mv "$f.tmp" "$f"
	fi
	cat "$f"
}

# step_key COMMIT: the key of a step (see above); fails when olddefconfig
# does
step_key() {
	local cfg

	cfg=$(step_config "$1") || return 1
	{
		git -C "$src" ls-tree "$1" | grep -Pv '\t(Documentation|tools)$'
		git -C "$src" ls-tree "$1:tools" | grep -Pv '\ttesting$'
		printf '%s\n' "$cfg"
		gcc -dumpfullversion
	} | sha256sum | cut -c1-12
}

# built_here KEY: the "ok" line of a step with that key built in this
# checkout
built_here() {
	grep -m1 "^ok [0-9]* [0-9a-f]* $1 " "$results"
}

# recorded KEY: the line of a step with that key in the record
recorded() {
	[ "$use_record" = 1 ] && [ -f "$record" ] &&
		grep -m1 "^ok [0-9]* [0-9a-f]* $1 " "$record"
}

ok=0 bad=0 rec=0 n=0
new=$(mktemp)
trap 'rm -f "$new"' EXIT
for c in "${commits[@]}"; do
	n=$((n + 1))
	num=$(printf '%04d' "$n")
	subject=$(git -C "$src" log -1 --format=%s "$c")
	# no key when olddefconfig fails: the build then fails and says why
	key=$(step_key "$c") || key=none
	if [ "$key" != none ] && prev=$(built_here "$key"); then
		ok=$((ok + 1))
		echo "ok $num $c $key $(echo "$prev" | cut -d' ' -f5) $subject" >> "$new"
		continue
	fi
	if [ "$key" != none ] && prev=$(recorded "$key"); then
		ok=$((ok + 1)) rec=$((rec + 1))
		log "patch $num: key $key recorded as built in ${record#"$top"/}"
		echo "rec $num $c $key $(echo "$prev" | cut -d' ' -f5) $subject" >> "$new"
		continue
	fi
	s=$(date +%s)
	if with_progress "[bisect-check] $num" build_step "$c" > "$dir/$num.log" 2>&1; then
		ok=$((ok + 1))
		line="ok $num $c $key $(($(date +%s) - s))s $subject"
		rm -f "$dir/$num.log"
	else
		bad=$((bad + 1))
		line="FAIL $num $c $key $(($(date +%s) - s))s $subject"
		log "patch $num does not build: ${dir#"$top"/}/$num.log"
		tail -20 "$dir/$num.log" | sed 's/^/[bisect-check]   /' >&2
	fi
	echo "$line" >> "$new"
	echo "$line" >> "$results"	# for a resume if this run is stopped
	if [ "$use_record" = 1 ] && [ "${line%% *}" = ok ]; then
		echo "$line" >> "$record"
	fi
	log "$line"
done
cp "$new" "$results.tmp"
mv "$results.tmp" "$results"
summary="bisect-check: $ok of ${#commits[@]} patches build ($bad fail; $rec of them as recorded in ${record#"$top"/}), series at ${head:0:12}"
if [ "$use_record" = 1 ] && [ "$bad" = 0 ]; then
	{ sed 's/^rec /ok /' "$new"; echo "$summary"; } > "$record.tmp"
	mv "$record.tmp" "$record"
fi
echo "$summary" | tee -a "$results"
[ "$bad" = 0 ]
