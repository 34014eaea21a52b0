"""Django's Content-Security-Policy middleware, for pages only: a PDF or a workbook shown by the browser's own viewer
gets no page policy (an object-src 'none' on a PDF answer can keep a browser's PDF viewer from opening it)."""

from __future__ import annotations

from typing import Any

from django.middleware.csp import ContentSecurityPolicyMiddleware


class PagePolicyMiddleware(ContentSecurityPolicyMiddleware):
    def process_response(self, request: Any, response: Any) -> Any:
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
