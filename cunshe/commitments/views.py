from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.access.policy import scope_root
from cunshe.accounts.selectors import acting_user
from cunshe.commitments import downloads, selectors
from cunshe.commitments.forms import (
    CaseSendForm,
    CommitmentForm,
    FindingForm,
    FollowUpForm,
    InspectionForm,
    LedgerImportForm,
    LetterSignForm,
    MoveForm,
    ProgressForm,
    RectifyForm,
    RulesForm,
    SelfCheckForm,
    ShowcaseForm,
    TownVisitForm,
)
from cunshe.commitments.models import TRANSITIONS, Commitment, Kind, ProgressUpdate, Status, TownVisit
from cunshe.commitments.permissions import (
    commitment_policy,
    finding_policy,
    inspection_policy,
    letter_policy,
    progress_policy,
    rules_county_or_404,
    rules_policy,
    sending_policy,
    summary_policy,
    three_level_region_or_404,
    town_visit_policy,
)
from cunshe.commitments.printouts import qr_svg, three_level_response
from cunshe.commitments.responsibility import (
    case_send,
    self_check_add,
    three_level_table,
    town_visit_add,
    town_visit_follow_up,
)
from cunshe.commitments.services import (
    commitment_create,
    commitment_link_visits,
    commitment_move,
    commitment_showcase,
    commitment_update,
    county_rules_set,
    finding_add,
    finding_rectify,
    inspection_draw,
    ledger_import,
    progress_add,
    rules_of,
    target_letter_sign,
)
from cunshe.core.errors import NotPermitted
from cunshe.core.months import month_or, month_start
from cunshe.offline.queued import is_queued, queued_answer
from cunshe.records.kept import Kept
from cunshe.regions.models import Level, Region
from cunshe.visits.models import Visit
from cunshe.web.forms import button_action, form_action, form_message_action, upload_report
from cunshe.web.htmx import HtmxRequest
from cunshe.web.kept_pages import render_kept
from cunshe.web.links import row_link


def _village(request: HttpRequest, code: str) -> Region:
    return commitment_policy.village_or_404(request.user, code, "view")


def _home_region(request: HttpRequest) -> str:
    return commitment_policy.home_region_code(request.user)


@login_required
@require_GET
def ledger(request: HtmxRequest) -> HttpResponse:
    def rows() -> Any:
        commitments = selectors.commitments_visible(
            request.user,
            under=request.GET.get("under", ""),
            kind=request.GET.get("kind", ""),
            status=request.GET.get("status", ""),
            query=request.GET.get("q", "").strip(),
        )
        page = Paginator(commitments, 50).get_page(request.GET.get("page"))
        # Each row's badge looked up once here: the template's loop over every status for every row, each asking
        # the row's status as of today, was the largest part of rendering the ledger.
        # The row links too (web.links.row_link: one reverse() per page, not two per row).
        village_link, detail_link = row_link("commitments:village"), row_link("commitments:detail")
        for c in page:
            c.badge = selectors.STATUS_BADGE.get(Status(c.current_status), "")  # type: ignore[attr-defined]
            c.village_url = village_link(c.region_id)  # type: ignore[attr-defined]
            c.detail_url = detail_link(c.pk)  # type: ignore[attr-defined]
        return page

    # The filters and the rows kept rendered under the reader, the query string and the change number of the
    # reader's regions (records.kept, issue 15): a repeat view neither reads nor renders the rows.
    kept = Kept(
        f"commitments.ledger:{request.GET.urlencode()}",
        request.user,
        rows,
        region_code=scope_root(request.user),
        value_kept=False,
    )
    context = {
        "kept": kept,
        "page": kept.lazy(),
        "kinds": Kind.choices,
        "statuses": Status.choices,
        "filters": request.GET,
        "home": _home_region(request),
        "can_import": commitment_policy.anywhere(request.user, "change"),
    }
    if request.htmx:
        return render_kept(request, kept, "commitments/ledger.html#rows", context)
    return render_kept(request, kept, "commitments/ledger.html", context)


