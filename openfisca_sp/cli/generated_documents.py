"""The documents generated from the rules, which a change of a value, a status or a law case makes stale.

One list, so that a drafter regenerates them all with one command (``openfisca-sp generated-docs --write``) and
``openfisca-sp check``, run in the checkout, tells each stale one as ``file:line: cause`` with the command that
regenerates it:

* ``docs/legal-index.md`` (``openfisca-sp legal-index``);
* README's table of parameter names and ``docs/parameters.md`` (``openfisca-sp parameter-names --write``);
* ``docs/compliance.md`` (``openfisca-sp compliance --format markdown``, on :data:`DATE`);
* README's verification table (``openfisca-sp verification --format markdown``, on :data:`DATE`, pasted between
  its first line and its footnote's).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openfisca_sp.drafting.law_cases import KnownReads

DATE = datetime.date(2026, 11, 30)  # the date of the compliance report and of README's verification table
WRITE = "openfisca-sp generated-docs --write"
LEGAL_INDEX = Path("docs/legal-index.md")
PARAMETERS_DOCUMENT = Path("docs/parameters.md")
COMPLIANCE = Path("docs/compliance.md")
README = Path("README.md")
VERIFICATION_FIRST_LINE = "Verification status of the parameter values"  # README's pasted table, from this line
VERIFICATION_LAST_LINE = "Values: every dated value"  # to this one (the table's footnote), both included


@dataclass(frozen=True)
class GeneratedDocument:
    """A file (or a part of one) a command generates from the rules."""

    path: Path  # relative to the checkout
    command: str  # the command that regenerates it alone
    # (the checkout, the file's text now, what law cases read as a command already computed them) -> its text
    expected: Callable[[Path, str, KnownReads | None], str]


@dataclass(frozen=True)
class StaleDocument:
    """A generated document that differs from what its command now generates, from ``line`` on."""

    path: Path
    line: int
    command: str
    problem: str | None = None  # why it cannot be compared (README without its verification table)

    @property
    def message(self) -> str:
        if self.problem is not None:
            return f"not compared with what {self.command} generates: {self.problem}"
        return (
            "out of date from this line (the rules, their statuses or the law cases now generate it otherwise): "
            f"run {WRITE} (this one alone: {self.command})"
        )


def _legal_index(root: Path, _: str, known: KnownReads | None) -> str:
    from openfisca_sp.drafting.legal_index import render

    return render(root / "tests" / "rules", root=root, known=known)


def _parameter_table(_: Path, readme: str, __: KnownReads | None) -> str:
    from openfisca_sp.drafting.parameter_table import replace_block, short_table

    return replace_block(readme, short_table())


def _parameters_document(_: Path, __: str, ___: KnownReads | None) -> str:
    from openfisca_sp.drafting.parameter_table import document

    return document()


def _compliance(_: Path, __: str, ___: KnownReads | None) -> str:
    from openfisca_sp.cli.compliance import PREFACE
    from openfisca_sp.compliance import compliance, render

    return render(compliance(None, DATE).to_dict(), "markdown", PREFACE.format(date=DATE.isoformat()))


def paste_verification(readme: str, table: str) -> str:
    """``readme`` with its verification table (its first line to its footnote's) replaced by ``table``."""
    start = readme.find("\n" + VERIFICATION_FIRST_LINE) + 1
    last = readme.find("\n" + VERIFICATION_LAST_LINE, start) + 1
    if start == 0 or last == 0:
        raise ValueError(
            f"no verification table: README needs the command's output pasted, from a line starting "
            f"'{VERIFICATION_FIRST_LINE}' to its footnote, starting '{VERIFICATION_LAST_LINE}'"
        )
    end = readme.find("\n", last)
    return readme[:start] + table.strip("\n") + (readme[end:] if end != -1 else "\n")


def _verification(_: Path, readme: str, __: KnownReads | None) -> str:
    from openfisca_sp.cli.verification import verification_table

    return paste_verification(readme, verification_table(DATE))


DOCUMENTS = (
    GeneratedDocument(LEGAL_INDEX, f"openfisca-sp legal-index --output {LEGAL_INDEX}", _legal_index),
    GeneratedDocument(README, "openfisca-sp parameter-names --write", _parameter_table),
    GeneratedDocument(PARAMETERS_DOCUMENT, "openfisca-sp parameter-names --write", _parameters_document),
    GeneratedDocument(
        COMPLIANCE, f"openfisca-sp compliance --date {DATE} --format markdown --output {COMPLIANCE}", _compliance
    ),
    GeneratedDocument(
        README,
        f"openfisca-sp verification --date {DATE} --format markdown, pasted over README's table from "
        f"'{VERIFICATION_FIRST_LINE}' to its footnote",
        _verification,
    ),
)


def first_difference(text: str, expected: str) -> int | None:
    """The first line (from 1) at which ``text`` and ``expected`` differ; None where they are the same."""
    if text == expected:
        return None
    lines, wanted = text.splitlines(keepends=True), expected.splitlines(keepends=True)
    for number, (line, other) in enumerate(zip(lines, wanted, strict=False), 1):
        if line != other:
            return number
    return min(len(lines), len(wanted)) + 1


def stale_documents(root: Path, known: KnownReads | None = None) -> list[StaleDocument]:
    """The generated documents of the checkout ``root`` that differ from what their commands generate now (a
    document absent from it is not one of its files: left out); ``known``: what law cases read, as ``check`` found
    it running them (:class:`~openfisca_sp.drafting.law_cases.KnownReads`), so that the legal index runs none again."""
    stale = []
    for document in DOCUMENTS:
        path = root / document.path
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        try:
            line = first_difference(text, document.expected(root, text, known))
        except ValueError as error:  # the part a command generates is not where it belongs
            stale.append(StaleDocument(document.path, 0, document.command, str(error)))
            continue
        if line is not None:
            stale.append(StaleDocument(document.path, line, document.command))
    return stale


def write_documents(root: Path) -> tuple[list[Path], list[Path]]:
    """Write every generated document of the checkout ``root`` that differs from what its command generates, once
    all are generated (nothing is written if one cannot be): the paths written, and those absent from it (not its
    files: left out, as :func:`stale_documents` leaves them)."""
    now: dict[Path, str] = {}
    wanted: dict[Path, str] = {}
    absent = []
    for document in DOCUMENTS:
        path = root / document.path
        if not path.is_file():
            absent.append(document.path)
            continue
        now.setdefault(document.path, path.read_text(encoding="utf-8"))
        try:
            wanted[document.path] = document.expected(root, wanted.get(document.path, now[document.path]), None)
        except ValueError as error:  # the part a command generates is not where it belongs
            raise ValueError(f"{document.path}: {error}") from None
    written = [name for name, text in wanted.items() if text != now[name]]
    for name in written:
        (root / name).write_text(wanted[name], encoding="utf-8")
    return written, list(dict.fromkeys(absent))
