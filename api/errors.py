"""The app's answers to errors no route handles: always Chinese JSON, never a bare 5xx."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.schemas import NOT_FOUND
from api.validation import chinese_problem

LOG = logging.getLogger(__name__)


async def invalid_request(request: Request, exc: Exception) -> JSONResponse:
    """Bad input gets a 422 that says which field is wrong and why, in Chinese."""
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"),
            "problem": chinese_problem(e),
        }
        for e in exc.errors()
    ]
    return JSONResponse(status_code=422, content={"detail": errors})


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own answers (an unknown path, a wrong method) in Chinese, never echoing
    the path; the routes' own details pass through as they are."""
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail
    if exc.status_code == 404 and detail == "Not Found":
        detail = NOT_FOUND
    elif exc.status_code == 405 and detail == "Method Not Allowed":
        detail = "不支持这种请求方法。"
    return JSONResponse(
        status_code=exc.status_code, content={"detail": detail}, headers=exc.headers
    )


async def database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """The database is away (restarting, network): say so with a 503 the caller may retry,
    never a 500. The public chat does not depend on it."""
    LOG.error("database unavailable on %s: %s", request.url.path, exc.__class__.__name__)
    return JSONResponse(
        status_code=503,
        content={"detail": "数据库暂时不可用，请稍后再试。"},
        headers={"Retry-After": "10"},
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(OperationalError, database_unavailable)
    app.add_exception_handler(InterfaceError, database_unavailable)
