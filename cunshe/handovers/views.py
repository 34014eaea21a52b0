from __future__ import annotations

from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.access.roles import Role
from cunshe.accounts.models import User
from cunshe.accounts.selectors import acting_user
from cunshe.core.actors import SYSTEM
from cunshe.core.paging import page_of
from cunshe.handovers.forms import (
    AnswerForm,
    CareForm,
    ConductForm,
    FlagForm,
    FreezeForm,
    InquiryForm,
    ItemForm,
    LeftoverForm,
    NoteForm,
    OpenForm,
    ScanForm,
    SettingsForm,
    TemplateImportForm,
    UnitOpenForm,
)
from cunshe.handovers.models import (
    GROUP_PARTIES,
    PARTY_LABELS,
    ConductRecord,
    GroupParty,
    NoticeKind,
    Template,
    parties_of,
)
from cunshe.handovers.pdf import (
    freeze_notice_response,
    handover_notice_response,
    leaving_notice_response,
    letter_response,
)
from cunshe.handovers.permissions import (
    handover_policy,
    item_policy,
    leftover_policy,
    scan_policy,
    settings_policy,
    template_policy,
)
from cunshe.handovers.selectors import (
    SUPERVISOR_ROLES,
    WORKING_GROUP_ROLES,
    conduct_of,
    handover_full,
    handovers_visible,
    leftover_full,
    leftovers_visible,
    rollup,
    staff_for,
    unit_staff,
)
from cunshe.handovers.services import (
    PAPER_PARTIES,
    care_record,
    handover_confirm,
    handover_open,
    item_update,
    leftover_add,
    leftover_flag,
    leftover_move,
    leftover_note,
    parties_for,
    scan_add,
    settings_for,
    settings_update,
    templates_ensure_defaults,
)
from cunshe.handovers.spreadsheets import rollup_response, template_export, template_import
from cunshe.handovers.units import (
    UNIT_LEVELS,
    conduct_file,
    freeze_notice_send,
    inquiry_add,
    inquiry_answer,
    inquiry_due_default,
    unit_handover_open,
)
from cunshe.people.permissions import person_policy
from cunshe.people.selectors import people_visible
from cunshe.regions.models import Level, Region
from cunshe.spreadsheets.layout import xlsx_response
from cunshe.web.forms import button_action, form_action, form_errors_text, form_message_action
from cunshe.web.kept_pages import list_page_kept, render_kept


def _under(request: HttpRequest) -> Region | None:
    """The region the roll-up is for: the one asked for if the user sees it, else the user's own."""
    asked = request.GET.get("under", "")
    if asked and handover_policy.can_in_region(request.user, "view", asked):
        return Region.objects.filter(code=asked).first()
    return Region.objects.filter(code=handover_policy.home_region_code(request.user)).first()


@login_required
@require_GET
def handover_list(request: HttpRequest) -> HttpResponse:
    under = _under(request)
    code = under.code if under else ""

    def context() -> dict[str, Any]:
        rows, total = rollup(under) if under is not None and under.level < Level.VILLAGE else ([], None)
        return {
            "under": under,
            "rows": rows,
            "total": total,
            # Each list pages under its own parameter (they stopped at 200 and hid the rest).
            "handovers": page_of(
                request,
                handovers_visible(request.user, under=code).order_by("-created_at", "-pk"),
                50,
                param="handovers",
            ),
            "leftovers": page_of(
                request,
                leftovers_visible(request.user, under=code, open_only=True).order_by("due_on", "pk"),
                50,
                param="leftovers",
            ),
            "can_configure": template_policy.anywhere(request.user, "change"),
            "can_open_unit": under is not None
            and under.level in UNIT_LEVELS
            and handover_policy.can_in_region(request.user, "change", under.code),
        }

    # Kept whole (issue 15); the minute: a handover goes overdue at its due moment, with its time of day.
    return render_kept(
        request, list_page_kept(request, "handovers.list", clock="minute"), "handovers/list.html", context
    )


@login_required
@require_GET
def handover_export(request: HttpRequest) -> HttpResponse:
    under = _under(request)
    if under is None or under.level >= Level.VILLAGE:
        raise Http404("请选择县或乡镇(街道)。")
    return rollup_response(under)


