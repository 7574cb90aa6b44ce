"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) served from files installed with the package.

FastAPI's own pages load their JavaScript and CSS from a CDN: without internet they are blank. These load the
Swagger UI and ReDoc bundles that the ``fastapi-offline`` package ships, served by this app under
``/docs/static`` (inside ``/docs``, so the pages stay as open as ``/docs`` when API keys are set), with no
Google fonts and a local favicon. A Content-Security-Policy on the pages lets the browser fetch nothing but from
this server: the bundles hold a few outside addresses of their own (ReDoc's bundle shows its vendor's logo from
their CDN; Swagger UI can call an online validator, turned off here), and none of them is requested.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"
STATIC_URL = "/docs/static"
DOCS_URL = "/docs"
REDOC_URL = "/redoc"
# Inline script and styles are the pages' own (FastAPI's page, Swagger UI, ReDoc's styled components);
# data: and blob: are images, downloads and ReDoc's search worker made in the page. Nothing from another host.
CONTENT_SECURITY_POLICY = "default-src 'self' 'unsafe-inline' data: blob:; base-uri 'self'; form-action 'self'"


def _root(request: Request) -> str:
    """The prefix a proxy serves the app under (``root_path``), as FastAPI's own pages use it."""
    return request.scope.get("root_path", "").rstrip("/")


def _offline(response: HTMLResponse) -> HTMLResponse:
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response


def install_offline_docs(app: FastAPI) -> None:
    """Mount the Swagger UI and ReDoc files and add ``/docs``, its OAuth2 redirect and ``/redoc``.

    Create the app with ``docs_url=None, redoc_url=None`` so that FastAPI's CDN pages are not there too.
    The pages read the app's ``openapi_url`` (none: no pages, as FastAPI does) and Swagger UI settings.
    """
    openapi_url = app.openapi_url
    if not openapi_url:
        return
    app.mount(STATIC_URL, StaticFiles(directory=ASSETS), name="offline-docs-static")
    redirect_url = app.swagger_ui_oauth2_redirect_url

    @app.get(DOCS_URL, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = _root(request)
        parameters: dict[str, Any] = {"validatorUrl": None, **(app.swagger_ui_parameters or {})}
        return _offline(
            get_swagger_ui_html(
                openapi_url=root + openapi_url,
                title=f"{app.title} - Swagger UI",
                swagger_js_url=f"{root}{STATIC_URL}/swagger-ui-bundle.js",
                swagger_css_url=f"{root}{STATIC_URL}/swagger-ui.css",
                swagger_favicon_url=f"{root}{STATIC_URL}/favicon.png",
                oauth2_redirect_url=root + redirect_url if redirect_url else None,
                init_oauth=app.swagger_ui_init_oauth,
                swagger_ui_parameters=parameters,
            )
        )

    if redirect_url:

        @app.get(redirect_url, include_in_schema=False)
        async def swagger_ui_oauth2_redirect() -> HTMLResponse:
            return _offline(get_swagger_ui_oauth2_redirect_html())

    @app.get(REDOC_URL, include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = _root(request)
        return _offline(
            get_redoc_html(
                openapi_url=root + openapi_url,
                title=f"{app.title} - ReDoc",
                redoc_js_url=f"{root}{STATIC_URL}/redoc.standalone.js",
                redoc_favicon_url=f"{root}{STATIC_URL}/favicon.png",
                with_google_fonts=False,
            )
        )
