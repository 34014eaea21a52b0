"""Pages of the annual list: the town's (county's) table, the village's visit round and lists, one list with its
items, five-year goals, review, public commitment and progress."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.annuallists import downloads, selectors
from cunshe.annuallists.forms import (
    DraftForm,
    GoalForm,
    ItemForm,
    PledgeForm,
    ProgressForm,
    ReviewForm,
    RoundForm,
    VersionForm,
    VisitForm,
)
from cunshe.annuallists.models import EDITABLE, AnnualList, RoundVisit, Status
from cunshe.annuallists.permissions import item_policy, list_policy
from cunshe.annuallists.services import (
    goal_add,
    item_add,
    item_progress,
    list_draft,
    list_pledge,
    list_review,
    list_submit,
    round_open,
    round_visit_record,
)
from cunshe.regions.models import Level, Region
from cunshe.web.forms import button_action, form_action, form_message_action
from cunshe.web.kept_pages import list_page_kept, render_kept


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else selectors.default_year()


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    home = list_policy.home_region_code(request.user)
    if not home:
        raise Http404("您没有可查看的区域。")
    if len(home) == 12:
        return redirect("annuallists:village", code=home)
    return redirect("annuallists:rollup", code=home)


@login_required
@require_GET
def rollup(request: HttpRequest, code: str) -> HttpResponse:
    region = list_policy.rollup_region(request.user, code)
    if region.level == Level.VILLAGE:
        return redirect("annuallists:village", code=region.code)

    def context() -> dict[str, Any]:
        year = _year(request)
        rows, total = selectors.rollup(request.user, region, year)
        return {"region": region, "rows": rows, "total": total, "drill": region.level < Level.TOWN, "year": year}

    # Kept whole under the region's change number and the day (the year shown by default is today's) (issue 15).
    kept = list_page_kept(request, "annuallists.rollup", region_code=region.code)
    return render_kept(request, kept, "annuallists/rollup.html", context)


@login_required
@require_GET
def rollup_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    region = list_policy.rollup_region(request.user, code, fallback=False)
    return downloads.rollup_response(request.user, region, _year(request))


def _village_context(request: HttpRequest, village: Region, **forms: Any) -> dict[str, Any]:
    visit_round = selectors.round_of(request.user, village)
    page = None
    if visit_round is not None:
        page = Paginator(selectors.round_visits(visit_round), 50).get_page(request.GET.get("page"))
    return {
        "village": village,
        "round": visit_round,
        "page": page,
        "lists": selectors.lists_of(request.user, village),
        "can_change": list_policy.can_in_region(request.user, "change", village.code),
        "round_form": forms.get("round_form") or RoundForm(),
        "visit_form": forms.get("visit_form") or VisitForm(),
        "draft_form": forms.get("draft_form") or DraftForm(initial={"year": selectors.default_year()}),
    }


def _village_page(request: HttpRequest, village: Region, status: int, **forms: Any) -> HttpResponse:
    """The page with a refused form: rendered for this response alone."""
    return render(request, "annuallists/village.html", _village_context(request, village, **forms), status=status)


@login_required
@require_GET
def village(request: HttpRequest, code: str) -> HttpResponse:
    place = list_policy.village_or_404(request.user, code)
    # Kept whole under the village's change number and the day (the draft form's year is today's) (issue 15).
    kept = list_page_kept(request, "annuallists.village", region_code=place.code)
    return render_kept(request, kept, "annuallists/village.html", lambda: _village_context(request, place))


@login_required
@require_POST
def round_new(request: HttpRequest, code: str) -> HttpResponse:
    place = list_policy.village_or_404(request.user, code)
    form = RoundForm(request.POST)
    if form_action(request, form, lambda d: round_open(actor=acting_user(request), village_code=place.code, **d)):
        messages.success(request, "新任期入户走访已开始。")
        return redirect("annuallists:village", code=place.code)
    return _village_page(request, place, status=400, round_form=form)


@login_required
@require_POST
def visit(request: HttpRequest, code: str) -> HttpResponse:
    place = list_policy.village_or_404(request.user, code)
    visit_round = selectors.round_of(request.user, place)
    if visit_round is None:
        raise Http404("本村(社区)尚未开始新任期入户走访。")
    form = VisitForm(request.POST)
    done = form_action(
        request, form, lambda d: round_visit_record(actor=acting_user(request), visit_round=visit_round, **d)
    )
    if done is not None:
        messages.success(request, f"已登记走访：{done.household}。")
        return redirect("annuallists:village", code=place.code)
    return _village_page(request, place, status=400, visit_form=form)


@login_required
@require_POST
def draft(request: HttpRequest, code: str) -> HttpResponse:
    place = list_policy.village_or_404(request.user, code)
    form = DraftForm(request.POST)
    made = form_action(request, form, lambda d: list_draft(actor=acting_user(request), village_code=place.code, **d))
    if made is not None:
        messages.success(request, f"已开始制定{made.year}年初心清单。")
        return redirect("annuallists:list", pk=made.pk)
    return _village_page(request, place, status=400, draft_form=form)


def _list(request: HttpRequest, pk: int) -> AnnualList:
    return list_policy.get_or_404(request.user, pk=pk)


def _visit_choices(annual_list: AnnualList) -> list[tuple[int, str]]:
    visits = RoundVisit.objects.filter(round__term_change=annual_list.term_change, region_id=annual_list.region_id)
    return [(v.pk, f"{v.household}：{v.opinion[:30]}") for v in visits.exclude(opinion="").order_by("household")]


def _meeting_choices(annual_list: AnnualList) -> list[tuple[int, str]]:
    from cunshe.partywork.models import MeetingKind, PartyMeeting

    meetings = PartyMeeting.objects.filter(region_id=annual_list.region_id, kind=MeetingKind.THEME_DAY)
    return [(m.pk, f"{m.held_at:%Y-%m-%d} {m.topic or m.place}") for m in meetings.order_by("-held_at")[:20]]


def _list_page(request: HttpRequest, annual_list: AnnualList, status: int = 200, **forms: Any) -> HttpResponse:
    version = {"version": annual_list.version}
    return render(
        request,
        "annuallists/list.html",
        {
            "list": annual_list,
            "village": Region.objects.get(code=annual_list.region_id),
            "items": selectors.items_of(annual_list),
            "goals": annual_list.goals.all(),
            "editable": annual_list.status in EDITABLE,
            "can_change": list_policy.can(request.user, "change", annual_list),
            "can_review": list_policy.can(request.user, "review", annual_list),
            "submitted": annual_list.status == Status.SUBMITTED,
            "approved": annual_list.status == Status.APPROVED,
            "item_form": forms.get("item_form") or ItemForm(initial=version, visits=_visit_choices(annual_list)),
            "goal_form": forms.get("goal_form") or GoalForm(initial=version),
            "version_form": VersionForm(initial=version),
            "review_form": forms.get("review_form") or ReviewForm(initial=version),
            "pledge_form": forms.get("pledge_form")
            or PledgeForm(initial=version, meetings=_meeting_choices(annual_list)),
        },
        status=status,
    )


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _list_page(request, _list(request, pk))


def _list_form(
    request: HttpRequest, annual_list: AnnualList, form: Any, service: Any, *, key: str, done: str
) -> HttpResponse:
    """A form on the list's page that calls a service of the list with its version (item, goal, commitment)."""

    def call(d: dict[str, Any]) -> Any:
        version = d.pop("version")
        return service(actor=acting_user(request), annual_list=annual_list, expected_version=version, **d)

    if form_action(request, form, call) is not None:
        messages.success(request, done)
        return redirect("annuallists:list", pk=annual_list.pk)
    return _list_page(request, annual_list, status=400, **{key: form})


