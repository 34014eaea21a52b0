"""撤岗: a branch ends a model post on a day with its reason. The post and its ratings stay, marked 已撤岗; quarters
starting after the day are no longer rated (the service refuses them, the quarter's sheet leaves the post out), and
the day may not fall before the post began, after today, or before a quarter already rated. Ending twice is refused."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from conftest import TOWN_A, TOWN_B, VILLAGE_A, pdf_text
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import ConcurrentEdit, DomainError, IllegalTransition, NotPermitted
from cunshe.partywork import rules
from cunshe.partywork.models import ModelPost
from cunshe.partywork.services import model_post_end, post_create, post_rate
from cunshe.partywork.views import last_quarter
from cunshe.records.models import RecordEntry

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR, QUARTER = last_quarter(TODAY)  # the quarter rated now
PREV = last_quarter(rules.quarter_start(YEAR, QUARTER))  # the one before it


def _post(make_person: Any, title: str = "环境整治示范岗") -> ModelPost:
    person = make_person(VILLAGE_A, is_party_member=True, party_joined_on=date(2001, 7, 1))
    return post_create(
        actor=SYSTEM,
        village_code=VILLAGE_A,
        person=person,
        title=title,
        duty="包片 20 户门前三包",
        set_up_on=rules.quarter_start(*PREV) - timedelta(days=30),
    )


def _full(year: int, quarter: int) -> dict[str, int]:
    return {name: full for name, full in rules.rating_sheet(VILLAGE_A, rules.quarter_end(year, quarter)).criteria}


def test_a_post_ended_is_kept_and_no_longer_rated_after_its_end(make_person: Any, make_user: Any) -> None:
    post = _post(make_person)
    cadre, officer = make_user("village_cadre", VILLAGE_A), make_user("town_officer", TOWN_A)
    # who may: another town does not find it, a role without the right is refused, the village's cadre ends it
    before_q = rules.quarter_start(YEAR, QUARTER) - timedelta(days=1)  # the last day of the quarter before
    args: dict[str, Any] = {"ended_on": before_q, "reason": "调任村民委员会委员", "expected_version": post.version}
    with pytest.raises(Http404):
        model_post_end(actor=make_user("town_officer", TOWN_B), post=post, **args)
    with pytest.raises(NotPermitted):
        model_post_end(actor=make_user("discipline_supervisor", TOWN_A), post=post, **args)
    # the day: not before the post began, not in the future; a reason is required
    with pytest.raises(DomainError, match="撤岗信息有误") as bad:
        model_post_end(actor=cadre, post=post, **{**args, "ended_on": post.set_up_on - timedelta(days=1)})
    assert "不能早于设岗日期" in bad.value.field_errors["ended_on"][0]
    with pytest.raises(DomainError) as bad:
        model_post_end(actor=cadre, post=post, **{**args, "ended_on": TODAY + timedelta(days=1)})
    assert bad.value.field_errors["ended_on"] == ["撤岗日期不能晚于今天。"]
    with pytest.raises(DomainError) as bad:
        model_post_end(actor=cadre, post=post, **{**args, "reason": "  "})
    assert bad.value.field_errors["reason"] == ["请填写撤岗原因。"]
    with pytest.raises(ConcurrentEdit):
        model_post_end(actor=cadre, post=post, **{**args, "expected_version": post.version + 1})
    assert ModelPost.objects.get(pk=post.pk).ended_on is None
    ended = model_post_end(actor=cadre, post=post, **args)
    assert (ended.ended_on, ended.end_reason, ended.version) == (before_q, "调任村民委员会委员", post.version + 1)
    entry = RecordEntry.objects.get(event="partywork.post_ended")
    assert "撤岗" in entry.summary and entry.region_id == VILLAGE_A
    with pytest.raises(IllegalTransition, match="已于"):
        model_post_end(actor=cadre, post=ended, **{**args, "expected_version": ended.version})
    # the quarter it ended in is still rated; the next one, starting after the end, is refused
    post_rate(actor=officer, post=ended, year=PREV[0], quarter=PREV[1], scores=_full(*PREV))
    with pytest.raises(DomainError) as refused:
        post_rate(actor=officer, post=ended, year=YEAR, quarter=QUARTER, scores=_full(YEAR, QUARTER))
    assert refused.value.field_errors["quarter"] == [f"该示范岗已于 {before_q:%Y-%m-%d} 撤岗，撤岗以后的季度不再评比。"]
    assert ModelPost.objects.filter(pk=post.pk).exists() and ended.ratings.count() == 1


def test_the_end_may_not_fall_before_a_quarter_already_rated(make_person: Any, make_user: Any) -> None:
    post = _post(make_person)
    officer = make_user("town_officer", TOWN_A)
    post_rate(actor=officer, post=post, year=YEAR, quarter=QUARTER, scores=_full(YEAR, QUARTER))
    start = rules.quarter_start(YEAR, QUARTER)
    with pytest.raises(DomainError) as bad:
        model_post_end(
            actor=SYSTEM, post=post, ended_on=start - timedelta(days=1), reason="外出务工", expected_version=1
        )
    assert bad.value.field_errors["ended_on"] == [
        f"{YEAR} 年第 {QUARTER} 季度已评比，撤岗日期不能早于 {start:%Y-%m-%d}。"
    ]
    assert model_post_end(actor=SYSTEM, post=post, ended_on=start, reason="外出务工", expected_version=1).ended_on


def test_the_pages_end_a_post_and_mark_it_ended(make_person: Any, make_user: Any, web_as: Any) -> None:
    post, kept = _post(make_person), _post(make_person, "矛盾调解示范岗")
    village = web_as(make_user("village_cadre", VILLAGE_A))
    page = village.get(f"/partywork/post/{post.pk}/").content.decode()
    assert "撤岗原因" in page and f'name="version" value="{post.version}"' in page
    url = f"/partywork/post/{post.pk}/end/"
    early = village.post(url, {"ended_on": "2000-01-01", "reason": "调离", "version": post.version})
    assert early.status_code == 400 and "不能早于设岗日期" in early.content.decode()
    # a town officer from elsewhere does not find it; a supervisor of the town may not end it
    assert web_as(make_user("town_officer", TOWN_B)).post(url, {}).status_code == 404
    supervisor = web_as(make_user("discipline_supervisor", TOWN_A))
    body = {"ended_on": TODAY.isoformat(), "reason": "调离本村", "version": post.version}
    assert supervisor.post(url, body).status_code == 403
    done = village.post(url, body)
    assert done.status_code == 302 and ModelPost.objects.get(pk=post.pk).ended_on == TODAY
    shown = village.get(f"/partywork/post/{post.pk}/").content.decode()
    assert "已撤岗" in shown and "调离本村" in shown and "撤岗原因" not in shown  # no second end offered
    listing = village.get(f"/partywork/region/{VILLAGE_A}/posts/").content.decode()
    assert listing.count("已撤岗") == 1 and "矛盾调解示范岗" in listing and kept.ended_on is None


def test_the_quarter_sheet_lists_only_the_posts_due_a_rating(make_person: Any, make_user: Any, web_as: Any) -> None:
    gone = _post(make_person, "已撤示范岗")
    _post(make_person, "在岗示范岗")
    model_post_end(
        actor=SYSTEM,
        post=gone,
        ended_on=rules.quarter_start(YEAR, QUARTER) - timedelta(days=1),
        reason="外出务工",
        expected_version=gone.version,
    )
    officer = web_as(make_user("town_officer", TOWN_A))
    now, _ = pdf_text(officer.get(f"/partywork/region/{TOWN_A}/ratings/{YEAR}/{QUARTER}/sheet.pdf").content)
    before, _ = pdf_text(officer.get(f"/partywork/region/{TOWN_A}/ratings/{PREV[0]}/{PREV[1]}/sheet.pdf").content)
    assert "在岗示范岗" in now and "已撤示范岗" not in now
    assert "在岗示范岗" in before and "已撤示范岗" in before


def test_the_api_ends_a_post(make_person: Any, make_user: Any, api_as: Any) -> None:
    post = _post(make_person)
    url = f"/api/v1/partywork/posts/{post.pk}/end"
    body = {"ended_on": TODAY.isoformat(), "reason": "调离本村", "version": post.version}
    assert api_as(make_user("town_officer", TOWN_B)).post(url, body, content_type="application/json").status_code == 404
    api = api_as(make_user("village_cadre", VILLAGE_A))
    future = api.post(
        url, {**body, "ended_on": (TODAY + timedelta(days=3)).isoformat()}, content_type="application/json"
    )
    assert future.status_code == 400 and ModelPost.objects.get(pk=post.pk).ended_on is None
    done = api.post(url, body, content_type="application/json")
    assert done.status_code == 200 and done.json()["ended_on"] == TODAY.isoformat()
    assert done.json()["end_reason"] == "调离本村" and done.json()["version"] == post.version + 1
    again = api.post(url, {**body, "version": post.version + 1}, content_type="application/json")
    assert again.status_code == 409 and "已于" in again.content.decode()
    listed = api.get(f"/api/v1/partywork/regions/{VILLAGE_A}/posts").json()
    assert [p["ended_on"] for p in listed["items"]] == [TODAY.isoformat()]
