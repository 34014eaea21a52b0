from datetime import date
from io import BytesIO
from typing import Any

from cunshe.access.tests.walk import Rule, World, pk
from cunshe.core.actors import SYSTEM
from cunshe.elections.tests.factories import open_election
from cunshe.voters.exports import register_export
from cunshe.voters.models import Deprivation, Register, Voter
from cunshe.voters.services import objection_file, register_build, register_publish

# Villages of their own: the elections module's rules open villagers' elections in VILLAGE_A and VILLAGE_B.
PLACES = {
    "a": ("371681001215", "371681001216", "371681001217"),  # town A: built, published, no register yet
    "b": ("371681002202", "371681002203", "371681002204"),  # town B
}


def setup(world: World, make_person: Any, **_: Any) -> None:
    for side, (built, published, empty) in PLACES.items():
        make_person(built, birth_date=date(1980, 1, 1))
        make_person(published, birth_date=date(1981, 1, 1))
        reg = register_build(actor=SYSTEM, election=open_election(village=built), on=date(2026, 11, 1)).register
        pub = register_build(actor=SYSTEM, election=open_election(village=published), on=date(2026, 11, 1)).register
        register_publish(actor=SYSTEM, register=pub, on=date(2026, 11, 30), expected_version=pub.version)
        extra = make_person(built, birth_date=date(1990, 1, 1), name=f"补登{side}")
        late = make_person(published, birth_date=date(1990, 1, 1), name=f"申诉{side}")
        objection = objection_file(
            actor=SYSTEM, register=pub, person=late, claim="add", filed_by="本人", filed_on=date(2026, 12, 1),
            grounds="常住本村",
        )  # fmt: skip
        world.extra.update({
            f"v_election_{side}": reg.election, f"v_pub_{side}": pub.election, f"v_empty_{side}": open_election(village=empty),
            f"v_reg_{side}": reg, f"v_voter_{side}": reg.voters.get(), f"v_extra_{side}": extra, f"v_late_{side}": late,
            f"v_objection_{side}": objection,
        })  # fmt: skip


def _pk(key: str, name: str = "election_id") -> Any:
    return pk(f"v_{key}", name)  # this module's records are named v_… in World.extra


def _b_unchanged(w: World) -> bool:
    # only this module's own town-B villages: other modules' rules register voters elsewhere in town B
    voters = Voter.objects.filter(register__election__region_id__in=PLACES["b"])
    return (
        voters.count() == 2
        and not voters.filter(removed_on__isnull=False).exists()
        and all(v.counted and v.group == "" for v in voters)
        and Register.objects.filter(election__region_id__in=PLACES["b"]).count() == 2
        and Register.objects.get(election=w.extra["v_election_b"]).frozen_on is None
        and w.extra["v_objection_b"].__class__.objects.get(pk=w.extra["v_objection_b"].pk).outcome == ""
        and not Deprivation.objects.filter(person=w.person_b).exists()
    )


def _xlsx(w: World, key: str) -> BytesIO:
    out = BytesIO()
    register_export(register=w.extra[key], target=out)
    out.seek(0)
    out.name = "名单.xlsx"
    return out


def xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(BytesIO(content), read_only=True)
    return " ".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None)


def _scoped_write(a: str, b: str, body: Any, name: str = "election_id", **kw: Any) -> Rule:
    return Rule(
        "scoped",
        method="POST",
        a=_pk(f"{a}_a", name),
        b=_pk(f"{b}_b", name),
        body_a=lambda w: body(w, "a"),
        body_b=lambda w: body(w, "b"),
        b_unchanged=_b_unchanged,
        **kw,
    )


