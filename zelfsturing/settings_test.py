"""Settings for the test run: the real settings with test-only environment defaults.

Only environment defaults are set here, so the tests exercise the same settings module as
production; a value set in the environment (CI: DATABASE_URL, CELERY_BROKER_URL) wins.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-" + "x" * 60)
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from zelfsturing.settings import *  # noqa: E402,F403

# Hashing passwords properly is slow by design; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Ordinary tests run tasks in-process; the Celery integration tests start a real worker
# against CELERY_BROKER_URL themselves.
CELERY_TASK_ALWAYS_EAGER = True
