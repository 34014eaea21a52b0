"""The count (elections.tally): every rule with its boundary on both sides, as RULES.md reads the counting words."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from cunshe.elections.tally import (
    LADDERS,
    POST_LABELS,
    PRESETS,
    STATUS_LABELS,
    CandidateVotes,
    Count,
    Outcome,
    PostCount,
    TallyInputError,
    TallyRules,
    count_from_json,
    fraction_words,
    outcome_to_json,
    tally,
)

VILLAGERS = TallyRules()
PARTY = PRESETS["party_national_2020"]


def person(key: str, votes: int, *, woman: bool = False, name: str = "") -> CandidateVotes:
    return CandidateVotes(key=key, name=name or key, votes=votes, woman=woman)


def post(name: str, seats: int, *people: CandidateVotes, void: int = 0) -> PostCount:
    return PostCount(post=name, seats=seats, candidates=tuple(people), void=void)


def sheet(*posts: PostCount, registered: int = 1000, issued: int = 800, returned: int = 800, **more: Any) -> Count:
    more.setdefault("invalid", 0)
    more.setdefault("woman_required", False)
    return Count(registered=registered, issued=issued, returned=returned, posts=posts, **more)


def director(*people: CandidateVotes, seats: int = 1, void: int = 0) -> PostCount:
    return post("director", seats, *people, void=void)


def elected(outcome: Outcome, name: str = "director") -> list[str]:
    return [c.key for p in outcome.posts if p.post == name for c in p.elected]


def texts(outcome: Outcome, rule: str = "") -> str:
    return "\n".join(line.text for line in outcome.lines if not rule or line.rule == rule)


def the(outcome: Outcome, name: str) -> Any:
    return next(p for p in outcome.posts if p.post == name)


# ---------------------------------------------------------------------------------------------- ballots, turnout


def test_more_ballots_returned_than_issued_voids_the_vote() -> None:
    outcome = tally(sheet(director(person("a", 700)), issued=800, returned=801), VILLAGERS)
    assert not outcome.valid and outcome.status == "rerun" and elected(outcome) == []
    assert "收回选票 801 张，多于发出选票 800 张" in texts(outcome, "ballots")


def test_as_many_ballots_returned_as_issued_is_valid() -> None:
    outcome = tally(sheet(director(person("a", 700)), issued=800, returned=800), VILLAGERS)
    assert outcome.valid and outcome.status == "elected" and elected(outcome) == ["a"]
    assert "不多于发出选票 800 张，投票有效" in texts(outcome, "ballots")


def test_turnout_of_exactly_half_is_invalid() -> None:
    outcome = tally(sheet(director(person("a", 600)), registered=1200, issued=600, returned=600), VILLAGERS)
    assert not outcome.valid and outcome.status == "rerun"
    assert texts(outcome, "turnout").startswith("参加投票 600 人，未超过登记选民 1200 人的半数（须至少 601 人）")


def test_turnout_of_half_and_one_is_valid() -> None:
    outcome = tally(sheet(director(person("a", 601)), registered=1200, issued=601, returned=601), VILLAGERS)
    assert outcome.valid and elected(outcome) == ["a"]
    assert (
        "参加投票 601 人，超过登记选民 1200 人的半数（须至少 601 人），本次选举有效（《村民委员会组织法》）"
        in texts(outcome, "turnout")
    )


def test_turnout_of_an_odd_register() -> None:
    """Half of 1201 is 600.5: 601 voters are more than half."""
    outcome = tally(sheet(director(person("a", 601)), registered=1201, issued=601, returned=601), VILLAGERS)
    assert outcome.valid


# ------------------------------------------------------------------------------------------------------ winning


def test_exactly_half_of_the_ballots_does_not_win() -> None:
    outcome = tally(sheet(director(person("a", 400), person("b", 399)), returned=800), VILLAGERS)
    assert elected(outcome) == [] and outcome.status == "further_round"
    assert "a得 400 票，未超过参加投票 800 人的半数（须至少 401 票），不能当选主任" in texts(outcome, "win")


def test_one_vote_over_half_wins() -> None:
    outcome = tally(sheet(director(person("a", 401), person("b", 398)), returned=800), VILLAGERS)
    assert elected(outcome) == ["a"] and outcome.status == "elected"


def test_winning_counts_against_ballots_returned_including_invalid_ones() -> None:
    """The base is everyone who voted: 100 wholly void ballots still count in it."""
    outcome = tally(sheet(director(person("a", 400)), returned=800, invalid=100), VILLAGERS)
    assert elected(outcome) == []


def test_more_qualified_than_seats_the_most_votes_win() -> None:
    members = post("committee_member", 2, person("a", 700), person("b", 600), person("c", 550))
    outcome = tally(sheet(members, registered=1200, issued=1000, returned=1000), VILLAGERS)
    assert elected(outcome, "committee_member") == ["a", "b"]
    assert "多于委员应选 2 名，以得票多的当选；c未当选" in texts(outcome, "seats")


def test_a_tie_at_the_last_seat_asks_for_a_new_vote_among_the_tied() -> None:
    members = post("committee_member", 2, person("a", 700), person("b", 501), person("c", 501))
    outcome = tally(sheet(members, registered=1200, issued=1000, returned=1000), VILLAGERS)
    result = the(outcome, "committee_member")
    assert outcome.status == "tie" and [c.key for c in result.elected] == ["a"]
    assert [c.key for c in result.tied] == ["b", "c"] and result.vacancies == 0
    assert "b、c均得 501 票，票数相同，争委员最后 1 个名额" in texts(outcome, "tie")


def test_a_tie_below_the_threshold_is_no_tie() -> None:
    outcome = tally(sheet(director(person("a", 300), person("b", 300))), VILLAGERS)
    assert outcome.status == "further_round" and the(outcome, "director").tied == ()


def test_a_tie_among_more_seats_than_the_tied_need_elects_them_all() -> None:
    members = post("committee_member", 3, person("a", 700), person("b", 500), person("c", 500))
    outcome = tally(sheet(members), VILLAGERS)
    assert outcome.status == "elected" and elected(outcome, "committee_member") == ["a", "b", "c"]


def test_a_ballot_naming_more_people_than_seats_is_void_for_that_post_only() -> None:
    """40 ballots named two directors: no votes for the post, but the voters count in the base."""
    outcome = tally(
        sheet(
            director(person("a", 400), person("b", 360), void=40),
            post("committee_member", 1, person("c", 401)),
            returned=800,
        ),
        VILLAGERS,
    )
    assert elected(outcome) == [] and elected(outcome, "committee_member") == ["c"]
    assert "主任一栏有 40 张选票所选人数多于应选名额，该栏作废" in texts(outcome, "void_ballots")


def test_a_person_elected_to_a_higher_post_leaves_the_lower_count() -> None:
    outcome = tally(
        sheet(
            director(person("a", 600)),
            post("deputy_director", 2, person("a", 450), person("c", 420), person("b", 410)),
        ),
        VILLAGERS,
    )
    assert elected(outcome) == ["a"] and elected(outcome, "deputy_director") == ["c", "b"]
    assert "a已当选主任，其副主任得票不再计算" in texts(outcome, "taken")


# -------------------------------------------------------------------------------------------------- aggregation


def test_aggregation_counts_director_votes_towards_deputy_and_member() -> None:
    """一票制: b lost the director's race with 300 votes; they count for deputy (300 + 150 = 450 > 400)."""
    count = sheet(
        director(person("a", 480), person("b", 300)),
        post("deputy_director", 1, person("b", 150), person("c", 390)),
        post("committee_member", 1, person("c", 20), person("d", 380)),
    )
    plain = tally(count, VILLAGERS)
    assert elected(plain, "deputy_director") == [] and elected(plain, "committee_member") == []
    outcome = tally(count, TallyRules(aggregation=True))
    assert elected(outcome) == ["a"] and elected(outcome, "deputy_director") == ["b"]
    # c lost the deputy's race with 390: they count for member (390 + 20 = 410 > 400)
    assert elected(outcome, "committee_member") == ["c"]
    assert [c.votes for c in the(outcome, "committee_member").elected] == [410]
    lines = texts(outcome, "aggregation")
    assert "一票制：b未当选主任，其主任得票 300 票计入副主任，副主任得票合计 450 票" in lines
    assert "一票制：c未当选副主任，其副主任得票 390 票计入委员，委员得票合计 410 票" in lines


