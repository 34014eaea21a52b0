"""Pages of the first-year programme: the county's items (县委组织部 sets them), the town and county roll-ups with
the Excel ledger and the printed report (乡镇 follows its villages), and the village page where the cadres mark
progress with evidence."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.firstyear import downloads, selectors
from cunshe.firstyear.downloads import ledger_import
from cunshe.firstyear.forms import DoneForm, ItemForm, LedgerImportForm, UndoForm
from cunshe.firstyear.models import Progress, Source
from cunshe.firstyear.permissions import item_policy, progress_policy
from cunshe.firstyear.services import item_save, progress_mark, progress_undo
from cunshe.regions.models import Level, Region
from cunshe.regions.selectors import crumb_ancestors
from cunshe.web.forms import form_action, form_errors_text, upload_report
from cunshe.web.kept_pages import list_page_kept, render_kept


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    home = progress_policy.home_region_code(request.user)
    if not home:
        raise Http404("您没有可查看的区域。")
    if len(home) == 12:
        return redirect("firstyear:village", code=home)
    return redirect("firstyear:rollup", code=home)


def _region(request: HttpRequest, code: str) -> Region:
    region = progress_policy.rollup_region(request.user, code)
    if region.level not in (Level.COUNTY, Level.TOWN, Level.VILLAGE):
        region = progress_policy.rollup_region(request.user, "")
    return region


@login_required
@require_GET
def rollup(request: HttpRequest, code: str) -> HttpResponse:
    region = _region(request, code)
    if region.level == Level.VILLAGE:
        return redirect("firstyear:village", code=region.code)

    def context() -> dict[str, Any]:
        table = selectors.rollup(request.user, region)
        ancestors = crumb_ancestors(region, request.user, progress_policy)
        return {
            "table": table,
            "ancestors": ancestors,
            "grid": table.grid(),
            "totals": list(zip(table.items, table.total_cells(), strict=True)),
        }

    # Kept whole under the region's change number and the minute (an item falls due at a time of day) (issue 15).
    kept = list_page_kept(request, "firstyear.rollup", region_code=region.code, clock="minute")
    return render_kept(request, kept, "firstyear/rollup.html", context)


@login_required
@require_GET
def ledger_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    return downloads.ledger_response(request.user, progress_policy.rollup_region(request.user, code, fallback=False))


@login_required
@require_POST
def ledger_upload(request: HttpRequest, code: str) -> HttpResponse:
    """The filled-in ledger read back; the town's (or village's) page again with the count or the refused rows."""
    region = progress_policy.rollup_region(request.user, code, fallback=False)
    form = LedgerImportForm(request.POST, request.FILES)
    report = upload_report(
        request, form, lambda d: ledger_import(actor=acting_user(request), region_code=region.code, stream=d["file"])
    )
    if report is not None:
        messages.success(request, f"已导入进度台账：{report.summary}。")
    else:
        messages.error(request, form_errors_text(form) or "未能导入。")
    return redirect("firstyear:rollup", code=region.code)


@login_required
@require_GET
def report(request: HttpRequest, code: str) -> HttpResponse:
    region = progress_policy.rollup_region(request.user, code, fallback=False)
    if region.level not in (Level.COUNTY, Level.TOWN):
        raise Http404("报告按县或乡镇(街道)打印。")
    return downloads.report_response(request.user, region)


def _village_page(
    request: HttpRequest, village: Region, forms: dict[int, Any] | None = None, status: int = 200
) -> HttpResponse:
    programme = selectors.programme_of(request.user, village.code)
    rows = selectors.progress_of(request.user, programme) if programme else []
    can_change = progress_policy.can_in_region(request.user, "change", village.code)
    forms = forms or {}
    entries = [
        {
            "progress": p,
            "overdue": selectors.overdue_text(p),
            "late": selectors.is_late(p),
            "manual": p.item.source == Source.MANUAL,
            "done_form": forms.get(p.pk) or DoneForm(initial={"version": p.version}, prefix=f"p{p.pk}"),
        }
        for p in rows
    ]
    return render(
        request,
        "firstyear/village.html",
        {
            "village": village,
            "programme": programme,
            "entries": entries,
            "can_change": can_change,
            "town_visible": progress_policy.can_in_region(request.user, "view", village.code[:9]),
        },
        status=status,
    )


@login_required
@require_GET
def village(request: HttpRequest, code: str) -> HttpResponse:
    return _village_page(request, progress_policy.village_or_404(request.user, code))


def _progress(request: HttpRequest, pk: int) -> Progress:
    return progress_policy.get_or_404(request.user, queryset=Progress.objects.select_related("region", "item"), pk=pk)


@login_required
@require_POST
def done(request: HttpRequest, pk: int) -> HttpResponse:
    progress = _progress(request, pk)
    form = DoneForm(request.POST, request.FILES, prefix=f"p{pk}")
    marked = form_action(
        request,
        form,
        lambda d: progress_mark(
            actor=acting_user(request),
            progress=progress,
            done_on=d["done_on"],
            evidence=d["evidence"],
            attachment=d.get("attachment"),
            expected_version=d["version"],
        ),
    )
    if marked is not None:
        messages.success(request, f"已登记完成：{progress.item.name}。")
        return redirect("firstyear:village", code=progress.region_id)
    return _village_page(request, progress.region, {pk: form}, status=400)


@login_required
@require_POST
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    progress = _progress(request, pk)
    form = UndoForm(request.POST)
    undone = form_action(
        request,
        form,
        lambda d: progress_undo(
            actor=acting_user(request), progress=progress, reason=d["reason"], expected_version=d["version"]
        ),
    )
    if undone is not None:
        messages.success(request, f"已撤销完成：{progress.item.name}。")
    else:
        messages.error(request, form_errors_text(form) or "未能撤销。")
    return redirect("firstyear:village", code=progress.region_id)


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    return downloads.attachment_response(_progress(request, pk))


def _county(request: HttpRequest, code: str) -> Region:
    if not item_policy.can_in_region(request.user, "view", code):
        raise Http404("未找到该县。")
    county = Region.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None:
        raise Http404("未找到该县。")
    return county


def _items_page(request: HttpRequest, county: Region, form: ItemForm | None = None, status: int = 200) -> HttpResponse:
    can_configure = item_policy.can_in_region(request.user, "change", county.code)
    return render(
        request,
        "firstyear/items.html",
        {
            "county": county,
            "items": selectors.county_items(request.user, county.code),
            "can_configure": can_configure,
            "sources": Source.choices,
            "form": form or ItemForm(initial={"due_amount": 30, "is_active": True}),
        },
        status=status,
    )


@login_required
@require_GET
def items(request: HttpRequest, code: str) -> HttpResponse:
    return _items_page(request, _county(request, code))


@login_required
@require_POST
def item_new(request: HttpRequest, code: str) -> HttpResponse:
    county = _county(request, code)
    form = ItemForm(request.POST)
    item = form_action(
        request, form, lambda d: item_save(actor=acting_user(request), county_code=county.code, **form.service_fields())
    )
    if item is not None:
        messages.success(request, f"已增加事项：{item.name}。")
        return redirect("firstyear:items", code=county.code)
    return _items_page(request, county, form, status=400)


@login_required
@require_POST
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = item_policy.get_or_404(request.user, pk=pk)
    form = ItemForm(request.POST)
    saved = form_action(
        request,
        form,
        lambda d: item_save(
            actor=acting_user(request),
            county_code=item.county_id,
            item=item,
            expected_version=d["version"],
            **form.service_fields(),
        ),
    )
    if saved is not None:
        messages.success(request, f"已保存事项：{saved.name}。")
        return redirect("firstyear:items", code=item.county_id)
    return _items_page(request, item.county, form, status=400)
