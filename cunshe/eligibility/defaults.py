"""The ten exclusions ("十不选") of the 2020-21 term change (RULES.md), with the departments that usually check each
(published county lists) and the look-back windows of older lists. A county installs them and edits them."""

from __future__ import annotations

from datetime import date

SOURCE = "中央组织部、民政部 2020 年村(社区)“两委”换届“十不选”"
EFFECTIVE_FROM = date(2020, 1, 1)
# Rules installed before issue 14 carried 黄赌毒 in rule 2 rather than with superstition in rule 4, and look-back
# years the 2020 list does not have: migration 0002 retires those rows the day before it runs and adds the source
# text from that day, never deleting them (the record book and past findings refer to them).
# What a county adds to the national list (a look-back window, a stricter reading) is its own dated rule.
COUNTY_SOURCE = "本县规定"

# (code, short title, text, checking department). The 2020 list has no look-back years: where a clause has a window
# ("近三年", "近五年") it is in the text itself.
TEN_EXCLUSIONS: list[tuple[str, str, str, str]] = [
    ("1", "政治上两面", "对党不忠诚、阳奉阴违，搞“两面派”、做“两面人”的", "市委组织部"),
    ("2", "受过刑事处罚或涉黑涉恶", "受过刑事处罚，存在“村霸”、涉黑涉恶问题的", "市公安局"),
    (
        "3",
        "处于处分影响期或被立案审查",
        "被依规依纪依法给予党纪政务处分处于影响期内，或正在接受纪律审查、监察调查的",
        "市纪委监委",
    ),
    (
        "4",
        "参与非法宗教、邪教、封建迷信或黄赌毒",
        "组织、参与非法宗教活动或邪教组织，从事封建迷信活动，涉黄赌毒，利用宗族势力干扰选举的",
        "市委统战部",
    ),
    ("5", "贿选拉票", "采取贿赂、威胁、欺骗等不正当手段拉票、贿选，操纵、破坏选举的", "市纪委监委"),
    ("6", "组织群体事件或非法上访", "组织、参与群体性事件或非法上访，煽动群众闹事的", "市信访局"),
    (
        "7",
        "履职不力或党员评议不合格",
        "在应急处置中失职失责，本届被评为不称职或被罢免，近三年被评为不合格党员，长期不在村居住的",
        "市民政局",
    ),
    ("8", "侵占集体资产未退赔", "侵占、挪用惠民资金或集体资产、资源、资金，拒不退赔的", "市农业农村局"),
    (
        "9",
        "违法占地建房或失信被执行",
        "严重违法违规占地建房未整改，近五年严重破坏生态环境，或被列为失信被执行人的",
        "市人民法院",
    ),
    ("10", "其他不宜人选", "其他不宜作为村(社区)“两委”成员人选的", "市委组织部"),
]
