"""Pages of party work: the county's and the towns' tables of overdue meetings with the floating members' counts, a
branch's page (cadence, meetings, model posts, floating members) and a meeting's record, where attendance is marked,
the recorder and the chair confirm, and addenda are added after; the model posts with their quarterly ratings, and
the floating members with their cards, yearly reports home and groups."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.core.paging import page_of
from cunshe.core.printing import pdf_response
from cunshe.partywork import downloads, hooks, rules, selectors
from cunshe.partywork.forms import (
    AddendumForm,
    BranchForm,
    CardForm,
    FloatingForm,
    GroupDissolveForm,
    GroupForm,
    GroupJoinForm,
    GroupLeaderForm,
    GroupLeaveForm,
    MeetingEditForm,
    MeetingForm,
    PostEndForm,
    PostForm,
    RateForm,
    ReportForm,
    ReturnForm,
    SignForm,
    decisions_text,
)
from cunshe.partywork.models import (
    Branch,
    FloatingGroup,
    FloatingMember,
    MeetingStatus,
    ModelPost,
    PartyMeeting,
    Presence,
)
from cunshe.partywork.permissions import (
    branch_policy,
    cadence_policy,
    floating_policy,
    group_policy,
    meeting_policy,
    post_policy,
)
from cunshe.partywork.services import (
    addendum_add,
    branch_open,
    card_issue,
    card_valid,
    counts_of,
    floating_register,
    group_create,
    group_dissolve,
    group_leader_set,
    group_member_add,
    group_member_remove,
    meeting_attendance_mark,
    meeting_create,
    meeting_edit,
    meeting_sign,
    member_return,
    model_post_end,
    post_create,
    post_rate,
    report_add,
)
from cunshe.people.models import Person
from cunshe.regions.models import Level, Region
from cunshe.web.forms import button_action, document_or_back, form_action, form_errors_text, form_message_action
from cunshe.web.kept_pages import list_page_kept, render_kept


def last_quarter(today: date) -> tuple[int, int]:
    """The latest quarter that has ended: the one rated now."""
    start, _ = rules.period_of(today, rules.QUARTER)
    year, month = (start.year, start.month - 3) if start.month > 3 else (start.year - 1, 10)
    return year, (month - 1) // 3 + 1


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    home = cadence_policy.home_region_code(request.user)
    if not home:
        raise Http404("您没有可查看的区域。")
    if len(home) == 12:
        return redirect("partywork:branch", code=home)
    return redirect("partywork:region", code=home)


def _unopened(town: Region) -> list[tuple[str, str]]:
    """The villages of a town whose branch is not yet tracked (what the form to open one offers)."""
    return list(
        Region.objects.filter(parent_id=town.code, level=Level.VILLAGE)
        .exclude(code__in=Branch.objects.filter(region__startswith=town.code).values("region_id"))
        .order_by("code")
        .values_list("code", "name")
    )


def _region_context(request: HttpRequest, found: Region, form: BranchForm | None = None) -> dict[str, Any]:
    year, quarter = last_quarter(timezone.localdate())
    may_open = found.level == Level.TOWN and branch_policy.can_in_region(request.user, "manage", found.code)
    return {
        "table": selectors.rollup(request.user, found),
        "kinds": selectors.KINDS,
        "floating": selectors.floating_counts(request.user, found.code),
        # each list pages under its own parameter (they stopped at 200)
        "groups": page_of(request, selectors.groups_of(request.user, found.code), PAGE_SIZE, param="groups"),
        "results": selectors.post_results(request.user, found.code, year, quarter),
        "year": year,
        "quarter": quarter,
        "form": (form or BranchForm(villages=_unopened(found))) if may_open else None,
    }


def _region_page(request: HttpRequest, found: Region, form: BranchForm, status: int) -> HttpResponse:
    """The page with a refused form: rendered for this response alone."""
    return render(request, "partywork/region.html", _region_context(request, found, form), status=status)


@login_required
@require_GET
def region(request: HttpRequest, code: str) -> HttpResponse:
    found = cadence_policy.rollup_region(request.user, code)
    if found.level == Level.VILLAGE:
        return redirect("partywork:branch", code=found.code)
    if found.level not in (Level.COUNTY, Level.TOWN):
        found = cadence_policy.rollup_region(request.user, "")
    # Kept whole under the region's change number and the day (meetings are due by the day) (issue 15).
    kept = list_page_kept(request, "partywork.region", region_code=found.code)
    return render_kept(request, kept, "partywork/region.html", lambda: _region_context(request, found))


@login_required
@require_POST
def branch_new(request: HttpRequest, code: str) -> HttpResponse:
    """A town opens a village's branch for tracking from the day its committee was elected."""
    branch_policy.check_in_region(request.user, "manage", code)
    town = Region.objects.filter(code=code, level=Level.TOWN).first()
    if town is None:
        raise Http404("未找到该乡镇(街道)。")
    form = BranchForm(request.POST, villages=_unopened(town))
    done = form_action(
        request,
        form,
        lambda d: branch_open(
            actor=acting_user(request), village_code=d["village"], name=d["name"], formed_on=d["formed_on"]
        ),
    )
    if done is not None:
        messages.success(request, f"已登记：{done.name}。")
        return redirect("partywork:branch", code=done.region_id)
    return _region_page(request, town, form, status=400)


