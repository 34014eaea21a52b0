from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from cunshe.voters.models import ChangeReason
from cunshe.voters.selectors import change_counts, register_of, register_summary


def register_section(request: HttpRequest, election: Any) -> str:
    register = register_of(election)
    context: dict[str, Any] = {"election": election, "register": register}
    if register is not None:
        context["summary"] = register_summary(register)
        context["changes"] = [(ChangeReason(k).label, n) for k, n in change_counts(register).items() if n]
    return render_to_string("voters/section.html", context, request=request)
