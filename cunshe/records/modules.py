"""Chinese names of the modules that write to the record book; a module adds itself here when it is built."""

MODULE_LABELS: dict[str, str] = {
    "regions": "行政区划",
    "accounts": "账号与角色",
    "people": "人员信息",
    "records": "记录本",
    "teams": "两委班子",
    "termchanges": "换届",
    "eligibility": "任职资格",
    "handovers": "工作交接",
    "commitments": "开门一件事",
    "reviews": "云联审",
    "visits": "走访",
    "issueboard": "问题清单",
    "readiness": "选情评估",
    "assessments": "两票一度",
    "reserves": "后备干部",
    "negativelist": "负面清单",
    "elections": "选举",
    "voters": "选民登记",
    "candidates": "候选人",
    "polling": "投票",
    "counts": "计票",
    "results": "选举结果",
    "notifications": "通知",
    "firstyear": "开门七件事",
    "trainings": "任职培训",
    "decisions": "四议两公开",
    "disclosures": "党务村务财务公开",
    "partywork": "党建工作",
    "surveys": "民意调查",
    "requests": "民情诉求",
}


def module_label(module: str) -> str:
    return MODULE_LABELS.get(module, module)
