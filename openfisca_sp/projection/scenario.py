"""A projection scenario: one YAML file whose every assumption states its value, its source and its status.

::

    title: Viet Nam, social pension from 75 to 70 (R202), 2026-2055
    jurisdiction: vnm
    population: sample:vnm          # or a person table, relative to this file
    base_month: 2026-10             # the month the person table describes
    years: {first: 2026, last: 2055}
    reform: r202_social_pension     # optional: a shipped reform or a YAML file
    reform_from: 2027               # optional: the first year the reform is in force
    assumptions:
      gdp:                          # optional: without it, the share of GDP is not computed
        base: {year: 2024, value: 11511900000000000, source: ..., status: verified}
        real_growth: [{from: 2025, value: 0.065, source: ..., status: verified_2nd}]
        deflator: [{from: 2025, value: 0.03, source: ..., status: unverified}]
      prices: [{from: 2027, value: 0.035, source: ..., status: ...}]       # consumer price inflation
      real_wage_growth: [{from: 2027, value: productivity, source: ..., status: ...}]  # or a number
      coverage: [{year: 2030, value: 0.6, source: ..., status: ...}]      # optional: contributors aged 15-64
      indexation: [{parameter: ..., index: prices, from: 2027, source: ..., status: ...}]  # optional
      assume:                       # optional: a value for every person of a column the table lacks
        contribution_months: {value: 120, source: ..., status: assumption}

A rate series is a list of steps: each ``value`` holds from its year until the next step (and after the last).
Real wage growth may be ``productivity``: real GDP growth per person aged 15-64. ``assume`` states, as
``project --assume`` does for one run, a whole column the person table lacks (:mod:`~.assumed`). A mistake is
reported as ``file:line: what is wrong``. A scenario never names Python code: its reform is shipped or a YAML file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from openfisca_sp.decisions.facts import facts_of
from openfisca_sp.population.engine import jurisdiction_for, resolve_system
from openfisca_sp.population.errors import PopulationError
from openfisca_sp.population.reading import SAMPLE_PREFIX
from openfisca_sp.projection import scenario_keys as keys
from openfisca_sp.projection.assumed import Assumed, for_the_run
from openfisca_sp.projection.base_month import other_base_month
from openfisca_sp.projection.demography import DemographyError, demography
from openfisca_sp.projection.indexation_entries import Indexation
from openfisca_sp.projection.scenario_keys import ASSUMPTIONS
from openfisca_sp.projection.scenario_reader import PRODUCTIVITY, ScenarioError, ScenarioReader, Sourced
from openfisca_sp.reforms import shipped_reforms, unknown_reform
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.jurisdictions import UnknownJurisdictionError
from openfisca_sp.rules.wording import span as year_span
from openfisca_sp.rules.yaml_files import ParameterFileError, line_of, read_yaml


@dataclass(frozen=True)
class Scenario:
    """A projection: population, years, reform and phase-in, and the sourced assumptions."""

    path: Path | None
    title: str
    jurisdiction: str
    population: Any
    base_month: str
    first_year: int
    last_year: int
    reform: str | Path | None
    reform_from: int
    gdp: Sourced | None  # None: no sourced GDP, the share of GDP is not computed
    real_growth: tuple[Sourced, ...]
    deflator: tuple[Sourced, ...]
    prices: tuple[Sourced, ...]
    real_wage_growth: tuple[Sourced, ...]
    coverage: tuple[Sourced, ...] = ()
    indexation: tuple[Indexation, ...] = ()
    notes: list[str] = field(default_factory=list)
    reform_line: int | None = None  # where the file names its reform
    assume: tuple[Assumed, ...] = ()  # values for whole columns the person table lacks (:mod:`~.assumed`)

    @property
    def base_year(self) -> int:
        return int(self.base_month[:4])

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    def assumptions(self) -> list[dict[str, Any]]:
        """Every assumption as a row: what, year, value, source, status."""
        rows = [{"assumption": "gdp", **_row(self.gdp)}] if self.gdp else []
        for name in ("real_growth", "deflator", "prices", "real_wage_growth", "coverage"):
            rows += [{"assumption": name, **_row(item)} for item in getattr(self, name)]
        rows += [
            {"assumption": f"indexation of {item.parameter} by {item.index}", "year": item.start, "value": item.index}
            | {"source": item.source, "status": item.status}
            for item in self.indexation
        ]
        return rows + [item.row(self.base_year) for item in self.assume]


def _row(item: Sourced) -> dict[str, Any]:
    """An assumption as a row; a rate given by a method is the method's name (``productivity``), not its NaN
    (which is no JSON: a report read by another program failed to parse)."""
    value = item.method if item.method is not None else item.value
    return {"year": item.year, "value": value, "source": item.source, "status": item.status}


def _first_growth(base: Sourced | None, last: int) -> int | None:
    """The first year GDP grows from its base year in a projection to ``last`` (None: it never does)."""
    return None if base is None or base.year >= last else base.year + 1


def _relative(path: Path, value: str) -> str | Path:
    """A person table or reform file relative to the scenario file; names (sample:vnm, a shipped reform) as is."""
    candidate, named = path.parent / value, "/" in value or value.endswith((".yaml", ".yml", ".parquet", ".csv"))
    return candidate if named and candidate.exists() else value


def with_assumptions(scenario: Scenario, assume: Mapping[str, Any] | None) -> Scenario:
    """``scenario`` with the values ``assume`` states for this run for whole columns the person table lacks (by
    column), each checked: a column given replaces the scenario's own assumption (:func:`~.assumed.for_the_run`)."""
    if not assume:
        return scenario
    facts = facts_of(resolve_system(scenario.jurisdiction))
    return replace(scenario, assume=for_the_run(scenario.assume, assume, facts, scenario.base_month))


