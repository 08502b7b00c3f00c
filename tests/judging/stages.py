"""A national stage ready for judging, for the juries' tests."""

from contest import contests
from contest.extensions import db
from contest.judging import operations
from contest.models import Phase, Role, StageStatus

from ..factories import judging_stage, score


def national_stage(make, jurors: int = 3):
    """Moscow's three entries all went on; the national stage is open with its own jurors.

    Returns (contest, national stage, entries, national jurors).
    """
    contest, regional, entries, (juror, *_) = judging_stage(make)
    for n, entry in enumerate(entries):
        score(regional, juror, entry, 9 - n, 5, 5)
    regional.finalists_per_category = len(entries)
    operations.change_status(regional, StageStatus.JUDGING_CLOSED)
    operations.change_status(regional, StageStatus.PUBLISHED)
    national = contest.national_stage
    people = [make.user(Role.JUROR, stage=national, name=f"National juror {n}")
              for n in range(jurors)]
    contests.change_phase(contest, Phase.NATIONAL_JUDGING)
    operations.change_status(national, StageStatus.JUDGING_OPEN)
    db.session.commit()
    return contest, national, entries, people
