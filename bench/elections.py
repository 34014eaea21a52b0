"""Election day in a county of 900 villages: about 4,000 ballot boxes, each count sheet entered twice by two accounts,
signed off by the town, each village tallied when its last box is signed off — and, while the sheets arrive, the
county election-day board (/counts/board/, its htmx fragment /counts/board/live/, the API /api/v1/counts/board/…).

    .venv/bin/python bench/elections.py                                  # SQLite in a temp file
    .venv/bin/python bench/elections.py --database-url postgres://cunshe:…@127.0.0.1:5432/postgres
    .venv/bin/python bench/elections.py --villages 90 --requests 10      # a quick look (10 × smaller)

Region data: 滕州市 (370481, 1,180 villages and communities) from ../shared/data/regions; its first `--villages`
vote today, the next 9 voted yesterday (the reference board: the same county, page, user and tables, 9 villages
instead of 900). Everything up to polling goes through the services, as a town would: the term change, each
election, the register built from the people registry and published, the joint review (one batch per town),
nominations, formal candidates, publication, stations with three scrutineers each, polling opened. Only the people
themselves come from bench/generate.py's bulk path (person_create per person is the people module's business, not
the count's; 70,000 of them through it would triple the setup). Then every box: entered by the village's first
clerk, entered again by the second (1 box in 100 keyed differently and settled by the town against the paper), the
signed paper's scan attached, signed off by the town officer; the last box of a village counts it
(counts.services.election_count → elections.tally → ElectionResult).

What it prints (ratios first, as issue 15 asks: absolute times depend on the neighbours on a shared machine):
- board: at each fifth of the arrival, the county board for today (900 villages) against the same board for
  yesterday (9 villages), median ms, rps, p50, p99 and queries; the ratio should stay near 1 and the queries equal;
- writes: median ms of each service call in the first and the last tenth of the arrival (flat = ratio ≈ 1);
- tally: election_count's queries at a 4-box and a 5-box village (equal = no per-box queries), the last sign-off
  (which counts the village) against the others, and the tally of every village again after the day (count_of +
  elections.tally, read-only) per sheet against a bare read of the same sheets' figures.
One JSON line per run goes to bench/results/elections.jsonl."""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.utils import timezone

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._env import RESULTS_DIR, emit, fresh_database, machine, region_files, server_version

COUNTY = "370481"  # 滕州市: 1,180 villages and communities, the most of any county in Shandong's data
PASSWORD = "Bench@2026"
SEATS = {"director": 1, "deputy_director": 1, "committee_member": 3}  # candidates 2, 2 and 4 (差额)
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 16


