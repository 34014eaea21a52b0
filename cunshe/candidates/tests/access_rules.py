import base64
from datetime import date
from typing import Any

from cunshe.access.tests.walk import Rule, World, pk
from cunshe.candidates.models import Candidate, ListApproval, NominationSheet, VoterMeeting
from cunshe.candidates.services import candidate_withdraw, candidates_publish
from cunshe.candidates.tests.factories import formal, nominate, people, review
from cunshe.core.actors import SYSTEM
from cunshe.elections.models import Election, Kind, Status
from cunshe.elections.tests.factories import open_election

# Villages of their own (not the ones the elections walk uses), a village and another in each town.
VILLAGES = {"a": ("371681001237", "371681001236"), "b": ("371681002237", "371681002236")}
PARTY = {"is_party_member": True, "party_joined_on": date(2010, 7, 1)}
LETTER = b"%PDF-1.4 letter"


def setup(world: World, **_: Any) -> None:
    for side, (x, y) in VILLAGES.items():
        party = open_election(village=x, kind=Kind.PARTY)
        villagers = open_election(village=x, kind=Kind.VILLAGERS)
        supervision = open_election(village=x, kind=Kind.SUPERVISION)
        ready = open_election(village=y, kind=Kind.SUPERVISION)
        members = people(x, 7, **PARTY)
        sup = people(x, 6)
        sup_y = people(y, 5)
        vill = people(x, 2)
        review([*members, *sup, *vill])
        review(sup_y)
        nominate(party, {"party_member": members})
        formal(party, {"party_member": members[:6]})
        nominate(villagers, {"director": vill})
        slate = {"supervision_chair": sup[:2], "supervision_member": sup[2:6]}
        nominate(supervision, slate)
        formal(supervision, {"supervision_chair": sup[:2], "supervision_member": sup[2:5]})
        candidates_publish(actor=SYSTEM, election=supervision, on=date(2026, 12, 5), expected_version=1)
        gone = Candidate.objects.get(election=supervision, person=sup[4])
        candidate_withdraw(
            actor=SYSTEM, candidate=gone, on=date(2026, 12, 5), reason="外出务工", letter_name="申请.pdf",
            letter_type="application/pdf", letter=LETTER, expected_version=gone.version,
        )  # fmt: skip
        nominate(ready, {"supervision_chair": sup_y[:2], "supervision_member": sup_y[2:5]})
        formal(ready, {"supervision_chair": sup_y[:2], "supervision_member": sup_y[2:5]})
        world.extra[f"cand_party_{side}"] = party
        world.extra[f"cand_villagers_{side}"] = villagers
        world.extra[f"cand_supervision_{side}"] = supervision
        world.extra[f"cand_ready_{side}"] = ready
        world.extra[f"cand_members_{side}"] = members
        world.extra[f"cand_vill_{side}"] = vill
        world.extra[f"cand_formal_{side}"] = Candidate.objects.get(election=supervision, person=sup[0])
        world.extra[f"cand_gone_{side}"] = gone


def _b_unchanged(w: World) -> bool:
    b = {k: Election.objects.get(pk=w.extra[f"cand_{k}_b"].pk) for k in ("party", "villagers", "ready")}
    sheet = NominationSheet.objects.get(election=b["villagers"])
    return (
        b["ready"].status == Status.PREPARING
        and not ListApproval.objects.filter(election=b["party"]).exists()
        and Candidate.objects.filter(election=b["party"]).count() == 6
        and sheet.ballots == 100
        and not sheet.rows.filter(residents_recommendations__isnull=False).exists()
        and not sheet.rows.filter(members_recommendations__isnull=False).exists()
        and Candidate.objects.get(pk=w.extra["cand_formal_b"].pk).status == "formal"
        and not NominationSheet.objects.get(election=b["party"]).rows.exclude(members_recommendations=None).exists()
    )


def _nominations(side: str, *, api: bool) -> Any:
    def body(w: World) -> dict[str, Any]:
        vill = w.extra[f"cand_vill_{side}"]
        if api:
            rows = [{"post": "director", "person_id": p.pk, "votes": 9} for p in vill]
            return {"ballots": 80, "on": "2026-12-02", "rows": rows}
        return {"ballots": 80, "on": "2026-12-02", "post_director": "\n".join(f"#{p.pk} 9" for p in vill)}

    return body


def _recommend(side: str, *, api: bool) -> Any:
    def body(w: World) -> dict[str, Any]:
        first = w.extra[f"cand_members_{side}"][0]
        if api:
            return {"counts": [{"person_id": first.pk, "residents": 30, "members": 3}]}
        return {f"r_{first.pk}": "30", f"m_{first.pk}": "3"}

    return body


def _determine(side: str, *, api: bool) -> Any:
    def body(w: World) -> dict[str, Any]:
        ids = [p.pk for p in w.extra[f"cand_members_{side}"][1:7]]
        return {"chosen": {"party_member": ids}} if api else {"post_party_member": [str(i) for i in ids]}

    return body


