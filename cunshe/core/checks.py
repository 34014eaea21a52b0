"""`cunshe check` (Django's system checks) for what the project needs from the machine rather than the database."""

from __future__ import annotations

from typing import Any

from django.core import checks


@checks.register()
def cjk_font_installed(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every printed document embeds the CJK font; without it the printouts answer with an error."""
    from cunshe.core.printing import MISSING_FONT, font_path

    if font_path() is None:
        return [checks.Error(MISSING_FONT, id="cunshe.E001")]
    return []
