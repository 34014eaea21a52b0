import base64
from datetime import datetime, time, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import COUNTY, OTHER_COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.access.tests.walk import Rule, World, xlsx_text
from cunshe.accounts.models import Department
from cunshe.core.actors import SYSTEM
from cunshe.handovers.models import (
    UNIT_PARTIES,
    CareRecord,
    ConductRecord,
    Confirmation,
    GroupParty,
    Handover,
    HandoverItem,
    HandoverSettings,
    ItemStatus,
    Leftover,
    Scan,
    Template,
)
from cunshe.handovers.services import handover_confirm, handover_open, item_update, template_create
from cunshe.handovers.spreadsheets import TEMPLATE_COLUMNS
from cunshe.handovers.units import freeze_notice_send, inquiry_add, unit_handover_open
from cunshe.spreadsheets.layout import write_workbook

TODAY = timezone.localdate()


def setup(world: World, make_user: Any, make_person: Any, **_: Any) -> None:
    # One item, one county supervisor and the walk's own people keep its per-test setup cheap; the full
    # templates and the supervisors' limits are covered in test_handovers.py.
    template = template_create(
        actor=SYSTEM, county_code=COUNTY, kind="committee", name="走查模板", items=[("法定事项", "印章", "count", "")]
    )
    world.extra["template_a"] = template
    world.extra["template_b"] = template_create(
        actor=SYSTEM, county_code=OTHER_COUNTY, kind="leader", name="外县模板", items=[("工作", "规划", "text", "")]
    )
    supervisor = make_user("discipline_supervisor", COUNTY)
    for key, village, outgoing, working_group in (
        ("handover_a", VILLAGE_A, world.person_a, world.officer_a),
        ("handover_b", VILLAGE_B, world.person_b, world.organizer_a),
    ):
        handover = handover_open(
            actor=SYSTEM,
            village_code=village,
            template=template,
            outgoing=outgoing,
            incoming=make_person(village, name=f"{key}接收人"),
            working_group=working_group,
            supervisor=supervisor,
            starts_on=TODAY,
            meeting_at=datetime.combine(TODAY, time(15), timezone.get_current_timezone()),
            meeting_place=f"{key}会议室",
        )
        item = handover.items.get()
        # Not handed over: the item is recorded (so parties may sign) and a leftover item follows from it.
        item_update(actor=SYSTEM, item=item, status=ItemStatus.NOT_HANDED, discrepancy=f"{key}未交", expected_version=1)
        world.extra[f"leftover_{key[-1]}"] = Leftover.objects.get(item=item)
        world.extra[key] = Handover.objects.get(pk=handover.pk)
    _unit_setup(world, make_user, make_person)


def _unit_setup(world: World, make_user: Any, make_person: Any) -> None:
    """Leader handovers of town A (one completed with both notices, one open without) and of town B (open)."""
    finance = Department.objects.create(county_id=COUNTY, name="走查财政局")
    audit = Department.objects.create(county_id=COUNTY, name="走查审计局")
    group = [
        (GroupParty.ORGANIZATION, world.organizer_a, "市委组织部"),
        (GroupParty.DISCIPLINE, make_user("discipline_supervisor", COUNTY), "市纪委监委"),
        (GroupParty.FINANCE, make_user("reviewer", COUNTY, department=finance), "市财政局"),
        (GroupParty.AUDIT, make_user("reviewer", COUNTY, department=audit), "市审计局"),
    ]
    world.extra["unit_group"] = group
    officer_b = make_user("town_officer", TOWN_B)
    for key, town, outgoing, incoming_village, organizer in (
        ("unit_done_a", TOWN_A, world.person_a, VILLAGE_A, world.officer_a),
        ("unit_a", TOWN_A, world.person_a, VILLAGE_A, world.officer_a),
        ("unit_b", TOWN_B, world.person_b, VILLAGE_B, officer_b),
    ):
        handover = unit_handover_open(
            actor=SYSTEM,
            region_code=town,
            unit_name=f"{key}党工委",
            post="书记",
            outgoing=outgoing,
            incoming=make_person(incoming_village, name=f"{key}接任"),
            working_group=organizer,
            group=group,
            starts_on=TODAY,
            meeting_at=datetime.combine(TODAY, time(15), timezone.get_current_timezone()),
            meeting_place="会议室",
        )
        world.extra[f"inquiry_{key}"] = inquiry_add(
            actor=SYSTEM, handover=handover, question=f"{key}的问题", due_on=TODAY + timedelta(days=3)
        )
        if key == "unit_done_a":
            freeze_notice_send(actor=SYSTEM, handover=handover)
            for item in handover.items.all():
                item_update(
                    actor=SYSTEM, item=item, status=ItemStatus.HANDED, count=1, amount=Decimal(1), details="已交",
                    expected_version=item.version,
                )  # fmt: skip
            for party in UNIT_PARTIES:
                current = Handover.objects.get(pk=handover.pk)
                handover_confirm(actor=organizer, handover=current, party=party, expected_version=current.version)
        world.extra[key] = Handover.objects.get(pk=handover.pk)


