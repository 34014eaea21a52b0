from datetime import date

from django.http import Http404, HttpRequest
from ninja import Router, Status

from cunshe.accounts.selectors import acting_user
from cunshe.core.schema import Schema
from cunshe.eligibility.models import ExclusionRule
from cunshe.negativelist.models import NegativeEntry
from cunshe.negativelist.permissions import entry_policy
from cunshe.negativelist.selectors import entries_visible, flagged_person_ids
from cunshe.negativelist.services import entry_add, entry_settle
from cunshe.people.permissions import person_policy

router = Router(tags=["负面清单"])


class NegativeEntryOut(Schema):
    id: int
    region: str
    person_id: int
    person_name: str
    rule_code: str
    rule_title: str
    source: str
    source_detail: str
    found_on: date
    details: str
    state: str
    conclusion: str
    version: int


class EntryIn(Schema):
    person_id: int
    rule_id: int
    source: str
    source_detail: str = ""
    found_on: date
    details: str


class SettleIn(Schema):
    to_state: str
    conclusion: str
    version: int


class FlagOut(Schema):
    person_id: int
    flagged: bool


def _out(e: NegativeEntry) -> dict[str, object]:
    return {
        "id": e.pk,
        "region": e.region_id,
        "person_id": e.person_id,
        "person_name": e.person.name,
        "rule_code": e.rule.code,
        "rule_title": e.rule.title,
        "source": e.source,
        "source_detail": e.source_detail,
        "found_on": e.found_on,
        "details": e.details,
        "state": e.state,
        "conclusion": e.conclusion,
        "version": e.version,
    }


@router.get("", response=list[NegativeEntryOut], url_name="api_negativelist_list", summary="负面清单（仅组织部、纪检）")
def entry_list(request: HttpRequest, under: str = "", state: str = "") -> list[dict[str, object]]:
    return [_out(e) for e in entries_visible(request.user, under=under, state=state)[:1000]]


@router.post("", response={201: NegativeEntryOut}, url_name="api_negativelist_add", summary="登记负面信息")
def add(request: HttpRequest, payload: EntryIn) -> Status:
    person = person_policy.get_or_404(request.user, pk=payload.person_id)
    rule = ExclusionRule.objects.filter(pk=payload.rule_id).first()
    entry = entry_add(
        actor=acting_user(request),
        person=person,
        rule=rule,
        source=payload.source,
        source_detail=payload.source_detail,
        found_on=payload.found_on,
        details=payload.details,
    )
    return Status(201, _out(entry))


@router.get(
    "/flags/{person_id}", response=FlagOut, url_name="api_negativelist_flag", summary="某人是否有未办结负面信息"
)
def flag(request: HttpRequest, person_id: int) -> dict[str, object]:
    person = person_policy.get_or_404(request.user, pk=person_id)
    if not entry_policy.can_in_region(request.user, "flag", person.region_id):
        raise Http404
    return {"person_id": person.pk, "flagged": person.pk in flagged_person_ids(request.user)}


@router.get("/{entry_id}", response=NegativeEntryOut, url_name="api_negativelist_detail", summary="负面清单条目")
def detail(request: HttpRequest, entry_id: int) -> dict[str, object]:
    return _out(entry_policy.get_or_404(request.user, pk=entry_id))


@router.post("/{entry_id}/state", response=NegativeEntryOut, url_name="api_negativelist_settle", summary="核实、销号")
def settle(request: HttpRequest, entry_id: int, payload: SettleIn) -> dict[str, object]:
    entry = entry_policy.get_or_404(request.user, pk=entry_id)
    entry = entry_settle(
        actor=acting_user(request),
        entry=entry,
        to_state=payload.to_state,
        conclusion=payload.conclusion,
        expected_version=payload.version,
    )
    return _out(entry)
