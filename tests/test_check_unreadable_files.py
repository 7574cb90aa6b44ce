"""A file that is not UTF-8 text, or holds a control character (a Word or PDF document saved as .yaml, a file
saved as Windows-1252 or UTF-16, a character pasted from elsewhere), fails loading and ``check`` with its file,
line and what to do, never a traceback nor Python's codec words."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from openfisca_sp.drafting.checks import check
from openfisca_sp.rules.parameter_loader import load_parameters
from openfisca_sp.rules.yaml_files import ParameterFileError

ROOT = Path(__file__).resolve().parents[1]
WOMEN = Path("old_age/pensionable_age/women.yaml")
CASES = Path("tests/rules/lao/old_age/decree_207_old_age_pension.yaml")


@pytest.fixture
def lao(tmp_path: Path) -> Path:
    """A copy of Lao PDR's parameters."""
    shutil.copytree(ROOT / "parameters" / "lao", tmp_path / "lao")
    return tmp_path / "lao"


def _write(path: Path, old: str, new: bytes) -> int:
    """Write ``path`` (UTF-8 text) with its first ``old`` replaced by the bytes ``new``: the line it is on."""
    data = path.read_bytes()
    at = data.index(old.encode("utf-8"))
    path.write_bytes(data[:at] + new + data[at + len(old.encode("utf-8")) :])
    return data.count(b"\n", 0, at) + 1


CONTROL = "a control character (U+0007) at column 14: a YAML file holds text only; delete it"
WINDOWS_1252 = "byte 0x92 at column 17 is not UTF-8: the file was saved in another encoding (Windows-1252"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    value: 660", b"    value: 66\x070", CONTROL),
        ("    value: 660", b"    value: 660  # \x00", "a control character (U+0000) at column 19"),
        ("Primary text of", "Primary \u2019text of".encode("cp1252"), WINDOWS_1252),
    ],
)
def test_a_character_that_is_not_text_fails_loading_and_check_at_its_line(
    lao: Path, old: str, new: bytes, message: str
) -> None:
    line = _write(lao / WOMEN, old, new)
    with pytest.raises(ParameterFileError) as raised:
        load_parameters(lao)
    assert (raised.value.path, raised.value.line) == (str(lao / WOMEN), line)
    assert raised.value.reason.startswith(message), raised.value.reason
    (problem,) = check([lao / WOMEN])
    assert (problem.line, problem.message) == (line, raised.value.reason)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("description: x\n".encode("utf-16"), "the file is saved as UTF-16, not UTF-8: save the file as UTF-8"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\xff\xfe", "the file is a zipped document (a Word .docx?), not text"),
    ],
)
def test_a_file_saved_as_utf16_or_a_word_document_is_told_so(lao: Path, data: bytes, message: str) -> None:
    (lao / WOMEN).write_bytes(data)
    (problem,) = check([lao / WOMEN])
    assert (problem.line, problem.message.startswith(message)) == (1, True), problem


def test_a_law_case_file_with_a_control_character_is_told_at_its_line_by_check_and_openfisca_test(
    tmp_path: Path,
) -> None:
    cases = tmp_path / "lao" / CASES.name
    cases.parent.mkdir()
    shutil.copy(ROOT / CASES, cases)
    line = _write(cases, "    age: 60\n", b"    age: 60\x0c\n")
    (problem,) = check([cases])
    assert (problem.line, problem.message.split(":")[0]) == (line, "a control character (U+000C) at column 12")
    done = subprocess.run(
        [Path(sys.executable).parent / "openfisca", "test", str(cases), "--country-package", "openfisca_sp"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert f"{cases}:{line}: a control character (U+000C) at column 12" in done.stderr + done.stdout
