"""Pages of the survey module: the forms and their results rolled up (counts per choice; satisfaction scores beside
last year's), a village's page (paper totals, an answer entered by staff, QR slips, free text → issue), the three
posts of 三个全覆盖, and the public page a resident opens from a QR slip."""

from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunshe.access.policy import region_prefixes
from cunshe.accounts.selectors import acting_user
from cunshe.core.errors import DomainError
from cunshe.core.paging import page_of
from cunshe.core.printing import pdf_response
from cunshe.people.permissions import person_policy
from cunshe.regions.models import Level, Region
from cunshe.spreadsheets.layout import xlsx_response
from cunshe.surveys import exports, printouts, selectors
from cunshe.surveys.forms import HolderForm, RaiseForm, SurveyForm, TokensForm, VersionForm, parse_questions
from cunshe.surveys.models import Choice, Kind, Purpose, Run, Status, Survey, Tally, TextAnswer, Token
from cunshe.surveys.permissions import holder_policy, run_policy, survey_policy, text_policy
from cunshe.surveys.services import (
    holder_assign,
    paper_enter,
    response_enter,
    response_submit,
    survey_close,
    survey_create,
    survey_open,
    survey_revise,
    text_raise,
    token_open,
    tokens_issue,
)
from cunshe.web.forms import button_action, form_action, form_errors_text
from cunshe.web.kept_pages import list_page_kept, render_kept

FORMULA = "每个打分答案折合 分数÷最高分×100（1-5 分即 20、40、60、80、100），得分为全部打分答案的平均，四舍五入到 0.1"


def manage_regions(user: Any) -> list[tuple[str, str]]:
    prefixes = region_prefixes(user, "surveys.manage")
    regions = Region.objects.filter(code__in=prefixes, level__in=(Level.COUNTY, Level.TOWN)).order_by("code")
    return [(r.code, r.name) for r in regions]


def _previous_choices(user: Any) -> list[tuple[int, str]]:
    # A picker, not a list: the last 50 closed surveys to compare with.
    found = selectors.surveys_visible(user).filter(purpose=Purpose.SATISFACTION, status=Status.CLOSED)[:50]
    return [(s.pk, f"{s.year} {s.title}") for s in found]


def _list_context(request: HttpRequest, form: SurveyForm | None = None) -> dict[str, Any]:
    regions = manage_regions(request.user)
    return {
        "surveys": page_of(request, selectors.surveys_visible(request.user), 50),  # it stopped at 200
        "form": form or (SurveyForm(regions=regions, previous=_previous_choices(request.user)) if regions else None),
        "can_holders": holder_policy.anywhere(request.user),
    }


def _list_page(request: HttpRequest, form: SurveyForm, status: int) -> HttpResponse:
    """The list with a refused form: rendered for this response alone."""
    return render(request, "surveys/list.html", _list_context(request, form), status=status)


@login_required
@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    # Kept whole under the reader, the query string, the change number of the reader's regions and the day (a
    # survey's status moves only through a service): read and rendered again only when something changed (issue 15).
    kept = list_page_kept(request, "surveys.list")
    return render_kept(request, kept, "surveys/list.html", lambda: _list_context(request))


@login_required
@require_POST
def survey_new(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST, regions=manage_regions(request.user), previous=_previous_choices(request.user))

    def create(d: dict[str, Any]) -> Survey:
        previous = survey_policy.get_or_404(request.user, pk=int(d["previous"])) if d["previous"] else None
        return survey_create(
            actor=acting_user(request),
            region_code=d["region"],
            title=d["title"],
            purpose=d["purpose"],
            post=d["post"],
            year=d["year"],
            intro=d["intro"],
            previous=previous,
            questions=parse_questions(d["questions"]),
        )

    survey = form_action(request, form, create)
    if survey is not None:
        messages.success(request, f"已创建问卷草稿：{survey.title}。")
        return redirect("surveys:survey", pk=survey.pk)
    return _list_page(request, form, status=400)


def _survey(request: HttpRequest, pk: int) -> Survey:
    return survey_policy.get_or_404(request.user, queryset=Survey.objects.select_related("region"), pk=pk)


