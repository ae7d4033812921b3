#!/usr/bin/env python3
"""Self-test of scripts/new_warnings.py: which warnings `make check` charges
to the series.  A warning on a line the series added fails; one on a base
line, one accepted by the ignore file, or one in a file the series does not
touch does not."""
import os
import subprocess
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NEW_WARNINGS = os.path.join(TOP, 'new_warnings.py')


def git(d, *args):
    subprocess.run(['git', '-C', d, '-c', 'user.name=t', '-c', 'user.email=t@t',
                    *args], check=True, capture_output=True)


class NewWarnings(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.tree = os.path.realpath(self.tmp.name)
        git(self.tree, 'init', '-q')
        self.write('a.c', ''.join(f'base {i}\n' for i in range(1, 11)))
        git(self.tree, 'add', '.')
        git(self.tree, 'commit', '-q', '-m', 'base')
        git(self.tree, 'tag', 'base')
        # the series changes line 3 and adds lines 6-7
        lines = [f'base {i}\n' for i in range(1, 11)]
        lines[2] = 'changed 3\n'
        lines[5:5] = ['added 6\n', 'added 7\n']
        self.write('a.c', ''.join(lines))
        git(self.tree, 'commit', '-q', '-am', 'series')

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        with open(os.path.join(self.tree, name), 'w') as f:
            f.write(text)

    def run_on(self, log, ignore=''):
        # the compiler runs in OUT, a sibling of the tree here
        os.makedirs(os.path.join(self.tree, 'out'), exist_ok=True)
        self.write('build.log', log)
        self.write('ignore', ignore)
        out = subprocess.run([NEW_WARNINGS, self.tree, os.path.join(self.tree, 'out'),
                              'base', os.path.join(self.tree, 'build.log'),
                              os.path.join(self.tree, 'ignore'), 'a.c'],
                             check=True, capture_output=True, text=True).stdout
        name, nsparse, nw1 = out.splitlines()[0].split()
        return int(nsparse), int(nw1), out

    def test_series_lines_count(self):
        log = (f'{self.tree}/a.c:3:5: warning: symbol x was not declared\n'
               f'{self.tree}/a.c:6:1: warning: incorrect type in assignment\n'
               f'{self.tree}/a.c:6:1:    expected int\n'
               # relative to the build directory, as gcc under ccache prints
               '../a.c:7:2: error: unused variable [-Werror=unused-variable]\n')
        nsparse, nw1, out = self.run_on(log)
        self.assertEqual((nsparse, nw1), (2, 1))
        self.assertIn('expected int', out)
        self.assertIn('a.c:7:2: error: unused variable', out)

    def test_uncommitted_lines_count(self):
        # the working tree is what was built: its added lines count
        with open(os.path.join(self.tree, 'a.c'), 'a') as f:
            f.write('uncommitted 13\n')
        log = f'{self.tree}/a.c:13:1: warning: new\n'
        self.assertEqual(self.run_on(log)[:2], (1, 0))

    def test_base_lines_do_not_count(self):
        log = (f'{self.tree}/a.c:1:1: warning: base warning\n'
               f'{self.tree}/a.c:12:1: warning: base warning\n'
               f'{self.tree}/b.c:6:1: warning: other file\n')
        self.assertEqual(self.run_on(log)[:2], (0, 0))

    def test_kernel_doc_is_w1(self):
        # scripts/kernel-doc's own form, as W=1 runs it
        log = (f'Warning: {self.tree}/a.c:6 function parameter \'b\' not described in \'f\'\n'
               f'Warning: {self.tree}/a.c:1 function parameter \'b\' not described in \'g\'\n')
        self.assertEqual(self.run_on(log)[:2], (0, 1))

    def test_ignore_file(self):
        log = f'{self.tree}/a.c:3:5: warning: restricted type degrades\n'
        ok = 'a.c\trestricted type degrades\t  changed 3 \twhy\n'
        self.assertEqual(self.run_on(log, ok)[:2], (0, 0))
        # the message and the source line must both match exactly
        self.assertEqual(self.run_on(log, 'a.c\trestricted\tchanged 3\twhy\n')[:2], (1, 0))
        self.assertEqual(self.run_on(log, 'a.c\trestricted type degrades\tadded 6\twhy\n')[:2],
                         (1, 0))


if __name__ == '__main__':
    unittest.main()