def _branch(request: HttpRequest, code: str) -> Branch:
    return branch_policy.get_or_404(request.user, queryset=Branch.objects.select_related("region"), region_id=code)


def _members(branch: Branch) -> list[tuple[int, str]]:
    return list(
        Person.objects.filter(region_id=branch.region_id, is_party_member=True)
        .order_by("name", "id")
        .values_list("id", "name")
    )


def _branch_page(
    request: HttpRequest, branch: Branch, form: MeetingForm | None = None, status: int = 200
) -> HttpResponse:
    can_record = meeting_policy.can_in_region(request.user, "record", branch.region_id)
    return render(
        request,
        "partywork/branch.html",
        {
            "branch": branch,
            "cadence": selectors.cadence_of(request.user, branch),
            # Each list pages on its own (they stopped at 200 without saying so).
            "meetings": page_of(request, selectors.meetings_of(request.user, branch), 50, param="meetings"),
            "posts": page_of(request, selectors.posts_of(request.user, branch.region_id), 50, param="posts"),
            "floating": page_of(request, selectors.floating_of(request.user, branch.region_id), 50, param="floating"),
            "today": timezone.localdate(),
            "form": (form or MeetingForm(members=_members(branch))) if can_record else None,
        },
        status=status,
    )


@login_required
@require_GET
def branch(request: HttpRequest, code: str) -> HttpResponse:
    return _branch_page(request, _branch(request, code))


def _record_values(d: dict[str, Any], village_code: str) -> dict[str, Any]:
    """What a meeting form says the record holds, its chair and recorder as the village's party members chosen."""
    people = {p.pk: p for p in Person.objects.filter(region_id=village_code, is_party_member=True)}
    return {n: d[n] for n in ("held_at", "place", "topic", "agenda", "discussion", "votes")} | {
        "chair": people[d["chair"]],
        "recorder": people[d["recorder"]],
    }


@login_required
@require_POST
def meeting_new(request: HttpRequest, code: str) -> HttpResponse:
    b = _branch(request, code)
    form = MeetingForm(request.POST, members=_members(b))
    done = form_action(
        request,
        form,
        lambda d: meeting_create(
            actor=acting_user(request), branch=b, kind=d["kind"], **_record_values(d, b.region_id)
        ),
    )
    if done is not None:
        messages.success(request, f"已新建会议记录：{done}，请登记出席情况。")
        return redirect("partywork:meeting", pk=done.pk)
    return _branch_page(request, b, form, status=400)


def _edit_form(m: PartyMeeting) -> MeetingEditForm:
    """The draft's edit form, prefilled with what the record says now and the version it says it at."""
    names = ("held_at", "place", "topic", "chair", "recorder", "agenda", "discussion", "votes")
    initial = {n: getattr(m, n) for n in names} | {"chair": m.chair_id, "recorder": m.recorder_id}
    return MeetingEditForm(
        members=_members(m.branch), initial=initial | {"decisions": decisions_text(m), "version": m.version}
    )


