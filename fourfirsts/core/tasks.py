from django_tasks import task


@task()
def run_job(run_id: int) -> bool:
    from fourfirsts.core import jobs

    return bool(jobs.execute(run_id).ok)