def _village(request: HttpRequest, code: str) -> Region:
    return handover_policy.village_or_404(request.user, code, "change")


def _users(users: Any) -> list[tuple[Any, str]]:
    return [(u.pk, u.display_name) for u in users]


@login_required
@require_http_methods(["GET", "POST"])
def handover_new(request: HttpRequest, code: str) -> HttpResponse:
    village = _village(request, code)
    # The two standard templates are the system's defaults, made on first use; recorded as 系统, not as this user.
    templates_ensure_defaults(actor=SYSTEM, county_code=code[:6])
    people = [(p.pk, p.name) for p in people_visible(request.user, under=code)]
    templates = {t.pk: t for t in Template.objects.filter(county_id=code[:6])}
    choices: dict[str, list[tuple[Any, str]]] = {
        "template": [(pk, t.name) for pk, t in templates.items()],
        "outgoing": people,
        "incoming": people,
        "working_group": _users(staff_for(code, WORKING_GROUP_ROLES)),
        "supervisor": _users(staff_for(code, SUPERVISOR_ROLES)),
    }
    form = OpenForm(request.POST or None, choices=choices)
    handover = form_action(
        request,
        form,
        lambda data: handover_open(
            actor=acting_user(request),
            village_code=code,
            template=templates[int(data["template"])],
            outgoing=people_visible(request.user, under=code).get(pk=data["outgoing"]),
            incoming=people_visible(request.user, under=code).get(pk=data["incoming"]),
            working_group=User.objects.get(pk=data["working_group"]),
            supervisor=User.objects.get(pk=data["supervisor"]),
            starts_on=data["starts_on"],
            meeting_at=data["meeting_at"],
            meeting_place=data["meeting_place"],
            post=data["post"],
            days=data["days"],
            working_group_members=data["working_group_members"],
        ),
    )
    if handover is not None:
        messages.success(request, "已开始交接，账户已冻结。")
        return redirect("handovers:detail", pk=handover.pk)
    return render(request, "handovers/form.html", {"form": form, "village": village})


@login_required
@require_GET
def handover_detail(request: HttpRequest, pk: int) -> HttpResponse:
    handover = handover_full(request.user, pk)
    user = acting_user(request)
    can_change = handover_policy.can(user, "change", handover) and handover.status == "open"
    live = {c.party: c for c in handover.confirmations.all() if c.voided_at is None}
    return render(
        request,
        "handovers/detail.html",
        {
            "handover": handover,
            "can_change": can_change,
            "can_care": handover_policy.can(user, "change", handover),
            "parties": [(p, PARTY_LABELS[p], live.get(p)) for p in parties_of(handover.kind)],
            "may_confirm": parties_for(user, handover),
            # whom the working group signs for on paper: the persons, and the group members it registers
            "on_paper": [
                p
                for p in parties_for(user, handover)
                if p in PAPER_PARTIES or (user.pk == handover.working_group_id and p in GROUP_PARTIES)
            ],
            "notices": {n.kind: n for n in handover.freeze_notices.all()},
            "freeze_form": FreezeForm(),
            "inquiry_form": InquiryForm(initial={"due_on": inquiry_due_default(timezone.localdate())}),
            "conduct_form": ConductForm(),
            "conduct_record": ConductRecord.objects.filter(handover=handover).first(),
            "voided": [c for c in handover.confirmations.all() if c.voided_at is not None],
            "leftover_form": LeftoverForm(),
            "care_form": CareForm(),
            "item_statuses": ItemForm.base_fields["status"].choices,  # type: ignore[attr-defined]
        },
    )


@login_required
@require_POST
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = item_policy.get_or_404(request.user, pk=pk)
    form = ItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("handovers:detail", pk=item.handover_id)
    data = form.cleaned_data
    button_action(
        request,
        lambda: item_update(
            actor=acting_user(request),
            item=item,
            status=data["status"],
            count=data["count"],
            amount=data["amount"],
            details=data["details"],
            discrepancy=data["discrepancy"],
            expected_version=data["version"],
        ),
        done=f"已登记“{item.title}”。",
    )
    return redirect("handovers:detail", pk=item.handover_id)


