"""Where a joint review's results go (issue 4 item 4): an exclusion is adverse information on the negative list,
and the candidate pool shows each person's latest review outcome (cunshe.reserves reads `latest_outcomes`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import QuerySet

from cunshe.core.actors import SYSTEM
from cunshe.negativelist.models import NegativeEntry, Source, State
from cunshe.negativelist.services import entry_add, entry_settle
from cunshe.people.models import Person
from cunshe.reviews.models import Answer, Candidate, Outcome, Verdict
from cunshe.termchanges.selectors import current_term_change


def exclusions_to_negative_list(candidates: Iterable[Candidate], on: date) -> int:
    """Put each excluded candidate on the negative list with the departments' rule and reason, as verified by
    their signed conclusions. The system writes it (the reviewers hold no negative-list rights), once per rule;
    a candidate entered only by ID number is matched to the registry, and left out when not registered there."""
    added = 0
    for candidate in candidates:
        person = candidate.person or Person.objects.filter(id_number=candidate.id_number).first()
        if person is None:
            continue
        if current_term_change(person.region_id) is None:
            continue  # the negative list belongs to a term change; a round outside one has nowhere to write
        answers = Answer.objects.filter(candidate=candidate, verdict=Verdict.EXCLUDED).select_related(
            "rule", "department_review__department"
        )
        for answer in answers:
            department = answer.department_review.department
            already = NegativeEntry.objects.filter(
                person=person, rule=answer.rule, source=Source.DEPARTMENT, source_detail__startswith="联审"
            ).exists()
            if already or answer.rule is None:
                continue
            entry = entry_add(
                actor=SYSTEM,
                person=person,
                rule=answer.rule,
                source=Source.DEPARTMENT,
                source_detail=f"联审：{department.name}",
                found_on=on,
                details=answer.reason,
            )
            entry_settle(
                actor=SYSTEM,
                entry=entry,
                to_state=State.CONFIRMED,
                conclusion=f"{department.name}联审不通过（书面结论已签署）",
                expected_version=entry.version,
            )
            added += 1
    return added


def latest_outcomes(person_ids: Iterable[int]) -> dict[int, str]:
    """The most recent final outcome of each person's joint review (the county's decision on a 存疑 included)."""
    rows: QuerySet[Candidate] = (
        Candidate.objects.filter(person_id__in=list(person_ids)).exclude(result=Outcome.PENDING).order_by("pk")
    )
    outcomes: dict[int, str] = {}
    for person_id, result, decision in rows.values_list("person_id", "result", "decision"):
        outcomes[person_id] = Outcome(decision or result).label
    return outcomes
