#!/usr/bin/env python3
"""Summarise the figures of the bench plan (guest/plans/bench.sh).

usage: bench.py RESULTS_LOG
       bench.py --probes     (the kprobe_event= value for BENCH_TRACE=1)

Every figure is a ratio or a per-unit cost from one run: timings under TCG
vary from run to run and machine to machine, their ratios much less (and
hardly at all with BENCH_ICOUNT, where guest time counts instructions).
The plan makes its three kexecs (nothing, the memfd alone, igb (and with
BENCH_DEVICES=2 edu) + iommufd + memfd preserved) and its reclaim and
re-map in rounds; each figure is the median over the rounds, and the kexec
ratios are also given per round.

With BENCH_TRACE=1 the kernels carry a kprobe and a kretprobe on each
function of PROBES.  The new kernel's boot events are dumped from its trace
buffer at the start of each stage ("# ktrace" lines of the results log);
the old kernel's, from reboot() on, go to the console (tracepoint_printk).
A part's time on a kexec path is the union of the intervals of its
functions, so that nested ones count once: the IOMMU's live update
functions alone, the IOMMU's whole path (its shutdown and init too, which
a kept unit shortens), and that with vfio-pci's and LUO's work.
"""
import os
import re
import statistics
import sys

# (function, kernel, part): the IOMMU's live update functions ("lu"), the
# IOMMU's ordinary kexec path around them ("path": the shutdown of the units
# and the init of the driver, shorter when a unit is kept), vfio-pci's
# ("vfio") and LUO's ("luo") own work
PROBES = [
    ("liveupdate_reboot", "old", "luo"),
    ("vfio_pci_lu_freeze", "old", "vfio"),
    ("intel_iommu_shutdown", "old", "path"),
    ("intel_iommu_lu_shutdown", "old", "lu"),
    ("pci_iommu_init", "new", "path"),
    ("intel_iommu_lu_adopt", "new", "lu"),
    ("iommu_lu_flb_retrieve", "new", "lu"),
    ("iommu_lu_probe_device", "new", "lu"),
    ("intel_iommu_lu_probe_device", "new", "lu"),
    ("iommu_lu_restore_domain", "new", "lu"),
    ("intel_iommu_attach_restored_dev", "new", "lu"),
    ("intel_iommu_lu_fence_missing", "new", "lu"),
    ("vfio_pci_probe", "new", "vfio"),
]
# The sums given: the live update functions alone (what they add, gross),
# the IOMMU's whole kexec path (net of what a kept unit saves), and that
# with vfio-pci's and LUO's work
PARTS = (("the IOMMU's live update functions", {"lu"}),
         ("the IOMMU's whole path", {"lu", "path"}),
         ("IOMMU path, vfio-pci and LUO", {"lu", "path", "vfio", "luo"}))

# "p_FUNC_0: (FUNC+0x0/0x..)" at entry, "r_FUNC_0: (CALLER+.. <- FUNC)" at
# return: kprobe_event= names each probe after its type and function
EVENT = re.compile(r"([pr])_(\w+)_0: \(")


def probes():
    return ";".join("p,%s;r,%s" % (f, f) for f, _, _ in PROBES)


def parse(path):
    stage_tsc, kexec_tsc, mhz, figures, uptime = [], [], None, {}, []
    boot_events = []
    with open(path, errors="replace") as f:
        for line in f:
            m = re.match(r"# tsc (\d+) ([\d.]+) MHz", line)
            if m:
                stage_tsc.append(int(m.group(1)))
                mhz = float(m.group(2))
                boot_events.append([])
                continue
            m = re.match(r"# ktrace .* ([\d.]+): ", line)
            if m and boot_events:
                e = EVENT.search(line)
                if e:
                    boot_events[-1].append((float(m.group(1)) * 1e3,
                                            e.group(1), e.group(2)))
                continue
            m = re.match(r"# uptime ([\d.]+)", line)
            if m:
                uptime.append(float(m.group(1)) * 1e3)
                continue
            m = re.match(r"lu-kexec: tsc (\d+)", line)
            if m:
                kexec_tsc.append(int(m.group(1)))
                continue
            m = re.match(r"# BENCH (\w+)=([\d.]+)", line)
            if m:
                figures.setdefault(m.group(1), []).append(float(m.group(2)))
    return stage_tsc, kexec_tsc, mhz, figures, uptime, boot_events