def _meeting_page(
    request: HttpRequest,
    m: PartyMeeting,
    addendum: AddendumForm | None = None,
    status: int = 200,
    edit: MeetingEditForm | None = None,
) -> HttpResponse:
    can_record = meeting_policy.can(request.user, "record", m)
    signed = m.status == MeetingStatus.SIGNED
    return render(
        request,
        "partywork/meeting.html",
        {
            "m": m,
            "counts": counts_of(m),
            "can_record": can_record,
            "signed": signed,
            "edit_form": edit or (_edit_form(m) if can_record and not signed else None),
            "statuses": [c for c in Presence.choices if c[0] != Presence.DUE],
            "sign_form": SignForm(initial={"version": m.version}),
            "addendum_form": addendum or AddendumForm(),
        },
        status=status,
    )


@login_required
@require_GET
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, selectors.meeting_full(request.user, pk))


@login_required
@require_POST
def meeting_change(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft record changed on its page through the service the API uses; once signed it is refused (the
    service's message shows on the form: corrections are addenda)."""
    m = selectors.meeting_full(request.user, pk)
    form = MeetingEditForm(request.POST, members=_members(m.branch))
    done = form_action(
        request,
        form,
        lambda d: meeting_edit(
            actor=acting_user(request),
            meeting=m,
            expected_version=d["version"],
            decisions=d["decisions"],
            **_record_values(d, m.region_id),
        ),
    )
    if done is not None:
        messages.success(request, "已保存会议记录的修改。")
        return redirect("partywork:meeting", pk=pk)
    return _meeting_page(request, selectors.meeting_full(request.user, pk), status=400, edit=form)


@login_required
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    m = selectors.meeting_full(request.user, pk)
    marks = {
        a.person_id: (request.POST.get(f"status_{a.person_id}", ""), request.POST.get(f"reason_{a.person_id}", ""))
        for a in m.attendance.all()
        if request.POST.get(f"status_{a.person_id}")
    }
    version = request.POST.get("version", "")
    button_action(
        request,
        lambda: meeting_attendance_mark(
            actor=acting_user(request),
            meeting=m,
            marks=marks,
            expected_version=int(version) if version.isdigit() else None,
        ),
        done="已登记出席情况。",
    )
    return redirect("partywork:meeting", pk=pk)


@login_required
@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    m = selectors.meeting_full(request.user, pk)
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form) or "未能确认。")
        return redirect("partywork:meeting", pk=pk)
    button_action(
        request,
        lambda: meeting_sign(
            actor=acting_user(request),
            meeting=m,
            role=form.cleaned_data["role"],
            expected_version=form.cleaned_data["version"],
        ),
        done="已签字确认。",
    )
    return redirect("partywork:meeting", pk=pk)


@login_required
@require_POST
def addendum(request: HttpRequest, pk: int) -> HttpResponse:
    m = selectors.meeting_full(request.user, pk)
    form = AddendumForm(request.POST)
    if (
        form_action(request, form, lambda d: addendum_add(actor=acting_user(request), meeting=m, text=d["text"]))
        is not None
    ):
        messages.success(request, "已添加补充更正说明。")
        return redirect("partywork:meeting", pk=pk)
    return _meeting_page(request, selectors.meeting_full(request.user, pk), form, status=400)


@login_required
@require_GET
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    return downloads.minutes_response(selectors.meeting_full(request.user, pk))


def _region(request: HttpRequest, code: str) -> Region:
    return cadence_policy.rollup_region(request.user, code, fallback=False)


@login_required
@require_GET
def ledger(request: HttpRequest, code: str) -> HttpResponse:
    return downloads.ledger_response(request.user, _region(request, code))


@login_required
@require_GET
def floating_ledger(request: HttpRequest, code: str) -> HttpResponse:
    return downloads.floating_ledger_response(request.user, _region(request, code))


