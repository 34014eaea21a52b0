from datetime import date
from io import BytesIO
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conftest import COUNTY, TOWN_A, VILLAGE_A, VILLAGE_B
from cunshe.commitments.models import Commitment, Status, TargetLetter
from cunshe.commitments.services import commitment_move, progress_add, target_letter_sign
from cunshe.commitments.tests.conftest import YEAR
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError
from cunshe.core.tests.test_printing import assert_fonts_embedded
from cunshe.records.models import RecordEntry
from cunshe.teams.services import member_appoint


def test_the_public_page_needs_no_login_and_shows_no_personal_data(
    cadre: Any, make_commitment: Any, make_person: Any
) -> None:
    secretary = make_person(VILLAGE_A, name="王守信")
    member_appoint(
        actor=SYSTEM,
        village_code=VILLAGE_A,
        person=secretary,
        committee="villagers",
        post="committee_member",
        started_on=date(2021, 6, 1),
    )
    c = make_commitment(actor=cadre, title="修缮村史馆")
    progress_add(actor=cadre, commitment=c, written_on=timezone.localdate(), note="已完成屋顶维修")
    anonymous = Client()
    page = anonymous.get(reverse("commitments_public:village", kwargs={"code": VILLAGE_A}))
    html = page.content.decode()
    assert page.status_code == 200
    assert "修缮村史馆" in html and "村党组织书记" in html and "已完成屋顶维修" in html
    assert "王守信" not in html and secretary.id_number not in html and cadre.display_name not in html
    assert 'src="http' not in html and 'href="http' not in html  # nothing loaded from elsewhere
    assert len(page.content) < 20_000
    region_page = anonymous.get(reverse("public:region", kwargs={"code": VILLAGE_A})).content.decode()
    assert reverse("commitments_public:village", kwargs={"code": VILLAGE_A}) in region_page
    api = anonymous.get(f"/api/v1/commitments/public/{VILLAGE_A}")
    assert api.status_code == 200 and api.json()["commitments"][0]["responsible_post"] == "村党组织书记"
    assert "王守信" not in api.content.decode() and "ledger_no" not in api.json()["commitments"][0]


def test_the_poster_embeds_its_qr_code(make_commitment: Any) -> None:
    make_commitment(title="修缮村史馆")
    page = Client().get(reverse("commitments_public:poster", kwargs={"code": VILLAGE_A}))
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "修缮村史馆" in html
    assert f"http://testserver/public/commitments/{VILLAGE_A}/" in html
    assert "<img" not in html and "src=" not in html
    assert "viewBox=" in html  # scaled to its printed size, not cropped (decoded in test_poster_scan)


