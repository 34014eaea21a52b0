"""Pages of centralized education: the campaigns, a campaign's roll-up per town or village (with the Excel ledger)
and a village's tasks, marked done with what was done."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cunshe.access.policy import region_prefixes
from cunshe.accounts.selectors import acting_user
from cunshe.core.paging import page_of
from cunshe.education import printouts, selectors
from cunshe.education.exports import ledger_response
from cunshe.education.forms import CampaignForm, DoneForm
from cunshe.education.models import Campaign, VillageTask
from cunshe.education.permissions import campaign_policy, task_policy
from cunshe.education.services import campaign_create, task_complete
from cunshe.regions.models import Level, Region
from cunshe.web.forms import form_action, form_errors_text
from cunshe.web.kept_pages import list_page_kept, render_kept


def manage_regions(user: Any) -> list[tuple[str, str]]:
    codes = region_prefixes(user, "education.manage")
    return [
        (r.code, r.name)
        for r in Region.objects.filter(code__in=codes, level__in=(Level.COUNTY, Level.TOWN)).order_by("code")
    ]


def _list_context(request: HttpRequest, form: CampaignForm | None = None) -> dict[str, Any]:
    regions = manage_regions(request.user)
    return {
        "campaigns": page_of(request, selectors.campaigns_visible(request.user), 50),  # it stopped at 100
        "form": form or (CampaignForm(regions=regions) if regions else None),
    }


def _list_page(request: HttpRequest, form: CampaignForm, status: int) -> HttpResponse:
    """The list with a refused form: rendered for this response alone."""
    return render(request, "education/list.html", _list_context(request, form), status=status)


@login_required
@require_GET
def campaigns(request: HttpRequest) -> HttpResponse:
    # Kept whole under the reader, the query string, the change number of the reader's regions and the day (the
    # campaigns show dates only): read and rendered again only when something changed (issue 15).
    kept = list_page_kept(request, "education.list")
    return render_kept(request, kept, "education/list.html", lambda: _list_context(request))


@login_required
@require_POST
def campaign_new(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST, regions=manage_regions(request.user))
    campaign = form_action(
        request,
        form,
        lambda d: campaign_create(
            actor=acting_user(request),
            region_code=d["region"],
            title=d["title"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            kinds=d["kinds"],
        ),
    )
    if campaign is not None:
        messages.success(request, f"已创建集中教育：{campaign.title}。")
        return redirect("education:campaign", pk=campaign.pk, code=campaign.region_id)
    return _list_page(request, form, status=400)


def campaign_and_region(user: Any, pk: int, code: str, *, fallback: bool = True) -> tuple[Campaign, Region]:
    """The campaign and the region under it whose roll-up (or village page) is asked for; a page falls back to the
    user's own region (a village cadre opening the campaign lands on their village)."""
    campaign = campaign_policy.get_or_404(user, pk=pk)
    asked = code if code.startswith(campaign.region_id) else campaign.region_id
    region = task_policy.rollup_region(user, asked, fallback=fallback)
    if not region.code.startswith(campaign.region_id):
        raise Http404("未找到该区域。")
    return campaign, region


@login_required
@require_GET
def campaign(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    c, region = campaign_and_region(request.user, pk, code)
    if region.level == Level.VILLAGE:
        return _village_page(request, c, region)
    rows, total = selectors.rollup(request.user, c, region)
    return render(
        request,
        "education/campaign.html",
        {
            "campaign": c,
            "region": region,
            "rows": rows,
            "total": total,
            "labels": selectors.kind_labels(c),
            "drill": region.level < Level.TOWN,
        },
    )


def _village_page(request: HttpRequest, c: Campaign, village: Region) -> HttpResponse:
    tasks = list(selectors.tasks_of(request.user, c, village.code))
    return render(
        request,
        "education/village.html",
        {
            "campaign": c,
            "village": village,
            "tasks": tasks,
            "can_change": task_policy.can_in_region(request.user, "change", village.code),
        },
    )


@login_required
@require_GET
def ledger(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    c, region = campaign_and_region(request.user, pk, code)
    return ledger_response(request.user, c, region)


def sheet_response(user: Any, pk: int, code: str) -> HttpResponse:
    """A village's sign-in and record sheet; only a village has one (no falling back to the user's own region)."""
    c, region = campaign_and_region(user, pk, code, fallback=False)
    if region.level != Level.VILLAGE:
        raise Http404("签到及记录表按村(社区)打印。")
    return printouts.village_sheet_response(c, region, list(selectors.tasks_of(user, c, region.code)))


@login_required
@require_GET
def sheet(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    return sheet_response(request.user, pk, code)


@login_required
@require_POST
def done(request: HttpRequest, pk: int) -> HttpResponse:
    task = task_policy.get_or_404(request.user, queryset=VillageTask.objects.select_related("campaign"), pk=pk)
    form = DoneForm(request.POST)
    got = form_action(
        request,
        form,
        lambda d: task_complete(
            actor=acting_user(request),
            task=task,
            done_on=d["done_on"],
            note=d["note"],
            expected_version=d["version"],
        ),
    )
    if got is not None:
        messages.success(request, f"已登记完成：{task.get_kind_display()}。")
    else:
        messages.error(request, form_errors_text(form) or "未能登记。")
    return redirect("education:campaign", pk=task.campaign_id, code=task.region_id)
