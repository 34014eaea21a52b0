"""Pages of the first-secretary module: the statistics of a county or town with its secretaries, one posting with
its work log and reports (submitted by the secretary, acknowledged or returned by the town)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.core.paging import page_of
from cunshe.firstsecretaries import exports, printouts, selectors
from cunshe.firstsecretaries.forms import (
    LogForm,
    PostingEndForm,
    PostingForm,
    PostingPersonForm,
    PostingUpdateForm,
    ReportForm,
    ReturnForm,
    VersionForm,
)
from cunshe.firstsecretaries.models import Kind, Posting, Report, Status
from cunshe.firstsecretaries.permissions import log_policy, posting_policy, report_policy, tally_policy
from cunshe.firstsecretaries.services import (
    FIGURES,
    log_add,
    posting_create,
    posting_end,
    posting_person_set,
    posting_update,
    report_acknowledge,
    report_return,
    report_submit,
)
from cunshe.firstsecretaries.statistics import statistics
from cunshe.regions.models import Region
from cunshe.web.forms import button_action, form_action, form_message_action
from cunshe.web.kept_pages import list_page_kept, render_kept


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return redirect("firstsecretaries:region", code=tally_policy.rollup_region(request.user, "").code)


def _region_context(request: HttpRequest, region: Region, form: PostingForm | None = None) -> dict[str, Any]:
    rows, total = selectors.rollup(request.user, region)
    can_post = posting_policy.anywhere(request.user, "change")
    postings = page_of(request, selectors.postings_visible(request.user, region.code), 50)  # it stopped at 300
    return {
        "region": region,
        "stats": statistics(),
        "rows": rows,
        "total": total,
        "postings": [(p, selectors.figures_of(p)) for p in postings],
        "postings_page": postings,
        "form": form or (PostingForm() if can_post else None),
    }


def _region_page(request: HttpRequest, code: str, form: PostingForm, status: int) -> HttpResponse:
    """The page with a refused form: rendered for this response alone."""
    region = tally_policy.rollup_region(request.user, code, fallback=False)
    return render(request, "firstsecretaries/region.html", _region_context(request, region, form), status=status)


@login_required
@require_GET
def region(request: HttpRequest, code: str) -> HttpResponse:
    found = tally_policy.rollup_region(request.user, code, fallback=False)
    # Kept whole under the region's change number and the day (terms and reports by the day) (issue 15). The
    # figures move with the services (each records) and the daily refresh, which records nothing: a page built
    # after midnight before the job ran shows yesterday's figures for up to KEPT_DAY_SECONDS.
    kept = list_page_kept(request, "firstsecretaries.region", region_code=found.code)
    return render_kept(request, kept, "firstsecretaries/region.html", lambda: _region_context(request, found))


@login_required
@require_GET
def statistics_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    return exports.statistics_response(request.user, tally_policy.rollup_region(request.user, code, fallback=False))


@login_required
@require_POST
def posting_new(request: HttpRequest) -> HttpResponse:
    form = PostingForm(request.POST)
    posting = form_action(
        request,
        form,
        lambda d: posting_create(
            actor=acting_user(request),
            village_code=d["village"],
            name=d["name"],
            sending_unit=d["sending_unit"],
            started_on=d["started_on"],
            ends_on=d["ends_on"],
            team_members=d["team_members"],
            person=selectors.person_chosen(request.user, d["person"]),
        ),
    )
    if posting is not None:
        messages.success(request, f"已登记派驻：{posting.name}。")
        return redirect("firstsecretaries:posting", pk=posting.pk)
    code = tally_policy.rollup_region(request.user, "").code
    return _region_page(request, code, form, status=400)


def _posting(request: HttpRequest, pk: int) -> Posting:
    return posting_policy.get_or_404(request.user, queryset=Posting.objects.select_related("village"), pk=pk)


@login_required
@require_GET
def posting(request: HttpRequest, pk: int) -> HttpResponse:
    p = _posting(request, pk)
    p = selectors.postings_visible(request.user).get(pk=p.pk)
    today = timezone.localdate()
    reports = list(selectors.reports_of(request.user, p))
    return render(
        request,
        "firstsecretaries/posting.html",
        {
            "posting": p,
            "figures": selectors.figures_of(p),
            "log": page_of(request, selectors.log_of(request.user, p), 50),  # it stopped at 200
            "reports": reports,
            "today": today,
            "Status": Status,
            "month": Kind.MONTH,
            "figure_names": FIGURES,
            "can_post": posting_policy.can(request.user, "change", p),
            "can_write": log_policy.can_in_region(request.user, "change", p.village_id),
            "can_ack": report_policy.can_in_region(request.user, "acknowledge", p.village_id),
            "person_form": PostingPersonForm(initial={"person": p.person_id, "version": p.version}),
            "update_form": PostingUpdateForm(initial={"team_members": p.team_members, "ends_on": p.ends_on}),
            "log_form": LogForm(initial={"written_on": today}),
        },
    )


@login_required
@require_POST
def posting_change(request: HttpRequest, pk: int) -> HttpResponse:
    p = _posting(request, pk)
    form = PostingUpdateForm(request.POST)
    form_message_action(
        request,
        form,
        lambda d: posting_update(
            actor=acting_user(request),
            posting=p,
            team_members=d["team_members"],
            ends_on=d["ends_on"],
            expected_version=d["version"],
        ),
        done="已保存工作队和任期。",
    )
    return redirect("firstsecretaries:posting", pk=pk)


@login_required
@require_POST
def posting_person(request: HttpRequest, pk: int) -> HttpResponse:
    p = _posting(request, pk)
    form_message_action(
        request,
        PostingPersonForm(request.POST),
        lambda d: posting_person_set(
            actor=acting_user(request),
            posting=p,
            person=selectors.person_chosen(request.user, d["person"]),
            expected_version=d["version"],
        ),
        done=lambda done: f"已关联人员登记：{done.person.name}。" if done.person else "已取消关联人员登记。",
    )
    return redirect("firstsecretaries:posting", pk=pk)


@login_required
@require_POST
def posting_leave(request: HttpRequest, pk: int) -> HttpResponse:
    p = _posting(request, pk)
    form = PostingEndForm(request.POST)
    form_message_action(
        request,
        form,
        lambda d: posting_end(
            actor=acting_user(request), posting=p, ended_on=d["ended_on"], expected_version=d["version"]
        ),
        done="已登记离任。",
    )
    return redirect("firstsecretaries:posting", pk=pk)


@login_required
@require_POST
def log_new(request: HttpRequest, pk: int) -> HttpResponse:
    p = _posting(request, pk)
    form = LogForm(request.POST)
    form_message_action(
        request,
        form,
        lambda d: log_add(actor=acting_user(request), posting=p, written_on=d["written_on"], content=d["content"]),
        done="已记入驻村日志。",
    )
    return redirect("firstsecretaries:posting", pk=pk)


def _report(request: HttpRequest, pk: int) -> Report:
    return report_policy.get_or_404(request.user, queryset=Report.objects.select_related("posting"), pk=pk)


@login_required
@require_GET
def report_print(request: HttpRequest, pk: int) -> HttpResponse:
    return printouts.report_response(
        report_policy.get_or_404(request.user, queryset=Report.objects.select_related("posting__village"), pk=pk)
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    r = _report(request, pk)
    form = ReportForm(request.POST)
    form_message_action(
        request,
        form,
        lambda d: report_submit(
            actor=acting_user(request),
            report=r,
            text=d["text"],
            figures={k: d.get(k) for k in FIGURES},
            expected_version=d["version"],
        ),
        done=f"已报送{r.get_kind_display()}。",
    )
    return redirect("firstsecretaries:posting", pk=r.posting_id)


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    r = _report(request, pk)
    form = VersionForm(request.POST)
    if form.is_valid():
        button_action(
            request,
            lambda: report_acknowledge(
                actor=acting_user(request), report=r, expected_version=form.cleaned_data["version"]
            ),
            done=f"已签收{r.get_kind_display()}。",
        )
    else:
        messages.error(request, "缺少版本号，请刷新后重试。")
    return redirect("firstsecretaries:posting", pk=r.posting_id)


@login_required
@require_POST
def send_back(request: HttpRequest, pk: int) -> HttpResponse:
    r = _report(request, pk)
    form = ReturnForm(request.POST)
    form_message_action(
        request,
        form,
        lambda d: report_return(
            actor=acting_user(request), report=r, reason=d["reason"], expected_version=d["version"]
        ),
        done=f"已退回{r.get_kind_display()}。",
    )
    return redirect("firstsecretaries:posting", pk=r.posting_id)
