"""App factories: one tax-benefit system, or every jurisdiction of openfisca-sp under its prefix."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Depends, FastAPI

import openfisca_sp
from openfisca_sp import SocialProtectionSystem, tax_benefit_system
from openfisca_sp.api.bodies import InFlight
from openfisca_sp.api.compliance_routes import compliance_router
from openfisca_sp.api.cors import EXPOSED_HEADERS, JSONCORSMiddleware
from openfisca_sp.api.dci_async_routes import AsyncContext
from openfisca_sp.api.dci_intake import settings_message_store
from openfisca_sp.api.dci_routes import install_dci_schemas
from openfisca_sp.api.dci_security import install_dci_security
from openfisca_sp.api.docs import install_offline_docs
from openfisca_sp.api.eligibility_routes import eligibility_router
from openfisca_sp.api.errors import install_error_handlers, routes_request
from openfisca_sp.api.explorer_routes import explorer_router
from openfisca_sp.api.guards import AccessGuard
from openfisca_sp.api.heap import keep_large_buffers
from openfisca_sp.api.hot_lane import HotLane, HotRoutes, LaneFirstApp
from openfisca_sp.api.memory import freeze_startup_objects
from openfisca_sp.api.middleware import ServiceMiddleware
from openfisca_sp.api.models import known_fields
from openfisca_sp.api.openapi_errors import describe_error_answers
from openfisca_sp.api.openapi_examples import keep_example_nulls
from openfisca_sp.api.openfisca_routes import openfisca_router
from openfisca_sp.api.operations import operations_router
from openfisca_sp.api.responses import JSONBody
from openfisca_sp.api.route_order import decisions_first
from openfisca_sp.api.security import KEY_REFUSALS, document_open_routes, documented_key
from openfisca_sp.api.settings import Settings
from openfisca_sp.reforms import reformed
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.readiness import reference_problems
from openfisca_sp.rules.yaml_files import ParameterFileError

log = logging.getLogger("openfisca_sp.api")

DESCRIPTION = """
Social protection rules as code (old age, maternity, unemployment, disability, and the social pension where the law
provides one), law-referenced and date-versioned.

* **OpenFisca Web API** (`/calculate`, `/trace`, `/parameters`, `/parameter/{id}`, `/variables`, `/variable/{id}`,
  `/entities`, `/spec`): answers as `openfisca serve` does, so its clients work unchanged.
* **Eligibility** (`/eligibility`): DCI person records in, a decision per person and branch out, with reasons,
  amounts, durations, legal basis, provisional flags and missing facts.
* **DCI** (`/dci/sync/eligibility`): the same request in a DCI envelope (`{signature, header, message}`),
  answered with a DCI `MsgCallbackHeader` (`status`, `status_reason_code`); asynchronously
  (`/dci/async/eligibility`: ACK, then the answer POSTed to `sender_uri`; `/dci/txn/status`), with IBR enrolments.
* Every answer carries the rules version (`OpenFisca-SP-Rules-Version`, `Country-Package-Version` headers).
"""


# What any route may answer, before or around its own work (the middleware's refusals): JSON naming the field.
COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "The body is not valid JSON"},
    **KEY_REFUSALS,
    413: {"description": "Body too large, or too many values in it"},
    415: {"description": "The body is not declared application/json"},
    503: {"description": "Server busy: too many request bytes in flight (Retry-After)"},
}


def _smoke(system: Any) -> str | None:
    """Decide a reference population by every branch on every day the law changes (once per system, then kept):
    the rules load and run."""
    return "; ".join(reference_problems(system)) or None


# The HTTP clients' own loggers write every URL they call at INFO: a callback's ``sender_uri`` may carry a
# token or a person's identifier in its path or query string, which the service never logs.
URL_LOGGING_CLIENTS = ("httpx", "httpcore")


def quiet_url_logging_clients() -> None:
    """Keep the HTTP clients' loggers to warnings (no URL); this service logs the host and outcome itself."""
    for name in URL_LOGGING_CLIENTS:
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.WARNING:
            logger.setLevel(logging.WARNING)


