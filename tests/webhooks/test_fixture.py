"""The ``webhook_receiver`` fixture as a user's test suite sees it (run in a subprocess)."""

from __future__ import annotations


def test_webhook_receiver_skips_with_a_reason_without_svix(pytester):
    pytester.makeconftest(
        """
import sys
sys.modules["svix"] = None  # as if the package were not installed
"""
    )
    pytester.makepyfile(
        """
def test_needs_svix(webhook_receiver):
    raise AssertionError("must not run")
"""
    )
    result = pytester.runpytest_subprocess("-rs", "-p", "no:cacheprovider")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*svix package is not installed*"])
