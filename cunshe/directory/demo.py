"""The public directory in the demo county's story (today: the build day): the county's and 黛溪街道's and 黄山街道's
leaders with their duties and office phones, and the villages of 黛溪街道 whose new teams took office in November
filled from their teams' current posts. Two leaders agreed in writing to publish their mobile numbers. Every step
goes through the services; running it twice changes nothing."""

from __future__ import annotations

from datetime import date

from cunshe.accounts.models import User
from cunshe.core.actors import SYSTEM
from cunshe.directory.models import Entry
from cunshe.directory.services import consent_record, entry_create, fill_from_team
from cunshe.regions.models import Region
from cunshe.teams.models import TeamMember

COUNTY = "371681"
LEADERS = {
    COUNTY: [
        ("市委书记", "主持市委全面工作", "0543-4321001"),
        ("市委副书记、市长", "主持市政府全面工作", "0543-4321002"),
        ("市委常委、组织部部长", "负责组织、干部和基层党建工作，分管村(社区)两委换届", "0543-4321010"),
    ],
    "371681001": [
        ("党工委书记", "主持街道党工委全面工作，负责村(社区)党组织书记点评谈心", "0543-4262001"),
        ("党工委副书记、办事处主任", "主持办事处全面工作", "0543-4262002"),
        ("党工委委员、组织委员", "负责基层党建、换届和第一书记管理", "0543-4262010"),
    ],
    "371681002": [
        ("党工委书记", "主持街道党工委全面工作", "0543-4263001"),
        ("党工委副书记、办事处主任", "主持办事处全面工作", "0543-4263002"),
    ],
}
NAMES = ["张德明", "李正阳", "王建华", "刘建国", "赵立群", "孙明亮", "周国庆", "吴海滨"]
CONSENTS = {("371681001", 0): "13905431201", ("371681001", 2): "13905431210"}  # who agreed, and their number


def build_demo(*, seed: int) -> None:
    if Entry.objects.filter(region_id=COUNTY).exists():
        return
    organizer = User.objects.filter(username="zzb").first() or SYSTEM
    names = iter(NAMES)
    for code, leaders in LEADERS.items():
        for n, (post, duties, phone) in enumerate(leaders):
            name = "刘建国" if (code, n) == ("371681001", 0) else next(names)  # the town secretary of the talks demo
            entry = entry_create(
                actor=organizer,
                region_code=code,
                name=name,
                post=post,
                duties=duties,
                office_phone=phone,
                sort=n + 1,
            )
            if (code, n) in CONSENTS:
                consent_record(
                    actor=organizer,
                    entry=entry,
                    mobile=CONSENTS[(code, n)],
                    consent_on=date(2026, 11, 20),
                    note="本人签署《领导干部手机号码公开同意书》",
                    expected_version=entry.version,
                )
    villages = Region.objects.filter(parent_id="371681001").order_by("code").values_list("code", flat=True)[:6]
    for village in villages:
        if TeamMember.objects.filter(region_id=village, ended_on__isnull=True).exists():
            fill_from_team(actor=SYSTEM, village_code=village)
