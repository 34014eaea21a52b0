"""Issue 14 (items 3 and 5): who may sign off for whom, how the letter keeps its signatures together, and one
calendar day for a deadline day on every page and printout."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader

from conftest import COUNTY
from cunshe.core.errors import NotPermitted
from cunshe.core.tests.test_printing import assert_fonts_embedded
from cunshe.deadlines.calendar import deadline_day
from cunshe.handovers.models import Confirmation, Handover, Party
from cunshe.handovers.pdf import letter_pdf
from cunshe.handovers.services import handover_confirm, parties_for
from cunshe.handovers.tests.conftest import Cast, record_all
from cunshe.records.models import RecordEntry


def test_a_county_organizer_cannot_confirm_as_the_outgoing_or_incoming_person(
    cast: Cast, make_user: Any, web_as: Any
) -> None:
    organizer = make_user("county_organizer", COUNTY)
    handover = cast.open()
    record_all(handover, cast.officer)
    handover.refresh_from_db()
    assert parties_for(organizer, handover) == []
    for party in (Party.OUTGOING, Party.INCOMING, Party.WORKING_GROUP):
        with pytest.raises(NotPermitted):
            handover_confirm(actor=organizer, handover=handover, party=party, expected_version=handover.version)
    page = web_as(organizer).get(f"/handovers/{handover.pk}/").content.decode()
    assert "身份确认" not in page and "纸质签字</button>" not in page
    # The working group records the outgoing person's paper signature, and says so.
    assert set(parties_for(cast.officer, handover)) == {Party.OUTGOING, Party.INCOMING, Party.WORKING_GROUP}
    page = web_as(cast.officer).get(f"/handovers/{handover.pk}/").content.decode()
    assert "登记移交人已纸质签字" in page and "以交接工作组身份确认" in page and "以移交人身份确认" not in page
    handover = handover_confirm(
        actor=cast.officer, handover=handover, party=Party.OUTGOING, expected_version=handover.version
    )
    stamp = Confirmation.objects.get(handover=handover, party=Party.OUTGOING)
    assert stamp.on_paper and stamp.confirmed_by == cast.officer
    entry = RecordEntry.objects.filter(event="handovers.confirmed").latest("pk")
    assert "登记移交人王守业已在交接书上纸质签字" in entry.summary
    page = web_as(cast.officer).get(f"/handovers/{handover.pk}/").content.decode()
    assert "已纸质签字（黛溪工作组 于" in page


def test_the_letter_keeps_the_four_signatures_on_one_page_and_names_itself_once(cast: Cast) -> None:
    handover = cast.open()
    for copies in (1, 2, 3):
        content = letter_pdf(Handover.objects.get(pk=handover.pk), copies=copies)
        pages = [p.extract_text().replace(" ", "").replace("\n", "") for p in PdfReader(BytesIO(content)).pages]
        with_block = [p for p in pages if "四、签字确认" in p]
        assert len(with_block) == copies
        for page in with_block:
            block = page[page.index("四、签字确认") :]
            assert all(label in block for label in ("移交人", "接收人", "交接工作组", "监交人", "纪委监督员"))
        assert all("四、签字确认" in p or "第" in p[:12] for p in pages)  # no page of lone signatures
    text = "".join(pages)
    assert "两委换届交接书" in text and "交接交接书" not in text
    reader = PdfReader(BytesIO(content))
    assert reader.metadata is not None and reader.metadata.title == "西范村两委换届交接书"
    assert_fonts_embedded(content)


def test_a_deadline_day_reads_as_the_same_day_on_the_list_the_detail_and_the_letter(cast: Cast, web_as: Any) -> None:
    handover = cast.open()
    day = deadline_day(handover.due_at)
    iso, chinese = f"{day:%Y-%m-%d}", f"{day.year}年{day.month}月{day.day}日"
    client = web_as(cast.officer)
    for url in ("/handovers/", f"/handovers/{handover.pk}/", "/"):
        page = client.get(url, follow=True).content.decode()
        assert iso in page and "00:00" not in page, url
    letter = "".join(p.extract_text() for p in PdfReader(BytesIO(letter_pdf(handover, copies=1))).pages)
    assert f"交接期限：{chinese}" in letter.replace("\n", "") and "00:00" not in letter
