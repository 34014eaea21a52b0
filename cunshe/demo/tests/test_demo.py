import re
from collections import Counter, deque
from html.parser import HTMLParser
from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.urls import resolve

from conftest import without_savepoints
from cunshe.accounts.models import User
from cunshe.demo.county import DEMO_PASSWORD
from cunshe.people.id_numbers import parse
from cunshe.people.models import Person
from cunshe.records.verification import verify_all
from cunshe.regions.models import Level, Region


def test_demo_builds_zouping_and_running_it_twice_changes_nothing_and_every_link_opens(
    demo_county: None, kept_summaries: None
) -> None:
    assert Region.objects.filter(code__startswith="371681", level=Level.VILLAGE).count() == 859
    usernames = {"zzb", "daixi", "huangshan", "cungb", "dyshuji", "jiwei", "gongan"}
    assert set(User.objects.values_list("username", flat=True)) >= usernames
    people = Person.objects.count()
    assert 200 <= people <= 3000  # the villages that vote in the story have a realistic registry (elections demo)
    assert all(parse(n) for n in Person.objects.values_list("id_number", flat=True))
    counts = (User.objects.count(), people, Region.objects.count())
    out = StringIO()
    with without_savepoints():  # the second run: it changes nothing and prints the accounts again
        call_command("demo", stdout=out)
    printed = out.getvalue()
    assert "邹平市" in printed and DEMO_PASSWORD in printed
    assert all(name in printed for name in usernames)
    assert (User.objects.count(), Person.objects.count(), Region.objects.count()) == counts
    assert verify_all()[1] == []
    client = Client(HTTP_HOST="127.0.0.1")
    for username in usernames:
        assert client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD}).status_code == 302
        assert client.get("/home/").status_code == 200
        broken, unlabeled = walk_pages(client)
        assert broken == [], f"{username} 的页面上有打不开的链接"
        assert unlabeled == [], f"{username} 的页面上有没有标签的输入项（读屏软件读不出）"
        client.post("/accounts/logout/")


_LINK = re.compile(r'(?:href|hx-get)="(/[^"#]*)"')


class _Fields(HTMLParser):
    """The form fields of a page that nothing names: no aria-label, no <label for>, not inside a <label>."""

    def __init__(self) -> None:
        super().__init__()
        self.open_labels = 0
        self.labelled: set[str] = set()
        self.fields: list[tuple[str, str]] = []  # (id, name) of fields not inside a label and without aria-label

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "label":
            self.open_labels += 1
            if found.get("for"):
                self.labelled.add(str(found["for"]))
        elif tag in ("input", "select", "textarea"):
            if found.get("type") in ("hidden", "submit", "button") or found.get("aria-label") or self.open_labels:
                return
            self.fields.append((str(found.get("id") or ""), str(found.get("name") or "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.open_labels -= 1

    def unlabeled(self) -> list[str]:
        return [name for field_id, name in self.fields if not field_id or field_id not in self.labelled]


def walk_pages(client: Client, per_view: int = 2) -> tuple[list[tuple[str, int, str]], list[tuple[str, str]]]:
    """Follow the links of every page the user reaches from home, a few per view. A link that is a 404 or an error
    for the user who sees it is a defect (a crumb up to a county a town officer cannot open, a section of another
    module the role has no access to); so is a form field without a label."""
    queue, seen, opened = deque([("/home/", "")]), set(), Counter[str]()
    broken, unlabeled = [], []
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
            page = response.content.decode()
            queue.extend((link.replace("&amp;", "&"), url) for link in _LINK.findall(page))
            fields = _Fields()
            fields.feed(page)
            unlabeled += [(url, name) for name in fields.unlabeled()]
    return broken, unlabeled
