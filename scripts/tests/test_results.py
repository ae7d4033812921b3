#!/usr/bin/env python3
"""Self-test of scripts/results.py: the accounting `make test` relies on.

Each case writes a guest log, a plan and a console log, runs `results.py vm`
and checks the counts.  The point is that a crash, a hang, a short KTAP plan
or a skipped kexec stage can never be counted as passed.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

RESULTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                       'results.py')


def tally(plan, log, console='[    1.0] booted\n', reason=None, xfail=''):
    with tempfile.TemporaryDirectory() as d:
        for name, text in (('plan.sh', plan), ('results.log', log),
                           ('console.log', console), ('xfail', xfail)):
            with open(os.path.join(d, name), 'w') as f:
                f.write(text)
        cmd = [RESULTS, 'vm', os.path.join(d, 'r.jsonl'), 't',
               os.path.join(d, 'results.log'), os.path.join(d, 'plan.sh')]
        if reason:
            cmd.append(reason)
        env = dict(os.environ, LU_XFAIL_FILE=os.path.join(d, 'xfail'))
        subprocess.run(cmd, check=True, env=env)
        with open(os.path.join(d, 'r.jsonl')) as f:
            r = json.loads(f.readline())
    return r['passed'], r['failed'], r['skipped'], r['xfail']


PLAN = 'stage1() {\n\trun a 10 x\n}\n'


def block(body, rc=0, name='a'):
    return f'=== STAGE 1 id1 k\n=== BEGIN {name}\n{body}=== END {name} rc={rc}\n=== DONE\n'


class ResultsTest(unittest.TestCase):
    # (passed, failed, skipped, xfail); every guest run adds one kernel-log case.

    def test_ktap_cases_count_one_by_one(self):
        log = block('TAP version 13\n1..3\nok 1 x.one\nok 2 x.two # SKIP why\nnot ok 3 x.three\n', 1)
        self.assertEqual(tally(PLAN, log), (2, 1, 1, 0))

    def test_hash_in_name_does_not_hide_skip(self):
        log = block('1..1\nok 1 t#1 # SKIP no device\n', 4)
        self.assertEqual(tally(PLAN, log), (1, 0, 1, 0))

    def test_missing_test_fails(self):
        self.assertEqual(tally(PLAN, '=== STAGE 1 id1 k\n=== DONE\n'), (1, 1, 0, 0))

    def test_env_prefixed_run_counts(self):
        plan = 'stage1() {\n\tFOO=bar run a 10 x\n}\n'
        self.assertEqual(tally(plan, block('1..2\nok 1 one\nok 2 two\n', 0)), (3, 0, 0, 0))

    def test_test_missing_from_plan_fails(self):
        log = block('1..1\nok 1 one\n', 0, 'b')
        self.assertEqual(tally(PLAN, log)[:2], (1, 2))

    def test_plan_without_results_fails(self):
        self.assertEqual(tally(PLAN, block('1..5\n', 0)), (1, 5, 0, 0))

    def test_short_plan_fails_the_rest(self):
        self.assertEqual(tally(PLAN, block('1..3\nok 1 x\n', 0)), (2, 2, 0, 0))

    def test_test_that_never_ended_fails(self):
        log = '=== STAGE 1 id1 k\n=== BEGIN a\n1..2\nok 1 x\n'
        self.assertEqual(tally(PLAN, log), (2, 2, 0, 0))

    def test_nonzero_exit_without_failing_case_fails(self):
        self.assertEqual(tally(PLAN, block('1..1\nok 1 x\n', 139)), (2, 1, 0, 0))

    def test_plain_exit_codes(self):
        self.assertEqual(tally(PLAN, block('hello\n', 0)), (2, 0, 0, 0))
        self.assertEqual(tally(PLAN, block('hello\n', 4)), (1, 0, 1, 0))
        self.assertEqual(tally(PLAN, block('hello\n', 1)), (1, 1, 0, 0))

    def test_vm_failure_reason_fails_the_run(self):
        self.assertEqual(tally(PLAN, block('hello\n', 0), reason='timed out'), (2, 1, 0, 0))

    def test_kernel_splat_fails_the_run(self):
        console = '[ 1.0] booted\n[ 2.0] WARNING: CPU: 0 PID: 1 at foo.c:1\n'
        self.assertEqual(tally(PLAN, block('hello\n', 0), console=console), (1, 1, 0, 0))

    def test_expected_failure_is_not_a_pass(self):
        log = block('1..2\nok 1 x.one\nnot ok 2 x.two\n', 1)
        self.assertEqual(tally(PLAN, log, xfail='plan/x.two  known\n'), (2, 0, 0, 1))

    def test_two_stage_needs_a_second_kernel(self):
        plan = 'stage1() {\n\trun a.stage1 10 x\n}\nstage2() {\n\trun a.stage2 10 x\n}\n'
        same = ('=== STAGE 1 id1 k\n=== BEGIN a.stage1\n=== END a.stage1 rc=0\n'
                '=== BEGIN a.stage2\n=== END a.stage2 rc=0\n=== DONE\n')
        self.assertEqual(tally(plan, same), (3, 1, 0, 0))
        real = ('=== STAGE 1 id1 k\n=== BEGIN a.stage1\n=== END a.stage1 rc=0\n=== KEXEC\n'
                '=== STAGE 2 id2 k\n=== BEGIN a.stage2\n=== END a.stage2 rc=0\n=== DONE\n')
        self.assertEqual(tally(plan, real), (3, 0, 0, 0))

    def test_later_stage_needs_its_own_kernel(self):
        # A stage-3 test that ran in the second kernel (a kexec that did not
        # happen, or a stage counter stuck) must not pass.
        plan = ('stage1() {\n\trun a.stage1 10 x\n}\nstage2() {\n\trun b.stage2 10 x\n}\n'
                'stage3() {\n\trun c.stage3 10 x\n}\n')
        two = ('=== STAGE 1 id1 k\n=== BEGIN a.stage1\n=== END a.stage1 rc=0\n=== KEXEC\n'
               '=== STAGE 2 id2 k\n=== BEGIN b.stage2\n=== END b.stage2 rc=0\n'
               '=== BEGIN c.stage3\n=== END c.stage3 rc=0\n=== DONE\n')
        self.assertEqual(tally(plan, two), (4, 1, 0, 0))
        three = two.replace('=== BEGIN c.stage3', '=== KEXEC\n=== STAGE 3 id3 k\n=== BEGIN c.stage3')
        self.assertEqual(tally(plan, three), (4, 0, 0, 0))

    def test_skipped_stage_fails(self):
        plan = 'stage1() {\n\trun a.stage1 10 x\n}\n'
        self.assertEqual(tally(plan, block('skip\n', 4, 'a.stage1')), (1, 1, 0, 0))

    def test_ktap_skipped_stage_fails(self):
        # What kselftest prints when /dev/liveupdate is missing
        plan = 'stage1() {\n\trun a.stage1 10 x\n}\n'
        out = 'TAP version 13\n1..0 # SKIP no /dev/liveupdate\n'
        self.assertEqual(tally(plan, block(out, 4, 'a.stage1')), (1, 1, 0, 0))


if __name__ == '__main__':
    unittest.main(verbosity=2)
