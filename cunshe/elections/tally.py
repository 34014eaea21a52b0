"""The count of an election (计票) as one pure function: no models, no database, no clock.

`tally(count, rules)` answers who is elected, which seats stay empty, whether a further round (另行选举) or a rerun
(重新选举) is needed, and, for every line of the outcome, the rule that decided it in Chinese. The count-sheet pages,
the stateless check (POST /api/v1/elections/tally-check, `cunshe elections tally FILE.json`) and the county board all
call this one function. The JSON format of a count sheet is documented in docs/elections.md.

Counting words follow RULES.md: "过半数" is strictly more than, "以上" includes the number; every threshold is an exact
Fraction, never a rounded percentage.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, Literal

Round = Literal["main", "further"]
WomanSeat = Literal["fill_last_member", "separate_vote", "none"]
Kind = Literal["villagers", "residents", "supervision", "party"]
Status = Literal["elected", "further_round", "tie", "vacant", "rerun"]


class TallyInputError(ValueError):
    """A count sheet that cannot be counted (missing or impossible figures); `errors` maps fields to Chinese texts."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


@dataclass(frozen=True)
class TallyRules:
    """What the count needs of a rule set (elections.models.ElectionRules.tally_rules() builds it)."""

    turnout: Fraction = Fraction(1, 2)  # valid only when returned > turnout × registered (过半数)
    win: Fraction = Fraction(1, 2)  # elected with votes > win × base (过半数); base: ballots returned, or present
    further_floor: Fraction = Fraction(1, 3)  # 另行选举: votes ≥ floor × ballots returned (以上)
    further_turnout_required: bool = True  # the > 1/2 turnout rule applies to the further round too
    aggregation: bool = False  # 一票制: director votes count for deputy and member, deputy votes for member
    woman_seat: WomanSeat = "fill_last_member"
    min_members: int = 3  # seats may stay vacant while at least this many are elected
    party: bool = False  # party election: quorum of those due instead of turnout; base = members present
    party_quorum: Fraction = Fraction(4, 5)  # valid when present > quorum × due (超过)
    # Added with the implementation (optional, so callers built against the interface keep working):
    party_quorum_inclusive: bool = False  # "以上": present ≥ quorum × due (the supervision committee's 2/3 以上)
    kind: Kind = "villagers"  # which law the lines cite (elections.models.Kind values)


@dataclass(frozen=True)
class CandidateVotes:
    key: str  # a stable id (person id, or "write-in:<name>")
    name: str
    votes: int
    woman: bool = False
    write_in: bool = False  # 另选他人: not on the formal list


@dataclass(frozen=True)
class PostCount:
    post: str  # teams.models.Post value: director, deputy_director, committee_member, ...
    seats: int
    candidates: tuple[CandidateVotes, ...]
    void: int = 0  # ballots void for this post only (more names than seats)


@dataclass(frozen=True)
class Count:
    registered: int  # 登记参加选举的村民 (for a party election: members with a vote due to attend)
    issued: int  # 发出选票
    returned: int  # 收回选票 (= those who voted)
    invalid: int  # wholly void ballots
    posts: tuple[PostCount, ...]
    round: Round = "main"
    woman_required: bool = True  # the committee must include a woman (villagers' and residents' committees)
    present: int | None = None  # party election: members with a vote present
    # Added with the implementation, for a further round (另行选举): members elected in the earlier round(s), so the
    # count knows whether seats still empty may stay vacant (≥ TallyRules.min_members), and whether a woman is
    # among them already.
    already_elected: int = 0
    woman_elected_before: bool = False


@dataclass(frozen=True)
class Line:
    """One step of the outcome and the rule behind it, e.g. rule="turnout", text="参加投票 601 人，超过登记选民 1200 人的
    半数（须至少 601 人），本次选举有效（《村民委员会组织法》）". Every line ends with its source in brackets: the law,
    the ministry's 规程, the party's 条例 or the province's 选举办法, by name. No article numbers: RULES.md (the
    project's source for the rules) states none for these rules, and the committee law was amended in 2025; a number
    not checked against the text in force would be a guess."""

    rule: str
    text: str
    post: str = ""


@dataclass(frozen=True)
class PostOutcome:
    post: str
    seats: int
    elected: tuple[CandidateVotes, ...]
    tied: tuple[CandidateVotes, ...] = ()  # a new vote among these decides the last seats
    vacancies: int = 0
    further_candidates: tuple[CandidateVotes, ...] = ()  # chosen by the rule for the 另行选举 of the vacancies
    # Added with the implementation: of the vacancies, how many go to a separate vote among women (the woman's
    # seat) and the women chosen for it; `pending` when the post cannot be counted yet (one-ballot aggregation
    # and a tie for a higher post: the loser's votes for that post count here).
    woman_seats: int = 0
    woman_candidates: tuple[CandidateVotes, ...] = ()
    pending: bool = False


@dataclass(frozen=True)
class Outcome:
    valid: bool
    # elected: every seat filled; further_round: seats left for 另行选举; rerun: the election is invalid (重新选举);
    # tie: a new vote among the tied is needed; vacant: seats stay empty but the committee has enough members.
    status: Status
    posts: tuple[PostOutcome, ...]
    lines: tuple[Line, ...] = field(default_factory=tuple)


# ------------------------------------------------------------------------------------------------- vocabulary

