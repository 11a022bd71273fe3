"""pytest plugin: numpy's own linalg tests (test_linalg.py, test_regression.py)
with numpy.linalg routed to weft.

Loaded with `-p weft_numpy_suite` (scripts/dev/numpy-suite.mjs runs it), so
that the routes are installed before the test module imports numpy.linalg's
functions. numpy's assertions, tolerances and tag filters decide; this
plugin only routes the calls and sorts the outcomes.

A test unit is a pytest item, or, for the items that loop over numpy's
LinalgCase table (`check_cases`), one case of that loop: its id is the
item's id plus `::<case name>` (`TestSolve::test_sq_cases::double`). Each
unit is one of:

- passed: weft ran in it and numpy's checks held;
- deviation: it fails and deviations.json lists it, with the reason;
- stale: deviations.json lists it but it passes (remove the entry);
- unsupported: every routed call had a dtype weft lacks (float16,
  longdouble, object, ...) and ran on numpy;
- numpy-only: it calls no routed function (numpy internals: lapack_lite,
  _multi_dot_matrix_chain_order, fork/subprocess checks);
- skipped: numpy's own skip/xfail marks;
- failed: anything else.

The run fails (pytest's exit status) on any failed or stale unit, and on a
deviation entry that matched nothing in a run of the whole file.
"""
import inspect
import json
import re
import textwrap
import time
import traceback

import pytest

import routes

PREFIX = 'test_linalg.py::'
CATEGORIES = ['passed', 'deviation', 'unsupported', 'failed', 'stale', 'numpy-only', 'skipped']
# The dtypes weft leaves out on purpose (float16, long double, Python objects):
# a unit that ran on numpy for any other dtype counts as failed.
OUT_OF_SCOPE = {'float16', 'longdouble', 'float128', 'clongdouble', 'complex256', 'object'}
# Passed units that also made calls weft cannot take (float16, longdouble,
# object: numpy ran those): a column apart, not a category.
PARTLY = 'passed, partly on numpy'

ROUTE_MODES = ('weft', 'scipy32')
# The module's names for numpy's tolerance checks, whose margins a float32
# deviation is weighed by (float32_evidence).
TOLERANCE_CHECKS = ('assert_almost_equal', 'old_assert_almost_equal', 'assert_allclose')
SIMILAR = 10  # "by a similar amount": within this factor of scipy's own margin


def pytest_addoption(parser):
    group = parser.getgroup('weft', 'numpy suite on weft')
    group.addoption('--weft-route', default='weft', choices=ROUTE_MODES,
                    help='weft: numpy.linalg on weft; scipy32: float32/complex64 calls on scipy.linalg')
    group.addoption('--weft-deviations', default=None, help='deviations.json')
    group.addoption('--weft-report', default=None, help='write every unit outcome here (JSON)')
    group.addoption('--weft-scipy-report', default=None,
                    help="a scipy32 run's --weft-report: the evidence for float32 deviations")
    group.addoption('--weft-table', default=None, help='write the per-class table here (Markdown)')


