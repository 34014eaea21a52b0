"""Pages and API: confidentiality (department A never reaches B's answers or a batch not released to it), no export
for reviewers, every candidate view recorded, watermarks with the viewer's name, reasons only for the county."""

from __future__ import annotations

from io import BytesIO
from typing import Any
from urllib.parse import quote

import pypdf
import python_calamine
from django.urls import reverse

from conftest import COUNTY, TOWN_A, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.core.tests.test_printing import assert_fonts_embedded
from cunshe.reviews.models import CandidateView, DepartmentReview, ReviewBatch
from cunshe.reviews.services import answer_give, answers_clear_rest, batch_release, batch_submit
from cunshe.reviews.tests.conftest import ReviewCounty, rows
from cunshe.reviews.tests.test_reviews import part, sign, sign_all


def released(county: ReviewCounty, count: int = 2, start: int = 0) -> ReviewBatch:
    batch = batch_submit(
        actor=county.officer,
        review_round=county.review_round,
        town_code=TOWN_A,
        rows=rows(VILLAGE_A, count, start=start),
    )
    return batch_release(actor=county.organizer, batch=batch, expected_version=batch.version)


def with_findings(county: ReviewCounty) -> ReviewBatch:
    batch = released(county, 3)
    first, second, _ = list(batch.candidates.order_by("position"))
    answer_give(
        actor=county.reviewers["市公安局"],
        review=part(batch, "市公安局"),
        candidate=first,
        verdict="excluded",
        rule=county.rule("2"),
        reason="2024年因寻衅滋事被判处拘役",
    )
    answer_give(
        actor=county.reviewers["市人民法院"],
        review=part(batch, "市人民法院"),
        candidate=second,
        verdict="doubtful",
        reason="涉诉案件尚未结案",
    )
    sign_all(county, batch)
    return batch


def test_a_reviewer_gets_404_for_another_departments_answers(county: ReviewCounty, web_as: Any, api_as: Any) -> None:
    batch = with_findings(county)
    police = web_as(county.reviewers["市公安局"])
    own, other = part(batch, "市公安局"), part(batch, "市人民法院")
    candidate = batch.candidates.order_by("position")[1]
    page = police.get(reverse("reviews:desk_batch", kwargs={"pk": own.pk}))
    assert page.status_code == 200 and "寻衅滋事" in page.content.decode()
    # The court's doubt about the second candidate is not on the police page.
    assert "涉诉案件" not in page.content.decode()
    assert police.get(reverse("reviews:desk_batch", kwargs={"pk": other.pk})).status_code == 404
    url = reverse("reviews:desk_candidate", kwargs={"pk": other.pk, "candidate_pk": candidate.pk})
    assert police.get(url).status_code == 404
    api = api_as(county.reviewers["市公安局"])
    assert api.get(f"/api/v1/reviews/desk/{other.pk}").status_code == 404
    assert api.get(f"/api/v1/reviews/desk/{own.pk}").status_code == 200
    assert "涉诉案件" not in api.get(f"/api/v1/reviews/desk/{own.pk}").content.decode()
    # The county's pages are no way round: reviewers hold no region capability there.
    assert police.get(reverse("reviews:candidate", kwargs={"pk": candidate.pk})).status_code == 404
    assert api.get(f"/api/v1/reviews/candidates/{candidate.pk}").status_code == 404
    assert api.get(f"/api/v1/reviews/batches/{batch.pk}").status_code == 404


def test_a_reviewer_gets_404_for_a_batch_not_released_to_them(county: ReviewCounty, web_as: Any) -> None:
    batch = released(county, 1)
    waiting = batch_submit(
        actor=county.officer, review_round=county.review_round, town_code=TOWN_A, rows=rows(VILLAGE_A, 1, start=40)
    )
    police = web_as(county.reviewers["市公安局"])
    desk = police.get(reverse("reviews:desk")).content.decode()
    assert batch.title in desk and waiting.title not in desk
    # The waiting batch has no department parts yet; guessing the next ids finds nothing either.
    highest = DepartmentReview.objects.order_by("-pk").first()
    assert highest is not None
    assert police.get(reverse("reviews:desk_batch", kwargs={"pk": highest.pk + 1})).status_code == 404
    assert police.get(reverse("reviews:batch", kwargs={"pk": waiting.pk})).status_code == 404


