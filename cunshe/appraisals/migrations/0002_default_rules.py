"""The dated defaults: the law exam's national pass mark (60 分以上, 3/5 of the questions right, ten questions a
paper) and the six kinds of problem found (004 龙湾 names 6 kinds; two of them, 一肩挑人选难确定 and 两委职数难明确,
in its own words). A province or a later date is a new row."""

from datetime import date
from fractions import Fraction

from django.db import migrations

KINDS = [
    ("yijiantiao", "“一肩挑”人选难确定"),
    ("seats", "两委职数难明确"),
    ("conduct", "作风纪律"),
    ("ability", "履职能力"),
    ("residents", "群众关系"),
    ("other", "其他"),
]


def add(apps, schema_editor):
    ExamRule = apps.get_model("appraisals", "ExamRule")
    ProblemKind = apps.get_model("appraisals", "ProblemKind")
    ExamRule.objects.get_or_create(
        province="",
        effective_from=date(2020, 1, 1),
        defaults={
            "name": "村(社区)干部法律法规考（全国默认）",
            "source": "换届前“双评三考”工作通常做法：百分制 60 分以上为及格",
            "pass_mark": str(Fraction(3, 5)),
            "questions": 10,
        },
    )
    for position, (code, name) in enumerate(KINDS):
        ProblemKind.objects.get_or_create(
            code=code, effective_from=date(2020, 1, 1), defaults={"name": name, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("appraisals", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
