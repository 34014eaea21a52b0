"""Field work without a signal, in Debian's Chromium (cunshe/web/tests/browser.py): a cadre opens the visit page,
the network goes off, the visit is kept on the phone and shown in the queue, the network comes back and it is sent
once (and a resend of the same entry saves nothing more); a progress note with a photo written offline against a
commitment changed meanwhile is shown beside the commitment as it now is, and sent only when the cadre confirms."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from conftest import VILLAGE_A, new_user
from cunshe.commitments.models import ProgressUpdate
from cunshe.commitments.services import commitment_update
from cunshe.core.actors import SYSTEM
from cunshe.offline.models import ClientSubmission
from cunshe.visits.models import Visit
from cunshe.web.tests.browser import PHONE, allow_orm_beside_playwright, chromium, log_in, watch_requests

__all__ = ["allow_orm_beside_playwright"]  # its autouse fixture applies to this module

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Cunshe@2026"  # conftest's accounts all have it
HERE = {"latitude": 36.878123, "longitude": 117.743456}


def _phone(browser: Any) -> Any:
    return browser.new_context(
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        geolocation=HERE,
        permissions=["geolocation"],
    )


def _field_page(browser: Any, base_url: str, path: str) -> tuple[Any, Any, list[str], Any]:
    """A village cadre's phone on a field page, once the service worker runs and controls it (the first load
    installs it; the reload is then served through it, which keeps the page)."""
    cadre = new_user("village_cadre", VILLAGE_A)
    context = _phone(browser)
    page = context.new_page()
    problems = watch_requests(page, base_url)
    log_in(page, base_url, cadre.username, PASSWORD)
    page.goto(f"{base_url}{path}")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    return context, page, problems, cadre


def test_a_visit_recorded_offline_is_queued_and_sent_once(live_server: Any, visit_target: Any) -> None:
    from playwright.sync_api import expect

    with chromium(service_workers="allow") as browser:
        context, page, problems, cadre = _field_page(browser, live_server.url, f"/visits/plan/{visit_target.pk}/")

        context.set_offline(True)
        page.reload()  # the page itself comes from the phone now
        page.get_by_label("走访日期").fill(timezone.localdate().isoformat())
        page.get_by_label("地点").fill("老党员家中")
        page.get_by_label("谈话内容").fill("宣传一肩挑政策，听取换届意见")
        page.get_by_role("button", name="记录当前位置").tap()
        expect(page.locator("[data-offline-located]")).to_contain_text("已记录位置")
        page.get_by_role("button", name="保存走访记录").tap()
        expect(page.locator(".offline-notice")).to_contain_text("没有网络：已保存在本机")
        expect(page.locator("[data-offline-badge]")).to_contain_text("待发送 1")
        assert not Visit.objects.exists()

        page.get_by_role("link", name="待发送").tap()  # still offline: the queue page is kept on the phone
        entry = page.locator(".offline-entry")
        expect(entry).to_contain_text("走访 老党员")
        expect(entry).to_contain_text("待发送")
        expect(entry).to_contain_text("宣传一肩挑政策")
        kept = page.evaluate("idb.openDB('cunshe-offline', 1).then((db) => db.getAll('entries'))")

        context.set_offline(False)  # the "online" event sends it
        expect(page.locator("#offline-empty")).to_be_visible()
        expect(page.locator(".offline-entry")).to_have_count(0)
        visit = Visit.objects.get()
        assert visit.place == "老党员家中" and visit.recorded_by == cadre
        assert (str(visit.latitude), str(visit.longitude)) == (str(HERE["latitude"]), str(HERE["longitude"]))

        # The answer lost on the way: the phone still has the entry and sends it again; the server answers with the
        # first visit and saves nothing more.
        page.evaluate("(e) => idb.openDB('cunshe-offline', 1).then((db) => db.put('entries', e))", kept[0])
        page.get_by_role("button", name="立即发送").tap()
        expect(page.locator("#offline-empty")).to_be_visible()
        assert Visit.objects.count() == 1 and ClientSubmission.objects.count() == 1
        context.close()
    assert problems == [], "页面请求了外部地址或有请求失败"


def _big_photo() -> dict[str, Any]:
    buffer = BytesIO()
    Image.new("RGB", (4000, 3000), "#6a8f3c").save(buffer, "PNG")
    return {"name": "现场.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def test_progress_written_offline_against_a_changed_commitment_is_a_conflict(live_server: Any, commitment: Any) -> None:
    from playwright.sync_api import expect

    with chromium(service_workers="allow") as browser:
        context, page, problems, _cadre = _field_page(browser, live_server.url, f"/commitments/{commitment.pk}/")

        context.set_offline(True)
        page.get_by_label("进展", exact=True).fill("已清运杂物两车")
        page.get_by_label("照片（可选）").set_input_files(_big_photo())
        page.get_by_role("button", name="登记进展").tap()
        expect(page.locator(".offline-notice")).to_contain_text("已保存在本机")

        # Meanwhile the town changes the commitment on the server.
        commitment_update(
            actor=SYSTEM, commitment=commitment, expected_version=commitment.version, title="整治党群服务中心及广场环境"
        )
        page.get_by_role("link", name="待发送").tap()
        entry = page.locator(".offline-entry")
        expect(entry).to_contain_text("事项")
        context.set_offline(False)
        expect(entry.locator(".offline-state")).to_have_text("有冲突")
        expect(entry).to_contain_text("已被修改")
        expect(entry.locator(".offline-conflict section").first).to_contain_text("已清运杂物两车")
        expect(entry.locator(".offline-conflict section").last).to_contain_text("整治党群服务中心及广场环境")
        assert not ProgressUpdate.objects.exists()

        page.get_by_role("button", name="已核对，按现状提交").tap()
        expect(page.locator("#offline-empty")).to_be_visible()
        update = ProgressUpdate.objects.get()
        assert update.note == "已清运杂物两车"
        with (
            update.photo.open("rb") as stored,
            Image.open(stored) as photo,
        ):  # resized on the phone: longest edge 1600, JPEG
            assert photo.format == "JPEG" and max(photo.size) == 1600

        # Discarding asks first.
        page.goto(f"{live_server.url}/commitments/{commitment.pk}/")
        context.set_offline(True)
        page.get_by_label("进展", exact=True).fill("草稿，不再需要")
        page.get_by_role("button", name="登记进展").tap()
        page.get_by_role("link", name="待发送").tap()
        asked: list[str] = []
        answers = [False, True]  # first 取消, then 确定

        def answer(dialog: Any) -> None:
            asked.append(dialog.message)
            if answers.pop(0):
                dialog.accept()
            else:
                dialog.dismiss()

        page.on("dialog", answer)
        expect(page.locator(".offline-entry")).to_have_count(1)
        page.get_by_role("button", name="放弃").tap()
        expect(page.locator(".offline-entry")).to_have_count(1)
        page.get_by_role("button", name="放弃").tap()
        expect(page.locator(".offline-entry")).to_have_count(0)
        assert len(asked) == 2 and "放弃后无法恢复" in asked[0]
        context.set_offline(False)
        context.close()
    assert ProgressUpdate.objects.count() == 1
    # The one failed answer is the conflict itself.
    assert problems == [f"409 {live_server.url}/commitments/{commitment.pk}/progress/"], problems