def ms(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn()
    return out, (time.perf_counter() - start) * 1000


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# ---------------------------------------------------------------------------------------------------------------
# Setup, through the services


def build(villages_wanted: int, per_village: int, reference: int, today: date, source: str | None) -> dict[str, Any]:
    from django.conf import settings

    from bench import generate
    from cunshe.access.roles import Role
    from cunshe.accounts.services import account_create, role_assign
    from cunshe.candidates.services import (
        NominationRow,
        candidates_determine,
        candidates_publish,
        nominations_enter,
    )
    from cunshe.core.actors import SYSTEM
    from cunshe.core.statistics import statistics_refresh
    from cunshe.elections.models import Kind
    from cunshe.elections.services import election_open
    from cunshe.people.models import Person
    from cunshe.polling.services import polling_open, staff_add, station_add
    from cunshe.regions.models import Kind as RegionKind
    from cunshe.regions.models import Level, Region
    from cunshe.regions.services import regions_import
    from cunshe.reviews.models import DepartmentReview
    from cunshe.reviews.services import (
        answers_clear_rest,
        batch_release,
        batch_submit_people,
        department_review_sign,
        departments_install_defaults,
        round_open,
    )
    from cunshe.termchanges.services import term_change_open
    from cunshe.voters.services import register_build, register_publish

    # Accounts are made with account_create, which hashes each password; the local settings' PBKDF2 at ~0.3 s a
    # hash would spend ten minutes on 1,800 clerks nobody logs in as (the clients below use force_login).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    phases: dict[str, float] = {}
    t = time.perf_counter()
    regions_import(actor=SYSTEM, files=region_files(source), under=COUNTY)
    phases["regions_s"] = time.perf_counter() - t
    t = time.perf_counter()
    generate.create_people(COUNTY, per_village=per_village, method="executemany")
    statistics_refresh()
    phases["people_s"] = time.perf_counter() - t

    t = time.perf_counter()
    organizer = account_create(
        actor=SYSTEM, username="zzb", display_name="组织部", password=PASSWORD, region_code=COUNTY,
        must_change_password=False,
    )  # fmt: skip
    role_assign(actor=SYSTEM, user=organizer, role=Role.COUNTY_ORGANIZER, region_code=COUNTY)
    term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    all_villages = list(Region.objects.filter(code__startswith=COUNTY, level=Level.VILLAGE).order_by("code"))
    if len(all_villages) < villages_wanted + reference:
        raise SystemExit(f"{COUNTY} has {len(all_villages)} villages, fewer than {villages_wanted + reference}")
    plan = [(v, today) for v in all_villages[:villages_wanted]]
    plan += [(v, today - timedelta(days=1)) for v in all_villages[villages_wanted : villages_wanted + reference]]
    officers: dict[str, Any] = {}
    clerks: dict[str, tuple[Any, Any]] = {}
    elections = []
    for village, day in plan:
        town = village.code[:9]
        if town not in officers:
            officers[town] = account_create(
                actor=SYSTEM, username=f"xz{town}", display_name=f"乡镇干部{town[-3:]}", password=PASSWORD,
                region_code=town, must_change_password=False,
            )  # fmt: skip
            role_assign(actor=SYSTEM, user=officers[town], role=Role.TOWN_OFFICER, region_code=town)
        pair = []
        for k in (1, 2):
            clerk = account_create(
                actor=SYSTEM, username=f"jp{village.code}{k}", display_name=f"计票录入员{k}", password=PASSWORD,
                region_code=village.code, must_change_password=False,
            )  # fmt: skip
            role_assign(actor=SYSTEM, user=clerk, role=Role.VILLAGE_CADRE, region_code=village.code)
            pair.append(clerk)
        clerks[village.code] = (pair[0], pair[1])
        kind = Kind.RESIDENTS if village.kind == RegionKind.COMMUNITY else Kind.VILLAGERS
        election = election_open(actor=SYSTEM, village_code=village.code, kind=kind, election_day=day, seats=SEATS)
        register = register_build(actor=SYSTEM, election=election, on=day - timedelta(days=30)).register
        register_publish(
            actor=SYSTEM, register=register, on=day - timedelta(days=25), expected_version=register.version
        )
        elections.append(election)
    phases["elections_and_registers_s"] = time.perf_counter() - t

    # Candidates: eight adults of each village (a woman first among the members, for the woman's seat), through
    # the county's joint review, one batch per town.
    t = time.perf_counter()
    slates: dict[int, dict[str, list[Any]]] = {}
    by_town: dict[str, list[Any]] = defaultdict(list)
    adult_by = today.replace(year=today.year - 20)
    for election in elections:
        adults = list(
            Person.objects.filter(region_id=election.region_id, birth_date__lte=adult_by).order_by("birth_date", "pk")
        )[-40:]  # the younger adults: under 70 on election day
        woman = next(p for p in adults if p.gender == "F")
        others = [p for p in adults if p.pk != woman.pk][:7]
        slates[election.pk] = {
            "director": others[:2], "deputy_director": others[2:4], "committee_member": [woman, *others[4:7]],
        }  # fmt: skip
        by_town[election.region_id[:9]] += [woman, *others]
    departments_install_defaults(actor=SYSTEM, county_code=COUNTY)
    review_round = round_open(actor=SYSTEM, county_code=COUNTY, opened_on=date(2026, 10, 20))
    for town, people in by_town.items():
        batch = batch_submit_people(actor=SYSTEM, review_round=review_round, town_code=town, people=people)
        batch = batch_release(actor=SYSTEM, batch=batch, expected_version=batch.version)
        for review in DepartmentReview.objects.filter(batch=batch).order_by("pk"):
            answers_clear_rest(actor=SYSTEM, review=review)
            review.refresh_from_db()
            department_review_sign(actor=SYSTEM, review=review, conclusion="未发现不宜人选情形。",
                                   expected_version=review.version)  # fmt: skip
    for election in elections:
        day = election.election_day
        slate = slates[election.pk]
        rows = [
            NominationRow(post, person.pk, 30 - 5 * n)
            for post, people in slate.items()
            for n, person in enumerate(people)
        ]
        nominations_enter(actor=SYSTEM, election=election, ballots=80, rows=rows, on=day - timedelta(days=12))
        candidates_determine(
            actor=SYSTEM, election=election, chosen={post: [p.pk for p in ps] for post, ps in slate.items()}
        )
        election.refresh_from_db()
        candidates_publish(
            actor=SYSTEM, election=election, on=day - timedelta(days=7), expected_version=election.version
        )
    phases["candidates_s"] = time.perf_counter() - t

    # Boxes: a central venue, two or three sub-venues, a mobile box — 5 boxes in 4 villages of 9, else 4
    # (900 villages → 4,000 boxes); three scrutineers at each, none a candidate.
    t = time.perf_counter()
    for n, election in enumerate(elections):
        candidates = {p.pk for ps in slates[election.pk].values() for p in ps}
        pool = [p for p in Person.objects.filter(region_id=election.region_id, birth_date__lte=adult_by).order_by("pk")
                if p.pk not in candidates]  # fmt: skip
        boxes = [station_add(actor=SYSTEM, election=election, kind="central", name="中心会场", place="村委会大院")]
        for k in range(3 if n % 9 < 4 else 2):
            boxes.append(
                station_add(actor=SYSTEM, election=election, kind="sub", name=f"第{k + 1}投票站", place=f"第{k + 1}片")
            )
        boxes.append(station_add(actor=SYSTEM, election=election, kind="mobile", name="流动票箱"))
        for box in boxes:
            for _ in range(3):
                staff_add(actor=SYSTEM, station=box, person=pool.pop(), role="scrutineer")
        election.refresh_from_db()
        polling_open(actor=SYSTEM, election=election, on=election.election_day, expected_version=election.version)
    statistics_refresh()
    phases["polling_s"] = time.perf_counter() - t
    return {
        "organizer": organizer,
        "officers": officers,
        "clerks": clerks,
        "elections": elections,
        "slates": slates,
        "phases": {k: round(v, 1) for k, v in phases.items()},
    }


# ---------------------------------------------------------------------------------------------------------------
# The paper sheets


def paper(election: Any, box: int, boxes: int, registered: int, slate: dict[str, list[Any]], kind: str) -> dict:
    """A box's sheet: the box's share of the register, 90% turnout (45% in an `invalid` village), the first
    director, deputy and three members well over half (the third member under half in a `further` village)."""
    from cunshe.candidates.models import Candidate

    issued = registered // boxes + (1 if box < registered % boxes else 0)
    returned = max(
        int(issued * (0.45 if kind == "invalid" else 0.9)) - box, 1
    )  # no two boxes alike (a copy is stopped)
    invalid = 1 if returned > 10 else 0
    valid = returned - invalid
    ids = {c.person_id: c.pk for c in Candidate.objects.filter(election=election)}
    d, dd, m = slate["director"], slate["deputy_director"], slate["committee_member"]
    shares = {
        d[0].pk: 0.7, d[1].pk: 0.25, dd[0].pk: 0.65, dd[1].pk: 0.3,
        m[0].pk: 0.8, m[1].pk: 0.7, m[2].pk: 0.35 if kind == "further" else 0.6, m[3].pk: 0.3,
    }  # fmt: skip
    return {
        "issued": issued, "returned": returned, "valid": valid, "invalid": invalid, "void": {},
        "votes": {str(ids[pid]): int(valid * share) for pid, share in shares.items()}, "write_ins": [],
    }  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# The board


def board_clients(world: dict[str, Any]) -> dict[str, Any]:
    from django.db import transaction
    from django.test import Client

    from cunshe.accounts.services import token_issue

    page = Client(HTTP_HOST="127.0.0.1")
    page.force_login(world["organizer"])
    with transaction.atomic():  # token_issue records, and leaves the transaction to its caller (the API view)
        _token, raw = token_issue(user=world["organizer"])
    return {"page": page, "api": Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {raw}")}


def served(client: Any, url: str, requests: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: the first request of a URL compiles its templates and fills the caches
    times = []
    for _ in range(requests):
        response, t = ms(lambda: client.get(url))
        assert response.status_code == 200, (url, response.status_code)
        times.append(t)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(pct(times, 0.99), 2),
        "rps": round(len(times) / (sum(times) / 1000), 1),
        "queries": len(queries),
    }


def board_round(clients: dict[str, Any], today: date, requests: int, done: float) -> list[dict[str, Any]]:
    yesterday = today - timedelta(days=1)
    rows = []
    for what, client, url in (
        ("board page", clients["page"], "/counts/board/?under={c}&day={d}"),
        ("board live (htmx)", clients["page"], "/counts/board/live/?under={c}&day={d}"),
        ("board API", clients["api"], "/api/v1/counts/board/{c}?day={d}"),
    ):
        big = served(client, url.format(c=COUNTY, d=today.isoformat()), requests)
        small = served(client, url.format(c=COUNTY, d=yesterday.isoformat()), requests)
        rows.append(
            {
                "what": what,
                "arrived": done,
                "p50_ratio": round(big["p50_ms"] / small["p50_ms"], 2),
                "big": big,
                "small": small,
            }
        )
    return rows


def print_board(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        b, s = r["big"], r["small"]
        print(
            f"#  {r['arrived']:>4.0%} {r['what']:<18} ratio {r['p50_ratio']:>5}  today: p50 {b['p50_ms']:>7} p99 "
            f"{b['p99_ms']:>7} rps {b['rps']:>6} q {b['queries']:>3} | yesterday: p50 {s['p50_ms']:>7} p99 {s['p99_ms']:>7} "
            f"rps {s['rps']:>6} q {s['queries']:>3}",
            flush=True,
        )


# ---------------------------------------------------------------------------------------------------------------
# The day


def election_day(world: dict[str, Any], today: date, requests: int, seed: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cunshe.counts.models import SheetStatus
    from cunshe.counts.services import (
        differences,
        open_checks,
        scan_add,
        sheet_clear,
        sheet_enter,
        sheet_settle,
        sheet_sign_off,
    )
    from cunshe.elections.models import Election
    from cunshe.polling.models import Station
    from cunshe.voters.selectors import registered_total

    rng = random.Random(seed)
    elections = {e.pk: e for e in world["elections"]}
    kinds: dict[int, str] = {}
    boxes: list[tuple[int, Any, int, int]] = []
    registered: dict[int, int] = {}
    for n, election in enumerate(elections.values()):
        kinds[election.pk] = "invalid" if n % 50 == 7 else "further" if n % 50 == 13 else "plain"
        registered[election.pk] = registered_total(election)
        stations = list(Station.objects.filter(election=election).order_by("position"))
        boxes += [(election.pk, st, k, len(stations)) for k, st in enumerate(stations)]
    # Yesterday's reference villages are all in and counted before today's first sheet; today's arrive shuffled.
    reference = [b for b in boxes if elections[b[0]].election_day != today]
    todays = [b for b in boxes if elections[b[0]].election_day == today]
    rng.shuffle(todays)
    clients = board_clients(world)
    timings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    count_queries: dict[int, int] = {}  # boxes of a village → queries of its last sign-off (which counts it)
    board: list[dict[str, Any]] = []
    checkpoints = {int(len(todays) * f): f for f in (0.25, 0.5, 0.75)}
    arrival = [*reference, *todays]
    for i, (pk, station, k, n_boxes) in enumerate(arrival):
        if i == len(reference):
            rows = board_round(clients, today, requests, 0.0)
            print_board(rows)
            board += rows
        elif i - len(reference) in checkpoints:
            rows = board_round(clients, today, requests, checkpoints[i - len(reference)])
            print_board(rows)
            board += rows
        election = elections[pk]
        first, second = world["clerks"][election.region_id]
        officer = world["officers"][election.region_id[:9]]
        data = paper(election, k, n_boxes, registered[pk], world["slates"][pk], kinds[pk])
        other = data
        if i % 100 == 50:  # the second clerk keys one figure differently: the town settles it against the paper
            key = next(iter(data["votes"]))
            other = {**data, "votes": {**data["votes"], key: data["votes"][key] + 1}}
        today_box = i >= len(reference)
        j = i - len(reference)
        _, t = ms(partial(sheet_enter, actor=first, election=election, station=station, data=data))
        today_box and timings["sheet_enter (1st)"].append((j, t))
        sheet, t = ms(partial(sheet_enter, actor=second, election=election, station=station, data=other))
        today_box and timings["sheet_enter (2nd)"].append((j, t))
        if sheet.status == SheetStatus.DIFFERING:
            first_entry = sheet.entries.get(number=1).figures
            choices = {key: first_entry[key] for key in differences(first_entry, sheet.entries.get(number=2).figures)}
            sheet, t = ms(
                partial(sheet_settle, actor=officer, sheet=sheet, choices=choices, expected_version=sheet.version)
            )
            today_box and timings["sheet_settle"].append((j, t))
        _, t = ms(
            partial(scan_add, actor=first, sheet=sheet, name="签字计票单.png", content_type="image/png", content=PNG)
        )
        today_box and timings["scan_add"].append((j, t))
        for check, _message in open_checks(sheet) if sheet.status == SheetStatus.QUARANTINED else ():
            # a sheet the checks stop (a small box's figures equal to another's): the town finds the paper right
            sheet = sheet_clear(
                actor=officer, sheet=sheet, check=check, reason="已核对纸质计票单", expected_version=sheet.version
            )
            today_box and timings["sheet_clear"].append((j, 0.0))
        last = not Station.objects.filter(election_id=pk, sheet__isnull=True).exists() and (
            sheet.election.count_sheets.exclude(status=SheetStatus.SIGNED_OFF).count() == 1
        )
        with CaptureQueriesContext(connection) as queries:
            _, t = ms(partial(sheet_sign_off, actor=officer, sheet=sheet, expected_version=sheet.version))
        if last:
            count_queries.setdefault(n_boxes, len(queries))
        if today_box:
            timings["sheet_sign_off (last box: counts the village)" if last else "sheet_sign_off"].append((j, t))
    rows = board_round(clients, today, requests, 1.0)
    print_board(rows)
    board += rows
    counted = Election.objects.filter(pk__in=list(elections), status__in=("counted",)).count()
    writes = {}
    total = len(todays)
    for name, values in timings.items():
        early = [t for j, t in values if j < total // 10]
        late = [t for j, t in values if j >= total - total // 10]
        writes[name] = {
            "calls": len(values),
            "median_ms": round(statistics.median(t for _, t in values), 2),
            "first_tenth_ms": round(statistics.median(early), 2) if early else None,
            "last_tenth_ms": round(statistics.median(late), 2) if late else None,
        }
        if early and late:
            writes[name]["late_vs_early"] = round(writes[name]["last_tenth_ms"] / writes[name]["first_tenth_ms"], 2)
    return {
        "board": board,
        "writes": writes,
        "boxes_today": total,
        "counted": counted,
        "count_queries_by_boxes": count_queries,
    }


# ---------------------------------------------------------------------------------------------------------------
# The tally of every village, again, read-only


def tally_all(world: dict[str, Any], today: date) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cunshe.counts.models import Sheet, SheetStatus
    from cunshe.counts.services import count_of
    from cunshe.elections import tally as tallying
    from cunshe.elections.models import Election, ElectionResult
    from cunshe.elections.rules import tally_rules

    elections = list(
        Election.objects.filter(pk__in=[e.pk for e in world["elections"]], election_day=today).select_related("rules")
    )
    sheets = Sheet.objects.filter(election__in=elections, status=SheetStatus.SIGNED_OFF).count()
    bare_ms = read_ms = pure_ms = 0.0
    statuses: dict[str, int] = defaultdict(int)
    for election in elections:
        _, t = ms(
            lambda e=election: list(
                Sheet.objects.filter(election=e, status=SheetStatus.SIGNED_OFF).values_list("figures", flat=True)
            )
        )
        bare_ms += t
        count, t = ms(lambda e=election: count_of(e))
        read_ms += t
        outcome, t = ms(lambda c=count, e=election: tallying.tally(c, tally_rules(e.rules)))
        pure_ms += t
        statuses[outcome.status] += 1
    _, one_read_ms = ms(
        lambda: list(
            Sheet.objects.filter(election__in=elections, status=SheetStatus.SIGNED_OFF).values_list(
                "figures", flat=True
            )
        )
    )
    one = elections[0]
    with CaptureQueriesContext(connection) as q:
        count_of(one)
    stored: dict[str, int] = defaultdict(int)
    for status in ElectionResult.objects.filter(election__in=elections).values_list("status", flat=True):
        stored[status] += 1
    return {
        "villages": len(elections),
        "sheets": sheets,
        "bare_read_ms_per_sheet": round(bare_ms / sheets, 3),
        "bare_read_one_query_ms_per_sheet": round(one_read_ms / sheets, 3),
        "count_of_ms_per_sheet": round(read_ms / sheets, 3),
        "tally_pure_ms_per_sheet": round(pure_ms / sheets, 3),
        "count_of_vs_bare": round(read_ms / bare_ms, 2),
        "count_of_and_tally_vs_bare": round((read_ms + pure_ms) / bare_ms, 2),
        "tally_pure_vs_bare": round(pure_ms / bare_ms, 2),
        "count_of_queries": len(q),
        "outcomes_recomputed": dict(statuses),
        "results_stored": dict(stored),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=None, help="postgres://user:pass@host/admin_db (a fresh DB is made)")
    parser.add_argument("--villages", type=int, default=900)
    parser.add_argument("--reference", type=int, default=9, help="villages that voted yesterday (the reference board)")
    parser.add_argument("--people", type=int, default=60, help="people per village (bulk, bench/generate.py)")
    parser.add_argument("--requests", type=int, default=40, help="requests per board measurement")
    parser.add_argument("--source", default=None, help="region files (default ../shared/data/regions)")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--jsonl", default=str(RESULTS_DIR / "elections.jsonl"))
    args = parser.parse_args(argv)
    today = timezone.localdate()
    started = time.perf_counter()
    with fresh_database(args.database_url, keep=args.keep) as db:
        world = build(args.villages, args.people, args.reference, today, args.source)
        print(f"# {db.vendor} {db.name}: setup {world['phases']}", flush=True)
        print("#  arrived what               p50 ratio today/yesterday (--villages / --reference villages)", flush=True)
        day = election_day(world, today, args.requests, args.seed)
        for name, w in day["writes"].items():
            print(f"#  {name:<48} {w}", flush=True)
        print(f"#  counted {day['counted']} elections; election_count queries by boxes {day['count_queries_by_boxes']}")
        tally = tally_all(world, today)
        print(f"#  tally {tally}", flush=True)
        emit(
            {
                "bench": "elections",
                "vendor": db.vendor,
                "server": server_version() if db.vendor == "postgresql" else None,
                "county": COUNTY,
                "villages": args.villages,
                "reference_villages": args.reference,
                "people_per_village": args.people,
                "requests": args.requests,
                "setup": world["phases"],
                **day,
                "tally": tally,
                "seconds": round(time.perf_counter() - started, 1),
                "machine": machine(),
                "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            },
            f"# {db.vendor}: done in {time.perf_counter() - started:.0f} s",
            Path(args.jsonl) if args.jsonl else None,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
