import os
import threading
from collections.abc import Iterator

import pytest

# Flags a system Chromium needs when it runs headless in a container or as root.
SYSTEM_CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Playwright's own Chromium (`playwright install chromium`), or the one that
    PLAYWRIGHT_CHROMIUM_EXECUTABLE points at where that cannot be downloaded."""
    executable = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE")
    if not executable:
        return browser_type_launch_args
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": [*browser_type_launch_args.get("args", []), *SYSTEM_CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session", autouse=True)
def orm_beside_the_browser() -> Iterator[None]:
    # Playwright's sync API keeps an event loop running in the test's thread from
    # the first browser test on; Django refuses ORM calls there unless told this
    # (test-only) use is safe. The tiers run in order, so this tier comes last.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session", autouse=True)
def live_server_outlives_the_browser(live_server) -> Iterator[None]:
    """Stop the live server only once the browser's last connections are served.

    Set up before the browser, so torn down after it closes; the request threads
    then finish closing their connections before the server stops sharing its
    database connection with them.
    """
    yield
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=5)
