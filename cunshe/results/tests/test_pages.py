from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest

from conftest import TOWN_A, VILLAGE_A, new_person, new_user, pdf_text
from cunshe.elections.models import Status
from cunshe.results.printouts import qr_code, qr_svg
from cunshe.results.services import result_certify
from cunshe.results.tests.helpers import DAY, counted, villagers
from cunshe.teams.models import Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted_election(zouping: Any) -> Any:
    election = villagers()
    director, member = new_person(name="张当选"), new_person(name="李当选")
    counted(election, [(director, Post.DIRECTOR, 61), (member, Post.COMMITTEE_MEMBER, 57)])
    return election


def test_result_report_and_certificates_say_what_was_decided(counted_election: Any, web_as: Any) -> None:
    officer = new_user("town_officer", TOWN_A)
    result_certify(
        actor=officer, election=counted_election, on=DAY + timedelta(days=1), expected_version=counted_election.version
    )
    client = web_as(officer)
    text, _ = pdf_text(client.get(f"/results/{counted_election.pk}/report.pdf").content)
    # the rule that made the election valid, as the count wrote it
    for expected in ("选举结果报告单", "张当选", "61", "超过登记选民 100 人的", "总监票人", "村民选举委员会"):
        assert expected in text
    assert "西范村村民委员会选举结果报告单" in text.replace("\n", "") and "村委会村" not in text
    text, pages = pdf_text(client.get(f"/results/{counted_election.pk}/certificates.pdf").content)
    assert pages == counted_election.result.elected.count()  # one certificate per person elected
    assert "当 选 证 书" in text and "李当选" in text and "黛溪街道" in text
    flat = text.replace("\n", "").replace(" ", "")
    assert "西范村村民委员会选举中" in flat and "当选为西范村村民委员会主任" in flat and "村委会" not in flat


def test_public_page_only_after_certification(counted_election: Any, client: Any) -> None:
    assert "张当选" not in client.get(f"/public/results/{VILLAGE_A}/").content.decode()
    result_certify(
        actor=new_user("town_officer", TOWN_A),
        election=counted_election,
        on=DAY,
        expected_version=counted_election.version,
    )
    assert "张当选" in client.get(f"/public/results/{VILLAGE_A}/").content.decode()
    poster = client.get(f"/public/results/{VILLAGE_A}/poster/").content.decode()
    assert "viewBox" in poster and "张当选" in poster


def test_qr_scales_and_encodes_the_page() -> None:
    url = f"http://127.0.0.1/public/results/{VILLAGE_A}/"
    svg = qr_svg(url)
    assert "viewBox=" in svg and "width=" not in svg.split(">")[0]
    zxingcpp = pytest.importorskip("zxingcpp")  # a decoder, when one is installed
    from PIL import Image

    png = BytesIO()
    qr_code(url).save(png, kind="png", scale=6, border=4)
    png.seek(0)
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(png))] == [url]


def test_certify_page_and_api(counted_election: Any, web_as: Any, api_as: Any) -> None:
    cadre = new_user("village_cadre", VILLAGE_A)
    officer = new_user("town_officer", TOWN_A)
    body = {"on": DAY.isoformat(), "version": counted_election.version}
    assert web_as(cadre).post(f"/results/{counted_election.pk}/certify/", body).status_code == 403
    other = new_user("town_officer", "371681002")
    assert (
        api_as(other)
        .post(f"/api/v1/results/{counted_election.pk}/certify", body, content_type="application/json")
        .status_code
        == 404
    )
    page = web_as(officer).get(f"/elections/{counted_election.pk}/").content.decode()
    assert "选举结果" in page and "张当选" in page
    answer = api_as(officer).post(
        f"/api/v1/results/{counted_election.pk}/certify", body, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["election_status"] == Status.CERTIFIED
    assert "纪检监督" in "".join(answer.json()["handover_todo"])


def test_team_page_says_the_roster_came_from_the_election(counted_election: Any, web_as: Any) -> None:
    officer = new_user("town_officer", TOWN_A)
    page = web_as(officer).get(f"/teams/{VILLAGE_A}/").content.decode()
    assert "本届班子由换届选举产生" not in page
    result_certify(actor=officer, election=counted_election, on=DAY, expected_version=counted_election.version)
    page = web_as(officer).get(f"/teams/{VILLAGE_A}/").content.decode()
    assert "本届班子由换届选举产生" in page and f"/results/{counted_election.pk}/" in page
