"""Without chromium, the test run says plainly which browser tests it skipped and how to run
them (a module-level skip is otherwise a lone `s` in the progress line)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT, _browser_test_names


def test_a_run_without_chromium_names_the_skipped_browser_tests() -> None:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["NEWSDESK_TEST_CHROMIUM"] = "/nonexistent/chromium"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_page_browser.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode in (0, 5), done.stdout + done.stderr  # 5: this file alone, all skipped
    names = _browser_test_names()
    assert len(names) >= 6
    assert f"SKIPPED {len(names)} browser tests of the page" in done.stdout
    assert "chromium is not installed" in done.stdout
    assert "apt-get install -y chromium" in done.stdout
    assert all(f"  - {name}" in done.stdout for name in names)