def test_aggregation_carries_director_and_deputy_votes_down_together() -> None:
    count = sheet(
        director(person("a", 500), person("b", 200)),
        post("deputy_director", 1, person("b", 100), person("c", 450)),
        post("committee_member", 1, person("b", 120), person("d", 390)),
    )
    outcome = tally(count, TallyRules(aggregation=True))
    assert elected(outcome, "deputy_director") == ["c"]  # b: 200 + 100 = 300 < 450
    assert elected(outcome, "committee_member") == ["b"]  # b: 300 + 120 = 420 > 400
    assert "b未当选主任、副主任，其主任、副主任得票 300 票计入委员" in texts(outcome, "aggregation")


def test_aggregation_waits_for_a_tie_above() -> None:
    count = sheet(
        director(person("x", 600)),
        post("deputy_director", 2, person("a", 500), person("b", 460), person("c", 460)),
        post("committee_member", 1, person("d", 500)),
        issued=900,
        returned=900,
    )
    outcome = tally(count, TallyRules(aggregation=True))
    assert "副主任票数相同须再次投票，其结果决定哪些得票计入委员" in texts(outcome, "aggregation")
    assert outcome.status == "tie" and the(outcome, "committee_member").pending
    assert elected(outcome, "committee_member") == []


# ------------------------------------------------------------------------------------------------ further round