class Suite:
    def __init__(self, config):
        self.config = config
        self.mode = config.getoption('--weft-route')
        path = config.getoption('--weft-deviations')
        self.deviations = []
        if path and self.mode == 'weft':
            with open(path) as f:
                self.deviations = json.load(f)['deviations']
        # Only `*` and `?` are wildcards: numpy's ids are full of brackets.
        # An entry's id is one pattern or a list of them.
        glob = lambda p: re.escape(p).replace('\\*', '.*').replace('\\?', '.')  # noqa: E731
        self.patterns = [re.compile('|'.join(glob(p) for p in ([e['id']] if isinstance(e['id'], str) else e['id'])))
                         for e in self.deviations]
        self.matched = [0] * len(self.deviations)
        scipy_path = config.getoption('--weft-scipy-report')
        self.scipy = None
        if scipy_path:
            with open(scipy_path) as f:
                self.scipy = json.load(f)['units']
        self.units = {}
        self.started = time.time()
        self.whole_file = True

    # -------------------------------------------------------------- units

    def deviation_of(self, uid):
        for i, pattern in enumerate(self.patterns):
            if pattern.fullmatch(uid):
                return i, self.deviations[i]
        return None, None

    def classify(self, uid, error):
        """Sorts a finished unit; returns (category, note)."""
        rec = routes.record
        index, entry = self.deviation_of(uid)
        if rec.weft == 0:
            index = entry = None  # weft did not run: nothing of weft's to deviate
        if index is not None:
            self.matched[index] += 1
        if error is None:
            if entry is not None:
                category, note = 'stale', f'listed as a deviation ({_ids(entry)}) but passes: remove it from the list'
            elif rec.weft == 0 and rec.fallback > 0:
                category, note = 'unsupported', 'dtypes: ' + ', '.join(sorted(rec.fallback_dtypes))
                if not rec.fallback_dtypes <= OUT_OF_SCOPE:
                    # Issue 16: only these dtypes may stay off weft; any other is a gap.
                    category = 'failed'
            elif rec.weft == 0:
                category, note = 'numpy-only', ''
            else:
                category, note = 'passed', ''
        elif entry is not None:
            category, note = 'deviation', entry['reason']
            problem = self.float32_evidence(uid, entry, error)
            if problem:
                category, note = 'failed', problem
        else:
            category, note = 'failed', ''
        self.units[uid] = {
            'category': category,
            'note': note,
            'error': _brief(error) if error else '',
            'weft_calls': rec.weft,
            'fallback_calls': rec.fallback,
            'differences': rec.differences,
        }
        return category, note

    def float32_evidence(self, uid, entry, error):
        """A float32 deviation holds only where scipy's single-precision LAPACK
        fails the same check, or passes it by a margin within SIMILAR times
        of weft's miss: returns what is wrong with the claim, or ''."""
        if not entry.get('float32'):
            return ''
        if self.scipy is None:
            return 'float32 deviation without a scipy32 run to back it (--weft-scipy-report)'
        theirs = self.scipy.get(uid)
        ours = routes.record.differences
        if theirs is None or not isinstance(error, AssertionError) or not ours:
            return 'listed as float32 precision, but the failure is not one of numpy\'s tolerance checks'
        k = len(ours) - 1  # the check that failed
        if theirs['category'] == 'failed' and len(theirs['differences']) <= len(ours):
            return ''
        if len(theirs['differences']) <= k or theirs['differences'][k] is None or ours[k] is None:
            return 'listed as float32 precision, but scipy\'s run of this unit took another path'
        miss, margin = ours[k], theirs['differences'][k]
        if miss > SIMILAR * margin:
            return (f'listed as float32 precision, but weft misses by {miss:.3g} '
                    f'where scipy.linalg in float32 comes within {margin:.3g}')
        return ''

    # ------------------------------------------------------------- report

    def table(self):
        rows = {}
        for uid, unit in self.units.items():
            cls = _class_of(uid)
            row = rows.setdefault(cls, dict.fromkeys(CATEGORIES + [PARTLY], 0))
            row[unit['category']] += 1
            if unit['category'] == 'passed' and unit['fallback_calls']:
                row[PARTLY] += 1
        return rows

    def unused_deviations(self):
        if not self.whole_file:
            return []
        return [e for e, n in zip(self.deviations, self.matched) if n == 0]


def _ids(entry):
    ids = [entry['id']] if isinstance(entry['id'], str) else entry['id']
    return ', '.join(f'`{i}`' for i in ids)


def _cell(text):
    return text.replace('|', '\\|').replace('\n', ' ')


def unit_id(nodeid):
    """A unit's id: its pytest node id, less the file's name for test_linalg.py."""
    return nodeid[len(PREFIX):] if nodeid.startswith(PREFIX) else nodeid


def _class_of(uid):
    parts = uid.split('::')
    where = ''
    if parts[0].endswith('.py'):
        where, parts = parts[0] + ': ', parts[1:]
    return where + (parts[0] if parts[0].startswith('Test') else 'module-level tests')


def _brief(error):
    if isinstance(error, str):
        return error
    text = ''.join(traceback.format_exception_only(type(error), error)).strip()
    return text[:2000]


SUITE_KEY = pytest.StashKey()


def _suite(config):
    return config.stash[SUITE_KEY]


def pytest_configure(config):
    config.addinivalue_line('markers', 'slow: numpy marks its long tests so')
    config.addinivalue_line('markers', 'thread_unsafe: numpy marks tests not to run in parallel threads')
    config.stash[SUITE_KEY] = Suite(config)
    routes.install(config.getoption('--weft-route'))