def _unit_b_untouched(w: World) -> bool:
    b = Handover.objects.get(pk=w.extra["unit_b"].pk)
    inquiry = Leftover.objects.get(pk=w.extra["inquiry_unit_b"].pk)
    return (
        not b.freeze_notices.exists()
        and not ConductRecord.objects.filter(handover=b).exists()
        and b.leftovers.count() == 1
        and not inquiry.answer
        and Handover.objects.filter(region_id=TOWN_B).count() == 1
    )


def _unit_open_body(w: World) -> dict[str, Any]:
    return {
        "unit_name": "走查新单位",
        "post": "书记",
        "outgoing": w.person_a.pk,
        "incoming": w.extra["unit_a"].incoming_id,
        "working_group": w.officer_a.pk,
        "starts_on": TODAY.isoformat(),
        "meeting_at": f"{TODAY.isoformat()}T16:00",
        "meeting_place": "会议室",
        **{party: user.pk for party, user, _d in w.extra["unit_group"]},
        **{f"{party}_department": department for party, _u, department in w.extra["unit_group"]},
    }


def _unit_open_json(w: World) -> dict[str, Any]:
    body = _unit_open_body(w)
    return {
        **{k: v for k, v in body.items() if not k.startswith("group_")},
        "group": [{"party": p, "user": u.pk, "department": d} for p, u, d in w.extra["unit_group"]],
    }


def _answer_body(key: str) -> Any:
    return lambda w: {"answer": "已答复", "version": Leftover.objects.get(pk=w.extra[key].pk).version}


def _h(key: str, name: str = "pk") -> Any:
    return lambda w: {name: w.extra[key].pk}


def _item(key: str, name: str = "pk") -> Any:
    return lambda w: {name: w.extra[key].items.order_by("position").first().pk}


def _lo(key: str, name: str = "pk") -> Any:
    return lambda w: {name: w.extra[key].pk}


def _b_untouched(w: World) -> bool:
    b = Handover.objects.get(pk=w.extra["handover_b"].pk)
    first = HandoverItem.objects.filter(handover=b).order_by("position").first()
    lo = Leftover.objects.get(pk=w.extra["leftover_b"].pk)
    return (
        b.version == w.extra["handover_b"].version
        and first is not None
        and first.status == ItemStatus.NOT_HANDED
        and not Scan.objects.filter(item__handover=b).exists()
        and not Confirmation.objects.filter(handover=b).exists()
        and not CareRecord.objects.filter(handover=b).exists()
        and b.leftovers.count() == 1
        and lo.status == "open"
        and not lo.notes.exists()
        and lo.accountability == "not_handed"
    )


def _item_body(key: str) -> Any:
    return lambda w: {
        "status": "discrepancy",
        "count": 1,
        "discrepancy": "少一枚",
        "version": w.extra[key].items.order_by("position").first().version,
    }


