from io import StringIO
from typing import Any

from django.core.management import call_command
from django.test import Client

from cunshe.accounts.models import User
from cunshe.demo.county import DEMO_PASSWORD
from cunshe.people.id_numbers import parse
from cunshe.people.models import Person
from cunshe.records.verification import verify_all
from cunshe.regions.models import Level, Region


def test_demo_builds_zouping_and_running_it_twice_changes_nothing(db: Any) -> None:
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
        client.post("/accounts/logout/")
