#!/usr/bin/env python3
"""Split a C file of one tree at marker lines into several files, the
static functions one file uses from another becoming declarations in a
private header.  split(cfg, files) -> files (dict path -> text)."""
import re, sys
sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(__file__)))
from lusplit import add_maintained, comment_start, definitions, signature, unstatic, refs, col, indent_to

INTEL = {
    'main': 'drivers/iommu/intel/liveupdate.c',
    'header': 'drivers/iommu/intel/liveupdate.h',
    'guard': '__INTEL_IOMMU_LIVEUPDATE_H',
    'header_top': 'Shared by the VT-d live update files only.',
    'makefile': 'drivers/iommu/intel/Makefile',
    'obj_line': 'obj-$(CONFIG_IOMMU_LIVEUPDATE) += liveupdate.o\n',
    'drop_includes': {
        '#include <linux/crash_dump.h>': r'\bis_kdump_kernel\(|\bcrash_',
        '#include <linux/debugfs.h>': r'\bdebugfs_',
        '#include <linux/kexec_handover.h>': r'\bkho_|\bis_kho_boot\b',
        '#include <linux/liveupdate.h>': r'\bliveupdate_\w+\(|LIVEUPDATE',
    },
    'renames': {
        'context_table_bit': 'intel_lu_ctx_table_bit',
        'context_table_test': 'intel_lu_ctx_table_test',
        'lu_alloc_blocking_irt': 'intel_lu_alloc_blocking_irt',
        'lu_block_irq_remapping': 'intel_lu_block_irq_remapping',
    },
    'pieces': [
        {'path': 'drivers/iommu/intel/liveupdate_kexec.c',
         'marker': r'^ \* DOC: VT-d live update, kexec and the next kernel$',
         'doc': 'VT-d live update, kexec and the next kernel',
         'top': ['VT-d live update across the kexec: what a unit keeps translating',
                 'at the kexec, and how the next kernel adopts it.']},
    ],
}


def all_definitions(lines, name):
    """Line of every top-level static definition of function @name."""
    found = []
    for i, l in enumerate(lines):
        if not l.startswith('static ') or l.rstrip().endswith(';'):
            continue
        if re.match(r'static .*\b' + name + r'\(', l) or \
                ('(' not in l and i + 1 < len(lines) and lines[i + 1].startswith(name + '(')):
            found.append(i)
    assert found, name
    return found