# Chinese names of the posts (teams.models.Post) and statuses (elections.models.ResultStatus), kept here so this
# module stays free of Django; a test pins them to the models.
POST_LABELS: dict[str, str] = {
    "secretary": "书记",
    "deputy_secretary": "副书记",
    "party_member": "支(党)委委员",
    "director": "主任",
    "deputy_director": "副主任",
    "committee_member": "委员",
    "supervision_chair": "监委会主任",
    "supervision_member": "监委会委员",
}
STATUS_LABELS: dict[str, str] = {
    "elected": "全部当选",
    "further_round": "须另行选举",
    "tie": "票数相同须再次投票",
    "vacant": "部分职位空缺",
    "rerun": "选举无效须重新选举",
}
# Posts voted on one ballot from the highest down: a person elected to a higher post leaves the lower posts' count,
# and under one-ballot aggregation the votes of a higher post count towards the lower ones.
LADDERS: tuple[tuple[str, ...], ...] = (
    ("director", "deputy_director", "committee_member"),
    ("supervision_chair", "supervision_member"),
    ("secretary", "deputy_secretary", "party_member"),
)
# The post whose last seat the woman's seat takes.
MEMBER_POSTS = ("committee_member", "supervision_member", "party_member")
LAWS: dict[str, str] = {
    "villagers": "《村民委员会组织法》",
    "residents": "《城市居民委员会组织法》",
    "supervision": "《村民委员会组织法》",
    "party": "《中国共产党基层组织选举工作条例》",
}
# Ballots returned against issued and ballots void for a post are in the ministry's rules (and the party's 条例).
BALLOT_RULES: dict[str, str] = {
    "villagers": "《村民委员会选举规程》",
    "residents": "《村民委员会选举规程》（居民委员会选举参照）",
    "supervision": "《村民委员会选举规程》",
    "party": "《中国共产党基层组织选举工作条例》",
}
WOMAN_SEAT_LABELS: dict[str, str] = {
    "fill_last_member": "无妇女当选时，得票最多的妇女委员候选人替补最后一名委员",
    "separate_vote": "无妇女当选时，保留一个委员名额在妇女候选人中另行选举",
    "none": "不设妇女专职名额",
}

# The national rule sets (elections/migrations/0002_national_rules.py) by name, for a count sheet that names its
# rules instead of spelling them out; a test pins each to tally_rules() of the stored set.
PRESETS: dict[str, TallyRules] = {
    "villagers_national_2026": TallyRules(kind="villagers"),
    "residents_national_2026": TallyRules(kind="residents"),
    "supervision_national_2026": TallyRules(
        kind="supervision",
        woman_seat="none",
        party=True,
        party_quorum=Fraction(2, 3),
        party_quorum_inclusive=True,
    ),
    "party_national_2020": TallyRules(kind="party", woman_seat="none", party=True),
}

_CHINESE_DIGITS = "零一二三四五六七八九十"


def fraction_words(value: Fraction) -> str:
    """1/2 → 半数, 1/3 → 三分之一, 4/5 → 五分之四; other fractions as written (7/12)."""
    if value == Fraction(1, 2):
        return "半数"
    if value.denominator <= 10 and value.numerator <= 10:
        return f"{_CHINESE_DIGITS[value.denominator]}分之{_CHINESE_DIGITS[value.numerator]}"
    return f"{value.numerator}/{value.denominator}"


def more_than(share: Fraction, total: int) -> int:
    """The fewest whole votes (or people) strictly more than share × total (过半数, 超过)."""
    return math.floor(share * total) + 1


def at_least(share: Fraction, total: int) -> int:
    """The fewest whole votes (or people) not fewer than share × total (以上, 不少于)."""
    return math.ceil(share * total)


def _names(people: Sequence[CandidateVotes]) -> str:
    return "、".join(c.name for c in people)


# ---------------------------------------------------------------------------------------------------- checks