@login_required
@require_GET
def ledger_download(request: HttpRequest) -> HttpResponse:
    return downloads.ledger_response(request.user, under=request.GET.get("under", ""), kind=request.GET.get("kind", ""))


@login_required
@require_http_methods(["GET", "POST"])
def ledger_upload(request: HttpRequest) -> HttpResponse:
    if not commitment_policy.anywhere(request.user, "change"):
        raise NotPermitted("您无权导入台账。")
    form = LedgerImportForm(request.POST or None, request.FILES or None)
    report = upload_report(
        request,
        form,
        lambda data: ledger_import(
            actor=acting_user(request), stream=data["file"], import_good_rows=data["import_good_rows"]
        ),
    )
    return render(request, "commitments/import.html", {"form": form, "report": report})


OUTSIDE_PER_PAGE = 50


@login_required
@require_GET
def rollup(request: HttpRequest, code: str) -> HttpResponse:
    region = summary_policy.rollup_region(request.user, code, fallback=False)
    kind = request.GET.get("kind", Kind.FIRST)
    if kind not in Kind.values:
        kind = Kind.FIRST
    # The page is kept whole under the value's key (records.kept, issue 15): nothing below is read unless the kept
    # fragments have to be rendered again.
    kept = selectors.rollup_page_kept(request.user, region, kind=kind, year=request.GET.get("year"))

    def lines() -> list[dict[str, Any]]:
        # Each row's cells in the order of the columns, prepared here: looking each category up with nested
        # template loops cost rows × categories² tag evaluations, the largest part of the page's rendering. The
        # row's link too: one reverse() per page instead of one per village (web.links.row_link).
        table = kept.value.table
        peak = max((row.counts.get("total", 0) for row in table.rows), default=0) or 1
        row_url = row_link("commitments:rollup" if table.drill else "commitments:village")
        return [
            {
                "row": row,
                "url": row_url(row.code),
                "cells": [row.by_category.get(cat, "") for cat in table.categories],
                "width": round(row.counts.get("total", 0) * 100 / peak),
            }
            for row in table.rows
        ]

    def by_category() -> list[tuple[str, int, int]]:
        total = kept.value.table.total
        category_peak = max(total.by_category.values(), default=0) or 1
        return [
            (cat, total.by_category[cat], round(total.by_category[cat] * 100 / category_peak))
            for cat in kept.value.table.categories
            if cat in total.by_category
        ]

    # A county has hundreds of villages: the ones outside the range are a list a page at a time, not a wall of links.
    outside_page = SimpleLazyObject(
        lambda: Paginator(kept.value.outside, OUTSIDE_PER_PAGE).get_page(request.GET.get("opage"))
    )

    def outside_links() -> list[tuple[selectors.VillageCount, str]]:
        village_link = row_link("commitments:village")
        return [(v, village_link(v.code)) for v in outside_page]

    return render_kept(
        request,
        kept,
        "commitments/rollup.html",
        {
            "region": region,
            "page": kept.lazy(),
            "kinds": Kind.choices,
            "kind": kind,
            "kind_label": Kind(kind).label,
            "outside_page": outside_page,
            "outside_links": SimpleLazyObject(outside_links),
            "kept": kept,
            "lines": SimpleLazyObject(lines),
            "by_category": SimpleLazyObject(by_category),
            "ancestors": SimpleLazyObject(
                lambda: [
                    a
                    for a in Region.objects.filter(code__in=region.ancestor_codes()).order_by("code")
                    if summary_policy.can_in_region(request.user, "view", a.code)
                ]
            ),
        },
    )


@login_required
@require_GET
def cases(request: HttpRequest) -> HttpResponse:
    found = selectors.cases_visible(request.user, under=request.GET.get("under", ""))
    return render(request, "commitments/cases.html", {"page": Paginator(found, 50).get_page(request.GET.get("page"))})


@login_required
@require_GET
def cases_download(request: HttpRequest) -> HttpResponse:
    return downloads.cases_response(request.user, under=request.GET.get("under", ""))


