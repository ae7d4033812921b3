#!/usr/bin/env python3
"""Tally test results for `make test`.

Subcommands (all append one JSON record per suite to RESULTS, a .jsonl file):

  vm RESULTS LABEL RESULTS_LOG PLAN_FILE [REASON]
      Parse the guest's ttyS1 log.  Every `run NAME ...` in the plan file is
      an expected test; within `=== BEGIN NAME` / `=== END NAME rc=N` the
      top-level KTAP lines count case by case.  A test without KTAP results
      counts once by its exit code (0 pass, 4 skip).  A missing test, a test
      that never ended, or KTAP results short of the plan count as failed.
  count RESULTS LABEL PASSED FAILED SKIPPED [FAILURE...]
      Record counts computed elsewhere (KUnit, checkpatch).
  summary RESULTS
      Print one KTAP-style line per suite, the failures, the skips and
      expected failures, then the final line "N passed, N failed".
      Exit 1 if anything failed.

Expected failures: config/expected-failures, lines "SUITE-TEST  reason" where
SUITE-TEST is e.g. "iommufd/iommufd.some_case" or a shell glob of it.  They are
reported separately and never counted as passed.
"""
import fcntl
import fnmatch
import json
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
XFAIL_FILE = os.environ.get('LU_XFAIL_FILE', os.path.join(TOP, 'config', 'expected-failures'))

KTAP_RESULT = re.compile(r'^(not ok|ok) (\d+)\s*-?\s*(.*)$')
# Kernel log lines that fail a guest run even when every test passed.  DMAR
# faults are not among them: some VFIO tests provoke them on purpose.
KERNEL_SPLAT = re.compile(r'(WARNING:|BUG:|Oops|Call Trace:|UBSAN:|KASAN:|Kernel panic|'
                          r'detected stalls|blocked for more than|suspicious RCU usage)')
KTAP_PLAN = re.compile(r'^1\.\.(\d+)')


def load_xfail():
    xf = []
    if os.path.exists(XFAIL_FILE):
        for line in open(XFAIL_FILE):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            parts = line.split(None, 1)
            xf.append((parts[0], parts[1] if len(parts) > 1 else ''))
    return xf


def xfail_reason(xf, name):
    for pat, why in xf:
        if fnmatch.fnmatchcase(name, pat):
            return why
    return None


def parse_blocks(path):
    """Return {test: {'lines': [...], 'rc': int|None}} and the stages seen."""
    blocks, stages, cur = {}, [], None
    try:
        text = open(path, errors='replace').read()
    except OSError:
        text = ''
    for raw in text.splitlines():
        line = raw.rstrip('\r')
        if line.startswith('=== STAGE '):
            stages.append(line[len('=== STAGE '):])
            cur = None
            continue
        m = re.match(r'^=== BEGIN (\S+)', line)
        if m:
            cur = m.group(1)
            blocks[cur] = {'lines': [], 'rc': None}
            continue
        m = re.match(r'^=== END (\S+) rc=(-?\d+)', line)
        if m and cur == m.group(1):
            blocks[cur]['rc'] = int(m.group(2))
            cur = None
            continue
        if cur is not None:
            blocks[cur]['lines'].append(line)
    return blocks, stages


def expected_tests(plan_file):
    names = []
    for line in open(plan_file):
        # `VAR=value run NAME ...` too
        m = re.match(r'^\s*(?:[A-Za-z_]\w*=\S*\s+)*run\s+(\S+)\s', line)
        if m:
            names.append(m.group(1))
    return names


def record_failure(rec, xf, case, label):
    """A failed case: an expected failure if listed, else a failure."""
    reason = xfail_reason(xf, case)
    if reason is not None:
        rec['xfail'] += 1
        rec['xfails'].append(f'{case}: {reason}')
    else:
        rec['failed'] += 1
        rec['failures'].append(label)


def tally_block(test, block, rec, xf, suite):
    plan = None
    seen = 0
    bad_before = rec['failed'] + rec['xfail']
    for line in block['lines']:
        m = KTAP_PLAN.match(line)
        if m and plan is None:
            plan = int(m.group(1))
            continue
        m = KTAP_RESULT.match(line)
        if not m:
            continue
        seen += 1
        status, _, rest = m.groups()
        desc, directive, why = rest, '', ''
        if ' # ' in rest or rest.startswith('# '):
            head, _, tail = (' ' + rest).rpartition(' # ')
            word, _, why = tail.partition(' ')
            if word.upper() in ('SKIP', 'TODO', 'XFAIL'):
                desc, directive = head.strip(), word
        case = f'{suite}/{desc.strip() or test}'
        directive = (directive or '').upper()
        if directive == 'SKIP':
            rec['skipped'] += 1
            rec['skips'].append(f'{case}: {why.strip()}')
        elif status == 'ok':
            if xfail_reason(xf, case) is not None:
                rec['notes'].append(f'{case}: listed as expected failure but passed; '
                                    'remove it from config/expected-failures')
            rec['passed'] += 1
        else:
            record_failure(rec, xf, case, case)
    rc = block['rc']
    two_stage = re.search(r'\.stage\d+$', test)
    if two_stage and seen == 0 and (rc == 4 or plan == 0):
        # A skipped stage (e.g. no /dev/liveupdate: "1..0 # SKIP", exit 4)
        # is a broken kexec test, with or without KTAP.
        rec['failed'] += 1
        rec['failures'].append(f'{suite}/{test} (skipped a stage of a two-stage test)')
        return
    if seen == 0 and plan is None:
        case = f'{suite}/{test}'
        if rc == 0:
            rec['passed'] += 1
        elif rc == 4:
            rec['skipped'] += 1
            rec['skips'].append(f'{case}: exit 4 (skip)')
        else:
            why = 'did not finish' if rc is None else f'exit {rc}'
            record_failure(rec, xf, case, f'{case} ({why})')
        return
    if plan == 0 and seen == 0:
        rec['skipped'] += 1
        rec['skips'].append(f'{suite}/{test}: plan 1..0 (nothing to run)')
        return
    if plan is not None and seen < plan:
        rec['failed'] += plan - seen
        rec['failures'].append(f'{suite}/{test}: {plan - seen} of {plan} planned cases never reported')
    if rc is None:
        rec['failed'] += 1
        rec['failures'].append(f'{suite}/{test}: did not finish')
    elif rc not in (0, 4) and rec['failed'] + rec['xfail'] == bad_before:
        rec['failed'] += 1
        rec['failures'].append(f'{suite}/{test}: exit {rc} with no failing case')


