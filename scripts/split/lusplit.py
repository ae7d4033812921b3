#!/usr/bin/env python3
"""Split drivers/iommu/liveupdate.c of one tree into core, restored-domain
and debugfs files.  Works on file contents: split(files) -> files.
files: dict path -> text (only the paths it needs)."""
import re, sys

CORE = 'drivers/iommu/liveupdate.c'
HDR = 'drivers/iommu/liveupdate.h'
RESTORED = 'drivers/iommu/liveupdate_restored.c'
DEBUGFS = 'drivers/iommu/liveupdate_debugfs.c'
MAKEFILE = 'drivers/iommu/Makefile'
RST = 'Documentation/driver-api/iommu-liveupdate.rst'
MAINT = 'MAINTAINERS'

TOPS = {
    RESTORED: 'IOMMU live update: the domains restored from the previous kernel\'s\n'
              ' * state for the devices it handed over.',
}


def comment_start(lines, i):
    """Index of the first line of the comment block ending right above i."""
    j = i
    if j > 0 and lines[j - 1].rstrip() == ' */':
        j -= 1
        while not lines[j].startswith('/*'):
            j -= 1
    return j


def find_debugfs(lines):
    for i in range(len(lines) - 2):
        if (lines[i] == '#ifdef CONFIG_IOMMU_DEBUGFS' and lines[i + 1] == '/*'
                and 'debugfs: iommu/liveupdate/' in lines[i + 2]):
            assert lines[-1] == '#endif', 'debugfs block not at the end'
            return i
    return None


def find_restored(lines, end):
    for i, l in enumerate(lines[:end]):
        if l == 'struct iommu_lu_restored {':
            return comment_start(lines, i)
    for i, l in enumerate(lines[:end]):
        if re.match(r' \* iommu_lu_restore_domain - ', l):
            assert lines[i - 1] == '/**'
            return i - 1
    return None


def find_publish(lines):
    """(start, end) of the enum, its comment and the publish helpers."""
    e = lines.index('enum { IOMMU_LU_OUTGOING, IOMMU_LU_INCOMING };')
    s = comment_start(lines, e)
    assert lines[e + 1] == '' and lines[e + 2] == '#ifdef CONFIG_IOMMU_DEBUGFS'
    j = e + 2
    while lines[j] != '#endif':
        j += 1
    return s, e, j + 1




def definitions(lines):
    """Top-level static definitions: name -> (first line, kind)."""
    defs = {}
    for i, l in enumerate(lines):
        if not l.startswith('static '):
            continue
        m = re.match(r'static (?:const )?(?:struct \w+|\w+)[\s\*]*(?:const )?(\w+)(\[.*\])?\s*(=.*|;)$', l)
        if m:
            defs[m.group(1)] = (i, 'var')
            continue
        m = re.match(r'static DEFINE_MUTEX\((\w+)\);|static LIST_HEAD\((\w+)\);', l)
        if m:
            defs[m.group(1) or m.group(2)] = (i, 'var')
            continue
        m = re.match(r'static .*?\b(\w+)\(', l)
        if m and not l.rstrip().endswith(';'):
            defs[m.group(1)] = (i, 'func')
            continue
        if '(' not in l and i + 1 < len(lines):
            m = re.match(r'(\w+)\(', lines[i + 1])
            if m:
                defs[m.group(1)] = (i, 'func')
    return defs


