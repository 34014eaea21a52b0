"""Shared fixtures. State is built through the real services, as a user of the system would build it."""

from __future__ import annotations

import itertools
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from _pytest.nodeid import NodeId
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection, transaction
from django.test import Client
from django.test.testcases import LiveServerThread
from pypdf import PdfReader

from cunshe.accounts.models import Department, User
from cunshe.accounts.services import account_create, department_create, role_assign, token_issue
from cunshe.core.actors import SYSTEM, Actor
from cunshe.core.statistics import statistics_refresh
from cunshe.people import id_numbers
from cunshe.people.models import Person
from cunshe.people.services import person_create
from cunshe.regions.models import Region
from cunshe.regions.services import regions_import
from cunshe.regions.slice import DEMO_COUNTY, SLICE_FILES


def _one_day_per_run() -> None:
    """Tests take "today" once (module constants like `TODAY = timezone.localdate()`, fixtures) and the services ask
    again when they run; a run that crosses midnight in Asia/Shanghai (16:00 UTC) would see two days and fail on
    "不能早于今天". A run that starts less than two hours before that midnight moves its clock just past it, by the same
    offset in every process (the xdist workers inherit it through the environment), so the whole run sees one day.
    Forward only: a cookie the browser tests receive then expires no earlier than the browser's own clock says."""
    offset = os.environ.get("CUNSHE_TEST_CLOCK_OFFSET")
    if offset is None:
        now = datetime.now(ZoneInfo("Asia/Shanghai"))
        left = datetime.combine(now.date() + timedelta(days=1), time.min, now.tzinfo) - now
        offset = str(int((left + timedelta(minutes=1)).total_seconds())) if left < timedelta(hours=2) else "0"
        os.environ["CUNSHE_TEST_CLOCK_OFFSET"] = offset
    if int(offset):
        time_machine.travel(datetime.now(UTC) + timedelta(seconds=int(offset)), tick=True).start()


_one_day_per_run()


PASSWORD = "Cunshe@2026"
COUNTY = DEMO_COUNTY  # 邹平市
TOWN_A = "371681001"  # 黛溪街道
TOWN_B = "371681002"  # 黄山街道
VILLAGE_A = "371681001213"  # 西范村委会, under TOWN_A
VILLAGE_B = "371681002201"  # under TOWN_B


