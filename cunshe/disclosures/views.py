"""Pages of 党务村务财务公开: the county and town roll-up with the Excel ledger, a village's disclosures and open
obligations (draft, publish, add board photos), a disclosure, and the board photos (public once published)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.accounts.selectors import acting_user
from cunshe.decisions.models import Decision
from cunshe.decisions.permissions import decision_policy
from cunshe.disclosures import downloads, selectors
from cunshe.disclosures.forms import DisclosureForm, PhotoForm, PublishForm, ScheduleForm
from cunshe.disclosures.models import Disclosure, Kind, Photo, Schedule
from cunshe.disclosures.permissions import disclosure_policy, photo_policy, schedule_policy
from cunshe.disclosures.services import disclosure_create, disclosure_publish, photo_add, rule_for, schedule_save
from cunshe.regions.models import Level, Region
from cunshe.regions.selectors import crumb_ancestors
from cunshe.web.forms import form_action, form_errors_text
from cunshe.web.kept_pages import list_page_kept, render_kept


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    home = disclosure_policy.home_region_code(request.user)
    if not home:
        raise Http404("您没有可查看的区域。")
    if len(home) == 12:
        return redirect("disclosures:village", code=home)
    return redirect("disclosures:rollup", code=home)


@login_required
@require_GET
def rollup(request: HttpRequest, code: str) -> HttpResponse:
    region = disclosure_policy.rollup_region(request.user, code)
    if region.level == Level.VILLAGE:
        return redirect("disclosures:village", code=region.code)
    if region.level not in (Level.COUNTY, Level.TOWN):
        region = disclosure_policy.rollup_region(request.user, "")

    def context() -> dict[str, Any]:
        ancestors = crumb_ancestors(region, request.user, disclosure_policy)
        return {
            "region": region,
            "rows": selectors.rollup(request.user, region),
            "kinds": Kind.choices,
            "ancestors": ancestors,
            "schedule_county": region.code[:6]
            if schedule_policy.can_in_region(request.user, "view", region.code[:6])
            else "",
        }

    # Kept whole under the region's change number and the minute (a disclosure is due at a time of day) (issue 15).
    kept = list_page_kept(request, "disclosures.rollup", region_code=region.code, clock="minute")
    return render_kept(request, kept, "disclosures/rollup.html", context)


@login_required
@require_GET
def ledger_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    return downloads.ledger_response(request.user, disclosure_policy.rollup_region(request.user, code, fallback=False))


def _decision_choices(user: Any, village_code: str) -> list[tuple[int, str]]:
    # A picker, not a list: the village's matters, newest first, as far as a select reaches (it stopped at 50, so a
    # disclosure of a matter from two years back could not be linked on the page).
    rows = decision_policy.visible_to(user).filter(region_id=village_code).order_by("-created_at", "-pk")[:500]
    return [(d.pk, f"{d.title}（{d.get_status_display()}）") for d in rows]


def _village_page(request: HttpRequest, place: Region, form: DisclosureForm | None, status: int = 200) -> HttpResponse:
    return render(
        request,
        "disclosures/village.html",
        {
            "place": place,
            # Every month adds disclosures of each kind: 50 a page (the page stopped at 100).
            "page": Paginator(selectors.disclosures_in(request.user, place.code), 50).get_page(request.GET.get("page")),
            "obligations": list(selectors.obligations_in(request.user, place.code)),
            "form": form,
        },
        status=status,
    )


@login_required
@require_GET
def village(request: HttpRequest, code: str) -> HttpResponse:
    place = disclosure_policy.village_or_404(request.user, code)
    can_change = disclosure_policy.can_in_region(request.user, "change", place.code)
    form = DisclosureForm(decisions=_decision_choices(request.user, place.code)) if can_change else None
    return _village_page(request, place, form)


@login_required
@require_POST
def new(request: HttpRequest, code: str) -> HttpResponse:
    place = disclosure_policy.village_or_404(request.user, code)
    form = DisclosureForm(request.POST, decisions=_decision_choices(request.user, place.code))

    def call(data: dict[str, Any]) -> Disclosure:
        decision = None
        if data.get("decision"):
            decision = decision_policy.get_or_404(request.user, queryset=Decision.objects.all(), pk=data["decision"])
        return disclosure_create(
            actor=acting_user(request),
            village_code=place.code,
            kind=data["kind"],
            title=data["title"],
            content=data["content"],
            channels=data["channels"],
            period_day=data["period_day"],
            decision=decision,
            decision_step=data["decision_step"],
        )

    created = form_action(request, form, call)
    if created is None:
        return _village_page(request, place, form, status=400)
    messages.success(request, "已登记，上传公开栏照片后登记公开日期。")
    return redirect("disclosures:detail", pk=created.pk)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = selectors.disclosure_detail(request.user, pk)
    can_change = disclosure_policy.can(request.user, "change", disclosure)
    return render(
        request,
        "disclosures/detail.html",
        {
            "d": disclosure,
            "publish_form": PublishForm(initial={"version": disclosure.version})
            if can_change and disclosure.published_on is None
            else None,
            "photo_form": PhotoForm() if can_change else None,
        },
    )


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = disclosure_policy.get_or_404(request.user, pk=pk)
    form = PublishForm(request.POST)
    done = form_action(
        request,
        form,
        lambda data: disclosure_publish(
            actor=acting_user(request),
            disclosure=disclosure,
            published_on=data["published_on"],
            expected_version=data["version"],
        ),
    )
    if done is None:
        messages.error(request, form_errors_text(form))
    else:
        messages.success(request, "已公开，村(社区)公开页可见。")
    return redirect("disclosures:detail", pk=pk)


@login_required
@require_POST
def photo_new(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = disclosure_policy.get_or_404(request.user, pk=pk)
    form = PhotoForm(request.POST, request.FILES)
    done = form_action(
        request,
        form,
        lambda data: photo_add(
            actor=acting_user(request), disclosure=disclosure, image=data["image"], caption=data["caption"]
        ),
    )
    if done is None:
        messages.error(request, form_errors_text(form))
    else:
        messages.success(request, "照片已上传。")
    return redirect("disclosures:detail", pk=pk)


@login_required
@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    return downloads.photo_response(photo_policy.get_or_404(request.user, queryset=Photo.objects.all(), pk=pk))


@require_GET
def public_photo(request: HttpRequest, pk: int) -> HttpResponse:
    photo = downloads.public_photo(pk)
    return render(
        request,
        "disclosures/public_photo.html",
        {"photo": photo, "d": photo.disclosure, "src": downloads.public_image(photo)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest, code: str) -> HttpResponse:
    """The county's disclosure schedule per kind: the rule in force today, every dated rule, and (for whoever may
    configure it: the county organizer) a new rule from a day on. Rules in force are never edited."""
    county = Region.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None or not schedule_policy.can_in_region(request.user, "view", code):
        raise Http404("未找到该县。")
    can_change = schedule_policy.can_in_region(request.user, "change", code)
    if request.method == "POST" and not can_change:
        raise PermissionDenied("您的角色无权制定公开时限。")
    today = timezone.localdate()
    form = ScheduleForm(request.POST or None, initial={"effective_from": today})
    saved = form_action(
        request, form, lambda d: schedule_save(actor=acting_user(request), county_code=county.code, **d)
    )
    if saved is not None:
        messages.success(
            request, f"已制定{saved.get_kind_display()}时限：{saved.label}，{saved.effective_from:%Y-%m-%d} 起施行。"
        )
        return redirect("disclosures:schedule", code=county.code)
    return render(
        request,
        "disclosures/schedule.html",
        {
            "county": county,
            "today": today,
            "in_force": [(Kind(k).label, rule_for(county.code, k, today)) for k in Kind.values],
            "rows": list(
                schedule_policy.visible_to(request.user, queryset=Schedule.objects.filter(county_id=county.code))
            ),
            "form": form if can_change else None,
        },
        status=400 if form.is_bound else 200,
    )