def shutdown_events(console):
    """Per kexec, the old kernel's events, printed from the plan's marker
    to the next kernel's first line (tp_printk stops at the end of each
    boot and starts again at the marker)."""
    kexecs, collecting = [], False
    with open(console, errors="replace") as f:
        for line in f:
            m = re.match(r"\[ *([\d.]+)\] (.*)", line)
            if not m:
                continue
            if "bench: kexec, its events follow" in m.group(2):
                kexecs.append([])
                collecting = True
                continue
            if m.group(2).startswith("Linux version"):
                collecting = False
                continue
            e = EVENT.match(m.group(2))
            if e and collecting:
                kexecs[-1].append((float(m.group(1)) * 1e3, e.group(1), e.group(2)))
    return kexecs


def intervals(events, funcs):
    """[(start, end)] of each call of the functions, in ms."""
    out, open_calls = [], {}
    for t, kind, func in events:
        if func not in funcs:
            continue
        if kind == "p":
            open_calls.setdefault(func, []).append(t)
        elif open_calls.get(func):
            out.append((open_calls[func].pop(), t))
    return sorted(out)


def covered(spans):
    """Time covered by the union of the spans."""
    total, end = 0.0, None
    for a, b in spans:
        if end is None or a > end:
            total += b - a
            end = b
        elif b > end:
            total += b - end
            end = b
    return total


def per_function(events, kernel):
    """{function: (calls, ms)} of the probed functions of that kernel."""
    out = {}
    for func, k, _ in PROBES:
        spans = intervals(events, {func})
        if k == kernel and spans:
            out[func] = (len(spans), sum(b - a for a, b in spans))
    return out


def own(events, kernel, parts):
    return covered(intervals(events, {f for f, k, p in PROBES
                                      if k == kernel and p in parts}))


def own_both(old, new, parts):
    return own(old, "old", parts) + own(new, "new", parts)


def kept_name(devices):
    """What the third kexec of a round preserves."""
    return "igb + edu + iommufd + memfd" if devices == 2 else "igb + iommufd + memfd"


def trace_rows(kexec_ms, old, new, kept="igb + iommufd + memfd"):
    """Rows for the work of the IOMMU (and of vfio-pci and LUO) on the
    kexecs, per kind of kexec.

    kexec_ms[i], old[i] and new[i] are kexec i's time and its events in
    the old and the new kernel.
    """
    names = ("nothing", "memfd alone", kept)
    rows = []
    for kind in range(3):
        idx = [i for i in range(kind, len(kexec_ms), 3)
               if i < len(old) and i < len(new)]
        if not idx:
            continue
        for label, parts in PARTS:
            o = statistics.median(own(old[i], "old", parts) for i in idx)
            n = statistics.median(own(new[i], "new", parts) for i in idx)
            rows.append(("%s, kexec with %s preserved: old / new kernel" %
                         (label, names[kind]),
                         "%.2f / %.2f ms (median of %d)" % (o, n, len(idx))))
        if kind != 2:
            continue
        last = idx[-1]
        for k, ev in (("old", old[last]), ("new", new[last])):
            for func, (calls, ms) in per_function(ev, k).items():
                rows.append(("  %s kernel, last round: %s" % (k, func),
                             "%.2f ms (%d call%s)" % (ms, calls, "" if calls == 1 else "s")))
        # What it adds to the kexec with nothing preserved of the same round
        for label, parts in PARTS:
            share = [1 + (own_both(old[i], new[i], parts) -
                          own_both(old[i - 2], new[i - 2], parts)) / kexec_ms[i - 2]
                     for i in idx if i >= 2]
            if share:
                rows.append(("(kexec with nothing + what %s add) / kexec with nothing" % label,
                             "%.4f (rounds: %s)" % (statistics.median(share),
                                                    fmt_rounds(share, "%.4f"))))
    return rows


def kexec_times(stage_tsc, kexec_tsc, mhz):
    """Kexec i in ms, from the reboot() of kernel i + 1 to the init of
    kernel i + 2; they come as none, memfd alone, kept, none, ..."""
    return [(stage_tsc[i + 1] - kexec_tsc[i]) / mhz / 1e3
            for i in range(min(len(kexec_tsc), len(stage_tsc) - 1))]


def kexecs(times):
    """(none, memfd alone, kept) in ms for every complete round."""
    return [tuple(times[i:i + 3]) for i in range(0, len(times) - 2, 3)]


def fmt_rounds(values, form):
    return ", ".join(form % v for v in values)


