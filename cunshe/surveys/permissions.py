from cunshe.access.policy import RegionPolicy
from cunshe.surveys.models import Holder, Run, Survey, Tally, TextAnswer

_VIEW = "surveys.view"

# A county's form is read by everyone working under it (a town sees its villages' answers only: runs and tallies
# belong to the village); made, opened and closed by those who hold `manage` at the form's region.
survey_policy = RegionPolicy(
    Survey, region_path="region", actions={"view": _VIEW, "change": "surveys.manage"}, seen_from_below=("view",)
)
# Entering answers in a village; a satisfaction survey's are entered from the town up (see services._check_enter).
run_policy = RegionPolicy(
    Run, region_path="village", actions={"view": _VIEW, "enter": "surveys.enter", "manage": "surveys.manage"}
)
tally_policy = RegionPolicy(Tally, region_path="village", actions={"view": _VIEW})
text_policy = RegionPolicy(TextAnswer, region_path="village", actions={"view": _VIEW, "raise": "surveys.raise"})
holder_policy = RegionPolicy(Holder, region_path="village", actions={"view": _VIEW, "change": "surveys.holders"})
