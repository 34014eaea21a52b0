"""The form renderer writes a select in Python (web.forms_renderer, issue 15): the HTML is Django's own, byte for byte,
for plain, grouped, multiple, chosen and escaped options and attributes, and a select whose options have a template
of their own is still rendered by it."""

from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from cunshe.web.forms_renderer import FormRenderer, Picker

GROUPED = [("黛溪街道", [("371681001213", "西范村"), ("371681001214", "东范村")]), ("", "请选择")]


class OwnOptionSelect(forms.Select):
    option_template_name = "django/forms/widgets/input_option.html"  # any template but select_option.html


class PickerForm(forms.Form):
    village = forms.ChoiceField(
        choices=[
            ("", "请选择"),
            ("371681001213", "西范村<一>"),
            ("371681001214", "东范村"),
            ('"&', "引号&"),
            ("safe", mark_safe("<b>已转义</b>")),  # a label marked safe is written as it is
            ("lazy", gettext_lazy("暂缓<x>")),  # a lazy label (a model's choices) is escaped as text
            (7, "数字"),
        ],
        widget=forms.Select(attrs={"data-x": '<"a">', "autofocus": True, "hidden": False}),
    )
    grouped = forms.ChoiceField(choices=GROUPED)
    several = forms.MultipleChoiceField(choices=[("a", "甲"), ("b", "乙"), ("c", "丙")])
    yes_no = forms.NullBooleanField()
    own = forms.ChoiceField(choices=[("x", "X")], widget=OwnOptionSelect(attrs={"class": "pick"}))


@pytest.mark.parametrize(
    "data",
    [{}, {"village": "371681001214", "grouped": "371681001213", "several": ["a", "c"], "yes_no": "true", "own": "x"}],
)
def test_the_inline_select_is_djangos_html(data: dict[str, Any]) -> None:
    assert isinstance(get_default_renderer(), FormRenderer)  # the setting is in force
    ours = PickerForm(data or None, renderer=FormRenderer()).as_div()
    djangos = PickerForm(data or None, renderer=DjangoTemplates()).as_div()
    assert ours == djangos
    assert "西范村&lt;一&gt;" in ours and "<b>已转义</b>" in ours and "暂缓&lt;x&gt;" in ours
    assert ('<option value="371681001214" selected>东范村</option>' in ours) == bool(data)


def test_a_select_renders_no_template_but_one_with_options_of_their_own_does() -> None:
    renderer = FormRenderer()
    rendered: list[str] = []
    original = renderer.get_template

    def counting(name: str) -> Any:
        rendered.append(name)
        return original(name)

    renderer.get_template = counting  # type: ignore[method-assign,assignment]
    form = PickerForm(renderer=renderer)
    str(form["village"])
    assert rendered == []
    str(form["own"])
    assert rendered[0] == "django/forms/widgets/select.html"


def _pickers(widget: type[forms.Select]) -> type[forms.Form]:
    class Pickers(forms.Form):
        village = forms.ChoiceField(
            choices=PickerForm.base_fields["village"].choices,  # type: ignore[attr-defined]
            widget=widget(attrs={"data-x": '<"a">', "autofocus": True, "hidden": False}),
        )
        grouped = forms.ChoiceField(choices=[*GROUPED, (None, "无")], widget=widget)
        optional = forms.TypedChoiceField(
            choices=[("", "（未点选）"), (1, "一队")], coerce=int, required=False, widget=widget
        )

    return Pickers


@pytest.mark.parametrize("data", [{}, {"village": "lazy", "grouped": "371681001214", "optional": "1"}, {"grouped": ""}])
def test_a_picker_writes_the_html_of_djangos_select(data: dict[str, Any]) -> None:
    ours = _pickers(Picker)(data or None, renderer=DjangoTemplates()).as_div()
    djangos = _pickers(forms.Select)(data or None, renderer=DjangoTemplates()).as_div()
    assert ours == djangos
    assert ('<option value="371681001214" selected>东范村</option>' in ours) == (
        "grouped" in data and bool(data["grouped"])
    )
