from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Status
from ninja.pagination import paginate

from cunshe.accounts.selectors import acting_user
from cunshe.core.paging import Paged
from cunshe.core.schema import ModelOut, Schema, WithFields
from cunshe.elections import timeline
from cunshe.elections.models import CommitteeMember, Election, ElectionPost, ElectionRules
from cunshe.elections.permissions import committee_member_policy, election_policy
from cunshe.elections.selectors import committee_of, elections_visible, rules_visible
from cunshe.elections.services import (
    committee_member_add,
    committee_member_withdraw,
    election_move,
    election_open,
    election_round_open,
    rules_tighten,
)
from cunshe.people.permissions import person_policy

router = Router(tags=["选举"])


class ElectionPostOut(ModelOut):
    post_label: str = Field(validation_alias="get_post_display", description="职务名称")

    class Meta:
        model = ElectionPost
        fields = ("post", "post_label", "seats")


class ElectionStepOut(Schema):
    key: str
    title: str
    due_on: date | None
    done_on: date | None
    late: bool


class ElectionCommitteeMemberOut(ModelOut):
    role_label: str = Field(validation_alias="get_role_display", description="职务名称")

    class Meta:
        model = CommitteeMember
        fields = (
            "id", "person_id", ("name", "person__name"), "role", "role_label", "position", "chosen_by", "chosen_on", "withdrawn_on",
            "withdraw_reason", "replaces_id", "version",
        )  # fmt: skip


class ElectionOut(ModelOut):
    kind_label: str = Field(validation_alias="get_kind_display", description="选举类别名称")
    status_label: str = Field(validation_alias="get_status_display", description="阶段名称")
    posts: list[ElectionPostOut]

    class Meta:
        model = Election
        fields = (
            "id", "region", ("region_name", "region__name"), "kind", "kind_label", "round", "parent_id", "election_day",
            "status", "status_label", "rules_id", ("rules_name", "rules__name"), "register_published_on", "candidates_published_on", "posts",
            "version",
        )  # fmt: skip


class ElectionDetailOut(ElectionOut):
    timeline: list[ElectionStepOut]
    committee: list[ElectionCommitteeMemberOut]


class ElectionOpenIn(Schema):
    village: str
    kind: str
    election_day: date
    seats: dict[str, int]


class ElectionMoveIn(Schema):
    to_status: str
    on: date
    reason: str = ""
    version: int


class ElectionRoundIn(Schema):
    round: str
    election_day: date
    seats: dict[str, int] = {}


class ElectionCommitteeIn(Schema):
    person_id: int
    role: str
    chosen_by: str
    chosen_on: date


class ElectionWithdrawIn(Schema):
    reason: str
    on: date
    version: int


class ElectionRulesOut(ModelOut):
    values: dict[str, Any]

    class Meta:
        model = ElectionRules
        fields = ("id", "kind", "province", "county", "based_on_id", "name", "source", "effective_from", "values")

    @staticmethod
    def resolve_values(r: ElectionRules) -> dict[str, Any]:
        """The rule's numbers by name; the exact fractions as text ("1/2")."""
        return {
            f.name: str(getattr(r, f.name)) if f.name in _FRACTIONS else getattr(r, f.name)
            for f in ElectionRules._meta.concrete_fields
            if f.name not in _NOT_VALUES
        }


_FRACTIONS = ("turnout", "win", "further_floor", "party_margin", "meeting_quorum")
_NOT_VALUES = ("id", "kind", "province", "county", "based_on", "name", "source", "effective_from", "created_at")


class ElectionRulesIn(Schema):
    county: str
    kind: str
    effective_from: date
    name: str
    source: str
    values: dict[str, Any] = {}


def _detail(e: Election) -> WithFields:
    return WithFields(e, timeline=timeline.timeline(e), committee=committee_of(e))


def _election(request: HttpRequest, election_id: int) -> Election:
    return election_policy.get_or_404(request.user, queryset=elections_visible(request.user), pk=election_id)


