"""Functions RQ workers run (thin; the logic is in batch.services / batch.scheduler)."""

from batch import services


def execute_run(run_id: int):
    """Run a queued Koersel. Several workers may receive the same run (re-enqueue, duplicated
    message): ``claim_run`` lets exactly one of them execute it."""
    koersel = services.claim_run(run_id)
    if koersel is None:
        return None
    return services.execute(koersel).status


def tick():
    from batch import scheduler

    return scheduler.tick()
