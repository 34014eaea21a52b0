from cunshe.access.policy import RegionPolicy
from cunshe.people.models import Person

person_policy = RegionPolicy(
    Person,
    region_path="region",
    actions={"view": "people.view", "change": "people.change", "view_id_number": "people.view_id_number"},
)