@login_required
@require_POST
def scan_upload(request: HttpRequest, pk: int) -> HttpResponse:
    item = item_policy.get_or_404(request.user, pk=pk)
    form = ScanForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件。")
        return redirect("handovers:detail", pk=item.handover_id)
    upload = form.cleaned_data["file"]
    button_action(
        request,
        lambda: scan_add(
            actor=acting_user(request),
            item=item,
            name=upload.name,
            content_type=upload.content_type or "",
            content=upload.read(),
        ),
        done="已上传。",
    )
    return redirect("handovers:detail", pk=item.handover_id)


@login_required
@require_GET
def scan_file(request: HttpRequest, pk: int) -> HttpResponse:
    scan = scan_policy.get_or_404(request.user, pk=pk)
    response = HttpResponse(bytes(scan.content), content_type=scan.content_type)
    response["Content-Disposition"] = content_disposition_header(False, scan.name) or "inline"
    return response


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    handover = handover_policy.get_or_404(request.user, pk=pk)
    button_action(
        request,
        lambda: handover_confirm(
            actor=acting_user(request),
            handover=handover,
            party=request.POST.get("party", ""),
            expected_version=int(request.POST.get("version") or 0) or None,
        ),
        done="已签字确认。",
    )
    return redirect("handovers:detail", pk=handover.pk)


@login_required
@require_GET
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    handover = handover_full(request.user, pk)
    return letter_response(handover, copies=settings_for(handover.region_id).copies)


@login_required
@require_GET
def leaving_notice(request: HttpRequest, pk: int) -> HttpResponse:
    return leaving_notice_response(handover_full(request.user, pk))


@login_required
@require_GET
def handover_notice(request: HttpRequest, pk: int) -> HttpResponse:
    return handover_notice_response(handover_full(request.user, pk))


@login_required
@require_POST
def leftover_new(request: HttpRequest, pk: int) -> HttpResponse:
    handover = handover_policy.get_or_404(request.user, pk=pk)
    form = LeftoverForm(request.POST)
    if form.is_valid():
        button_action(
            request,
            lambda: leftover_add(actor=acting_user(request), handover=handover, **form.cleaned_data),
            done="已登记遗留事项。",
        )
    else:
        messages.error(request, "请填写遗留事项、责任人和办结期限。")
    return redirect("handovers:detail", pk=handover.pk)


@login_required
@require_POST
def care(request: HttpRequest, pk: int) -> HttpResponse:
    handover = handover_policy.get_or_404(request.user, pk=pk)
    form = CareForm(request.POST)
    if form.is_valid():
        button_action(
            request,
            lambda: care_record(actor=acting_user(request), handover=handover, **form.cleaned_data),
            done="已记录。",
        )
    else:
        messages.error(request, "请选择关爱事项并填写完成日期。")
    return redirect("handovers:detail", pk=handover.pk)


@login_required
@require_GET
def leftover_detail(request: HttpRequest, pk: int) -> HttpResponse:
    leftover = leftover_full(request.user, pk)
    user = acting_user(request)
    may_follow = leftover_policy.can(user, "change", leftover) or leftover_policy.can(user, "supervise", leftover)
    return render(
        request,
        "handovers/leftover.html",
        {
            "leftover": leftover,
            "may_follow": may_follow,
            "can_change": leftover_policy.can(user, "change", leftover),
            "note_form": NoteForm(),
            "flag_form": FlagForm(
                initial={
                    "accountability": leftover.accountability,
                    "accountability_note": leftover.accountability_note,
                    "version": leftover.version,
                }
            ),
        },
    )


@login_required
@require_POST
def leftover_progress(request: HttpRequest, pk: int) -> HttpResponse:
    leftover = leftover_policy.get_or_404(request.user, pk=pk)
    button_action(
        request,
        lambda: leftover_note(actor=acting_user(request), leftover=leftover, text=request.POST.get("text", "")),
        done="已记录进展。",
    )
    return redirect("handovers:leftover", pk=leftover.pk)


