"""Rate limits and progress live in one cache that every process shares: a
file cache under var/ by default, Redis when REDIS_URL is set. Each test
counts from two separate processes and sees one total."""

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COUNT_ONCE = (
    "import django, os, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'fourfirsts.settings'); django.setup();"
    "from django.conf import settings; from fourfirsts.core import counters;"
    "print(settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1], counters.count(sys.argv[1], 60))"
)


def count_in_a_new_process(key: str, env: dict) -> tuple[str, int]:
    done = subprocess.run([sys.executable, "-c", COUNT_ONCE, key], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60, check=True)
    backend, count = done.stdout.split()
    return backend, int(count)


def environment(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return {**env, **extra}


def test_without_redis_the_processes_share_a_file_cache_under_var(tmp_path):
    env = environment(FOURFIRSTS_VAR_DIR=str(tmp_path))
    key = f"test:{uuid.uuid4().hex}"
    assert count_in_a_new_process(key, env) == ("FileBasedCache", 1)
    assert count_in_a_new_process(key, env) == ("FileBasedCache", 2)
    assert (tmp_path / "cache").is_dir()


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_url_the_processes_share_redis(tmp_path):
    env = environment(FOURFIRSTS_VAR_DIR=str(tmp_path), REDIS_URL="redis://127.0.0.1:6379/15")
    key = f"test:{uuid.uuid4().hex}"
    assert count_in_a_new_process(key, env) == ("RedisCache", 1)
    assert count_in_a_new_process(key, env) == ("RedisCache", 2)
    assert not (tmp_path / "cache").exists()
