from datetime import date

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from cunshe.accounts.selectors import acting_user
from cunshe.core.paging import Paged
from cunshe.core.schema import ModelOut, Schema
from cunshe.eligibility.models import ExclusionRule
from cunshe.negativelist.models import NegativeEntry
from cunshe.negativelist.permissions import entry_policy
from cunshe.negativelist.selectors import entries_visible, flagged_person_ids
from cunshe.negativelist.services import entry_add, entry_settle
from cunshe.people.permissions import person_policy

router = Router(tags=["负面清单"])


class NegativeEntryOut(ModelOut):
    class Meta:
        model = NegativeEntry
        fields = (
            "id", "region", "person_id", ("person_name", "person__name"), ("rule_code", "rule__code"),
            ("rule_title", "rule__title"), "source", "source_detail", "found_on", "details", "state", "conclusion",
            "version",
        )  # fmt: skip


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


@router.get("", response=list[NegativeEntryOut], url_name="api_negativelist_list", summary="负面清单（仅组织部、纪检）")
@paginate(Paged)
def entry_list(request: HttpRequest, under: str = "", state: str = "") -> QuerySet[NegativeEntry]:
    # A county's entries grow with every check: a page at a time (the list stopped at 1,000 without saying so).
    return entries_visible(request.user, under=under, state=state)


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
    return Status(201, entry)


@router.get(
    "/flags/{person_id}", response=FlagOut, url_name="api_negativelist_flag", summary="某人是否有未办结负面信息"
)
def flag(request: HttpRequest, person_id: int) -> dict[str, object]:
    person = person_policy.get_or_404(request.user, pk=person_id)
    if not entry_policy.can_in_region(request.user, "flag", person.region_id):
        raise Http404
    return {"person_id": person.pk, "flagged": person.pk in flagged_person_ids(request.user)}


@router.get("/{entry_id}", response=NegativeEntryOut, url_name="api_negativelist_detail", summary="负面清单条目")
def detail(request: HttpRequest, entry_id: int) -> NegativeEntry:
    return entry_policy.get_or_404(request.user, pk=entry_id)


@router.post("/{entry_id}/state", response=NegativeEntryOut, url_name="api_negativelist_settle", summary="核实、销号")
def settle(request: HttpRequest, entry_id: int, payload: SettleIn) -> NegativeEntry:
    entry = entry_policy.get_or_404(request.user, pk=entry_id)
    entry = entry_settle(
        actor=acting_user(request),
        entry=entry,
        to_state=payload.to_state,
        conclusion=payload.conclusion,
        expected_version=payload.version,
    )
    return entry
