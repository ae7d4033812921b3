#!/usr/bin/env bash
# sparse (C=2) and the compiler's W=1 warnings over every C file the series
# touches (the selftests aside), built into the guest kernel's build
# directory.  A file fails when sparse or the compiler reports something on a
# line the series added or changed, in that file or in a header of the
# series it includes (scripts/new_warnings.py); the base has hundreds of
# warnings of its own elsewhere.  config/static.ignore accepts the base's own
# warnings on a line the series changed, one by one.
#
# usage: static.sh [RESULTS_JSONL]
# Rebuilding the objects with W=1 changes their flags: the next make kernel
# builds them again (from ccache).  A header of the series counts as checked
# through the objects that include it.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
tree=$top/build/linux
out=${KBUILD_OUT:-$top/build/kbuild}
results=${1:-}
log() { printf '[check] %s\n' "$*" >&2; }
record() { [ -z "$results" ] || "$top/scripts/results.py" count "$results" "$@"; }

# Whatever stops this script before it counted the files is a failure of
# both, not a silent pass of make test.
recorded=0 sparse_recorded=0
trap '[ "$recorded" = 1 ] || { [ "$sparse_recorded" = 1 ] || record sparse 0 1 0 "sparse: static.sh stopped early"; record W=1 0 1 0 "W=1: static.sh stopped early"; }' EXIT

if [ ! -f "$out/.config" ] || [ ! -f "$out/include/generated/autoconf.h" ]; then
	log "no configured kernel in ${out#"$top"/}: run make kernel; sparse and W=1 not run"
	exit 1
fi
git -C "$tree" rev-parse -q --verify base >/dev/null || { log "no tag base in ${tree#"$top"/}: run make tree"; exit 1; }
if ! sparse=$("$top/scripts/sparse.sh"); then
	record sparse 0 1 0 "sparse: no usable sparse (scripts/sparse.sh failed)"
	sparse_recorded=1
	sparse=
fi

# The working tree against base: what gets built
mapfile -t files < <(git -C "$tree" diff --name-only --no-renames --diff-filter=AM base -- '*.c' '*.h' |
		     grep -v '^tools/' || true)
# A .c file another C file of its directory #includes (KUnit tests of
# static functions) is not an object of its own: its warnings come from
# the object that includes it.
objs=()
declare -A included=()
for f in "${files[@]}"; do
	[[ $f == *.c ]] || continue
	if grep -qsF -- "#include \"$(basename "$f")\"" "$tree/$(dirname "$f")"/*.c; then
		included[$f]=1
	else
		objs+=("${f%.c}.o")
	fi
done
if [ "${#objs[@]}" = 0 ]; then
	log "the series touches no C file of the kernel: nothing for sparse and W=1"
	recorded=1
	exit 0
fi

cc=gcc
if command -v ccache >/dev/null 2>&1 && [ "${NO_CCACHE:-0}" != 1 ]; then
	cc="ccache gcc"
	export CCACHE_DIR=${CCACHE_DIR:-$top/build/ccache}
	export CCACHE_BASEDIR=$top
fi
buildlog=$top/build/test/static.log
mkdir -p "$(dirname "$buildlog")"
# Remove the objects first: after a W=1 build of them (an earlier make check)
# nothing would be compiled again and W=1 would report nothing.
for o in "${objs[@]}"; do
	rm -f "$out/$o"
done
# -Wno-error: under CONFIG_WERROR a W=1 warning on a line of the base
# would stop the object, and sparse with it.
checkflags=(W=1 KCFLAGS=-Wno-error)
[ -z "$sparse" ] || checkflags+=(C=2 CHECK="$sparse")
log "sparse and W=1 over ${#objs[@]} object(s) (log: ${buildlog#"$top"/})"
with_progress "[check] sparse/W=1" \
	make -k -s -C "$tree" O="$out" ARCH=x86_64 CC="$cc" HOSTCC="$cc" -j"$(nproc)" \
	--output-sync=target "${checkflags[@]}" "${objs[@]}" > "$buildlog" 2>&1 || true

sp_pass=0 sp_fail=0 sp_skip=0 sp_fails=()
w_pass=0 w_fail=0 w_fails=()
report=$("$top/scripts/new_warnings.py" "$tree" "$out" base "$buildlog" \
	"$top/config/static.ignore" "${files[@]}")
while read -r f nsparse nw1; do
	[ -n "$f" ] || continue
	if [[ $f == *.c ]] && [ -z "${included[$f]:-}" ] && [ ! -f "$out/${f%.c}.o" ]; then
		# (kbuild builds a single object even when the config does
		# not select it, so this is a build error; sparse did not run)
		w_fail=$((w_fail + 1)); w_fails+=("W=1/$f: does not build")
		sp_skip=$((sp_skip + 1))
		log "$f: does not build with W=1, see ${buildlog#"$top"/}"
		continue
	fi
	if [ -z "$sparse" ]; then
		:
	elif [ "$nsparse" = 0 ]; then
		sp_pass=$((sp_pass + 1))
	else
		sp_fail=$((sp_fail + 1)); sp_fails+=("sparse/$f")
		log "$f: $nsparse sparse warning(s) on lines of the series"
	fi
	if [ "$nw1" = 0 ]; then
		w_pass=$((w_pass + 1))
	else
		w_fail=$((w_fail + 1)); w_fails+=("W=1/$f")
		log "$f: $nw1 W=1 warning(s) on lines of the series"
	fi
done < <(grep -v '^  ' <<< "$report")
grep '^  ' <<< "$report" | sed 's/^/[check] /' >&2 || true
[ -z "$sparse" ] || log "sparse: $sp_pass file(s) with no warning of the series, $sp_fail with some, $sp_skip not checked"
log "W=1: $w_pass file(s) with no warning of the series, $w_fail with some or not building"
[ -z "$sparse" ] || record sparse "$sp_pass" "$sp_fail" "$sp_skip" "${sp_fails[@]}"
record W=1 "$w_pass" "$w_fail" 0 "${w_fails[@]}"
recorded=1
[ -n "$sparse" ] && [ "$sp_fail" = 0 ] && [ "$w_fail" = 0 ]