def main():
    if sys.argv[1:] == ["--probes"]:
        print(probes())
        return 0
    stage_tsc, kexec_tsc, mhz, lists, uptime, boot_events = parse(sys.argv[1])
    times = kexec_times(stage_tsc, kexec_tsc, mhz) if mhz else []
    rounds = kexecs(times)
    if not rounds or "remap_ms" not in lists:
        print("bench: incomplete run (%d stages, %d kexecs, figures: %s)" %
              (len(stage_tsc), len(kexec_tsc), ", ".join(sorted(lists))))
        return 1
    f = {k: statistics.median(v) for k, v in lists.items()}
    kept_mem = [k / m for n, m, k in rounds]
    mem_none = [m / n for n, m, k in rounds]
    kept_none = [k / n for n, m, k in rounds]
    med = [statistics.median(r[i] for r in rounds) for i in range(3)]
    gib = f["mib"] / 1024
    # printed by the stages that preserve or retrieve devices
    devices = int(max(lists.get("devices", [1])))
    kept = kept_name(devices)
    rows = [
        ("guest memory mapped for the igb", "%d MiB" % f["mib"]),
        ("devices preserved (on one HWPT)", "%d" % devices),
        ("rounds (a figure below is their median)", "%d" % len(rounds)),
        ("kexec (reboot() to next init), %s / memfd alone preserved" % kept,
         "%.3f (rounds: %s)" % (statistics.median(kept_mem), fmt_rounds(kept_mem, "%.3f"))),
        ("kexec, memfd alone / nothing preserved",
         "%.3f (rounds: %s)" % (statistics.median(mem_none), fmt_rounds(mem_none, "%.3f"))),
        ("kexec, %s / nothing preserved" % kept,
         "%.3f (rounds: %s)" % (statistics.median(kept_none), fmt_rounds(kept_none, "%.3f"))),
        ("  each kexec on its own, median ms: %s / memfd alone / nothing" % kept,
         "%.0f / %.0f / %.0f (ratio of the first two: %.3f)" %
         (med[2], med[1], med[0], med[2] / med[1])),
    ]
    # The new kernel's clock (/proc/uptime) runs from its timekeeping init:
    # the rest is the old kernel's shutdown, the jump and the earliest boot.
    # The kernels calibrate the TSC differently, so compare the sums.
    if len(uptime) >= 4:
        rows += [
            ("  of which on the new kernel's clock (round 1): all / memfd alone / none",
             "%.0f ms / %.0f ms / %.0f ms" % (uptime[3], uptime[2], uptime[1])),
        ]
    rows += [
        ("re-map / reclaim (session retrieved -> IOAS mutable, DMA verified)",
         "%.2f (rounds: %s)" %
         (f["remap_over_reclaim"], fmt_rounds(lists["remap_over_reclaim"], "%.1f"))),
        ("  each on its own, median ms: re-map / reclaim",
         "%.0f / %.0f" % (f["remap_ms"], f["reclaim_ms"])),
        ("reclaim per GiB", "%.0f ms" % (f["reclaim_ms"] / gib)),
        ("  of which the reclaim ioctl", "%.0f ms" % (f.get("reclaim_ioctl_ms", 0) / gib)),
        ("  of which the DMA check (per run, not per GiB)", "%.1f ms" % f.get("reclaim_dma_ms", 0)),
        ("re-map per GiB", "%.0f ms" % (f["remap_ms"] / gib)),
        ("  of which the DMA check (per run, not per GiB)", "%.1f ms" % f.get("remap_dma_ms", 0)),
        ("IOAS_MAP_FILE per GiB (old kernel, of the memfd it retrieved)",
         "%.0f ms" % (f["map_ms"] / gib)),
        ("preserve of the iommufd per GiB (old kernel)",
         "%.1f ms" % (f["preserve_iommufd_ms"] / gib)),
        ("preserve of the memfd per GiB", "%.1f ms" % (f["preserve_memfd_ms"] / gib)),
        ("  the same memfd preserved alone, per GiB",
         "%.1f ms" % (f.get("preserve_memfd_alone_ms", 0) / gib)),
        ("session retrieve (pins the guest memory) per GiB",
         "%.0f ms" % (f["retrieve_session_ms"] / gib)),
    ]
    # Kexec i boots kernel i + 2, whose dump is boot_events[i + 1]
    console = os.path.join(os.path.dirname(sys.argv[1]), "console.log")
    if any(boot_events) and os.path.exists(console):
        rows += trace_rows(times, shutdown_events(console), boot_events[1:], kept)
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print("%-*s  %s" % (width, name, value))
    return 0


if __name__ == "__main__":
    sys.exit(main())
