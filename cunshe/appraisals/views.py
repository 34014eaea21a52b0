"""Pages of 双评三考 for the town and county staff: the people appraised with the problem roll-up, one person's
双评 and 三考 (forms for each step), a law paper to answer, the inspection report PDF, the question bank with its
Excel import, and the results table as Excel."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any, BinaryIO, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cunshe.access.policy import region_prefixes
from cunshe.accounts.selectors import acting_user
from cunshe.appraisals import exports, printouts, selectors, services
from cunshe.appraisals.exports import bank_export, results_export, rollup_export
from cunshe.appraisals.forms import (
    DrawForm,
    ImportForm,
    InquiryForm,
    InspectionForm,
    OpenForm,
    ProblemForm,
    QuestionForm,
    RatingForm,
    RatingsForm,
    ReferForm,
    SelfForm,
)
from cunshe.appraisals.models import Appraisal, Inspection, Paper, Problem
from cunshe.appraisals.permissions import appraisal_policy, paper_policy, problem_policy
from cunshe.core.printing import pdf_response
from cunshe.people.models import Person
from cunshe.regions.models import Level, Region
from cunshe.spreadsheets.layout import xlsx_response
from cunshe.web.forms import form_action, form_message_action, upload_report
from cunshe.web.kept_pages import list_page_kept, render_kept


def bank_regions(user: Any) -> list[tuple[str, str]]:
    """The counties and towns whose question bank the user keeps."""
    prefixes = region_prefixes(user, "appraisals.manage")
    regions = Region.objects.filter(code__in=prefixes, level__in=(Level.COUNTY, Level.TOWN)).order_by("code")
    return [(r.code, r.name) for r in regions]


def person_for(user: Any, person_id: int) -> Person:
    """A person of a village the user may appraise in (others do not exist here)."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None or not appraisal_policy.can_in_region(user, "view", person.region_id):
        raise Http404("未找到该人员。")
    return person


def _list_context(request: HttpRequest, form: OpenForm | None = None) -> dict[str, Any]:
    page = Paginator(selectors.appraisals_visible(request.user), 50).get_page(request.GET.get("page"))
    can_open = bool(region_prefixes(request.user, "appraisals.manage"))
    return {
        "page": page,
        "rows": page.object_list,
        "counts": selectors.problem_counts(request.user),
        "form": form or (OpenForm() if can_open else None),
        "rollup_code": home if len(home := appraisal_policy.home_region_code(request.user)) < 12 else "",
    }


def _list_page(request: HttpRequest, form: OpenForm, status: int) -> HttpResponse:
    """The page with a refused form: rendered for this response alone."""
    return render(request, "appraisals/list.html", _list_context(request, form), status=status)


@login_required
@require_GET
def appraisal_list(request: HttpRequest) -> HttpResponse:
    # Kept whole under the change number of the reader's regions and the day (issue 15): the appraisals, the
    # residents' ratings and the problem counts are all written by services recording in the village's county.
    kept = list_page_kept(request, "appraisals.list")
    return render_kept(request, kept, "appraisals/list.html", lambda: _list_context(request))


@login_required
@require_POST
def appraisal_new(request: HttpRequest) -> HttpResponse:
    form = OpenForm(request.POST)
    done = form_action(
        request,
        form,
        lambda d: services.appraisal_open(
            actor=acting_user(request),
            person=person_for(request.user, d["person"]),
            post=d["post"],
            opened_on=d["opened_on"],
        ),
    )
    if done is not None:
        messages.success(request, f"已建立 {done.person.name} 的双评三考档案。")
        return redirect("appraisals:detail", pk=done.pk)
    return _list_page(request, form, status=400)


def _appraisal(request: HttpRequest, pk: int) -> Appraisal:
    return appraisal_policy.get_or_404(
        request.user, queryset=Appraisal.objects.select_related("person", "region"), pk=pk
    )


def _kinds() -> list[tuple[str, str]]:
    return [(k.code, k.name) for k in selectors.kinds_in_force(timezone.localdate())]


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    a = _appraisal(request, pk)
    inspection = Inspection.objects.filter(appraisal=a).first()
    return render(
        request,
        "appraisals/detail.html",
        {
            "a": a,
            "rate": a.rate,
            "inquiries": selectors.inquiries_of(request.user, a),
            "papers": selectors.papers_of(request.user, a),
            "problems": selectors.problems_of(request.user, a),
            "inspection": inspection,
            "can_manage": appraisal_policy.can(request.user, "change", a),
            "self_form": SelfForm(
                initial={
                    "grade": a.self_grade,
                    "summary": a.self_summary,
                    "written_on": a.self_on,
                    "version": a.version,
                }
            ),
            "ratings_form": RatingsForm(
                initial={"satisfied": a.satisfied, "basic": a.basic, "unsatisfied": a.unsatisfied, "version": a.version}
            ),
            "rating_form": RatingForm(),
            "inquiry_form": InquiryForm(),
            "draw_form": DrawForm(initial={"drawn_on": timezone.localdate()}),
            "inspection_form": InspectionForm(),
            "problem_form": ProblemForm(kinds=_kinds()),
            "refer_form": ReferForm(),
        },
    )