SCENARIO_PREFIX = "scenario:"


def population_of(scenario: Scenario, population: Any = None) -> Any:
    """The person table a projection of ``scenario`` reads: ``population`` (which replaces the scenario's), else
    the scenario's. A table that names another jurisdiction than the scenario's (a shipped sample, a synthesized
    table) is refused: its money and facts are its own jurisdiction's."""
    if population is None:
        return scenario.population
    where = f"the scenario {scenario.path}" if scenario.path else "the scenario"
    jurisdiction_for(population, scenario.jurisdiction, where)
    other = other_base_month(population, scenario.base_month)
    if other is not None:
        raise PopulationError(other)
    return population


def shipped_scenario(code: str) -> Path:
    """The path of the scenario shipped for jurisdiction ``code``."""
    path = Path(str(resources.files("openfisca_sp") / "data" / "scenarios" / f"{code}.yaml"))
    if not path.is_file():
        raise ScenarioError(path, None, f"no scenario is shipped for {code!r}")
    return path


def scenario_name(path: Path) -> str:
    """A scenario as a report names it: ``scenario:<code>`` for a shipped one (not the folder the package is
    installed in, which told a shared report's readers the author's own directories), else its path."""
    shipped = Path(str(resources.files("openfisca_sp") / "data" / "scenarios"))
    inside = path.parent.resolve() == shipped.resolve() and path.suffix == ".yaml"
    return f"{SCENARIO_PREFIX}{path.stem}" if inside else str(path)


def scenario_path(name: str | Path) -> Path:
    """A scenario file from its path or ``scenario:<code>`` (a shipped one)."""
    text = str(name)
    return shipped_scenario(text[len(SCENARIO_PREFIX) :]) if text.startswith(SCENARIO_PREFIX) else Path(text)


