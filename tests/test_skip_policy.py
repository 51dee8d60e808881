"""In CI nothing may skip: a skipped test, or a module skipped at collection, fails the run;
elsewhere a skip stays a skip (a developer without Chromium or PostgreSQL is told why)."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SUITE = """
import pytest

def test_that_runs():
    assert True

@pytest.mark.skip(reason="not today")
def test_that_skips():
    pass

def test_that_skips_while_running():
    pytest.skip("no Chromium here")
"""

SKIPPED_MODULE = """
import pytest

pytest.importorskip("a_module_nobody_installed")

def test_never_collected():
    pass
"""


def run(pytester, monkeypatch, ci: str | None):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    return pytester.runpytest_subprocess("-p", "tests.skip_policy", "-p", "no:django", "-q")


def test_in_ci_a_skipped_test_fails_the_run(pytester, monkeypatch):
    pytester.makepyfile(test_suite=SUITE)

    result = run(pytester, monkeypatch, "true")

    # A skip marker skips at setup: the test is reported as an error there.
    result.assert_outcomes(passed=1, errors=1, failed=1)
    result.stdout.fnmatch_lines(["*Skipped in CI, where nothing may skip*not today*"])
    result.stdout.fnmatch_lines(["*Skipped in CI, where nothing may skip*no Chromium here*"])
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_in_ci_a_module_skipped_at_collection_fails_the_run(pytester, monkeypatch):
    pytester.makepyfile(test_suite=SUITE, test_optional=SKIPPED_MODULE)

    result = run(pytester, monkeypatch, "true")

    result.stdout.fnmatch_lines(["*Skipped at collection in CI*a_module_nobody_installed*"])
    assert result.ret != pytest.ExitCode.OK


def test_outside_ci_a_skip_is_reported_as_a_skip(pytester, monkeypatch):
    pytester.makepyfile(test_suite=SUITE)

    result = run(pytester, monkeypatch, None)

    result.assert_outcomes(passed=1, skipped=2)
    assert result.ret == pytest.ExitCode.OK
