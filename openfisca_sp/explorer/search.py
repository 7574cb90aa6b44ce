"""The search index: every (parameter, instrument, article) and every variable, as JSON for ``explorer.js``.

Written as a script (``search-index.js`` sets ``window.EXPLORER_INDEX``) so that the search works from the
published files opened straight from disk too, where a browser refuses to fetch JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from openfisca_sp.explorer.data import JurisdictionData

SCRIPT = "search-index.js"


def entries(jurisdictions: Iterable[JurisdictionData]) -> list[dict[str, Any]]:
    """One entry per parameter and reference it cites (with the dates citing it), and one per variable."""
    found: list[dict[str, Any]] = []
    for jurisdiction in jurisdictions:
        for branch in jurisdiction.branches:
            page = f"{jurisdiction.code}/{branch.code}.html"
            where = f"{jurisdiction.label} · {branch.label}"
            for parameter in branch.parameters:
                cited: dict[tuple[str, str], dict[str, Any]] = {}
                for value in parameter.values:
                    for reference in value.references or ():
                        entry = cited.setdefault(
                            (reference.instrument, reference.article),
                            {
                                "kind": "parameter",
                                "name": parameter.name,
                                "where": where,
                                "instrument": reference.instrument,
                                "article": reference.article,
                                "dates": [],
                                "statuses": [],
                                "url": f"{page}#{parameter.anchor}",
                            },
                        )
                        entry["dates"].append(value.start)
                        entry["statuses"].append(value.status)
                found.extend(cited.values())
                if not cited:
                    url = f"{page}#{parameter.anchor}"
                    found.append({"kind": "parameter", "name": parameter.name, "where": where, "url": url})
            for variable in branch.variables:
                found.append(
                    {
                        "kind": "variable",
                        "name": variable.name,
                        "where": where,
                        "label": variable.label,
                        "instrument": " ".join(variable.reference),
                        "url": f"{page}#{variable.anchor}",
                    }
                )
    return found


def script(jurisdictions: Iterable[JurisdictionData]) -> str:
    """The index as a script setting ``window.EXPLORER_INDEX``."""
    text = json.dumps(entries(jurisdictions), ensure_ascii=False, separators=(",", ":"))
    return "window.EXPLORER_INDEX = " + text.replace("</", "<\\/") + ";\n"