@login_required
@require_POST
def leftover_accountability(request: HttpRequest, pk: int) -> HttpResponse:
    leftover = leftover_policy.get_or_404(request.user, pk=pk)
    form = FlagForm(request.POST)
    if form.is_valid():
        button_action(
            request,
            lambda: leftover_flag(
                actor=acting_user(request),
                leftover=leftover,
                accountability=form.cleaned_data["accountability"],
                note=form.cleaned_data["accountability_note"],
                expected_version=form.cleaned_data["version"],
            ),
            done="已保存问责情形。",
        )
    else:
        messages.error(request, "问责信息有误。")
    return redirect("handovers:leftover", pk=leftover.pk)


@login_required
@require_POST
def leftover_status(request: HttpRequest, pk: int) -> HttpResponse:
    leftover = leftover_policy.get_or_404(request.user, pk=pk)
    button_action(
        request,
        lambda: leftover_move(
            actor=acting_user(request),
            leftover=leftover,
            to_status=request.POST.get("to_status", ""),
            expected_version=int(request.POST.get("version") or 0) or None,
        ),
        done=f"遗留事项已转为“{leftover.get_status_display()}”。",
    )
    return redirect("handovers:leftover", pk=leftover.pk)


@login_required
@require_http_methods(["GET", "POST"])
def county_settings(request: HttpRequest, code: str) -> HttpResponse:
    county = Region.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None or not settings_policy.can_in_region(request.user, "change", code):
        raise Http404("未找到该县。")
    current = settings_for(code)
    form = SettingsForm(
        request.POST or None,
        initial={
            "leader_days": current.leader_days,
            "committee_days": current.committee_days,
            "copies": current.copies,
            "version": current.version,
        },
    )
    saved = form_action(
        request,
        form,
        lambda d: settings_update(
            actor=acting_user(request), county_code=code, leader_days=d["leader_days"],
            committee_days=d["committee_days"], copies=d["copies"], expected_version=d["version"],
        ),
    )  # fmt: skip
    if saved is not None:
        messages.success(request, "已保存交接设置。")
        return redirect("handovers:settings", code=code)
    return _settings_page(request, county, form, TemplateImportForm())


def _settings_page(
    request: HttpRequest, county: Region, form: SettingsForm, import_form: TemplateImportForm
) -> HttpResponse:
    templates = template_policy.visible_to(request.user).filter(county_id=county.code).prefetch_related("items")
    return render(
        request,
        "handovers/settings.html",
        {"county": county, "form": form, "import_form": import_form, "templates": templates},
    )


@login_required
@require_POST
def template_upload(request: HttpRequest, code: str) -> HttpResponse:
    county = Region.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None or not settings_policy.can_in_region(request.user, "change", code):
        raise Http404("未找到该县。")
    current = settings_for(code)
    form = SettingsForm(
        initial={
            "leader_days": current.leader_days,
            "committee_days": current.committee_days,
            "copies": current.copies,
            "version": current.version,
        }
    )
    import_form = TemplateImportForm(request.POST, request.FILES)
    report = form_action(
        request,
        import_form,
        lambda d: template_import(
            actor=acting_user(request), county_code=code, kind=d["kind"], name=d["name"], stream=d["file"]
        ),
    )
    if report is not None:
        messages.success(request, f"已导入模板“{import_form.cleaned_data['name'].strip()}”（{report.created} 项）。")
        return redirect("handovers:settings", code=code)
    return _settings_page(request, county, form, import_form)


@login_required
@require_GET
def template_download(request: HttpRequest, pk: int) -> HttpResponse:
    template = template_policy.get_or_404(request.user, queryset=Template.objects.prefetch_related("items"), pk=pk)
    buffer = BytesIO()
    template_export(template=template, target=buffer)
    return xlsx_response(buffer.getvalue(), f"{template.name}.xlsx")


# --- leader handovers in a town or county unit (seed 003) ---------------------------------------------------


def unit_choices(user: Any, code: str) -> dict[str, list[tuple[Any, str]]]:
    """What the unit form offers (the page and the API): people registered under the unit's region, the accounts
    that may organize it, and the county's accounts for the four seats of the supervising group."""
    county = code[:6]
    anyone = _users(unit_staff(county, Role.values))
    return {
        "outgoing": [(p.pk, p.name) for p in people_visible(user, under=code)],
        "incoming": [(p.pk, p.name) for p in people_visible(user, under=code)],
        "working_group": _users(unit_staff(code, WORKING_GROUP_ROLES)),
        GroupParty.ORGANIZATION: _users(unit_staff(county, {Role.COUNTY_ORGANIZER})),
        GroupParty.DISCIPLINE: _users(unit_staff(code, SUPERVISOR_ROLES)),
        GroupParty.FINANCE: anyone,
        GroupParty.AUDIT: anyone,
    }


