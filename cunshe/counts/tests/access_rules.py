from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import TOWN_A
from cunshe.access.tests.walk import Rule, World, pk, xlsx_text
from cunshe.core.actors import SYSTEM
from cunshe.counts.forms import SheetForm
from cunshe.counts.models import AccountPerson, Sheet, SheetStatus
from cunshe.counts.services import scan_add, sheet_enter, sheet_sign_off
from cunshe.counts.tests.factories import PNG, sheet_data, voting_election

# Villages of their own, so the count's elections do not meet the elections module's (one main round per kind).
VILLAGE_A2 = "371681001224"
VILLAGE_A3 = "371681001225"
VILLAGE_B2 = "371681002224"


def _world_side(world: World, make_user: Any, village: str, side: str) -> None:
    c = voting_election(village=village, stations=5, voters=10)
    e1, e2 = make_user("village_cadre", village), make_user("village_cadre", village)
    boxes = c["stations"]
    sheet_enter(actor=e1, election=c["election"], station=boxes[0], data=sheet_data(c, d1=3))
    differing = sheet_enter(actor=e2, election=c["election"], station=boxes[0], data=sheet_data(c, d1=4))
    for who in (e1, e2):
        quarantined = sheet_enter(
            actor=who, election=c["election"], station=boxes[1], data=sheet_data(c, issued=4, returned=5, d1=3)
        )
        ok = sheet_enter(actor=who, election=c["election"], station=boxes[3], data=sheet_data(c, d1=2, m1=1))
        signed = sheet_enter(actor=who, election=c["election"], station=boxes[4], data=sheet_data(c, d1=1, m2=3))
    scan = scan_add(actor=e1, sheet=ok, name="计票单.png", content_type="image/png", content=PNG)
    scan_add(actor=e1, sheet=signed, name="计票单.png", content_type="image/png", content=PNG)
    signed = sheet_sign_off(actor=SYSTEM, sheet=signed, expected_version=signed.version)
    world.extra.update(
        {
            f"count_{side}": c,
            f"election_count_{side}": c["election"],
            f"station_free_{side}": boxes[2],
            f"sheet_diff_{side}": differing,
            f"sheet_q_{side}": quarantined,
            f"sheet_ok_{side}": ok,
            f"sheet_signed_{side}": signed,
            f"scan_{side}": scan,
        }
    )


def setup(world: World, make_user: Any, **_: Any) -> None:
    _world_side(world, make_user, VILLAGE_A2, "a")
    _world_side(world, make_user, VILLAGE_B2, "b")
    # A round of town A counted with a member seat left empty, so a 另行选举 can be opened.
    c = voting_election(village=VILLAGE_A3, stations=1, voters=10)
    e1, e2 = make_user("village_cadre", VILLAGE_A3), make_user("village_cadre", VILLAGE_A3)
    data = sheet_data(c, issued=8, returned=8, d1=2, d2=6, m1=6, m2=3, m3=3)
    sheet_enter(actor=e1, election=c["election"], station=c["stations"][0], data=data)
    sheet = sheet_enter(actor=e2, election=c["election"], station=c["stations"][0], data=data)
    scan_add(actor=e1, sheet=sheet, name="计票单.png", content_type="image/png", content=PNG)
    sheet_sign_off(actor=SYSTEM, sheet=sheet, expected_version=sheet.version)
    c["election"].refresh_from_db()
    world.extra["election_further_a"] = c["election"]


def _b_unchanged(w: World) -> bool:
    sheets = Sheet.objects.filter(election=w.extra["election_count_b"])
    states = {s.station.position: s.status for s in sheets.select_related("station") if s.station}
    scans = sum(s.scans.count() for s in sheets)
    signed = Sheet.objects.get(pk=w.extra["sheet_signed_b"].pk)
    return (
        states
        == {1: SheetStatus.DIFFERING, 2: SheetStatus.QUARANTINED, 4: SheetStatus.RECONCILED, 5: SheetStatus.SIGNED_OFF}
        and scans == 2
        and not signed.corrections.exists()
        and not w.extra["election_count_b"].rounds.exists()
    )


def _settle_web(side: str) -> Any:
    return lambda w: {
        "version": Sheet.objects.get(pk=w.extra[f"sheet_diff_{side}"].pk).version,
        f"value_votes:{w.extra[f'count_{side}']['d1'].pk}": "4",
    }


def _settle_api(side: str) -> Any:
    return lambda w: {
        "version": Sheet.objects.get(pk=w.extra[f"sheet_diff_{side}"].pk).version,
        "choices": {f"votes:{w.extra[f'count_{side}']['d1'].pk}": 4},
    }