def _village_page(
    request: HttpRequest, village: Region, form: CommitmentForm | None = None, status: int = 200
) -> HttpResponse:
    can_change = commitment_policy.can_in_region(request.user, "change", village.code)
    rules = rules_of(village.code)
    if can_change and form is None:
        form = CommitmentForm(
            categories=rules.categories, initial={"year": timezone.localdate().year, "responsible_post": "村党组织书记"}
        )
    commitments = list(selectors.commitments_visible(request.user, under=village.code).filter(region=village))
    first = [c for c in commitments if c.kind == Kind.FIRST and c.status != Status.DROPPED]
    years = sorted({c.year for c in commitments}, reverse=True)
    letters = {letter.year: letter for letter in letter_policy.visible_to(request.user).filter(region=village)}
    return render(
        request,
        "commitments/village.html",
        {
            "village": village,
            "groups": [(label, [c for c in commitments if c.kind == value]) for value, label in Kind.choices],
            "first_count": len(first),
            "rules": rules,
            "outside": not rules.min_per_village <= len(first) <= rules.max_per_village,
            "can_change": can_change,
            "can_sign": letter_policy.can_in_region(request.user, "change", village.code),
            "town_visible": summary_policy.can_in_region(request.user, "view", village.parent_id or ""),
            "form": form,
            "years": years,
            "letters": letters,
            "sign_form": LetterSignForm(initial={"signed_on": timezone.localdate()}),
            "badges": selectors.STATUS_BADGE,
        },
        status=status,
    )


@login_required
@require_GET
def village(request: HttpRequest, code: str) -> HttpResponse:
    return _village_page(request, _village(request, code))


@login_required
@require_POST
def commitment_new(request: HttpRequest, code: str) -> HttpResponse:
    village = _village(request, code)
    commitment_policy.check_in_region(request.user, "change", code, message="您无权登记该村(社区)的事项。")
    form = CommitmentForm(request.POST, categories=rules_of(code).categories)
    commitment = form_action(
        request,
        form,
        lambda data: commitment_create(actor=acting_user(request), village_code=code, **form.service_fields()),
    )
    if commitment is not None:
        messages.success(request, f"已登记：{commitment.title}（{commitment.ledger_no}）。")
        return redirect("commitments:village", code=code)
    return _village_page(request, village, form)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = commitment_policy.get_or_404(
        request.user, queryset=selectors.commitment_detail_queryset(request.user), pk=pk
    )
    return _detail_page(request, commitment)


def _detail_page(request: HttpRequest, commitment: Commitment, **forms: Any) -> HttpResponse:
    can_change = commitment_policy.can(request.user, "change", commitment)
    linked_visits = list(commitment.source_visits.select_related("target__person"))
    return render(
        request,
        "commitments/detail.html",
        {
            "c": commitment,
            "can_change": can_change and commitment.is_open,
            "can_showcase": commitment_policy.can(request.user, "showcase", commitment)
            and commitment.status == Status.DONE,
            "moves": [(s, Status(s).label) for s in TRANSITIONS[commitment.status] if s != Status.OVERDUE],
            "progress_form": forms.get("progress_form")
            or ProgressForm(initial={"written_on": timezone.localdate(), "version": commitment.version}),
            "move_form": forms.get("move_form") or MoveForm(initial={"version": commitment.version}),
            "showcase_form": forms.get("showcase_form")
            or ShowcaseForm(initial={"version": commitment.version, "writeup": commitment.showcase_writeup}),
            "badges": selectors.STATUS_BADGE,
            "linked_visits": linked_visits,
            "self_checks": list(commitment.self_checks.all()),
            "self_check_form": SelfCheckForm(),
            "sendings": list(commitment.sendings.all()),
            "can_send": commitment.is_showcase
            and sending_policy.can_in_region(request.user, "change", commitment.region_id),
            "send_form": CaseSendForm(),
            "village_opinions": _village_opinions(commitment, linked_visits) if can_change else [],
        },
    )


# How many of a village's newest visit opinions the link form offers beside the ones already linked (a picker).
OPINION_CHOICES = 200