def test_reviewers_cannot_export(county: ReviewCounty, web_as: Any, api_as: Any) -> None:
    with_findings(county)
    pk = county.review_round.pk
    police = web_as(county.reviewers["市公安局"])
    for name in ("reviews:round_report_xlsx", "reviews:round_report_pdf", "reviews:round"):
        assert police.get(reverse(name, kwargs={"pk": pk})).status_code == 404
    organizer = web_as(county.organizer)
    assert organizer.get(reverse("reviews:round_report_xlsx", kwargs={"pk": pk})).status_code == 200
    # The town sees its round but cannot export the report either.
    officer = web_as(county.officer)
    assert officer.get(reverse("reviews:round", kwargs={"pk": pk})).status_code == 200
    assert officer.get(reverse("reviews:round_report_pdf", kwargs={"pk": pk})).status_code == 404


def test_every_view_of_a_candidate_is_recorded(county: ReviewCounty, web_as: Any, api_as: Any) -> None:
    batch = released(county, 1)
    candidate = batch.candidates.get()
    own = part(batch, "市公安局")
    web_as(county.reviewers["市公安局"]).get(
        reverse("reviews:desk_candidate", kwargs={"pk": own.pk, "candidate_pk": candidate.pk})
    )
    web_as(county.officer).get(reverse("reviews:candidate", kwargs={"pk": candidate.pk}))
    api_as(county.organizer).get(f"/api/v1/reviews/candidates/{candidate.pk}")
    seen = list(CandidateView.objects.filter(candidate=candidate).order_by("at", "pk"))
    assert [(v.user_id, v.channel) for v in seen] == [
        (county.reviewers["市公安局"].pk, "web"),
        (county.officer.pk, "web"),
        (county.organizer.pk, "api"),
    ]
    assert seen[0].department_id == own.department_id
    # A refused look leaves nothing to record.
    other = part(batch, "市人民法院")
    web_as(county.reviewers["市公安局"]).get(
        reverse("reviews:desk_candidate", kwargs={"pk": other.pk, "candidate_pk": candidate.pk})
    )
    assert CandidateView.objects.filter(candidate=candidate).count() == 3


def test_pages_carry_a_watermark_with_the_viewers_name(county: ReviewCounty, web_as: Any) -> None:
    batch = released(county, 1)
    reviewer = county.reviewers["市公安局"]
    page = web_as(reviewer).get(reverse("reviews:desk_batch", kwargs={"pk": part(batch, "市公安局").pk}))
    assert 'class="review-watermark"' in page.content.decode()
    assert page.content.decode().count(reviewer.display_name) > 10


def test_reasons_only_for_the_county_the_town_sees_outcomes(county: ReviewCounty, web_as: Any, api_as: Any) -> None:
    batch = with_findings(county)
    first = batch.candidates.order_by("position")[0]
    town_page = web_as(county.officer).get(reverse("reviews:candidate", kwargs={"pk": first.pk})).content.decode()
    assert "不通过" in town_page and "寻衅滋事" not in town_page
    town_api = api_as(county.officer).get(f"/api/v1/reviews/candidates/{first.pk}").json()
    assert town_api["outcome"] == "excluded" and town_api["answers"] is None
    county_page = web_as(county.organizer).get(reverse("reviews:candidate", kwargs={"pk": first.pk})).content.decode()
    assert "寻衅滋事" in county_page
    county_api = api_as(county.organizer).get(f"/api/v1/reviews/candidates/{first.pk}").json()
    assert {a["rule"] for a in county_api["answers"]} == {"2", ""}


def test_round_report_in_excel_and_pdf(county: ReviewCounty, web_as: Any) -> None:
    with_findings(county)
    client = web_as(county.organizer)
    xlsx = client.get(reverse("reviews:round_report_xlsx", kwargs={"pk": county.review_round.pk})).content
    table = python_calamine.CalamineWorkbook.from_filelike(BytesIO(xlsx)).get_sheet_by_index(0).to_python()
    values = {(r[0], r[1]): r[2] for r in table[1:]}
    assert values[("总体", "联审人数")] == 3
    assert values[("总体", "不通过")] == 1 and values[("总体", "存疑待研判")] == 1
    assert values[("按排除规则", "2. 受过刑事处罚或涉黑涉恶")] == 1
    answer = client.get(reverse("reviews:round_report_pdf", kwargs={"pk": county.review_round.pk}))
    pdf = answer.content
    text = "".join(page.extract_text() for page in pypdf.PdfReader(BytesIO(pdf)).pages)
    title = f"{county.review_round.title}情况报告"
    metadata = pypdf.PdfReader(BytesIO(pdf)).metadata
    assert metadata is not None and metadata.title == title  # not "(anonymous)"
    assert quote(f"{title}.pdf") in answer["Content-Disposition"]
    xlsx_answer = client.get(reverse("reviews:round_report_xlsx", kwargs={"pk": county.review_round.pk}))
    assert quote(f"{title}.xlsx") in xlsx_answer["Content-Disposition"]
    assert_fonts_embedded(pdf)
    assert "情况报告" in text and "受过刑事处罚或涉黑涉恶" in text
    # The watermark: the printing organizer's name is drawn on the page.
    assert county.organizer.display_name in text and "注意保密" in text


