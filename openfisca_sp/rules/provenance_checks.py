"""The provenance of a parameter's values: metadata, legal references and verification statuses.

Every value rests on a legal reference (``metadata.reference``: a list of
``{instrument, article, href, source}``, each with its link: an ``href``, or a
``source`` id of the jurisdiction's registry, which gives the link) and a verification status
(``metadata.status``: ``verified``, ``verified_2nd`` or ``unverified``). Each value
states its own, as the shipped files do; what a parameter, a scale or a folder's
``index.yaml`` states once vouches only for the values of the parameter's first
date, and only where no value of it states its own (:meth:`ProvenanceChecks.own_provenance`).
A value added later under metadata stated once was silently filed under the old
source and status (an outside review: ``2027-01-01: 1.8`` under a 2021 decree's
scale showed as that decree's, ``unverified``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

from openfisca_sp.rules.sources import SourceRegistry, cited
from openfisca_sp.rules.suggestions import closest_name
from openfisca_sp.rules.yaml_files import Mapping, ParameterFileError, line_of

STATUSES = ("verified", "verified_2nd", "unverified")
PROPOSAL = "proposal"  # a reform's value: a proposed rule, not law in force
REFERENCE_KEYS = {"instrument", "article", "href", "source", "note"}
METADATA_ALLOWED_TYPES = (str, int, float, bool, list, dict, type(None))
INHERITED_KEYS = ("reference", "status")  # what a group or parameter passes down to its values
# What a metadata block may hold: the house's provenance, the units, and the keys openfisca-core and the
# OpenFisca country packages document (labels, the scale's type, review dates). A key outside these is a
# typo (``stauts``) that would silently drop what it means to say.
METADATA_KEYS = {
    "reference",
    "status",
    "note",
    "unit",
    "threshold_unit",
    "amount_unit",
    "rate_unit",
    "type",
    "label",
    "short_label",
    "ux_name",
    "period",
    "documentation",
    "last_review",
    "last_value_still_valid_on",
    "official_journal_date",
}
GROUP_METADATA_KEYS = METADATA_KEYS | {"jurisdiction", "sources"}  # a jurisdiction's index.yaml declares these


def unknown_key_message(key: Any, allowed: set[str], what: str) -> str:
    """``unexpected key 'stauts' in …; did you mean 'status'? (expected one of […])``."""
    closest = closest_name(key, allowed)
    hint = f"; did you mean '{closest}'?" if closest else ""
    return f"unexpected key '{key}' in {what}{hint} (expected one of {sorted(allowed)})"


def status_message(status: Any, what: str, statuses: Iterable[str]) -> str:
    """Why ``status`` is refused: empty, or not one of ``statuses`` (with the closest one)."""
    if status is None or status == "":
        return f"the status of {what} is empty: write one of {list(statuses)}"
    closest = closest_name(str(status).strip().lower(), statuses)
    hint = f"; did you mean '{closest}'?" if closest else ""
    return f"status {status!r} of {what} must be one of {list(statuses)}{hint}"


# a scheme, then a site's name (``nssf.gov.la``; not the ``…`` of a template copied as it is), then any path
_WEB_ADDRESS = re.compile(r"https?://[\w-]+(\.[\w-]+)+(:\d+)?([/?#]\S*)?\Z")
VERIFIED = "verified"
# What a value's note says where it is in force before the text it was read in (retroactive effect, or a text
# that restates or confirms a rule in force before it): a value dated before its source is otherwise a slip.
IN_FORCE_BEFORE_ITS_SOURCE = re.compile(r"retroactiv|in force before", re.IGNORECASE)


def href_problem(href: Any, what: str) -> str:
    """Why ``href`` is no web address, and the address meant where it lacks only its scheme (``nssf.gov.la``)."""
    bare = isinstance(href, str) and re.fullmatch(r"[\w-]+(\.[\w-]+)+(/\S*)?", href.strip())
    meant = f" (https://{href.strip()})" if bare else ""
    return (
        f"the 'href' of a reference of {what}, {href!r}, is not a web address: write it whole, beginning http:// or "
        f"https:// and the name of its site{meant}"
    )


def is_text(value: Any) -> bool:
    """Whether ``value`` is text with something in it."""
    return isinstance(value, str) and bool(value.strip())


Dated = tuple[Mapping, Any, Any]  # the mapping of dated values, a date, the value written there


def _value_of(entry: Any) -> Any:
    return entry.get("value") if isinstance(entry, dict) else entry


def _own(entry: Any) -> set[str]:
    """What of its provenance (reference, status) a dated value states itself."""
    metadata = entry.get("metadata") if isinstance(entry, dict) else None
    return {key for key in INHERITED_KEYS if isinstance(metadata, dict) and metadata.get(key)}


class ProvenanceChecks:
    """The checks of metadata and provenance a :class:`~openfisca_sp.rules.parameter_checks.Checker` makes."""

    path: Path
    statuses: tuple[str, ...]
    sources: SourceRegistry | None
    linked_references: bool = True  # a YAML reform's references (a proposal's) may have no link
    dated_after_sources: bool = True  # a law diff's older tree, written before this was checked, may not be

    def fail(self, where: Any, key: Any, message: str) -> NoReturn:
        raise ParameterFileError(self.path, line_of(where, key), message)

    def metadata(self, owner: Mapping, inherited: dict[str, Any], what: str, group: bool = False) -> dict[str, Any]:
        """Check ``owner['metadata']`` and return the metadata in force (inherited + own)."""
        own = owner.get("metadata", {})
        if own is None:
            self.fail(
                owner,
                "metadata",
                f"'metadata' of {what} is empty; write its keys under it (unit, reference, status) or remove it",
            )
        if not isinstance(own, dict):
            self.fail(owner, "metadata", f"'metadata' of {what} must be a mapping")
        allowed = GROUP_METADATA_KEYS if group else METADATA_KEYS
        for key, value in own.items():
            if key not in allowed:
                self.fail(own, key, unknown_key_message(key, allowed, f"the metadata of {what}"))
            if not isinstance(value, METADATA_ALLOWED_TYPES):
                self.fail(own, key, f"metadata '{key}' has an unsupported type")
        if "status" in own and own["status"] not in self.statuses:
            self.fail(own, "status", status_message(own["status"], what, self.statuses))
        if "reference" in own:
            self.references(own, own["reference"], what)
        merged = dict(inherited)
        merged.update({key: own[key] for key in INHERITED_KEYS if key in own})
        return merged

    def references(self, owner: Mapping, references: Any, what: str) -> None:
        if isinstance(references, Mapping):
            self.fail(
                owner,
                "reference",
                f"'reference' of {what} is written as one mapping, where it is a list: begin each reference with '- ' "
                "under 'reference:' "
                "(- instrument: …, then article: … and href: … or source: … beneath it, indented alike)",
            )
        if not isinstance(references, list) or not references:
            self.fail(
                owner,
                "reference",
                f"'reference' of {what} must be a non-empty list of references, each "
                "{instrument, article, href or source}",
            )
        for item in references:
            for key in item if isinstance(item, dict) else ():  # a misspelt key first: 'instrumnet' is no omission
                if key not in REFERENCE_KEYS:
                    self.fail(item, key, unknown_key_message(key, REFERENCE_KEYS, f"a reference of {what}"))
            if not isinstance(item, dict) or not is_text(item.get("instrument")):
                self.fail(
                    item if isinstance(item, Mapping) else owner,
                    None,
                    f"each reference of {what} needs an 'instrument' (the law or source cited), as text",
                )
            if isinstance(item.get("article"), (int, float)) and not isinstance(item["article"], bool):
                number = item["article"]
                self.fail(
                    item,
                    "article",
                    f"the 'article' of a reference of {what} is {number}, a number: write it as text, with its word "
                    f"(article: Art {number})",
                )
            if not is_text(item.get("article")):
                self.fail(
                    item,
                    "article" if "article" in item else None,
                    f"each reference of {what} needs an 'article', as text: the article or passage of the "
                    'instrument that sets the value ("Art 50(2)"); where the source names none, write what it '
                    'says (article: "not stated in the source (…)")',
                )
            if "href" in item and not (isinstance(item["href"], str) and _WEB_ADDRESS.match(item["href"])):
                self.fail(item, "href", href_problem(item["href"], what))
            if "source" in item and self.sources is not None:
                self.sources.check(item, "source", item["source"], self.path)
            if self.linked_references and not (item.get("href") or item.get("source")):
                self.fail(item, None, self.no_link(what))

    def no_link(self, what: str) -> str:
        """A reference without its link: the house promises a reader can open what each value cites."""
        registry = "metadata.sources of the jurisdiction's index.yaml"
        if self.sources is not None:
            registry = self.sources.path
        return (
            f"each reference of {what} needs a link: 'href' (the web address of the text read, http:// or https://) "
            f"or 'source' (the id of a source of {registry}, which gives its link); a value NOT FOUND cites "
            "where it was looked for"
        )

    def require_provenance(self, where: Mapping, key: Any, metadata: dict[str, Any], what: str) -> None:
        missing = [name for name in ("reference", "status") if not metadata.get(name)]
        if missing:
            self.fail(
                where,
                key,
                f"{what} has no {' and no '.join(missing)}: give metadata.reference "
                f"(instrument, article, href or source) and metadata.status ({', '.join(self.statuses)}) "
                "on the value (stated once on its parameter, they vouch for the values of its first date only)",
            )

    def own_provenance(self, dated: Iterable[Dated], inherited: dict[str, Any], what: str) -> None:
        """Each value of ``what`` (a parameter, or every bracket of a scale) dated after its first date states its
        own reference and status: what a parameter, scale or group states once vouches for the values it was
        written with, not for a value added later (a reform's proposal vouches for all its own values)."""
        if inherited.get("status") == PROPOSAL or not all(inherited.get(key) for key in INHERITED_KEYS):
            return  # a proposal's values are the reform's; with nothing stated once, each value must state its own
        values = [(mapping, date, entry) for mapping, date, entry in dated if _value_of(entry) is not None]
        first = min((str(date) for _, date, _ in values), default="")
        for mapping, date, entry in values:
            missing = [key for key in INHERITED_KEYS if key not in _own(entry)]
            if missing and str(date) != first:
                self.fail(
                    mapping,
                    date,
                    f"the value of {what} at {date} has no {' and no '.join(missing)} of its own: the reference and "
                    f"status {what} states once vouch for its values of {first} only; give this value "
                    "metadata.reference (instrument, article, href or source) and metadata.status "
                    f"({', '.join(self.statuses)})",
                )

    def dated_after_source(
        self, values: Mapping, date: Any, metadata: dict[str, Any], own: Mapping | dict[str, Any], label: str
    ) -> None:
        """A ``verified`` value (read in the text it cites) names that text by its id in the registry, and is not
        dated before the text's date there, unless its note (in ``own``, its own metadata) says why
        (``retroactive``, or ``in force before`` where the text restates an earlier rule): a year mistyped in a
        first date (2012 for 2025) put a rule in force years before its law; a reference citing an ``href`` only
        escaped the check, since the registry is what dates a text (every shipped jurisdiction has one), as did one
        citing undated texts only (:meth:`_dated_source`). A value read in a secondary source
        (``verified_2nd``, ``unverified``) is not checked: a report postdates what it reports."""
        if self.sources is None or not self.dated_after_sources or metadata.get("status") != VERIFIED:
            return
        identifiers = cited(metadata.get("reference") or ())
        if not identifiers and self.sources.file is not None:  # a tree with no registry (a test's) dates nothing
            where, key = (own, "reference") if "reference" in own else (values, date)
            self.fail(
                where,
                key,
                f"{label} is verified, but its reference cites no source of the registry, {self.sources.path}, "
                "which dates the text it was read in: a verified value is checked not to be dated before that text "
                "(most often a mistyped year); add the text to the registry (instrument, date, link, language) and "
                "cite its id beside the href (source: …), or, if it was read in a text quoting the law, write status: "
                "verified_2nd",
            )
        self._dated_source(own, values, date, identifiers, label)
        note = own.get("note")
        if isinstance(note, str) and IN_FORCE_BEFORE_ITS_SOURCE.search(note):
            return
        for identifier in identifiers:
            source = self.sources.sources.get(identifier)
            earliest = source.earliest_day if source is not None else None
            if earliest is not None and str(date) < earliest:
                where = f"{self.sources.file}:{source.line}" if source.line else self.sources.path
                self.fail(
                    values,
                    date,
                    f"{label} is verified in source '{identifier}', which is dated {source.date} ({where}): a value "
                    "in force before the text it was read in is a mistyped year, or its metadata.note says why "
                    "('retroactive …'; 'in force before …' where the text restates an earlier rule)",
                )

    def _dated_source(
        self, own: Mapping | dict[str, Any], values: Mapping, date: Any, identifiers: list, label: str
    ) -> None:
        """A ``verified`` value cites at least one text the registry dates: one citing undated texts only (Lao PDR's
        NSSF pages, S26, ``date: null``) escaped the check that it is not dated before its source, and its date is
        vouched for by nothing read. An undated text cited beside a dated one corroborates it."""
        sources = [self.sources.sources.get(identifier) for identifier in identifiers]
        if not sources or any(source is None or source.earliest_day is not None for source in sources):
            return  # an unknown id is told where it is cited
        where, key = (own, "reference") if "reference" in own else (values, date)
        named = ", ".join(
            f"'{source.id}' ({self.sources.file}:{source.line})" if source.line else f"'{source.id}'"
            for source in sources
        )
        self.fail(
            where,
            key,
            f"{label} is verified in {'sources' if len(sources) > 1 else 'source'} {named}, which the registry "
            "dates null: a verified value is checked not to be dated before the text it was read in, and a text with "
            "no date cannot date it; give the source the date the text itself states (the instrument's, or its "
            "publication's), or cite beside it a dated text the value was read in, or, with no date known, write "
            "status: unverified (the results that read it are provisional) and say in its note that its source is "
            "undated",
        )
