"""Pages of the care list: the town's (county's) roll-up, the village's list with this month's 3+N and the months
missed, a household's months and visits, and the visit form (an ordinary page form)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.carelist import downloads, selectors
from cunshe.carelist.downloads import households_import
from cunshe.carelist.forms import HouseholdForm, ImportForm, RemoveForm, VisitForm
from cunshe.carelist.models import Household
from cunshe.carelist.permissions import household_policy
from cunshe.carelist.services import household_add, household_remove, visit_record
from cunshe.core.paging import page_of
from cunshe.offline.queued import is_queued, queued_answer
from cunshe.regions.models import Level, Region
from cunshe.web.forms import form_action, form_errors_text, upload_report
from cunshe.web.kept_pages import list_page_kept, render_kept


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    home = household_policy.home_region_code(request.user)
    if not home:
        raise Http404("您没有可查看的区域。")
    if len(home) == 12:
        return redirect("carelist:village", code=home)
    return redirect("carelist:rollup", code=home)


@login_required
@require_GET
def rollup(request: HttpRequest, code: str) -> HttpResponse:
    region = household_policy.rollup_region(request.user, code)
    if region.level == Level.VILLAGE:
        return redirect("carelist:village", code=region.code)

    def context() -> dict[str, Any]:
        rows, total = selectors.rollup(request.user, region)
        return {"region": region, "rows": rows, "total": total, "drill": region.level < Level.TOWN}

    # Kept whole under the region's change number and the day (this month's visits, the months missed) (issue 15).
    # The daily job that opens a new month's rows records nothing: on a month's first day a page built before it
    # ran lags it by at most KEPT_DAY_SECONDS.
    kept = list_page_kept(request, "carelist.rollup", region_code=region.code)
    return render_kept(request, kept, "carelist/rollup.html", context)


@login_required
@require_GET
def visits_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    return downloads.visits_response(request.user, household_policy.rollup_region(request.user, code, fallback=False))


def _village_context(
    request: HttpRequest, village: Region, form: HouseholdForm | None = None, import_form: ImportForm | None = None
) -> dict[str, Any]:
    return {
        "village": village,
        "lines": selectors.village_list(request.user, village),
        # under its own parameter, 50 a page (it stopped at 50 without saying so)
        "removed": page_of(request, selectors.removed_of(request.user, village), 50, param="removed"),
        "can_change": household_policy.can_in_region(request.user, "change", village.code),
        "form": form or HouseholdForm(),
        "import_form": import_form or ImportForm(),
    }


def _village_page(
    request: HttpRequest, village: Region, form: HouseholdForm | None = None, import_form: ImportForm | None = None
) -> HttpResponse:
    """The page with a refused form: rendered for this response alone."""
    context = _village_context(request, village, form, import_form)
    return render(request, "carelist/village.html", context, status=400)


@login_required
@require_GET
def village(request: HttpRequest, code: str) -> HttpResponse:
    place = household_policy.village_or_404(request.user, code)
    # Kept whole under the village's change number and the day (this month's visit, the months missed) (issue 15).
    kept = list_page_kept(request, "carelist.village", region_code=place.code)
    return render_kept(request, kept, "carelist/village.html", lambda: _village_context(request, place))


@login_required
@require_POST
def household_new(request: HttpRequest, code: str) -> HttpResponse:
    place = household_policy.village_or_404(request.user, code)
    form = HouseholdForm(request.POST)
    household = form_action(
        request, form, lambda d: household_add(actor=acting_user(request), village_code=place.code, **d)
    )
    if household is not None:
        messages.success(request, f"已列入暖心清单：{household.name}。")
        return redirect("carelist:village", code=place.code)
    return _village_page(request, place, form=form)


@login_required
@require_POST
def households_upload(request: HttpRequest, code: str) -> HttpResponse:
    place = household_policy.village_or_404(request.user, code)
    form = ImportForm(request.POST, request.FILES)
    report = upload_report(
        request,
        form,
        lambda d: households_import(actor=acting_user(request), village_code=place.code, stream=d["file"]),
    )
    if report is not None:
        messages.success(request, f"已导入暖心清单：{report.summary}。")
        return redirect("carelist:village", code=place.code)
    return _village_page(request, place, import_form=form)


@login_required
@require_GET
def households_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    return downloads.households_response(request.user, household_policy.village_or_404(request.user, code))


@login_required
@require_GET
def list_pdf(request: HttpRequest, code: str) -> HttpResponse:
    return downloads.list_response(request.user, household_policy.village_or_404(request.user, code))


def _household(request: HttpRequest, pk: int) -> Household:
    return household_policy.get_or_404(request.user, queryset=Household.objects.select_related("region"), pk=pk)


def _household_page(
    request: HttpRequest, household: Household, remove_form: RemoveForm | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "carelist/household.html",
        {
            "household": household,
            "months": selectors.months_of(request.user, household),
            "can_change": household_policy.can(request.user, "change", household),
            "remove_form": remove_form or RemoveForm(initial={"version": household.version}),
        },
        status=status,
    )


@login_required
@require_GET
def household(request: HttpRequest, pk: int) -> HttpResponse:
    return _household_page(request, _household(request, pk))


@login_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    h = _household(request, pk)
    form = RemoveForm(request.POST)
    done = form_action(
        request,
        form,
        lambda d: household_remove(
            actor=acting_user(request),
            household=h,
            removed_on=d["removed_on"],
            reason=d["reason"],
            expected_version=d["version"],
        ),
    )
    if done is not None:
        messages.success(request, f"已移出暖心清单：{h.name}。")
        return redirect("carelist:village", code=h.region_id)
    return _household_page(request, h, remove_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def visit(request: HttpRequest, pk: int) -> HttpResponse:
    """The care-visit form: an ordinary page (GET the form, POST it), so that it can later be marked
    offline-capable by the generic mechanism without change."""
    h = _household(request, pk)
    household_policy.check(request.user, "change", h)
    form = VisitForm(request.POST or None)
    if is_queued(request):  # an entry from the phone's queue (cunshe/offline): sent once, however often resent
        back = reverse("carelist:household", args=[h.pk])
        return queued_answer(
            request,
            form,
            lambda d: visit_record(actor=acting_user(request), household=h, **d),
            kind="carelist.visit",
            done=lambda v: f"已登记暖心走访：{h.name}（{v.acts_label}）。",
            url=lambda _v: back,
        )
    if request.method == "POST":
        done = form_action(request, form, lambda d: visit_record(actor=acting_user(request), household=h, **d))
        if done is not None:
            messages.success(request, f"已登记暖心走访：{h.name}（{done.acts_label}）。")
            return redirect("carelist:household", pk=h.pk)
        messages.error(request, form_errors_text(form) or "未能登记。")
    return render(request, "carelist/visit.html", {"household": h, "form": form}, status=400 if form.errors else 200)
