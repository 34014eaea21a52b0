"""OpenAPI descriptions the API's operations share."""

from __future__ import annotations

from typing import Any


def file_answer(content_type: str, description: str) -> dict[str, Any]:
    """`openapi_extra` of an operation that answers with a file (a PDF, a workbook) instead of JSON."""
    return {
        "responses": {
            200: {
                "description": description,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


def pdf_route(router: Any, path: str, *, url_name: str, summary: str, title: str) -> Any:
    """A GET operation that answers with a printed document (see core.printing)."""
    return router.get(path, url_name=url_name, summary=summary, openapi_extra=file_answer("application/pdf", title))
