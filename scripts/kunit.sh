#!/usr/bin/env bash
# Run KUnit suites of the series' tree with tools/testing/kunit/kunit.py.
#
# usage: kunit.sh RESULTS_JSONL
# Suites (one kunit.py run each; KUNIT_SUITES, default "generic_pt"):
#   generic_pt   UML, --kunitconfig drivers/iommu/generic_pt
#   liveupdate   x86_64 under QEMU, --kunitconfig drivers/iommu and
#                kernel/liveupdate (the series' in-tree files): the
#                generic_pt suites again plus the IOMMU live update ones
#                and kho_block's (KHO exists only on x86 and arm64, not on
#                UML).  Not run by make test: the guest kernel has the live
#                update suites built in and the kunit plan
#                (guest/plans/kunit.sh) runs them, which saves building a
#                second x86_64 kernel.
# The summary line of each run is recorded with scripts/results.py.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
tree=$top/build/linux
results=${1:-}
jobs=${JOBS:-$(nproc)}

log() { printf '[kunit] %s\n' "$*" >&2; }

make_opts=()
if command -v ccache >/dev/null 2>&1 && [ "${NO_CCACHE:-0}" != 1 ]; then
	export CCACHE_DIR=${CCACHE_DIR:-$top/build/ccache}
	make_opts=(--make_options "CC=ccache gcc" --make_options "HOSTCC=ccache gcc")
fi

# kunit.py starts QEMU with -accel kvm first; a KVM guest hangs on machines
# that are themselves VMs. Hide /dev/kvm in a private mount namespace so QEMU
# falls back to TCG (ACCEL=kvm keeps it, as for scripts/vmrun.sh). UML runs
# do not mind.
no_kvm=()
if [ -e /dev/kvm ] && [ "${ACCEL:-}" != kvm ]; then
	# as root a mount namespace will do; otherwise a user namespace too
	[ "$(id -u)" = 0 ] && unshare_opts=-m || unshare_opts=-rm
	no_kvm=(unshare "$unshare_opts" sh -c 'mount --bind /dev/null /dev/kvm && exec "$@"' sh)
fi

# run_logged LOG CMD...: run CMD in the tree, all output to LOG.
run_logged() {
	local logf=$1
	shift
	(cd "$tree" && "$@") >"$logf" 2>&1
}

# run_kunit LABEL BUILD_DIR kunit.py-args...
run_kunit() {
	local label=$1 bdir=$2 logf summary p f s start
	shift 2
	logf=$top/build/kunit-$label.log
	log "$label: kunit.py run $* (log: ${logf#$top/})"
	start=$(date +%s)
	set +e
	with_progress "[kunit] $label" run_logged "$logf" "${no_kvm[@]}" \
		python3 tools/testing/kunit/kunit.py run --build_dir "$bdir" \
		--jobs "$jobs" "${make_opts[@]}" "$@"
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
	if echo "$summary" | grep -q 'Ran 0 tests'; then
		[ -z "$results" ] || "$top/scripts/results.py" count "$results" "kunit/$label" 0 1 0 \
			"kunit/$label: no test ran"
		return 1
	fi
	p=$(echo "$summary" | sed -nE 's/.*passed: ([0-9]+).*/\1/p')
	# kunit.py prints only the non-zero fields: failed, crashed, errors.
	f=0
	for k in failed crashed errors; do
		n=$(echo "$summary" | sed -nE "s/.*$k: ([0-9]+).*/\1/p")
		f=$((f + ${n:-0}))
	done
	s=$(echo "$summary" | sed -nE 's/.*skipped: ([0-9]+).*/\1/p')
	mapfile -t fails < <(grep -E '\[(FAILED|CRASHED)\]' "$logf" | sed -E 's/^\[[^]]*\] //' | head -50)
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1
		fails+=("kunit/$label: kunit.py exit $rc with no failing case, see ${logf#$top/}")
	fi
	[ -z "$results" ] || "$top/scripts/results.py" count "$results" "kunit/$label" \
		"${p:-0}" "$f" "${s:-0}" "${fails[@]}"
	[ "$f" = 0 ]
}

rc=0
for suite in ${KUNIT_SUITES:-generic_pt}; do
	case $suite in
	generic_pt)
		run_kunit generic_pt "$top/build/kunit-uml" \
			--kunitconfig drivers/iommu/generic_pt || rc=1
		;;
	liveupdate)
		run_kunit liveupdate "$top/build/kunit-x86_64" --arch=x86_64 \
			--kunitconfig drivers/iommu --kunitconfig kernel/liveupdate \
			--kernel_args kho=on --timeout 1200 || rc=1
		;;
	*)
		log "unknown suite $suite"
		rc=1
		;;
	esac
done
exit $rc
