"""``/explorer``: the rules explorer (:mod:`openfisca_sp.explorer`), built in the background, never by a request.

The same pages ``openfisca-sp explorer`` writes, built once per rules version and day by a process of their own
started with the server (:class:`~openfisca_sp.explorer.built.BuiltSite`), served from its folder with a
Content-Security-Policy that lets the browser fetch nothing but from this server (the pages need nothing else). A
request that comes before the site is built waits for it, up to :data:`WAIT_SECONDS`, at no cost to the worker,
then is told to come again (503, ``Retry-After``). ``/explorer`` is open like ``/docs`` when API keys are set
(:data:`~openfisca_sp.api.settings.DEFAULT_OPEN_PATHS`).
"""

from __future__ import annotations

import asyncio
import mimetypes
import time
from collections.abc import Sequence
from pathlib import Path

from fastapi import APIRouter, HTTPException, Response
from fastapi.responses import FileResponse, RedirectResponse

from openfisca_sp.explorer import default_cases_folder
from openfisca_sp.explorer.built import BuiltSite

PREFIX = "/explorer"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'"
)
WAIT_SECONDS = 60.0  # how long a request waits for the site being built before it is told to come again
RETRY_AFTER = "5"


def explorer_router(codes: Sequence[str] | None = None, cache: str | None = None) -> APIRouter:
    """``/explorer`` (redirects to ``/explorer/``) and every page and asset under it; 404 for anything else. The
    router's ``site`` is built into ``cache`` (a folder; None: the temporary directory's): start it with the server
    (``site.start()``), else the first request does."""
    router = APIRouter(include_in_schema=False)
    site = BuiltSite(codes, default_cases_folder(), Path(cache) if cache else None)
    router.site = site  # type: ignore[attr-defined]

    @router.get(PREFIX)
    async def explorer_root() -> RedirectResponse:
        # relative, so that it holds behind a proxy's prefix and never trusts the Host header
        return RedirectResponse("explorer/", status_code=307)

    @router.get(PREFIX + "/{path:path}")
    async def explorer_page(path: str) -> Response:
        pages = site.pages
        deadline = time.monotonic() + WAIT_SECONDS
        while pages is None and time.monotonic() < deadline:  # waits, costing nothing: the build is elsewhere
            site.start()
            await asyncio.sleep(0.1)
            pages = site.pages
        if pages is None:
            raise _being_built()
        name = path or "index.html"
        if name.endswith("/"):
            name += "index.html"
        file = pages.get(name)
        if file is None:  # JSON, as every 404 of the service
            raise HTTPException(404, {"error": "Not Found", "expected": "a page of the rules explorer"})
        if not file.is_file():  # the site's folder removed under a long-running server: read or built again
            site.forget()
            raise _being_built()
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if media_type.startswith("text/") or media_type.endswith("javascript"):
            media_type += "; charset=utf-8"
        headers = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "X-Content-Type-Options": "nosniff"}
        return FileResponse(file, media_type=media_type, headers=headers)

    return router


def _being_built() -> HTTPException:
    """The 503 of a page asked while the site is read or built: come again."""
    body = {"error": "The rules explorer is being built", "expected": f"the same page in {RETRY_AFTER} s"}
    return HTTPException(503, body, headers={"Retry-After": RETRY_AFTER})
