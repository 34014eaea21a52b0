"""Roles and what each may do, as data. A capability is "<app>.<action>"; modules add theirs to CAPABILITIES."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    COUNTY_ORGANIZER = "county_organizer", "县委组织部"
    TOWN_OFFICER = "town_officer", "乡镇(街道)干部"
    VILLAGE_CADRE = "village_cadre", "村(社区)干部"
    FIRST_SECRETARY = "first_secretary", "第一书记"
    DISCIPLINE_SUPERVISOR = "discipline_supervisor", "纪检监督"
    REVIEWER = "reviewer", "联审单位审查员"


# The region level each role is assigned at (an assignment elsewhere is refused).
ROLE_LEVELS: dict[str, tuple[int, ...]] = {
    Role.COUNTY_ORGANIZER: (3,),
    Role.TOWN_OFFICER: (4,),
    Role.VILLAGE_CADRE: (5,),
    Role.FIRST_SECRETARY: (5,),
    Role.DISCIPLINE_SUPERVISOR: (3, 4),
    Role.REVIEWER: (3,),
}

_ALL_STAFF = {
    Role.COUNTY_ORGANIZER,
    Role.TOWN_OFFICER,
    Role.VILLAGE_CADRE,
    Role.FIRST_SECRETARY,
    Role.DISCIPLINE_SUPERVISOR,
    Role.REVIEWER,
}

# Everyone who works on a village's records; reviewers see only their review batches.
_FIELD_STAFF = _ALL_STAFF - {Role.REVIEWER}

CAPABILITIES: dict[str, set[str]] = {
    "regions.view": set(_ALL_STAFF),
    "people.view": set(_FIELD_STAFF),
    "people.change": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE},
    # Full ID numbers: those who vet candidates and supervise; everyone else sees them masked.
    "people.view_id_number": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.DISCIPLINE_SUPERVISOR},
    "records.view": set(_FIELD_STAFF),
    "accounts.manage": {Role.COUNTY_ORGANIZER},
    "teams.view": set(_FIELD_STAFF),
    "teams.change": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    "termchanges.view": set(_ALL_STAFF),
    "termchanges.change": {Role.COUNTY_ORGANIZER},
    "eligibility.view": set(_ALL_STAFF),
    "eligibility.change": {Role.COUNTY_ORGANIZER},
    "handovers.view": set(_FIELD_STAFF),
    # The town's working group runs a handover; the county organizers may step in.
    "handovers.change": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    # Supervisors (纪检监督) witness: they confirm as supervisor and follow leftover items and accountability.
    "handovers.supervise": {Role.DISCIPLINE_SUPERVISOR},
    "handovers.configure": {Role.COUNTY_ORGANIZER},
    # The command view (换届作战图): the county's and the towns' overview; a village sees its own pages instead.
    "command.view": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    "commitments.view": set(_FIELD_STAFF),
    "commitments.change": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE, Role.FIRST_SECRETARY},
    "commitments.sign": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    "commitments.showcase": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    "commitments.configure": {Role.COUNTY_ORGANIZER},
    "commitments.inspect": {Role.COUNTY_ORGANIZER, Role.DISCIPLINE_SUPERVISOR},
    # The town's supervision visits (督导) of the three-level responsibility; the county may record them too.
    "commitments.supervise": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    "reviews.view": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.DISCIPLINE_SUPERVISOR},
    "reviews.submit": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    "reviews.manage": {Role.COUNTY_ORGANIZER},
    # The reasons behind 不通过 and 存疑 stay with the county organizers and the supervisors.
    "reviews.view_reasons": {Role.COUNTY_ORGANIZER, Role.DISCIPLINE_SUPERVISOR},
    # Reviewers are deliberately absent: nothing leaves the confidential channel through them.
    "reviews.export": {Role.COUNTY_ORGANIZER, Role.DISCIPLINE_SUPERVISOR},
    "reviews.answer": {Role.REVIEWER},
    "visits.view": set(_FIELD_STAFF),
    "visits.change": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE, Role.FIRST_SECRETARY},
    "visits.set_target": {Role.COUNTY_ORGANIZER},
    "issueboard.view": set(_FIELD_STAFF),
    "issueboard.change": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE, Role.FIRST_SECRETARY},
    # Flagging a difficult village (重点难点村) is the town's and the county's judgement.
    "issueboard.flag": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    "readiness.view": {
        Role.COUNTY_ORGANIZER,
        Role.TOWN_OFFICER,
        Role.FIRST_SECRETARY,
        Role.DISCIPLINE_SUPERVISOR,
    },
    "readiness.change": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.FIRST_SECRETARY},
    "readiness.template": {Role.COUNTY_ORGANIZER},
    "assessments.view": set(_FIELD_STAFF),
    "assessments.change": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    "assessments.set_weights": {Role.COUNTY_ORGANIZER},
    "reserves.view": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.FIRST_SECRETARY, Role.DISCIPLINE_SUPERVISOR},
    "reserves.change": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    # Everyone working on people sees that a person is on the negative list; the details only the county's
    # organizers and the discipline supervisors (RULES.md: the review is confidential).
    "negativelist.flag": set(_FIELD_STAFF),
    "negativelist.view": {Role.COUNTY_ORGANIZER, Role.DISCIPLINE_SUPERVISOR},
    "negativelist.change": {Role.COUNTY_ORGANIZER, Role.DISCIPLINE_SUPERVISOR},
    # Elections: the town runs its villages' elections (the county may step in); village cadres enter what they are
    # given (register data, count sheets); the first secretary and the supervisors read everything.
    "elections.view": set(_FIELD_STAFF),
    "elections.change": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    "elections.enter": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE},
    # Settling the differences between a count sheet's two entries against the paper, and signing it off.
    "elections.settle": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    # A county's own, stricter rule set.
    "elections.configure": {Role.COUNTY_ORGANIZER},
    # Notifications: the county's delivery channels are set by its organization department; 催办 comes from the
    # county and the towns.
    "notifications.configure": {Role.COUNTY_ORGANIZER},
    "notifications.remind": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    # 开门七件事: the county sets the items; village cadres (and first secretaries) mark progress with evidence,
    # the town follows its villages and may enter for them.
    "firstyear.view": set(_FIELD_STAFF),
    "firstyear.change": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE, Role.FIRST_SECRETARY},
    "firstyear.configure": {Role.COUNTY_ORGANIZER},
    # 任职第一课: the county and the towns run courses, record attendance and follow absentees up; a village's
    # cadre (or first secretary) signs its members in at the door by the session's QR code.
    # 双评三考: the county's organizers and the towns appraise a village's key people; the discipline supervisors
    # read it; village cadres (the people appraised) do not.
    "appraisals.view": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.DISCIPLINE_SUPERVISOR},
    "appraisals.manage": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    "trainings.view": set(_FIELD_STAFF),
    "trainings.manage": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    "trainings.signin": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE, Role.FIRST_SECRETARY},
    # 四议两公开 and 党务村务财务公开: the village's cadres (and first secretary) record meetings and disclosures,
    # the town follows its villages and may enter for them; the county sets the rule sets and the schedule.
    "decisions.view": set(_FIELD_STAFF),
    "decisions.change": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE, Role.FIRST_SECRETARY},
    "decisions.configure": {Role.COUNTY_ORGANIZER},
    "disclosures.view": set(_FIELD_STAFF),
    "disclosures.change": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE, Role.FIRST_SECRETARY},
    "disclosures.configure": {Role.COUNTY_ORGANIZER},
    # 党建工作 (三会一课, 党员示范岗, 流动党员): the branch (village cadres, first secretary) records its meetings, model
    # posts and floating members; the town opens the branches, rates the posts and sets up temporary groups.
    "partywork.view": set(_FIELD_STAFF),
    "partywork.record": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE, Role.FIRST_SECRETARY},
    "partywork.manage": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    "partywork.rate": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    # Surveys (民意调查, 满意度测评): the county or a town makes and opens a form; village staff enter paper totals and
    # answers and hand out QR slips (a satisfaction survey's only from the town up: nobody scores their own post);
    # free text becomes an issue by a staff action; the three posts of 三个全覆盖 are set by the town and county.
    "surveys.view": set(_FIELD_STAFF),
    "surveys.manage": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    "surveys.enter": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE, Role.FIRST_SECRETARY},
    "surveys.raise": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE, Role.FIRST_SECRETARY},
    "surveys.holders": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    # 服务队: the community keeps its teams, the needs and willingness lists and dispatches orders; a team's own
    # account (serviceteams.TeamAccount, not a role) answers the orders dispatched to it.
    "serviceteams.view": set(_FIELD_STAFF),
    "serviceteams.change": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE, Role.FIRST_SECRETARY},
    # 换届志愿服务队: the village (or the town for it) forms its teams, keeps members and activities; a town imports
    # its villages' rosters; the county reads the roll-up.
    "volunteers.view": set(_FIELD_STAFF),
    "volunteers.change": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE, Role.FIRST_SECRETARY},
    # 信用+积分: the village enters points, listings and objections; a county's or a village's rule book and the
    # partner merchants are set where they apply; the town and the county approve and pay merchants' settlements.
    # A merchant's own account (points.MerchantAccount, not a role) redeems and sees its own redemptions only.
    "points.view": set(_FIELD_STAFF),
    "points.change": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE, Role.FIRST_SECRETARY},
    "points.configure": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE},
    "points.settle": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    # 暖心清单: the village lists its needy households and records the monthly 3+N visits (its first secretary too);
    # the town follows its villages and may enter for them.
    "carelist.view": set(_FIELD_STAFF),
    "carelist.change": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE, Role.FIRST_SECRETARY},
    # 初心清单: the village (its first secretary too) visits every household, drafts the list and five-year plan,
    # commits publicly and reports progress; the town (or the county) reviews it.
    "annuallists.view": set(_FIELD_STAFF),
    "annuallists.change": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE, Role.FIRST_SECRETARY},
    "annuallists.review": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    # 书记突破项目: the county keeps the task list; the village proposes and reports on its secretary's project; the
    # town (or the county) approves and rates it.
    "breakthroughs.view": set(_FIELD_STAFF),
    "breakthroughs.change": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE, Role.FIRST_SECRETARY},
    "breakthroughs.rate": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    "breakthroughs.configure": {Role.COUNTY_ORGANIZER},
    # 集中教育: the county or a town runs a campaign; each village marks its tasks done (the town may enter for it).
    "education.view": set(_FIELD_STAFF),
    "education.manage": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    "education.change": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE, Role.FIRST_SECRETARY},
    # 第一书记: the county or the town posts them; the secretary keeps their own log and reports (the town and the
    # county may enter for them); the town acknowledges what is submitted to it.
    "firstsecretaries.view": set(_FIELD_STAFF),
    "firstsecretaries.post": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    "firstsecretaries.write": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.FIRST_SECRETARY},
    "firstsecretaries.acknowledge": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    # 每日必查: the county keeps the checklist and its measures; a village's cadres enter their daily check (the
    # first secretary or the town may enter for them); everyone under the county reads.
    "dailychecks.view": set(_FIELD_STAFF),
    "dailychecks.check": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE, Role.FIRST_SECRETARY},
    "dailychecks.configure": {Role.COUNTY_ORGANIZER},
    # 驻村(包村)干部: the county or the town assigns its cadres to villages; the town (or the county) enters their
    # service days, talks and matters, and rates the villages (三察); villages see who is assigned to them.
    "liaison.view": set(_FIELD_STAFF),
    "liaison.assign": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    "liaison.write": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    "liaison.rate": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    # 点评谈心: the town's secretary talks with its village secretaries; what is said stays with the town, the county
    # and the supervisors (the village secretary is the one talked to, not a reader of the town's notes).
    "talks.view": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.DISCIPLINE_SUPERVISOR},
    "talks.change": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
    # 领导干部电话公开: the public directory, kept by the county and the towns (a village's cadre its own entries).
    "directory.view": set(_FIELD_STAFF),
    "directory.change": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE},
    # 民情诉求: villages, towns and the county enter, assign and close requests in their regions; the county sets
    # the categories, time limits and answer templates; a county department (an account bound to one) sees and
    # handles the requests routed to it.
    "requests.view": set(_FIELD_STAFF),
    "requests.handle": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER, Role.VILLAGE_CADRE, Role.FIRST_SECRETARY},
    "requests.configure": {Role.COUNTY_ORGANIZER},
    "requests.department": {Role.REVIEWER},
    # 调研组与六清: the county and the towns form the teams (联系领导+驻村干部), log their talks and visits and clear
    # the six items; a village's own cadres are the ones investigated, so they read their checklist only.
    "investigations.view": set(_FIELD_STAFF),
    "investigations.change": {Role.COUNTY_ORGANIZER, Role.TOWN_OFFICER},
}


def roles_with(capability: str) -> set[str]:
    try:
        return CAPABILITIES[capability]
    except KeyError as exc:
        raise LookupError(f"unknown capability {capability!r}: add it to cunshe.access.roles.CAPABILITIES") from exc
