"""How `reasonrl train` ended, as an exit code a scheduler can act on (launch/slurm.sbatch requeues the
resumable ones), and the one line that tells a person what to do next."""

from __future__ import annotations

from reasonrl.rollout.group import RolloutError
from reasonrl.trainer.fault_watch import TooManyFaults
from reasonrl.trainer.learner_group import LearnerLost
from reasonrl.trainer.loop import CheckpointFailed

EXIT_FAULTS = 70  # EX_SOFTWARE: a worker keeps dying or updates keep coming out non-finite: look before resuming
EXIT_CHECKPOINT = 74  # EX_IOERR: a checkpoint could not be written; earlier ones are intact
EXIT_PREEMPTED = 75  # EX_TEMPFAIL: stopped on a signal after checkpointing the current step; requeue
EXIT_LEARNER_LOST = 76  # a learner rank died (its node, the OOM killer); resume from the last checkpoint; requeue
EXIT_SECOND_SIGNAL = 130  # a second signal: out at once, no clean-up (the last checkpoint stays valid)

# Failures a run stops on cleanly, by the code it exits with; anything else is a bug and keeps its traceback.
STOPS: tuple[tuple[type[Exception], int], ...] = (
    (TooManyFaults, EXIT_FAULTS),
    (RolloutError, EXIT_FAULTS),
    (CheckpointFailed, EXIT_CHECKPOINT),
    (LearnerLost, EXIT_LEARNER_LOST),
)


def exit_code_for(err: BaseException) -> int | None:
    for kind, code in STOPS:
        if isinstance(err, kind):
            return code
    return None