def _scan(w: World) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("seal.png", b"\x89PNG....", content_type="image/png")}


def _confirm_body(key: str) -> Any:
    return lambda w: {"party": "outgoing", "version": Handover.objects.get(pk=w.extra[key].pk).version}


def _leftover_body(w: World) -> dict[str, Any]:
    return {"title": "新遗留", "owner": "某人", "due_on": (TODAY + timedelta(days=3)).isoformat()}


def _flag_body(key: str) -> Any:
    return lambda w: {
        "accountability": "neglected",
        "accountability_note": "接收后未管理",
        "version": Leftover.objects.get(pk=w.extra[key].pk).version,
    }


def _move_body(key: str) -> Any:
    return lambda w: {"to_status": "closed", "version": Leftover.objects.get(pk=w.extra[key].pk).version}


def _scan_pk(key: str, name: str = "pk") -> Any:
    from cunshe.handovers.services import scan_add

    def make(w: World) -> dict[str, Any]:
        item = w.extra[key].items.order_by("position").first()
        found = Scan.objects.filter(item=item).first()
        if found is None:
            found = scan_add(actor=SYSTEM, item=item, name=f"{key}.png", content_type="image/png", content=b"png")
        return {name: found.pk}

    return make


def _template_upload(w: World) -> dict[str, Any]:
    buffer = BytesIO()
    row = {"section": "法定事项", "title": "印章", "item_kind": "实物（件数）", "expected": "公章"}
    write_workbook("模板", TEMPLATE_COLUMNS, [row], buffer)
    return {"name": "导入模板", "kind": "committee", "file": SimpleUploadedFile("t.xlsx", buffer.getvalue())}


def _settings_body(w: World) -> dict[str, Any]:
    return {"leader_days": 2, "committee_days": 8, "copies": 4}


def _other_settings_untouched(w: World) -> bool:
    return not HandoverSettings.objects.filter(county_id=OTHER_COUNTY).exists()


def _open_body(key: str) -> Any:
    """A complete, valid opening for the village of `key`'s handover, so only the access rule can refuse it."""
    return lambda w: {
        "template": w.extra["template_a"].pk,
        "outgoing": w.extra[key].outgoing_id,
        "incoming": w.extra[key].incoming_id,
        "working_group": w.extra[key].working_group_id,
        "supervisor": w.extra[key].supervisor_id,
        "starts_on": TODAY.isoformat(),
        "meeting_at": f"{TODAY.isoformat()}T16:00:00",
        "meeting_place": "会议室",
    }


def _scan_body(w: World) -> dict[str, Any]:
    return {"name": "seal.png", "content_type": "image/png", "content_base64": base64.b64encode(b"png").decode()}


def _template_body(w: World) -> dict[str, Any]:
    return {"name": "接口模板", "kind": "leader", "items": [{"section": "工作", "title": "规划", "item_kind": "text"}]}


