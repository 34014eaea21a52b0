"""The form renderer (settings.FORM_RENDERER): Django's, with a select written in Python (issue 15).

Django renders each `<option>` of a select through a template include (select_option.html, which includes
attrs.html). A county's village picker has 800-900 options and a page may show several: the points page rendered
8,700 templates (300 ms of CPU), the service teams page 180 ms; written into one template's loop they still cost
220 and 110 ms, the template language's price per tag. `FormRenderer` writes the select of select.html and its
options in Python instead: the same HTML, byte for byte (the test compares it with Django's for plain, grouped,
multiple and chosen options), escaped as the templates escape it. A select with an option of another template (a
widget subclass that sets one) is rendered by Django's templates as before.

A picker of a county's villages still cost 4.8 ms before any HTML: Django builds a dict per option for the template
(`optgroups`) and normalizes the choices twice when a form sets them. `Picker` (a Select written straight from its
choices) and `Pairs` (choices taken as they are) bring it to 1.5 ms, for the forms that offer 800-900 villages."""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

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


def _text(text: Any) -> str:
    """`conditional_escape` without its lazy wrapper and SafeString per call: a village picker's 1,700 calls were a
    third of the points page's select (issue 15). The same text: Django's `escape` is `html.escape(str(text))`."""
    if isinstance(text, Promise):
        text = str(text)
    return text.__html__() if hasattr(text, "__html__") else html.escape(str(text))


def _select(widget: dict[str, Any]) -> str:
    groups = (
        (group_name, ((o["value"], o["label"], o["attrs"]) for o in options))
        for group_name, options, _index in widget["optgroups"]
    )
    return _written(widget, groups)


type Groups = Iterable[tuple[Any, Iterable[tuple[Any, Any, dict[str, Any]]]]]


def _written(widget: dict[str, Any], groups: Groups) -> str:
    """select.html and its options: the groups are (group name or None, options as (value, label, attrs))."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options in groups:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for value, label, attrs in options:
            parts.append(f'\n  <option value="{html.escape(f"{value}")}"{_attrs(attrs) if attrs else ""}>')
            parts.append(f"{_text(label)}</option>\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


_SELECTED = {"selected": True}


class Picker(forms.Select):
    """A select of many plain options (a county's 800-900 villages, five of them on the points page) written straight
    from its choices: Django's Select first builds a dict per option for the template to read (`optgroups`), then
    the renderer reads them back, a fifth of the points page's first render (issue 15). The same HTML as Select's,
    byte for byte (test_forms_renderer); one choice at most is selected, as in Select."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]  # without the options' dicts
        return mark_safe(_written(widget, self._groups(widget["value"])))

    def _groups(self, chosen: list[str]) -> Groups:
        """ChoiceWidget.optgroups' groups, as `_written` reads them."""
        has_selected = False
        for option_value, option_label in self.choices:
            if isinstance(option_label, (list, tuple)):
                group_name, pairs = ("" if option_value is None else option_value), option_label
            else:
                group_name, pairs = None, [("" if option_value is None else option_value, option_label)]
            options = []
            for value, label in pairs:
                selected = not has_selected and str(value) in chosen
                has_selected |= selected
                options.append((value, label, _SELECTED if selected else {}))
            yield group_name, options


class Pairs(BaseChoiceIterator):
    """Choices already as Django keeps them, (value, label) pairs with plain labels and no groups (a county's villages
    as the database gives them), taken as they are: a list is normalized twice when set, for the field and for its
    widget, 1.5 ms of an 860-village picker's 2.6 (issue 15)."""

    def __init__(self, pairs: list[tuple[Any, Any]]) -> None:
        self.pairs = pairs

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        return iter(self.pairs)

    def __len__(self) -> int:  # a template's {% if form.fields.region.choices %}
        return len(self.pairs)
