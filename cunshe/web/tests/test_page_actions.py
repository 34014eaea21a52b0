"""The one way a page acts (web.forms): what the user reads when a form is incomplete, a rule refuses, or the role
may not act at all."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.test import RequestFactory

from cunshe.core.errors import DomainError, NotPermitted
from cunshe.web.forms import apply_domain_error, button_action, form_action, form_errors_text, form_message_action


class DoneForm(forms.Form):
    done_on = forms.DateField(label="完成日期")


def _request(data: dict[str, str]) -> HttpRequest:
    request = RequestFactory().post("/", data)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _said(request: HttpRequest) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(request)]


def _refuse(_: Any) -> None:
    raise DomainError("该事项已完成，不能再修改。", {"done_on": ["完成日期不能早于开始日期。"]})


def test_an_incomplete_small_form_names_its_field_and_calls_nothing() -> None:
    request = _request({})
    called: list[Any] = []
    assert form_message_action(request, DoneForm(request.POST), called.append, done="已完成。") is None
    assert called == []
    [(level, text)] = _said(request)
    assert level == "error" and text.startswith("完成日期：")


def test_a_refused_small_form_says_the_whole_refusal_and_a_done_one_says_what_it_made() -> None:
    request = _request({"done_on": "2026-12-05"})
    assert form_message_action(request, DoneForm(request.POST), _refuse, done="已完成。") is None
    assert _said(request) == [("error", "该事项已完成，不能再修改。完成日期不能早于开始日期。")]

    request = _request({"done_on": "2026-12-05"})
    result = form_message_action(
        request, DoneForm(request.POST), lambda d: d["done_on"].day, done=lambda day: f"{day} 日已完成。"
    )
    assert result == 5
    assert _said(request) == [("success", "5 日已完成。")]


def test_a_role_that_may_not_act_is_the_403_page_on_every_helper() -> None:
    def refuse(*_: Any) -> None:
        raise NotPermitted("您无权修改。")

    request = _request({"done_on": "2026-12-05"})
    with pytest.raises(PermissionDenied):
        form_message_action(request, DoneForm(request.POST), refuse, done="")
    with pytest.raises(PermissionDenied):
        form_action(request, DoneForm(request.POST), refuse)
    with pytest.raises(PermissionDenied):
        button_action(request, refuse, done="")
    assert _said(request) == []


def test_a_button_says_what_the_result_made() -> None:
    request = _request({})
    assert button_action(request, lambda: 3, done=lambda n: f"其余 {n} 人已记为通过。") == 3
    assert _said(request) == [("success", "其余 3 人已记为通过。")]


def test_refused_lines_of_a_file_keep_their_place_under_the_summary() -> None:
    form = DoneForm({"done_on": "2026-12-05"})
    assert form.is_valid()
    error = DomainError("有 2 行需要修改，本批未报送。", {"第3行": ["姓名：必填"], "done_on": ["须为工作日。"]})
    apply_domain_error(form, error)
    assert form.non_field_errors() == ["有 2 行需要修改，本批未报送。", "第3行：姓名：必填"]
    assert form.errors["done_on"] == ["须为工作日。"]
    assert form_errors_text(form, labelled=True).endswith("完成日期：须为工作日。")


def test_a_field_the_form_lacks_shows_its_message_at_the_top_without_its_code_name() -> None:
    form = DoneForm({"done_on": "2026-12-05"})
    assert form.is_valid()
    apply_domain_error(form, DomainError("保存失败。", {"expected_version": ["已被他人修改，请刷新后重试。"]}))
    assert form.non_field_errors() == ["已被他人修改，请刷新后重试。"]