def read_scenario(path: str | Path) -> Scenario:
    """Read and check a scenario file, or ``scenario:<code>`` (safe YAML; every mistake with file and line)."""
    path = scenario_path(path)
    if not path.is_file():
        raise ScenarioError(path, None, "no such scenario file")
    try:
        data = read_yaml(path)
    except ParameterFileError as error:
        raise ScenarioError(path, error.line, error.reason) from error
    reader = ScenarioReader(path)
    if not isinstance(data, dict):
        raise ScenarioError(path, None, "a scenario is a mapping (title, jurisdiction, population, years, ...)")
    reader.known_keys(data, keys.TOP, "the scenario")
    base_month = str(reader.get(data, "base_month", (str, int)))
    if len(base_month) != 7 or base_month[4] != "-" or not (base_month[:4] + base_month[5:]).isdigit():
        raise reader.fail(data, "base_month", f"base_month is a month, YYYY-MM, not {base_month!r}")
    if not 1 <= int(base_month[5:]) <= 12:
        raise reader.fail(data, "base_month", f"base_month {base_month!r} has no month {base_month[5:]} (01 to 12)")
    years = reader.get(data, "years", dict)
    reader.known_keys(years, keys.YEARS, "years")
    first, last = reader.year(years, "first"), reader.year(years, "last")
    if not int(base_month[:4]) <= first <= last:
        raise reader.fail(data, "years", f"years run from the base month's year ({base_month[:4]}) on, first <= last")
    reform = reader.get(data, "reform", str, required=False)
    if reform and reform not in shipped_reforms() and not reform.endswith((".yaml", ".yml")):  # never code
        raise reader.fail(data, "reform", unknown_reform(reform, " or a YAML file"))
    reform_from = reader.year(data, "reform_from") if "reform_from" in data else first
    assumptions = reader.get(data, "assumptions", dict)
    gdp = reader.get(assumptions, "gdp", dict, required=False)
    reader.known_keys(assumptions, ASSUMPTIONS, "assumptions", "assumption")
    reader.known_keys(gdp, keys.GDP, "gdp")
    wages = assumptions.get("real_wage_growth") or []
    if not gdp and any(isinstance(item, dict) and item.get("value") == PRODUCTIVITY for item in wages):
        raise reader.fail(assumptions, "real_wage_growth", "real wage growth by productivity needs gdp.real_growth")
    span = range(first, last + 1)
    if "reform_from" in data and not reform:  # the reform rows would be the baseline's, said as a reform's
        raise reader.fail(data, "reform_from", "reform_from is the year a reform starts: the scenario names no reform")
    if reform and not first <= reform_from <= last:  # the reform would change nothing: refused, not run for nothing
        raise reader.fail(
            data, "reform_from", f"reform_from {reform_from} is outside the years projected ({year_span(first, last)})"
        )
    jurisdiction = reader.get(data, "jurisdiction", str)
    try:
        jurisdictions.get(jurisdiction)
        people = demography(jurisdiction)
    except (UnknownJurisdictionError, DemographyError) as error:
        raise reader.fail(data, "jurisdiction", str(error).strip("'\"")) from None
    if first < people.years.start or last >= people.years.stop:  # checked before a year is computed
        raise reader.fail(
            years,
            "last" if last >= people.years.stop else "first",
            f"the population projection shipped for {jurisdiction} covers {people.years.start}-"
            f"{people.years.stop - 1}; years run from {first} to {last}",
        )
    population = _relative(path, reader.get(data, "population", str))
    if not str(population).startswith(SAMPLE_PREFIX) and not Path(population).exists():
        where = f"beside the scenario, in {path.resolve().parent}, then in the current folder"
        raise reader.fail(data, "population", f"no file {population} (a person table is looked for {where})")
    try:
        jurisdiction_for(population, jurisdiction, "the scenario")
    except PopulationError as error:
        raise reader.fail(data, "population", str(error)) from None
    other = other_base_month(population, base_month)
    if other is not None:
        raise reader.fail(data, "base_month", other)
    base = reader.sourced(reader.get(gdp, "base", dict), "year", "level", "gdp.base") if gdp else None
    if base is not None and base.year > first:
        raise reader.fail(
            reader.get(gdp, "base", dict),
            "year",
            f"the GDP base year {base.year} is after the first year projected ({first}): give a GDP of {first} or "
            "before",
        )
    grows_from = int(base_month[:4]) + 1  # indices are 1 in the base month's year
    return Scenario(
        path=path,
        title=reader.get(data, "title", str),
        jurisdiction=jurisdiction,
        population=population,
        base_month=base_month,
        first_year=first,
        last_year=last,
        reform=_relative(path, reform) if reform else None,
        reform_from=reform_from,
        gdp=base,
        real_growth=reader.steps(gdp, "real_growth", needed_from=_first_growth(base, last)) if gdp else (),
        deflator=reader.steps(gdp, "deflator", needed_from=_first_growth(base, last)) if gdp else (),
        prices=reader.steps(assumptions, "prices", needed_from=grows_from if grows_from <= last else None),
        real_wage_growth=reader.steps(
            assumptions,
            "real_wage_growth",
            methods=(PRODUCTIVITY,),
            needed_from=grows_from if grows_from <= last else None,
        ),
        coverage=reader.coverage(assumptions, int(base_month[:4])),
        indexation=reader.indexations(assumptions, span),
        reform_line=line_of(data, "reform"),
        assume=reader.assumed(assumptions, facts_of(resolve_system(jurisdiction)), base_month),
    )
