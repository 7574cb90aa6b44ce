"""``openfisca-sp legal-index`` and ``parameter-names`` (the drafters' generated documents, written or checked),
``generated-docs`` (every document generated from the rules, written or checked at once), and ``check`` (every
problem of a tree of rules, and of the checkout's generated documents, as ``file:line: cause``)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openfisca_sp.rules.wording import counted
from openfisca_sp.rules.yaml_files import ParameterFileError

if TYPE_CHECKING:
    from openfisca_sp.drafting.checks import Problem
    from openfisca_sp.drafting.law_cases import KnownReads

LEGAL_INDEX = Path("docs/legal-index.md")
PARAMETERS_DOCUMENT = Path("docs/parameters.md")
README = Path("README.md")


def _write_or_check(path: Path, text: str, check: bool, command: str) -> bool:
    """Write ``text`` to ``path``, or (``check``) say whether it is already there, and the ``command`` that
    regenerates it; True when up to date."""
    current = path.read_text(encoding="utf-8") if path.exists() else None
    if check:
        if current != text:
            print(f"{path} is out of date: run {command} to regenerate it", file=sys.stderr)
        return current == text
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)
    return True


def _legal_index(arguments: argparse.Namespace) -> int:
    from openfisca_sp.drafting.legal_index import render

    tests = Path(arguments.tests) if arguments.tests else None
    if tests is not None and not tests.is_dir():
        print(f"openfisca-sp legal-index: error: no law cases folder {tests}", file=sys.stderr)
        return 2
    try:
        text = render(tests)
    except ParameterFileError as error:  # the rules, or a law case, cannot be read: file:line: cause
        print(f"openfisca-sp legal-index: error: {error}", file=sys.stderr)
        return 2
    if arguments.output is None:
        sys.stdout.write(text)
        return 0
    command = f"openfisca-sp legal-index --output {arguments.output}"
    if arguments.tests:
        command += f" --tests {arguments.tests}"
    return 0 if _write_or_check(Path(arguments.output), text, arguments.check, command) else 1


def _parameter_names(arguments: argparse.Namespace) -> int:
    from openfisca_sp.drafting.parameter_table import document, replace_block, short_table

    if not (arguments.write or arguments.check):
        print(short_table())
        return 0
    readme = Path(arguments.readme)
    try:
        text = replace_block(readme.read_text(encoding="utf-8"), short_table())
    except (OSError, ValueError) as error:
        print(f"openfisca-sp parameter-names: error: {readme}: {error}", file=sys.stderr)
        return 2
    command = f"openfisca-sp parameter-names --write --readme {arguments.readme} --document {arguments.document}"
    up_to_date = _write_or_check(readme, text, arguments.check, command)
    up_to_date &= _write_or_check(Path(arguments.document), document(), arguments.check, command)
    return 0 if up_to_date else 1


def _checkout() -> Path | None:
    """The current folder where it is the checkout the rules are loaded from (its ``parameters/`` is theirs), else
    None: another checkout's documents would be compared with rules they were not generated from."""
    here = Path.cwd()
    return here if (here / "parameters").is_dir() and rules_loaded_elsewhere(here) is None else None


def _generated_docs(arguments: argparse.Namespace) -> int:
    from openfisca_sp.cli.generated_documents import DOCUMENTS, stale_documents, write_documents

    root = _checkout()
    if root is None:
        from openfisca_sp.rules.paths import PARAMETERS_DIR

        print(
            f"openfisca-sp generated-docs: error: run it at the root of the checkout the rules are loaded from "
            f"({PARAMETERS_DIR.parent})",
            file=sys.stderr,
        )
        return 2
    if not (arguments.write or arguments.check):
        for document in DOCUMENTS:
            print(f"{document.path}: {document.command}")
        return 0
    try:
        if arguments.check:
            stale = stale_documents(root)
            for document in stale:
                where = f"{document.path}:{document.line}" if document.line else str(document.path)
                print(f"{where}: {document.message}", file=sys.stderr)
            return 1 if stale else 0
        written, absent = write_documents(root)
        for path in absent:
            print(f"left out {path}: not in this checkout", file=sys.stderr)
        for path in written:
            print(f"wrote {path}", file=sys.stderr)
    except (ParameterFileError, OSError, ValueError) as error:  # the rules or a law case cannot be read
        print(f"openfisca-sp generated-docs: error: {error}", file=sys.stderr)
        return 2
    return 0


def _stale_documents(known: KnownReads) -> list[Problem]:
    """The checkout's generated documents that are out of date, as problems (none outside a checkout, or where the
    rules or a law case cannot be read: that problem is told by the check itself); ``known``: what the law cases
    read, as the check found it running them."""
    from openfisca_sp.cli.generated_documents import stale_documents
    from openfisca_sp.drafting.checks import Problem

    root = _checkout()
    if root is None:
        return []
    try:
        stale = stale_documents(root, known)
    except ParameterFileError:
        return []
    return [Problem(str(document.path), document.line, document.message) for document in stale]


