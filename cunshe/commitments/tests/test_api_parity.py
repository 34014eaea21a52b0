"""What the commitments pages offer, through the API with the same services and rules (issue 14, item 22)."""

from datetime import timedelta
from io import BytesIO
from typing import Any

import python_calamine
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import COUNTY, VILLAGE_A, pdf_text
from cunshe.commitments.models import Commitment, Finding, ProgressUpdate, Status, TargetLetter
from cunshe.commitments.services import commitment_move
from cunshe.commitments.tests.conftest import YEAR

JSON = "application/json"


def test_inspection_draw_findings_rectification_and_report(
    organizer: Any, cadre: Any, api_as: Any, make_commitment: Any
) -> None:
    make_commitment(actor=cadre)
    county = api_as(organizer)
    drawn = county.post(
        "/api/v1/commitments/inspections",
        {
            "county": COUNTY,
            "title": "年中抽查",
            "mode": "share",
            "amount": 100,
            "drawn_on": str(timezone.localdate()),
            "seed": 7,
        },
        content_type=JSON,
    )
    assert drawn.status_code == 201, drawn.content
    body = drawn.json()
    assert body["seed"] == 7 and body["village_count"] == len(body["villages"]) > 0
    mine = next(v for v in body["villages"] if v["region"] == VILLAGE_A)
    refused = api_as(cadre).post(
        f"/api/v1/commitments/inspections/villages/{mine['id']}/findings",
        {"description": "x", "found_on": str(timezone.localdate()), "rectify_by": str(timezone.localdate())},
        content_type=JSON,
    )
    assert refused.status_code in (400, 403) and "无权" in refused.json()["message"]  # a village cadre does not inspect
    finding = county.post(
        f"/api/v1/commitments/inspections/villages/{mine['id']}/findings",
        {"description": "台账未公示", "found_on": str(timezone.localdate()), "rectify_by": str(timezone.localdate())},
        content_type=JSON,
    )
    assert finding.status_code == 201 and finding.json()["version"] == 1
    done = api_as(cadre).post(
        f"/api/v1/commitments/findings/{finding.json()['id']}/rectify",
        {"rectified_on": str(timezone.localdate()), "evidence": "已公示", "version": 1},
        content_type=JSON,
    )
    assert done.status_code == 200 and done.json()["rectified_on"] == str(timezone.localdate())
    stale = api_as(cadre).post(
        f"/api/v1/commitments/findings/{finding.json()['id']}/rectify",
        {"rectified_on": str(timezone.localdate()), "evidence": "再次", "version": 1},
        content_type=JSON,
    )
    assert stale.status_code in (400, 409)
    report = county.get(f"/api/v1/commitments/inspections/{body['id']}").json()["report"]
    assert report["findings"] == 1 and report["rectified"] == 1 and report["overdue"] == 0
    assert Finding.objects.get().evidence == "已公示"
    listed = county.get("/api/v1/commitments/inspections").json()
    assert (listed["count"], [i["title"] for i in listed["items"]]) == (1, ["年中抽查"])


def test_showcase_cases_and_the_ledger_and_cases_workbooks(
    cadre: Any, officer: Any, api_as: Any, make_commitment: Any
) -> None:
    commitment = make_commitment(actor=cadre)
    commitment = commitment_move(
        actor=cadre,
        commitment=commitment,
        to_status=Status.DONE,
        expected_version=commitment.version,
        completed_on=timezone.localdate(),
        evidence="验收",
    )
    assert (
        api_as(cadre)
        .post(
            f"/api/v1/commitments/{commitment.pk}/showcase",
            {"writeup": "治理经验", "version": commitment.version},
            content_type=JSON,
        )
        .status_code
        == 403
    )  # the town chooses the cases, as on the page
    client = api_as(officer)
    shown = client.post(
        f"/api/v1/commitments/{commitment.pk}/showcase",
        {"writeup": "治理经验", "version": commitment.version},
        content_type=JSON,
    )
    assert shown.status_code == 200 and shown.json()["is_showcase"] is True
    assert client.get("/api/v1/commitments/cases").json()["items"][0]["writeup"] == "治理经验"
    for url, text in (
        ("/api/v1/commitments/export", commitment.title),
        ("/api/v1/commitments/cases/export", "治理经验"),
    ):
        answer = client.get(url)
        assert answer.status_code == 200 and answer["Content-Type"].startswith("application/vnd.openxmlformats")
        rows = python_calamine.CalamineWorkbook.from_filelike(BytesIO(answer.content)).get_sheet_by_index(0)
        assert any(text in str(cell) for row in rows.to_python() for cell in row)