def further(*posts: PostCount, returned: int = 900, **more: Any) -> Count:
    return sheet(*posts, issued=returned, returned=returned, round="further", **more)


def test_further_round_at_exactly_a_third_is_elected() -> None:
    outcome = tally(further(director(person("a", 300), person("b", 290))), VILLAGERS)
    assert elected(outcome) == ["a"] and outcome.status == "elected"
    assert "a得 300 票，不少于参加投票 900 人的三分之一（须至少 300 票）" in texts(outcome, "further_floor")


def test_further_round_one_vote_under_a_third_is_not_elected() -> None:
    outcome = tally(further(director(person("a", 299), person("b", 290))), VILLAGERS)
    assert elected(outcome) == [] and "a得 299 票，少于参加投票 900 人的三分之一" in texts(outcome)


def test_further_round_elects_the_most_votes_among_those_over_the_floor() -> None:
    members = post("committee_member", 1, person("a", 400), person("b", 350))
    assert elected(tally(further(members), VILLAGERS), "committee_member") == ["a"]


def test_further_round_still_needs_turnout() -> None:
    outcome = tally(further(director(person("a", 400)), returned=500), VILLAGERS)
    assert outcome.status == "rerun" and "另行选举无效" in texts(outcome, "turnout")
    relaxed = tally(further(director(person("a", 400)), returned=500), TallyRules(further_turnout_required=False))
    assert relaxed.valid and elected(relaxed) == ["a"]
    assert "不要求登记选民过半数投票" in texts(relaxed, "turnout")


def test_seats_left_empty_go_to_a_further_round_with_one_more_candidate() -> None:
    members = post("committee_member", 3, person("a", 500), person("b", 380), person("c", 300), person("d", 250))
    outcome = tally(sheet(director(person("x", 600)), members), VILLAGERS)
    result = the(outcome, "committee_member")
    assert outcome.status == "further_round" and result.vacancies == 2
    assert [c.key for c in result.further_candidates] == ["b", "c", "d"]
    assert "委员尚缺 2 名，须另行选举；候选人为未当选者中得票多的 3 人：b、c、d" in texts(outcome, "further")
    assert not texts(outcome, "vacancy")  # two elected: fewer than the 3 a committee needs