class _OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server of the browser tests answers one request at a time. On SQLite the test database lives in
    memory and the server's request threads share the test's one connection; two requests at once (a page and its
    service worker's fetch, say) would interleave their transactions on it and one of them would fail at random.
    The threads stay (a browser's idle pre-connection must not block the next request): only the application call is
    serialised, which on PostgreSQL costs nothing a test could notice."""

    def set_app(self, application: Any) -> None:
        lock = threading.Lock()

        def serial(environ: Any, start_response: Any) -> Any:
            with lock:
                return application(environ, start_response)

        super().set_app(serial)


LiveServerThread.server_class = _OneRequestAtATimeServer


# Test databases are built from the models (Django's TEST["MIGRATE"] = False, cunshe/settings/test.py) instead of by
# replaying every migration: the replay cost about 60 s of CPU per database (each operation re-renders the model
# states around Region and User, ~48,000 renders), four times a CI run. What the replay gave the tests is restored
# here: the migrations are recorded as applied (the migration tests move back and forth from there) and the
# migrations that load rows run. The migrations themselves still run for real in CI (the backup check migrates an
# empty database on SQLite and on PostgreSQL, the demo command too), and `makemigrations --check` keeps the models
# and the migrations one schema.
SEEDING_MIGRATIONS = {("appraisals", "0002_default_rules"), ("elections", "0002_national_rules")}
# cunshe's migrations that only rewrite rows that exist: on an empty database they have nothing to do.
REWRITING_MIGRATIONS = {
    ("commitments", "0003_summary_per_year"),
    ("eligibility", "0002_ten_exclusions_source_text"),
    ("firstyear", "0002_items_from_other_modules"),
    ("issueboard", "0002_tally_overdue"),
    ("partywork", "0002_group_memberships"),
    ("people", "0003_id_numbers_ascii"),
    ("readiness", "0003_readiness_tasks_overdue"),
}


def _as_if_migrated() -> None:
    from django.apps import apps
    from django.db.migrations import RunPython
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = [migration for migration, _ in executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)]
    recorder = executor.recorder
    recorder.ensure_schema()
    recorder.migration_qs.bulk_create(recorder.Migration(app=m.app_label, name=m.name) for m in plan)
    with connection.schema_editor() as editor:
        for migration in plan:
            key = (migration.app_label, migration.name)
            code = [op.code for op in migration.operations if isinstance(op, RunPython)]
            ours = apps.get_app_config(migration.app_label).name.startswith("cunshe.")  # Django's own only rewrite
            if code and ours and key not in SEEDING_MIGRATIONS | REWRITING_MIGRATIONS:
                raise RuntimeError(
                    f"迁移 {key} 含 RunPython：在 conftest 的 SEEDING/REWRITING_MIGRATIONS 中注明它的作用"
                )
            if key in SEEDING_MIGRATIONS:
                for function in code:
                    function(apps, editor)  # type: ignore[arg-type]  # the live registry answers as a state would


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        _as_if_migrated()
        regions_import(actor=SYSTEM, files=SLICE_FILES, under=DEMO_COUNTY)
        statistics_refresh()


@contextmanager
def without_savepoints() -> Iterator[None]:
    """Inside a transaction, nested atomic blocks that take no savepoint (Django's `atomic(savepoint=False)` for
    every block of the services), for building the demo county in a test's transaction. On PostgreSQL each savepoint
    is a subtransaction, and their cost grows with how many the transaction already holds: the demo's ~16,000 made
    its build take 279 s inside one transaction against 149 s without them (and 115 s committed, outside any). The
    build is not expected to fail anywhere; if a block did, the whole transaction is marked for rollback and the
    build fails loudly, as it would without this."""
    features = connection.features
    before = features.uses_savepoints
    features.uses_savepoints = False
    try:
        yield
    finally:
        features.uses_savepoints = before


@contextmanager
def shared_world_built() -> Iterator[None]:
    """A world that many tests share, built once inside the transaction they run in (the demo county, the access
    walk's towns): without savepoints, and its deferred foreign keys checked at the end, at the transaction's top
    level, where PostgreSQL then forgets them. Checked later, at the end of each test (Django's TestCase does), they
    would be checked inside the test's savepoint, where PostgreSQL keeps every checked event until the transaction
    ends and scans them all again: 170-340 ms per test of the group."""
    with without_savepoints():
        yield
    connection.check_constraints()


class _DemoCounty:
    """The demo county, built once for a run of consecutive tests that ask for it (CI's budget: twenty modules each
    building the whole county took a third of the suite). It is built inside a transaction that is rolled back when
    the next test does not ask for it, so the data never reaches another test; each demo test runs in its own
    savepoint inside that transaction (pytest-django's `db`), so what one test writes does not reach the next
    either. The demo tests run together (see pytest_collection_modifyitems), so each worker builds it once."""

    def __init__(self) -> None:
        self.atomic: Any = None
        self.blocker: Any = None

    def enter(self, blocker: Any) -> None:
        if self.atomic is not None:
            return
        self.blocker = blocker
        if connection.in_atomic_block:
            raise RuntimeError("demo_county 须在 db 之前请求：把它放在测试参数的第一个")
        with blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            with shared_world_built():
                call_command("demo", stdout=StringIO())

    def leave(self) -> None:
        if self.atomic is None:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None


_DEMO = _DemoCounty()


@pytest.fixture
def _demo_county_built(django_db_setup: None, django_db_blocker: Any) -> None:
    _DEMO.enter(django_db_blocker)


@pytest.fixture
def demo_county(_demo_county_built: None, db: None) -> None:
    """The whole demo county (`cunshe demo`), as the demo tests of every module check it. Ask for it first: the
    county's transaction must be open before the test's own (`db`)."""


# The two expensive worlds of the suite, each built once per worker that runs a test needing it: the demo county
# (50-100 s) and the access walk's two towns of every module (about 70 s). Under `--dist loadgroup` (run.py's
# default) each group goes to one worker as one unit, so each is built once per run instead of once per worker.
def _wants_demo(item: pytest.Item | None) -> bool:
    return item is not None and "demo_county" in getattr(item, "fixturenames", ())


XDIST_GROUPS: dict[str, Callable[[pytest.Item], bool]] = {
    "demo_county": _wants_demo,
    "access_walk": lambda item: item.nodeid.startswith("cunshe/access/tests/test_every_url.py::TheWalk::"),
}


def _join_xdist_groups(items: list[pytest.Item]) -> None:
    # loadgroup's scheduler groups by an "@group" suffix of the node id. pytest-xdist 3.8 adds it from xdist_group
    # marks by setting `item._nodeid`, which pytest 9 no longer reads (the id is `item._id`, a NodeId), so the marks
    # are ignored; the suffix is set here instead, the same way, on the workers (the scheduler reads their ids).
    for item in items:
        group = next((name for name, member in XDIST_GROUPS.items() if member(item)), None)
        if group is not None:
            item._id = NodeId.parse(f"{item.nodeid}@{group}")


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> Any:
    # After every other plugin's ordering (pytest-django's included): the demo tests go together, so a worker (or a
    # run without xdist) runs them in one stretch and builds the county once.
    # They go before the first transactional test, though: its flush empties the rule rows the migrations load,
    # and the demo needs them.
    result = yield
    demo = [item for item in items if _wants_demo(item)]
    rest = [item for item in items if not _wants_demo(item)]
    cut = next((n for n, item in enumerate(rest) if _transactional(item)), len(rest))
    items[:] = rest[:cut] + demo + rest[cut:]
    if getattr(config.option, "loadgroup", False):  # set by pytest-xdist on its workers under --dist loadgroup
        _join_xdist_groups(items)
    return result


def _transactional(item: pytest.Item) -> bool:
    mark = item.get_closest_marker("django_db")
    if mark is not None and (mark.kwargs.get("transaction") or (mark.args and mark.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    yield
    if _DEMO.atomic is not None and not _wants_demo(nextitem):
        _DEMO.leave()


def ensure_zouping() -> Region:
    """The demo county's regions (imported once per session; re-imported after a transactional test flushed them)."""
    if not Region.objects.filter(code=VILLAGE_B).exists():
        regions_import(actor=SYSTEM, files=SLICE_FILES, under=DEMO_COUNTY)
    return Region.objects.get(code=COUNTY)


@pytest.fixture
def zouping(db: Any) -> Region:
    return ensure_zouping()


OTHER_COUNTY = "371699"  # a made-up county beside 邹平市, for county-level isolation
OTHER_VILLAGE = "371699100201"


def import_other_county() -> Region:
    """A second county (测试县) with one town and one village, imported through the real importer."""
    files = {
        "areas.csv": f'code,name,cityCode,provinceCode\n{OTHER_COUNTY},"测试县",3716,37\n',
        "streets.csv": f'code,name,areaCode,provinceCode,cityCode\n{OTHER_VILLAGE[:9]},"测试镇",{OTHER_COUNTY},37,3716\n',
        "villages.csv": (
            "code,name,streetCode,provinceCode,cityCode,areaCode\n"
            f'{OTHER_VILLAGE},"测试村委会",{OTHER_VILLAGE[:9]},37,3716,{OTHER_COUNTY}\n'
        ),
    }
    with tempfile.TemporaryDirectory() as folder:
        for name, text in files.items():
            (Path(folder) / name).write_text(text, encoding="utf-8")
        report = regions_import(actor=SYSTEM, files=[Path(folder) / n for n in files], under=OTHER_COUNTY)
    assert not report.bad_rows
    return Region.objects.get(code=OTHER_COUNTY)


@pytest.fixture
def other_county(zouping: Region) -> Region:
    return import_other_county()


_sequence = itertools.count(1)


def new_user(role: str, region: str, *, department: Department | None = None, name: str = "") -> User:
    """An account holding one role at a region, made through the account services."""
    n = next(_sequence)
    # an account in use: its first password was changed (a first password allows nothing but changing it)
    user = account_create(
        actor=SYSTEM,
        username=f"{role}{n}",
        display_name=name or f"测试{role}{n}",
        password=PASSWORD,
        region_code=region,
        must_change_password=False,
    )
    if role == "reviewer" and department is None:
        department = department_create(actor=SYSTEM, county_code=region[:6], name="市公安局")
    role_assign(actor=SYSTEM, user=user, role=role, region_code=region, department=department)
    return user


def new_person(region: str = VILLAGE_A, *, actor: Actor = SYSTEM, **fields: Any) -> Person:
    """A registered person with a valid, unique ID number, made through the people services."""
    n = next(_sequence)
    born = fields.pop("birth_date", date(1970 + n % 30, 1 + n % 12, 1 + n % 28))
    joined = fields.get("party_joined_on")
    if joined and born > joined.replace(year=joined.year - 18, day=1):
        # the sequence (and so the default birth date) depends on test order; a party member must
        # have joined at eighteen or later, so an early joining date needs an earlier birth
        born = born.replace(year=joined.year - 25)
    fields.setdefault("id_number", id_numbers.make(COUNTY, born, n % 1000))
    fields.setdefault("name", f"村民{n}")
    return person_create(actor=actor, region_code=region, birth_date=born, **fields)


@pytest.fixture
def make_user(zouping: Region) -> Callable[..., User]:
    return new_user


@pytest.fixture
def make_person(zouping: Region) -> Callable[..., Person]:
    return new_person


def web_client(user: User) -> Client:
    """A browser session logged in as the user."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def api_client(user: User) -> Client:
    """An API client holding a token issued to the user."""
    _token, raw = token_issue(user=user)
    return Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def web_as() -> Callable[[User], Client]:
    return web_client


@pytest.fixture
def api_as() -> Callable[[User], Client]:
    return api_client


def pdf_text(content: bytes) -> tuple[str, int]:
    """The text a reader extracts from a PDF, and its number of pages: printed documents are tested by what they say."""
    reader = PdfReader(BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


@pytest.fixture
def kept_summaries(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The production cache of kept values (cunshe/records/kept.py; the test settings keep none), empty for the test.
    The clock's minute and day are held still: two requests that straddle a minute's turn would otherwise build anew
    and make "kept until a change" fail now and then (it did in CI). A test moves it on purpose to see it follow the
    clock."""
    from django.core.cache import caches
    from django.test import override_settings

    from cunshe.records import kept
    from cunshe.records.kept import SUMMARY_CACHE

    still, today = kept.current_minute(), kept.current_day()
    monkeypatch.setattr(kept, "current_minute", lambda: still)
    monkeypatch.setattr(kept, "current_day", lambda: today)

    with override_settings(
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            SUMMARY_CACHE: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kept-test"},
        }
    ):
        caches[SUMMARY_CACHE].clear()
        yield
        caches[SUMMARY_CACHE].clear()
