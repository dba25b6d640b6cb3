"""The memcached client is shared by the threads of a process (core/cache.py):
under threaded workers (gthread, runserver, ASGI) each thread still gets its own
replies."""

from concurrent.futures import ThreadPoolExecutor

from django.core.cache import cache

THREADS = 8
ROUNDS = 200


def round_trips(thread: int) -> list[str]:
    """Write and read back values only this thread writes; return what came back
    wrong."""
    wrong = []
    for number in range(ROUNDS):
        key = f"thread-{thread}-{number}"
        value = f"{key} " * 100
        cache.set(key, value)
        if cache.get(key) != value:
            wrong.append(key)
        if cache.get_many([key, f"{key}-missing"]) != {key: value}:
            wrong.append(f"{key} (get_many)")
    return wrong


def test_threads_sharing_the_client_each_get_their_own_replies():
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        wrong = [key for keys in pool.map(round_trips, range(THREADS)) for key in keys]

    assert wrong == []