def test_further_candidates_include_everyone_tied_with_the_last() -> None:
    members = post("committee_member", 1, person("b", 380), person("c", 300), person("d", 300))
    result = the(tally(sheet(members, registered=1200, issued=1000, returned=1000), VILLAGERS), "committee_member")
    assert [c.key for c in result.further_candidates] == ["b", "c", "d"]


def test_too_few_losers_for_a_contested_further_round_say_so() -> None:
    outcome = tally(sheet(director(person("a", 300))), VILLAGERS)
    assert "人数不足差额，须按提名顺序补足候选人" in texts(outcome, "further")


def test_vacancies_with_enough_members_may_stay_empty() -> None:
    members = post("committee_member", 4, person("a", 500), person("b", 450), person("c", 300))
    outcome = tally(sheet(director(person("x", 600)), members), VILLAGERS)
    assert outcome.status == "further_round"  # the election committee decides; the count does not
    assert "已当选 3 人，不少于 3 人：空缺的 2 个名额也可以不再另行选举" in texts(outcome, "vacancy")


def test_further_round_leaving_seats_empty_with_enough_members_is_vacant() -> None:
    outcome = tally(further(post("committee_member", 2, person("a", 200)), already_elected=3), VILLAGERS)
    assert outcome.status == "vacant" and the(outcome, "committee_member").vacancies == 2
    assert "另行选举后仍缺 2 名，已当选 3 人（含此前当选 3 人），不少于 3 人，空缺名额可以空缺" in texts(outcome)


def test_further_round_leaving_too_few_members_needs_another() -> None:
    outcome = tally(
        further(post("committee_member", 2, person("a", 200), person("b", 100)), already_elected=1), VILLAGERS
    )
    assert outcome.status == "further_round" and "不足 3 人，须再次另行选举" in texts(outcome, "vacancy")


# ---------------------------------------------------------------------------------------------- the woman's seat


def committee(*members: CandidateVotes, seats: int = 2) -> Count:
    return sheet(director(person("x", 600)), post("committee_member", seats, *members), woman_required=True)


def test_a_woman_elected_satisfies_the_rule() -> None:
    outcome = tally(committee(person("a", 600), person("w", 500, woman=True)), VILLAGERS)
    assert outcome.status == "elected" and "当选人中有妇女成员（w）" in texts(outcome, "woman_seat")


def test_fill_last_member_the_woman_over_half_replaces_the_last_member() -> None:
    outcome = tally(committee(person("a", 600), person("b", 500), person("w", 420, woman=True)), VILLAGERS)
    assert elected(outcome, "committee_member") == ["a", "w"] and outcome.status == "elected"
    assert "妇女候选人w得 420 票，超过参加投票 800 人的半数，替补委员最后一个名额，b（500 票" in texts(outcome)


def test_fill_last_member_the_woman_at_exactly_half_does_not_replace() -> None:
    outcome = tally(committee(person("a", 600), person("b", 500), person("w", 400, woman=True)), VILLAGERS)
    result = the(outcome, "committee_member")
    assert [c.key for c in result.elected] == ["a"] and result.woman_seats == 1 and result.vacancies == 1
    assert [c.key for c in result.woman_candidates] == ["w"]
    assert outcome.status == "further_round"
    assert "没有妇女候选人得票超过参加投票 800 人的半数（须至少 401 票）" in texts(outcome, "woman_seat")
    assert "b（500 票，当选委员中得票最少）让出名额，该名额在妇女候选人中另行选举" in texts(outcome, "woman_seat")


def test_separate_vote_always_leaves_a_member_seat_for_women() -> None:
    outcome = tally(
        committee(person("a", 600), person("b", 500), person("w", 420, woman=True), person("v", 80, woman=True)),
        TallyRules(woman_seat="separate_vote"),
    )
    result = the(outcome, "committee_member")
    assert [c.key for c in result.elected] == ["a"] and result.woman_seats == 1
    assert [c.key for c in result.woman_candidates] == ["w", "v"] and result.further_candidates == ()
    assert outcome.status == "further_round"


