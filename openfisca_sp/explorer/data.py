"""What the explorer shows, per jurisdiction and branch: parameters with their dated values, variables, shares.

Reads the provenance index (each value's file, line, reference and status), the branch catalogue, the
verification table (:mod:`openfisca_sp.rules.verification`) and the law cases (:mod:`.cases`). Web-free:
the site (:mod:`.site`) renders it.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openfisca_sp.drafting.legal_index import records_read
from openfisca_sp.explorer.cases import CaseId, CaseRuns, run_cases
from openfisca_sp.explorer.chart import Chart, step_chart
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.branches import BRANCHES, GROUPS
from openfisca_sp.rules.provenance import ValueProvenance, provenance_of
from openfisca_sp.rules.system import tax_benefit_system
from openfisca_sp.rules.verification import ALL_BRANCHES, NotModelled, VerificationRow, verification

OTHER_VARIABLES = "inputs"  # the page of variables outside any branch (input facts, shared reference values)
LABELS = {
    **{code: branch.label for code, branch in BRANCHES.items()},
    **{group.code: f"{group.code.replace('_', ' ').capitalize()} ({group.label})" for group in GROUPS},
    OTHER_VARIABLES: "Input facts and shared variables",
}


@dataclass(frozen=True)
class Reference:
    instrument: str
    article: str
    href: str
    source: str


@dataclass
class Value:
    """One dated value with its sources, where it is written and the law cases that read it."""

    start: str
    text: str
    status: str
    references: tuple[Reference, ...]
    note: str
    file: str
    line: int | None
    cases: list[CaseId] = field(default_factory=list)


@dataclass
class ParameterEntry:
    name: str
    anchor: str
    description: str
    unit: str
    values: list[Value]
    chart: Chart | None
    read_by: list[str] = field(default_factory=list)  # variables whose formulas read it in a law case


@dataclass
class VariableEntry:
    name: str
    anchor: str
    label: str
    documentation: str
    reference: list[str]
    file: str
    line: int | None
    source: str  # the class with its formulas
    reads_variables: list[str]
    reads_parameters: list[str]
    checked_by: list[CaseId]
    computed_in: int  # law cases whose computation reaches it


@dataclass
class BranchData:
    code: str
    label: str
    parameters: list[ParameterEntry]
    variables: list[VariableEntry]
    row: VerificationRow | None
    not_modelled: list[NotModelled]


@dataclass
class JurisdictionData:
    code: str
    label: str
    description: str
    branches: list[BranchData]
    total: VerificationRow
    cases: int
    case_failures: list[str]
    links: dict[str, str] = field(default_factory=dict)  # a parameter's or variable's name -> page#anchor
    cases_run: bool = True  # False: built without law cases (--no-cases), so no value is said untested


def _links(branches: list[BranchData]) -> dict[str, str]:
    """Where each parameter (a scale by its name too) and each variable is shown, as ``<branch>.html#anchor``."""
    links: dict[str, str] = {}
    for branch in branches:
        for parameter in branch.parameters:
            links.setdefault(parameter.name.split("[", 1)[0], f"{branch.code}.html#{parameter.anchor}")
        for variable in branch.variables:
            links[variable.name] = f"{branch.code}.html#{variable.anchor}"
    return links


def anchor(name: str) -> str:
    """An id usable in HTML and as a URL fragment."""
    return re.sub(r"[^A-Za-z0-9_.-]", "-", name)


def value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null (stopped)"
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


STOPPED = "not_modelled"  # a value set to null, with no status of its own: the law's rule is not modelled from then


def relative(path: str | None, root: Path) -> str:
    if not path:
        return "?"
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def _node(parameters: Any, name: str) -> Any:
    """The parameter (or the scale of a bracket) named ``name``, if it can be reached."""
    node = parameters
    for part in name.split("[", 1)[0].split("."):
        node = getattr(node, "children", {}).get(part)
        if node is None:
            return None
    return node


def _references(record: ValueProvenance) -> tuple[Reference, ...]:
    return tuple(
        Reference(*(" ".join(str(item.get(key) or "").split()) for key in ("instrument", "article", "href", "source")))
        for item in record.reference
    )