WEB_RULES = {
    "handovers:unit_new": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": TOWN_A},
        b=lambda w: {"code": TOWN_B},
        body_a=_unit_open_body,
        body_b=_unit_open_body,
        b_unchanged=_unit_b_untouched,
    ),
    "handovers:freeze": Rule(
        "scoped",
        method="POST",
        a=_h("unit_a"),
        b=_h("unit_b"),
        body_a=lambda w: {"addressed_to": "财政局"},
        body_b=lambda w: {"addressed_to": "财政局"},
        b_unchanged=_unit_b_untouched,
    ),
    "handovers:freeze_notice": Rule(
        "scoped",
        a=lambda w: {"pk": w.extra["unit_done_a"].pk, "kind": "lift"},
        b=lambda w: {"pk": w.extra["unit_b"].pk, "kind": "freeze"},
    ),
    "handovers:inquiry_new": Rule(
        "scoped",
        method="POST",
        a=_h("unit_a"),
        b=_h("unit_b"),
        body_a=lambda w: {"question": "问题", "due_on": TODAY.isoformat()},
        body_b=lambda w: {"question": "问题", "due_on": TODAY.isoformat()},
        b_unchanged=_unit_b_untouched,
    ),
    "handovers:inquiry_answer": Rule(
        "scoped",
        method="POST",
        a=_lo("inquiry_unit_a"),
        b=_lo("inquiry_unit_b"),
        body_a=_answer_body("inquiry_unit_a"),
        body_b=_answer_body("inquiry_unit_b"),
        b_unchanged=_unit_b_untouched,
    ),
    "handovers:conduct": Rule(
        "scoped",
        method="POST",
        a=_h("unit_done_a"),
        b=_h("unit_b"),
        body_a=lambda w: {"conduct": "表现良好"},
        body_b=lambda w: {"conduct": "表现良好"},
        b_unchanged=_unit_b_untouched,
    ),
    "handovers:person_conduct": Rule("scoped", a=lambda w: {"pk": w.person_a.pk}, b=lambda w: {"pk": w.person_b.pk}),
    "handovers:template": Rule(
        "scoped", a=lambda w: {"pk": w.extra["template_a"].pk}, b=lambda w: {"pk": w.extra["template_b"].pk}
    ),
    "handovers:template_upload": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=lambda w: {"code": COUNTY},
        b=lambda w: {"code": OTHER_COUNTY},
        body_a=_template_upload,
        body_b=_template_upload,
        b_unchanged=lambda w: not Template.objects.filter(county_id=OTHER_COUNTY, name="导入模板").exists(),
    ),
    "handovers:list": Rule(
        "scoped",
        query_a=f"?under={TOWN_A}",
        query_b=f"?under={TOWN_B}",
        marker_a=lambda w: w.person_a.name,
        marker_b=lambda w: w.person_b.name,
    ),
    "handovers:export": Rule(
        "scoped",
        query_a=f"?under={TOWN_A}",
        query_b=f"?under={TOWN_B}",
        marker_a=lambda w: VILLAGE_A,
        marker_b=lambda w: VILLAGE_B,
        as_text=xlsx_text,
    ),
    "handovers:new": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": VILLAGE_A},
        b=lambda w: {"code": VILLAGE_B},
        body_a=lambda w: {
            "template": w.extra["handover_a"].template_id,
            "outgoing": w.extra["handover_a"].outgoing_id,
            "incoming": w.extra["handover_a"].incoming_id,
            "working_group": w.officer_a.pk,
            "supervisor": w.extra["handover_a"].supervisor_id,
            "starts_on": TODAY.isoformat(),
            "meeting_at": f"{TODAY.isoformat()}T16:00",
            "meeting_place": "会议室",
        },
        body_b=lambda w: {"meeting_place": "会议室"},
        b_unchanged=lambda w: Handover.objects.filter(region_id=VILLAGE_B).count() == 1,
    ),
    "handovers:detail": Rule("scoped", a=_h("handover_a"), b=_h("handover_b")),
    "handovers:letter": Rule("scoped", a=_h("handover_a"), b=_h("handover_b")),
    "handovers:leaving_notice": Rule("scoped", a=_h("handover_a"), b=_h("handover_b")),
    "handovers:notice": Rule("scoped", a=_h("handover_a"), b=_h("handover_b")),
    "handovers:confirm": Rule(
        "scoped",
        method="POST",
        a=_h("handover_a"),
        b=_h("handover_b"),
        body_a=_confirm_body("handover_a"),
        body_b=_confirm_body("handover_b"),
        b_unchanged=_b_untouched,
    ),
    "handovers:leftover_new": Rule(
        "scoped",
        method="POST",
        a=_h("handover_a"),
        b=_h("handover_b"),
        body_a=_leftover_body,
        body_b=_leftover_body,
        b_unchanged=_b_untouched,
    ),
    "handovers:care": Rule(
        "scoped",
        method="POST",
        a=_h("handover_a"),
        b=_h("handover_b"),
        body_a=lambda w: {"act": "letter", "done_on": TODAY.isoformat()},
        body_b=lambda w: {"act": "letter", "done_on": TODAY.isoformat()},
        b_unchanged=_b_untouched,
    ),
    "handovers:item": Rule(
        "scoped",
        method="POST",
        a=_item("handover_a"),
        b=_item("handover_b"),
        body_a=_item_body("handover_a"),
        body_b=_item_body("handover_b"),
        b_unchanged=_b_untouched,
    ),
    "handovers:scan_upload": Rule(
        "scoped",
        method="POST",
        a=_item("handover_a"),
        b=_item("handover_b"),
        body_a=_scan,
        body_b=_scan,
        b_unchanged=_b_untouched,
    ),
    "handovers:scan": Rule("scoped", a=_scan_pk("handover_a"), b=_scan_pk("handover_b")),
    "handovers:leftover": Rule("scoped", a=_lo("leftover_a"), b=_lo("leftover_b")),
    "handovers:leftover_progress": Rule(
        "scoped",
        method="POST",
        a=_lo("leftover_a"),
        b=_lo("leftover_b"),
        body_a=lambda w: {"text": "进展"},
        body_b=lambda w: {"text": "进展"},
        b_unchanged=_b_untouched,
    ),
    "handovers:leftover_accountability": Rule(
        "scoped",
        method="POST",
        a=_lo("leftover_a"),
        b=_lo("leftover_b"),
        body_a=_flag_body("leftover_a"),
        body_b=_flag_body("leftover_b"),
        b_unchanged=_b_untouched,
    ),
    "handovers:leftover_status": Rule(
        "scoped",
        method="POST",
        a=_lo("leftover_a"),
        b=_lo("leftover_b"),
        body_a=_move_body("leftover_a"),
        body_b=_move_body("leftover_b"),
        b_unchanged=_b_untouched,
    ),
    "handovers:settings": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=lambda w: {"code": COUNTY},
        b=lambda w: {"code": OTHER_COUNTY},
        body_a=_settings_body,
        body_b=_settings_body,
        b_unchanged=_other_settings_untouched,
    ),
}

