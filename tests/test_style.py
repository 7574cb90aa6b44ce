"""The code base stays ruff clean (the house style)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--output-format", "concise", str(ROOT)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_python_files_are_ruff_formatted() -> None:
    """Layout by ``ruff format`` (Python files; the Markdown documents keep their own layout)."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--extend-exclude", "*.md", str(ROOT)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
