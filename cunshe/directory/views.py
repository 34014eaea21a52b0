"""Pages of the public directory: the staff's list per county, town or village with its forms, and the public page
and printout of what is published."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.core.paging import page_of
from cunshe.core.printing import pdf_response
from cunshe.directory import exports, printouts, selectors
from cunshe.directory.forms import ConsentForm, EntryForm, EntryUpdateForm, VersionForm
from cunshe.directory.models import Entry
from cunshe.directory.permissions import entry_policy
from cunshe.directory.services import consent_record, consent_withdraw, entry_create, entry_update, fill_from_team
from cunshe.regions.models import Level, Region
from cunshe.web.forms import button_action, form_action, form_message_action
from cunshe.web.kept_pages import list_page_kept, render_kept


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return redirect("directory:region", code=entry_policy.rollup_region(request.user, "").code)


def _region_context(request: HttpRequest, region: Region, form: EntryForm | None = None) -> dict[str, Any]:
    can_change = entry_policy.anywhere(request.user, "change")
    return {
        "region": region,
        "entries": page_of(request, selectors.entries_for_staff(request.user, region), 50),  # it stopped at 1,000
        "can_change": can_change,
        "can_fill": region.level == Level.VILLAGE and entry_policy.can_in_region(request.user, "change", region.code),
        "form": form or (EntryForm(initial={"region": region.code}) if can_change else None),
    }


def _region_page(request: HttpRequest, code: str, form: EntryForm, status: int) -> HttpResponse:
    """The page with a refused form: rendered for this response alone."""
    region = entry_policy.rollup_region(request.user, code, fallback=False)
    return render(request, "directory/region.html", _region_context(request, region, form), status=status)


@login_required
@require_GET
def region(request: HttpRequest, code: str) -> HttpResponse:
    found = entry_policy.rollup_region(request.user, code, fallback=False)
    # Kept whole under the region's change number and the day: every entry is written by this module's services
    # (the form, the API, the fill from the committee), recorded on the entry's region (issue 15).
    kept = list_page_kept(request, "directory.region", region_code=found.code)
    return render_kept(request, kept, "directory/region.html", lambda: _region_context(request, found))


@login_required
@require_POST
def entry_new(request: HttpRequest) -> HttpResponse:
    form = EntryForm(request.POST)
    entry = form_action(
        request,
        form,
        lambda d: entry_create(
            actor=acting_user(request),
            region_code=d["region"],
            name=d["name"],
            post=d["post"],
            duties=d["duties"],
            office_phone=d["office_phone"],
            sort=d["sort"],
        ),
    )
    if entry is not None:
        messages.success(request, f"已登记：{entry.name}。")
        return redirect("directory:region", code=entry.region_id)
    return _region_page(request, entry_policy.rollup_region(request.user, "").code, form, status=400)


@login_required
@require_POST
def fill(request: HttpRequest, code: str) -> HttpResponse:
    village = entry_policy.village_or_404(request.user, code)
    got = button_action(
        request,
        lambda: fill_from_team(actor=acting_user(request), village_code=village.code),
        done="已按班子现任职务更新。",
    )
    if got is not None:
        messages.info(request, f"新增 {got[0]} 人，撤下 {got[1]} 人。")
    return redirect("directory:region", code=code)


def _entry(request: HttpRequest, pk: int) -> Entry:
    return entry_policy.get_or_404(request.user, pk=pk)


@login_required
@require_POST
def entry_change(request: HttpRequest, pk: int) -> HttpResponse:
    e = _entry(request, pk)
    form = EntryUpdateForm(request.POST)
    form_message_action(
        request,
        form,
        lambda d: entry_update(
            actor=acting_user(request),
            entry=e,
            name=d["name"],
            post=d["post"],
            duties=d["duties"],
            office_phone=d["office_phone"],
            sort=d["sort"],
            published=d["published"],
            expected_version=d["version"],
        ),
        done="已保存。",
    )
    return redirect("directory:region", code=e.region_id)


@login_required
@require_POST
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    e = _entry(request, pk)
    form = ConsentForm(request.POST)
    form_message_action(
        request,
        form,
        lambda d: consent_record(
            actor=acting_user(request),
            entry=e,
            mobile=d["mobile"],
            consent_on=d["consent_on"],
            note=d["note"],
            expected_version=d["version"],
        ),
        done="已登记本人同意，手机号码将公开。",
    )
    return redirect("directory:region", code=e.region_id)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    e = _entry(request, pk)
    form = VersionForm(request.POST)
    if form.is_valid():
        button_action(
            request,
            lambda: consent_withdraw(
                actor=acting_user(request), entry=e, expected_version=form.cleaned_data["version"]
            ),
            done="已撤回，手机号码已删除。",
        )
    else:
        messages.error(request, "缺少版本号，请刷新后重试。")
    return redirect("directory:region", code=e.region_id)


def public_region(code: str) -> Region:
    return get_object_or_404(Region, code=code, level__in=(Level.COUNTY, Level.TOWN, Level.VILLAGE))


@require_GET
def public_page(request: HttpRequest, code: str) -> HttpResponse:
    region = public_region(code)
    return render(request, "directory/public.html", {"region": region, "groups": selectors.public_groups(region)})


@require_GET
def public_pdf(request: HttpRequest, code: str) -> HttpResponse:
    region = public_region(code)
    return pdf_response(printouts.directory_pdf(region), f"{region.name}领导干部电话公开.pdf")


@require_GET
def public_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    return exports.ledger_response(public_region(code))
