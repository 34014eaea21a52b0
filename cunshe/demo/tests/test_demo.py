import re
from collections import Counter, deque
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.test import Client
from django.urls import resolve

from cunshe.accounts.models import User
from cunshe.demo.county import DEMO_PASSWORD
from cunshe.people.id_numbers import parse
from cunshe.people.models import Person
from cunshe.records.verification import verify_all
from cunshe.regions.models import Level, Region


def test_demo_builds_zouping_and_running_it_twice_changes_nothing_and_every_link_opens(db: Any) -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    printed = out.getvalue()
    assert "邹平市" in printed and DEMO_PASSWORD in printed
    assert Region.objects.filter(code__startswith="371681", level=Level.VILLAGE).count() == 859
    usernames = {"zzb", "daixi", "huangshan", "cungb", "dyshuji", "jiwei", "gongan"}
    assert set(User.objects.values_list("username", flat=True)) >= usernames
    assert all(name in printed for name in usernames)
    people = Person.objects.count()
    assert 200 <= people <= 1000
    assert all(parse(n) for n in Person.objects.values_list("id_number", flat=True))
    counts = (User.objects.count(), people, Region.objects.count())
    call_command("demo", stdout=StringIO())
    assert (User.objects.count(), Person.objects.count(), Region.objects.count()) == counts
    assert verify_all()[1] == []
    client = Client(HTTP_HOST="127.0.0.1")
    for username in usernames:
        assert client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD}).status_code == 302
        assert client.get("/home/").status_code == 200
        assert broken_links(client) == [], f"{username} 的页面上有打不开的链接"
        client.post("/accounts/logout/")


_LINK = re.compile(r'(?:href|hx-get)="(/[^"#]*)"')


def broken_links(client: Client, per_view: int = 2) -> list[tuple[str, int, str]]:
    """Follow the links of every page the user reaches from home, a few per view: a link that is a 404 or an error
    for the user who sees it is a defect (a crumb up to a county a town officer cannot open, a section of another
    module the role has no access to)."""
    queue, seen, opened = deque([("/home/", "")]), set(), Counter[str]()
    broken = []
    while queue:
        url, came_from = queue.popleft()
        if url in seen or url.startswith(("/static/", "/api/", "/accounts/logout")):
            continue
        seen.add(url)
        match = resolve(url.split("?")[0])
        view = f"{match.namespace}:{match.url_name}"
        opened[view] += 1
        if opened[view] > per_view:
            continue
        response = client.get(url)
        if response.status_code in (301, 302):
            queue.append((response["Location"], url))
        elif response.status_code >= 400:
            broken.append((url, response.status_code, came_from))
        elif response["Content-Type"].startswith("text/html"):
            queue.extend((link.replace("&amp;", "&"), url) for link in _LINK.findall(response.content.decode()))
    return broken
