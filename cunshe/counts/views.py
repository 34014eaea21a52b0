from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.core.errors import NotPermitted
from cunshe.counts import selectors
from cunshe.counts.api import sheet_out
from cunshe.counts.exports import return_response
from cunshe.counts.forms import AccountPersonForm, ClearForm, RoundDayForm, ScanForm, SheetForm, VersionForm
from cunshe.counts.permissions import scan_policy, sheet_policy, summary_policy
from cunshe.counts.services import (
    account_person_set,
    count_conflict,
    differences,
    field_label,
    further_round_open,
    scan_add,
    sheet_clear,
    sheet_correct,
    sheet_enter,
    sheet_settle,
    sheet_sign_off,
)
from cunshe.elections.models import ElectionResult, Kind
from cunshe.elections.permissions import election_for, election_policy
from cunshe.polling.models import Station
from cunshe.web.forms import button_action, form_action, form_errors_text
from cunshe.web.kept_pages import list_page_kept, render_kept


def _must(request: HttpRequest, policy: Any, action: str, obj: Any) -> None:
    """A page refuses a role that may not act with the 403 page (NotPermitted is the services' and the API's)."""
    try:
        policy.check(request.user, action, obj)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc


def _unfair(request: HttpRequest, election: Any) -> HttpResponse | None:
    """The 403 page with the reason when the account's holder stands in this election or is a candidate's close
    relative (services.count_conflict; the services refuse the same, the API answers their 403)."""
    problem = count_conflict(acting_user(request), election)
    return render(request, "403.html", {"exception": problem}, status=403) if problem else None


def _names(sheet: Any) -> dict[str, str]:
    from cunshe.candidates.models import Candidate

    return {
        str(c.pk): c.person.name for c in Candidate.objects.filter(election=sheet.election).select_related("person")
    }


def _labelled(figures: dict[str, Any], names: dict[str, str]) -> list[tuple[str, str, Any]]:
    return [(k, field_label(k, names), v) for k, v in figures.items()]


