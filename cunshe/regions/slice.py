"""The slice of the official codes that ships with cunshe: 邹平市 (371681), for the demo and the tests."""

from pathlib import Path

DEMO_COUNTY = "371681"
SLICE_DIR = Path(__file__).resolve().parent / "data" / DEMO_COUNTY
SLICE_FILES = [SLICE_DIR / f"{name}.csv" for name in ("provinces", "cities", "areas", "streets", "villages")]
