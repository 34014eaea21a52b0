"""Where ballots are cast: the central venue, polling stations and mobile boxes of an election, each a box whose
count sheet is entered and checked on its own."""

from __future__ import annotations

from django.db import models


class StationKind(models.TextChoices):
    CENTRAL = "central", "中心会场"
    SUB = "sub", "投票站"
    MOBILE = "mobile", "流动票箱"


class Station(models.Model):
    election = models.ForeignKey(
        "elections.Election", verbose_name="选举", on_delete=models.PROTECT, related_name="stations"
    )
    kind = models.CharField("类别", max_length=20, choices=StationKind.choices)
    name = models.CharField("名称", max_length=100)
    place = models.CharField("地点", max_length=200, blank=True)
    position = models.PositiveSmallIntegerField("序号")
    booths = models.PositiveSmallIntegerField("秘密写票处", default=1)

    class Meta:
        verbose_name = "投票站(票箱)"
        verbose_name_plural = "投票站(票箱)"
        ordering = ["election", "position"]
        constraints = [models.UniqueConstraint(fields=["election", "position"], name="polling_station_position")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.name}"


class StaffRole(models.TextChoices):
    ISSUER = "issuer", "发票人"
    CALLER = "caller", "唱票人"
    COUNTER = "counter", "计票人"
    SCRUTINEER = "scrutineer", "监票人"


class StaffMember(models.Model):
    """A person of the village working at a station or box. Scrutineers (监票人) are checked against the
    candidates, their close relatives and the groups (polling.services.scrutineer_problems)."""

    station = models.ForeignKey(Station, verbose_name="投票站(票箱)", on_delete=models.CASCADE, related_name="staff")
    person = models.ForeignKey("people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    role = models.CharField("职责", max_length=20, choices=StaffRole.choices)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "投票工作人员"
        verbose_name_plural = "投票工作人员"
        ordering = ["station", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["station", "person", "role"], name="polling_staff_once_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_role_display()}）"


class MobileVoter(models.Model):
    """A voter who cannot come to a station (年老体弱、行动不便…) and is served by a mobile box, with the reason."""

    station = models.ForeignKey(
        Station, verbose_name="流动票箱", on_delete=models.CASCADE, related_name="mobile_voters"
    )
    voter = models.ForeignKey("voters.Voter", verbose_name="选民", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("原因", max_length=200)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "流动票箱服务选民"
        verbose_name_plural = "流动票箱服务选民"
        ordering = ["station", "pk"]
        constraints = [models.UniqueConstraint(fields=["voter"], name="polling_mobile_voter_once")]

    def __str__(self) -> str:
        return f"{self.voter.person.name}：{self.reason}"


class Proxy(models.Model):
    """A written proxy (委托投票): the principal (委托人) asks a close relative with a vote (受托人) to vote for
    them; approved by the election committee before election day."""

    election = models.ForeignKey(
        "elections.Election", verbose_name="选举", on_delete=models.PROTECT, related_name="proxies"
    )
    principal = models.ForeignKey("voters.Voter", verbose_name="委托人", on_delete=models.PROTECT, related_name="+")
    trustee = models.ForeignKey("voters.Voter", verbose_name="受托人", on_delete=models.PROTECT, related_name="+")
    written_on = models.DateField("书面委托日期")
    approved_on = models.DateField("选举委员会同意日期")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "委托投票"
        verbose_name_plural = "委托投票"
        ordering = ["election", "pk"]
        constraints = [models.UniqueConstraint(fields=["principal"], name="polling_proxy_once_per_principal")]

    def __str__(self) -> str:
        return f"{self.principal.person.name}委托{self.trustee.person.name}"


class ListKind(models.TextChoices):
    MOBILE = "mobile", "流动票箱服务选民名单"
    PROXY = "proxy", "委托投票名单"


class Publication(models.Model):
    """When an election's mobile-box list or proxy list was published (before election day)."""

    election = models.ForeignKey(
        "elections.Election", verbose_name="选举", on_delete=models.PROTECT, related_name="polling_publications"
    )
    what = models.CharField("名单", max_length=20, choices=ListKind.choices)
    published_on = models.DateField("公布日期")

    class Meta:
        verbose_name = "名单公布"
        verbose_name_plural = "名单公布"
        constraints = [models.UniqueConstraint(fields=["election", "what"], name="polling_publication_once")]

    def __str__(self) -> str:
        return f"{self.get_what_display()}（{self.published_on:%Y-%m-%d}）"
