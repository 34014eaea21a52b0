"""The ten exclusions ("十不选") of the 2020-21 term change (RULES.md), with the departments that usually check each
(published county lists) and the look-back windows of older lists. A county installs them and edits them."""

from __future__ import annotations

from datetime import date

SOURCE = "中央组织部、民政部 2020 年村(社区)“两委”换届“十不选”"
EFFECTIVE_FROM = date(2020, 1, 1)

# (code, short title, text, look-back years, checking department)
TEN_EXCLUSIONS: list[tuple[str, str, str, int | None, str]] = [
    ("1", "政治上两面", "对党不忠诚、阳奉阴违、搞“两面派”的", None, "市委组织部"),
    ("2", "受过刑事处罚或涉黑涉恶", "受过刑事处罚、存在“村霸”和涉黑涉恶、涉黄赌毒等问题的", 5, "市公安局"),
    (
        "3",
        "处于处分影响期或被立案审查",
        "被依规依纪依法给予党纪政务处分处于影响期内，或正在接受纪律审查、监察调查的",
        None,
        "市纪委监委",
    ),
    (
        "4",
        "参与非法宗教或邪教",
        "组织、参与非法宗教活动或“法轮功”等邪教组织，利用宗族势力干扰选举的",
        None,
        "市委统战部",
    ),
    ("5", "贿选拉票", "采取贿赂、威胁、欺骗等不正当手段拉票、贿选，操纵、破坏选举的", None, "市纪委监委"),
    ("6", "组织群体事件或非法上访", "组织、参与群体性事件或非正常上访，煽动群众闹事的", 3, "市信访局"),
    (
        "7",
        "履职不力或党员评议不合格",
        "在应急处置中失职失责，本届被评为不称职、罢免，近三年被评为不合格党员，或长期不在村居住的",
        3,
        "市民政局",
    ),
    ("8", "侵占集体资产未退赔", "侵占、挪用惠民资金或集体资产、资源、资金，拒不退赔的", None, "市农业农村局"),
    (
        "9",
        "违法占地建房或失信被执行",
        "严重违法违规占地建房未整改，近五年严重破坏生态环境，或被列为失信被执行人的",
        5,
        "市人民法院",
    ),
    ("10", "其他不宜人选", "其他不宜作为村(社区)“两委”成员人选的情形", None, "市委组织部"),
]
