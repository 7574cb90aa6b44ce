"""Routes that decide first: Starlette tries routes in order, and ``POST /calculate``, ``/trace`` and
``/eligibility`` (under every prefix) carry nearly all the traffic. No path of theirs overlaps another
route's, so the order changes no answer, only how many patterns a request is tried against (about 40
before)."""

from __future__ import annotations

from typing import Any


def _decides(route: Any) -> bool:
    """A route that decides, or a router (FastAPI keeps included routers whole) holding one."""
    included = getattr(route, "original_router", None)
    if included is not None:
        return any(map(_decides, included.routes))
    methods = getattr(route, "methods", None) or ()
    return "POST" in methods and not getattr(route, "path", "/").endswith("/")


def decisions_first(router: Any) -> None:
    """Sort a router's routes so that those that decide come first (stable: the others keep their order)."""
    router.routes.sort(key=lambda route: not _decides(route))
