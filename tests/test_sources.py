"""Every source a parameter cites is in its jurisdiction's registry (``metadata.sources`` of
``parameters/<jurisdiction>/index.yaml``)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from openfisca_sp import tax_benefit_system
from openfisca_sp.drafting.checks import check
from openfisca_sp.drafting.law_diff import tree_index
from openfisca_sp.drafting.law_diff_outcomes import rules_system
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.parameter_loader import load_parameters
from openfisca_sp.rules.parametric_reforms import read_parametric_reform
from openfisca_sp.rules.provenance import provenance_of
from openfisca_sp.rules.sources import cited, load_sources, registry_problems
from openfisca_sp.rules.yaml_files import ParameterFileError

CODES = sorted(jurisdictions.registry())


@pytest.mark.parametrize("code", CODES)
def test_every_source_cited_is_in_the_registry(code: str) -> None:
    registry = load_sources(jurisdictions.get(code).parameters_dir)
    index = provenance_of(tax_benefit_system(code))
    used = {source for records in index.history.values() for record in records for source in cited(record.reference)}
    assert used, f"{code} cites no source by id"
    assert used <= set(registry.sources)
    for source in registry.sources.values():
        assert source.instrument and source.link.startswith(("http://", "https://")) and source.language


def _copy(code: str, tmp_path: Path) -> Path:
    target = tmp_path / code
    shutil.copytree(jurisdictions.get(code).parameters_dir, target)
    return target


def test_an_unknown_source_fails_loading_at_its_line(tmp_path: Path) -> None:
    folder = _copy("lao", tmp_path)
    path = folder / "insured_wage/ceiling.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(index for index, line in enumerate(lines) if line.strip() == "source: S27")
    lines[number] = lines[number].replace("S27", "S277")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ParameterFileError) as raised:
        load_parameters(folder)
    assert (raised.value.path, raised.value.line) == (str(path), number + 1)
    registry = f"{folder / 'index.yaml'} (metadata.sources)"
    assert f"unknown source 'S277': {registry} does not list it; did you mean 'S27'?" in str(raised.value)


def test_a_source_given_as_free_text_is_refused(tmp_path: Path) -> None:
    folder = _copy("lao", tmp_path)
    path = folder / "insured_wage/ceiling.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("source: S27", "source: SSA 2004, Laos", 1), "utf-8")
    with pytest.raises(ParameterFileError, match=r"'source' names a source by its id \(e\.g\. S26\)"):
        load_parameters(folder)


# An outside review (F1): the README promises each value's reference a link, but a value citing only its
# instrument and article loaded and passed `openfisca-sp check`; 40 Viet Nam minimum wages cited no link.
UNLINKED = """\
  2026-01-01:
    value: 0.9
    metadata:
      status: unverified
      reference:
        - instrument: X
          article: Art 5