def _default_trees() -> list[Path]:
    """What ``check`` checks when given nothing: a checkout's rules and law cases, else the installed rules."""
    here = [Path(name) for name in ("parameters", "reforms", "tests/rules", "tests/claims") if Path(name).is_dir()]
    if here:
        return here
    from openfisca_sp.rules.paths import PARAMETERS_DIR, REFORMS_DIR

    return [PARAMETERS_DIR, REFORMS_DIR]


def _check(arguments: argparse.Namespace) -> int:
    from openfisca_sp.drafting.checks import check_all
    from openfisca_sp.drafting.law_cases import KnownReads
    from openfisca_sp.drafting.schemas import schema_text

    if arguments.print_schema:
        sys.stdout.write(schema_text(arguments.print_schema))
        return 0
    paths = [Path(path) for path in arguments.paths] or _default_trees()
    known = KnownReads()  # each law case is run once: its reads serve the legal index's comparison
    found = check_all(paths, known=known)
    problems = [item for item in found if not item.warning]
    warnings = [item for item in found if item.warning]
    if not arguments.paths:
        problems += _stale_documents(known)
    elsewhere = rules_loaded_elsewhere(Path.cwd())
    if elsewhere is not None:
        print(elsewhere, file=sys.stderr)
    if arguments.format == "json":
        told = {
            "checked": [str(path) for path in paths],
            "problems": [{"file": item.path, "line": item.line or None, "problem": item.message} for item in problems],
            "warnings": [{"file": item.path, "line": item.line or None, "warning": item.message} for item in warnings],
        }
        sys.stdout.write(json.dumps(told, indent=2) + "\n")
    else:
        for problem in problems + warnings:
            print(problem)
        where = ", ".join(map(str, paths))
        also = f", {counted(len(warnings), 'warning')}" if warnings else ""
        print(f"{counted(len(problems), 'problem')}{also} in {where}", file=sys.stderr)
    return 1 if problems else 0


def rules_loaded_elsewhere(folder: Path) -> str | None:
    """A warning where ``folder`` holds a ``parameters/`` folder that is not the one the rules load (a second
    checkout sharing the first one's editable install: its law cases run on the first one's rules), else None."""
    from openfisca_sp.rules.paths import PARAMETERS_DIR

    here = folder / "parameters"
    if not here.is_dir() or here.resolve() == PARAMETERS_DIR.resolve():
        return None
    return (
        f"warning: the rules are loaded from {PARAMETERS_DIR}, not from {here}: law cases are computed on those "
        "rules (install this checkout: pip install -e .)"
    )


def add_commands(commands: Any) -> None:
    """Add the drafting commands to the ``openfisca-sp`` sub-parsers."""
    index = commands.add_parser(
        "legal-index", help="Index instruments and articles to parameter files and the law cases that test them"
    )
    index.add_argument("--tests", default="tests/rules", help="the law cases' folder (default tests/rules)")
    index.add_argument("--output", help=f"write here (e.g. {LEGAL_INDEX}) instead of printing")
    index.add_argument("--check", action="store_true", help="exit 1 if --output is not up to date; write nothing")
    index.set_defaults(run=_legal_index)

    names = commands.add_parser("parameter-names", help="The parameter names each branch reads, as tables")
    names.add_argument("--write", action="store_true", help=f"update the README's table and {PARAMETERS_DOCUMENT}")
    names.add_argument("--check", action="store_true", help="exit 1 if they are not up to date; write nothing")
    names.add_argument("--readme", default=str(README))
    names.add_argument("--document", default=str(PARAMETERS_DOCUMENT))
    names.set_defaults(run=_parameter_names)

    generated = commands.add_parser(
        "generated-docs",
        help="The documents generated from the rules (legal index, parameter names, compliance report, README's "
        "verification table): list, write or check them all",
        description="Every document a change of a value, a status or a law case can make stale, generated from the "
        "rules of this checkout: without an option, each with the command that regenerates it alone.",
    )
    action = generated.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help="regenerate every one that is out of date")
    action.add_argument(
        "--check", action="store_true", help="exit 1 naming each one out of date (file:line) and its command"
    )
    generated.set_defaults(run=_generated_docs)

    check = commands.add_parser(
        "check",
        help="Check parameter files, reforms and law cases; print every problem as file:line: cause",
        description="Check parameter files, reforms and law cases, and run the law cases (each on the rules of "
        "its folder's jurisdiction), and claim cases; print every problem, and every output the rules compute "
        "otherwise than a case expects, as file:line: cause (exit 1 if there is any). Without paths: parameters/, "
        "reforms/, tests/rules/ and tests/claims/ of the current folder, else the installed rules; in the checkout "
        "the rules are loaded from, also each generated document out of date (see generated-docs).",
    )
    check.add_argument("paths", nargs="*", help="files or folders to check")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument(
        "--print-schema",
        choices=("parameter-file", "law-cases"),
        help="print the JSON Schema editors validate these files with, and exit",
    )
    check.set_defaults(run=_check)
