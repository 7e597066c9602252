"""callsync settings: everything comes from the environment (see .env.example).

Embedded defaults (SQLite, a filesystem broker) make `make run` work on a bare
machine; DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis.  Outside
DEBUG, secrets have no defaults.

One set of settings serves every environment: DJANGO_DEBUG and the variables
decide, not which module DJANGO_SETTINGS_MODULE names, so `config.settings` is
the module to point at everywhere (tests/settings.py adds the test overrides).
The parts are split by topic; this module composes them and then reports every
missing or malformed variable at once.
"""

from config.settings.base import *  # noqa: F403  (first: the others read `env` and DEBUG from it)
from config.settings.security import *  # noqa: F403
from config.settings.broker import *  # noqa: F403
from config.settings.providers import *  # noqa: F403
from config.settings.policies import *  # noqa: F403
from config.settings.monitoring import *  # noqa: F403
from config.settings.base import env

env.raise_if_invalid()
