from cunshe.access.policy import RegionPolicy
from cunshe.handovers.models import (
    ConductRecord,
    FreezeNotice,
    Handover,
    HandoverItem,
    HandoverSettings,
    Leftover,
    Scan,
    Template,
)

_ACTIONS = {"view": "handovers.view", "change": "handovers.change", "supervise": "handovers.supervise"}

handover_policy = RegionPolicy(Handover, region_path="region", actions=_ACTIONS)
item_policy = RegionPolicy(HandoverItem, region_path="handover__region", actions=_ACTIONS)
scan_policy = RegionPolicy(Scan, region_path="item__handover__region", actions=_ACTIONS)
leftover_policy = RegionPolicy(Leftover, region_path="region", actions=_ACTIONS)
notice_policy = RegionPolicy(FreezeNotice, region_path="handover__region", actions=_ACTIONS)
# 执行力档案 entries are read by whoever sees the handover they came from (the region of the unit).
conduct_policy = RegionPolicy(ConductRecord, region_path="region", actions=_ACTIONS)
# Templates and settings are set at the county and read by everyone working under it.
template_policy = RegionPolicy(
    Template,
    region_path="county",
    actions={"view": "handovers.view", "change": "handovers.configure"},
    seen_from_below=("view",),
)
settings_policy = RegionPolicy(
    HandoverSettings,
    region_path="county",
    actions={"view": "handovers.view", "change": "handovers.configure"},
    seen_from_below=("view",),
)