"""


def test_a_reference_without_a_link_fails_loading_and_check_at_its_line(tmp_path: Path) -> None:
    folder = _copy("lao", tmp_path)
    path = folder / "maternity/benefit_rate.yaml"
    path.write_text(path.read_text(encoding="utf-8") + UNLINKED, encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("        - instrument: X") + 1
    expected = (
        "each reference of the value of parameter 'maternity.benefit_rate' at 2026-01-01 needs a link: 'href' (the "
        f"web address of the text read, http:// or https://) or 'source' (the id of a source of {folder / 'index.yaml'}"
        " (metadata.sources), which gives its link); a value NOT FOUND cites where it was looked for"
    )
    with pytest.raises(ParameterFileError) as raised:
        load_parameters(folder)
    assert (raised.value.path, raised.value.line, raised.value.reason) == (str(path), line, expected)
    (problem,) = check([folder])
    assert (Path(problem.path), problem.line) == (path, line)
    assert problem.message == expected
    linked = path.read_text(encoding="utf-8").replace("article: Art 5\n", "article: Art 5\n          source: S26\n")
    path.write_text(linked, encoding="utf-8")
    assert load_parameters(folder).maternity.benefit_rate("2026-06-01") == 0.9
    path.write_text("href: https://example.org/decree".join(linked.rsplit("source: S26", 1)), encoding="utf-8")
    assert check([folder]) == []


def test_a_law_diff_reads_an_older_tree_whose_references_give_no_link(tmp_path: Path) -> None:
    """Revisions written before the link was checked (Viet Nam's minimum wages cited none) still diff."""
    folder = _copy("lao", tmp_path)
    path = folder / "maternity/benefit_rate.yaml"
    path.write_text(path.read_text(encoding="utf-8") + UNLINKED, encoding="utf-8")
    index = tree_index(folder)
    added = [r for records in index.history.values() for r in records if r.start == "2026-01-01" and r.value == 0.9]
    assert [record.parameter for record in added] == ["maternity.benefit_rate"]
    assert rules_system("lao", folder).parameters.maternity.benefit_rate("2026-06-01") == 0.9


# An outside review (a drafter's, finding 5): a year mistyped in a first date (2012 for 2025) loaded, and passed
# `check`, as a verified value of a law of 2024.
EARLY = """\
  2012-01-01:
    value: 960
    metadata:
      status: {status}
      note: {note}
      reference:
        - instrument: Law on Social Insurance No. 41/2024/QH15
          article: Art 21(1)(a)
          source: VN-SIL2024
"""


def _early_value(tmp_path: Path, status: str = "verified", note: str = "a value") -> tuple[Path, Path, int]:
    """A copy of Viet Nam's parameters whose social pension age has a first value dated before its source."""
    folder = _copy("vnm", tmp_path)
    path = folder / "social_pension/minimum_age_months.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("values:\n", "values:\n" + EARLY.format(status=status, note=note), 1), "utf-8")
    return folder, path, path.read_text(encoding="utf-8").splitlines().index("  2012-01-01:") + 1


def _refused_at(folder: Path, path: Path, line: int, expected: str) -> None:
    """The rules of ``folder`` do not load, and ``check`` tells the one problem, at ``path``:``line``."""
    with pytest.raises(ParameterFileError) as raised:
        load_parameters(folder)
    assert (raised.value.path, raised.value.line, raised.value.reason) == (str(path), line, expected)
    (problem,) = check([folder])
    assert (Path(problem.path), problem.line, problem.message) == (path, line, expected)


def test_a_verified_value_dated_before_the_source_it_cites_is_refused_at_its_line(tmp_path: Path) -> None:
    folder, path, line = _early_value(tmp_path)
    index_line = (folder / "index.yaml").read_text(encoding="utf-8").splitlines().index("    VN-SIL2024:") + 1
    expected = (
        "the value of parameter 'social_pension.minimum_age_months' at 2012-01-01 is verified in source 'VN-SIL2024', "
        f"which is dated 2024-06-29 ({folder / 'index.yaml'}:{index_line}): a value in force before the text it was "
        "read in is a mistyped year, or its metadata.note says why ('retroactive …'; 'in force before …' where the "
        "text restates an earlier rule)"
    )
    _refused_at(folder, path, line, expected)


@pytest.mark.parametrize(
    ("status", "note"),
    [
        ("verified", "Retroactive from 2012 by Art 141 (a drafter's test)"),
        ("verified", "The 2024 law restates the age in force before it (a drafter's test)"),
        ("verified_2nd", "a report of the law, published after it"),  # a secondary source postdates what it reports
        ("unverified", "a value"),
    ],
)
def test_a_value_before_its_source_loads_where_its_note_says_why_or_its_source_is_secondary(
    tmp_path: Path, status: str, note: str
) -> None:
    folder, _, _ = _early_value(tmp_path, status, note)
    assert load_parameters(folder).social_pension.minimum_age_months("2013-01-01") == 960
    assert check([folder]) == []


@pytest.mark.parametrize("note", ["a value", "Retroactive from 2012 by Art 141 (a drafter's test)"])
def test_a_verified_value_citing_an_href_only_is_refused_at_its_reference(tmp_path: Path, note: str) -> None:
    """An outside review: a verified value whose reference gave an href and no source id escaped the check that it
    is not dated before its source, since the registry is what dates a source."""
    folder, path, _ = _early_value(tmp_path, "verified", note)
    text = path.read_text(encoding="utf-8").replace(
        "          source: VN-SIL2024\n", "          href: https://example.org/law-41-2024\n", 1
    )
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("      reference:") + 1
    expected = (
        "the value of parameter 'social_pension.minimum_age_months' at 2012-01-01 is verified, but its reference "
        f"cites no source of the registry, {folder / 'index.yaml'} (metadata.sources), which dates the text it was "
        "read in: a verified "
        "value is checked not to be dated before that text (most often a mistyped year); add the text to the "
        "registry (instrument, date, link, language) and cite its id beside the href (source: …), or, if it was "
        "read in a text quoting the law, write status: verified_2nd"
    )
    _refused_at(folder, path, line, expected)
    path.write_text(text.replace("status: verified\n", "status: verified_2nd\n", 1), encoding="utf-8")
    assert load_parameters(folder).social_pension.minimum_age_months("2013-01-01") == 960  # a report: not dated
    assert all(load_sources(jurisdictions.get(code).parameters_dir).file for code in CODES)  # each has a registry


def _undated(folder: Path, identifier: str) -> int:
    """Set the date of ``identifier`` in ``folder``'s registry to null; the line of its entry."""
    index = folder / "index.yaml"
    lines = index.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"    {identifier}:")
    number = next(n for n in range(start, len(lines)) if lines[n].strip().startswith("date:"))
    lines[number] = lines[number].split("date:")[0] + "date: null"
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return start + 1


