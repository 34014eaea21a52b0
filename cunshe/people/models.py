"""The people registry: residents, party members and cadres of a village, apart from any login account."""

from __future__ import annotations

from datetime import date

from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.people.id_numbers import mask
from cunshe.regions.models import RegionKey


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", "研究生"
    BACHELOR = "bachelor", "大学本科"
    COLLEGE = "college", "大学专科"
    SECONDARY_VOCATIONAL = "secondary_vocational", "中专(中技)"
    HIGH_SCHOOL = "high_school", "高中"
    JUNIOR_HIGH = "junior_high", "初中"
    PRIMARY = "primary", "小学及以下"


ETHNICITIES = [
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族",
    "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族",
    "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族",
    "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族",
    "德昂族", "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
]  # fmt: skip


class Person(Versioned):
    region = RegionKey(verbose_name="所在村(社区)")
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    ethnicity = models.CharField("民族", max_length=10, choices=[(e, e) for e in ETHNICITIES], default="汉族")
    education = models.CharField("学历", max_length=30, choices=Education.choices, blank=True)
    is_party_member = models.BooleanField("中共党员", default=False)
    party_joined_on = models.DateField("入党时间", null=True, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    id_number = models.CharField("身份证号码", max_length=18, unique=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["region", "name", "id"]
        indexes = [models.Index(fields=["region", "name"], name="person_region_name_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask(self.id_number)

    def age_on(self, day: date) -> int:
        """Full years on `day` (a birthday counts from its date)."""
        birth = self.birth_date
        return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


class Kinship(models.TextChoices):
    """The close relatives (近亲属) of the Civil Code art. 1045, which the election rules exclude from each other's
    roles: a scrutineer, an election-committee member, a supervision-committee member, a proxy's trustee."""

    SPOUSE = "spouse", "配偶"
    PARENT = "parent", "父母"
    CHILD = "child", "子女"
    SIBLING = "sibling", "兄弟姐妹"
    GRANDPARENT = "grandparent", "祖父母、外祖父母"
    GRANDCHILD = "grandchild", "孙子女、外孙子女"


# Read from the other side: A is B's parent ⇔ B is A's child.
KINSHIP_INVERSE: dict[str, str] = {
    Kinship.SPOUSE: Kinship.SPOUSE,
    Kinship.PARENT: Kinship.CHILD,
    Kinship.CHILD: Kinship.PARENT,
    Kinship.SIBLING: Kinship.SIBLING,
    Kinship.GRANDPARENT: Kinship.GRANDCHILD,
    Kinship.GRANDCHILD: Kinship.GRANDPARENT,
}


class Relation(models.Model):
    """`relative` is `person`'s <kinship> (e.g. person 张三, relative 张小三, kinship child). Stored once; read both
    ways through KINSHIP_INVERSE. Kept in the registry because the term change checks it in many places."""

    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="relations")
    relative = models.ForeignKey(Person, verbose_name="亲属", on_delete=models.PROTECT, related_name="relations_of")
    kinship = models.CharField("关系", max_length=20, choices=Kinship.choices)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "近亲属关系"
        verbose_name_plural = "近亲属关系"
        constraints = [
            models.UniqueConstraint(fields=["person", "relative"], name="people_relation_unique"),
            models.CheckConstraint(condition=~models.Q(person=models.F("relative")), name="people_relation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.relative.name}是{self.person.name}的{self.get_kinship_display()}"