def test_round_page_and_desk_queries_do_not_grow_with_batches(
    county: ReviewCounty, web_as: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(4):
        batch = released(county, 5, start=n * 10)
        review = part(batch, "市公安局")
        answers_clear_rest(actor=county.reviewers["市公安局"], review=review)
        sign(county, review)
    organizer, police = web_as(county.organizer), web_as(county.reviewers["市公安局"])
    with django_assert_max_num_queries(16):
        assert organizer.get(reverse("reviews:round", kwargs={"pk": county.review_round.pk})).status_code == 200
    with django_assert_max_num_queries(12):
        assert police.get(reverse("reviews:desk")).status_code == 200
    with django_assert_max_num_queries(14):
        assert police.get(reverse("reviews:desk_batch", kwargs={"pk": review.pk})).status_code == 200


def test_marking_a_row_with_htmx_answers_with_that_row_only(county: ReviewCounty, web_as: Any) -> None:
    batch = released(county, 3)
    review = part(batch, "市公安局")
    candidate = batch.candidates.order_by("position")[1]
    police = web_as(county.reviewers["市公安局"])
    url = reverse("reviews:desk_answer", kwargs={"pk": review.pk, "candidate_pk": candidate.pk})
    refused = police.post(url, {"verdict": "doubtful", "reason": ""}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200 and "理由" in refused.content.decode()
    done = police.post(url, {"verdict": "doubtful", "reason": "信访待核"}, HTTP_HX_REQUEST="true").content.decode()
    assert done.startswith(f'<tr id="c{candidate.pk}"') and "信访待核" in done and "<html" not in done
    assert review.answers.get().verdict == "doubtful"


def test_a_town_submits_its_candidate_pool(county: ReviewCounty, make_person: Any, web_as: Any) -> None:
    from datetime import date

    from cunshe.reserves.services import candidate_add
    from cunshe.reviews.models import Candidate
    from cunshe.termchanges.services import term_change_open

    term_change_open(actor=SYSTEM, county_code="371681", year=2026, opened_on=date(2026, 9, 1))
    in_pool = make_person(VILLAGE_A, name="入库人选")
    make_person(VILLAGE_A, name="库外村民")
    candidate_add(actor=SYSTEM, village_code=VILLAGE_A, person=in_pool, origin="incumbent", added_on=date(2026, 10, 1))
    client = web_as(county.officer)
    url = reverse("reviews:batch_pick", kwargs={"pk": county.review_round.pk})
    page = client.get(f"{url}?town={TOWN_A}&source=pool").content.decode()
    assert "入库人选" in page and "库外村民" not in page and "checked" in page
    response = client.post(url, {"town": TOWN_A, "person": [in_pool.pk]})
    assert response.status_code == 302
    assert list(Candidate.objects.values_list("person__name", flat=True)) == ["入库人选"]


def test_a_department_form_loaded_before_another_change_saves_nothing(
    county: ReviewCounty, web_as: Any, make_user: Any
) -> None:
    """Issue 14, item 17: the department's name and head were edited without a version; the last form won."""
    from cunshe.accounts.models import Department
    from cunshe.reviews.models import DepartmentHead

    police = next(d for d in county.departments if d.name == "市公安局")
    police.refresh_from_db()
    loaded = police.version
    client = web_as(county.organizer)
    page = client.get("/reviews/departments/").content.decode()
    assert f'name="version" value="{loaded}"' in page
    second = make_user("reviewer", COUNTY, department=police, name="第二审查员")
    renamed = client.post(
        f"/reviews/departments/{police.pk}/edit/", {"name": "市公安局（含交警）", "is_active": "on", "version": loaded}
    )
    assert renamed.status_code == 302
    stale = client.post(f"/reviews/departments/{police.pk}/head/", {"user": second.pk, "version": loaded}, follow=True)
    assert "已被他人修改" in stale.content.decode()
    assert DepartmentHead.objects.get(department=police).user == county.reviewers["市公安局"]
    assert Department.objects.get(pk=police.pk).name == "市公安局（含交警）"
