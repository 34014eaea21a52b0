"""Open311 GeoReport v2, tested by talking to it: the `georeport` client from PyPI over a live server (JSON and
XML), and the spec's own POST example (https://wiki.open311.org/GeoReport_v2#POST_Service_Request) with
`requests`, the library georeport itself uses."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
import requests  # the PyPI library: cunshe.requests is always imported by its full name
from georeport import GeoReport

from conftest import VILLAGE_A, VILLAGE_B
from cunshe.core.actors import SYSTEM
from cunshe.requests.models import Request
from cunshe.requests.services import request_assign, request_close
from cunshe.requests.tests.helpers import categories, file_request, village_team


def _world() -> dict[str, Request]:
    categories()
    road = file_request(VILLAGE_A, title="村口路面塌陷", reporter_name="王大爷", reporter_phone="13800000001")
    secret = file_request(VILLAGE_A, category="dispute", title="邻里纠纷", reporter_name="李四")
    done = file_request(VILLAGE_B, category="water", title="停水")
    done = request_assign(actor=SYSTEM, request=done, team_id=village_team(VILLAGE_B).pk, expected_version=1)
    done = request_close(actor=SYSTEM, request=done, note="已抢修恢复供水", expected_version=done.version)
    return {"road": road, "secret": secret, "done": done}


@pytest.mark.django_db(transaction=True)
def test_the_georeport_client_reads_services_and_public_requests(live_server: Any, zouping: Any) -> None:
    made = _world()
    for fmt in ("json", "xml"):
        client = GeoReport(f"{live_server.url}/open311/v2", jurisdiction="371681", output_format=fmt)
        services = client.get_service_list()
        assert {s["service_code"] for s in services} == {"road", "water", "building", "dispute"}
        road_service = next(s for s in services if s["service_code"] == "road")
        assert road_service["service_name"] == "道路破损"
        found = client.get_service_requests()
        ids = {str(r["service_request_id"]) for r in found}
        # the dispute's category is not public: it does not exist for the public
        assert ids == {str(made["road"].pk), str(made["done"].pk)}
        assert "王大爷" not in str(found) and "13800000001" not in str(found) and "李四" not in str(found)
        closed = client.get_service_requests(status="closed")
        closed = closed if isinstance(closed, list) else [closed]  # xmltodict gives one element as a dict
        assert [str(r["service_request_id"]) for r in closed] == [str(made["done"].pk)]
        one = client.get_service_request(str(made["done"].pk))
        assert one["status"] == "closed" and one["status_notes"] == "已抢修恢复供水"
        assert one["address_id"] == VILLAGE_B and one["service_code"] == "water"
    with pytest.raises(requests.HTTPError):
        GeoReport(f"{live_server.url}/open311/v2").get_service_request(str(made["secret"].pk))


@pytest.mark.django_db(transaction=True)
def test_the_specs_post_example_files_a_request(live_server: Any, zouping: Any) -> None:
    categories()
    # The spec's example, with a village's code as address_id (the jurisdiction's master address).
    body = {
        "jurisdiction_id": "371681",
        "service_code": "road",
        "lat": "36.86",
        "long": "117.74",
        "address_id": VILLAGE_A,
        "address_string": "西范村村口",
        "email": "smit222@sfgov.edu",
        "device_id": "tt222111",
        "account_id": "123456",
        "first_name": "john",
        "last_name": "smith",
        "phone": "111111111",
        "description": "a large sinkhole is destroying the street",
        "media_url": "http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg",
    }
    answer = requests.post(f"{live_server.url}/open311/v2/requests.json", data=body, timeout=10)
    assert answer.status_code == 201, answer.text
    service_request_id = answer.json()[0]["service_request_id"]
    created = Request.objects.get(pk=service_request_id)
    assert created.channel == "open311" and created.region_id == VILLAGE_A and created.reporter_phone == "111111111"
    assert str(created.lat) == "36.860000"
    # the same request read back shows no name and no phone
    read = requests.get(f"{live_server.url}/open311/v2/requests/{service_request_id}.json", timeout=10).json()[0]
    assert "smith" not in str(read) and "111111111" not in str(read)
    # errors in the spec's shape, in XML too
    bad = requests.post(f"{live_server.url}/open311/v2/requests.xml", data={**body, "service_code": "nope"}, timeout=10)
    assert bad.status_code == 400
    error = ET.fromstring(bad.content).find("error")
    assert error is not None and error.findtext("code") == "400" and "类别" in (error.findtext("description") or "")
    forged = requests.post(f"{live_server.url}/open311/v2/requests.json", data={**body, "api_key": "x"}, timeout=10)
    assert forged.status_code == 403


@pytest.mark.django_db
def test_open311_queries_are_checked(client: Any, zouping: Any, django_assert_max_num_queries: Any) -> None:
    made = _world()
    assert client.get("/open311/v2/requests.json?jurisdiction_id=999999").status_code == 404
    assert (
        client.get(
            "/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-12-01T00:00:00Z"
        ).status_code
        == 400
    )
    assert client.get("/open311/v2/requests.json?status=pending").status_code == 400
    assert client.get("/open311/v2/requests.json?start_date=yesterday").status_code == 400
    assert client.get("/open311/v2/requests.json?service_request_id=²").status_code == 400  # a digit int() refuses
    ids = f"{made['road'].pk},{made['secret'].pk}"
    shown = client.get(f"/open311/v2/requests.json?service_request_id={ids}").json()
    assert [r["service_request_id"] for r in shown] == [made["road"].pk]
    for n in range(5):
        file_request(VILLAGE_A, title=f"路灯{n}")
    with django_assert_max_num_queries(3):
        rows = client.get("/open311/v2/requests.json").json()
    assert len(rows) == 7