def test_the_woman_seat_takes_an_empty_seat_before_anyone_elected() -> None:
    outcome = tally(committee(person("a", 600), person("b", 200), person("w", 100, woman=True)), VILLAGERS)
    result = the(outcome, "committee_member")
    assert [c.key for c in result.elected] == ["a"] and result.vacancies == 1 and result.woman_seats == 1
    assert "空缺名额中保留一个，在妇女候选人中另行选举" in texts(outcome, "woman_seat")


def test_no_woman_seat_when_the_rules_have_none() -> None:
    outcome = tally(committee(person("a", 600), person("b", 500)), TallyRules(woman_seat="none"))
    assert outcome.status == "elected" and "不设妇女专职名额" in texts(outcome, "woman_seat")


def test_the_woman_seat_when_two_members_share_the_fewest_votes() -> None:
    outcome = tally(
        committee(person("a", 600), person("b", 500), person("c", 500), person("w", 450, woman=True), seats=3),
        VILLAGERS,
    )
    result = the(outcome, "committee_member")
    assert outcome.status == "tie" and [c.key for c in result.tied] == ["b", "c"]
    assert {c.key for c in result.elected} == {"a", "w"}


# ----------------------------------------------------------------------------------------------- party meetings


def meeting(present: int, *members: CandidateVotes, due: int = 100, **more: Any) -> Count:
    return Count(
        registered=due,
        issued=present,
        returned=present,
        invalid=0,
        present=present,
        posts=(post("party_member", 1, *members),),
        woman_required=False,
        **more,
    )


def test_party_quorum_of_exactly_four_fifths_is_invalid() -> None:
    outcome = tally(meeting(80, person("a", 80)), PARTY)
    assert outcome.status == "rerun" and not outcome.valid
    assert "实到会 80 人，未超过应到会 100 人的五分之四（须至少 81 人），会议无效" in texts(outcome, "quorum")


def test_party_quorum_above_four_fifths_is_valid() -> None:
    outcome = tally(meeting(81, person("a", 60)), PARTY)
    assert outcome.valid and elected(outcome, "party_member") == ["a"]


def test_party_winner_counts_against_members_present_not_ballots_returned() -> None:
    """90 present, 80 ballots returned: 45 votes are more than half the ballots but not of those present."""
    count = Count(
        registered=100,
        issued=80,
        returned=80,
        invalid=0,
        present=90,
        posts=(post("party_member", 1, person("a", 45)),),
        woman_required=False,
    )
    assert elected(tally(count, PARTY), "party_member") == []
    assert "未超过实到会有选举权的 90 人的半数（须至少 46 票）" in texts(tally(count, PARTY), "win")
    assert elected(tally(count, VILLAGERS), "party_member") == ["a"]  # against ballots returned it would win
    more = Count(**{**count.__dict__, "posts": (post("party_member", 1, person("a", 46)),)})
    assert elected(tally(more, PARTY), "party_member") == ["a"]


def test_supervision_meeting_quorum_is_inclusive() -> None:
    rules = PRESETS["supervision_national_2026"]
    count = Count(
        registered=30,
        issued=20,
        returned=20,
        invalid=0,
        present=20,
        posts=(post("supervision_member", 1, person("a", 15)),),
        woman_required=False,
    )
    outcome = tally(count, rules)  # 20 of 30 is exactly 2/3: "以上" includes it
    assert outcome.valid and "达到应到会 30 人的三分之二以上（须至少 20 人）" in texts(outcome, "quorum")
    short = Count(**{**count.__dict__, "present": 19, "issued": 19, "returned": 19})
    assert tally(short, rules).status == "rerun"


def test_party_further_round_still_needs_more_than_half_present() -> None:
    outcome = tally(meeting(90, person("a", 40), person("b", 35), round="further"), PARTY)
    assert elected(outcome, "party_member") == []


