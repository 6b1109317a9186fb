"""The threads that carry calls under a deadline end once idle, holding nothing: a process
that runs many scans (the test suite, a service's workers) does not keep each scan's."""

from __future__ import annotations

import gc
import threading
import time
import weakref

from wellsec.aws.deadline import Runner, Watch


class Answer:
    """A call's result, big in real scans (an account's evidence)."""


def _helpers() -> int:
    return sum(1 for t in threading.enumerate() if t.name == "wellsec-call")


def test_idle_helpers_end_and_keep_no_answer() -> None:
    before = _helpers()
    runner = Runner(idle_seconds=0.2)
    answers: list[weakref.ref[Answer]] = []

    def call() -> Answer:
        made = Answer()
        answers.append(weakref.ref(made))
        time.sleep(0.05)
        return made

    threads = [threading.Thread(target=lambda: runner.run(call, Watch(5.0))) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _helpers() > before  # overlapping calls had helpers of their own
    deadline = time.monotonic() + 5
    while _helpers() > before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _helpers() == before
    gc.collect()
    assert len(answers) == 12 and all(ref() is None for ref in answers)


def test_a_helper_taken_as_it_retires_still_runs_the_call() -> None:
    runner = Runner(idle_seconds=0.01)
    for _ in range(200):  # calls land around each helper's idle deadline
        assert runner.run(lambda: 7, Watch(5.0)) == 7
        time.sleep(0.01)