def test_target_letter_pdf_and_its_signing(cadre: Any, officer: Any, api_as: Any, make_commitment: Any) -> None:
    make_commitment(actor=cadre, title="修缮村史馆")
    letter = api_as(cadre).get(f"/api/v1/commitments/letters/{VILLAGE_A}/{YEAR}")
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert "修缮村史馆" in pdf_text(letter.content)[0]
    signed = api_as(officer).post(
        f"/api/v1/commitments/letters/{VILLAGE_A}/{YEAR}/sign",
        {"signed_on": str(timezone.localdate())},
        content_type=JSON,
    )
    assert signed.status_code == 201 and len(signed.json()["ledger_nos"]) == 1
    assert TargetLetter.objects.filter(region_id=VILLAGE_A, year=YEAR).exists()


def test_progress_with_a_photo_and_the_photo_back(cadre: Any, api_as: Any, make_commitment: Any) -> None:
    commitment = make_commitment(actor=cadre)
    client = api_as(cadre)
    jpeg = b"\xff\xd8\xff\xe0" + b"0" * 100
    added = client.post(
        f"/api/v1/commitments/{commitment.pk}/progress/photo",
        {
            "written_on": str(timezone.localdate()),
            "note": "已开工",
            "photo": SimpleUploadedFile("a.jpg", jpeg, "image/jpeg"),
        },
    )
    assert added.status_code == 201, added.content
    update = ProgressUpdate.objects.get(pk=added.json()["id"])
    photo = client.get(f"/api/v1/commitments/progress/{update.pk}/photo")
    assert photo.status_code == 200 and b"".join(photo.streaming_content) == jpeg
    bad = client.post(
        f"/api/v1/commitments/{commitment.pk}/progress/photo",
        {
            "written_on": str(timezone.localdate()),
            "note": "x",
            "photo": SimpleUploadedFile("a.exe", b"MZ", "application/x"),
        },
    )
    assert bad.status_code == 400


def test_the_api_reads_and_sets_the_county_rules_organizers_only(
    organizer: Any, officer: Any, api_as: Any, other_county: Any
) -> None:
    api = api_as(organizer)
    defaults = api.get(f"/api/v1/commitments/rules/{COUNTY}").json()
    assert defaults["version"] == 0 and (defaults["min_per_village"], defaults["max_per_village"]) == (3, 5)
    body = {"min_per_village": 2, "max_per_village": 4, "categories": ["乡风文明", "基础设施"], "version": None}
    saved = api.put(f"/api/v1/commitments/rules/{COUNTY}", body, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["categories"] == ["乡风文明", "基础设施"]
    assert saved.json()["version"] == 1
    stale = api.put(f"/api/v1/commitments/rules/{COUNTY}", {**body, "version": 0}, content_type="application/json")
    assert stale.status_code == 409
    bad = api.put(
        f"/api/v1/commitments/rules/{COUNTY}",
        {**body, "min_per_village": 9, "version": 1},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "件数范围" in bad.content.decode()
    # A town officer reads the county's rules but may not change them; another county's are not there.
    town = api_as(officer)
    assert town.get(f"/api/v1/commitments/rules/{COUNTY}").json()["max_per_village"] == 4
    refused = town.put(f"/api/v1/commitments/rules/{COUNTY}", {**body, "version": 1}, content_type="application/json")
    assert refused.status_code == 403
    assert api.get(f"/api/v1/commitments/rules/{other_county.code}").status_code == 404


def test_the_api_answers_the_status_as_of_today_and_what_the_row_does_not_hold(
    cadre: Any, api_as: Any, make_commitment: Any
) -> None:
    # The answer reads its fields from the row; the village's name, the term in words and the status of the day are
    # added. Open past its deadline, a commitment reads 已逾期 before the daily job has marked it.
    c = make_commitment(actor=cadre, deadline=timezone.localdate() + timedelta(days=3))
    client = api_as(cadre)
    today = client.get(f"/api/v1/commitments/{c.pk}").json()
    assert today["status"] == Status.PLANNED and today["region"] == VILLAGE_A and today["region_name"] == "西范村委会"
    assert today["term"] == c.term_label and today["deadline"] == str(c.deadline) and today["version"] == c.version
    with time_machine.travel(timezone.now() + timedelta(days=5)):
        late = client.get(f"/api/v1/commitments/{c.pk}").json()
        listed = client.get("/api/v1/commitments", {"under": VILLAGE_A}).json()
    assert late["status"] == Status.OVERDUE and Commitment.objects.get(pk=c.pk).status == Status.PLANNED
    assert [row["status"] for row in listed if row["id"] == c.pk] == [Status.OVERDUE]