P = "/api/v1/voters"
API_RULES = {
    f"GET {P}/{{election_id}}": Rule("scoped", a=_pk("election_a"), b=_pk("election_b")),
    f"POST {P}/{{election_id}}": _scoped_write("empty", "empty", lambda w, s: {"on": "2026-11-01"}),
    f"GET {P}/{{election_id}}/voters": Rule("scoped", a=_pk("election_a"), b=_pk("election_b")),
    f"POST {P}/{{election_id}}/voters": _scoped_write(
        "election",
        "election",
        lambda w, s: {"person_id": w.extra[f"v_extra_{s}"].pk, "group": "一组", "on": "2026-11-02"},
    ),
    f"POST {P}/{{election_id}}/publish": _scoped_write(
        "election", "election", lambda w, s: {"on": "2026-11-30", "version": w.extra[f"v_reg_{s}"].version}
    ),
    f"POST {P}/{{election_id}}/amend": _scoped_write(
        "pub",
        "pub",
        lambda w, s: {
            "person_id": w.extra[f"v_late_{s}"].pk,
            "kind": "add",
            "reason": "decision",
            "decision_ref": "选委会〔2026〕2号",
            "on": "2026-12-11",
        },
    ),
    f"GET {P}/{{election_id}}/objections": Rule("scoped", a=_pk("pub_a"), b=_pk("pub_b")),
    f"POST {P}/{{election_id}}/objections": _scoped_write(
        "pub",
        "pub",
        lambda w, s: {
            "person_id": w.extra[f"v_late_{s}"].pk,
            "claim": "add",
            "filed_by": "本人",
            "filed_on": "2026-12-02",
            "grounds": "常住本村",
        },
    ),
    f"POST {P}/objections/{{objection_id}}/decide": _scoped_write(
        "objection",
        "objection",
        lambda w, s: {
            "outcome": "rejected",
            "decided_on": "2026-12-08",
            "decision_ref": "选委会〔2026〕1号",
            "decision_text": "户籍与居住均不在本村",
            "version": w.extra[f"v_objection_{s}"].version,
        },
        name="objection_id",
    ),
    f"POST {P}/voters/{{voter_id}}": _scoped_write(
        "voter",
        "voter",
        lambda w, s: {"group": "二组", "route": "resident", "version": w.extra[f"v_voter_{s}"].version},
        name="voter_id",
    ),
    f"POST {P}/voters/{{voter_id}}/remove": _scoped_write(
        "voter", "voter", lambda w, s: {"reason": "died", "evidence": "死亡证明", "on": "2026-11-05"}, name="voter_id"
    ),
    f"POST {P}/voters/{{voter_id}}/leave-out": _scoped_write(
        "voter",
        "voter",
        lambda w, s: {"rule": "选举办法第十条", "decision": "外出不归", "version": w.extra[f"v_voter_{s}"].version},
        name="voter_id",
    ),
    f"POST {P}/deprivations": Rule(
        "scoped",
        method="POST",
        body_a=lambda w: {"person_id": w.person_a.pk, "reason": "判决书", "since": "2026-01-01"},
        body_b=lambda w: {"person_id": w.person_b.pk, "reason": "判决书", "since": "2026-01-01"},
        b_unchanged=_b_unchanged,
    ),
    f"GET {P}/{{election_id}}/export": Rule("scoped", a=_pk("election_a"), b=_pk("election_b")),
    f"GET {P}/{{election_id}}/print": Rule("scoped", a=_pk("election_a"), b=_pk("election_b")),
    f"POST {P}/{{election_id}}/import": _scoped_write(
        "election", "election", lambda w, s: {"on": "2026-11-02", "file": _xlsx(w, f"v_reg_{s}")}
    ),
}


def _web_write(a: str, b: str, body: Any, **kw: Any) -> Rule:
    return Rule(
        "scoped",
        method="POST",
        a=_pk(f"{a}_a", "pk"),
        b=_pk(f"{b}_b", "pk"),
        body_a=lambda w: body(w, "a"),
        body_b=lambda w: body(w, "b"),
        b_unchanged=_b_unchanged,
        **kw,
    )


WEB_RULES = {
    "voters:register": Rule("scoped", a=_pk("election_a", "pk"), b=_pk("election_b", "pk")),
    "voters:print": Rule("scoped", a=_pk("election_a", "pk"), b=_pk("election_b", "pk")),
    "voters:export": Rule("scoped", a=_pk("election_a", "pk"), b=_pk("election_b", "pk"), as_text=xlsx_text),
    "voters:build": _web_write("empty", "empty", lambda w, s: {"on": "2026-11-01"}),
    "voters:publish": _web_write(
        "election", "election", lambda w, s: {"on": "2026-11-30", "version": w.extra[f"v_reg_{s}"].version}
    ),
    "voters:add": _web_write(
        "election",
        "election",
        lambda w, s: {"person": w.extra[f"v_extra_{s}"].pk, "route": "resident", "group": "一组", "on": "2026-11-02"},
    ),
    "voters:amend": _web_write(
        "pub",
        "pub",
        lambda w, s: {
            "person": w.extra[f"v_late_{s}"].pk,
            "kind": "add",
            "reason": "decision",
            "decision_ref": "选委会〔2026〕2号",
            "route": "resident",
            "on": "2026-12-11",
        },
    ),
    "voters:objection_file": _web_write(
        "pub",
        "pub",
        lambda w, s: {
            "person": w.extra[f"v_late_{s}"].pk,
            "claim": "add",
            "filed_by": "本人",
            "filed_on": "2026-12-02",
            "grounds": "常住本村",
        },
    ),
    "voters:objection_decide": _web_write(
        "objection",
        "objection",
        lambda w, s: {
            "outcome": "rejected",
            "decided_on": "2026-12-08",
            "decision_ref": "选委会〔2026〕1号",
            "decision_text": "不在本村居住",
            "version": w.extra[f"v_objection_{s}"].version,
        },
    ),
    "voters:import": _web_write(
        "election", "election", lambda w, s: {"on": "2026-11-02", "file": _xlsx(w, f"v_reg_{s}")}
    ),
}