def _step(request: HttpRequest, pk: int, form: Any, call: Any, done: str) -> HttpResponse:
    a = _appraisal(request, pk)
    form_message_action(request, form, lambda d: call(a, d), done=done)
    return redirect("appraisals:detail", pk=pk)


@login_required
@require_POST
def self_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        SelfForm(request.POST),
        lambda a, d: services.self_assess(
            actor=acting_user(request),
            appraisal=a,
            grade=d["grade"],
            summary=d["summary"],
            written_on=d["written_on"],
            expected_version=d["version"],
        ),
        "已保存自评。",
    )


@login_required
@require_POST
def ratings(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        RatingsForm(request.POST),
        lambda a, d: services.ratings_set(
            actor=acting_user(request),
            appraisal=a,
            satisfied=d["satisfied"],
            basic=d["basic"],
            unsatisfied=d["unsatisfied"],
            expected_version=d["version"],
        ),
        "已保存群众评价票数。",
    )


@login_required
@require_POST
def rating(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        RatingForm(request.POST),
        lambda a, d: services.rating_add(actor=acting_user(request), appraisal=a, level=d["level"]),
        "已录入一张群众评价票。",
    )


@login_required
@require_POST
def inquiry(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        InquiryForm(request.POST),
        lambda a, d: services.inquiry_record(actor=acting_user(request), appraisal=a, **d),
        "已记录部长问询考。",
    )


@login_required
@require_POST
def paper_new(request: HttpRequest, pk: int) -> HttpResponse:
    a = _appraisal(request, pk)
    paper = form_message_action(
        request,
        DrawForm(request.POST),
        lambda d: services.paper_draw(actor=acting_user(request), appraisal=a, drawn_on=d["drawn_on"]),
        done="已组卷，请作答。",
    )
    return redirect("appraisals:paper", pk=paper.pk) if paper else redirect("appraisals:detail", pk=pk)


def _paper(request: HttpRequest, pk: int) -> Paper:
    return paper_policy.get_or_404(
        request.user, queryset=Paper.objects.select_related("appraisal__person", "rule"), pk=pk
    )


@login_required
@require_GET
def paper(request: HttpRequest, pk: int) -> HttpResponse:
    p = _paper(request, pk)
    items = list(p.items.select_related("question"))
    return render(
        request,
        "appraisals/paper.html",
        {
            "paper": p,
            "items": items,
            "letters": services.LETTERS,
            "can_manage": paper_policy.can(request.user, "change", p),
        },
    )


def answers_from(post: Any, items: Any) -> dict[int, str]:
    """The form's answers: one field per question (`q3`), a multiple choice's boxes joined into letters."""
    return {i.position: "".join(post.getlist(f"q{i.position}")) for i in items}


@login_required
@require_POST
def paper_submit(request: HttpRequest, pk: int) -> HttpResponse:
    p = _paper(request, pk)
    items = list(p.items.all())
    form = DrawForm({"drawn_on": p.drawn_on})  # nothing to validate on the page itself: the service checks
    form_message_action(
        request,
        form,
        lambda d: services.paper_submit(actor=acting_user(request), paper=p, answers=answers_from(request.POST, items)),
        done=lambda r: f"已交卷：答对 {r.score}/{r.total} 题，{'及格' if r.passed else '不及格'}。",
    )
    return redirect("appraisals:paper", pk=pk)


@login_required
@require_POST
def inspection(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        InspectionForm(request.POST),
        lambda a, d: services.inspection_write(actor=acting_user(request), appraisal=a, **d),
        "已形成专项考察报告。",
    )


def report_response(user: Any, a: Appraisal) -> HttpResponse:
    found = Inspection.objects.filter(appraisal=a).first()
    if found is None:
        raise Http404("尚未形成考察报告。")
    pdf = printouts.report_pdf(
        a, found, selectors.papers_of(user, a), selectors.inquiries_of(user, a), selectors.problems_of(user, a)
    )
    return pdf_response(pdf, f"{a.person.name}专项考察报告.pdf")


