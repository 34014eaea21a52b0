from cunshe.core.actors import SYSTEM
from cunshe.eligibility.services import exclusion_rules_install_defaults
from cunshe.regions.slice import DEMO_COUNTY


def build_demo(*, seed: int) -> None:
    exclusion_rules_install_defaults(actor=SYSTEM, county_code=DEMO_COUNTY)