def _base_app(systems: dict[str, Any], default: Any, settings: Settings, title: str, prefixed: bool = False) -> FastAPI:
    quiet_url_logging_clients()
    app = LaneFirstApp(
        title=title,
        version=openfisca_sp.__version__,
        description=DESCRIPTION,
        default_response_class=JSONBody,
        redirect_slashes=True,
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(documented_key)] if settings.api_keys else None,
        responses=COMMON_RESPONSES,
    )
    install_offline_docs(app)
    keep_example_nulls(app)
    describe_error_answers(app)  # the error body and version headers of every answer
    document_open_routes(app, settings)  # no lock shown on the routes open without a key
    keep_large_buffers()  # the worker's heap: large requests reuse pages, handed back when it is quiet
    install_dci_security(app, settings)  # tokens and signatures of the DCI routes, our keys at /.well-known
    install_error_handlers(app, lambda: known_fields(systems.values()))
    service = {
        "settings": settings,
        "tax_benefit_system": default,
        "guard": AccessGuard(settings),  # one rate count and one cap on bytes held, whichever way a request goes
        "in_flight": InFlight(settings.max_bytes_in_flight),
        # to name the route of a request refused before routing: every documented one, and the docs' own
        "route_templates": lambda: [*app.openapi()["paths"], "/openapi.json", "/docs", "/redoc"],
        "routed": lambda scope: routes_request(app, scope),  # a 404 or 405 before a 415 of the body's headers
        "prefixes": tuple(systems) if prefixed else (),  # each answer of /<code>/… says its jurisdiction
    }
    app.add_middleware(ServiceMiddleware, **service)
    # CORS outermost: a browser's preflight carries no key; errors of ours get the CORS headers too
    if settings.cors_origins:
        app.add_middleware(
            JSONCORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
            # DCI bearer tokens (docs/dci.md, "Security") need Authorization; DCI answers say X-Correlation-ID
            allow_headers=["Content-Type", "X-API-Key", "X-Request-ID"]
            + (["Authorization"] if settings.dci_token_jwks else []),
            expose_headers=EXPOSED_HEADERS,
            observer=ServiceMiddleware(app, **service),  # preflights logged and counted as every request
        )
    # the hot lane in front of the app: a hot route's POST from a client that is not a browser skips the framework
    app.state.hot_routes = HotRoutes()
    app.install_hot_lane(
        HotLane(
            routes=app.state.hot_routes,
            exception_handlers=app.exception_handlers,
            service=lambda dispatch: ServiceMiddleware(dispatch, **service),
        )
    )
    app.include_router(
        operations_router(systems, lambda: [problem for problem in map(_smoke, systems.values()) if problem])
    )
    return app


def _router_options(app: FastAPI, settings: Settings) -> dict[str, Any]:
    """What an OpenFisca router takes from the app: the situation limits of its settings, and its hot routes."""
    return {
        "max_persons": settings.max_persons,
        "max_reference_values": settings.max_reference_values,
        "max_result_periods": settings.max_result_periods,
        "max_traced_periods": settings.max_traced_periods,
        "hot_routes": app.state.hot_routes,
    }


def create_app(system: Any, settings: Settings | None = None) -> FastAPI:
    """An API over any OpenFisca tax-benefit system (eligibility too if it is an openfisca-sp system)."""
    settings = settings or Settings.from_environment()
    name = getattr(getattr(system, "jurisdiction", None), "code", None) or type(system).__name__
    app = _base_app({name: system}, system, settings, f"openfisca-sp API ({name})")
    if isinstance(system, SocialProtectionSystem):
        app.include_router(eligibility_router(system, settings, hot_routes=app.state.hot_routes))
        install_dci_schemas(app)
    app.include_router(openfisca_router(system, **_router_options(app, settings)))
    decisions_first(app.router)
    return app


def create_jurisdictions_app(settings: Settings | None = None, codes: list[str] | None = None) -> FastAPI:
    """Every jurisdiction under ``/<code>``, and the default one also at the root."""
    settings = settings or Settings.from_environment()
    codes = codes or list(jurisdictions.registry())
    default_code = jurisdictions.default_code()
    systems = reformed({code: tax_benefit_system(code) for code in codes}, settings.reforms)
    default = systems.get(default_code) or tax_benefit_system(default_code)
    app = _base_app(systems, default, settings, "openfisca-sp API", prefixed=True)
    app.state.systems = systems  # the law each prefix serves, reforms applied
    app.include_router(compliance_router())  # /compliance: every jurisdiction against the ILO standards
    explorer = explorer_router(codes, settings.explorer_cache)  # /explorer: the rules explorer, built in the background
    app.state.explorer = explorer.site
    app.include_router(explorer)
    # the default jurisdiction first: its routes are the most used, and none of them shadows a prefix
    app.include_router(openfisca_router(default, **_router_options(app, settings)))
    message_ids = settings_message_store(settings)  # one store for every prefix
    # one store of asynchronous transactions for every prefix; bearer tokens from the app's token client
    dci = AsyncContext.from_settings(settings, app.state.dci_security)
    lane = app.state.hot_routes
    app.include_router(
        eligibility_router(default, settings, message_ids=message_ids, async_context=dci, hot_routes=lane)
    )
    for code, system in systems.items():
        app.include_router(openfisca_router(system, prefix=f"/{code}", **_router_options(app, settings)))
        app.include_router(
            eligibility_router(
                system, settings, prefix=f"/{code}", message_ids=message_ids, async_context=dci, hot_routes=lane
            )
        )
    install_dci_schemas(app)
    decisions_first(app.router)
    return app


def app_from_environment() -> FastAPI:
    """The app ``openfisca-sp serve`` runs (uvicorn factory): all jurisdictions, settings from the environment.
    Rules that do not load stop the service with their ``file:line: cause`` in one line (exit code 3), not a
    traceback in which a drafter must find it."""
    try:
        app = create_jurisdictions_app()
    except ParameterFileError as error:
        logging.getLogger("openfisca_sp.serve").error("openfisca-sp serve: error: the rules do not load: %s", error)
        raise SystemExit(3) from None
    app.state.explorer.start()  # the rules explorer built in a process of its own, before anyone asks for it
    for system in app.state.systems.values():  # readiness decided before serving: the first /ready never stalls
        _smoke(system)
    app.openapi()  # built before serving: the first 404 or 422 (routes and fields named from it) never stalls
    freeze_startup_objects()
    return app
