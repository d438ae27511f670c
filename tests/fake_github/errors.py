"""GitHub's error answers, as exceptions the handlers raise and the server turns into responses."""

from __future__ import annotations

from typing import Any, Literal

from tests.fake_github.schemas import SchemaIssue

DOCS = "https://docs.github.com/rest"
RejectionKind = Literal["parse", "schema", "rule", "permission", "diff"]


class ApiError(Exception):
    """An error response: ``status``, GitHub's JSON ``body`` and extra ``headers``.

    ``rejection`` says why the request itself was refused (recorded for tests), ``None`` when the
    answer is a normal outcome such as a 404 for a missing file.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        errors: list[Any] | None = None,
        docs: str = DOCS,
        headers: dict[str, str] | None = None,
        rejection: RejectionKind | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(f"{status} {message}")
        self.status = status
        self.body: dict[str, Any] = {"message": message, "documentation_url": docs}
        if errors is not None:
            self.body["errors"] = errors
        self.body["status"] = str(status)
        self.headers = headers or {}
        self.rejection = rejection
        self.detail = detail or message


def not_found(docs: str = DOCS) -> ApiError:
    return ApiError(404, "Not Found", docs=docs)


def bad_credentials() -> ApiError:
    return ApiError(401, "Bad credentials", docs=DOCS)


def requires_authentication() -> ApiError:
    return ApiError(401, "Requires authentication", docs=DOCS)


def not_accessible(docs: str, needed: str) -> ApiError:
    return ApiError(
        403,
        "Resource not accessible by integration",
        docs=docs,
        rejection="permission",
        detail=f"the installation token lacks {needed}",
    )


def invalid_request(
    issues: list[SchemaIssue], *, resource: str, docs: str, simple: bool, kind: RejectionKind
) -> ApiError:
    """422 ``Invalid request.`` listing what is wrong with the body.

    ``simple``: the operation documents its errors as plain strings (``Validation Error
    Simple``), otherwise as objects with ``resource``, ``field`` and ``code``.
    """
    lines = "\n".join(issue.message for issue in issues)
    errors: list[Any]
    if simple:
        errors = [issue.message for issue in issues]
    else:
        errors = [
            {
                "resource": resource,
                "field": issue.field,
                "code": issue.code,
                "message": issue.message,
            }
            for issue in issues
        ]
    return ApiError(
        422, f"Invalid request.\n\n{lines}", errors=errors, docs=docs, rejection=kind, detail=lines
    )


def unprocessable(errors: list[str], *, docs: str, detail: str | None = None) -> ApiError:
    """422 ``Unprocessable Entity`` with string errors, as the review endpoints answer."""
    return ApiError(
        422, "Unprocessable Entity", errors=errors, docs=docs, rejection="diff", detail=detail
    )


def validation_failed(resource: str, field: str, code: str, docs: str, message: str) -> ApiError:
    """422 ``Validation Failed`` with one error object."""
    error = {"resource": resource, "field": field, "code": code, "message": message}
    return ApiError(
        422, "Validation Failed", errors=[error], docs=docs, rejection="rule", detail=message
    )
