"""A phone's resend never saves twice, a refused entry can be sent again once corrected, and an entry written
against a record changed meanwhile is a conflict that saves nothing: through the pages (the queue's JSON answers)
and the API, on the same services."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from conftest import VILLAGE_A, VILLAGE_B, api_client, new_user, web_client
from cunshe.commitments.models import Commitment, ProgressUpdate
from cunshe.commitments.services import commitment_update
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError
from cunshe.issueboard.models import Issue
from cunshe.offline.models import ClientSubmission
from cunshe.offline.submissions import submit_once
from cunshe.records.models import RecordEntry
from cunshe.visits.models import Visit, VisitTarget
from cunshe.visits.services import visit_record

pytestmark = pytest.mark.django_db

QUEUED = {"X-Cunshe-Queue": "background"}


def _visit_form(**more: Any) -> dict[str, Any]:
    return {
        "mode": "in_person",
        "visited_on": timezone.localdate().isoformat(),
        "visitors": "驻村干部",
        "summary": "宣传换届政策",
        **more,
    }


def _record(actor: Any, target: VisitTarget, summary: str = "宣传换届政策") -> Any:
    return lambda: visit_record(
        actor=actor,
        target=target,
        mode="in_person",
        visited_on=timezone.localdate(),
        visitors="驻村干部",
        summary=summary,
    )


# --- the shared rule -------------------------------------------------------------------------------------------


def test_the_same_client_id_saves_once_and_answers_with_the_first_record(cadre: Any, visit_target: Any) -> None:
    client_id = uuid.uuid4()
    first, created = submit_once(
        actor=cadre, client_id=client_id, kind="visits.visit", create=_record(cadre, visit_target)
    )
    again, created_again = submit_once(
        actor=cadre, client_id=client_id, kind="visits.visit", create=_record(cadre, visit_target, "第二次")
    )
    assert created and not created_again
    assert again == first and Visit.objects.count() == 1
    assert RecordEntry.objects.filter(event="visits.recorded").count() == 1
    # Another id is another entry.
    submit_once(actor=cadre, client_id=uuid.uuid4(), kind="visits.visit", create=_record(cadre, visit_target))
    assert Visit.objects.count() == 2


def test_a_client_id_is_per_user_and_per_kind(cadre: Any, visit_target: Any) -> None:
    other = new_user("village_cadre", VILLAGE_A)
    client_id = uuid.uuid4()
    submit_once(actor=cadre, client_id=client_id, kind="visits.visit", create=_record(cadre, visit_target))
    submit_once(actor=other, client_id=client_id, kind="visits.visit", create=_record(other, visit_target))
    assert Visit.objects.count() == 2
    with pytest.raises(DomainError, match="另一类提交"):
        submit_once(actor=cadre, client_id=client_id, kind="issueboard.issue", create=_record(cadre, visit_target))


def test_a_refused_entry_leaves_its_id_free_for_the_corrected_one(cadre: Any, visit_target: Any) -> None:
    client_id = uuid.uuid4()
    with pytest.raises(DomainError):
        submit_once(actor=cadre, client_id=client_id, kind="visits.visit", create=_record(cadre, visit_target, " "))
    assert not ClientSubmission.objects.exists() and not Visit.objects.exists()
    _visit, created = submit_once(
        actor=cadre, client_id=client_id, kind="visits.visit", create=_record(cadre, visit_target)
    )
    assert created and Visit.objects.count() == 1


def test_without_a_client_id_or_a_person_nothing_is_deduplicated(cadre: Any, visit_target: Any) -> None:
    submit_once(actor=cadre, client_id=None, kind="visits.visit", create=_record(cadre, visit_target))
    submit_once(actor=cadre, client_id=None, kind="visits.visit", create=_record(cadre, visit_target))
    client_id = uuid.uuid4()
    submit_once(actor=SYSTEM, client_id=client_id, kind="visits.visit", create=_record(SYSTEM, visit_target))
    submit_once(actor=SYSTEM, client_id=client_id, kind="visits.visit", create=_record(SYSTEM, visit_target))
    assert Visit.objects.count() == 4 and not ClientSubmission.objects.exists()


# --- pages: the queue's answers ----------------------------------------------------------------------------------


def test_a_queued_visit_is_saved_once_however_often_it_is_sent(cadre: Any, visit_target: Any) -> None:
    web = web_client(cadre)
    url = reverse("visits:target", args=[visit_target.pk])
    body = _visit_form(client_id=str(uuid.uuid4()), latitude="36.878123", longitude="117.743456")
    first = web.post(url, body, headers=QUEUED)
    again = web.post(url, body, headers=QUEUED)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["url"] == again.json()["url"] == reverse("visits:village", args=[VILLAGE_A])
    assert again.json()["repeat"] is True and "已记录对 老党员 的走访" in again.json()["message"]
    visit = Visit.objects.get()
    assert (str(visit.latitude), str(visit.longitude)) == ("36.878123", "117.743456")
    assert RecordEntry.objects.filter(event="visits.recorded").count() == 1


def test_a_queued_visit_refused_answers_the_reasons_by_label(cadre: Any, visit_target: Any) -> None:
    web = web_client(cadre)
    url = reverse("visits:target", args=[visit_target.pk])
    answer = web.post(url, _visit_form(summary="", client_id=str(uuid.uuid4())), headers=QUEUED)
    assert answer.status_code == 400 and "谈话内容" in answer.json()["errors"]
    half = web.post(url, _visit_form(latitude="36.8", client_id=str(uuid.uuid4())), headers=QUEUED)
    assert half.status_code == 400 and half.json()["errors"] == {"纬度": ["位置应同时有纬度和经度。"]}
    odd = web.post(url, _visit_form(client_id="not-a-uuid"), headers=QUEUED)
    assert odd.status_code == 400 and "客户端编号" in odd.json()["message"]
    assert not Visit.objects.exists()


def test_a_queued_visit_of_another_town_is_not_found_and_a_read_only_role_is_refused(
    visit_target: Any, cadre: Any
) -> None:
    url = reverse("visits:target", args=[visit_target.pk])
    body = _visit_form(client_id=str(uuid.uuid4()))
    assert web_client(new_user("village_cadre", VILLAGE_B)).post(url, body, headers=QUEUED).status_code == 404
    assert (
        web_client(new_user("discipline_supervisor", VILLAGE_A[:6])).post(url, body, headers=QUEUED).status_code == 403
    )
    assert web_client(cadre).post(url, body, headers=QUEUED).status_code == 201
    assert Visit.objects.count() == 1


def test_a_queued_issue_is_saved_once(cadre: Any, term_change: Any) -> None:
    web = web_client(cadre)
    url = reverse("issueboard:raise", args=[VILLAGE_A])
    body = {
        "title": "路灯不亮",
        "owner": "村委会",
        "due_on": date(2026, 12, 31).isoformat(),
        "client_id": str(uuid.uuid4()),
    }
    assert web.post(url, body, headers=QUEUED).status_code == 201
    assert web.post(url, body, headers=QUEUED).status_code == 200
    assert Issue.objects.filter(title="路灯不亮").count() == 1
    assert web_client(new_user("village_cadre", VILLAGE_B)).post(
        url, {**body, "client_id": str(uuid.uuid4())}, headers=QUEUED
    ).status_code in (403, 404)
    assert Issue.objects.filter(title="路灯不亮").count() == 1


def test_progress_against_a_changed_commitment_is_a_conflict_with_both_versions(cadre: Any, commitment: Any) -> None:
    web = web_client(cadre)
    opened_at = commitment.version
    commitment_update(
        actor=SYSTEM, commitment=commitment, expected_version=opened_at, title="整治党群服务中心及广场环境"
    )
    url = reverse("commitments:progress", args=[commitment.pk])
    body = {
        "written_on": timezone.localdate().isoformat(),
        "note": "已清运杂物两车",
        "version": opened_at,
        "client_id": str(uuid.uuid4()),
    }
    conflict = web.post(url, body, headers=QUEUED)
    assert conflict.status_code == 409 and "已被修改" in conflict.json()["message"]
    now = conflict.json()["current"]
    assert now["事项"].endswith("整治党群服务中心及广场环境") and now["version"] == opened_at + 1
    assert not ProgressUpdate.objects.exists()
    # The person has looked and sends again against the version shown: saved once, the same id answers the same.
    resend = {**body, "version": now["version"]}
    assert web.post(url, resend, headers=QUEUED).status_code == 201
    assert web.post(url, resend, headers=QUEUED).status_code == 200
    assert ProgressUpdate.objects.get().note == "已清运杂物两车"
    # Denied beside allowed: another village's cadre does not see the commitment.
    other = web_client(new_user("village_cadre", VILLAGE_B))
    assert other.post(url, {**resend, "client_id": str(uuid.uuid4())}, headers=QUEUED).status_code == 404


def test_an_ordinary_post_still_works_without_a_client_id(cadre: Any, commitment: Any) -> None:
    web = web_client(cadre)
    url = reverse("commitments:progress", args=[commitment.pk])
    answer = web.post(
        url, {"written_on": timezone.localdate().isoformat(), "note": "召开议事会", "version": commitment.version}
    )
    assert answer.status_code == 302 and ProgressUpdate.objects.count() == 1


# --- the API: the same submissions -------------------------------------------------------------------------------


def test_the_api_answers_a_resent_visit_with_the_first_one(cadre: Any, visit_target: Any) -> None:
    api = api_client(cadre)
    url = f"/api/v1/visits/plan/{visit_target.pk}/visits"
    body = {**_visit_form(), "client_id": str(uuid.uuid4()), "latitude": 36.8781, "longitude": 117.7434}
    first = api.post(url, body, content_type="application/json")
    again = api.post(url, body, content_type="application/json")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"] and first.json()["latitude"] == 36.8781
    assert Visit.objects.count() == 1
    nan = api.post(url, {**_visit_form(), "latitude": "NaN", "longitude": 1}, content_type="application/json")
    assert nan.status_code in (400, 422) and Visit.objects.count() == 1
    other = api_client(new_user("village_cadre", VILLAGE_B))
    assert other.post(url, {**body, "client_id": str(uuid.uuid4())}, content_type="application/json").status_code == 404


def test_the_api_refuses_progress_on_a_changed_commitment(cadre: Any, commitment: Any) -> None:
    api = api_client(cadre)
    url = f"/api/v1/commitments/{commitment.pk}/progress"
    stale = commitment.version
    commitment_update(actor=SYSTEM, commitment=commitment, expected_version=stale, target="四面一栏整洁，院内无杂物")
    body = {
        "written_on": timezone.localdate().isoformat(),
        "note": "更新公开栏",
        "version": stale,
        "client_id": str(uuid.uuid4()),
    }
    assert api.post(url, body, content_type="application/json").status_code == 409
    fresh = {**body, "version": Commitment.objects.get(pk=commitment.pk).version}
    assert api.post(url, fresh, content_type="application/json").status_code == 201
    assert api.post(url, fresh, content_type="application/json").status_code == 200
    assert ProgressUpdate.objects.count() == 1


def test_the_api_answers_a_resent_issue_with_the_first_one(cadre: Any, term_change: Any) -> None:
    api = api_client(cadre)
    body = {"title": "水渠堵塞", "owner": "村委会", "due_on": "2026-12-31", "client_id": str(uuid.uuid4())}
    first = api.post(f"/api/v1/issueboard/{VILLAGE_A}/issues", body, content_type="application/json")
    again = api.post(f"/api/v1/issueboard/{VILLAGE_A}/issues", body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200) and first.json()["id"] == again.json()["id"]
    assert Issue.objects.filter(title="水渠堵塞").count() == 1


# --- the installable app --------------------------------------------------------------------------------------------


def test_the_worker_is_served_from_the_root_with_workbox_local(client: Any) -> None:
    answer = client.get("/sw.js")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/javascript")
    assert answer["Service-Worker-Allowed"] == "/" and answer["Cache-Control"] == "no-cache"
    text = answer.content.decode()
    assert 'importScripts("/static/vendor/workbox/workbox-sw.js")' in text and "http" not in text.split("*/", 1)[1]
    assert r"^/visits/plan/\\d+/$" in text
    for name in ("workbox-sw.js", "workbox-core.prod.js", "workbox-routing.prod.js", "workbox-strategies.prod.js"):
        assert finders.find(f"vendor/workbox/{name}"), name
    assert finders.find("vendor/idb/umd.js") and finders.find("offline/queue.js")


def test_the_manifest_makes_the_site_installable(client: Any) -> None:
    manifest = client.get("/manifest.webmanifest").json()
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/home/"
    assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200 or finders.find(icon["src"].removeprefix("/static/"))


def test_the_queue_page_and_state_need_a_session(cadre: Any, client: Any) -> None:
    assert client.get("/offline/").status_code == 302 and client.get("/offline/state/").status_code == 302
    web = web_client(cadre)
    assert "离线待发送" in web.get("/offline/").content.decode()
    state = web.get("/offline/state/").json()
    assert state["user"] == cadre.username and state["csrf"]