def _under(request: HttpRequest, survey: Survey, under: str = "") -> Region:
    return run_policy.rollup_region(request.user, under or request.GET.get("under", "") or survey.region_id)


@login_required
@require_GET
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    s = _survey(request, pk)
    region = _under(request, s)
    res = selectors.results(request.user, s, region.code)
    sc = selectors.scores(request.user, s, region.code) if s.purpose == Purpose.SATISFACTION else None
    versions = Survey.objects.filter(series=s.series).order_by("number")
    return render(
        request,
        "surveys/survey.html",
        {
            "s": s,
            "region": region,
            "res": res,
            "sc": sc,
            "formula": FORMULA,
            "child_is_village": len(region.code) >= 9,
            "can_manage": survey_policy.can(request.user, "change", s),
            "versions": versions,
            "runs": selectors.runs_of(request.user, s, region.code) if len(region.code) >= 9 else [],
        },
    )


def _button(request: HttpRequest, pk: int, call: Any, done: str) -> HttpResponse:
    s = _survey(request, pk)
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    result = button_action(request, lambda: call(s, version), done=done)
    return redirect("surveys:survey", pk=result.pk if isinstance(result, Survey) else pk)


@login_required
@require_POST
def survey_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _button(
        request,
        pk,
        lambda s, v: survey_open(actor=acting_user(request), survey=s, expected_version=v),
        "问卷已定稿，开始调查。",
    )


@login_required
@require_POST
def survey_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _button(
        request,
        pk,
        lambda s, v: survey_close(actor=acting_user(request), survey=s, expected_version=v),
        "调查已结束。",
    )


@login_required
@require_POST
def survey_revise_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _button(
        request, pk, lambda s, v: survey_revise(actor=acting_user(request), survey=s), "已另起新版本（草稿）。"
    )


def _xlsx(request: HttpRequest, s: Survey, under: str, what: str) -> HttpResponse:
    """The results (counts per choice) or, for a satisfaction survey, the scores, under the asked region."""
    if what == "scores" and s.purpose != Purpose.SATISFACTION:
        raise Http404("该问卷不是满意度测评。")
    region = run_policy.rollup_region(request.user, under or s.region_id, fallback=not under)
    buffer = BytesIO()
    if what == "scores":
        exports.scores_export(selectors.scores(request.user, s, region.code), buffer)
    else:
        exports.results_export(selectors.results(request.user, s, region.code), buffer)
    return xlsx_response(buffer.getvalue(), f"{s.title}{'得分' if what == 'scores' else '结果'}.xlsx")


def results_xlsx_response(request: HttpRequest, s: Survey, under: str) -> HttpResponse:
    return _xlsx(request, s, under, "results")


def scores_xlsx_response(request: HttpRequest, s: Survey, under: str) -> HttpResponse:
    return _xlsx(request, s, under, "scores")


def form_pdf_response(s: Survey) -> HttpResponse:
    return pdf_response(printouts.form_pdf(s), f"{s.title}.pdf")


def results_pdf_response(request: HttpRequest, s: Survey, under: str) -> HttpResponse:
    region = run_policy.rollup_region(request.user, under or s.region_id, fallback=not under)
    res = selectors.results(request.user, s, region.code)
    sc = selectors.scores(request.user, s, region.code) if s.purpose == Purpose.SATISFACTION else None
    return pdf_response(printouts.results_pdf(res, region.name, sc), f"{s.title}结果.pdf")


@login_required
@require_GET
def results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return results_xlsx_response(request, _survey(request, pk), request.GET.get("under", ""))


@login_required
@require_GET
def scores_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return scores_xlsx_response(request, _survey(request, pk), request.GET.get("under", ""))


@login_required
@require_GET
def form_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return form_pdf_response(_survey(request, pk))


@login_required
@require_GET
def results_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return results_pdf_response(request, _survey(request, pk), request.GET.get("under", ""))


def _run(request: HttpRequest, pk: int) -> Run:
    return run_policy.get_or_404(
        request.user, queryset=Run.objects.select_related("survey", "village", "subject"), pk=pk
    )


def run_data(user: Any, run: Run) -> dict[str, Any]:
    counts = {
        t.choice_id: (t.paper, t.single)
        for t in Tally.objects.filter(survey_id=run.survey_id, village_id=run.village_id)
    }
    return {
        "counts": counts,
        "texts": list(selectors.texts_of(user, run)),
        "tokens_unused": Token.objects.filter(run=run, used_at__isnull=True).count(),
    }


