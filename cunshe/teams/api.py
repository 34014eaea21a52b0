from datetime import date

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Router, Status

from cunshe.accounts.selectors import acting_user
from cunshe.core.schema import ModelOut, Schema
from cunshe.people.permissions import person_policy
from cunshe.teams.models import TeamMember
from cunshe.teams.permissions import team_policy
from cunshe.teams.selectors import team_of
from cunshe.teams.services import member_appoint, member_end

router = Router(tags=["两委班子"])


class MemberOut(ModelOut):
    class Meta:
        model = TeamMember
        fields = (
            "id", "region", "person_id", ("person_name", "person__name"), "committee", "post", "started_on",
            "ended_on", "end_reason", "version",
        )  # fmt: skip


class AppointIn(Schema):
    person_id: int
    committee: str
    post: str
    started_on: date


class EndIn(Schema):
    ended_on: date
    end_reason: str
    version: int


@router.get("/{code}", response=list[MemberOut], url_name="api_teams_current", summary="某村(社区)现任两委成员")
def current(request: HttpRequest, code: str) -> QuerySet[TeamMember]:
    if not team_policy.can_in_region(request.user, "view", code):
        raise Http404
    return team_of(request.user, code)


@router.post("/{code}/members", response={201: MemberOut}, url_name="api_teams_appoint", summary="任命")
def appoint(request: HttpRequest, code: str, payload: AppointIn) -> Status:
    person = person_policy.get_or_404(request.user, pk=payload.person_id)
    member = member_appoint(
        actor=acting_user(request),
        village_code=code,
        person=person,
        committee=payload.committee,
        post=payload.post,
        started_on=payload.started_on,
    )
    return Status(201, member)


@router.post("/members/{member_id}/end", response=MemberOut, url_name="api_teams_end", summary="办理离任")
def end(request: HttpRequest, member_id: int, payload: EndIn) -> TeamMember:
    member = team_policy.get_or_404(request.user, pk=member_id)
    member = member_end(
        actor=acting_user(request),
        member=member,
        ended_on=payload.ended_on,
        reason=payload.end_reason,
        expected_version=payload.version,
    )
    return member