# ------------------------------------------------------------------------------------------------- bad sheets


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"registered": -1}, "registered", "登记选民人数不能为负数"),
        ({"invalid": 801}, "invalid", "无效票 801 张多于收回选票 800 张"),
        ({"issued": 1001, "returned": 1000}, "issued", "发出选票 1001 张多于登记选民 1000 人"),
        ({"registered": 0}, "registered", "登记选民人数须大于零"),
        ({"posts": ()}, "posts", "至少要有一个应选职位"),
        ({"posts": (post("director", 0, person("a", 1)),)}, "posts.0.seats", "主任的应选名额至少为 1"),
        ({"posts": (post("director", 1, person("a", 1), person("a", 2)),)}, "posts.0.candidates.1.key", "重复列出"),
        ({"posts": (post("director", 1, person("a", -1)),)}, "posts.0.candidates.0.votes", "得票不能为负数"),
        (
            {"posts": (post("committee_member", 2, person("a", 800), person("b", 800), person("c", 1)),)},
            "posts.0.candidates",
            "委员一栏的得票合计 1601 票，超过可计票的选票 800 张 × 应选 2 名（1600 票）",
        ),
        (
            {"posts": (post("director", 1, person("a", 700), void=101),)},
            "posts.0.candidates",
            "得票合计 700 票，超过可计票的选票 699 张",
        ),
        ({"posts": (post("director", 1, person("a", 801)),)}, "posts.0.candidates.0.votes", "多于可计票的选票"),
        ({"posts": (post("director", 1), post("director", 1))}, "posts.1.post", "职位“主任”重复填写"),
    ],
)
def test_impossible_sheets_are_refused_field_by_field(changes: dict[str, Any], field: str, message: str) -> None:
    count = Count(**{**sheet(director(person("a", 500))).__dict__, **changes})
    with pytest.raises(TallyInputError) as error:
        tally(count, VILLAGERS)
    assert any(message in text for text in error.value.errors[field]), error.value.errors
    assert error.value.message.startswith("计票数据有误：")


def test_an_all_zero_sheet_is_refused() -> None:
    count = Count(registered=0, issued=0, returned=0, invalid=0, posts=(director(person("a", 0)),))
    with pytest.raises(TallyInputError, match="全部为零"):
        tally(count, VILLAGERS)


def test_a_meeting_needs_those_present() -> None:
    with pytest.raises(TallyInputError) as error:
        tally(meeting(80, person("a", 60)).__class__(**{**meeting(80).__dict__, "present": None}), PARTY)
    assert "present" in error.value.errors
    with pytest.raises(TallyInputError, match="实到 101 人多于应到 100 人"):
        tally(meeting(101, person("a", 60)), PARTY)


def test_more_ballots_than_registered_voters_is_a_void_vote_not_a_bad_sheet() -> None:
    """Stuffed boxes are an event the law answers (void), not a typing error."""
    outcome = tally(sheet(director(person("a", 600)), registered=1000, issued=1000, returned=1001), VILLAGERS)
    assert outcome.status == "rerun"


# -------------------------------------------------------------------------------------------------------- JSON


def json_sheet(**more: Any) -> dict[str, Any]:
    return {
        "rules": "villagers_national_2026",
        "registered": 1200,
        "issued": 700,
        "returned": 601,
        "invalid": 1,
        "posts": [
            {"post": "director", "seats": 1, "candidates": [{"key": "1", "name": "张三", "votes": 301}]},
            {
                "post": "committee_member",
                "seats": 2,
                "candidates": [
                    {"name": "王五", "votes": 400},
                    {"name": "钱七", "votes": 350, "woman": True},
                ],
            },
        ],
        **more,
    }