def _clear(side: str) -> Any:
    return lambda w: {
        "version": Sheet.objects.get(pk=w.extra[f"sheet_q_{side}"].pk).version,
        "check": "over_issued",
        "reason": "补发选票未登记，已核实",
    }


def _scan_web(_side: str) -> Any:
    return lambda w: {"file": SimpleUploadedFile("计票单.png", PNG, content_type="image/png")}


def _scan_api(_side: str) -> Any:
    import base64

    return lambda w: {
        "name": "计票单.png",
        "content_type": "image/png",
        "content_base64": base64.b64encode(PNG).decode(),
    }


def _enter_web(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        c = w.extra[f"count_{side}"]
        data = {
            "station": w.extra[f"station_free_{side}"].pk,
            "issued": 5,
            "returned": 5,
            "valid": 5,
            "invalid": 0,
            "void_director": 0,
            "void_committee_member": 0,
        }
        data.update({f"votes_{c[k].pk}": 0 for k in ("d1", "d2", "m1", "m2", "m3")})
        data[f"votes_{c['d1'].pk}"] = 5
        return data

    return body


def _enter_api(side: str) -> Any:
    return lambda w: {
        "station": w.extra[f"station_free_{side}"].pk,
        "figures": sheet_data(w.extra[f"count_{side}"], d1=5),
    }


def _correct_web(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        sheet = Sheet.objects.get(pk=w.extra[f"sheet_signed_{side}"].pk)
        data = {k: v for k, v in SheetForm.initial_from(sheet.figures).items()}
        data[f"votes_{w.extra[f'count_{side}']['d1'].pk}"] = 2
        return {**data, "reason": "唱票记录核对", "version": sheet.version}

    return body


def _correct_api(side: str) -> Any:
    return lambda w: {
        "figures": sheet_data(w.extra[f"count_{side}"], d1=2, m2=3),
        "reason": "唱票记录核对",
        "version": Sheet.objects.get(pk=w.extra[f"sheet_signed_{side}"].pk).version,
    }


def _enter_target(side: str) -> Any:
    return lambda w: {"pk": w.extra[f"election_count_{side}"].pk}


def _post(a: Any, b: Any, body_a: Any, body_b: Any, **more: Any) -> Rule:
    return Rule("scoped", method="POST", a=a, b=b, body_a=body_a, body_b=body_b, b_unchanged=_b_unchanged, **more)


def _account_person() -> Any:
    # the walk's other-county account, linked to a town-A person: only the refused write (town B) must leave it unlinked
    return lambda w: {"username": w.account_b.username, "id_number": w.person_a.id_number}


def _unlinked(w: World) -> bool:
    return not AccountPerson.objects.filter(user=w.account_b).exists()


WEB_RULES = {
    "counts:board": Rule(
        "scoped",
        query_a=f"?under={TOWN_A}&day=2026-12-20",
        query_b="?under=371681002&day=2026-12-20",
        marker_a=lambda w: "韦家村委会",
        marker_b=lambda w: "侯家村委会",
    ),
    "counts:board_live": Rule(
        "scoped",
        query_a=f"?under={TOWN_A}&day=2026-12-20",
        query_b="?under=371681002&day=2026-12-20",
        marker_a=lambda w: "韦家村委会",
        marker_b=lambda w: "侯家村委会",
    ),
    "counts:return": Rule(
        "scoped",
        query_a=f"?under={TOWN_A}",
        query_b="?under=371681002",
        marker_a=lambda w: VILLAGE_A2,
        marker_b=lambda w: VILLAGE_B2,
        as_text=xlsx_text,
    ),
    "counts:election": Rule("scoped", a=pk("election_count_a"), b=pk("election_count_b")),
    "counts:enter": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"pk": w.extra["election_count_a"].pk},
        b=lambda w: {"pk": w.extra["election_count_b"].pk},
        body_a=_enter_web("a"),
        body_b=_enter_web("b"),
        b_unchanged=_b_unchanged,
    ),
    "counts:further": _post(
        pk("election_further_a"),
        pk("election_count_b"),
        lambda w: {"election_day": "2026-12-27"},
        lambda w: {"election_day": "2026-12-27"},
    ),
    "counts:account_person": Rule(
        "scoped",
        method="POST",
        a=pk("election_count_a"),
        b=pk("election_count_b"),
        body_a=_account_person(),
        body_b=_account_person(),
        b_unchanged=_unlinked,
    ),
    "counts:sheet": Rule("scoped", a=pk("sheet_diff_a"), b=pk("sheet_diff_b")),
    "counts:settle": _post(pk("sheet_diff_a"), pk("sheet_diff_b"), _settle_web("a"), _settle_web("b")),
    "counts:clear": _post(pk("sheet_q_a"), pk("sheet_q_b"), _clear("a"), _clear("b")),
    "counts:scan_upload": _post(pk("sheet_ok_a"), pk("sheet_ok_b"), _scan_web("a"), _scan_web("b")),
    "counts:sign_off": _post(
        pk("sheet_ok_a"),
        pk("sheet_ok_b"),
        lambda w: {"version": Sheet.objects.get(pk=w.extra["sheet_ok_a"].pk).version},
        lambda w: {"version": Sheet.objects.get(pk=w.extra["sheet_ok_b"].pk).version},
    ),
    "counts:correct": _post(pk("sheet_signed_a"), pk("sheet_signed_b"), _correct_web("a"), _correct_web("b")),
    "counts:scan": Rule("scoped", a=pk("scan_a"), b=pk("scan_b")),
}


