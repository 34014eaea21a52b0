from datetime import date
from typing import Any

from django.test import Client
from django.urls import reverse

from conftest import TOWN_A, VILLAGE_A, new_person, web_client
from cunshe.core.actors import SYSTEM
from cunshe.elections.tests.factories import open_election
from cunshe.voters.services import register_build, register_publish


def test_the_public_page_shows_the_register_only_after_publication(zouping: Any) -> None:
    person = new_person(name="公示人", birth_date=date(1980, 1, 1))
    election = open_election()
    register = register_build(actor=SYSTEM, election=election, on=date(2026, 11, 1)).register
    public = Client(HTTP_HOST="127.0.0.1")
    url = reverse("public:region", kwargs={"code": VILLAGE_A})
    assert "公示人" not in public.get(url).content.decode()
    register_publish(actor=SYSTEM, register=register, on=date(2026, 11, 30), expected_version=register.version)
    page = public.get(url).content.decode()
    assert "公示人" in page and "选民名单" in page
    assert person.id_number not in page and "户籍在本村" not in page  # names and groups only


def test_the_election_page_shows_the_register_section_and_a_cadre_cannot_publish(zouping: Any, make_user: Any) -> None:
    new_person(name="段落人", birth_date=date(1980, 1, 1))
    election = open_election()
    register_build(actor=SYSTEM, election=election, on=date(2026, 11, 1))
    officer = web_client(make_user("town_officer", TOWN_A))
    page = officer.get(reverse("elections:detail", kwargs={"pk": election.pk})).content.decode()
    assert "登记选民 1 人" in page and reverse("voters:register", kwargs={"pk": election.pk}) in page
    cadre = web_client(make_user("village_cadre", VILLAGE_A))
    register_page = cadre.get(reverse("voters:register", kwargs={"pk": election.pk})).content.decode()
    assert "段落人" in register_page and "公布选民名单" not in register_page
    refused = cadre.post(reverse("voters:publish", kwargs={"pk": election.pk}), {"on": "2026-11-30", "version": 1})
    assert refused.status_code == 403
    done = officer.post(reverse("voters:publish", kwargs={"pk": election.pk}), {"on": "2026-11-30", "version": 1})
    assert done.status_code == 302
    election.refresh_from_db()
    assert election.register_published_on == date(2026, 11, 30)
