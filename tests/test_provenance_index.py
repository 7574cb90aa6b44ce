"""The provenance index's look-ups (:class:`~openfisca_sp.rules.provenance.ProvenanceIndex`): the parameters under
a prefix are found once, and a value in force by bisecting its dates; both give what a scan of every value gives."""

from __future__ import annotations

import dataclasses

from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.provenance import ProvenanceIndex, ValueProvenance, _under, provenance_of
from openfisca_sp.rules.system import tax_benefit_system


def _scanned_at(index: ProvenanceIndex, parameter: str, instant: str) -> ValueProvenance | None:
    """The value in force as a reader of the whole history finds it."""
    earlier = [record for record in index.history.get(parameter, []) if record.start <= instant]
    return earlier[-1] if earlier and earlier[-1].value is not None else None


def _scanned(index: ProvenanceIndex, prefix: str, instant: str) -> list[ValueProvenance]:
    found = [_scanned_at(index, name, instant) for name in index.history if _under(name, prefix)]
    return [record for record in found if record is not None]


def test_values_in_force_are_those_a_scan_of_every_value_finds() -> None:
    days = [f"{year}-{month:02d}-{day:02d}" for year in range(2010, 2036, 3) for month in (1, 6, 7) for day in (1, 15)]
    for code in sorted(jurisdictions.registry()):
        index = provenance_of(tax_benefit_system(code))
        prefixes = [*sorted({name.rpartition(".")[0] for name in index.history}), *list(index.history)[:5], "none"]
        for prefix in prefixes:
            for day in days:
                assert index.in_force(prefix, day) == _scanned(index, prefix, day), (code, prefix, day)
                assert index.in_force(prefix, day) == _scanned(index, prefix, day)  # asked again: found once
        for name in index.history:
            for day in days:
                assert index.at(name, day) is _scanned_at(index, name, day)


def test_a_value_added_after_a_look_up_is_found() -> None:
    """The parameters under a prefix are found afresh once the index changes."""
    index = ProvenanceIndex()
    record = ValueProvenance("branch.rate", "2020-01-01", 0.5, "verified", ())
    index.add(record)
    index.finish()
    assert index.in_force("branch", "2021-01-01") == [record]
    later = dataclasses.replace(record, parameter="branch.other", start="2020-06-01")
    index.add(later)
    index.finish()
    assert index.in_force("branch", "2021-01-01") == [record, later]
    assert index.in_force("branch", "2020-03-01") == [record]
    assert index.at("branch.other", "2020-05-31") is None
