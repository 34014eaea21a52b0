"""Bring installed "十不选" rules to the 2020 list's text (issue 14): 黄赌毒 belongs with superstition in rule 4, and
the national list has no look-back years. Rows are never changed in place or deleted (findings and the record book
refer to them): each national rule that differs is retired the day before this runs and the source text takes
effect from that day. A look-back a county had set itself (not the old default) becomes the county's own rule."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import migrations
from django.utils import timezone

SOURCE = "中央组织部、民政部 2020 年村(社区)“两委”换届“十不选”"
COUNTY_SOURCE = "本县规定"
OLD_LOOKBACK = {"2": 5, "6": 3, "7": 3, "9": 5}  # what the old defaults set
# The 2020 list's text as of this migration (code: (title, text)); frozen here, as a migration must be.
SOURCE_TEXT = {
    '1': ('政治上两面', '对党不忠诚、阳奉阴违，搞“两面派”、做“两面人”的'),
    '2': ('受过刑事处罚或涉黑涉恶', '受过刑事处罚，存在“村霸”、涉黑涉恶问题的'),
    '3': ('处于处分影响期或被立案审查', '被依规依纪依法给予党纪政务处分处于影响期内，或正在接受纪律审查、监察调查的'),
    '4': ('参与非法宗教、邪教、封建迷信或黄赌毒', '组织、参与非法宗教活动或邪教组织，从事封建迷信活动，涉黄赌毒，利用宗族势力干扰选举的'),
    '5': ('贿选拉票', '采取贿赂、威胁、欺骗等不正当手段拉票、贿选，操纵、破坏选举的'),
    '6': ('组织群体事件或非法上访', '组织、参与群体性事件或非法上访，煽动群众闹事的'),
    '7': ('履职不力或党员评议不合格', '在应急处置中失职失责，本届被评为不称职或被罢免，近三年被评为不合格党员，长期不在村居住的'),
    '8': ('侵占集体资产未退赔', '侵占、挪用惠民资金或集体资产、资源、资金，拒不退赔的'),
    '9': ('违法占地建房或失信被执行', '严重违法违规占地建房未整改，近五年严重破坏生态环境，或被列为失信被执行人的'),
    '10': ('其他不宜人选', '其他不宜作为村(社区)“两委”成员人选的'),
}


def correct(apps: Any, schema_editor: Any) -> None:
    Rule = apps.get_model("eligibility", "ExclusionRule")
    source_text = SOURCE_TEXT
    today = timezone.localdate()
    for rule in Rule.objects.filter(source=SOURCE, effective_until__isnull=True, code__in=source_text):
        title, text = source_text[rule.code]
        if (rule.title, rule.text, rule.lookback_years) == (title, text, None):
            continue
        if rule.effective_from >= today:
            continue  # installed today: nothing was ever in force under it; leave it for the county to correct
        rule.effective_until = today - timedelta(days=1)
        rule.save(update_fields=["effective_until"])
        Rule.objects.create(
            county_id=rule.county_id,
            code=rule.code,
            title=title,
            text=text,
            lookback_years=None,
            department_id=rule.department_id,
            source=SOURCE,
            effective_from=today,
        )
        own = rule.lookback_years
        if own is not None and own != OLD_LOOKBACK.get(rule.code):
            Rule.objects.create(
                county_id=rule.county_id,
                code=f"{rule.code}-县",
                title=f"{title}（本县追溯 {own} 年）",
                text=f"本县规定：第 {rule.code} 条所列情形，追溯 {own} 年。",
                lookback_years=own,
                department_id=rule.department_id,
                source=COUNTY_SOURCE,
                effective_from=today,
            )


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0001_initial")]

    operations = [migrations.RunPython(correct, migrations.RunPython.noop)]
