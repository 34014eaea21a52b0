from cunshe.access.policy import RegionPolicy
from cunshe.accounts.models import Department, RoleAssignment

role_assignment_policy = RegionPolicy(
    RoleAssignment, region_path="region", actions={"view": "accounts.manage", "change": "accounts.manage"}
)
department_policy = RegionPolicy(
    Department, region_path="county", actions={"view": "regions.view", "change": "accounts.manage"}
)
