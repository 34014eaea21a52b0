"""Defaults of the joint review: seed 004's fifteen departments (published county lists have 12 to 16) and its
2.5 working days; a county edits its departments and each release may set another deadline."""

from __future__ import annotations

from decimal import Decimal

DEFAULT_DEADLINE_DAYS = Decimal("2.5")
# Reminder to the departments this long before the deadline (half a working day), and again at it.
REMIND_BEFORE_DAYS = Decimal("0.5")
# The paper baseline of seed 004: carrying the list from department to department took 3 to 7 days.
PAPER_BASELINE_DAYS = (3, 7)

DEFAULT_DEPARTMENTS = [
    "市纪委监委", "市委政法委", "市公安局", "市人民法院", "市人民检察院", "市司法局", "市民政局", "市信访局",
    "市卫生健康局", "市自然资源局", "市农业农村局", "市生态环境局", "市委统战部", "市市场监管局", "市税务局",
]  # fmt: skip