def _cites_an_undated_page(folder: Path, path: Path) -> int:
    """The early value of ``path`` cites, instead of the law, a page the registry of ``folder`` dates null; the line
    of its entry there."""
    index = folder / "index.yaml"
    page = "    VN-PAGE:\n      instrument: An undated page\n      date: null\n      link: https://example.org/\n      language: en\n"
    index.write_text(index.read_text(encoding="utf-8").replace("  sources:\n", "  sources:\n" + page, 1), "utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace("source: VN-SIL2024", "source: VN-PAGE", 1), "utf-8")
    return index.read_text(encoding="utf-8").splitlines().index("    VN-PAGE:") + 1


@pytest.mark.parametrize("note", ["a value", "Retroactive from 2012 by Art 141 (a drafter's test)"])
def test_a_verified_value_citing_undated_sources_only_is_refused_at_its_reference(tmp_path: Path, note: str) -> None:
    """An outside review: a verified value citing a source the registry dates null (Lao PDR's NSSF pages, S26)
    escaped the check that it is not dated before its source; its note does not excuse it (nothing dates it)."""
    folder, path, _ = _early_value(tmp_path, "verified", note)
    index_line = _cites_an_undated_page(folder, path)
    line = path.read_text(encoding="utf-8").splitlines().index("      reference:") + 1
    expected = (
        "the value of parameter 'social_pension.minimum_age_months' at 2012-01-01 is verified in source 'VN-PAGE' "
        f"({folder / 'index.yaml'}:{index_line}), which the registry dates null: a verified value is checked not to "
        "be dated before the text it was read in, and a text with no date cannot date it; give the source the date "
        "the text itself states (the instrument's, or its publication's), or cite beside it a dated text the value "
        "was read in, or, with no date known, write status: unverified (the results that read it are provisional) "
        "and say in its note that its source is undated"
    )
    _refused_at(folder, path, line, expected)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: verified\n", "status: unverified\n", 1), encoding="utf-8")
    assert load_parameters(folder).social_pension.minimum_age_months("2013-01-01") == 960


def test_an_undated_source_beside_a_dated_one_corroborates_a_verified_value(tmp_path: Path) -> None:
    """C102's minimum degree of invalidity is read in the Convention (S1, dated 1952-06-28) and corroborated by
    the ILO's undated e-learning page (S5): the dated text dates it."""
    folder = _copy("ilo_c102", tmp_path)
    assert load_sources(folder).sources["S5"].date is None
    assert load_parameters(folder).disability.minimum_degree("1953-01-01") == 100
    first, index = _undated(folder, "S1"), folder / "index.yaml"
    fifth = index.read_text(encoding="utf-8").splitlines().index("    S5:") + 1
    path = str(folder / "disability/minimum_degree.yaml")
    (told,) = [problem.message for problem in check([folder]) if problem.path == path]
    assert (
        f"is verified in sources 'S1' ({index}:{first}), 'S5' ({index}:{fifth}), which the registry dates null" in told
    )


def test_a_law_diff_reads_an_older_tree_with_a_value_before_its_source(tmp_path: Path) -> None:
    """Revisions written before the check (Tajikistan's 'provided' from 2013, verified in texts of 2014 and 2021
    without a note saying why) still diff."""
    folder, _, _ = _early_value(tmp_path)
    assert rules_system("vnm", folder).parameters.social_pension.minimum_age_months("2013-01-01") == 960
    assert any(
        record.start == "2012-01-01" for record in tree_index(folder).history["social_pension.minimum_age_months"]
    )


def test_a_source_id_missing_from_the_index_is_refused_with_the_closest(tmp_path: Path) -> None:
    """A value whose only link is a source id the index does not list has no link a reader can open."""
    folder = _copy("vnm", tmp_path)
    path = folder / "reference_amounts/regional_minimum_wage/region_1.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("source: VN-D38-2022\n", "source: VN-D38-2021\n"), encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("          source: VN-D38-2021") + 1
    with pytest.raises(ParameterFileError) as raised:
        load_parameters(folder)
    assert (raised.value.path, raised.value.line) == (str(path), line)
    assert (
        "unknown source 'VN-D38-2021'" in raised.value.reason and "did you mean 'VN-D38-2022'?" in raised.value.reason
    )
    (problem,) = check([folder])
    assert (Path(problem.path), problem.line) == (path, line)


@pytest.mark.parametrize("code", CODES)
def test_every_shipped_reference_has_a_link_a_reader_can_open(code: str) -> None:
    """Each reference of each value (and of each NOT FOUND null that cites one) gives an href or a listed source."""
    registry = load_sources(jurisdictions.get(code).parameters_dir)
    index = provenance_of(tax_benefit_system(code))
    unlinked = [
        f"{record.parameter}@{record.start}"
        for records in index.history.values()
        for record in records
        for reference in record.reference
        if not reference.get("href") and not (cited([reference]) and set(cited([reference])) <= set(registry.sources))
    ]
    assert not unlinked, f"references without a link in {code}: {unlinked}"


def test_a_reform_s_reference_may_have_no_link(tmp_path: Path) -> None:
    """A YAML reform's reference is a proposal's, which may have no published text: instrument and article do."""
    path = tmp_path / "reform.yaml"
    path.write_text(
        "label: x\njurisdiction: lao\nreference:\n  - instrument: A proposal\n    article: Art 1\n"
        "parameters:\n  maternity.benefit_rate:\n    2027-01-01: 0.9\n",
        encoding="utf-8",
    )
    assert read_parametric_reform(path).reference[0] == {"instrument": "A proposal", "article": "Art 1"}


GOOD = "S1:\n  instrument: A law\n  date: '2015-07-24'\n  link: https://example.org/law\n  language: en\n"
BAD_REGISTRIES = {
    "no language": (GOOD.replace("  language: en\n", ""), 2, "source 'S1' needs 'language'"),
    "a month that does not exist": (
        GOOD.replace("2015-07-24", "2015-13-01"),
        3,
        "the date of source 'S1', '2015-13-01', does not exist",
    ),
    "a date in another form": (GOOD.replace("2015-07-24", "24.07.2015"), 3, "the date of source 'S1' is YYYY"),
    "a date without quotes read as a date": (GOOD.replace("'2015-07-24'", "2015-07-24"), 3, None),
    "a link that is not a web address": (GOOD.replace("https://example.org/law", "C:/law.pdf"), 4, "a web address"),
    "a language that is not a code": (GOOD.replace("language: en", "language: Lao"), 5, "ISO 639-1 code"),
    "an unknown key": (GOOD + "  url: https://example.org\n", 6, "unexpected key 'url' in source 'S1'"),
    "a bad id": (GOOD.replace("S1:", "'1 bis':"), 1, "'1 bis' is not a source id"),
}
INDEX_HEAD = "description: A jurisdiction\nmetadata:\n  jurisdiction: {label: X, currency: XXX, amount_decimals: 0}\n"


def _in_index(registry: str) -> str:
    """An index.yaml whose metadata.sources is ``registry`` (its lines then start 4 lines down)."""
    return INDEX_HEAD + "  sources:\n" + "".join(f"    {line}\n" for line in registry.splitlines())


@pytest.mark.parametrize("case", sorted(BAD_REGISTRIES))
def test_a_bad_registry_names_its_file_and_line(tmp_path: Path, case: str) -> None:
    text, line, message = BAD_REGISTRIES[case]
    (tmp_path / "index.yaml").write_text(_in_index(text), encoding="utf-8")
    if message is None:  # the safe loader keeps dates as text: a plain date is accepted
        assert load_sources(tmp_path).sources["S1"].date == "2015-07-24"
        return
    with pytest.raises(ParameterFileError) as raised:
        load_sources(tmp_path)
    assert (raised.value.path, raised.value.line) == (str(tmp_path / "index.yaml"), line + 4), str(raised.value)
    assert message in str(raised.value)


def test_every_problem_of_a_registry_is_told_at_once(tmp_path: Path) -> None:
    """An outside review: a new source with a misspelt key, a date that does not exist and a link that is no web
    address took three runs of check, one problem each."""
    entry = GOOD.replace("S1:", "D9:").replace("language", "langauge").replace("2015-07-24", "2025-13-01")
    entry = entry.replace("https://example.org/law", "example.org/law")
    (tmp_path / "index.yaml").write_text(_in_index(GOOD + entry), encoding="utf-8")
    problems = registry_problems(tmp_path)
    assert [problem.reason for problem in problems] == [
        "unexpected key 'langauge' in source 'D9'; did you mean 'language'? expected one of "
        "['instrument', 'date', 'link', 'language', 'note']",
        "source 'D9' needs 'language'",
        "the date of source 'D9', '2025-13-01', does not exist",
        "the link of source 'D9' is a web address (http:// or https://)",
    ]
    assert registry_problems(tmp_path / "nowhere") == []  # no registry: nothing to tell


def test_an_empty_registry_is_refused_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "index.yaml").write_text(INDEX_HEAD + "  sources: {}\n", encoding="utf-8")
    with pytest.raises(ParameterFileError) as raised:
        load_sources(tmp_path)
    assert raised.value.line == 4
    assert "the sources map source ids to {instrument, date, link, language}" in str(raised.value)


