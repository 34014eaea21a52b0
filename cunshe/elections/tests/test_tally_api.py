"""POST /api/v1/elections/tally-check: the count of a sheet, nothing saved, bad sheets answered field by field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from conftest import TOWN_A
from cunshe.elections.models import ElectionResult
from cunshe.elections.tally_api import EXAMPLE

URL = "/api/v1/elections/tally-check"


def send(client: Client, body: Any) -> Any:
    return client.post(URL, json.dumps(body), content_type="application/json")


@pytest.fixture
def officer(make_user: Any, api_as: Any) -> Client:
    client: Client = api_as(make_user("town_officer", TOWN_A))
    return client


def test_a_sheet_is_counted_with_its_rules(officer: Client) -> None:
    response = send(officer, EXAMPLE)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "elected" and body["valid"]
    assert body["posts"][0]["elected"][0]["name"] == "张三"
    turnout = next(line for line in body["lines"] if line["rule"] == "turnout")
    assert turnout["text"].startswith("参加投票 601 人，超过登记选民 1200 人的半数")
    assert "\\u" not in response.content.decode()  # Chinese stays readable
    assert not ElectionResult.objects.exists()


def test_a_void_vote_is_an_answer_not_an_error(officer: Client) -> None:
    response = send(officer, {**EXAMPLE, "returned": 621})
    assert response.status_code == 200 and response.json()["status"] == "rerun"


def test_a_bad_sheet_is_a_400_naming_each_field(officer: Client) -> None:
    response = send(officer, {**EXAMPLE, "invalid": 700, "round": "again"})
    assert response.status_code == 400
    body = response.json()
    assert body["message"].startswith("计票数据有误")
    assert "round" in body["errors"]
    impossible = send(officer, {**EXAMPLE, "invalid": 700})
    assert impossible.status_code == 400
    assert impossible.json()["errors"]["invalid"] == ["无效票 700 张多于收回选票 601 张。"]


def test_not_an_object_is_refused(officer: Client) -> None:
    assert send(officer, [1, 2]).status_code in (400, 422)
    response = officer.post(URL, "{not json", content_type="application/json")
    assert response.status_code in (400, 422) and response.json()["message"]


def test_signed_in_users_only() -> None:
    assert send(Client(HTTP_HOST="127.0.0.1"), EXAMPLE).status_code == 401
