"""`make money-demo` brings up localstripe, a mail catcher and the app with card payments switched on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.smtp import free_port

ROOT = Path(__file__).resolve().parent.parent


def test_the_money_demo_starts_everything_wired_and_stops_it(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "money_demo.py"), "--port", str(free_port()), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
        env={**os.environ, "CLUB_VAR_DIR": str(tmp_path / "var")},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Card payments are on" in result.stdout and "/stripe/webhook" in result.stdout
    assert "rep@hanbit.demo" in result.stdout
    assert (tmp_path / "var" / "money-demo.sqlite3").exists()
    assert (tmp_path / "var" / "money-demo-mail" / "new").is_dir()