def public_base(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("surveys_public:answer", kwargs={"code": "x"}))[:-2]


@login_required
@require_GET
def run(request: HttpRequest, pk: int) -> HttpResponse:
    r = _run(request, pk)
    data = run_data(request.user, r)
    questions = selectors.questions_of(r.survey)
    action = "manage" if r.survey.purpose == Purpose.SATISFACTION else "enter"
    rows = [(q, [(c, *data["counts"].get(c.pk, (0, 0))) for c in q.choices.all()]) for q in questions]
    return render(
        request,
        "surveys/run.html",
        {
            "r": r,
            "rows": rows,
            "texts": data["texts"],
            "tokens_unused": data["tokens_unused"],
            "slip_batches": selectors.unused_batches(r),
            "can_enter": r.survey.status == Status.OPEN and run_policy.can(request.user, action, r),
            "can_raise": text_policy.anywhere(request.user, "raise"),
            "tokens_form": TokensForm(),
            "raise_form": RaiseForm(),
            "TEXT": Kind.TEXT,
            "MULTIPLE": Kind.MULTIPLE,
        },
    )


def _ints(post: Mapping[str, Any], prefix: str) -> dict[str, str]:
    return {k[len(prefix) :]: v for k, v in post.items() if k.startswith(prefix)}


@login_required
@require_POST
def paper(request: HttpRequest, pk: int) -> HttpResponse:
    """Fields: papers, version, c<choice id> = count, t<question id> = the texts, one a line."""
    r = _run(request, pk)
    totals: dict[str, dict[str, int]] = {}
    bad = []
    choice_question = {
        str(c): str(q)
        for c, q in Choice.objects.filter(question__survey_id=r.survey_id).values_list("pk", "question_id")
    }
    for cid, raw in _ints(request.POST, "c").items():
        if not raw.strip():
            continue
        if not raw.strip().isdigit() or cid not in choice_question:
            bad.append(raw)
            continue
        totals.setdefault(choice_question[cid], {})[cid] = int(raw)
    texts = {qid: raw.splitlines() for qid, raw in _ints(request.POST, "t").items()}
    papers_raw, version = request.POST.get("papers", ""), request.POST.get("version", "")
    if bad or not papers_raw.strip().isdigit():
        messages.error(request, "纸质问卷份数和各选项份数须为不小于 0 的整数。")
        return redirect("surveys:run", pk=pk)
    button_action(
        request,
        lambda: paper_enter(
            actor=acting_user(request),
            run=r,
            papers=int(papers_raw),
            totals=totals,
            texts=texts,
            expected_version=int(version) if version.isdigit() else None,
        ),
        done=f"已录入纸质问卷 {papers_raw} 份的汇总。",
    )
    return redirect("surveys:run", pk=pk)


