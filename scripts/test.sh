#!/usr/bin/env bash
# make test: everything, from a fresh machine to one closing line.
#   deps -> tree -> kernel -> initramfs -> KUnit -> guest plans ->
#   checkpatch, kernel-doc, sparse and W=1 (scripts/check.sh)
# Every step that fails is recorded as a failure and the run goes on where it
# can, so the summary always says what ran.  The last line is
# "N passed, N failed"; the exit status is non-zero if anything failed.
#
# MODES (default "legacy") and PLANS (default "luo kunit iommufd vfio
# vfio_ats vfio_lu vfio_fence") select the guest runs; the plans in SM_PLANS
# (default "vfio_ats vfio_lu vfio_fence", "" for none) also run in scalable
# mode, recorded as
# "sm/<plan>", and those in FLTS_PLANS (default "vfio_lu") in scalable
# mode with first-stage tables only (x-flts=on), recorded as
# "sm-flts/<plan>".  vfio_fence is not run there by default: what it
# checks (root, context and PASID entries, interrupt remapping) is the
# same with first-stage tables, and its eight kernels would add about a
# minute.  SKIP_KUNIT=1 leaves KUnit out (it is then not counted at all).
# The guest runs go side by side, VM_JOBS at a time (default: one per CPU,
# at most 4).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
MODES=${MODES:-legacy}
PLANS=${PLANS:-"luo kunit iommufd vfio vfio_ats vfio_lu vfio_fence"}
SM_PLANS=${SM_PLANS-"vfio_ats vfio_lu vfio_fence"}
FLTS_PLANS=${FLTS_PLANS-"vfio_lu"}
out=$top/build/test
results=$out/results.jsonl
t0=$(date +%s)

mkdir -p "$out/vm"
# One run at a time per checkout: two would share build/ and this results file.
exec 9>"$out/lock"
flock -n 9 || { echo "[test] another make test is running in $top" >&2; exit 1; }
: > "$results"

step() { printf '[test] %s (%ds)\n' "$*" "$(($(date +%s) - t0))" >&2; }
record_fail() { "$top/scripts/results.py" count "$results" "$1" 0 1 0 "$2"; }

built=1
step "dependencies"
"$top/scripts/deps.sh" || { record_fail setup "deps.sh failed"; built=0; }
if [ "$built" = 1 ]; then
	step "harness self-test (result accounting, warning attribution)"
	log=$out/harness.log
	python3 -m unittest discover -v -s "$top/scripts/tests" -p 'test_*.py' >"$log" 2>&1
	ran=$(sed -nE 's/^Ran ([0-9]+) tests?.*/\1/p' "$log")
	mapfile -t fails < <(grep -E '^(FAIL|ERROR):' "$log" | sed 's/^/harness: /')
	bad=${#fails[@]}
	if [ -z "$ran" ]; then
		record_fail harness "scripts/tests/ did not run, see ${log#$top/}"
	else
		"$top/scripts/results.py" count "$results" harness $((ran - bad)) "$bad" 0 "${fails[@]}"
	fi
fi
if [ "$built" = 1 ]; then
	step "materialising build/linux"
	"$top/scripts/tree.sh" || { record_fail setup "tree.sh failed (a patch does not apply?)"; built=0; }
fi
if [ "$built" = 1 ]; then
	step "building the guest kernel"
	"$top/scripts/kernel.sh" || { record_fail build "kernel build failed"; built=0; }
fi
if [ "$built" = 1 ]; then
	step "building selftests and initramfs"
	"$top/scripts/initramfs.sh" || { record_fail build "selftests/initramfs build failed"; built=0; }
fi

if [ -d "$top/build/linux/.git" ] && [ "${SKIP_KUNIT:-0}" != 1 ]; then
	step "KUnit"
	"$top/scripts/kunit.sh" "$results"
fi

# guest_run MODE PLAN: one guest boot, recorded as MODE/PLAN.
guest_run() {
	local mode=$1 plan=$2 d reason= s
	step "guest: $mode/$plan"
	d=$out/vm/$mode-$plan
	s=$(date +%s)
	"$top/scripts/vmrun.sh" -m "$mode" -t "${VM_TIMEOUT:-1200}" -o "$d" "$plan" 2>"$d.err" ||
		reason=$(cat "$d.err")
	"$top/scripts/results.py" vm "$results" "$mode/$plan" "$d/results.log" \
		"$top/guest/plans/$plan.sh" "$reason" ||
		record_fail "$mode/$plan" "could not evaluate $mode/$plan: ${reason:-results.py failed}"
	step "guest: $mode/$plan done in $(($(date +%s) - s)) s${reason:+: $reason}"
}

# guest_rank PLAN: the longest plans start first, so that the runs still
# going at the end are short ones
guest_rank() {
	case $1 in
	vfio_lu) echo 0 ;;
	vfio_fence) echo 1 ;;
	vfio) echo 2 ;;
	*) echo 3 ;;
	esac
}

if [ "$built" = 1 ]; then
	runs=()
	for mode in $MODES; do
		for plan in $PLANS; do
			runs+=("$mode $plan")
		done
	done
	for plan in $SM_PLANS; do
		# Not twice when MODES has sm and PLANS has the plan
		[[ " $MODES " == *" sm "* && " $PLANS " == *" $plan "* ]] && continue
		runs+=("sm $plan")
	done
	for plan in $FLTS_PLANS; do
		[[ " $MODES " == *" sm-flts "* && " $PLANS " == *" $plan "* ]] && continue
		runs+=("sm-flts $plan")
	done
	# Each guest has one vCPU, so one QEMU keeps one host CPU busy: run as
	# many side by side as there are CPUs (VM_JOBS, at most 4 by default,
	# each guest takes 2 GiB)
	ncpu=$(nproc)
	vm_jobs=${VM_JOBS:-$((ncpu < 4 ? ncpu : 4))}
	mapfile -t runs < <(for r in "${runs[@]}"; do
			echo "$(guest_rank "${r#* }") $r"
		done | sort -s -n -k1,1 | cut -d' ' -f2-)
	running=0
	for r in "${runs[@]}"; do
		if [ "$running" -ge "$vm_jobs" ]; then
			wait -n
			running=$((running - 1))
		fi
		guest_run "${r% *}" "${r#* }" &
		running=$((running + 1))
	done
	wait
fi

if [ -d "$top/build/linux/.git" ]; then
	step "checkpatch, kernel-doc, sparse, W=1"
	"$top/scripts/check.sh" "$results"
fi

step "done"
"$top/scripts/results.py" summary "$results"