def _village_opinions(commitment: Commitment, linked: list[Visit]) -> list[Visit]:
    """The visits to the commitment's village that recorded an opinion, newest first (the link form's choices): the
    newest OPINION_CHOICES and every visit already linked. The form sets the links to what is selected, so a linked
    visit past the newest was no option and saving the form unlinked it without a word."""
    with_opinion = ~Q(opinion_team="") | ~Q(opinion_election="")
    visits = Visit.objects.filter(with_opinion, region_id=commitment.region_id).select_related("target__person")
    newest = list(visits.order_by("-visited_on", "-pk")[:OPINION_CHOICES])
    shown = {v.pk for v in newest}
    older = [v for v in linked if v.pk not in shown]
    return newest + sorted(older, key=lambda v: (v.visited_on, v.pk), reverse=True)


@login_required
@require_POST
def link_visits(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = commitment_policy.get_or_404(request.user, pk=pk)
    ids = [int(v) for v in request.POST.getlist("visit") if v.isdigit()]
    visits = list(Visit.objects.filter(pk__in=ids))
    button_action(
        request,
        lambda: commitment_link_visits(actor=acting_user(request), commitment=commitment, visits=visits),
        done=f"已关联走访意见 {len(visits)} 条。",
    )
    return redirect("commitments:detail", pk=commitment.pk)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = commitment_policy.get_or_404(request.user, pk=pk)
    commitment_policy.check(request.user, "change", commitment, message="您无权修改该事项。")
    initial = {name: getattr(commitment, name) for name in CommitmentForm.base_fields if name != "version"}
    form = CommitmentForm(
        request.POST or None,
        categories=rules_of(commitment.region_id).categories,
        initial={**initial, "version": commitment.version},
    )
    saved = form_action(
        request,
        form,
        lambda data: commitment_update(
            actor=acting_user(request),
            commitment=commitment,
            expected_version=data["version"],
            **form.service_fields(),
        ),
    )
    if saved is not None:
        messages.success(request, "已保存修改。")
        return redirect("commitments:detail", pk=commitment.pk)
    return render(request, "commitments/edit.html", {"form": form, "c": commitment})


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = commitment_policy.get_or_404(request.user, pk=pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        button_action(
            request,
            lambda: commitment_move(
                actor=acting_user(request),
                commitment=commitment,
                to_status=data["to_status"],
                expected_version=data["version"],
                reason=data["reason"],
                completed_on=data["completed_on"],
                evidence=data["evidence"],
            ),
            done=f"已变更为“{commitment.get_status_display()}”。",
        )
    else:
        messages.error(request, "请选择要变更的状态。")
    return redirect("commitments:detail", pk=commitment.pk)


@login_required
@require_POST
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = commitment_policy.get_or_404(request.user, pk=pk)
    form = ProgressForm(request.POST, request.FILES)

    def save(data: dict[str, Any]) -> ProgressUpdate:
        return progress_add(
            actor=acting_user(request),
            commitment=commitment,
            written_on=data["written_on"],
            note=data["note"],
            photo=data["photo"],
            expected_version=data["version"],
        )

    if is_queued(request):  # an entry from the phone's queue (cunshe/offline)
        back = reverse("commitments:detail", args=[commitment.pk])
        return queued_answer(
            request,
            form,
            save,
            kind="commitments.progress",
            done=lambda _u: f"已登记事项 {commitment.ledger_no} 的进展。",
            url=lambda _u: back,
            current=lambda: _as_it_now_is(commitment.pk),
        )
    if form.is_valid():
        button_action(request, lambda: save(form.cleaned_data), done="已登记进展。")
    else:
        messages.error(request, "请填写日期和进展。")
    return redirect("commitments:detail", pk=commitment.pk)


def _as_it_now_is(pk: int) -> dict[str, Any]:
    """The commitment as it stands on the server, shown beside a progress entry in conflict (and the version to send
    against once the person has looked)."""
    c = Commitment.objects.get(pk=pk)
    latest = c.updates.order_by("-written_on", "-id").first()
    return {
        "事项": f"{c.ledger_no} {c.title}",
        "状态": c.current_status_display,
        "完成时限": f"{c.deadline:%Y-%m-%d}",
        "责任人": c.responsible_post,
        "最近进展": f"{latest.written_on:%Y-%m-%d} {latest.note}" if latest else "暂无",
        "version": c.version,
    }


@login_required
@require_GET
def photo(request: HttpRequest, pk: int) -> FileResponse:
    # Photos are not public: they may show villagers' faces and homes.
    return downloads.photo_response(progress_policy.get_or_404(request.user, pk=pk))


@login_required
@require_POST
def showcase(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = commitment_policy.get_or_404(request.user, pk=pk)
    form = ShowcaseForm(request.POST)
    if form.is_valid():
        button_action(
            request,
            lambda: commitment_showcase(
                actor=acting_user(request),
                commitment=commitment,
                writeup=form.cleaned_data["writeup"],
                expected_version=form.cleaned_data["version"],
            ),
            done="已列为典型案例。" if commitment.is_showcase else "已取消典型案例。",
        )
    return redirect("commitments:detail", pk=commitment.pk)


@login_required
@require_GET
def letter(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return downloads.letter_response(request.user, _village(request, code), year)


@login_required
@require_POST
def letter_sign(request: HttpRequest, code: str, year: int) -> HttpResponse:
    _village(request, code)
    form = LetterSignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写签订日期和双方签字岗位。")
        return redirect("commitments:village", code=code)
    button_action(
        request,
        lambda: target_letter_sign(actor=acting_user(request), village_code=code, year=year, **form.cleaned_data),
        done=f"已登记 {year} 年目标承诺书签订。",
    )
    return redirect("commitments:village", code=code)


@login_required
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest, code: str) -> HttpResponse:
    county = rules_county_or_404(request.user, code)
    current = rules_of(code)
    can_change = rules_policy.can_in_region(request.user, "change", code)
    form = RulesForm(
        request.POST or None,
        initial={
            "min_per_village": current.min_per_village,
            "max_per_village": current.max_per_village,
            "categories": "\n".join(current.categories),
            "version": current.version,
        },
    )
    if request.method == "POST":
        if not can_change:
            raise NotPermitted("您无权修改设置。")
        saved = form_action(
            request,
            form,
            lambda data: county_rules_set(
                actor=acting_user(request),
                county_code=code,
                min_per_village=data["min_per_village"],
                max_per_village=data["max_per_village"],
                categories=data["categories"].splitlines(),
                expected_version=data["version"],
            ),
        )
        if saved is not None:
            messages.success(request, "已保存设置。")
            return redirect("commitments:rules", code=code)
    return render(request, "commitments/rules.html", {"county": county, "form": form, "can_change": can_change})


def _counties_user_may_inspect(request: HttpRequest) -> list[Region]:
    codes = [code for code in inspection_policy.regions_for(request.user, "change") if len(code) == 6]
    return list(Region.objects.filter(level=Level.COUNTY, code__in=codes))


@login_required
@require_GET
def inspections(request: HttpRequest) -> HttpResponse:
    counties = _counties_user_may_inspect(request)
    return render(
        request,
        "commitments/inspections.html",
        {
            "inspections": selectors.inspections_visible(request.user),
            "counties": counties,
            "form": InspectionForm(initial={"drawn_on": timezone.localdate(), "mode": "share", "amount": 10}),
        },
    )


@login_required
@require_POST
def inspection_new(request: HttpRequest) -> HttpResponse:
    counties = _counties_user_may_inspect(request)
    county = request.POST.get("county", "")
    form = InspectionForm(request.POST)
    inspection = (
        form_action(request, form, lambda data: inspection_draw(actor=acting_user(request), county_code=county, **data))
        if counties
        else None
    )
    if inspection is not None:
        messages.success(request, f"已抽取 {inspection.villages.count()} 个村(社区)。")
        return redirect("commitments:inspection", pk=inspection.pk)
    return render(
        request,
        "commitments/inspections.html",
        {"inspections": selectors.inspections_visible(request.user), "counties": counties, "form": form},
    )


@login_required
@require_GET
def inspection(request: HttpRequest, pk: int) -> HttpResponse:
    found = inspection_policy.get_or_404(request.user, queryset=selectors.inspections_visible(request.user), pk=pk)
    villages = selectors.inspection_villages(request.user, found)
    for v in villages:
        v.can_add = finding_policy.can_in_region(request.user, "change", v.region_id)  # type: ignore[attr-defined]
        v.visible = finding_policy.can_in_region(request.user, "view", v.region_id)  # type: ignore[attr-defined]
    return render(
        request,
        "commitments/inspection.html",
        {
            "inspection": found,
            "villages": villages,
            "report": selectors.inspection_report(villages, timezone.localdate()),
            "finding_form": FindingForm(initial={"found_on": timezone.localdate()}),
            "rectify_form": RectifyForm(initial={"rectified_on": timezone.localdate()}),
        },
    )


@login_required
@require_POST
def finding_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = inspection_policy.get_or_404(
        request.user, queryset=selectors.inspections_visible(request.user), villages__pk=pk
    )
    inspected = found.villages.get(pk=pk)
    if not finding_policy.can_in_region(request.user, "view", inspected.region_id):
        raise Http404("未找到该村(社区)。")
    form = FindingForm(request.POST)
    if form.is_valid():
        button_action(
            request,
            lambda: finding_add(actor=acting_user(request), inspected=inspected, **form.cleaned_data),
            done="已登记问题。",
        )
    else:
        messages.error(request, "请填写问题、发现日期和整改时限。")
    return redirect("commitments:inspection", pk=found.pk)


@login_required
@require_POST
def rectify(request: HttpRequest, pk: int) -> HttpResponse:
    finding = finding_policy.get_or_404(request.user, pk=pk)
    form = RectifyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        button_action(
            request,
            lambda: finding_rectify(
                actor=acting_user(request),
                finding=finding,
                rectified_on=data["rectified_on"],
                evidence=data["evidence"],
                expected_version=data["version"],
            ),
            done="已登记整改完成。",
        )
    else:
        messages.error(request, "请填写整改完成日期和整改佐证。")
    return redirect("commitments:inspection", pk=finding.inspected.inspection_id)


# --- the public pages (no login) -------------------------------------------------------------------------


def _public_village(code: str) -> Region:
    return get_object_or_404(Region, code=code, level=Level.VILLAGE)


@require_GET
def public_village(request: HttpRequest, code: str) -> HttpResponse:
    # Shows what the village promised and how far it got; the responsible post, never a name or a photo.
    village = _public_village(code)
    commitments = list(selectors.public_commitments(code))
    return render(
        request,
        "commitments/public_village.html",
        {
            "village": village,
            "groups": [(label, [c for c in commitments if c.kind == value]) for value, label in Kind.choices],
            "badges": selectors.STATUS_BADGE,
        },
    )


@require_GET
def public_poster(request: HttpRequest, code: str) -> HttpResponse:
    village = _public_village(code)
    url = request.build_absolute_uri(reverse("commitments_public:village", kwargs={"code": code}))
    commitments = list(selectors.public_commitments(code).filter(kind=Kind.FIRST).exclude(status=Status.DROPPED))
    return render(
        request,
        "commitments/poster.html",
        {"village": village, "url": url, "qr": qr_svg(url), "commitments": commitments},
    )


# --- three-level responsibility (三级责任体系) --------------------------------------------------------------


def _month(request: HttpRequest) -> date:
    """The month asked for as ?month=YYYY-MM; this month when absent or unreadable."""
    return month_or(request.GET.get("month", ""), month_start(timezone.localdate()))


@login_required
@require_GET
def three_level(request: HttpRequest, code: str) -> HttpResponse:
    table = three_level_table(three_level_region_or_404(request.user, code), _month(request))
    try:  # the crumb up to the county only for those who may open the county's table (not a town's officer)
        county_visible = len(code) == 9 and bool(three_level_region_or_404(request.user, code[:6]))
    except Http404:
        county_visible = False
    return render(
        request,
        "commitments/three_level.html",
        {"table": table, "per_village": len(code) == 9, "county_visible": county_visible},
    )


@login_required
@require_GET
def three_level_pdf(request: HttpRequest, code: str) -> HttpResponse:
    return three_level_response(three_level_region_or_404(request.user, code), _month(request))


@login_required
@require_GET
def three_level_download(request: HttpRequest, code: str) -> HttpResponse:
    return downloads.three_level_response(three_level_region_or_404(request.user, code), _month(request))


@login_required
@require_POST
def self_check(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = commitment_policy.get_or_404(request.user, pk=pk)
    form_message_action(
        request,
        SelfCheckForm(request.POST),
        lambda data: self_check_add(actor=acting_user(request), commitment=commitment, **data),
        done=lambda check: f"已登记 {check.month:%Y 年 %m 月}自查。",
    )
    return redirect("commitments:detail", pk=commitment.pk)


@login_required
@require_POST
def case_send_view(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = commitment_policy.get_or_404(request.user, pk=pk)
    form_message_action(
        request,
        CaseSendForm(request.POST),
        lambda data: case_send(actor=acting_user(request), commitment=commitment, **data),
        done=lambda sending: f"已登记报送：{sending.outlet}（{sending.sent_on:%Y-%m-%d}）。",
    )
    return redirect("commitments:detail", pk=commitment.pk)


def _towns_user_may_visit(request: HttpRequest) -> list[tuple[str, str]]:
    prefixes = town_visit_policy.regions_for(request.user, "change")
    if not prefixes:
        return []
    under = Q()
    for prefix in prefixes:
        under |= Q(code__startswith=prefix)
    return list(Region.objects.filter(under, level=Level.TOWN).order_by("code").values_list("code", "name"))


def _town_visits_page(request: HttpRequest, form: TownVisitForm | None, towns: list[tuple[str, str]]) -> HttpResponse:
    visits = town_visit_policy.visible_to(request.user).select_related("town").order_by("-visited_on", "-id")
    return render(
        request,
        "commitments/town_visits.html",
        {"page": Paginator(visits, 50).get_page(request.GET.get("page")), "form": form, "towns": towns},
    )


@login_required
@require_GET
def town_visits(request: HttpRequest) -> HttpResponse:
    towns = _towns_user_may_visit(request)
    return _town_visits_page(request, TownVisitForm(towns=towns) if towns else None, towns)


@login_required
@require_POST
def town_visit_new(request: HttpRequest) -> HttpResponse:
    towns = _towns_user_may_visit(request)
    if not towns:
        raise NotPermitted("您的角色无权登记督导。")
    form = TownVisitForm(request.POST, towns=towns)
    visit = form_action(
        request, form, lambda _data: town_visit_add(actor=acting_user(request), **form.service_fields())
    )
    if visit is not None:
        messages.success(request, f"已登记 {visit.visited_on:%Y-%m-%d} 的督导。")
        return redirect("commitments:town_visit", pk=visit.pk)
    return _town_visits_page(request, form, towns)


@login_required
@require_GET
def town_visit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = town_visit_policy.get_or_404(request.user, queryset=TownVisit.objects.select_related("town"), pk=pk)
    names = dict(Region.objects.filter(code__in=visit.villages).values_list("code", "name"))
    return render(
        request,
        "commitments/town_visit.html",
        {
            "visit": visit,
            "villages": [(code, names.get(code, code)) for code in visit.villages],
            "can_change": town_visit_policy.can(request.user, "change", visit),
            "form": FollowUpForm(initial={"version": visit.version}),
        },
    )


@login_required
@require_POST
def town_visit_follow_up_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = town_visit_policy.get_or_404(request.user, pk=pk)
    form_message_action(
        request,
        FollowUpForm(request.POST),
        lambda data: town_visit_follow_up(
            actor=acting_user(request),
            visit=visit,
            follow_up=data["follow_up"],
            followed_up_on=data["followed_up_on"],
            expected_version=data["version"],
        ),
        done="已登记跟进。",
    )
    return redirect("commitments:town_visit", pk=visit.pk)