def _parameter(system: Any, name: str, records: list[ValueProvenance], cases: dict, root: Path, today: str) -> Any:
    node = _node(system.parameters, name)
    values = [
        Value(
            record.start,
            value_text(record.value),
            record.status or (STOPPED if record.value is None else "?"),
            _references(record),
            " ".join(str(record.note or "").split()),
            relative(record.file, root),
            record.line,
            sorted(cases.get((record.parameter, record.start), ())),
        )
        for record in records
    ]
    chart = step_chart(f"chart-{anchor(name)}", name, [(record.start, record.value) for record in records], today)
    description = str(getattr(node, "description", None) or "")
    unit = str((getattr(node, "metadata", None) or {}).get("unit") or "")
    return ParameterEntry(name, anchor(name), description, unit, values, chart)


def _value_cases(system: Any, runs: CaseRuns) -> dict[tuple[str, str], set[CaseId]]:
    """For each dated value (parameter, start), the law cases that read it (as the legal index links them)."""
    index = provenance_of(system)
    found: dict[tuple[str, str], set[CaseId]] = defaultdict(set)
    for (name, instant), cases in runs.value_reads.items():
        for parameter in records_read(index.history, name):
            record = index.at(parameter, instant)
            if record is not None:
                found[(record.parameter, record.start)].update(cases)
    return found


def _folder_of(variable: Any) -> str:
    path = (variable.introspection_data or ("",))[0]
    parts = Path(path).parts
    return parts[2] if len(parts) > 3 and parts[1] == "variables" else ""


def _branch_of(name: str, variable: Any, codes: set[str]) -> str:
    folder = _folder_of(variable)
    if folder in codes:
        return folder
    return next((code for code in sorted(codes) if name.startswith(code + "_")), OTHER_VARIABLES)


def _variable(name: str, variable: Any, system: Any, runs: CaseRuns) -> VariableEntry:
    path, source, line = variable.introspection_data or ("?", "", None)
    called = runs.variables_called.get(name, set())
    quoted = set(re.findall(r"""["']([a-z_][a-z0-9_]*)["']""", source))
    reads = sorted((called | quoted) & set(system.variables) - {name}) if variable.formulas else []
    reference = variable.reference or []
    return VariableEntry(
        name=name,
        anchor=f"variable-{name}",
        label=variable.label or "",
        documentation=" ".join(str(variable.documentation or "").split()),
        reference=[str(item) for item in (reference if isinstance(reference, list) else [reference])],
        file=path.lstrip("/"),
        line=line,
        source=source,
        reads_variables=reads,
        reads_parameters=sorted(runs.parameters_read.get(name, ())),
        checked_by=sorted(runs.checked.get(name, ())),
        computed_in=len(runs.computed.get(name, ())),
    )


def collect(code: str, cases_folder: Path | None, root: Path, date: datetime.date | None = None) -> JurisdictionData:
    """Everything the explorer shows of one jurisdiction; law cases are run when ``cases_folder`` is given."""
    date = date or datetime.date.today()
    system = tax_benefit_system(code)
    jurisdiction = jurisdictions.get(code)
    runs = run_cases(cases_folder, code, root)
    cases = _value_cases(system, runs)
    table = verification(system, date)
    rows = {row.branch: row for row in table.rows}
    folders = [row.branch for row in table.rows if row.branch != ALL_BRANCHES]
    history = provenance_of(system).history
    by_folder: dict[str, list[ParameterEntry]] = defaultdict(list)
    for name in sorted(history):
        entry = _parameter(system, name, history[name], cases, root, date.isoformat())
        by_folder[name.split(".", 1)[0]].append(entry)
    codes = {branch for branch in folders if branch in BRANCHES}
    variables: dict[str, list[VariableEntry]] = defaultdict(list)
    for name in sorted(system.variables):
        variable = system.variables[name]
        variables[_branch_of(name, variable, codes)].append(_variable(name, variable, system, runs))
    for entries in variables.values():
        for entry in entries:
            for parameter in entry.reads_parameters:
                for candidate in by_folder.get(parameter.split(".", 1)[0], ()):
                    if candidate.name == parameter or candidate.name.startswith(parameter + "["):
                        candidate.read_by.append(entry.name)
    branches = [
        BranchData(
            folder,
            LABELS.get(folder, folder.replace("_", " ").capitalize()),
            by_folder.get(folder, []),
            variables.get(folder, []),
            rows.get(folder),
            [part for part in table.not_modelled if part.branch == folder],
        )
        for folder in [*folders, OTHER_VARIABLES]
    ]
    return JurisdictionData(
        code,
        jurisdiction.label,
        jurisdiction.description,
        branches,
        rows[ALL_BRANCHES],
        runs.count,
        runs.failures,
        _links(branches),
        cases_folder is not None,
    )
