from cunshe.access.policy import RegionPolicy
from cunshe.accounts.models import Department, RoleAssignment, User

role_assignment_policy = RegionPolicy(
    RoleAssignment, region_path="region", actions={"view": "accounts.manage", "change": "accounts.manage"}
)
department_policy = RegionPolicy(
    Department, region_path="county", actions={"view": "regions.view", "change": "accounts.manage"}
)
account_policy = RegionPolicy(
    User, region_path="home_region", actions={"view": "accounts.manage", "change": "accounts.manage"}
)