def pytest_collection_modifyitems(session, config, items):
    suite = _suite(config)
    suite.whole_file = not (config.getoption('keyword') or config.getoption('markexpr')
                            or any('::' in a for a in config.args))
    modules = {item.module for item in items if hasattr(item, 'module')}
    for module in modules:
        if hasattr(module, 'LinalgTestCase'):
            module.LinalgTestCase.check_cases = _check_cases(suite)
        for name in TOLERANCE_CHECKS:
            if name in vars(module):
                setattr(module, name, routes.recording(getattr(module, name)))
        items.extend(_class_bodies(module, items))
    routes.live = True


def _class_bodies(module, items):
    """Items that run again, routed, the checks numpy wrote in a test class's
    body (TestOuter's): they ran at import, on numpy, before routing began."""
    parent = next((i.parent for i in items if i.module is module and isinstance(i.parent, pytest.Module)), None)
    made = []
    for name, cls in vars(module).items():
        if not (name.startswith('Test') and isinstance(cls, type)) or any(a.startswith('test') for a in dir(cls)):
            continue
        source = textwrap.dedent(inspect.getsource(cls))
        code = compile(source, module.__file__, 'exec')

        def run(code=code):
            exec(code, dict(vars(module)))

        if parent is not None:
            made.append(pytest.Function.from_parent(parent, name=f'{name}::class_body', callobj=run))
    return made


def _check_cases(suite):
    def check_cases(self, require=set(), exclude=set()):
        # numpy's own loop (LinalgTestCase.check_cases), each case a unit.
        item_id = suite.current
        problems = []
        for case in self.TEST_CASES:
            if case.tags & require != require:
                continue
            if case.tags & exclude:
                continue
            uid = f'{item_id}::{case.name}'
            routes.record.reset()
            error = None
            try:
                case.check(self.do)
            except Exception as e:  # noqa: BLE001 - numpy's loop catches all too
                error = e
            category, note = suite.classify(uid, error)
            if category in ('failed', 'stale'):
                problems.append(f'{uid}: {category} {note}\n{_brief(error) if error else ""}')
        if problems:
            raise AssertionError(f'{len(problems)} case(s) failed:\n' + '\n\n'.join(problems[:20]))
    return check_cases


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    suite = _suite(item.config)
    suite.current = unit_id(item.nodeid)
    suite.item_is_loop = False
    routes.record.reset()
    return (yield)


def _loops_over_cases(item):
    test = getattr(item, 'obj', None)
    code = getattr(test, '__code__', None)
    return code is not None and 'check_cases' in code.co_names


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    suite = _suite(item.config)
    uid = unit_id(item.nodeid)
    if report.when == 'setup' and report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else getattr(report, 'wasxfail', '')
        suite.units[uid] = {'category': 'skipped', 'note': reason,
                            'error': '', 'weft_calls': 0, 'fallback_calls': 0}
    if report.when != 'call' or _loops_over_cases(item):
        return report
    if hasattr(report, 'wasxfail') or report.skipped:
        suite.units[uid] = {'category': 'skipped', 'note': getattr(report, 'wasxfail', ''), 'error': '',
                            'weft_calls': 0, 'fallback_calls': 0}
        return report
    error = call.excinfo.value if call.excinfo else None
    category, note = suite.classify(uid, error)
    if category == 'deviation':
        report.outcome = 'skipped'
        report.wasxfail = f'deviation: {note}'
    elif category == 'stale':
        report.outcome = 'failed'
        report.longrepr = note
    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    suite = _suite(config)
    rows = suite.table()
    tr = terminalreporter
    tr.section(f"numpy's linalg tests on {suite.mode}")
    lines = format_table(rows)
    for line in lines:
        tr.write_line(line)
    unused = suite.unused_deviations()
    for entry in unused:
        tr.write_line(f'stale deviation entry (matches nothing): {_ids(entry)}')
    for (test, what), uids in failure_groups(suite).items():
        tr.write_line(f'{len(uids)} x {test}: {what}  e.g. {uids[0]}')


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    suite = _suite(config)
    unused = suite.unused_deviations()
    if unused and session.exitstatus == 0:
        session.exitstatus = 1
    wall = time.time() - suite.started
    report = config.getoption('--weft-report')
    if report:
        with open(report, 'w') as f:
            json.dump({'mode': suite.mode, 'wall_s': round(wall, 1), 'units': suite.units,
                       'unused_deviations': [_ids(e) for e in unused]}, f, indent=0, sort_keys=True)
    table = config.getoption('--weft-table')
    if table:
        write_markdown(table, suite, suite.table(), wall)


