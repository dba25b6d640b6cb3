"""Settings shared by every environment.

Deploy-time values come from the environment (``manage.py`` adds the git-ignored
``.env`` in development); ``dev``, ``test`` and ``prod`` add only what differs.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from config.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
APPS_DIR = BASE_DIR / "{{ cookiecutter.project_slug }}"

PROJECT_NAME = {{ cookiecutter.project_name|quoted }}
DOMAIN_NAME = {{ cookiecutter.domain_name|quoted }}

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "{{ cookiecutter.project_slug }}.core",
    "{{ cookiecutter.project_slug }}.users",
{%- if cookiecutter.include_example_app %}
    "{{ cookiecutter.project_slug }}.blog",
{%- endif %}
    # After core, whose db_worker command replaces this package's own.
    "django_tasks_db",
]

MIDDLEWARE = [
    "{{ cookiecutter.project_slug }}.core.middleware.RequestIdMiddleware",
    "{{ cookiecutter.project_slug }}.core.middleware.HealthProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
{%- if cookiecutter.include_example_app %}
    "{{ cookiecutter.project_slug }}.blog.caching.VisitorPageCacheMiddleware",
{%- endif %}
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [APPS_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "{{ cookiecutter.project_slug }}.core.context_processors.project",
            ],
        },
    },
]
{%- if cookiecutter.database == "postgresql" %}


def connected(database: dict, *, pooled: bool) -> dict:
    """A database's connections: from psycopg's pool, which replaces Django's
    persistent connections, or persistent and health-checked."""
    if pooled:
        database["OPTIONS"] = {**database.get("OPTIONS", {}), "pool": True}
        database["CONN_MAX_AGE"] = 0
    else:
        database["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    database["CONN_HEALTH_CHECKS"] = True
    return database


DATABASES = {
    "default": connected(
        env.db(
            "DATABASE_URL",
            default="postgres://postgres:postgres@localhost:5432/{{ cookiecutter.project_slug }}",
        ),
        pooled=env.bool("DJANGO_DB_POOL", default=False),
    ),
}
# Read replicas: none until DATABASE_REPLICA_URL names one or more, comma-separated.
# Then core/replicas.py sends writes to the primary and what reads it can to them.
# Never pooled: a pool waits out its timeout (30 s) for a replica that is down,
# where a refused connection fails at once and its reads go to the primary.
DATABASE_REPLICAS: list[str] = []
for number, url in enumerate(env.list("DATABASE_REPLICA_URL", default=[]), start=1):
    DATABASES[f"replica{number}"] = {
        **connected(env.db_url_config(url), pooled=False),
        # Tests read the primary's test database on the replica's own server,
        # which replication fills.
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_REPLICAS.append(f"replica{number}")
# After a write, the writer's reads stay on the primary this long; and a replica
# further behind than REPLICA_MAX_LAG_SECONDS serves no reads.
READ_YOUR_WRITES_SECONDS = env.int("DJANGO_READ_YOUR_WRITES_SECONDS", default=15)
REPLICA_MAX_LAG_SECONDS = env.float("DJANGO_REPLICA_MAX_LAG_SECONDS", default=10.0)
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["{{ cookiecutter.project_slug }}.core.replicas.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware"),
        "{{ cookiecutter.project_slug }}.core.replicas.ReadYourWritesMiddleware",
    )
{%- else %}

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes write at once (gunicorn's workers, management commands).
    # WAL lets reads go on during a write; IMMEDIATE takes the write lock when a
    # transaction begins, where a deferred one would fail to upgrade its read lock
    # with "database is locked"; and a writer waits up to 20 s for its turn.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
{%- endif %}

{%- if cookiecutter.cache_backend == "locmem" %}

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
{%- if cookiecutter.include_example_app %}
    # Local memory is per process: each gunicorn worker and each management
    # command has its own. What every process must agree on (the blog's content
    # version) lives in the database instead, in the core app's cache table.
    "shared": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
    },
{%- endif %}
}
{%- elif cookiecutter.cache_backend == "redis" %}

# A cache outage must not be an outage: while Redis is down the cache answers a
# miss, django-redis logs why, and /readyz reports it.
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": env("REDIS_URL", default="redis://localhost:6379/0"),
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    },
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Sessions live in the cache and the database: reads hit Redis, and fall back
# to the database while Redis is down.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
{%- elif cookiecutter.cache_backend == "memcached" %}

# A cache outage must not be an outage: while memcached is down the cache
# answers a miss, core/cache.py logs why, and /readyz reports it.
MEMCACHED_URL = env.url("MEMCACHED_URL", default="memcached://localhost:11211")
CACHES = {
    "default": {
        "BACKEND": "{{ cookiecutter.project_slug }}.core.cache.PyMemcacheCache",
        "LOCATION": MEMCACHED_URL.netloc,
        "OPTIONS": {
            "connect_timeout": 0.5,
            "timeout": 0.5,
            # After a failure, leave the server alone for 2 s, then try it again:
            # pymemcache's default is a minute without cache after a blip.
            "retry_attempts": 0,
            "dead_timeout": 2,
        },
    },
}
# Sessions live in the cache and the database: reads hit memcached, and fall
# back to the database while memcached is down.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
{%- elif cookiecutter.cache_backend == "database" %}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        # Created by the core app's migrations (createcachetable).
        "LOCATION": "django_cache",
    },
}
{%- else %}

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
{%- endif %}

AUTH_USER_MODEL = "users.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Argon2id first, as Django's docs advise: memory-hard, so a stolen hash costs an
# attacker far more than PBKDF2's, for a quarter of PBKDF2's CPU time per login.
# PBKDF2 stays second so that its hashes still verify, and are rehashed on login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Login, sign-up and password-reset attempts that one client address, and one
# account, may make in each window of AUTH_THROTTLE_WINDOW seconds; past a limit
# the form answers 429 until the window ends (users/throttling.py). Failed logins
# count, per account from each address, so nobody can lock an owner out; every
# sign-up and reset request counts.
AUTH_THROTTLE_WINDOW = env.int("DJANGO_AUTH_THROTTLE_WINDOW", default=900)
if AUTH_THROTTLE_WINDOW < 1:
    raise ImproperlyConfigured(
        f"DJANGO_AUTH_THROTTLE_WINDOW={AUTH_THROTTLE_WINDOW}: the throttling "
        "window is a number of seconds, at least 1."
    )
AUTH_THROTTLE = {
    "login": {
        "per_ip": env.int("DJANGO_LOGIN_ATTEMPTS_PER_IP", default=50),
        "per_account": env.int("DJANGO_LOGIN_ATTEMPTS_PER_ACCOUNT", default=10),
    },
    "signup": {
        "per_ip": env.int("DJANGO_SIGNUP_ATTEMPTS_PER_IP", default=20),
        "per_account": env.int("DJANGO_SIGNUP_ATTEMPTS_PER_ACCOUNT", default=5),
    },
    "password_reset": {
        "per_ip": env.int("DJANGO_PASSWORD_RESET_ATTEMPTS_PER_IP", default=10),
        "per_account": env.int("DJANGO_PASSWORD_RESET_ATTEMPTS_PER_ACCOUNT", default=3),
    },
}
# How many proxies in front append the address they saw to X-Forwarded-For: none,
# so a client's address is the connection's (prod.py, DJANGO_TRUSTED_PROXIES).
TRUSTED_PROXIES = 0
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# Background work (the welcome e-mail) leaves the request through django.tasks:
# enqueued in the project's own database, run by `manage.py db_worker`, a second
# process of the same image. Failed tasks are kept, with their traceback, in the
# admin's Task Results.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task still running this many seconds after it started has lost its worker,
# and goes back to the queue (core/abandoned_tasks.py). Every task here finishes
# far sooner: an SMTP send gives up after 10 s.
TASK_TIME_LIMIT = env.int("DJANGO_TASK_TIME_LIMIT", default=300)
if TASK_TIME_LIMIT < 1:
    raise ImproperlyConfigured(
        f"DJANGO_TASK_TIME_LIMIT={TASK_TIME_LIMIT}: a task's time limit is a "
        "number of seconds, at least 1."
    )

# SMTP by default; dev.py prints to the console and tests keep mail in mail.outbox.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env("EMAIL_HOST", default="localhost"),
            "port": env.int("EMAIL_PORT", default=25),
            "username": env("EMAIL_HOST_USER", default=""),
            "password": env("EMAIL_HOST_PASSWORD", default=""),
            "use_tls": env.bool("EMAIL_USE_TLS", default=False),
            "timeout": 10,
        },
    },
}
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default=f"noreply@{DOMAIN_NAME}")

LANGUAGE_CODE = "en-us"
TIME_ZONE = {{ cookiecutter.timezone|quoted }}
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [APPS_DIR / "static"]

ADMIN_URL = env("DJANGO_ADMIN_URL", default="admin/")

# Plain text here and in development; production prints JSON lines (prod.py).
LOG_LEVEL = env("DJANGO_LOG_LEVEL", default="INFO")
LOG_JSON = env.bool("DJANGO_LOG_JSON", default=False)
LOGGING = logging_config(json=LOG_JSON, level=LOG_LEVEL)