@login_required
@require_POST
def item_new(request: HttpRequest, pk: int) -> HttpResponse:
    annual_list = _list(request, pk)
    form = ItemForm(request.POST, visits=_visit_choices(annual_list))
    return _list_form(request, annual_list, form, item_add, key="item_form", done="已添加清单事项。")


@login_required
@require_POST
def goal_new(request: HttpRequest, pk: int) -> HttpResponse:
    form = GoalForm(request.POST)
    return _list_form(request, _list(request, pk), form, goal_add, key="goal_form", done="已添加五年规划目标。")


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    annual_list = _list(request, pk)
    version = request.POST.get("version", "")
    button_action(
        request,
        lambda: list_submit(
            actor=acting_user(request),
            annual_list=annual_list,
            expected_version=int(version) if version.isdigit() else None,
        ),
        done="已报乡镇(街道)审核。",
    )
    return redirect("annuallists:list", pk=pk)


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    annual_list = _list(request, pk)
    form = ReviewForm(request.POST)
    form_message_action(
        request,
        form,
        lambda d: list_review(
            actor=acting_user(request),
            annual_list=annual_list,
            approve=d["approve"],
            reason=d["reason"],
            reviewed_on=d["reviewed_on"],
            expected_version=d["version"],
        ),
        done=lambda a: "审核通过。" if a.status == Status.APPROVED else "已退回修改。",
    )
    return redirect("annuallists:list", pk=pk)


@login_required
@require_POST
def pledge(request: HttpRequest, pk: int) -> HttpResponse:
    annual_list = _list(request, pk)
    form = PledgeForm(request.POST, request.FILES, meetings=_meeting_choices(annual_list))
    done = "已登记主题党日公开承诺，初心清单已公开。"
    return _list_form(request, annual_list, form, list_pledge, key="pledge_form", done=done)


@login_required
@require_GET
def list_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return downloads.list_response(_list(request, pk))


@login_required
@require_GET
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The theme day's photo or file, through the list's access rule (uploaded files are not served publicly)."""
    annual_list = _list(request, pk)
    if not annual_list.pledge_evidence:
        raise Http404("未找到该记录。")
    name = str(annual_list.pledge_evidence.name)
    return FileResponse(annual_list.pledge_evidence.open("rb"), filename=name.rsplit("/", 1)[-1])


@login_required
@require_POST
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    item = item_policy.get_or_404(request.user, pk=pk)
    form = ProgressForm(request.POST)
    form_message_action(
        request,
        form,
        lambda d: item_progress(
            actor=acting_user(request),
            item=item,
            written_on=d["written_on"],
            note=d["note"],
            status=d["status"],
            expected_version=d["version"],
        ),
        done="已登记事项进展。",
    )
    return redirect("annuallists:list", pk=item.annual_list_id)