def _check(count: Count, rules: TallyRules) -> None:
    """Everything that makes a sheet impossible to count, all at once (field → Chinese reasons)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, text: str) -> None:
        errors.setdefault(name, []).append(text)

    figures = {"registered": "登记选民人数", "issued": "发出选票数", "returned": "收回选票数", "invalid": "无效票数"}
    if rules.party:
        figures["registered"] = "应到会人数"
    for name, label in figures.items():
        if getattr(count, name) < 0:
            add(name, f"{label}不能为负数。")
    if count.already_elected < 0:
        add("already_elected", "已当选人数不能为负数。")
    if rules.party:
        if count.present is None:
            add("present", "会议选举须填写实到会有选举权的人数。")
        elif count.present < 0:
            add("present", "实到人数不能为负数。")
        elif count.present > count.registered >= 0:
            add("present", f"实到 {count.present} 人多于应到 {count.registered} 人。")
        elif count.issued > count.present >= 0:
            add("issued", f"发出选票 {count.issued} 张多于实到 {count.present} 人。")
    if count.invalid > count.returned >= 0:
        add("invalid", f"无效票 {count.invalid} 张多于收回选票 {count.returned} 张。")
    if count.issued > count.registered >= 0 and not rules.party:
        add("issued", f"发出选票 {count.issued} 张多于登记选民 {count.registered} 人。")
    if count.registered == 0:
        add("registered", f"{figures['registered']}须大于零。")
    if not count.posts:
        add("posts", "至少要有一个应选职位。")
    seen_posts: set[str] = set()
    valid_ballots = count.returned - count.invalid
    for i, post in enumerate(count.posts):
        at = f"posts.{i}"
        label = POST_LABELS.get(post.post, post.post)
        if post.post in seen_posts:
            add(f"{at}.post", f"职位“{label}”重复填写。")
        seen_posts.add(post.post)
        if post.seats < 1:
            add(f"{at}.seats", f"{label}的应选名额至少为 1。")
        if post.void < 0:
            add(f"{at}.void", f"{label}一栏的作废票数不能为负数。")
        elif post.void > valid_ballots >= 0:
            add(f"{at}.void", f"{label}一栏作废 {post.void} 张，多于有效选票 {valid_ballots} 张。")
        keys: set[str] = set()
        for j, candidate in enumerate(post.candidates):
            if candidate.key in keys:
                add(f"{at}.candidates.{j}.key", f"{candidate.name}在{label}一栏中重复列出。")
            keys.add(candidate.key)
            if candidate.votes < 0:
                add(f"{at}.candidates.{j}.votes", f"{candidate.name}的得票不能为负数。")
        ballots = valid_ballots - max(post.void, 0)
        total = sum(c.votes for c in post.candidates)
        if post.seats >= 1 and ballots >= 0 and total > ballots * post.seats:
            add(
                f"{at}.candidates",
                f"{label}一栏的得票合计 {total} 票，超过可计票的选票 {ballots} 张 × 应选 {post.seats} 名"
                f"（{ballots * post.seats} 票）。",
            )
        for j, candidate in enumerate(post.candidates):
            if ballots >= 0 and candidate.votes > ballots:
                add(
                    f"{at}.candidates.{j}.votes",
                    f"{candidate.name}得 {candidate.votes} 票，多于可计票的选票 {ballots} 张。",
                )
    everything = (count.registered, count.issued, count.returned, count.invalid, count.present or 0)
    if not any(everything) and not any(c.votes for p in count.posts for c in p.candidates):
        errors.clear()
        add("registered", "计票数据全部为零，请核对后重新填写。")
    if errors:
        first = next(iter(errors.values()))[0]
        raise TallyInputError(f"计票数据有误：{first}", errors)


# ----------------------------------------------------------------------------------------------------- count


@dataclass
class _Post:
    """One post while it is being decided (mutable; becomes a PostOutcome at the end)."""

    post: str
    seats: int
    ranked: list[CandidateVotes]  # by votes (aggregated where the rules say), most first; ballot order among equals
    elected: list[CandidateVotes] = field(default_factory=list)
    tied: list[CandidateVotes] = field(default_factory=list)
    tie_seats: int = 0
    woman_seats: int = 0
    woman_candidates: list[CandidateVotes] = field(default_factory=list)
    further: list[CandidateVotes] = field(default_factory=list)
    pending: bool = False

    @property
    def label(self) -> str:
        return POST_LABELS.get(self.post, self.post)

    @property
    def vacancies(self) -> int:
        return 0 if self.pending else self.seats - len(self.elected) - self.tie_seats

    def outcome(self) -> PostOutcome:
        return PostOutcome(
            post=self.post,
            seats=self.seats,
            elected=tuple(sorted(self.elected, key=lambda c: -c.votes)),
            tied=tuple(self.tied),
            vacancies=self.vacancies,
            further_candidates=tuple(self.further),
            woman_seats=self.woman_seats,
            woman_candidates=tuple(self.woman_candidates),
            pending=self.pending,
        )


def _ladder_order(posts: Sequence[PostCount]) -> list[PostCount]:
    """Posts from the highest down within each ladder (director before deputy before member); others keep their
    place after them."""

    def rank(item: tuple[int, PostCount]) -> tuple[int, int, int]:
        i, post = item
        for n, ladder in enumerate(LADDERS):
            if post.post in ladder:
                return (n, ladder.index(post.post), i)
        return (len(LADDERS), 0, i)

    return [post for _, post in sorted(enumerate(posts), key=rank)]


def _ladder(post: str) -> int | None:
    return next((n for n, ladder in enumerate(LADDERS) if post in ladder), None)


def _take(ranked: Sequence[CandidateVotes], n: int) -> list[CandidateVotes]:
    """The first n by votes, and everyone with as many votes as the n-th (nobody equal to a chosen one is left out)."""
    if n <= 0 or not ranked:
        return []
    if n >= len(ranked):
        return list(ranked)
    cut = ranked[n - 1].votes
    return [c for c in ranked if c.votes >= cut]


def _fill(state: _Post, qualified: list[CandidateVotes], lines: list[Line], law: str) -> None:
    """The qualified with most votes take the seats; a tie at the last seat goes to a new vote among the tied."""
    seats = state.seats
    if len(qualified) <= seats:
        state.elected = list(qualified)
        return
    cut = qualified[seats - 1].votes
    if qualified[seats].votes == cut:
        state.elected = [c for c in qualified if c.votes > cut]
        state.tied = [c for c in qualified if c.votes == cut]
        state.tie_seats = seats - len(state.elected)
        lines.append(
            Line(
                "tie",
                f"{_names(state.tied)}均得 {cut} 票，票数相同，争{state.label}最后 {state.tie_seats} 个名额："
                f"须就票数相同的候选人再次投票，以得票多的当选（{law}）",
                state.post,
            )
        )
        return
    state.elected = qualified[:seats]
    over = qualified[seats:]
    lines.append(
        Line(
            "seats",
            f"达到当选票数的有 {len(qualified)} 人，多于{state.label}应选 {seats} 名，以得票多的当选；"
            f"{_names(over)}未当选（{law}）",
            state.post,
        )
    )


def tally(count: Count, rules: TallyRules) -> Outcome:
    """Count one election round. Raises TallyInputError for a sheet that cannot be counted.

    The steps, each leaving a line with its rule: ballots returned against issued (more → void, 重新选举); turnout
    (or, for a meeting, the quorum); per post from the highest down: ballots void for the post, one-ballot
    aggregation, the winning rule (main round: > win × base; further round: most votes and ≥ further_floor × base),
    seats and ties; the woman's seat; then what happens to seats left empty."""
    _check(count, rules)
    law = LAWS.get(rules.kind, LAWS["villagers"])
    ballot_law = BALLOT_RULES.get(rules.kind, BALLOT_RULES["villagers"])
    lines: list[Line] = []
    posts = _ladder_order(count.posts)
    further = count.round == "further"
    round_name = "另行选举" if further else "本次选举"

    def invalid(status: Status) -> Outcome:
        return Outcome(False, status, tuple(PostOutcome(p.post, p.seats, ()) for p in posts), tuple(lines))

    # 1. Ballots returned against issued.
    if count.returned > count.issued:
        lines.append(
            Line(
                "ballots",
                f"收回选票 {count.returned} 张，多于发出选票 {count.issued} 张，{round_name}无效，须重新投票（{ballot_law}）",
            )
        )
        return invalid("rerun")
    lines.append(
        Line(
            "ballots",
            f"收回选票 {count.returned} 张，不多于发出选票 {count.issued} 张，投票有效（{ballot_law}）",
        )
    )

    # 2. Turnout, or the meeting's quorum; and the base the winning rules count against.
    if rules.party:
        present = count.present or 0
        quorum = rules.party_quorum
        if rules.party_quorum_inclusive:
            ok, need, word = present >= quorum * count.registered, at_least(quorum, count.registered), "达到"
        else:
            ok, need, word = present > quorum * count.registered, more_than(quorum, count.registered), "超过"
        share = (
            f"应到会 {count.registered} 人的{fraction_words(quorum)}{'以上' if rules.party_quorum_inclusive else ''}"
        )
        if not ok:
            lines.append(
                Line(
                    "quorum",
                    f"实到会 {present} 人，未{word}{share}（须至少 {need} 人），会议无效，选举须重新进行（{law}）",
                )
            )
            return invalid("rerun")
        lines.append(Line("quorum", f"实到会 {present} 人，{word}{share}（须至少 {need} 人），会议有效（{law}）"))
        base, base_text = present, f"实到会有选举权的 {present} 人"
    else:
        base, base_text = count.returned, f"参加投票 {count.returned} 人"
        if further and not rules.further_turnout_required:
            lines.append(Line("turnout", "另行选举不要求登记选民过半数投票（本省选举办法）"))
        else:
            share = f"登记选民 {count.registered} 人的{fraction_words(rules.turnout)}"
            need = more_than(rules.turnout, count.registered)
            if count.returned <= rules.turnout * count.registered:
                lines.append(
                    Line(
                        "turnout",
                        f"参加投票 {count.returned} 人，未超过{share}（须至少 {need} 人），{round_name}无效，"
                        f"须重新投票（{law}）",
                    )
                )
                return invalid("rerun")
            lines.append(
                Line(
                    "turnout",
                    f"参加投票 {count.returned} 人，超过{share}（须至少 {need} 人），{round_name}有效（{law}）",
                )
            )

    # 3. Each post, from the highest down.
    states: list[_Post] = []
    taken: dict[str, str] = {}  # person key → the post they were elected to
    carried: dict[int, dict[str, CandidateVotes]] = {}  # ladder → key → votes carried down (aggregation)
    sources: dict[str, str] = {}  # key → the higher posts their carried votes come from
    blocked: dict[int, str] = {}  # ladder → the higher post whose tie holds the lower posts back (aggregation)
    for post in posts:
        label = POST_LABELS.get(post.post, post.post)
        ladder = _ladder(post.post)
        aggregate = rules.aggregation and ladder is not None
        if post.void:
            lines.append(
                Line(
                    "void_ballots",
                    f"{label}一栏有 {post.void} 张选票所选人数多于应选名额，该栏作废，不计得票，"
                    f"但计入参加投票人数（{ballot_law}）",
                    post.post,
                )
            )
        if aggregate and ladder in blocked:
            state = _Post(post.post, post.seats, [], pending=True)
            states.append(state)
            lines.append(
                Line(
                    "aggregation",
                    f"一票制：{POST_LABELS.get(blocked[ladder], blocked[ladder])}票数相同须再次投票，其结果决定哪些得票计入"
                    f"{label}，{label}待再次投票后计票（选举办法）",
                    post.post,
                )
            )
            continue
        votes: dict[str, CandidateVotes] = {c.key: c for c in post.candidates}
        if aggregate:
            assert ladder is not None
            for key, higher in carried.get(ladder, {}).items():
                own = votes.get(key)
                total = higher.votes + (own.votes if own else 0)
                votes[key] = replace(own or higher, votes=total)
                lines.append(
                    Line(
                        "aggregation",
                        f"一票制：{higher.name}未当选{sources[key]}，其{sources[key]}得票 {higher.votes} 票计入"
                        f"{label}，{label}得票合计 {total} 票（选举办法）",
                        post.post,
                    )
                )
        for key in [k for k in votes if k in taken]:
            person = votes.pop(key)
            lines.append(
                Line(
                    "taken",
                    f"{person.name}已当选{POST_LABELS.get(taken[key], taken[key])}，其{label}得票不再计算"
                    f"（一人只任一职，{ballot_law}）",
                    post.post,
                )
            )
        order = {key: i for i, key in enumerate(votes)}
        ranked = sorted(votes.values(), key=lambda c: (-c.votes, order[c.key]))
        state = _Post(post.post, post.seats, ranked)
        states.append(state)
        _decide(state, base, base_text, rules, further, lines, law)
        for person in state.elected:
            taken[person.key] = post.post
        if aggregate:
            assert ladder is not None
            if state.tied:
                blocked[ladder] = post.post
            carried[ladder] = {c.key: c for c in ranked if c.votes and c not in state.elected and c not in state.tied}
            for key in carried[ladder]:
                sources[key] = f"{sources[key]}、{label}" if key in sources else label

    # 4. The woman's seat.
    _woman_seat(states, count, rules, base, base_text, further, lines)

    # 5. Seats left empty.
    return _conclude(states, count, rules, further, lines, law)


