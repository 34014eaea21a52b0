"""The form renderer (settings.FORM_RENDERER): Django's, with a select written in Python (issue 15).

Django renders each `<option>` of a select through a template include (select_option.html, which includes
attrs.html). A county's village picker has 800-900 options and a page may show several: the points page rendered
8,700 templates (300 ms of CPU), the service teams page 180 ms; written into one template's loop they still cost
220 and 110 ms, the template language's price per tag. `FormRenderer` writes the select of select.html and its
options in Python instead: the same HTML, byte for byte (the test compares it with Django's for plain, grouped,
multiple and chosen options), escaped as the templates escape it. A select with an option of another template (a
widget subclass that sets one) is rendered by Django's templates as before."""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


class FormRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget")
        if template_name == SELECT and widget is not None and _plain_options(widget["optgroups"]):
            return _select(widget)
        return super().render(template_name, context, request)


def _plain_options(optgroups: list[Any]) -> bool:
    return all(option["template_name"] == OPTION for _, options, _ in optgroups for option in options)


def _attrs(attrs: dict[str, Any]) -> str:
    """attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{escape(f"{value}")}"'
        for name, value in attrs.items()
        if value is not False
    )


def _select(widget: dict[str, Any]) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            value, label = escape(f"{option['value']}"), conditional_escape(option["label"])
            parts.append(f'\n  <option value="{value}"{_attrs(option["attrs"])}>{label}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)
