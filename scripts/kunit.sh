#!/usr/bin/env bash
# Run KUnit suites of the series' tree with tools/testing/kunit/kunit.py.
#
# usage: kunit.sh RESULTS_JSONL
# Suites (one kunit.py run each, UML unless stated):
#   generic_pt   --kunitconfig drivers/iommu/generic_pt
# The summary line of each run is recorded with scripts/results.py.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/build/linux
results=${1:-}
jobs=${JOBS:-$(nproc)}

log() { printf '[kunit] %s\n' "$*" >&2; }

make_opts=()
if command -v ccache >/dev/null 2>&1 && [ "${NO_CCACHE:-0}" != 1 ]; then
	export CCACHE_DIR=${CCACHE_DIR:-$top/build/ccache}
	make_opts=(--make_options "CC=ccache gcc" --make_options "HOSTCC=ccache gcc")
fi

# run_kunit LABEL BUILD_DIR kunit.py-args...
run_kunit() {
	local label=$1 bdir=$2 logf summary p f s start
	shift 2
	logf=$top/build/kunit-$label.log
	log "$label: kunit.py run $* (log: ${logf#$top/})"
	start=$(date +%s)
	set +e
	(cd "$tree" && python3 tools/testing/kunit/kunit.py run --build_dir "$bdir" \
		--jobs "$jobs" "${make_opts[@]}" "$@") >"$logf" 2>&1
	local rc=$?
	set -e
	log "$label: kunit.py exit $rc after $(($(date +%s) - start)) s"
	summary=$(grep -E 'Testing complete\. Ran [0-9]+ tests' "$logf" | tail -1 || true)
	if [ -z "$summary" ]; then
		tail -20 "$logf" >&2
		[ -z "$results" ] || "$top/scripts/results.py" count "$results" "kunit/$label" 0 1 0 \
			"kunit/$label: kunit.py did not complete (exit $rc), see ${logf#$top/}"
		return 1
	fi
	log "$label: ${summary#*] }"
	p=$(echo "$summary" | sed -nE 's/.*passed: ([0-9]+).*/\1/p')
	f=$(echo "$summary" | sed -nE 's/.*failed: ([0-9]+).*/\1/p')
	s=$(echo "$summary" | sed -nE 's/.*skipped: ([0-9]+).*/\1/p')
	mapfile -t fails < <(grep -E '\[FAILED\]' "$logf" | sed -E 's/^\[[^]]*\] //' | head -50)
	[ -z "$results" ] || "$top/scripts/results.py" count "$results" "kunit/$label" \
		"${p:-0}" "${f:-0}" "${s:-0}" "${fails[@]}"
	[ "${f:-0}" = 0 ] && [ "$rc" = 0 ]
}

rc=0
run_kunit generic_pt "$top/build/kunit-uml" --kunitconfig drivers/iommu/generic_pt || rc=1
exit $rc
