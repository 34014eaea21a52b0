from cunshe.access.policy import RegionPolicy
from cunshe.notifications.models import ChannelSetting, Reminder

# A county's channels: its organization department sets them (the county's administrator).
channel_setting_policy = RegionPolicy(
    ChannelSetting,
    region_path="county",
    actions={"view": "notifications.configure", "change": "notifications.configure"},
)
# 催办 are seen by those who may send them in the region (and by their recipient, on the notification).
reminder_policy = RegionPolicy(
    Reminder,
    region_path="region",
    actions={"view": "notifications.remind", "change": "notifications.remind"},
)