def failure_groups(suite):
    """Failed and stale units grouped by test and the first line of what went wrong."""
    groups = {}
    for uid, unit in suite.units.items():
        if unit['category'] not in ('failed', 'stale'):
            continue
        parts = uid.split('::')
        test = '::'.join(parts[:3 if parts[0].endswith('.py') else 2])
        what = (unit['category'].upper() + ' ' + unit['note'] + ' ' + unit['error'].split('\n')[0]).strip()
        groups.setdefault((test, what[:240]), []).append(uid)
    return groups


def format_table(rows):
    columns = CATEGORIES + [PARTLY]
    head = ['class', 'run'] + columns
    body = []
    total = dict.fromkeys(columns, 0)
    for cls in sorted(rows):
        row = rows[cls]
        for k in columns:
            total[k] += row[k]
        body.append([cls, sum(row[k] for k in CATEGORIES)] + [row[k] for k in columns])
    body.append(['total', sum(total[k] for k in CATEGORIES)] + [total[k] for k in columns])
    widths = [max(len(str(r[i])) for r in [head] + body) for i in range(len(head))]
    fmt = lambda r: '| ' + ' | '.join(str(v).ljust(w) if i == 0 else str(v).rjust(w)  # noqa: E731
                                      for i, (v, w) in enumerate(zip(r, widths))) + ' |'
    sep = '|' + '|'.join('-' * (w + 2) if i == 0 else '-' * (w + 1) + ':' for i, w in enumerate(widths)) + '|'
    return [fmt(head), sep] + [fmt(r) for r in body]


def write_markdown(path, suite, rows, wall):
    deviations = {}
    for uid, unit in suite.units.items():
        if unit['category'] == 'deviation':
            _, entry = suite.deviation_of(uid)
            deviations.setdefault(_ids(entry), [entry['reason'], 0])[1] += 1
    groups = failure_groups(suite)
    out = [
        '# numpy\'s test_linalg.py on weft',
        '',
        'Generated by `npm run test:numpy` (scripts/dev/numpy-suite.mjs); do not edit. numpy 2.4.6\'s own',
        'numpy/linalg/tests/test_linalg.py (and test_regression.py: its rows are named so), unchanged, with',
        'the numpy.linalg functions they test routed to weft (test/numpy-suite/), numpy\'s assertions,',
        'tolerances and tag filters deciding. A unit is a pytest item, or one LinalgCase of the items that',
        'loop over numpy\'s case table. Categories: test/numpy-suite/weft_numpy_suite.py; deviations with',
        'their reasons: test/numpy-suite/deviations.json.',
        '',
    ] + format_table(rows) + [
        '',
        f'Wall time of this run: {wall:.0f} s.',
        '',
        '## Deviations',
        '',
    ]
    if deviations:
        out += ['| entry | units | reason |', '|---|---:|---|']
        out += [f'| {k} | {n} | {_cell(r)} |' for k, (r, n) in sorted(deviations.items())]
    else:
        out.append('None.')
    unsupported = {}
    for uid, unit in sorted(suite.units.items()):
        if unit['category'] == 'unsupported':
            unsupported.setdefault(unit['note'], []).append(uid)
    out += ['', '## Unsupported (run on numpy: dtypes weft leaves out)', '']
    if unsupported:
        out += ['| dtypes | units | e.g. |', '|---|---:|---|']
        out += [f'| {_cell(note)} | {len(uids)} | `{uids[0]}` |' for note, uids in unsupported.items()]
    else:
        out.append('None.')
    out += ['', '## Failed', '']
    if groups:
        out += ['| test | units | what | e.g. |', '|---|---:|---|---|']
        out += [f"| {test} | {len(uids)} | {_cell(what)} | `{uids[0]}` |" for (test, what), uids in groups.items()]
    else:
        out.append('None.')
    with open(path, 'w') as f:
        f.write('\n'.join(out) + '\n')
