"""The one access rule: a user sees and changes only what lies under the regions of their role assignments,
as their role allows. `roles.py` says what each role may do; `policy.py` turns that into querysets and checks."""