def _decide(
    state: _Post,
    base: int,
    base_text: str,
    rules: TallyRules,
    further: bool,
    lines: list[Line],
    law: str,
) -> None:
    label = state.label
    # A meeting's further round still needs more than half of those present (the party's 条例); a villagers'
    # further round needs the most votes and at least the floor.
    if further and not rules.party:
        need = at_least(rules.further_floor, base)
        rule_text = f"不少于{base_text}的{fraction_words(rules.further_floor)}（须至少 {need} 票）"
        short_text = f"少于{base_text}的{fraction_words(rules.further_floor)}（须至少 {need} 票）"
        rule = "further_floor"
    else:
        need = more_than(rules.win, base)
        rule_text = f"超过{base_text}的{fraction_words(rules.win)}（须至少 {need} 票）"
        short_text = f"未超过{base_text}的{fraction_words(rules.win)}（须至少 {need} 票）"
        rule = "win"
    qualified = [c for c in state.ranked if c.votes >= need]
    for candidate in state.ranked:
        if candidate.votes == 0:
            continue
        if candidate.votes >= need:
            text = f"{candidate.name}得 {candidate.votes} 票，{rule_text}"
        else:
            text = f"{candidate.name}得 {candidate.votes} 票，{short_text}，不能当选{label}"
        lines.append(Line(rule, f"{text}（{law}）", state.post))
    _fill(state, qualified, lines, law)
    if state.elected:
        how = "以得票多的当选" if further else "当选"
        lines.append(Line("elected", f"{_names(state.elected)}{how}{label}（{law}）", state.post))