def open_paren_col(line):
    """Column after the last '(' left open at the end of @line, or None."""
    stack = []
    c = 0
    for ch in line:
        if ch == '(':
            stack.append(c)
        elif ch == ')' and stack:
            stack.pop()
        c = (c // 8 + 1) * 8 if ch == '\t' else c + 1
    return stack[-1] + 1 if stack else None


def rename(text, renames):
    """Rename identifiers, keeping continuation lines aligned."""
    lines = text.split('\n')
    for i, l in enumerate(lines):
        new = l
        for a, b in renames.items():
            new = re.sub(r'\b%s\b' % a, b, new)
        if new == l:
            continue
        before, after = open_paren_col(l), open_paren_col(new)
        lines[i] = new
        if before is None or after is None or before == after:
            continue
        j = i + 1
        while j < len(lines) and col(lines[j][:len(lines[j]) - len(lines[j].lstrip())]) == before:
            lines[j] = indent_to(after) + lines[j].lstrip()
            if open_paren_col(lines[j]) is None and lines[j].rstrip().endswith((')', ');', ') {', '),')):
                break
            j += 1
    return '\n'.join(lines)


def strip_comments(text):
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    return re.sub(r'//.*', '', text)


def fix_includes(cfg, includes, body):
    """Drop the includes @body does not use, add those it needs."""
    text = strip_comments('\n'.join(body))
    out = [l for l in includes
           if l not in cfg.get('drop_includes', {}) or
           re.search(cfg['drop_includes'][l], text)]
    for inc, pat in cfg.get('add_includes', {}).items():
        if inc in out or not re.search(pat, text):
            continue
        system = [i for i, l in enumerate(out) if l.startswith('#include <linux/')]
        at = next((i for i in system if out[i] > inc), system[-1] + 1)
        out.insert(at, inc)
    return out


def find_start(lines, marker):
    for i, l in enumerate(lines):
        if re.match(marker, l):
            if lines[i - 1] == '/**':
                return i - 1
            return comment_start(lines, i)
    return None


def split(cfg, files):
    main = cfg['main']
    if files.get(main) is None:
        return files
    files = dict(files)
    if cfg.get('renames'):
        files[main] = rename(files[main], cfg['renames'])
    lines = files[main].split('\n')
    assert lines[-1] == ''
    lines = lines[:-1]
    starts = []
    for p in cfg['pieces']:
        s = find_start(lines, p['marker'])
        if s is not None:
            starts.append((s, p))
    if not any(p['path'] != main for _, p in starts):
        return files  # renamed (if asked), not split
    assert [s for s, _ in starts] == sorted(s for s, _ in starts)
    pieces = {}
    order = [main]
    bounds = [s for s, _ in starts] + [len(lines)]
    pieces[main] = lines[:bounds[0]]
    for k, (s, p) in enumerate(starts):
        if p['path'] == main:
            while pieces[main] and pieces[main][-1] == '':
                pieces[main].pop()
            pieces[main] += [''] + lines[s:bounds[k + 1]]
            continue
        pieces[p['path']] = lines[s:bounds[k + 1]]
        order.append(p['path'])
    starts = [(s, p) for s, p in starts if p['path'] != main]
    for k in order:
        while pieces[k] and pieces[k][-1] == '':
            pieces[k].pop()

    # a macro one piece defines and another uses goes to the header
    macros = []
    for path in order:
        plines = pieces[path]
        others = strip_comments('\n'.join('\n'.join(v) for k, v in pieces.items()
                                           if k != path))
        i = 0
        while i < len(plines):
            m = re.match(r'#define (\w+)', plines[i])
            if not m or m.group(1) == 'pr_fmt' or not refs(others, m.group(1)):
                i += 1
                continue
            j = i
            while plines[j].endswith('\\'):
                j += 1
            s0 = i
            if i and plines[i - 1].startswith('/*') and plines[i - 1].endswith('*/'):
                s0 = i - 1
            else:
                s0 = comment_start(plines, i)
            macros.append(plines[s0:j + 1])
            del plines[s0:j + 1]
            if s0 < len(plines) and plines[s0] == '' and s0 > 0 and plines[s0 - 1] == '':
                del plines[s0]
            i = s0

    decls = []
    for path in order:
        plines = pieces[path]
        others = strip_comments('\n'.join('\n'.join(v) for k, v in pieces.items()
                                           if k != path))
        for name, (i, kind) in sorted(definitions(plines).items(),
                                      key=lambda x: x[1][0]):
            if not refs(others, name):
                continue
            assert kind == 'func', (path, name)
            # every definition of it (#ifdef/#else stubs), declared once
            d = None
            for k in all_definitions(plines, name):
                j = signature(plines, k)
                unstatic(plines, k, j)
                if d is None:
                    d = plines[k:j + 1]
                    d[-1] += ';'
            decls.append((path, d))
    # no type may be defined in one piece and used in another
    for path in order:
        for m in re.finditer(r'^(?:struct|union|enum) (\w+) \{$|^typedef .*?\(\*(\w+)\)',
                             '\n'.join(pieces[path]), re.M):
            name = m.group(1) or m.group(2)
            for other in order:
                if other == path:
                    continue
                t = strip_comments('\n'.join(pieces[other]))
                uses = len(re.findall(r'\b%s\b' % name, t))
                ptrs = len(re.findall(r'\bstruct %s \*' % name, t))
                if uses != ptrs:
                    raise SystemExit('%s defined in %s used in %s' % (name, path, other))

    out = dict(files)
    hdr_name = cfg['header'].rsplit('/', 1)[1]
    ml = pieces[main]
    incs = [i for i, l in enumerate(ml[:120]) if l.startswith('#include')]
    includes = ml[incs[0]:incs[-1] + 1]
    pr_fmt = [l for l in ml[:120] if l.startswith('#define pr_fmt')]
    if decls or macros:
        ml.insert(incs[-1] + 1, '#include "%s"' % hdr_name)
    ml[incs[0]:incs[-1] + 1] = fix_includes(cfg, ml[incs[0]:incs[-1] + 1],
                                            ml[incs[-1] + 1:])
    out[main] = '\n'.join(ml) + '\n'
    for s, p in starts:
        body = pieces[p['path']]
        incl = fix_includes(cfg, includes, body)
        text = ['// SPDX-License-Identifier: GPL-2.0-only', '/*'] + \
               [' * ' + t for t in p['top']] + [' */', ''] + (pr_fmt + [''] if pr_fmt else []) + \
               incl + (['#include "%s"' % hdr_name] if decls or macros else []) + [''] + body
        out[p['path']] = '\n'.join(text) + '\n'
    if decls or macros:
        h = ['/* SPDX-License-Identifier: GPL-2.0-only */', '/*',
             ' * ' + cfg['header_top'], ' */',
             '#ifndef ' + cfg['guard'], '#define ' + cfg['guard'], '',
             '#include <linux/types.h>', '']
        if any('BIT(' in l for m in macros for l in m):
            h[-2:-2] = ['#include <linux/bits.h>']
        structs = sorted(set(re.findall(r'\bstruct (\w+)',
                                        '\n'.join('\n'.join(d) for _, d in decls))))
        h += ['struct %s;' % s for s in structs] + ([''] if structs else [])
        for m in macros:
            h += m + ['']
        for path in order:
            ds = [d for p, d in decls if p == path]
            if not ds:
                continue
            h.append('/* %s */' % path.rsplit('/', 1)[1])
            for d in ds:
                h += d
            h.append('')
        h += ['#endif /* %s */' % cfg['guard']]
        out[cfg['header']] = '\n'.join(h) + '\n'

    mk = files[cfg['makefile']]
    assert cfg['obj_line'] in mk
    objs = ' '.join(p['path'].rsplit('/', 1)[1][:-2] + '.o' for _, p in starts)
    out[cfg['makefile']] = mk.replace(cfg['obj_line'], cfg['obj_line'][:-1] + ' ' + objs + '\n')

    rst = 'Documentation/driver-api/iommu-liveupdate.rst'
    if files.get(rst):
        t = files[rst]
        for _, p in starts:
            if p.get('doc'):
                old = '.. kernel-doc:: %s\n   :doc: %s\n' % (main, p['doc'])
                t = t.replace(old, '.. kernel-doc:: %s\n   :doc: %s\n' % (p['path'], p['doc']))
        out[rst] = t
    if files.get('MAINTAINERS'):
        added = [p['path'] for _, p in starts] + \
            ([cfg['header']] if decls or macros else [])
        out['MAINTAINERS'] = add_maintained(files['MAINTAINERS'], main, added)
    return out


IOMMUFD = {
    'main': 'drivers/iommu/iommufd/liveupdate.c',
    'header': 'drivers/iommu/iommufd/liveupdate.h',
    'guard': '__IOMMUFD_LIVEUPDATE_H',
    'header_top': 'Shared by the iommufd live update files only.',
    'makefile': 'drivers/iommu/iommufd/Makefile',
    'obj_line': 'iommufd-$(CONFIG_IOMMU_LIVEUPDATE) += liveupdate.o\n',
    # includes a file keeps only if it uses them, and one it gains if so
    'drop_includes': {
        '#include <linux/generic_pt/iommu.h>': r'\bpt_iommu',
        '#include <linux/kexec_handover.h>': r'\bkho_|\bis_kho_boot\b',
        '#include <linux/liveupdate.h>': r'\bliveupdate_\w+\(|LIVEUPDATE',
        '#include <linux/pagemap.h>': r'\bfilemap_|\bmapping_|page_cache',
        '#include <linux/shmem_fs.h>': r'\bshmem_',
        '#include <uapi/linux/fcntl.h>': r'\bF_SEAL|\bF_ADD_SEALS|\bO_[A-Z]',
        '#include <linux/bsearch.h>': r'\bbsearch\(',
        '#include <linux/sort.h>': r'\bsort\(',
    },
    'add_includes': {
        '#include <linux/bitmap.h>': r'\bbitmap_\w+\(|\bBIT_WORD\(',
    },
    'pieces': [
        {'path': 'drivers/iommu/iommufd/liveupdate_reclaim.c',
         'marker': r'^/\* A preserved HWPT, as IOMMU_HWPT_LU_RECLAIM looks it up \*/$',
         'top': ['iommufd live update: IOMMU_HWPT_LU_RECLAIM, which hands a restored',
                 'domain and the memory it maps over to a new HWPT and IOAS, and the',
                 'records of the retrieved iommufd that it looks up.']},
        {'path': 'drivers/iommu/iommufd/liveupdate.c',
         'marker': r'^/\* The iommufd is being destroyed: '},
    ],
}

CFGS = {'intel': INTEL, 'iommufd': IOMMUFD}

if __name__ == '__main__':
    import os
    cfg = CFGS[sys.argv[1]]
    tree = sys.argv[2]
    paths = [cfg['main'], cfg['makefile'], 'Documentation/driver-api/iommu-liveupdate.rst',
             'MAINTAINERS']
    files = {}
    for p in paths:
        fp = os.path.join(tree, p)
        files[p] = open(fp).read() if os.path.exists(fp) else None
    out = split(cfg, files)
    for p, t in out.items():
        if t is not None and t != files.get(p):
            open(os.path.join(tree, p), 'w').write(t)
            print('wrote', p)