API_RULES = {
    "GET /api/v1/handovers/units/{code}/choices": Rule(
        "scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}
    ),
    "POST /api/v1/handovers/units/{code}": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": TOWN_A},
        b=lambda w: {"code": TOWN_B},
        body_a=_unit_open_json,
        body_b=_unit_open_json,
        b_unchanged=_unit_b_untouched,
    ),
    "POST /api/v1/handovers/{handover_id}/freeze": Rule(
        "scoped",
        method="POST",
        a=_h("unit_a", "handover_id"),
        b=_h("unit_b", "handover_id"),
        body_a=lambda w: {"addressed_to": "财政局"},
        body_b=lambda w: {"addressed_to": "财政局"},
        b_unchanged=_unit_b_untouched,
    ),
    "GET /api/v1/handovers/{handover_id}/finance-notices/{kind}.pdf": Rule(
        "scoped",
        a=lambda w: {"handover_id": w.extra["unit_done_a"].pk, "kind": "freeze"},
        b=lambda w: {"handover_id": w.extra["unit_b"].pk, "kind": "freeze"},
    ),
    "POST /api/v1/handovers/{handover_id}/inquiries": Rule(
        "scoped",
        method="POST",
        a=_h("unit_a", "handover_id"),
        b=_h("unit_b", "handover_id"),
        body_a=lambda w: {"question": "问题", "due_on": TODAY.isoformat()},
        body_b=lambda w: {"question": "问题", "due_on": TODAY.isoformat()},
        b_unchanged=_unit_b_untouched,
    ),
    "PUT /api/v1/handovers/leftovers/{leftover_id}/answer": Rule(
        "scoped",
        method="PUT",
        a=_lo("inquiry_unit_a", "leftover_id"),
        b=_lo("inquiry_unit_b", "leftover_id"),
        body_a=_answer_body("inquiry_unit_a"),
        body_b=_answer_body("inquiry_unit_b"),
        b_unchanged=_unit_b_untouched,
    ),
    "POST /api/v1/handovers/{handover_id}/conduct": Rule(
        "scoped",
        method="POST",
        a=_h("unit_done_a", "handover_id"),
        b=_h("unit_b", "handover_id"),
        body_a=lambda w: {"conduct": "表现良好"},
        body_b=lambda w: {"conduct": "表现良好"},
        b_unchanged=_unit_b_untouched,
    ),
    "GET /api/v1/handovers/people/{person_id}/conduct": Rule(
        "scoped", a=lambda w: {"person_id": w.person_a.pk}, b=lambda w: {"person_id": w.person_b.pk}
    ),
    "GET /api/v1/handovers": Rule(
        "scoped",
        query_a=f"?under={TOWN_A}",
        query_b=f"?under={TOWN_B}",
        marker_a=lambda w: w.person_a.name,
        marker_b=lambda w: w.person_b.name,
    ),
    "GET /api/v1/handovers/leftovers": Rule(
        "scoped",
        query_a="",
        query_b=f"?under={TOWN_B}",
        marker_a=lambda w: "handover_a未交",
        marker_b=lambda w: "handover_b未交",
    ),
    "GET /api/v1/handovers/{handover_id}": Rule(
        "scoped", a=_h("handover_a", "handover_id"), b=_h("handover_b", "handover_id")
    ),
    "PUT /api/v1/handovers/items/{item_id}": Rule(
        "scoped",
        method="PUT",
        a=_item("handover_a", "item_id"),
        b=_item("handover_b", "item_id"),
        body_a=_item_body("handover_a"),
        body_b=_item_body("handover_b"),
        b_unchanged=_b_untouched,
    ),
    "POST /api/v1/handovers/{handover_id}/confirm": Rule(
        "scoped",
        method="POST",
        a=_h("handover_a", "handover_id"),
        b=_h("handover_b", "handover_id"),
        body_a=_confirm_body("handover_a"),
        body_b=_confirm_body("handover_b"),
        b_unchanged=_b_untouched,
    ),
    "GET /api/v1/handovers/rollup/{code}": Rule("scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}),
    "GET /api/v1/handovers/rollup/{code}/export": Rule(
        "scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}
    ),
    "GET /api/v1/handovers/village/{code}/choices": Rule(
        "scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}
    ),
    "POST /api/v1/handovers/village/{code}": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": VILLAGE_A},
        b=lambda w: {"code": VILLAGE_B},
        body_a=_open_body("handover_a"),
        body_b=_open_body("handover_b"),
        b_unchanged=lambda w: Handover.objects.filter(region_id=VILLAGE_B).count() == 1,
    ),
    "GET /api/v1/handovers/{handover_id}/letter.pdf": Rule(
        "scoped", a=_h("handover_a", "handover_id"), b=_h("handover_b", "handover_id")
    ),
    "GET /api/v1/handovers/{handover_id}/leaving-notice.pdf": Rule(
        "scoped", a=_h("handover_a", "handover_id"), b=_h("handover_b", "handover_id")
    ),
    "GET /api/v1/handovers/{handover_id}/notice.pdf": Rule(
        "scoped", a=_h("handover_a", "handover_id"), b=_h("handover_b", "handover_id")
    ),
    "POST /api/v1/handovers/items/{item_id}/scans": Rule(
        "scoped",
        method="POST",
        a=_item("handover_a", "item_id"),
        b=_item("handover_b", "item_id"),
        body_a=_scan_body,
        body_b=_scan_body,
        b_unchanged=_b_untouched,
    ),
    "GET /api/v1/handovers/scans/{scan_id}": Rule(
        "scoped", a=_scan_pk("handover_a", "scan_id"), b=_scan_pk("handover_b", "scan_id")
    ),
    "POST /api/v1/handovers/{handover_id}/leftovers": Rule(
        "scoped",
        method="POST",
        a=_h("handover_a", "handover_id"),
        b=_h("handover_b", "handover_id"),
        body_a=_leftover_body,
        body_b=_leftover_body,
        b_unchanged=_b_untouched,
    ),
    "POST /api/v1/handovers/{handover_id}/care": Rule(
        "scoped",
        method="POST",
        a=_h("handover_a", "handover_id"),
        b=_h("handover_b", "handover_id"),
        body_a=lambda w: {"act": "letter", "done_on": TODAY.isoformat()},
        body_b=lambda w: {"act": "letter", "done_on": TODAY.isoformat()},
        b_unchanged=_b_untouched,
    ),
    "GET /api/v1/handovers/leftovers/{leftover_id}": Rule(
        "scoped", a=_lo("leftover_a", "leftover_id"), b=_lo("leftover_b", "leftover_id")
    ),
    "POST /api/v1/handovers/leftovers/{leftover_id}/progress": Rule(
        "scoped",
        method="POST",
        a=_lo("leftover_a", "leftover_id"),
        b=_lo("leftover_b", "leftover_id"),
        body_a=lambda w: {"text": "进展"},
        body_b=lambda w: {"text": "进展"},
        b_unchanged=_b_untouched,
    ),
    "PUT /api/v1/handovers/leftovers/{leftover_id}/accountability": Rule(
        "scoped",
        method="PUT",
        a=_lo("leftover_a", "leftover_id"),
        b=_lo("leftover_b", "leftover_id"),
        body_a=_flag_body("leftover_a"),
        body_b=_flag_body("leftover_b"),
        b_unchanged=_b_untouched,
    ),
    "POST /api/v1/handovers/leftovers/{leftover_id}/status": Rule(
        "scoped",
        method="POST",
        a=_lo("leftover_a", "leftover_id"),
        b=_lo("leftover_b", "leftover_id"),
        body_a=_move_body("leftover_a"),
        body_b=_move_body("leftover_b"),
        b_unchanged=_b_untouched,
    ),
    "GET /api/v1/handovers/settings/{code}": Rule(
        "scoped", a=lambda w: {"code": COUNTY}, b=lambda w: {"code": OTHER_COUNTY}
    ),
    "PUT /api/v1/handovers/settings/{code}": Rule(
        "scoped",
        actor="organizer_a",
        method="PUT",
        a=lambda w: {"code": COUNTY},
        b=lambda w: {"code": OTHER_COUNTY},
        body_a=_settings_body,
        body_b=_settings_body,
        b_unchanged=_other_settings_untouched,
    ),
    "POST /api/v1/handovers/settings/{code}/templates": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=lambda w: {"code": COUNTY},
        b=lambda w: {"code": OTHER_COUNTY},
        body_a=_template_body,
        body_b=_template_body,
        b_unchanged=lambda w: not Template.objects.filter(county_id=OTHER_COUNTY, name="接口模板").exists(),
    ),
    "POST /api/v1/handovers/settings/{code}/templates/import": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=lambda w: {"code": COUNTY},
        b=lambda w: {"code": OTHER_COUNTY},
        body_a=_template_upload,
        body_b=_template_upload,
        b_unchanged=lambda w: not Template.objects.filter(county_id=OTHER_COUNTY, name="导入模板").exists(),
    ),
    "GET /api/v1/handovers/templates/{template_id}.xlsx": Rule(
        "scoped",
        a=lambda w: {"template_id": w.extra["template_a"].pk},
        b=lambda w: {"template_id": w.extra["template_b"].pk},
    ),
    "GET /api/v1/handovers/templates/{template_id}": Rule(
        "scoped",
        a=lambda w: {"template_id": w.extra["template_a"].pk},
        b=lambda w: {"template_id": w.extra["template_b"].pk},
    ),
}