def _member_post(states: list[_Post]) -> _Post | None:
    return next((s for s in states if s.post in MEMBER_POSTS), None)


def _women_for(state: _Post) -> list[CandidateVotes]:
    """The women not elected, most votes first, for a separate vote for one seat: two at least (差额), more on a tie."""
    women = [c for c in state.ranked if c.woman and c not in state.elected and c not in state.tied]
    return _take(women, 2)


def _give_way(state: _Post) -> list[CandidateVotes]:
    """The elected member(s) with the fewest votes: the one who gives up the last member seat, or those who share
    the fewest votes (a new vote among them decides who keeps a seat)."""
    fewest = min(c.votes for c in state.elected)
    return [c for c in state.elected if c.votes == fewest]


def _woman_seat(
    states: list[_Post],
    count: Count,
    rules: TallyRules,
    base: int,
    base_text: str,
    further: bool,
    lines: list[Line],
) -> None:
    if not count.woman_required:
        return
    source = f"选举办法：{WOMAN_SEAT_LABELS[rules.woman_seat]}"
    law = LAWS.get(rules.kind, LAWS["villagers"])  # the committee must include a woman (RULES.md)
    women = [c for s in states for c in s.elected if c.woman]
    if women:
        lines.append(
            Line("woman_seat", f"当选人中有妇女成员（{_names(women)}），符合委员会应有妇女成员的规定（{law}）")
        )
        return
    if further and count.woman_elected_before:
        lines.append(Line("woman_seat", f"此前已有妇女成员当选，符合委员会应有妇女成员的规定（{law}）"))
        return
    if rules.woman_seat == "none":
        lines.append(Line("woman_seat", f"当选人中没有妇女成员；本选举办法不设妇女专职名额（{source}）"))
        return
    member = _member_post(states)
    if further:
        state = member or (states[0] if states else None)
        if state is not None:
            state.woman_candidates = _women_for(state)
        lines.append(
            Line(
                "woman_seat",
                f"委员会仍没有妇女成员，须保留一个委员名额在妇女候选人中另行选举（{source}）",
                member.post if member else "",
            )
        )
        return
    if any(c.woman for s in states for c in s.tied):
        lines.append(
            Line("woman_seat", f"当选人中暂无妇女成员，票数相同的候选人中有妇女，待再次投票后再定妇女名额（{source}）")
        )
        return
    if member is None or member.pending or member.tied:
        lines.append(
            Line(
                "woman_seat",
                f"当选人中没有妇女成员，委员名额{'待再次投票' if member else '不在本次计票中'}，"
                f"妇女名额由村民选举委员会按选举办法处理（{source}）",
            )
        )
        return
    label = member.label
    if rules.woman_seat == "fill_last_member":
        candidates = [c for c in member.ranked if c.woman and c not in member.elected]
        need = more_than(rules.win, base)
        if candidates and candidates[0].votes >= need and member.elected:
            woman = candidates[0]
            leaving = _give_way(member)
            kept = [c for c in member.elected if c not in leaving]
            if len(leaving) == 1:
                member.elected = [*kept, woman]
                lines.append(
                    Line(
                        "woman_seat",
                        f"当选人中没有妇女成员：妇女候选人{woman.name}得 {woman.votes} 票，超过{base_text}的"
                        f"{fraction_words(rules.win)}，替补{label}最后一个名额，{leaving[0].name}"
                        f"（{leaving[0].votes} 票，当选{label}中得票最少）不再当选（{source}）",
                        member.post,
                    )
                )
            else:
                member.elected = [*kept, woman]
                member.tied = leaving
                member.tie_seats = len(leaving) - 1
                lines.append(
                    Line(
                        "woman_seat",
                        f"当选人中没有妇女成员：妇女候选人{woman.name}得 {woman.votes} 票，超过{base_text}的"
                        f"{fraction_words(rules.win)}，替补{label}最后一个名额；让出名额的{_names(leaving)}均得 "
                        f"{leaving[0].votes} 票，须就他们再次投票决定 {member.tie_seats} 个名额（{source}）",
                        member.post,
                    )
                )
            return
        why = (
            f"没有妇女候选人得票超过{base_text}的{fraction_words(rules.win)}（须至少 {need} 票）"
            if candidates
            else "没有妇女委员候选人得票"
        )
        lines.append(Line("woman_seat", f"当选人中没有妇女成员，{why}（{source}）", member.post))
    _reserve_woman_seat(member, lines, source)