def _unit_region(request: HttpRequest, code: str) -> Region:
    region = Region.objects.filter(code=code, level__in=UNIT_LEVELS).first()
    if region is None or not handover_policy.can_in_region(request.user, "change", code):
        raise Http404("未找到该单位所在区域。")
    return region


@login_required
@require_http_methods(["GET", "POST"])
def unit_new(request: HttpRequest, code: str) -> HttpResponse:
    region = _unit_region(request, code)
    form = UnitOpenForm(request.POST or None, choices=unit_choices(request.user, code))
    handover = form_action(
        request,
        form,
        lambda data: unit_handover_open(
            actor=acting_user(request),
            region_code=code,
            unit_name=data["unit_name"],
            post=data["post"],
            outgoing=people_visible(request.user, under=code).get(pk=data["outgoing"]),
            incoming=people_visible(request.user, under=code).get(pk=data["incoming"]),
            working_group=User.objects.get(pk=data["working_group"]),
            group=[(p, User.objects.get(pk=data[p]), data[f"{p}_department"]) for p in GROUP_PARTIES],
            starts_on=data["starts_on"],
            meeting_at=data["meeting_at"],
            meeting_place=data["meeting_place"],
            days=data["days"],
            working_group_members=data["working_group_members"],
        ),
    )
    if handover is not None:
        messages.success(request, "已开始离任交接。请向财政部门发送账户冻结通知。")
        return redirect("handovers:detail", pk=handover.pk)
    return render(request, "handovers/unit_form.html", {"form": form, "region": region})


@login_required
@require_POST
def freeze(request: HttpRequest, pk: int) -> HttpResponse:
    handover = handover_policy.get_or_404(request.user, pk=pk)
    form_message_action(
        request,
        FreezeForm(request.POST),
        lambda data: freeze_notice_send(
            actor=acting_user(request), handover=handover, addressed_to=data["addressed_to"]
        ),
        done="已发送账户冻结通知。",
    )
    return redirect("handovers:detail", pk=pk)


@login_required
@require_GET
def freeze_notice(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    handover = handover_full(request.user, pk)
    notice = next((n for n in handover.freeze_notices.all() if n.kind == kind), None)
    if kind not in NoticeKind.values or notice is None:
        raise Http404("尚未发送该通知。")
    notice.handover = handover
    return freeze_notice_response(notice)


@login_required
@require_POST
def inquiry_new(request: HttpRequest, pk: int) -> HttpResponse:
    handover = handover_policy.get_or_404(request.user, pk=pk)
    form_message_action(
        request,
        InquiryForm(request.POST),
        lambda data: inquiry_add(
            actor=acting_user(request), handover=handover, question=data["question"], due_on=data["due_on"]
        ),
        done="已登记询问追问。",
    )
    return redirect("handovers:detail", pk=pk)


@login_required
@require_POST
def inquiry_reply(request: HttpRequest, pk: int) -> HttpResponse:
    leftover = leftover_policy.get_or_404(request.user, pk=pk)
    form_message_action(
        request,
        AnswerForm(request.POST),
        lambda data: inquiry_answer(
            actor=acting_user(request), leftover=leftover, answer=data["answer"], expected_version=data["version"]
        ),
        done="已登记答复。",
    )
    return redirect("handovers:leftover", pk=pk)


@login_required
@require_POST
def conduct(request: HttpRequest, pk: int) -> HttpResponse:
    handover = handover_policy.get_or_404(request.user, pk=pk)
    form_message_action(
        request,
        ConductForm(request.POST),
        lambda data: conduct_file(actor=acting_user(request), handover=handover, conduct=data["conduct"]),
        done="已纳入执行力档案。",
    )
    return redirect("handovers:detail", pk=pk)


@login_required
@require_GET
def person_conduct(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_policy.get_or_404(request.user, pk=pk)
    return render(
        request, "handovers/person_conduct.html", {"person": person, "entries": list(conduct_of(request.user, pk))}
    )