APPROVE = {"approved_on": "2026-12-04", "document": "党字〔2026〕1号"}


def _publish(side: str) -> Any:
    return lambda w: {"on": "2026-12-05", "version": Election.objects.get(pk=w.extra[f"cand_ready_{side}"].pk).version}


def _withdraw(side: str, *, api: bool) -> Any:
    def body(w: World) -> dict[str, Any]:
        from django.core.files.uploadedfile import SimpleUploadedFile

        version = Candidate.objects.get(pk=w.extra[f"cand_formal_{side}"].pk).version
        base = {"on": "2026-12-05", "reason": "身体原因", "version": version}
        if api:
            return {**base, "letter_name": "a.pdf", "letter_type": "application/pdf",
                    "letter_base64": base64.b64encode(LETTER).decode()}  # fmt: skip
        return {**base, "letter": SimpleUploadedFile("a.pdf", LETTER, content_type="application/pdf")}

    return body


def _post(key: str, body: Any, name: str = "pk") -> Rule:
    return Rule(
        "scoped",
        method="POST",
        a=pk(f"{key}_a", name),
        b=pk(f"{key}_b", name),
        body_a=body("a"),
        body_b=body("b"),
        b_unchanged=_b_unchanged,
    )


def _meeting(side: str) -> Any:
    return lambda w: {
        "held_on": "2026-12-05",
        "place": "村委会大院",
        "candidates": [w.extra[f"cand_formal_{side}"].pk],
        "note": "候选人介绍治村设想并回答提问",
    }


def _meeting_rule(name: str = "pk") -> Rule:
    return Rule(
        "scoped",
        method="POST",
        a=pk("cand_supervision_a", name),
        b=pk("cand_supervision_b", name),
        body_a=_meeting("a"),
        body_b=_meeting("b"),
        b_unchanged=lambda w: not VoterMeeting.objects.filter(election=w.extra["cand_supervision_b"]).exists(),
    )


WEB_RULES = {
    "candidates:board": Rule("scoped", a=pk("cand_supervision_a"), b=pk("cand_supervision_b")),
    "candidates:poster": Rule("scoped", a=pk("cand_supervision_a"), b=pk("cand_supervision_b")),
    "candidates:letter": Rule("scoped", a=pk("cand_gone_a"), b=pk("cand_gone_b")),
    "candidates:nominations": _post("cand_villagers", lambda s: _nominations(s, api=False)),
    "candidates:recommendations": _post("cand_party", lambda s: _recommend(s, api=False)),
    "candidates:determine": _post("cand_party", lambda s: _determine(s, api=False)),
    "candidates:approve": _post("cand_party", lambda s: lambda w: APPROVE),
    "candidates:publish": _post("cand_ready", _publish),
    "candidates:withdraw": _post("cand_formal", lambda s: _withdraw(s, api=False)),
    "candidates:meeting": _meeting_rule(),
}

E = "election_id"
API_RULES = {
    "GET /api/v1/candidates/elections/{election_id}": Rule(
        "scoped", a=pk("cand_supervision_a", E), b=pk("cand_supervision_b", E)
    ),
    "GET /api/v1/candidates/elections/{election_id}/poster.pdf": Rule(
        "scoped", a=pk("cand_supervision_a", E), b=pk("cand_supervision_b", E), as_text=lambda c: c.decode("latin-1")
    ),
    "GET /api/v1/candidates/{candidate_id}/letter": Rule(
        "scoped", a=pk("cand_gone_a", "candidate_id"), b=pk("cand_gone_b", "candidate_id")
    ),
    "POST /api/v1/candidates/elections/{election_id}/nominations": _post(
        "cand_villagers", lambda s: _nominations(s, api=True), E
    ),
    "POST /api/v1/candidates/elections/{election_id}/recommendations": _post(
        "cand_party", lambda s: _recommend(s, api=True), E
    ),
    "POST /api/v1/candidates/elections/{election_id}/determine": _post(
        "cand_party", lambda s: _determine(s, api=True), E
    ),
    "POST /api/v1/candidates/elections/{election_id}/approval": _post("cand_party", lambda s: lambda w: APPROVE, E),
    "POST /api/v1/candidates/elections/{election_id}/publish": _post("cand_ready", _publish, E),
    "GET /api/v1/candidates/elections/{election_id}/meetings": Rule(
        "scoped", a=pk("cand_supervision_a", E), b=pk("cand_supervision_b", E)
    ),
    "POST /api/v1/candidates/elections/{election_id}/meetings": _meeting_rule(E),
    "POST /api/v1/candidates/{candidate_id}/withdraw": _post(
        "cand_formal", lambda s: _withdraw(s, api=True), "candidate_id"
    ),
}