def _reserve_woman_seat(member: _Post, lines: list[Line], source: str) -> None:
    """One member seat goes to a separate vote among women: an empty seat if there is one, else the elected member
    with the fewest votes gives it up."""
    label = member.label
    if member.vacancies > 0:
        text = f"{label}空缺名额中保留一个，在妇女候选人中另行选举"
    else:
        leaving = _give_way(member)
        member.elected = [c for c in member.elected if c not in leaving]
        if len(leaving) == 1:
            text = f"{leaving[0].name}（{leaving[0].votes} 票，当选{label}中得票最少）让出名额，该名额在妇女候选人中另行选举"
        else:
            member.tied = leaving
            member.tie_seats = len(leaving) - 1
            text = (
                f"让出名额的{_names(leaving)}均得 {leaving[0].votes} 票，须就他们再次投票决定 {member.tie_seats} 个"
                f"名额；让出的一个名额在妇女候选人中另行选举"
            )
    member.woman_seats = 1
    member.woman_candidates = _women_for(member)
    if member.woman_candidates:
        text += f"，候选人：{_names(member.woman_candidates)}"
    else:
        text += "，须另行提名妇女候选人"
    lines.append(Line("woman_seat", f"当选人中没有妇女成员：{text}（{source}）", member.post))


def _conclude(
    states: list[_Post], count: Count, rules: TallyRules, further: bool, lines: list[Line], law: str
) -> Outcome:
    elected_now = len({c.key for s in states for c in s.elected})
    members = count.already_elected + elected_now
    vacancies = sum(s.vacancies for s in states)
    open_seats = vacancies - sum(s.woman_seats for s in states)
    enough = members >= rules.min_members
    tie = any(s.tied for s in states) or any(s.pending for s in states)
    for state in states:
        open_here = state.vacancies - state.woman_seats
        if open_here <= 0 or (further and enough):
            continue
        # The rule chosen for a 另行选举's candidates: those of the post not elected, most votes first, one more than
        # the seats left (差额), and everyone with as many votes as the last of them.
        others = [c for c in state.ranked if c not in state.elected and c not in state.tied]
        state.further = _take(others, open_here + 1)
        text = f"{state.label}尚缺 {open_here} 名，须另行选举；候选人为未当选者中得票多的 {open_here + 1} 人"
        if state.further:
            text += f"：{_names(state.further)}"
        if len(state.further) < open_here + 1:
            text += "；人数不足差额，须按提名顺序补足候选人"
        lines.append(Line("further", f"{text}（{law}）", state.post))
    total = f"已当选 {members} 人" + (f"（含此前当选 {count.already_elected} 人）" if count.already_elected else "")
    if tie:
        status: Status = "tie"
        lines.append(Line("outcome", f"有候选人票数相同，须就票数相同的候选人再次投票后确定当选人（{law}）"))
    elif further and open_seats > 0 and enough:
        status = "vacant" if not any(s.woman_seats for s in states) else "further_round"
        lines.append(
            Line(
                "vacancy",
                f"另行选举后仍缺 {open_seats} 名，{total}，不少于 {rules.min_members} 人，空缺名额可以空缺（{law}）",
            )
        )
    elif vacancies > 0:
        status = "further_round"
        if open_seats > 0 and enough and not further:
            lines.append(
                Line(
                    "vacancy",
                    f"{total}，不少于 {rules.min_members} 人：空缺的 {open_seats} 个名额也可以不再另行选举，"
                    f"由选举委员会按选举办法决定（{law}）",
                )
            )
        elif further and open_seats > 0:
            lines.append(Line("vacancy", f"另行选举后{total}，不足 {rules.min_members} 人，须再次另行选举（{law}）"))
    else:
        status = "elected"
    lines.append(Line("outcome", f"结果：{STATUS_LABELS[status]}（依以上各项，{law}）"))
    return Outcome(True, status, tuple(s.outcome() for s in states), tuple(lines))


