"""双评三考 in the demo county's story (today: the build day): before their elections, 黛溪街道 (committees voted
11-15) appraised its demo villages' key people from 10-08 and 黄山街道 (votes today) from 10-15: self-assessments,
residents' ratings from the paper slips, the minister's inquiry, a law paper from the county's bank and the
special inspection's report for each, with the problems found listed by kind. Everything is dated in October,
before the elections it prepared; through the services, as the system; safe to run twice."""

from __future__ import annotations

import random
from datetime import date, timedelta

from cunshe.appraisals.models import Appraisal, PaperItem, Question
from cunshe.appraisals.services import (
    appraisal_open,
    inquiry_record,
    inspection_write,
    paper_draw,
    paper_submit,
    problem_add,
    question_add,
    ratings_set,
    self_assess,
)
from cunshe.core.actors import SYSTEM
from cunshe.elections.demo import demo_villages, story_today
from cunshe.people.models import Person

COUNTY = "371681"
OPENED = {"371681001": date(2026, 10, 8), "371681002": date(2026, 10, 15)}
POSTS = ("secretary", "director")

QUESTIONS = [
    ("true_false", "村民委员会每届任期五年，成员可以连选连任。", [], "对"),
    ("true_false", "年满十八周岁的村民都享有选举权和被选举权，但依照法律被剥夺政治权利的人除外。", [], "对"),
    ("true_false", "选举村民委员会，由本村有选举权的村民直接提名候选人。", [], "对"),
    ("true_false", "村民委员会成员可以由乡镇人民政府直接任命。", [], "错"),
    ("true_false", "村务公开的事项可以由村委会主任一人决定是否公开。", [], "错"),
    (
        "single",
        "村民委员会选举，选举有效须有多少登记参加选举的村民投票？",
        ["三分之一以上", "过半数", "三分之二以上"],
        "B",
    ),
    ("single", "候选人当选，须获得参加投票的村民多少选票？", ["过半数", "三分之一以上", "四分之一以上"], "A"),
    ("single", "村民会议由谁召集？", ["村民委员会", "乡镇人民政府", "村民小组长"], "A"),
    ("single", "村务监督委员会成员不得由谁担任？", ["村民代表", "村民委员会成员及其近亲属", "党员"], "B"),
    (
        "multiple",
        "“四议两公开”中的“四议”包括哪些？",
        ["村党组织提议", "村“两委”会议商议", "党员大会审议", "村民会议或村民代表会议决议"],
        "ABCD",
    ),
    ("multiple", "以下哪些属于应当公开的村务？", ["集体财务收支", "宅基地使用方案", "村民个人隐私"], "AB"),
    ("multiple", "“十不选”情形包括哪些？", ["受过刑事处罚", "涉黑涉恶", "年满五十岁", "长期不在村居住"], "ABD"),
]

PROBLEMS = [
    ("yijiantiao", "“一肩挑”人选群众认可度不高，尚无合适接替人选", True),
    ("seats", "村“两委”职数与人口规模不匹配，待街道确定", False),
    ("conduct", "村务会议经常无故缺席", False),
    ("ability", "带领集体经济发展思路不清", False),
    ("residents", "调解邻里纠纷不及时，群众有意见", False),
    ("other", "个人档案材料不全", False),
]


def _bank() -> None:
    if Question.objects.filter(region_id=COUNTY).exists():
        return
    for kind, text, options, answer in QUESTIONS:
        question_add(actor=SYSTEM, region_code=COUNTY, kind=kind, text=text, options=options, answer=answer)


def build_demo(*, seed: int) -> None:
    if Appraisal.objects.filter(region_id__startswith=COUNTY).exists():
        return
    rng = random.Random(seed)
    _bank()
    today = story_today()
    n = 0
    for town, opened in OPENED.items():
        if opened > today:
            continue
        for village in demo_villages(town):
            people = list(Person.objects.filter(region_id=village.code).order_by("-is_party_member", "id")[:2])
            for post, person in zip(POSTS, people, strict=False):
                a = appraisal_open(actor=SYSTEM, person=person, post=post, opened_on=opened)
                day = opened + timedelta(days=2)
                a = self_assess(
                    actor=SYSTEM,
                    appraisal=a,
                    grade=rng.choice(("excellent", "competent", "competent", "basic")),
                    summary="任期内认真履行职责，推动村级重点工作落实；不足之处是学习抓得不够紧。",
                    written_on=day,
                    expected_version=a.version,
                )
                total = rng.randint(60, 140)
                unsatisfied = rng.randint(0, total // 5)
                basic = rng.randint(0, (total - unsatisfied) // 3)
                ratings_set(
                    actor=SYSTEM,
                    appraisal=a,
                    satisfied=total - unsatisfied - basic,
                    basic=basic,
                    unsatisfied=unsatisfied,
                    expected_version=a.version,
                )
                inquiry_record(
                    actor=SYSTEM,
                    appraisal=a,
                    held_on=day + timedelta(days=3),
                    inquirer="市委组织部部长",
                    questions="对本村下一届发展有何打算？如何看待“一肩挑”？对换届纪律有何认识？",
                    assessment="思路较清晰，熟悉村情，对换届纪律认识到位。",
                    grade=rng.choice(("good", "fair", "fair", "average")),
                )
                paper = paper_draw(actor=SYSTEM, appraisal=a, drawn_on=day + timedelta(days=4), seed=seed + n)
                right = rng.randint(5, 10)
                items = PaperItem.objects.filter(paper=paper).select_related("question").order_by("position")
                paper_submit(
                    actor=SYSTEM,
                    paper=paper,
                    answers={i.position: (i.question.answer if k < right else "") for k, i in enumerate(items)},
                )
                found_on = day + timedelta(days=6)
                if n % 3 == 0:
                    kind, text, serious = PROBLEMS[(n // 3) % len(PROBLEMS)]
                    problem_add(
                        actor=SYSTEM, appraisal=a, kind_code=kind, description=text, found_on=found_on, serious=serious
                    )
                inspection_write(
                    actor=SYSTEM,
                    appraisal=a,
                    inspected_on=found_on,
                    inspectors="街道党工委书记、组织委员，市委组织部干部",
                    findings="经个别谈话、走访群众和查阅资料，该同志政治立场坚定，熟悉村情民意，群众基础较好。",
                    conclusion="建议作为下一届村“两委”班子人选继续考察。",
                )
                n += 1
