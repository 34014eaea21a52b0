"""The stateless check of a count (POST /api/v1/elections/tally-check): a count sheet in, the outcome with the rule
behind each line out, nothing saved. The same count the count pages and `cunshe elections tally FILE.json` use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Body, Router

from cunshe.core.errors import DomainError
from cunshe.core.schema import Schema
from cunshe.elections.tally import TallyInputError, count_from_json, outcome_to_json, tally

router = Router(tags=["选举"])

EXAMPLE = {
    "rules": "villagers_national_2026",
    "registered": 1200,
    "issued": 620,
    "returned": 601,
    "invalid": 3,
    "posts": [
        {"post": "director", "seats": 1, "candidates": [{"name": "张三", "votes": 352}, {"name": "李四", "votes": 240}]}
    ],
}


SHEET = Body(..., example=EXAMPLE)  # the request body: any JSON object, read by count_from_json


class TallyCandidateOut(Schema):
    key: str
    name: str
    votes: int
    woman: bool
    write_in: bool


class TallyPostOut(Schema):
    post: str
    post_label: str
    seats: int
    elected: list[TallyCandidateOut]
    tied: list[TallyCandidateOut]
    vacancies: int
    further_candidates: list[TallyCandidateOut]
    woman_seats: int
    woman_candidates: list[TallyCandidateOut]
    pending: bool


class TallyLineOut(Schema):
    rule: str
    post: str
    text: str


class TallyOutcomeOut(Schema):
    valid: bool
    status: str
    status_label: str
    posts: list[TallyPostOut]
    lines: list[TallyLineOut]


def check_count(data: Any) -> dict[str, Any]:
    """Count a sheet given as JSON; a sheet that cannot be counted is a DomainError naming each bad field."""
    try:
        count, rules = count_from_json(data)
        return outcome_to_json(tally(count, rules))
    except TallyInputError as error:
        raise DomainError(error.message, error.errors) from error


@router.post(
    "/tally-check",
    response=TallyOutcomeOut,
    url_name="api_elections_tally_check",
    summary="核对计票：提交计票单，返回当选结果及每一步依据的规则（不保存）",
    description="计票单格式见 docs/elections.md。无效的计票单返回 400，逐字段说明。",
)
def tally_check(request: HttpRequest, sheet: dict[str, Any] = SHEET) -> dict[str, Any]:
    return check_count(sheet)