# ------------------------------------------------------------------------------------------------------ JSON

_COUNT_FIELDS = {
    "rules",
    "registered",
    "issued",
    "returned",
    "invalid",
    "present",
    "round",
    "woman_required",
    "already_elected",
    "woman_elected_before",
    "posts",
}
_RULE_FRACTIONS = ("turnout", "win", "further_floor", "party_quorum")
_RULE_FLAGS = ("further_turnout_required", "aggregation", "party", "party_quorum_inclusive")
_RULE_FIELDS = {"preset", "kind", "woman_seat", "min_members", *_RULE_FRACTIONS, *_RULE_FLAGS}
_FRACTION = re.compile(r"^\s*(\d+)\s*(?:/\s*(\d+)\s*)?$")


class _Reader:
    """Reads the count-sheet JSON field by field, collecting a Chinese reason per bad field (paths like
    posts.0.candidates.1.votes) so one answer names them all."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, at: str, text: str) -> None:
        self.errors.setdefault(at, []).append(text)

    def unknown(self, data: dict[str, Any], allowed: set[str], at: str) -> None:
        for name in data:
            if name not in allowed:
                self.add(f"{at}{name}", f"未知字段“{name}”。")

    def integer(self, data: dict[str, Any], name: str, at: str, *, default: int | None = None) -> int:
        value = data.get(name, default)
        if value is None:
            self.add(f"{at}{name}", "必填。")
            return 0
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(f"{at}{name}", "应为整数。")
            return 0
        return value

    def flag(self, data: dict[str, Any], name: str, at: str, default: bool) -> bool:
        value = data.get(name, default)
        if not isinstance(value, bool):
            self.add(f"{at}{name}", "应为 true 或 false。")
            return default
        return value

    def text(self, data: dict[str, Any], name: str, at: str) -> str:
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            self.add(f"{at}{name}", "必填，应为文本。")
            return ""
        return value.strip()

    def fraction(self, value: Any, at: str) -> Fraction | None:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        match = _FRACTION.match(value) if isinstance(value, str) else None
        if match is None or match.group(2) == "0":
            self.add(at, '应写成分数，如 "1/2"（不用小数或百分比，门槛须精确）。')
            return None
        share = Fraction(int(match.group(1)), int(match.group(2) or 1))
        if share >= 1:
            self.add(at, "应小于 1。")
            return None
        return share


def _rules_from_json(value: Any, reader: _Reader) -> TallyRules:
    if value is None:
        reader.add("rules", f"必填：选举办法的名称（{'、'.join(PRESETS)}）或逐项写出的规则。")
        return TallyRules()
    if isinstance(value, str):
        value = {"preset": value}
    if not isinstance(value, dict):
        reader.add("rules", "应为选举办法的名称或对象。")
        return TallyRules()
    reader.unknown(value, _RULE_FIELDS, "rules.")
    base = TallyRules()
    if "preset" in value:
        preset = PRESETS.get(value["preset"]) if isinstance(value["preset"], str) else None
        if preset is None:
            reader.add("rules.preset", f"未知的选举办法“{value['preset']}”，可用：{'、'.join(PRESETS)}。")
        else:
            base = preset
    changes: dict[str, Any] = {}
    for name in _RULE_FRACTIONS:
        if name in value:
            share = reader.fraction(value[name], f"rules.{name}")
            if share is not None:
                changes[name] = share
    for name in _RULE_FLAGS:
        if name in value:
            changes[name] = reader.flag(value, name, "rules.", getattr(base, name))
    if "min_members" in value:
        members = reader.integer(value, "min_members", "rules.")
        if members < 1:
            reader.add("rules.min_members", "应为正整数。")
        changes["min_members"] = members
    if "woman_seat" in value:
        if value["woman_seat"] not in WOMAN_SEAT_LABELS:
            reader.add("rules.woman_seat", f"只能是 {'、'.join(WOMAN_SEAT_LABELS)} 之一。")
        else:
            changes["woman_seat"] = value["woman_seat"]
    if "kind" in value:
        if value["kind"] not in LAWS:
            reader.add("rules.kind", f"只能是 {'、'.join(LAWS)} 之一。")
        else:
            changes["kind"] = value["kind"]
    return replace(base, **changes)


def count_from_json(data: Any) -> tuple[Count, TallyRules]:
    """Read the documented count-sheet JSON (docs/elections.md); TallyInputError names each bad field in Chinese.

    Only the shape is read here (types, known fields and values); what makes the figures impossible together
    (more invalid than returned, too many votes for a post, …) is tally()'s check."""
    reader = _Reader()
    if not isinstance(data, dict):
        raise TallyInputError("计票数据应为 JSON 对象。", {"请求": ["计票数据应为 JSON 对象。"]})
    reader.unknown(data, _COUNT_FIELDS, "")
    rules = _rules_from_json(data.get("rules"), reader)
    figures = {name: reader.integer(data, name, "") for name in ("registered", "issued", "returned", "invalid")}
    present = data.get("present")
    if present is not None:
        present = reader.integer(data, "present", "")
    round_ = data.get("round", "main")
    if round_ not in ("main", "further"):
        reader.add("round", "只能是 main（正式选举）或 further（另行选举）。")
        round_ = "main"
    posts: list[PostCount] = []
    raw_posts = data.get("posts")
    if not isinstance(raw_posts, list) or not raw_posts:
        reader.add("posts", "至少要有一个应选职位（列表）。")
        raw_posts = []
    for i, raw in enumerate(raw_posts):
        at = f"posts.{i}."
        if not isinstance(raw, dict):
            reader.add(f"posts.{i}", "应为对象。")
            continue
        reader.unknown(raw, {"post", "seats", "void", "candidates"}, at)
        post = reader.text(raw, "post", at)
        if post and post not in POST_LABELS:
            reader.add(f"{at}post", f"未知的职位“{post}”，可用：{'、'.join(POST_LABELS)}。")
        candidates: list[CandidateVotes] = []
        raw_candidates = raw.get("candidates", [])
        if not isinstance(raw_candidates, list):
            reader.add(f"{at}candidates", "应为列表。")
            raw_candidates = []
        for j, person in enumerate(raw_candidates):
            where = f"{at}candidates.{j}."
            if not isinstance(person, dict):
                reader.add(f"{at}candidates.{j}", "应为对象。")
                continue
            reader.unknown(person, {"key", "name", "votes", "woman", "write_in"}, where)
            name = reader.text(person, "name", where)
            key = person.get("key", name)
            if not isinstance(key, str | int) or isinstance(key, bool):
                reader.add(f"{where}key", "应为文本。")
                key = name
            candidates.append(
                CandidateVotes(
                    key=str(key),
                    name=name,
                    votes=reader.integer(person, "votes", where),
                    woman=reader.flag(person, "woman", where, False),
                    write_in=reader.flag(person, "write_in", where, False),
                )
            )
        posts.append(
            PostCount(
                post=post,
                seats=reader.integer(raw, "seats", at),
                candidates=tuple(candidates),
                void=reader.integer(raw, "void", at, default=0),
            )
        )
    count = Count(
        **figures,
        posts=tuple(posts),
        round=round_,
        woman_required=reader.flag(data, "woman_required", "", rules.woman_seat != "none"),
        present=present,
        already_elected=reader.integer(data, "already_elected", "", default=0),
        woman_elected_before=reader.flag(data, "woman_elected_before", "", False),
    )
    if reader.errors:
        name, reasons = next(iter(reader.errors.items()))
        raise TallyInputError(f"计票数据有误：{name} {reasons[0]}", reader.errors)
    return count, rules