def answers_from(post: Any, questions: list[Any]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for q in questions:
        key = f"q{q.pk}"
        if q.kind == Kind.MULTIPLE:
            answers[str(q.pk)] = [v for v in post.getlist(key) if v.isdigit()]
        elif q.kind == Kind.TEXT:
            answers[str(q.pk)] = post.get(key, "")
        elif post.get(key, "").isdigit():
            answers[str(q.pk)] = post.get(key)
    return answers


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    r = _run(request, pk)
    button_action(
        request,
        lambda: response_enter(
            actor=acting_user(request), run=r, answers=answers_from(request.POST, selectors.questions_of(r.survey))
        ),
        done="已录入一份答卷。",
    )
    return redirect("surveys:run", pk=pk)


@login_required
@require_POST
def tokens(request: HttpRequest, pk: int) -> HttpResponse:
    r = _run(request, pk)
    form = TokensForm(request.POST)
    made = form_action(request, form, lambda d: tokens_issue(actor=acting_user(request), run=r, count=d["count"]))
    if made:
        messages.success(request, f"已生成第 {made[0].batch} 批扫码问卷 {len(made)} 份，请打印问卷条发放。")
    else:
        messages.error(request, form_errors_text(form) or "未能生成。")
    return redirect("surveys:run", pk=pk)


def slips_response(request: HttpRequest, r: Run, batch: int | None = None) -> HttpResponse:
    """The unused links of one batch as slips (the newest batch unless one is named): a batch is at most
    MAX_TOKENS links, so a printout never leaves one off."""
    batch, unused = selectors.unused_tokens(r, batch)
    content = printouts.slips_pdf(r.survey, r.village.name, unused, public_base(request))
    name = f"{r.village.name}扫码问卷条第{batch}批.pdf" if batch is not None else f"{r.village.name}扫码问卷条.pdf"
    return pdf_response(content, name)


@login_required
@require_GET
def slips(request: HttpRequest, pk: int) -> HttpResponse:
    asked = request.GET.get("batch", "")
    batch = int(asked) if asked.isdecimal() and len(asked) <= 5 and 1 <= int(asked) <= selectors.MAX_BATCH else None
    return slips_response(request, _run(request, pk), batch)


@login_required
@require_POST
def raise_issue(request: HttpRequest, pk: int) -> HttpResponse:
    answer_ = text_policy.get_or_404(request.user, queryset=TextAnswer.objects.all(), pk=pk)
    form = RaiseForm(request.POST)
    issue = form_action(
        request,
        form,
        lambda d: text_raise(
            actor=acting_user(request), answer=answer_, title=d["title"], owner=d["owner"], due_on=d["due_on"]
        ),
    )
    if issue is not None:
        messages.success(request, f"已转为问题清单：{issue.title}。")
    else:
        messages.error(request, form_errors_text(form) or "未能转为问题。")
    return redirect("surveys:run", pk=answer_.run_id)


def holder_region(request: HttpRequest, under: str, *, fallback: bool = True) -> Region:
    return holder_policy.rollup_region(request.user, under, fallback=fallback)


def _holders_page(request: HttpRequest, form: HolderForm | None = None, status: int = 200) -> HttpResponse:
    region = holder_region(request, request.GET.get("under", ""))
    return render(
        request,
        "surveys/holders.html",
        {
            "region": region,
            "holders": page_of(request, selectors.holders_under(request.user, region.code), 50),  # it stopped at 2,000
            "form": form or (HolderForm() if holder_policy.anywhere(request.user, "change") else None),
        },
        status=status,
    )


@login_required
@require_GET
def holders(request: HttpRequest) -> HttpResponse:
    return _holders_page(request)


@login_required
@require_POST
def holder_new(request: HttpRequest) -> HttpResponse:
    form = HolderForm(request.POST)

    def assign(d: dict[str, Any]) -> Any:
        person = person_policy.get_or_404(request.user, pk=d["person_id"])
        return holder_assign(
            actor=acting_user(request),
            village_code=d["village"],
            post=d["post"],
            person=person,
            since=d["since"],
            unit=d["unit"],
        )

    done = form_action(request, form, assign)
    if done is not None:
        messages.success(request, f"已登记：{done.village.name}{done.get_post_display()} {done.person.name}。")
        return redirect(f"{reverse('surveys:holders')}?under={done.village_id[:9]}")
    return _holders_page(request, form, status=400)


@require_http_methods(["GET", "POST"])
def public_answer(request: HttpRequest, code: str) -> HttpResponse:
    """A resident's page from a QR slip: no account, one answer per slip; a used, unknown or closed link is one
    neutral page."""
    try:
        token = token_open(code)
    except Http404:
        return render(request, "surveys/public.html", {"token": None}, status=404)
    questions = selectors.questions_of(token.run.survey)
    error, errors = "", {}
    if request.method == "POST":
        try:
            response_submit(code=code, answers=answers_from(request.POST, questions))
        except Http404:
            return render(request, "surveys/public.html", {"token": None}, status=404)
        except DomainError as exc:
            error, errors = exc.message, exc.field_errors
        else:
            return render(request, "surveys/public.html", {"token": token, "done": True})
    return render(
        request,
        "surveys/public.html",
        {
            "token": token,
            "questions": [(q, errors.get(f"q{q.pk}", [])) for q in questions],
            "error": error,
            "TEXT": Kind.TEXT,
            "MULTIPLE": Kind.MULTIPLE,
        },
        status=400 if error else 200,
    )