def test_the_target_letter_is_a_pdf_with_real_chinese_text_and_its_signing_is_recorded(
    cadre: Any, officer: Any, make_commitment: Any, web_as: Any
) -> None:
    make_commitment(actor=cadre, title="修缮村史馆")
    dropped = make_commitment(actor=cadre, title="放弃的事")
    commitment_move(actor=cadre, commitment=dropped, to_status=Status.DROPPED, expected_version=1, reason="合并办理")
    response = web_as(cadre).get(reverse("commitments:letter", kwargs={"code": VILLAGE_A, "year": YEAR}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "目标承诺书" in text and "修缮村史馆" in text and "西范村委会" in text and "放弃的事" not in text
    assert_fonts_embedded(response.content)
    try:
        target_letter_sign(actor=cadre, village_code=VILLAGE_A, year=YEAR, signed_on=timezone.localdate())
    except DomainError as exc:
        assert "只有乡镇" in exc.message
    else:
        raise AssertionError("a village cadre signed for the town")
    letter = target_letter_sign(actor=officer, village_code=VILLAGE_A, year=YEAR, signed_on=timezone.localdate())
    assert letter.ledger_nos == [f"{VILLAGE_A}-{YEAR}-001"]
    assert RecordEntry.objects.filter(event="commitments.letter_signed", region_id=VILLAGE_A).exists()
    assert TargetLetter.objects.count() == 1
    signed = web_as(cadre).get(reverse("commitments:letter", kwargs={"code": VILLAGE_A, "year": YEAR}))
    assert "登记签订" in "".join(p.extract_text() for p in PdfReader(BytesIO(signed.content)).pages)


def test_rollup_and_ledger_pages_take_a_constant_number_of_queries(
    organizer: Any, make_commitment: Any, web_as: Any, django_assert_max_num_queries: Any
) -> None:
    client = web_as(organizer)
    make_commitment(VILLAGE_A)
    client.get(reverse("commitments:rollup", kwargs={"code": COUNTY}))
    with django_assert_max_num_queries(17) as few:  # 17: the bell's unread count
        assert client.get(reverse("commitments:rollup", kwargs={"code": COUNTY})).status_code == 200
    for n in range(30):
        make_commitment(VILLAGE_B if n % 2 else VILLAGE_A, title=f"事项{n}", category="改善生产生活条件")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("commitments:rollup", kwargs={"code": COUNTY}))
    html = page.content.decode()
    assert "黛溪街道" in html and "改善生产生活条件" in html
    with django_assert_max_num_queries(12):
        assert client.get(reverse("commitments:ledger")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("commitments:village", kwargs={"code": VILLAGE_A})).status_code == 200


def test_the_pages_create_move_and_import(cadre: Any, web_as: Any) -> None:
    client = web_as(cadre)
    body = {
        "kind": "first",
        "year": YEAR,
        "category": "提升改善村容村貌",
        "title": "安装路灯",
        "content": "主街安装路灯 20 盏",
        "target": "夜间出行安全",
        "deadline": f"{YEAR}-12-31",
        "responsible_post": "村委会主任",
        "source": "suggestion_box",
    }
    assert client.post(reverse("commitments:new", kwargs={"code": VILLAGE_A}), body).status_code == 302
    c = Commitment.objects.get()
    bad = client.post(reverse("commitments:new", kwargs={"code": VILLAGE_A}), {**body, "title": ""})
    assert bad.status_code == 200 and Commitment.objects.count() == 1
    move = client.post(
        reverse("commitments:move", kwargs={"pk": c.pk}),
        {"to_status": "done", "version": 1, "evidence": "验收合格", "completed_on": str(timezone.localdate())},
    )
    assert move.status_code == 302 and Commitment.objects.get().status == Status.DONE
    detail = client.get(reverse("commitments:detail", kwargs={"pk": c.pk})).content.decode()
    assert "验收合格" in detail and "已完成" in detail
    assert client.get(reverse("commitments:import")).status_code == 200
    rows = client.get(reverse("commitments:ledger") + "?q=路灯", HTTP_HX_REQUEST="true").content.decode()
    assert "安装路灯" in rows and "<html" not in rows


def test_the_api_lists_creates_and_moves(cadre: Any, api_as: Any, make_user: Any) -> None:
    client = api_as(cadre)
    body = {
        "region": VILLAGE_A,
        "year": YEAR,
        "category": "提升改善村容村貌",
        "title": "修建文化广场",
        "content": "利用废旧坑塘改建",
        "target": "建成广场一处",
        "deadline": f"{YEAR}-12-31",
        "responsible_post": "村党组织书记",
    }
    created = client.post("/api/v1/commitments", body, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    bad = client.post(
        f"/api/v1/commitments/{pk}/status", {"to_status": "done", "version": 1}, content_type="application/json"
    )
    assert bad.status_code == 400 and "evidence" in bad.json()["errors"]
    illegal = client.post(
        f"/api/v1/commitments/{pk}/status", {"to_status": "planned", "version": 1}, content_type="application/json"
    )
    assert illegal.status_code == 409
    assert [c["title"] for c in client.get("/api/v1/commitments").json()] == ["修建文化广场"]
    other = api_as(make_user("village_cadre", VILLAGE_B))
    assert other.get(f"/api/v1/commitments/{pk}").status_code == 404
    assert other.get("/api/v1/commitments").json() == []
    table = api_as(make_user("town_officer", TOWN_A)).get(f"/api/v1/commitments/rollup/{TOWN_A}").json()
    assert table["total"]["total"] == 1 and table["rows"][0]["code"] == VILLAGE_A
