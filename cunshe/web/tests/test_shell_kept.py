"""The shell's grants and unread count are kept per user while the account's marker stands still, and a grant, a
revocation, a new notification or a read one shows on the very next request (issue 15)."""

from typing import Any

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from conftest import TOWN_A, TOWN_B
from cunshe.accounts.models import RoleAssignment, User
from cunshe.accounts.services import role_assign, role_revoke
from cunshe.core.actors import SYSTEM
from cunshe.notifications.models import Notification
from cunshe.notifications.services import Event, notification_read, notifications_create


def _shell_queries(client: Any, url: str = "/home/") -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def _bell(client: Any) -> str:
    page = client.get("/notifications/").content.decode()
    return page.split('class="bell"', 1)[1].split("</a>", 1)[0]


def test_a_page_reads_neither_the_grants_nor_the_unread_count_while_nothing_changed(
    kept_summaries: Any, make_user: Any, web_as: Any
) -> None:
    client = web_as(make_user("town_officer", TOWN_A))
    first = _shell_queries(client)
    assert any("accounts_roleassignment" in q for q in first)
    assert any("COUNT(" in q and "notifications_notification" in q for q in first)
    again = _shell_queries(client)
    assert not any("accounts_roleassignment" in q for q in again)
    assert not any("COUNT(" in q and "notifications_notification" in q for q in again)
    # one statement: the session with its account and the record book's change number the last view asked for
    # (accounts.sessions); the roles card (regions, their counts) and the to-do card are kept with their HTML
    assert len(again) == 1 and "accounts_session" in again[0] and "accounts_user" in again[0]
    assert "records_recordchain" in again[0]


def test_without_the_kept_values_every_page_reads_them(make_user: Any, web_as: Any) -> None:
    client = web_as(make_user("town_officer", TOWN_A))
    _shell_queries(client)
    assert any("accounts_roleassignment" in q for q in _shell_queries(client))


def test_a_granted_and_a_revoked_role_show_on_the_next_request(
    kept_summaries: Any, make_user: Any, web_as: Any
) -> None:
    officer = make_user("town_officer", TOWN_A)
    client = web_as(officer)
    assert "黄山街道" not in client.get("/home/").content.decode()
    with transaction.atomic():
        role_assign(actor=SYSTEM, user=User.objects.get(pk=officer.pk), role="town_officer", region_code=TOWN_B)
    assert "黄山街道" in client.get("/home/").content.decode()
    with transaction.atomic():
        role_revoke(actor=SYSTEM, assignment=RoleAssignment.objects.get(user=officer, region_id=TOWN_B))
    assert "黄山街道" not in client.get("/home/").content.decode()
    # and what the grants allow follows at once: the other town's page is gone again
    assert client.get(f"/regions/{TOWN_B}/").status_code == 404


def test_a_new_and_a_read_notification_show_on_the_next_request(
    kept_summaries: Any, make_user: Any, web_as: Any
) -> None:
    officer = make_user("town_officer", TOWN_A)
    client = web_as(officer)
    assert "badge" not in _bell(client)
    event = Event(kind="test", title="测试通知", key="k1", county_code="371681")
    notifications_create(event=event, recipient_ids=[officer.pk])
    assert "1 条未读" in _bell(client)
    notifications_create(event=Event(kind="test", title="第二条", key="k2"), recipient_ids=[officer.pk])
    assert "2 条未读" in _bell(client)
    with transaction.atomic():
        notification_read(actor=User.objects.get(pk=officer.pk), notification=Notification.objects.get(key="k1"))
    assert "1 条未读" in _bell(client)
    assert client.post("/notifications/read-all/").status_code in (200, 302)
    assert "badge" not in _bell(client)


def test_a_stale_full_save_does_not_put_the_marker_back(make_user: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    stale = User.objects.get(pk=officer.pk)
    with transaction.atomic():
        role_assign(actor=SYSTEM, user=officer, role="town_officer", region_code=TOWN_B)
    moved = User.objects.get(pk=officer.pk).shell_version
    assert moved == stale.shell_version + 1 == officer.shell_version
    stale.display_name = "改名"
    stale.save()
    again = User.objects.get(pk=officer.pk)
    assert again.shell_version == moved and again.display_name == "改名"


def test_the_home_page_counts_the_regions_of_every_grant_in_one_query(
    kept_summaries: Any, make_user: Any, web_as: Any
) -> None:
    from cunshe.regions.models import Kind, Level, Region
    from cunshe.regions.selectors import region_counts

    user = make_user("town_officer", TOWN_A)
    client = web_as(user)
    client.get("/home/")
    one = len(_shell_queries(client))
    with transaction.atomic():
        role_assign(actor=SYSTEM, user=user, role="town_officer", region_code=TOWN_B)
        role_assign(actor=SYSTEM, user=user, role="county_organizer", region_code="371681")
    client.get("/home/")
    assert len(_shell_queries(client)) == one
    codes = ["371681", TOWN_A, TOWN_B, "37"]
    for code, counts in region_counts(codes).items():
        below = Region.objects.filter(code__startswith=code).exclude(code=code)
        assert counts == {
            "towns": below.filter(level=Level.TOWN).count(),
            "villages": below.filter(level=Level.VILLAGE).exclude(kind=Kind.COMMUNITY).count(),
            "communities": below.filter(level=Level.VILLAGE, kind=Kind.COMMUNITY).count(),
        }, code
        assert counts["villages"] + counts["communities"] > 0


def test_the_kept_head_of_a_signed_in_page_is_not_the_anonymous_one(
    kept_summaries: Any, make_user: Any, web_as: Any, client: Any
) -> None:
    # the offline queue's scripts belong to signed-in pages only; the head is kept per process, apart for each
    signed_in = web_as(make_user("town_officer", TOWN_A)).get("/home/").content.decode()
    anonymous = client.get("/accounts/login/").content.decode()
    assert "offline/queue.js" in signed_in and "offline/queue.js" not in anonymous
    assert 'href="/notifications/"' in signed_in and 'href="/accounts/login/"' in anonymous
    assert 'action="/accounts/logout/"' in signed_in