def _person_json(person: CandidateVotes) -> dict[str, Any]:
    return {
        "key": person.key,
        "name": person.name,
        "votes": person.votes,
        "woman": person.woman,
        "write_in": person.write_in,
    }


def outcome_to_json(outcome: Outcome) -> dict[str, Any]:
    """The outcome as the API answers it and ElectionResult.outcome keeps it (documented in docs/elections.md)."""
    return {
        "valid": outcome.valid,
        "status": outcome.status,
        "status_label": STATUS_LABELS[outcome.status],
        "posts": [
            {
                "post": post.post,
                "post_label": POST_LABELS.get(post.post, post.post),
                "seats": post.seats,
                "elected": [_person_json(c) for c in post.elected],
                "tied": [_person_json(c) for c in post.tied],
                "vacancies": post.vacancies,
                "further_candidates": [_person_json(c) for c in post.further_candidates],
                "woman_seats": post.woman_seats,
                "woman_candidates": [_person_json(c) for c in post.woman_candidates],
                "pending": post.pending,
            }
            for post in outcome.posts
        ],
        "lines": [{"rule": line.rule, "post": line.post, "text": line.text} for line in outcome.lines],
    }


def outcome_text(outcome: Outcome) -> str:
    """The outcome as a person reads it (the command's output): every line with its rule, then who is elected."""
    rows = [f"计票结果：{STATUS_LABELS[outcome.status]}{'' if outcome.valid else '（选举无效）'}"]
    rows += [f"- {line.text}" for line in outcome.lines]
    for post in outcome.posts:
        label = POST_LABELS.get(post.post, post.post)
        parts = [f"{label}（应选 {post.seats} 名）："]
        parts.append("当选 " + ("、".join(f"{c.name} {c.votes} 票" for c in post.elected) or "无"))
        if post.tied:
            parts.append("；票数相同须再次投票 " + _names(post.tied))
        if post.vacancies:
            parts.append(f"；缺额 {post.vacancies} 名")
        if post.further_candidates:
            parts.append("；另行选举候选人 " + _names(post.further_candidates))
        if post.woman_candidates:
            parts.append("；妇女名额候选人 " + _names(post.woman_candidates))
        if post.pending:
            parts.append("；待再次投票后计票")
        rows.append("".join(parts))
    return "\n".join(rows)