def col(s):
    c = 0
    for ch in s:
        c = (c // 8 + 1) * 8 if ch == '\t' else c + 1
    return c


def indent_to(n):
    return '\t' * (n // 8) + ' ' * (n % 8)


def signature(lines, i):
    """Lines of the function signature starting at i (up to the ')')."""
    j = i
    while not lines[j].rstrip().endswith(')'):
        j += 1
    assert lines[j + 1] == '{', (lines[i], lines[j + 1])
    return j


def unstatic(lines, i, j):
    """Drop 'static ' from lines[i], realign continuation lines i+1..j."""
    lines[i] = lines[i][len('static '):]
    # the name line: i, or i + 1 when the type stands alone
    k = i if '(' in lines[i] else i + 1
    paren = col(lines[k][:lines[k].index('(') + 1])
    for m in range(k + 1, j + 1):
        lines[m] = indent_to(paren) + lines[m].lstrip()


def refs(text, name):
    return re.search(r'(?<![\w>.])' + re.escape(name) + r'\b', text) is not None


INCLUDE_USES = {
    '<kunit/static_stub.h>': r'KUNIT_STATIC_STUB',
    '<kunit/visibility.h>': r'VISIBLE_IF_KUNIT|EXPORT_SYMBOL_IF_KUNIT',
    '<linux/debugfs.h>': r'\bdebugfs_|DEFINE_SHOW_ATTRIBUTE',
    '<linux/generic_pt/iommu.h>': r'pt_iommu',
    '<linux/io.h>': r'phys_to_virt|virt_to_phys',
    '<linux/kexec_handover.h>': r'\bkho_|\bis_kho_boot\b',
    '<linux/liveupdate.h>': r'\bliveupdate_\w+\(|\bliveupdate_flb\b|\bLIVEUPDATE_',
    '<linux/mm.h>': r'folio|PAGE_|\bpage',
    '<linux/pci.h>': r'\bpci_|PCI_|to_pci_dev|dev_is_pci|\bpci_dev\b',
    '<linux/seq_file.h>': r'\bseq_',
    '<linux/slab.h>': r'\bk[mz]alloc|\bkcalloc|\bkfree|\bkv[mzc]alloc|\bkvfree|\bkmem_cache|\bkmemdup|\bkstrdup',
    '<linux/uaccess.h>': r'_user\b|__user',
    '"iommu-pages.h"': r'\biommu_(pages_\w+|alloc_pages\w*|free_pages|put_pages_list|preserve_page\w*|unpreserve_page\w*|restore_page)\b',
}


def needed(includes, body):
    text = '\n'.join(body)
    keep = []
    for inc in includes:
        m = re.match(r'#include (\S+)', inc)
        pat = INCLUDE_USES.get(m.group(1)) if m else None
        if pat is None or re.search(pat, text):
            keep.append(inc)
    # no blank line left at the end or doubled
    while keep and keep[-1] == '':
        keep.pop()
    return [l for i, l in enumerate(keep) if not (l == '' and keep[i - 1] == '')]


def add_maintained(text, known, paths):
    """MAINTAINERS @text with @paths added to the F: block that has @known."""
    m = text.split('\n')
    if 'F:\t' + known not in m:
        return text
    s = e = m.index('F:\t' + known)
    while m[s - 1].startswith('F:'):
        s -= 1
    while m[e + 1].startswith('F:'):
        e += 1
    m[s:e + 1] = sorted(set(m[s:e + 1]) | {'F:\t' + p for p in paths})
    return '\n'.join(m)


def split(files):
    core = files[CORE].split('\n')
    assert core[-1] == ''
    core = core[:-1]
    d0 = find_debugfs(core)
    if d0 is None:
        return files
    r0 = find_restored(core, d0)
    out = dict(files)
    pieces = {}
    debugfs = core[d0 + 1:-1]
    while debugfs and debugfs[-1] == '':
        debugfs.pop()
    head = core[:d0]
    if r0 is not None:
        pieces[RESTORED] = head[r0:]
        head = head[:r0]
    while head[-1] == '':
        head.pop()
    ps, pe, pend = find_publish(head)
    enum_block = head[ps:pe + 1]
    publish = head[pe + 3:pend - 1]
    # drop the #else stub of the publish helper
    publish = publish[:publish.index('#else')]
    head = head[:ps] + head[pend + 1:]
    publish = [l.replace('static void iommu_lu_debugfs_publish(',
                         'void iommu_lu_debugfs_publish(') for l in publish]
    publish[publish.index('void iommu_lu_debugfs_publish(unsigned int which,') + 1] = \
        indent_to(col('void iommu_lu_debugfs_publish(')) + 'struct iommu_lu_state *state)'
    pieces[DEBUGFS] = publish + [''] + debugfs
    pieces[CORE] = head
    while pieces[CORE][-1] == '':
        pieces[CORE].pop()
    if RESTORED in pieces:
        while pieces[RESTORED][-1] == '':
            pieces[RESTORED].pop()

    # a VISIBLE_IF_KUNIT function another file uses is static without
    # KUnit: it becomes visible always, declared like the statics below
    decls = []
    for path in [CORE, RESTORED, DEBUGFS]:
        if path not in pieces:
            continue
        lines = pieces[path]
        others = '\n'.join('\n'.join(v) for k, v in pieces.items() if k != path)
        i = 0
        while i < len(lines):
            if lines[i] != 'VISIBLE_IF_KUNIT':
                i += 1
                continue
            m = re.match(r'.*?\b(\w+)\(', lines[i + 1]) if '(' in lines[i + 1] else \
                re.match(r'(\w+)\(', lines[i + 2])
            name = m.group(1)
            if not refs(others, name):
                i += 1
                continue
            del lines[i]
            j = signature(lines, i)
            decl = lines[i:j + 1]
            decl[-1] += ';'
            decls.append((path, decl))
            i = j
    # statics one file defines and another uses become declarations
    for path in [CORE, RESTORED, DEBUGFS]:
        if path not in pieces:
            continue
        lines = pieces[path]
        others = '\n'.join('\n'.join(v) for k, v in pieces.items() if k != path)
        for name, (i, kind) in sorted(definitions(lines).items(),
                                      key=lambda x: x[1][0]):
            if name == 'iommu_lu_debugfs_publish' or not refs(others, name):
                continue
            assert kind == 'func', (path, name)
            j = signature(lines, i)
            unstatic(lines, i, j)
            decl = lines[i:j + 1]
            decl[-1] += ';'
            decls.append((path, decl))
            # forward declarations of it go: the header has one
            for k, l in enumerate(lines):
                if k < i and re.match(r'static .*\b' + name + r'\(.*\);$', l):
                    raise SystemExit('forward declaration of %s' % name)
    for k in pieces:
        if k != RESTORED and refs('\n'.join(pieces[k]), 'iommu_lu_restored') \
                and RESTORED in pieces:
            raise SystemExit('struct iommu_lu_restored used in %s' % k)

    core_lines = core
    incl_end = max(i for i, l in enumerate(core_lines[:80]) if l.startswith('#include'))
    incl_start = min(i for i, l in enumerate(core_lines[:80]) if l.startswith('#include'))
    includes = core_lines[incl_start:incl_end + 1]
    pr_fmt = [l for l in core_lines[:80] if l.startswith('#define pr_fmt')]

    # core: its own header after the local includes, and only the
    # includes it still needs
    c = pieces[CORE]
    cs = min(i for i, l in enumerate(c[:80]) if l.startswith('#include'))
    ce = max(i for i, l in enumerate(c[:80]) if l.startswith('#include'))
    c[cs:ce + 1] = needed(c[cs:ce + 1], c[ce + 1:]) + ['#include "liveupdate.h"']
    out[CORE] = '\n'.join(c) + '\n'

    for path in [RESTORED, DEBUGFS]:
        if path not in pieces:
            continue
        body = pieces[path]
        top = ['/*', ' * ' + TOPS[path], ' */']
        if path == DEBUGFS:
            # the block's own description heads the file
            i = body.index('/*')
            j = body.index(' */', i)
            top = body[i:j + 1]
            import textwrap
            words = ' '.join(l[3:] for l in top[1:-1])
            words = words.replace('debugfs: ', 'IOMMU live update in debugfs: ', 1)
            if 'iommu_lu_corrupt' in '\n'.join(body):
                words += (' In test kernels (CONFIG_IOMMU_LIVEUPDATE_CORRUPT),'
                          ' iommu/liveupdate/corrupt breaks the preserved state'
                          ' on purpose.')
            top = ['/*'] + [' * ' + l for l in textwrap.wrap(words, 77)] + [' */']
            del body[i:j + 1]
        text = ['// SPDX-License-Identifier: GPL-2.0-only'] + top + [''] + \
               pr_fmt + [''] + needed(includes, body) + \
               ['#include "liveupdate.h"', ''] + body
        out[path] = '\n'.join(text) + '\n'

    h = ['/* SPDX-License-Identifier: GPL-2.0-only */', '/*',
         ' * Shared by the files of the IOMMU core\'s live update support only.',
         ' */', '#ifndef __DRIVERS_IOMMU_LIVEUPDATE_H',
         '#define __DRIVERS_IOMMU_LIVEUPDATE_H', '',
         '#include <linux/types.h>', '',
         'struct iommu_lu_state;', '']
    h += enum_block + ['']
    h += ['#ifdef CONFIG_IOMMU_DEBUGFS',
          'void iommu_lu_debugfs_publish(unsigned int which,',
          indent_to(col('void iommu_lu_debugfs_publish(')) + 'struct iommu_lu_state *state);',
          '#else',
          'static inline void iommu_lu_debugfs_publish(unsigned int which,',
          indent_to(col('static inline void iommu_lu_debugfs_publish(')) + 'struct iommu_lu_state *state)',
          '{', '}', '#endif', '']
    names = {CORE: 'liveupdate.c', RESTORED: 'liveupdate_restored.c',
             DEBUGFS: 'liveupdate_debugfs.c'}
    for path in [CORE, RESTORED, DEBUGFS]:
        ds = [d for p, d in decls if p == path]
        if not ds:
            continue
        h.append('/* %s */' % names[path])
        for d in ds:
            h += d
        h.append('')
    h += ['#endif /* __DRIVERS_IOMMU_LIVEUPDATE_H */']
    out[HDR] = '\n'.join(h) + '\n'

    mk = files[MAKEFILE]
    old = 'obj-$(CONFIG_IOMMU_LIVEUPDATE) += liveupdate.o\n'
    assert old in mk
    new = old
    if RESTORED in pieces:
        new = 'obj-$(CONFIG_IOMMU_LIVEUPDATE) += liveupdate.o liveupdate_restored.o\n'
    new += ('ifdef CONFIG_IOMMU_DEBUGFS\n'
            'obj-$(CONFIG_IOMMU_LIVEUPDATE) += liveupdate_debugfs.o\n'
            'endif\n')
    out[MAKEFILE] = mk.replace(old, new)

    if files.get(RST) and RESTORED in pieces:
        old = '.. kernel-doc:: drivers/iommu/liveupdate.c\n   :export:\n'
        if old in files[RST]:
            out[RST] = files[RST].replace(
                old, old + '\n.. kernel-doc:: drivers/iommu/liveupdate_restored.c\n   :export:\n')
    if files.get(MAINT):
        added = [HDR, DEBUGFS] + ([RESTORED] if RESTORED in pieces else [])
        out[MAINT] = add_maintained(files[MAINT], CORE, added)
    return out


if __name__ == '__main__':
    # usage: lusplit.py TREE  (splits in place, for trying it out)
    import os
    tree = sys.argv[1]
    files = {}
    for p in [CORE, MAKEFILE, RST, MAINT]:
        fp = os.path.join(tree, p)
        files[p] = open(fp).read() if os.path.exists(fp) else None
    out = split(files)
    for p, t in out.items():
        if t is not None and t != files.get(p):
            open(os.path.join(tree, p), 'w').write(t)
            print('wrote', p)