def new_record(label):
    return {'suite': label, 'passed': 0, 'failed': 0, 'skipped': 0, 'xfail': 0,
            'failures': [], 'skips': [], 'xfails': [], 'notes': []}


def kernel_log_check(rec, suite, console):
    """One more case per guest run: the kernel log shows no splat."""
    try:
        lines = open(console, errors='replace').read().splitlines()
    except OSError:
        lines = []
    bad = [l.strip() for l in lines if KERNEL_SPLAT.search(l)]
    if not lines:
        rec['failed'] += 1
        rec['failures'].append(f'{suite}/kernel-log: no console log')
    elif bad:
        rec['failed'] += 1
        rec['failures'].append(f'{suite}/kernel-log: {bad[0][:160]}')
    else:
        rec['passed'] += 1


def append_record(out, rec):
    """One line per record; guest runs may finish at the same time."""
    with open(out, 'a') as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        f.write(json.dumps(rec) + '\n')


def cmd_vm(out, label, log, plan_file, reason=None):
    xf = load_xfail()
    rec = new_record(label)
    blocks, stages = parse_blocks(log)
    suite = os.path.basename(plan_file)[:-3] if plan_file.endswith('.sh') else label
    tests = expected_tests(plan_file)
    for test in tests:
        if test not in blocks:
            rec['failed'] += 1
            rec['failures'].append(f'{suite}/{test}: never ran')
            continue
        tally_block(test, blocks[test], rec, xf, suite)
    for name in blocks:
        if name not in tests:
            # Its cases would go uncounted: say so instead
            rec['failed'] += 1
            rec['failures'].append(f'{suite}/{name}: ran, but the plan has no `run {name}` line')
    boots = {s.split()[1] for s in stages if len(s.split()) > 1}
    last = max([int(m.group(1)) for t in tests
                for m in [re.search(r'\.stage(\d+)$', t)] if m] or [1])
    for n in range(2, last + 1):
        # A multi-stage plan must really have booted a new kernel each time.
        if any(t.endswith(f'.stage{n}') for t in tests) and \
                (not any(s.startswith(f'{n} ') for s in stages) or len(boots) < n):
            rec['failed'] += 1
            rec['failures'].append(f'{suite}: stage {n} did not run in a new kernel')
    kernel_log_check(rec, suite, os.path.join(os.path.dirname(log), 'console.log'))
    if reason:
        rec['failed'] += 1
        rec['failures'].append(reason)
    append_record(out, rec)


def cmd_count(out, label, passed, failed, skipped, *failures):
    rec = new_record(label)
    rec['passed'], rec['failed'], rec['skipped'] = int(passed), int(failed), int(skipped)
    rec['failures'] = list(failures)
    append_record(out, rec)


def cmd_summary(out):
    recs = []
    if os.path.exists(out):
        recs = [json.loads(l) for l in open(out) if l.strip()]
    tot = {k: 0 for k in ('passed', 'failed', 'skipped', 'xfail')}
    print('TAP version 13')
    print(f'1..{len(recs)}')
    for i, r in enumerate(recs, 1):
        for k in tot:
            tot[k] += r[k]
        status = 'not ok' if r['failed'] else 'ok'
        print(f"{status} {i} {r['suite']} # passed {r['passed']}, failed {r['failed']}, "
              f"skipped {r['skipped']}, expected failures {r['xfail']}")
        for f in r['failures']:
            print(f'#   FAIL {f}')
        for n in r['notes']:
            print(f'#   NOTE {n}')
    xf = [x for r in recs for x in r['xfails']]
    sk = [x for r in recs for x in r['skips']]
    if xf:
        print(f'# expected failures (not counted as passed): {len(xf)}')
        for x in xf:
            print(f'#   XFAIL {x}')
    if sk:
        print(f'# skipped (not counted as passed): {len(sk)}')
        for x in sk[:50]:
            print(f'#   SKIP {x}')
        if len(sk) > 50:
            print(f'#   ... and {len(sk) - 50} more')
    print(f"# skipped: {tot['skipped']}, expected failures: {tot['xfail']}")
    print(f"{tot['passed']} passed, {tot['failed']} failed")
    return 1 if tot['failed'] or not recs else 0


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, out, args = argv[1], argv[2], argv[3:]
    if cmd == 'vm':
        cmd_vm(out, *args)
    elif cmd == 'count':
        cmd_count(out, *args)
    elif cmd == 'summary':
        return cmd_summary(out)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