API_RULES = {
    "GET /api/v1/counts/elections/{election_id}": Rule(
        "scoped", a=pk("election_count_a", "election_id"), b=pk("election_count_b", "election_id")
    ),
    "POST /api/v1/counts/elections/{election_id}/sheets": _post(
        pk("election_count_a", "election_id"), pk("election_count_b", "election_id"), _enter_api("a"), _enter_api("b")
    ),
    "GET /api/v1/counts/sheets/{sheet_id}": Rule(
        "scoped", a=pk("sheet_diff_a", "sheet_id"), b=pk("sheet_diff_b", "sheet_id")
    ),
    "POST /api/v1/counts/sheets/{sheet_id}/settle": _post(
        pk("sheet_diff_a", "sheet_id"), pk("sheet_diff_b", "sheet_id"), _settle_api("a"), _settle_api("b")
    ),
    "POST /api/v1/counts/sheets/{sheet_id}/clear": _post(
        pk("sheet_q_a", "sheet_id"), pk("sheet_q_b", "sheet_id"), _clear("a"), _clear("b")
    ),
    "POST /api/v1/counts/sheets/{sheet_id}/scans": _post(
        pk("sheet_ok_a", "sheet_id"), pk("sheet_ok_b", "sheet_id"), _scan_api("a"), _scan_api("b")
    ),
    "GET /api/v1/counts/scans/{scan_id}": Rule("scoped", a=pk("scan_a", "scan_id"), b=pk("scan_b", "scan_id")),
    "POST /api/v1/counts/sheets/{sheet_id}/sign-off": _post(
        pk("sheet_ok_a", "sheet_id"),
        pk("sheet_ok_b", "sheet_id"),
        lambda w: {"version": Sheet.objects.get(pk=w.extra["sheet_ok_a"].pk).version},
        lambda w: {"version": Sheet.objects.get(pk=w.extra["sheet_ok_b"].pk).version},
    ),
    "POST /api/v1/counts/sheets/{sheet_id}/corrections": _post(
        pk("sheet_signed_a", "sheet_id"), pk("sheet_signed_b", "sheet_id"), _correct_api("a"), _correct_api("b")
    ),
    "POST /api/v1/counts/elections/{election_id}/further-round": _post(
        pk("election_further_a", "election_id"),
        pk("election_count_b", "election_id"),
        lambda w: {"election_day": "2026-12-27"},
        lambda w: {"election_day": "2026-12-27"},
    ),
    "POST /api/v1/counts/elections/{election_id}/account-persons": Rule(
        "scoped",
        method="POST",
        a=pk("election_count_a", "election_id"),
        b=pk("election_count_b", "election_id"),
        body_a=_account_person(),
        body_b=_account_person(),
        b_unchanged=_unlinked,
    ),
    "GET /api/v1/counts/board/{code}": Rule(
        "scoped",
        a=lambda w: {"code": TOWN_A},
        b=lambda w: {"code": "371681002"},
        query_a="?day=2026-12-20",
        query_b="?day=2026-12-20",
        marker_a=lambda w: "韦家村委会",
        marker_b=lambda w: "侯家村委会",
    ),
    "GET /api/v1/counts/return/{code}": Rule(
        "scoped",
        a=lambda w: {"code": TOWN_A},
        b=lambda w: {"code": "371681002"},
        marker_a=lambda w: VILLAGE_A2,
        marker_b=lambda w: VILLAGE_B2,
        as_text=xlsx_text,
    ),
}
