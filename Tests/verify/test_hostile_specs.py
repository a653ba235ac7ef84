"""Denial of service: a hostile spec under the 16 MiB limit compiles to its errors in bounded time,
memory and stderr (the pre-commit hook and the Argo CD plugin run the compiler on every change).

Each generator of hostile_specs.py once cost minutes, gigabytes or hundreds of megabytes of stderr
(a 0.9 MB spec: 107 s, 1.1 GB, 565 MB of stderr). Time is measured as the compiler's CPU time
(user + system), which a loaded machine does not inflate; the bounds are for the debug build the
test suite builds, generous for a 2-core CI machine and far below those numbers. Doubling the spec
twice must not cost much more than four times as much: no check is quadratic.
"""

import resource
import subprocess
import time

import pytest

from conftest import COMPILE
from hostile_specs import GENERATORS, QUADRATIC

MIB = 1 << 20
# The debug build's budget for a 1 MiB spec, in CPU seconds; a release build needs a fraction.
CPU_BUDGET = 10.0
# For a spec at the reader's 16 MiB limit.
LIMIT_CPU_BUDGET = 90.0
# 100 errors and 100 warnings, each with its snippet and help, and the KW005 note.
STDERR_BUDGET = 256 * 1024
RSS_BUDGET_KB = 1024 * 1024


def run(path):
    """(exit status, stderr bytes, CPU seconds, wall seconds) of compiling one spec."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    result = subprocess.run([str(COMPILE), str(path)], capture_output=True, timeout=600)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result, cpu, wall


def write(tmp_path, name, size):
    path = tmp_path / f"{name}-{size}.yaml"
    path.write_text(GENERATORS[name](size))
    assert path.stat().st_size <= size * 1.2 + 300_000
    return path


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_one_mebibyte_is_bounded(tmp_path, name):
    result, cpu, wall = run(write(tmp_path, name, MIB))
    assert result.returncode in (0, 1), result.stderr[-2000:]
    assert cpu < CPU_BUDGET, f"{name}: {cpu:.1f} s of CPU ({wall:.1f} s wall)"
    assert len(result.stderr) < STDERR_BUDGET, f"{name}: {len(result.stderr)} bytes of stderr"
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < RSS_BUDGET_KB
    if result.returncode == 1:
        assert result.stdout == b""
        assert b": error: " in result.stderr


def _growth_cases():
    """Every generator; a shape still quadratic in another change's code is a strict xfail."""
    for name in sorted(GENERATORS):
        marks = [pytest.mark.xfail(strict=True, reason=QUADRATIC[name])] if name in QUADRATIC else []
        yield pytest.param(name, marks=marks)


@pytest.mark.parametrize("name", _growth_cases())
def test_work_grows_linearly(tmp_path, name):
    """Four times the spec costs at most about four times the CPU (8 allows noise; a square is 16)."""
    _, small, _ = run(write(tmp_path, name, MIB // 2))
    _, large, _ = run(write(tmp_path, name, 2 * MIB))
    assert large < 8 * max(small, 0.25), f"{name}: {small:.2f} s for 0.5 MiB, {large:.2f} s for 2 MiB"


def test_many_errors_are_counted_not_printed(tmp_path):
    """Thousands of errors: the first 100 are shown, then one KW005 note counts the rest."""
    result, _, _ = run(write(tmp_path, "use_missing", MIB))
    stderr = result.stderr.decode()
    assert result.returncode == 1
    assert stderr.count(": error: ") == 100
    note = [line for line in stderr.splitlines() if "[KW005]" in line]
    assert len(note) == 1 and "more errors not shown" in note[0], note
    shown = int(note[0].split(": note: ")[1].split(" ")[0])
    assert shown > 10_000


def test_template_help_lists_few_keys(tmp_path):
    """A template key error once listed every key of the secret: now at most ten, and a count."""
    result, _, _ = run(write(tmp_path, "template_keys", 256 * 1024))
    helps = [line for line in result.stderr.decode().splitlines() if "the secret's keys are:" in line]
    assert helps, result.stderr[-2000:]
    assert all(line.count("'key") <= 10 and line.endswith("more") for line in helps), helps[0]


def test_a_spec_at_the_limit(tmp_path):
    """The largest spec the reader takes, full of errors: still bounded."""
    size = 16 * MIB - 64 * 1024
    path = tmp_path / "limit.yaml"
    path.write_text(GENERATORS["unknown_keys"](size))
    assert path.stat().st_size <= 16 * MIB
    result, cpu, wall = run(path)
    assert result.returncode == 1
    assert cpu < LIMIT_CPU_BUDGET, f"{cpu:.1f} s of CPU ({wall:.1f} s wall)"
    assert len(result.stderr) < STDERR_BUDGET
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < RSS_BUDGET_KB


