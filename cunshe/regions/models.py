"""The official region tree. A region's primary key is its statistical code, so every foreign key to a region
holds the code itself and "everything under X" is a prefix match on that column, with no join."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.lookups import StartsWith


class Level(models.IntegerChoices):
    PROVINCE = 1, "省级"
    CITY = 2, "地级"
    COUNTY = 3, "县级"
    TOWN = 4, "乡级"
    VILLAGE = 5, "村级"


# Length of the code at each level: 37 › 3716 › 371681 › 371681001 › 371681001213.
CODE_LENGTH = {Level.PROVINCE: 2, Level.CITY: 4, Level.COUNTY: 6, Level.TOWN: 9, Level.VILLAGE: 12}
LEVEL_OF_LENGTH = {length: level for level, length in CODE_LENGTH.items()}


class Kind(models.TextChoices):
    NONE = "", "—"
    STREET_OFFICE = "street_office", "街道"
    TOWN = "town", "镇"
    TOWNSHIP = "township", "乡"
    OTHER_TOWN = "other_town", "其他乡级单位"
    VILLAGE = "village", "村(委会)"
    COMMUNITY = "community", "社区(居委会)"


class Region(models.Model):
    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=100)
    level = models.PositiveSmallIntegerField("层级", choices=Level.choices)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, blank=True, default="")
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]
        indexes = [
            models.Index(fields=["name"], name="region_name_idx"),
            # "Villages under X" (level = 5 AND a code prefix) is one range of this index. With an index on level
            # alone, SQLite chose it over the code range and read every village in the country (bench/README.md).
            # It also serves every filter on level alone, so it replaces that index.
            models.Index(fields=["level", "code"], name="region_level_code_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        """The name villagers use: 西范村委会 → 西范村, 多福巷社区居委会 → 多福巷社区."""
        for suffix, replacement in (
            ("村民委员会", "村"),
            ("村委会", "村"),
            ("社区居民委员会", "社区"),
            ("社区居委会", "社区"),
            ("居民委员会", "社区"),
            ("居委会", "社区"),
        ):
            if self.name.endswith(suffix):
                return self.name[: -len(suffix)] + replacement
        return self.name

    def named(self, body: str) -> str:
        """A body of this village or community (or a document of one), as printed and signed: the short name, then
        the body in this unit's word. Labels are written for both kinds ("村(社区)党组织", "村(居)务监督委员会"):
        西范村 + 村(社区)党组织换届选举 → 西范村党组织换届选举; 多福巷社区 + 村(居)务监督委员会 → 多福巷社区居务监督委员会;
        西范村 + 村民委员会选举 → 西范村村民委员会选举. The statistical name in front ("西范村委会村(社区)…") read as
        two bodies."""
        community = self.kind == Kind.COMMUNITY or self.short_name.endswith("社区")
        body = body.removeprefix("村(社区)").replace("村(居)", "居" if community else "村")
        return f"{self.short_name}{body}"

    @property
    def county_code(self) -> str:
        return self.code[:6]

    @property
    def is_village_level(self) -> bool:
        return self.level == Level.VILLAGE

    def ancestor_codes(self) -> list[str]:
        return [self.code[:n] for n in CODE_LENGTH.values() if n < len(self.code)]


def kind_from_name(level: int, name: str) -> str:
    """Village-level units say what they are in their official name; so do towns."""
    if level == Level.VILLAGE:
        if name.endswith(("居委会", "居民委员会")) or ("社区" in name and not name.endswith(("村委会", "村民委员会"))):
            return Kind.COMMUNITY
        return Kind.VILLAGE
    if level == Level.TOWN:
        if name.endswith("街道") or name.endswith("街道办事处"):
            return Kind.STREET_OFFICE
        if name.endswith("镇"):
            return Kind.TOWN
        if name.endswith("乡"):
            return Kind.TOWNSHIP
        return Kind.OTHER_TOWN
    return Kind.NONE


class RegionKey(models.ForeignKey):
    """A foreign key to Region that also answers `__startswith`: the column holds the code, so "under a region"
    is a prefix match on this very column, with no join. Every model that belongs to a region uses it."""

    def __init__(self, to: str = "regions.Region", **kwargs: Any) -> None:
        kwargs.setdefault("on_delete", models.PROTECT)
        # Region has no reverse accessors: every module points at regions, and modules name their models alike
        # (two apps may each have a VillageSummary). Queries go from the module's rows to the region code.
        kwargs.setdefault("related_name", "+")
        super().__init__(to, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("related_name") == "+":
            del kwargs["related_name"]  # the default; keeps migrations free of it
        return name, path, args, kwargs


RegionKey.register_lookup(StartsWith)