def test_a_tree_written_before_0_10_2_keeps_its_registry_in_sources_yaml(tmp_path: Path) -> None:
    """A law diff loads older revisions, whose registry is a file of its own beside index.yaml."""
    folder = _copy("lao", tmp_path)
    index = folder / "index.yaml"
    text = index.read_text(encoding="utf-8")
    head, registry = text.split("\n  sources:\n")
    index.write_text(head + "\n", encoding="utf-8")
    (folder / "sources.yaml").write_text(
        "".join(line.removeprefix("    ") + "\n" for line in registry.splitlines()), encoding="utf-8"
    )
    legacy, current = load_sources(folder), load_sources(jurisdictions.get("lao").parameters_dir)
    assert {key: replace(source, line=None) for key, source in legacy.sources.items()} == {
        key: replace(source, line=None) for key, source in current.sources.items()
    }
    assert load_parameters(folder).old_age.pensionable_age.men("2024-01-01") == 720  # months
    (folder / "sources.yaml").unlink()
    with pytest.raises(ParameterFileError, match=r"this jurisdiction's index\.yaml has no metadata\.sources"):
        load_parameters(folder)


def test_the_registry_is_not_a_parameter() -> None:
    """It is metadata of the jurisdiction's root node: no value of the law, so nothing the rules read."""
    parameters = tax_benefit_system("lao").parameters
    assert "sources" not in parameters.children
    assert set(parameters.metadata["sources"]) == set(load_sources(jurisdictions.get("lao").parameters_dir).sources)


def test_a_reform_s_references_cite_sources_of_its_jurisdiction(tmp_path: Path) -> None:
    path = tmp_path / "reform.yaml"
    path.write_text(
        "label: x\njurisdiction: lao\nreference:\n  - instrument: A law\n    source: S99\n    article: Art 1\n"
        "parameters:\n  maternity.benefit_rate:\n    2027-01-01: 0.9\n",
        encoding="utf-8",
    )
    with pytest.raises(ParameterFileError) as raised:
        read_parametric_reform(path)
    assert raised.value.line == 5
    assert "unknown source 'S99'" in str(raised.value)
    path.write_text(path.read_text(encoding="utf-8").replace("S99", "S26"), encoding="utf-8")
    assert read_parametric_reform(path).reference[0]["source"] == "S26"