@login_required
@require_GET
def rating_sheet(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    found = _region(request, code)
    if quarter not in (1, 2, 3, 4):
        raise Http404("季度须为 1 至 4。")
    return pdf_response(downloads.rating_sheet_pdf(request.user, found, year, quarter), f"{found.name}示范岗评比表.pdf")


@login_required
@require_GET
def results(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    found = _region(request, code)
    if quarter not in (1, 2, 3, 4):
        raise Http404("季度须为 1 至 4。")
    return downloads.results_response(request.user, found, year, quarter)


# Model posts (党员示范岗): the list under a region with each post's latest rating, a village sets one up, the town
# rates a post each quarter on the criteria of the quarter's sheet.

PAGE_SIZE = 50


def _village_members(village_code: str) -> list[tuple[int, str]]:
    return list(
        Person.objects.filter(region_id=village_code, is_party_member=True)
        .order_by("name", "id")
        .values_list("id", "name")
    )


def _posts_page(request: HttpRequest, found: Region, form: PostForm | None = None, status: int = 200) -> HttpResponse:
    may_set_up = found.level == Level.VILLAGE and post_policy.can_in_region(request.user, "record", found.code)
    posts = selectors.posts_of(request.user, found.code)
    return render(
        request,
        "partywork/posts.html",
        {
            "region": found,
            "page": Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page")),
            "form": (form or PostForm(members=_village_members(found.code))) if may_set_up else None,
        },
        status=status,
    )


@login_required
@require_GET
def posts(request: HttpRequest, code: str) -> HttpResponse:
    return _posts_page(request, post_policy.rollup_region(request.user, code))


@login_required
@require_POST
def post_new(request: HttpRequest, code: str) -> HttpResponse:
    village = post_policy.village_or_404(request.user, code)
    members = _village_members(village.code)
    form = PostForm(request.POST, members=members)
    people = {p.pk: p for p in Person.objects.filter(region_id=village.code, is_party_member=True)}
    done = form_action(
        request,
        form,
        lambda d: post_create(
            actor=acting_user(request),
            village_code=village.code,
            person=people[d["person"]],
            title=d["title"],
            duty=d["duty"],
            set_up_on=d["set_up_on"],
        ),
    )
    if done is not None:
        messages.success(request, f"已设立党员示范岗：{done.title}。")
        return redirect("partywork:post", pk=done.pk)
    return _posts_page(request, village, form, status=400)


def _criteria(post: ModelPost) -> tuple[tuple[str, int], ...]:
    year, quarter = last_quarter(timezone.localdate())
    return rules.rating_sheet(post.region_id, rules.quarter_end(year, quarter)).criteria


def _post_page(
    request: HttpRequest,
    post: ModelPost,
    form: RateForm | None = None,
    status: int = 200,
    end_form: PostEndForm | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    year, quarter = last_quarter(today)
    ratings = list(post.ratings.order_by("-year", "-quarter"))
    names = list(dict.fromkeys(name for r in ratings for name in r.scores))
    # a post ended before the quarter now rated began has nothing left to rate (the service refuses it too)
    rateable = post.ended_on is None or post.ended_on >= rules.quarter_start(year, quarter)
    return render(
        request,
        "partywork/post.html",
        {
            "post": post,
            "ratings": [(r, [r.scores.get(n, "") for n in names]) for r in ratings],
            "names": names,
            "form": (form or RateForm(criteria=_criteria(post), initial={"year": year, "quarter": quarter}))
            if rateable and post_policy.can(request.user, "rate", post)
            else None,
            "end_form": end_form
            or (
                PostEndForm(initial={"ended_on": today, "version": post.version})
                if post.ended_on is None and post_policy.can(request.user, "record", post)
                else None
            ),
        },
        status=status,
    )


def _post(request: HttpRequest, pk: int) -> ModelPost:
    return post_policy.get_or_404(request.user, queryset=ModelPost.objects.select_related("person", "region"), pk=pk)


@login_required
@require_GET
def post(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_page(request, _post(request, pk))


@login_required
@require_POST
def post_rating(request: HttpRequest, pk: int) -> HttpResponse:
    p = _post(request, pk)
    form = RateForm(request.POST, criteria=_criteria(p))
    done = form_action(
        request,
        form,
        lambda d: post_rate(
            actor=acting_user(request),
            post=p,
            year=d["year"],
            quarter=d["quarter"],
            scores=form.scores(),
            note=d["note"],
        ),
    )
    if done is not None:
        messages.success(
            request, f"已评比：{done.year} 年第 {done.quarter} 季度 {done.total} 分，{done.get_grade_display()}。"
        )
        return redirect("partywork:post", pk=pk)
    return _post_page(request, p, form, status=400)


@login_required
@require_POST
def post_end(request: HttpRequest, pk: int) -> HttpResponse:
    p = _post(request, pk)
    form = PostEndForm(request.POST)
    done = form_action(
        request,
        form,
        lambda d: model_post_end(
            actor=acting_user(request),
            post=p,
            ended_on=d["ended_on"],
            reason=d["reason"],
            expected_version=d["version"],
        ),
    )
    if done is not None:
        messages.success(request, f"{done.title}已于 {done.ended_on:%Y-%m-%d} 撤岗，不再参加以后季度的评比。")
        return redirect("partywork:post", pk=pk)
    return _post_page(request, _post(request, pk), end_form=form, status=400)


# Floating party members (流动党员): where they are, their card and its validity, the yearly report home, the groups
# they belong to, and the requests they raised through the requests channel (counted, when that app is wired).


def _floating_page(
    request: HttpRequest, found: Region, form: FloatingForm | None = None, status: int = 200
) -> HttpResponse:
    may_register = found.level == Level.VILLAGE and floating_policy.can_in_region(request.user, "record", found.code)
    return render(
        request,
        "partywork/floating.html",
        {
            "region": found,
            "page": Paginator(selectors.floating_of(request.user, found.code), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "counts": selectors.floating_counts(request.user, found.code),
            "groups": page_of(request, selectors.groups_of(request.user, found.code), PAGE_SIZE, param="groups"),
            "today": timezone.localdate(),
            "form": (form or FloatingForm(members=_village_members(found.code))) if may_register else None,
        },
        status=status,
    )


@login_required
@require_GET
def floating(request: HttpRequest, code: str) -> HttpResponse:
    return _floating_page(request, floating_policy.rollup_region(request.user, code))


@login_required
@require_POST
def floating_new(request: HttpRequest, code: str) -> HttpResponse:
    village = floating_policy.village_or_404(request.user, code)
    form = FloatingForm(request.POST, members=_village_members(village.code))
    people = {p.pk: p for p in Person.objects.filter(region_id=village.code, is_party_member=True)}
    done = form_action(
        request,
        form,
        lambda d: floating_register(
            actor=acting_user(request),
            person=people[d["person"]],
            whereabouts=d["whereabouts"],
            left_on=d["left_on"],
            work=d["work"],
            phone=d["phone"],
            expected_back_on=d["expected_back_on"],
            cannot_transfer=d["cannot_transfer"],
            cannot_transfer_reason=d["cannot_transfer_reason"],
        ),
    )
    if done is not None:
        messages.success(request, f"已登记流动党员：{done.person.name}。")
        return redirect("partywork:member", pk=done.pk)
    return _floating_page(request, village, form, status=400)


def _member(request: HttpRequest, pk: int) -> FloatingMember:
    return floating_policy.get_or_404(
        request.user, queryset=FloatingMember.objects.select_related("person", "region"), pk=pk
    )


@login_required
@require_GET
def member(request: HttpRequest, pk: int) -> HttpResponse:
    m = _member(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "partywork/member.html",
        {
            "m": m,
            "today": today,
            "valid": card_valid(m, today),
            "cards": m.cards.all(),
            "reports": m.reports.all(),
            "groups": m.memberships.select_related("group").order_by("-joined_on", "-id"),
            "requests": hooks.requests_raised_by_member(m.pk),
            "can_record": floating_policy.can(request.user, "record", m) and m.returned_on is None,
            "card_form": CardForm(initial={"issued_on": today}),
            "report_form": ReportForm(initial={"year": today.year, "reported_on": today}),
            "return_form": ReturnForm(initial={"version": m.version, "returned_on": today}),
        },
    )


@login_required
@require_GET
def registration(request: HttpRequest, pk: int) -> HttpResponse:
    return downloads.registration_response(selectors.member_full(request.user, pk))


@login_required
@require_GET
def card_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The card last issued; a member never carded goes back to their page with the reason."""
    m = selectors.member_full(request.user, pk)
    return document_or_back(request, lambda: downloads.card_response(m), reverse("partywork:member", kwargs={"pk": pk}))


@login_required
@require_POST
def card_new(request: HttpRequest, pk: int) -> HttpResponse:
    m = _member(request, pk)
    form_message_action(
        request,
        CardForm(request.POST),
        lambda d: card_issue(
            actor=acting_user(request), member=m, issued_on=d["issued_on"], valid_until=d["valid_until"]
        ),
        done=lambda c: f"已发放流动党员活动证 {c.number}，有效期至 {c.valid_until:%Y-%m-%d}。",
    )
    return redirect("partywork:member", pk=pk)


@login_required
@require_POST
def report_new(request: HttpRequest, pk: int) -> HttpResponse:
    m = _member(request, pk)
    form_message_action(
        request,
        ReportForm(request.POST),
        lambda d: report_add(
            actor=acting_user(request), member=m, year=d["year"], reported_on=d["reported_on"], content=d["content"]
        ),
        done=lambda r: f"已登记 {r.year} 年度向党组织报告。",
    )
    return redirect("partywork:member", pk=pk)


@login_required
@require_POST
def member_back(request: HttpRequest, pk: int) -> HttpResponse:
    m = _member(request, pk)
    form_message_action(
        request,
        ReturnForm(request.POST),
        lambda d: member_return(
            actor=acting_user(request), member=m, returned_on=d["returned_on"], expected_version=d["version"]
        ),
        done="已登记返回，活动证收回。",
    )
    return redirect("partywork:member", pk=pk)


# Temporary groups (临时党小组, 船头党小组): the town's list with each group's present size and its members'
# requests, setting one up, and a group's page where the town adds and removes members (ending the membership on a
# day, never deleting it), hands the leadership over and dissolves the group. Villages read their town's groups.


def _town_members(request: HttpRequest, town_code: str) -> dict[int, FloatingMember]:
    return {
        m.pk: m
        for m in floating_policy.visible_to(request.user)
        .filter(region__startswith=town_code, returned_on__isnull=True)
        .select_related("person", "region")
    }


def _groups_page(request: HttpRequest, found: Region, form: GroupForm | None = None, status: int = 200) -> HttpResponse:
    may_set_up = found.level == Level.TOWN and group_policy.can_in_region(request.user, "manage", found.code)
    page = Paginator(selectors.groups_of(request.user, found.code), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "partywork/groups.html",
        {
            "region": found,
            "page": page,
            "lines": selectors.group_lines(page),
            "form": (
                form
                or GroupForm(
                    members=selectors.joinable_members(found.code, timezone.localdate()),
                    initial={"formed_on": timezone.localdate()},
                )
            )
            if may_set_up
            else None,
        },
        status=status,
    )


@login_required
@require_GET
def groups(request: HttpRequest, code: str) -> HttpResponse:
    return _groups_page(request, floating_policy.rollup_region(request.user, code))


@login_required
@require_POST
def group_new(request: HttpRequest, code: str) -> HttpResponse:
    group_policy.check_in_region(request.user, "manage", code)  # another town's: 404; a village: 403
    town = Region.objects.filter(code=code, level=Level.TOWN).first()
    if town is None:
        raise Http404("未找到该乡镇(街道)。")
    pool = _town_members(request, town.code)
    form = GroupForm(request.POST, members=[(pk, m.person.name) for pk, m in pool.items()])
    done = form_action(
        request,
        form,
        lambda d: group_create(
            actor=acting_user(request),
            town_code=town.code,
            kind=d["kind"],
            name=d["name"],
            whereabouts=d["whereabouts"],
            formed_on=d["formed_on"],
            members=[pool[pk] for pk in d["members"]],
            leader=pool[d["leader"]],
        ),
    )
    if done is not None:
        messages.success(request, f"已建立{done.get_kind_display()}：{done.name}。")
        return redirect("partywork:group", pk=done.pk)
    return _groups_page(request, town, form, status=400)


def _group(request: HttpRequest, pk: int) -> FloatingGroup:
    return selectors.group_full(request.user, pk)


@login_required
@require_GET
def group(request: HttpRequest, pk: int) -> HttpResponse:
    g = _group(request, pk)
    today = timezone.localdate()
    rows = list(g.memberships.all())
    present = [(r.member_id, r.member.person.name) for r in rows if r.left_on is None]
    may_manage = group_policy.can(request.user, "manage", g) and g.dissolved_on is None
    line = selectors.group_lines([g])[0]
    return render(
        request,
        "partywork/group.html",
        {
            "g": g,
            "line": line,
            "present": [r for r in rows if r.left_on is None],
            "past": [r for r in rows if r.left_on is not None],
            "may_manage": may_manage,
            "join_form": GroupJoinForm(
                members=selectors.joinable_members(g.region_id, today),
                initial={"joined_on": today, "version": g.version},
            ),
            "leave_form": GroupLeaveForm(initial={"left_on": today, "version": g.version}),
            "leader_form": GroupLeaderForm(members=present, initial={"version": g.version}),
            "dissolve_form": GroupDissolveForm(initial={"dissolved_on": today, "version": g.version}),
        },
    )


@login_required
@require_POST
def group_join(request: HttpRequest, pk: int) -> HttpResponse:
    g = _group(request, pk)
    pool = _town_members(request, g.region_id)
    form_message_action(
        request,
        GroupJoinForm(request.POST, members=[(k, m.person.name) for k, m in pool.items()]),
        lambda d: group_member_add(
            actor=acting_user(request),
            group=g,
            member=pool[d["member"]],
            joined_on=d["joined_on"],
            expected_version=d["version"],
        ),
        done=lambda r: f"{r.member.person.name}已加入{g.name}。",
    )
    return redirect("partywork:group", pk=pk)


@login_required
@require_POST
def group_leave(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    g = _group(request, pk)
    row = next((r for r in g.memberships.all() if r.member_id == member_pk and r.left_on is None), None)
    if row is None:
        raise Http404("未找到该成员。")
    form_message_action(
        request,
        GroupLeaveForm(request.POST),
        lambda d: group_member_remove(
            actor=acting_user(request),
            group=g,
            member=row.member,
            left_on=d["left_on"],
            reason=d["reason"],
            expected_version=d["version"],
        ),
        done=lambda r: f"{r.member.person.name}已于 {r.left_on:%Y-%m-%d} 退出{g.name}。",
    )
    return redirect("partywork:group", pk=pk)


@login_required
@require_POST
def group_leader(request: HttpRequest, pk: int) -> HttpResponse:
    g = _group(request, pk)
    present = {r.member_id: r.member for r in g.memberships.all() if r.left_on is None}
    form_message_action(
        request,
        GroupLeaderForm(request.POST, members=[(k, m.person.name) for k, m in present.items()]),
        lambda d: group_leader_set(
            actor=acting_user(request), group=g, member=present[d["member"]], expected_version=d["version"]
        ),
        done=lambda done: f"组长已改为{done.leader.name}。",
    )
    return redirect("partywork:group", pk=pk)


@login_required
@require_POST
def group_end(request: HttpRequest, pk: int) -> HttpResponse:
    g = _group(request, pk)
    form_message_action(
        request,
        GroupDissolveForm(request.POST),
        lambda d: group_dissolve(
            actor=acting_user(request), group=g, dissolved_on=d["dissolved_on"], expected_version=d["version"]
        ),
        done=lambda done: f"{done.name}已于 {done.dissolved_on:%Y-%m-%d} 撤销。",
    )
    return redirect("partywork:group", pk=pk)