@login_required
@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    return report_response(request.user, _appraisal(request, pk))


@login_required
@require_POST
def problem_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        ProblemForm(request.POST, kinds=_kinds()),
        lambda a, d: services.problem_add(
            actor=acting_user(request),
            appraisal=a,
            kind_code=d["kind"],
            description=d["description"],
            found_on=d["found_on"],
            serious=d["serious"],
        ),
        "已登记发现问题。",
    )


@login_required
@require_POST
def problem_refer(request: HttpRequest, pk: int) -> HttpResponse:
    problem = problem_policy.get_or_404(request.user, queryset=Problem.objects.all(), pk=pk)
    form_message_action(
        request,
        ReferForm(request.POST),
        lambda d: services.problem_refer(actor=acting_user(request), problem=problem, rule_id=d["rule"]),
        done="已转入负面清单（待核实）。",
    )
    return redirect("appraisals:detail", pk=problem.appraisal_id)


def _bank_page(
    request: HttpRequest, form: QuestionForm | None = None, import_form: ImportForm | None = None, status: int = 200
) -> HttpResponse:
    regions = bank_regions(request.user)
    page = Paginator(selectors.questions_visible(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "appraisals/bank.html",
        {
            "page": page,
            "rows": page.object_list,
            "form": form or (QuestionForm(regions=regions) if regions else None),
            "import_form": import_form or (ImportForm(regions=regions) if regions else None),
            "banks": selectors.banks_visible(request.user, regions),
        },
        status=status,
    )


@login_required
@require_GET
def bank(request: HttpRequest) -> HttpResponse:
    return _bank_page(request)


@login_required
@require_POST
def question_new(request: HttpRequest) -> HttpResponse:
    form = QuestionForm(request.POST, regions=bank_regions(request.user))
    done = form_action(
        request,
        form,
        lambda d: services.question_add(
            actor=acting_user(request),
            region_code=d["region"],
            kind=d["kind"],
            text=d["text"],
            options=[o for o in d["options"].splitlines() if o.strip()],
            answer=d["answer"],
        ),
    )
    if done is not None:
        messages.success(request, "已加入题库。")
        return redirect("appraisals:bank")
    return _bank_page(request, form=form, status=400)


@login_required
@require_POST
def bank_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES, regions=bank_regions(request.user))
    report = upload_report(
        request,
        form,
        lambda d: exports.questions_import(actor=acting_user(request), region_code=d["region"], stream=d["file"]),
    )
    if report is not None:
        messages.success(request, f"已导入：{report.summary}。")
        return redirect("appraisals:bank")
    return _bank_page(request, import_form=form, status=400)


def _workbook(write: Callable[[BinaryIO], object], filename: str) -> HttpResponse:
    buffer = BytesIO()
    write(buffer)
    return xlsx_response(buffer.getvalue(), filename)


def bank_response(user: Any, code: str) -> HttpResponse:
    region, questions = selectors.bank_of(user, code)
    return _workbook(lambda target: bank_export(questions, target), f"{region.name}法律法规题库.xlsx")


@login_required
@require_GET
def bank_download(request: HttpRequest, code: str) -> HttpResponse:
    return bank_response(request.user, code)


def export_response(user: Any) -> HttpResponse:
    return _workbook(lambda target: results_export(selectors.appraisals_visible(user), target), "双评三考结果.xlsx")


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    return export_response(request.user)


def rollup_region(user: Any, code: str, *, fallback: bool) -> Region:
    """The county or town a roll-up is for, under the appraisals' rule (a page falls back to the user's own; a
    download and the API answer 404); a village has no roll-up."""
    region = appraisal_policy.rollup_region(user, code, fallback=fallback)
    if region.level == Level.VILLAGE:
        raise Http404("汇总按县(市、区)或乡镇(街道)查看。")
    return cast(Region, region)


@login_required
@require_GET
def rollup(request: HttpRequest, code: str) -> HttpResponse:
    table = selectors.rollup(request.user, rollup_region(request.user, code, fallback=True))
    parent = table.region.parent_id or ""
    up = parent if parent and appraisal_policy.can_in_region(request.user, "view", parent) else ""
    return render(request, "appraisals/rollup.html", {"table": table, "region": table.region, "up": up})


def rollup_response(user: Any, code: str) -> HttpResponse:
    table = selectors.rollup(user, rollup_region(user, code, fallback=False))
    return _workbook(lambda target: rollup_export(table, target), f"{table.region.name}双评三考汇总.xlsx")


@login_required
@require_GET
def rollup_download(request: HttpRequest, code: str) -> HttpResponse:
    return rollup_response(request.user, code)
