from __future__ import annotations

from datetime import date
from typing import Any

from cunshe.core.actors import SYSTEM
from cunshe.points.models import Holder, Rule, RuleBook
from cunshe.points.services import book_create, book_publish, holder_open, rule_add

EFFECTIVE = date(2022, 1, 1)


def published_book(region: str, *, valid_years: int = 3, effective: date = EFFECTIVE) -> RuleBook:
    book = book_create(
        actor=SYSTEM,
        region_code=region,
        title="邹平市村级信用积分评定细则",
        effective_from=effective,
        valid_years=valid_years,
        adopted_by="市委组织部印发",
    )
    rule_add(actor=SYSTEM, book=book, code="A1", title="参加志愿服务活动", category="volunteering", points=5)
    rule_add(actor=SYSTEM, book=book, code="A2", title="志愿服务时长（每小时）", category="service_hours", points=2)
    rule_add(
        actor=SYSTEM,
        book=book,
        code="B1",
        title="庭院整洁（美丽庭院）",
        category="village_rules",
        points=10,
        evidence="村两委检查记录或照片",
    )
    rule_add(actor=SYSTEM, book=book, code="C1", title="乱堆乱放经劝阻不改", category="deduction", points=-4)
    return book_publish(actor=SYSTEM, book=book, expected_version=book.version)


def rule(book: RuleBook, code: str) -> Rule:
    return book.rules.get(code=code)


def household(village: str, make_person: Any, name: str = "") -> Holder:
    person = make_person(village, name=name) if name else make_person(village)
    return holder_open(actor=SYSTEM, person=person)