@login_required
@require_GET
def election_counts(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    return render(
        request,
        "counts/election.html",
        {
            "election": election,
            "boxes": selectors.boxes(request.user, election),
            "can_enter": election_policy.can(request.user, "enter", election) and election.status == "voting",
            "can_settle": election_policy.can(request.user, "settle", election),
            "result": ElectionResult.objects.filter(election=election).first(),
            "round_form": RoundDayForm(),
            "account_form": AccountPersonForm(),
            "conflict": count_conflict(acting_user(request), election),
        },
    )


@login_required
@require_POST
def account_person_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Record whose an account is, so the count's fairness rule can check it (form on the count page)."""
    election = election_for(request.user, pk)
    _must(request, election_policy, "settle", election)
    form = AccountPersonForm(request.POST)
    link = form_action(
        request,
        form,
        lambda d: account_person_set(
            actor=acting_user(request), election=election, username=d["username"], id_number=d["id_number"]
        ),
    )
    if link is not None:
        messages.success(request, f"已登记账号 {link.user.username} 对应人员：{link.person.name}。")
    else:
        messages.error(request, form_errors_text(form) or "请填写账号和身份证号码。")
    return redirect("counts:election", pk=election.pk)


@login_required
@require_http_methods(["GET", "POST"])
def sheet_enter_page(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    if (refused := _unfair(request, election)) is not None:
        return refused
    _must(request, election_policy, "enter", election)
    station = None
    if election.is_direct:
        asked = request.GET.get("station") or request.POST.get("station") or ""
        station = Station.objects.filter(election=election, pk=int(asked) if asked.isdigit() else 0).first()
        if station is None:
            raise Http404("未找到该票箱。")
    form = SheetForm(request.POST or None, election=election)
    sheet = form_action(
        request,
        form,
        lambda d: sheet_enter(
            actor=acting_user(request), election=election, station=station, data=form.data_for_service()
        ),
    )
    if sheet is not None:
        messages.success(request, f"已录入，计票单状态：{sheet.get_status_display()}。")
        return redirect("counts:election", pk=election.pk)
    return render(request, "counts/enter.html", {"election": election, "station": station, "form": form})


@login_required
@require_GET
def sheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = sheet_policy.get_or_404(request.user, pk=pk)
    out = sheet_out(request.user, sheet)
    names = _names(sheet)
    entries = sorted(out["entries"], key=lambda e: e["number"])
    diff_rows = [
        (k, field_label(k, names), entries[0]["figures"].get(k, 0), entries[1]["figures"].get(k, 0))
        for k in out["differences"]
    ]
    can_settle = sheet_policy.can(request.user, "settle", sheet)
    return render(
        request,
        "counts/sheet.html",
        {
            "sheet": sheet,
            "out": out,
            "figures": _labelled(out["figures"], names),
            "diff_rows": diff_rows,
            "entries": [(e, _labelled(e["figures"], names)) for e in entries],
            "can_settle": can_settle,
            "can_enter": sheet_policy.can(request.user, "enter", sheet),
            "corrections": sheet.corrections.all(),
        },
    )


@login_required
@require_POST
def sheet_settle_page(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = sheet_policy.get_or_404(request.user, pk=pk)
    if (refused := _unfair(request, sheet.election)) is not None:
        return refused
    _must(request, sheet_policy, "settle", sheet)
    entries = [e.figures for e in sheet.entries.order_by("number")]
    choices: dict[str, Any] = {}
    if len(entries) == 2:
        for key in differences(*entries):
            raw = request.POST.get(f"value_{key}", "").strip()
            if key in ("absent", "excluded"):
                if raw in ("1", "2"):
                    choices[key] = entries[int(raw) - 1].get(key, [])
            elif raw != "":
                choices[key] = raw
    button_action(
        request,
        lambda: sheet_settle(
            actor=acting_user(request),
            sheet=sheet,
            choices=choices,
            expected_version=_version(request),
        ),
        done="已按纸质计票单确定，并记入记录本。",
    )
    return redirect("counts:sheet", pk=sheet.pk)


def _version(request: HttpRequest) -> int | None:
    form = VersionForm(request.POST)
    return form.cleaned_data["version"] if form.is_valid() else None


@login_required
@require_POST
def sheet_clear_page(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = sheet_policy.get_or_404(request.user, pk=pk)
    if (refused := _unfair(request, sheet.election)) is not None:
        return refused
    form = ClearForm(request.POST)
    if not form.is_valid():
        _must(request, sheet_policy, "settle", sheet)
        messages.error(request, "请写明核实情况和放行原因。")
        return redirect("counts:sheet", pk=sheet.pk)
    d = form.cleaned_data
    button_action(
        request,
        lambda: sheet_clear(
            actor=acting_user(request),
            sheet=sheet,
            check=d["check"],
            reason=d["reason"],
            expected_version=d["version"],
        ),
        done="审核项已放行，并记入记录本。",
    )
    return redirect("counts:sheet", pk=sheet.pk)


@login_required
@require_POST
def scan_upload(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = sheet_policy.get_or_404(request.user, pk=pk)
    if (refused := _unfair(request, sheet.election)) is not None:
        return refused
    form = ScanForm(request.POST, request.FILES)
    if not form.is_valid():
        _must(request, sheet_policy, "enter", sheet)
        messages.error(request, "请选择照片或扫描件。")
        return redirect("counts:sheet", pk=sheet.pk)
    upload = form.cleaned_data["file"]
    button_action(
        request,
        lambda: scan_add(
            actor=acting_user(request),
            sheet=sheet,
            name=upload.name,
            content_type=upload.content_type or "",
            content=upload.read(),
        ),
        done="照片/扫描件已上传。",
    )
    return redirect("counts:sheet", pk=sheet.pk)


@login_required
@require_GET
def scan_file(request: HttpRequest, pk: int) -> HttpResponse:
    scan = scan_policy.get_or_404(request.user, pk=pk)
    response = HttpResponse(bytes(scan.content), content_type=scan.content_type)
    response["Content-Disposition"] = content_disposition_header(False, scan.name) or "inline"
    return response


@login_required
@require_POST
def sheet_sign_off_page(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = sheet_policy.get_or_404(request.user, pk=pk)
    if (refused := _unfair(request, sheet.election)) is not None:
        return refused
    button_action(
        request,
        lambda: sheet_sign_off(actor=acting_user(request), sheet=sheet, expected_version=_version(request)),
        done="计票单已签认。",
    )
    return redirect("counts:sheet", pk=sheet.pk)


@login_required
@require_http_methods(["GET", "POST"])
def sheet_correct_page(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = sheet_policy.get_or_404(request.user, pk=pk)
    if (refused := _unfair(request, sheet.election)) is not None:
        return refused
    _must(request, sheet_policy, "settle", sheet)
    form = SheetForm(request.POST or None, election=sheet.election, initial=SheetForm.initial_from(sheet.figures))
    reason = request.POST.get("reason", "")
    done = form_action(
        request,
        form,
        lambda d: sheet_correct(
            actor=acting_user(request),
            sheet=sheet,
            data=form.data_for_service(),
            reason=reason,
            expected_version=_version(request),
        ),
    )
    if done is not None:
        messages.success(request, "计票单已更正，更正前后记入记录本。")
        return redirect("counts:sheet", pk=sheet.pk)
    return render(request, "counts/correct.html", {"sheet": sheet, "form": form, "reason": reason})


@login_required
@require_POST
def further_round_page(request: HttpRequest, pk: int) -> HttpResponse:
    election = election_for(request.user, pk)
    form = RoundDayForm(request.POST)
    if not form.is_valid():
        _must(request, election_policy, "change", election)
        messages.error(request, "请填写另行选举日期。")
        return redirect("counts:election", pk=election.pk)
    new = button_action(
        request,
        lambda: further_round_open(
            actor=acting_user(request), election=election, election_day=form.cleaned_data["election_day"]
        ),
        done="已发起另行选举。",
    )
    return redirect("elections:detail", pk=new.pk if new else election.pk)


def _board(request: HttpRequest, template: str) -> HttpResponse:
    """The election-day board, kept whole under the reader, the region's change number and the day (every sheet,
    status and result moves the change number): on election day each official's page polls it every 15 seconds,
    and a poll that finds nothing new reads nothing but the change number (issue 15)."""
    region = summary_policy.rollup_region(request.user, request.GET.get("under", ""))
    try:
        day = date.fromisoformat(request.GET.get("day", "")) if request.GET.get("day") else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    kept = list_page_kept(request, "counts.board", region_code=region.code)  # the day is in the query string
    return render_kept(
        request,
        kept,
        template,
        lambda: {"board": selectors.board(request.user, region, day), "region": region, "day": day},
    )


@login_required
@require_GET
def board_page(request: HttpRequest) -> HttpResponse:
    return _board(request, "counts/board.html")


@login_required
@require_GET
def board_live(request: HttpRequest) -> HttpResponse:
    """The board's figures alone, polled by htmx every 15 seconds."""
    return _board(request, "counts/_board.html")


@login_required
@require_GET
def return_download(request: HttpRequest) -> HttpResponse:
    region = summary_policy.rollup_region(request.user, request.GET.get("under", ""))
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else Kind.VILLAGERS
    return return_response(request.user, region, kind)