@router.get("", response=list[ElectionOut], url_name="api_elections_list", summary="可见的选举（分页）")
@paginate(Paged)
def election_list(
    request: HttpRequest, under: str = "", kind: str = "", status: str = "", day: date | None = None
) -> Any:
    return elections_visible(request.user, under=under, kind=kind, status=status, day=day)


@router.post("", response={201: ElectionDetailOut}, url_name="api_elections_open", summary="发起选举")
def election_create(request: HttpRequest, payload: ElectionOpenIn) -> Status:
    election = election_open(
        actor=acting_user(request),
        village_code=payload.village,
        kind=payload.kind,
        election_day=payload.election_day,
        seats=payload.seats,
    )
    return Status(201, _detail(_election(request, election.pk)))


@router.get("/rules", response=list[ElectionRulesOut], url_name="api_elections_rules", summary="选举办法")
def rules_list(request: HttpRequest) -> list[ElectionRules]:
    return list(rules_visible(request.user))


@router.post(
    "/rules", response={201: ElectionRulesOut}, url_name="api_elections_rules_tighten", summary="制定本县从严的选举办法"
)
def rules_create(request: HttpRequest, payload: ElectionRulesIn) -> Status:
    rules = rules_tighten(
        actor=acting_user(request),
        county_code=payload.county,
        kind=payload.kind,
        effective_from=payload.effective_from,
        name=payload.name,
        source=payload.source,
        values=payload.values,
    )
    return Status(201, rules)


@router.get("/{election_id}", response=ElectionDetailOut, url_name="api_elections_detail", summary="选举详情与时间节点")
def election_detail(request: HttpRequest, election_id: int) -> WithFields:
    return _detail(_election(request, election_id))


@router.post("/{election_id}/status", response=ElectionDetailOut, url_name="api_elections_move", summary="转换选举阶段")
def election_status(request: HttpRequest, election_id: int, payload: ElectionMoveIn) -> WithFields:
    election = _election(request, election_id)
    election_move(
        actor=acting_user(request),
        election=election,
        to_status=payload.to_status,
        on=payload.on,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _detail(election)


@router.post(
    "/{election_id}/rounds",
    response={201: ElectionDetailOut},
    url_name="api_elections_round",
    summary="发起另行选举或重新选举",
)
def election_round(request: HttpRequest, election_id: int, payload: ElectionRoundIn) -> Status:
    parent = _election(request, election_id)
    election = election_round_open(
        actor=acting_user(request),
        parent=parent,
        round=payload.round,
        election_day=payload.election_day,
        seats=payload.seats,
    )
    return Status(201, _detail(_election(request, election.pk)))


@router.post(
    "/{election_id}/committee",
    response={201: ElectionCommitteeMemberOut},
    url_name="api_elections_committee_add",
    summary="推选选举委员会成员",
)
def committee_create(request: HttpRequest, election_id: int, payload: ElectionCommitteeIn) -> Status:
    election = _election(request, election_id)
    person = person_policy.get_or_404(request.user, pk=payload.person_id)
    member = committee_member_add(
        actor=acting_user(request),
        election=election,
        person=person,
        role=payload.role,
        chosen_by=payload.chosen_by,
        chosen_on=payload.chosen_on,
    )
    return Status(201, member)


@router.post(
    "/committee/{member_id}/withdraw",
    response=ElectionCommitteeMemberOut,
    url_name="api_elections_committee_withdraw",
    summary="选举委员会成员退出（递补人选依次递补）",
)
def committee_leave(request: HttpRequest, member_id: int, payload: ElectionWithdrawIn) -> CommitteeMember:
    member = committee_member_policy.get_or_404(request.user, pk=member_id)
    committee_member_withdraw(
        actor=acting_user(request),
        member=member,
        reason=payload.reason,
        on=payload.on,
        expected_version=payload.version,
    )
    return member