def test_json_round_trip() -> None:
    count, rules = count_from_json(json_sheet())
    assert rules == PRESETS["villagers_national_2026"] and count.woman_required
    assert count.posts[1].candidates[1] == CandidateVotes(key="钱七", name="钱七", votes=350, woman=True)
    data = outcome_to_json(tally(count, rules))
    assert data["status"] == "elected" and data["status_label"] == "全部当选" and data["valid"]
    assert data["posts"][0]["elected"] == [
        {"key": "1", "name": "张三", "votes": 301, "woman": False, "write_in": False}
    ]
    assert data["posts"][1]["post_label"] == "委员"
    assert {"rule": "turnout", "post": "", "text": data["lines"][1]["text"]} == data["lines"][1]


def test_json_rules_inline_and_on_a_preset() -> None:
    _, rules = count_from_json(json_sheet(rules={"turnout": "2/3", "win": "1/2", "aggregation": True}))
    assert rules.turnout == Fraction(2, 3) and rules.aggregation and rules.kind == "villagers"
    _, party = count_from_json(json_sheet(rules={"preset": "party_national_2020", "party_quorum": "5/6"}))
    assert party.party and party.party_quorum == Fraction(5, 6) and party.woman_seat == "none"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"rules": None}, "rules", "必填"),
        ({"rules": "guangdong"}, "rules.preset", "未知的选举办法"),
        ({"rules": {"turnout": 0.5}}, "rules.turnout", '应写成分数，如 "1/2"'),
        ({"rules": {"win": "3/2"}}, "rules.win", "应小于 1"),
        ({"rules": {"woman_seat": "maybe"}}, "rules.woman_seat", "只能是"),
        ({"registered": "1200"}, "registered", "应为整数"),
        ({"returned": None}, "returned", "必填"),
        ({"round": "second"}, "round", "只能是 main（正式选举）或 further（另行选举）"),
        ({"retruned": 5}, "retruned", "未知字段"),
        ({"posts": []}, "posts", "至少要有一个应选职位"),
        ({"posts": [{"post": "mayor", "seats": 1}]}, "posts.0.post", "未知的职位"),
        (
            {"posts": [{"post": "director", "seats": 1, "candidates": [{"votes": 3}]}]},
            "posts.0.candidates.0.name",
            "必填",
        ),
        ({"woman_required": "yes"}, "woman_required", "应为 true 或 false"),
    ],
)
def test_json_errors_name_the_field(changes: dict[str, Any], field: str, message: str) -> None:
    data = {k: v for k, v in json_sheet(**changes).items() if v is not None or k == "rules"}
    if changes.get("rules", 1) is None:
        del data["rules"]
    with pytest.raises(TallyInputError) as error:
        count_from_json(data)
    assert any(message in text for text in error.value.errors[field]), error.value.errors


def test_json_must_be_an_object() -> None:
    with pytest.raises(TallyInputError, match="JSON 对象"):
        count_from_json([1, 2])


# ------------------------------------------------------------------------------------------------- vocabulary


def test_fraction_words() -> None:
    assert [fraction_words(Fraction(*f)) for f in ((1, 2), (1, 3), (4, 5), (2, 3), (7, 12))] == [
        "半数",
        "三分之一",
        "五分之四",
        "三分之二",
        "7/12",
    ]


@pytest.mark.django_db
def test_labels_and_presets_match_the_models() -> None:
    from datetime import date

    from cunshe.elections.models import ResultStatus
    from cunshe.elections.rules import rules_for, tally_rules
    from cunshe.teams.models import COMMITTEE_POSTS, Post

    assert {p.value: str(p.label) for p in Post} == POST_LABELS
    assert {s.value: str(s.label) for s in ResultStatus} == STATUS_LABELS
    assert {p for ladder in LADDERS for p in ladder} == {p for posts in COMMITTEE_POSTS.values() for p in posts}
    for name, kind, on in (
        ("villagers_national_2026", "villagers", date(2026, 6, 1)),
        ("residents_national_2026", "residents", date(2026, 6, 1)),
        ("supervision_national_2026", "supervision", date(2026, 6, 1)),
        ("party_national_2020", "party", date(2021, 6, 1)),
    ):
        stored = rules_for("371681", kind, on)
        assert stored is not None and tally_rules(stored) == PRESETS[name], name


