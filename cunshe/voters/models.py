"""The voter register (选民登记 / 参加选举的村民名单) of a direct election: who may vote, by which route, with the
roll changes against the previous register (四增四减). A voter who leaves the register is kept with the reason:
the total decides whether the election is valid, so nothing about it is ever deleted."""

from __future__ import annotations

from django.db import models

from cunshe.core.concurrency import Versioned


class Route(models.TextChoices):
    """The four routes of registration (RULES.md; the fourth since 2025)."""

    RESIDENT = "resident", "户籍在本村并在本村居住"
    AWAY = "away", "户籍在本村、不在本村居住，本人表示参加选举"
    NON_HUKOU = "non_hukou", "户籍不在本村、在本村居住一年以上，本人申请并经村民会议或村民代表会议同意"
    SERVICE = "service", "户籍不在本村、在本村担任职务或从事村务一年以上，经村民同意"


class Register(Versioned):
    election = models.OneToOneField(
        "elections.Election", verbose_name="选举", on_delete=models.PROTECT, related_name="register"
    )
    built_on = models.DateField("编制日期")
    frozen_on = models.DateField("锁定日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "选民名单"
        verbose_name_plural = "选民名单"

    def __str__(self) -> str:
        return f"{self.election}选民名单"


class Voter(Versioned):
    register = models.ForeignKey(Register, verbose_name="选民名单", on_delete=models.PROTECT, related_name="voters")
    person = models.ForeignKey("people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    group = models.CharField("村(居)民小组", max_length=50, blank=True)
    route = models.CharField("登记方式", max_length=20, choices=Route.choices, default=Route.RESIDENT)
    # Absent villagers who neither registered nor objected in time may be left out of the registered total
    # (RULES.md): the rule and the decision are kept per person.
    counted = models.BooleanField("计入登记选民总数", default=True)
    removed_on = models.DateField("除名日期", null=True, blank=True)
    removed_reason = models.CharField("除名原因", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "选民"
        verbose_name_plural = "选民"
        ordering = ["register", "group", "pk"]
        constraints = [models.UniqueConstraint(fields=["register", "person"], name="voters_once_per_register")]

    def __str__(self) -> str:
        return self.person.name
