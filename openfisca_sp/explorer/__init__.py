"""The rules explorer: every parameter, value and variable of each jurisdiction as static, searchable HTML pages.

Per jurisdiction and branch, each parameter with its dated values (status, instrument, article, link, file and
line, the law cases that read it) and a history chart; each variable with its formula's source, what it reads
and the law cases that check it; a search by article, instrument and name; and a verification dashboard.
:mod:`.data` collects (web-free), :mod:`.cases` runs the law cases, :mod:`.chart` draws, :mod:`.search`
indexes and :mod:`.site` renders. Built by ``openfisca-sp explorer``, served by the API at ``/explorer``.
"""

from openfisca_sp.explorer.site import build_pages, default_cases_folder, write_site

__all__ = ["build_pages", "default_cases_folder", "write_site"]