# ------------------------------------------------------------------------------------------------------- citations

# The sources an outcome line may name (RULES.md): the committee laws, the ministry's 规程, the party's 条例, the
# province's 选举办法. RULES.md states no article number for these rules, so none is printed.
SOURCES = (
    "《村民委员会组织法》",
    "《城市居民委员会组织法》",
    "《村民委员会选举规程》",
    "《中国共产党基层组织选举工作条例》",
    "选举办法",
)


def _cited(outcome: Outcome) -> list[str]:
    """The lines that do not end with a bracketed source."""
    return [
        line.text
        for line in outcome.lines
        if not (line.text.endswith("）") and any(s in line.text.rsplit("（", 1)[-1] for s in SOURCES))
    ]


CITED_CASES = [
    tally(sheet(director(person("a", 700)), issued=800, returned=801), VILLAGERS),
    tally(sheet(director(person("a", 600)), registered=1200, issued=600, returned=600), VILLAGERS),
    tally(sheet(director(person("a", 500), person("b", 300))), VILLAGERS),
    tally(sheet(director(person("a", 400), person("b", 400), seats=1), issued=800, returned=800), VILLAGERS),
    tally(
        sheet(
            director(person("a", 480), person("b", 300)),
            post("deputy_director", 1, person("a", 10), person("c", 450)),
            post("committee_member", 1, person("c", 20), person("d", 380)),
        ),
        TallyRules(aggregation=True),
    ),
    tally(further(director(person("a", 300), person("b", 290))), VILLAGERS),
    tally(further(director(person("a", 400)), returned=500), TallyRules(further_turnout_required=False)),
    tally(committee(person("a", 600), person("w", 500, woman=True)), VILLAGERS),
    tally(committee(person("a", 600), person("b", 550), person("w", 450, woman=True)), VILLAGERS),
    tally(committee(person("a", 600), person("b", 550), person("w", 450, woman=True)), TallyRules(woman_seat="none")),
    tally(
        committee(person("a", 600), person("b", 550), person("w", 300, woman=True)),
        TallyRules(woman_seat="separate_vote"),
    ),
    tally(meeting(80, person("a", 40)), PARTY),
    tally(meeting(90, person("a", 60), person("b", 30)), PARTY),
]


@pytest.mark.parametrize("outcome", CITED_CASES, ids=[f"case{n}" for n in range(len(CITED_CASES))])
def test_every_outcome_line_names_its_source(outcome: Outcome) -> None:
    assert outcome.lines and _cited(outcome) == []


def test_each_rule_cites_the_text_it_comes_from() -> None:
    void = tally(sheet(director(person("a", 700)), issued=800, returned=801), VILLAGERS)
    assert texts(void, "ballots").endswith("本次选举无效，须重新投票（《村民委员会选举规程》）")
    half = tally(sheet(director(person("a", 600)), registered=1200, issued=600, returned=600), VILLAGERS)
    assert texts(half, "turnout").endswith("本次选举无效，须重新投票（《村民委员会组织法》）")
    residents = tally(sheet(director(person("a", 600))), TallyRules(kind="residents"))
    assert texts(residents, "turnout").endswith("（《城市居民委员会组织法》）")
    quorum = tally(meeting(80, person("a", 40)), PARTY)
    assert texts(quorum, "quorum").endswith("会议无效，选举须重新进行（《中国共产党基层组织选举工作条例》）")
    relaxed = tally(further(director(person("a", 400)), returned=500), TallyRules(further_turnout_required=False))
    assert texts(relaxed, "turnout") == "另行选举不要求登记选民过半数投票（本省选举办法）"
    assert texts(tally(sheet(director(person("a", 700))), VILLAGERS), "outcome") == (
        "结果：全部当选（依以上各项，《村民委员会组织法》）"
    )
    # no article number is printed that RULES.md does not state
    assert all("第" not in line.text.rsplit("（", 1)[-1] for case in CITED_CASES for line in case.lines)
