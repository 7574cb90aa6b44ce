"""``/explorer``: the rules explorer (:mod:`openfisca_sp.explorer`), built in memory on first visit, then kept.

The same pages ``openfisca-sp explorer`` writes, served from memory with a Content-Security-Policy that lets
the browser fetch nothing but from this server (the pages need nothing else). ``/explorer`` is open like
``/docs`` when API keys are set (:data:`~openfisca_sp.api.settings.DEFAULT_OPEN_PATHS`).
"""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Sequence

from fastapi import APIRouter, HTTPException, Response
from fastapi.responses import RedirectResponse

from openfisca_sp.explorer import build_pages, default_cases_folder

PREFIX = "/explorer"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'"
)


class _Site:
    """The explorer's pages, built once (by the first request that needs them) and kept."""

    def __init__(self, codes: Sequence[str] | None) -> None:
        self.codes = list(codes) if codes else None
        self.pages: dict[str, bytes] | None = None
        self.lock = threading.Lock()

    def get(self) -> dict[str, bytes]:
        with self.lock:
            if self.pages is None:
                self.pages = build_pages(self.codes, default_cases_folder())
            return self.pages


def explorer_router(codes: Sequence[str] | None = None) -> APIRouter:
    """``/explorer`` (redirects to ``/explorer/``) and every page and asset under it; 404 for anything else."""
    router = APIRouter(include_in_schema=False)
    site = _Site(codes)

    @router.get(PREFIX)
    async def explorer_root() -> RedirectResponse:
        # relative, so that it holds behind a proxy's prefix and never trusts the Host header
        return RedirectResponse("explorer/", status_code=307)

    @router.get(PREFIX + "/{path:path}")
    def explorer_page(path: str) -> Response:  # sync: the first call builds the site, in the thread pool
        name = path or "index.html"
        if name.endswith("/"):
            name += "index.html"
        content = site.get().get(name)
        if content is None:  # JSON, as every 404 of the service
            raise HTTPException(404, {"error": "Not Found", "expected": "a page of the rules explorer"})
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if media_type.startswith("text/") or media_type.endswith("javascript"):
            media_type += "; charset=utf-8"
        headers = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "X-Content-Type-Options": "nosniff"}
        return Response(content, media_type=media_type, headers=headers)

    return router
