# IOMMU live update: the patch series and its harness.
#
#   make            the demo: boot the patched kernel behind VT-d in QEMU, give
#                   igb to vfio-pci, DMA through iommufd, live-update kexec
#   make test       everything CI runs; ends with "N passed, N failed"
#
#   make deps       install build tools and QEMU (apt, as root)
#   make tree       materialise build/linux: pristine base + git am patches/
#   make kernel     build the guest kernel (build/kbuild)
#   make initramfs  build the selftests and the guest initramfs
#   make kunit      KUnit (generic_pt on UML)
#   make vmtest     guest plans in QEMU: MODE=legacy|sm|sm-flts PLANS="luo kunit iommufd vfio vfio_ats vfio_lu vfio_fence"
#   make bench      the live update's figures (BENCH_MIB=1024 MODE=legacy; BENCH_TRACE=1 also times
#                   the IOMMU's own work on each kexec, on a kernel with kprobe events;
#                   BENCH_DEVICES=2 preserves edu beside igb; BENCH_ICOUNT=0 counts guest
#                   time in instructions, so that host noise drops out of the ratios)
#   make bisect-check  build the guest kernel at every patch of the series (steps
#                   config/bisect-check.results records as built are not built
#                   again; BISECT_FRESH=1 builds every one)
#   make check      checkpatch.pl --strict over patches/, kernel-doc -Wall over
#                   the files they touch (no warning more than at the base),
#                   sparse and W=1 on their objects (none on the series' lines)
#   make export     write the series of build/linux back to patches/
#   make export-check  fail if build/linux holds work patches/ does not

SHELL := /bin/bash
MODE ?= legacy
PLANS ?= luo kunit iommufd vfio vfio_ats vfio_lu vfio_fence
export LINUX_SRC JOBS FORCE ACCEL

# The prerequisites of demo must run in order, even under make -j.
.NOTPARALLEL:

.PHONY: all demo test bench deps base tree kernel initramfs kunit vmtest check bisect-check \
	export export-check clean

all: demo

demo: deps tree kernel initramfs
	@scripts/demo.sh

test:
	@scripts/test.sh

bench: deps tree kernel initramfs
	@scripts/bench.sh

deps:
	@scripts/deps.sh

base:
	@scripts/fetch-base.sh >/dev/null

tree: base
	@scripts/tree.sh

kernel:
	@scripts/kernel.sh

initramfs:
	@scripts/initramfs.sh

kunit:
	@scripts/kunit.sh

vmtest:
	@rm -f build/test/vmtest.jsonl; mkdir -p build/test build/vm; \
	for p in $(PLANS); do \
		d=build/vm/$(MODE)-$$p; \
		echo "[vmtest] $(MODE)/$$p"; \
		r=; scripts/vmrun.sh -m $(MODE) -o $$d $$p 2>$$d.err || r=$$(cat $$d.err); \
		scripts/results.py vm build/test/vmtest.jsonl $(MODE)/$$p $$d/results.log \
			guest/plans/$$p.sh "$$r" || \
		scripts/results.py count build/test/vmtest.jsonl $(MODE)/$$p 0 1 0 \
			"could not evaluate $(MODE)/$$p: $$r"; \
	done; scripts/results.py summary build/test/vmtest.jsonl

check:
	@scripts/check.sh

bisect-check:
	@scripts/bisect-check.sh

export:
	@scripts/export.sh

export-check:
	@scripts/export.sh --check

clean:
	rm -rf build/kbuild build/hdrbuild build/headers build/selftests \
		build/initramfs build/initramfs.cpio.gz build/vm build/test \
		build/kunit-uml build/kunit-x86_64
