"""Settings shared by every environment.

Everything that differs between deployments comes from the environment (12-factor),
read once here through django-environ. Defaults are safe for a developer's machine;
``heard.settings.production`` removes the unsafe ones.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env file is convenient for development; production sets real variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The organisation this instance serves: shown in the header, titles and emails.
HEARD_ORGANISATION_NAME = env.str(
    "HEARD_ORGANISATION_NAME", default="NHS Norfolk and Waveney Integrated Care Board"
)
HEARD_SITE_NAME = env.str("HEARD_SITE_NAME", default="Have your say")
HEARD_CONTACT_EMAIL = env.str("HEARD_CONTACT_EMAIL", default="engagement@example.nhs.uk")
# Shown wherever the public is told they may phone or write (empty: that way is not offered).
# The defaults are examples: 01632 960 numbers are reserved by Ofcom for fiction.
HEARD_CONTACT_PHONE = env.str("HEARD_CONTACT_PHONE", default="01632 960000")
HEARD_CONTACT_PHONE_HOURS = env.str(
    "HEARD_CONTACT_PHONE_HOURS", default="Monday to Friday, 9am to 5pm"
)
# Relay UK: the number to dial from a textphone or the Relay UK app.
HEARD_CONTACT_TEXT_RELAY = env.str("HEARD_CONTACT_TEXT_RELAY", default="18001 01632 960000")
# The postal address, lines separated by "|" (a freepost address is best).
# The accessibility statement's dates (GOV.UK model statement: prepared, reviewed, tested).
HEARD_ACCESSIBILITY_PREPARED_ON = env.str("HEARD_ACCESSIBILITY_PREPARED_ON", default="2026-12-07")
HEARD_ACCESSIBILITY_REVIEWED_ON = env.str("HEARD_ACCESSIBILITY_REVIEWED_ON", default="2026-12-07")
HEARD_ACCESSIBILITY_TESTED_ON = env.str("HEARD_ACCESSIBILITY_TESTED_ON", default="2026-12-07")
HEARD_CONTACT_ADDRESS = [
    line.strip()
    for line in env.str(
        "HEARD_CONTACT_ADDRESS", default="Engagement team|FREEPOST HAVE YOUR SAY|Norwich|NR1 1AA"
    ).split("|")
    if line.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "csp",
    # django-ninja: its Swagger UI files served from our own static files (heard.api).
    "ninja",
    # Heard's own apps, lowest layer first (see docs/architecture.md).
    "heard.core",
    "heard.accounts",
    "heard.audit",
    "heard.people",
    "heard.involvement",
    "heard.engagement",
    "heard.events",
    "heard.insight",
    "heard.groups",
    "heard.analysis",
    "heard.servicechange.proposals",
    "heard.servicechange.follow",
    "heard.servicechange.assessment",
    "heard.servicechange.consultations",
    "heard.servicechange.outcomes",
    "heard.servicechange.evidence",
    "heard.servicechange.lifecycle",
    "heard.reports",
    "heard.api",
    "heard.exports",
    "heard.staff",
    "heard.public",
    "heard.demo",
]

MIDDLEWARE = [
    "heard.core.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "heard.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "heard.accounts.middleware.StaffTwoFactorMiddleware",
    "heard.accounts.middleware.MembersAreNotStaffMiddleware",
    "heard.accounts.middleware.StaffNoStoreMiddleware",
    "heard.core.middleware.StageRefusedMiddleware",
]

# How many reverse proxies of ours stand in front of the app servers (docs/runbook.md):
# the client address is the entry that many places from the right of X-Forwarded-For.
# 0 (the default) uses the connection's address and ignores the header, which anyone
# can write. Every rate limit and sign-in lock-out uses this address.
HEARD_TRUSTED_PROXY_COUNT = env.int("HEARD_TRUSTED_PROXY_COUNT", default=0)
# django-allauth is given the same function (HeardAccountAdapter.get_client_ip); its own
# setting is kept equal for anything of allauth's that reads it directly.
ALLAUTH_TRUSTED_PROXY_COUNT = HEARD_TRUSTED_PROXY_COUNT

ROOT_URLCONF = "heard.urls"
WSGI_APPLICATION = "heard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "heard" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "heard.core.context_processors.site",
            ],
            "builtins": ["heard.core.templatetags.nhsuk"],
        },
    },
]

# SQLite (WAL, immediate transactions) by default; DATABASE_URL switches to PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Every wait on the database is bounded (ADR 11): a write waiting for a lock gives up after
# DATABASE_LOCK_TIMEOUT_SECONDS, and on PostgreSQL any statement after
# DATABASE_STATEMENT_TIMEOUT_SECONDS (0 turns that one off, e.g. for a long migration) and
# a transaction left idle after a minute. A person whose response was refused this way is
# asked to send it again (safe: the submission token), never told it failed once stored.
DATABASE_LOCK_TIMEOUT_SECONDS = env.float("DATABASE_LOCK_TIMEOUT_SECONDS", default=5)
DATABASE_STATEMENT_TIMEOUT_SECONDS = env.float("DATABASE_STATEMENT_TIMEOUT_SECONDS", default=30)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Django's own: IMMEDIATE takes the write lock at BEGIN, so concurrent writers
        # queue (SQLite's busy handler, up to ``timeout`` seconds) instead of failing
        # mid-transaction, and the audit chain is appended strictly in order.
        "transaction_mode": "IMMEDIATE",
        "timeout": DATABASE_LOCK_TIMEOUT_SECONDS,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
else:
    # Off by default, as in Django: a health check is a round trip before every request's
    # first query, on every request of the busy public path. A connection the server
    # dropped fails that one request and is then closed and replaced; the person can send
    # the same form again (the submission token stores it once).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool(
        "DATABASE_CONN_HEALTH_CHECKS", default=False
    )
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options.setdefault("connect_timeout", max(1, round(DATABASE_LOCK_TIMEOUT_SECONDS)))
    _pg_options.setdefault(
        "options",
        f"-c lock_timeout={round(DATABASE_LOCK_TIMEOUT_SECONDS * 1000)}"
        f" -c statement_timeout={round(DATABASE_STATEMENT_TIMEOUT_SECONDS * 1000)}"
        " -c idle_in_transaction_session_timeout=60000",
    )
# Keep connections between requests (opening one per request – and, on SQLite, setting
# up its pragmas and functions – cost more CPU than the busiest view; ADR 7's benchmark).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# A shared cache (the database by default) keeps sign-in lock-outs and rate limits
# consistent across several app servers; REDIS_URL-style CACHE_URL also works.
CACHES = {"default": env.cache_url("CACHE_URL", default="dbcache://heard_cache_table")}

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "staff:dashboard"
LOGOUT_REDIRECT_URL = "public:home"

# django-allauth: staff sign in with email and password, then a TOTP code.
ACCOUNT_ADAPTER = "heard.accounts.adapters.HeardAccountAdapter"
# The staff sign-in refuses accounts without a staff role (members sign in by link).
ACCOUNT_FORMS = {"login": "heard.accounts.forms.StaffLoginForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
# Lock-out: after 5 failed attempts for one account from one address (or 20 from one
# address) within 15 minutes, further attempts from that address are refused until the
# window passes. Never per account alone: a stranger could lock a colleague out.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("HEARD_LOGIN_FAILED_LIMIT", default="20/15m/ip,5/15m/key"),
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = HEARD_SITE_NAME
MFA_ADAPTER = "heard.accounts.adapters.HeardMFAAdapter"
# Lock-outs after too many wrong codes are audited (wrong codes are, from a signal).
MFA_FORMS = {"authenticate": "heard.accounts.forms.StaffTwoFactorForm"}

# Staff single sign-on with OpenID Connect (Microsoft Entra ID, i.e. NHSmail, first). Off
# unless configured: no request goes to an identity provider by default. Only people who
# already have a Heard staff account (matched by email) can use it: roles are still granted
# in Heard, and Heard's own two-factor code is still asked for after the identity provider.
HEARD_SSO_SERVER_URL = env.str("HEARD_SSO_SERVER_URL", default="")
HEARD_SSO_NAME = env.str("HEARD_SSO_NAME", default="NHSmail (Microsoft Entra ID)")
# Where the sign-in button may send the browser (the identity provider's origin).
HEARD_SSO_ORIGINS = (
    ["{0.scheme}://{0.netloc}".format(urlsplit(HEARD_SSO_SERVER_URL))]
    if HEARD_SSO_SERVER_URL
    else []
)
SOCIALACCOUNT_ADAPTER = "heard.accounts.adapters.HeardSocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # Heard matches and links the account itself
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # the sign-in button POSTs (CSRF-protected)
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": (
            [
                {
                    "provider_id": "sso",
                    "name": HEARD_SSO_NAME,
                    "client_id": env.str("HEARD_SSO_CLIENT_ID"),
                    "secret": env.str("HEARD_SSO_CLIENT_SECRET"),
                    "settings": {"server_url": HEARD_SSO_SERVER_URL, "fetch_userinfo": False},
                }
            ]
            if HEARD_SSO_SERVER_URL
            else []
        ),
    }
}

# Staff sessions expire after two hours without activity, and when the browser closes.
SESSION_COOKIE_AGE = env.int("HEARD_SESSION_SECONDS", default=2 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "heard.core.views.csrf_failure"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# The NHS.UK frontend and htmx come from npm (package.json), never copied into the repo.
STATICFILES_DIRS = [
    ("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("HEARD_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Have your say <noreply@example.nhs.uk>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: the database queue by default; the RQ/Redis backend for scale
# (set HEARD_TASKS_BACKEND=django_tasks_rq.RQBackend and RQ_QUEUES, see docs/runbook.md).
TASKS = {
    "default": {
        "BACKEND": env.str("HEARD_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Content security policy: nothing inline without a per-request nonce, nothing third-party.
# By default no page asks another host for anything: pages link to the NHS.UK frontend's
# stylesheet without its @font-face rules for the Frutiger web fonts on the NHS's CDN
# (heard/core/assets.py), so text falls back to Arial. A deployment licensed to use them
# sets HEARD_FONT_ORIGINS=https://assets.nhs.uk (then the original stylesheet is linked).
HEARD_FONT_ORIGINS = env.list("HEARD_FONT_ORIGINS", default=[])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:", *HEARD_FONT_ORIGINS],
        "connect-src": [SELF],
        # The staff single sign-on button's POST is answered by a redirect to the
        # identity provider, which browsers check against form-action too.
        "form-action": [SELF, *HEARD_SSO_ORIGINS],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Policy, not law (domain.md): defaults shipped, each configurable per deployment.
# Equality monitoring and other small counts are suppressed below this number (domain §8).
HEARD_SMALL_NUMBER_THRESHOLD = env.int("HEARD_SMALL_NUMBER_THRESHOLD", default=10)
# Requests a minute one personal API token may make (heard.api).
HEARD_API_TOKEN_RATE_LIMIT = env.int("HEARD_API_TOKEN_RATE_LIMIT", default=120)
# Coverage dashboard: places and groups with no engagement in this many months are listed.
HEARD_ENGAGEMENT_GAP_MONTHS = env.int("HEARD_ENGAGEMENT_GAP_MONTHS", default=6)
# Members invited at least this often in 12 months are shown as "asked often".
HEARD_INVOLVEMENT_OFTEN_THRESHOLD = env.int("HEARD_INVOLVEMENT_OFTEN_THRESHOLD", default=3)
# Days before an unanswered invitation gets its one reminder.
# Someone who asks for a format or language not yet available gets it within this many days.
HEARD_FORMAT_REQUEST_DAYS = env.int("HEARD_FORMAT_REQUEST_DAYS", default=10)
HEARD_INVITATION_REMINDER_DAYS = env.int("HEARD_INVITATION_REMINDER_DAYS", default=7)
# Bookers' names and email addresses are erased this many days after their event.
HEARD_EVENT_BOOKINGS_KEEP_DAYS = env.int("HEARD_EVENT_BOOKINGS_KEEP_DAYS", default=90)
# Imports run as recoverable jobs (heard.core.jobs): one whose worker has shown no sign of
# life for this many minutes is resumed from its last committed chunk by the sweeper
# (`jobs_sweep`, also run by heard_clock), at most this many times, then marked failed.
HEARD_JOB_STALE_MINUTES = env.int("HEARD_JOB_STALE_MINUTES", default=10)
HEARD_JOB_MAX_ATTEMPTS = env.int("HEARD_JOB_MAX_ATTEMPTS", default=3)
# Uploaded import files and rejected rows (personal data) are deleted this many days after
# the import finished, failed or was abandoned at the mapping step (`imports_cleanup`).
HEARD_IMPORT_FILES_KEEP_DAYS = env.int("HEARD_IMPORT_FILES_KEEP_DAYS", default=14)
# Exports (heard.exports): files kept this long, then deleted by `exports_cleanup`;
# up to HEARD_EXPORTS_INLINE_ROWS rows are made while the person waits, more by a task.
HEARD_EXPORTS_KEEP_HOURS = env.int("HEARD_EXPORTS_KEEP_HOURS", default=72)
HEARD_EXPORTS_INLINE_ROWS = env.int("HEARD_EXPORTS_INLINE_ROWS", default=2000)
# Responses' personal words (free text, postcodes, organisation names) are erased this
# many days after their activity closed (`responses_retention`); 0 = no rule yet: set it
# from the ICB's records-management schedule (a consultation record is kept for years).
HEARD_RESPONSE_WORDS_KEEP_DAYS = env.int("HEARD_RESPONSE_WORDS_KEEP_DAYS", default=0)
# Spam control on public responses: minimum seconds to complete, responses per address per hour.
HEARD_RESPONSE_MIN_SECONDS = env.float("HEARD_RESPONSE_MIN_SECONDS", default=4.0)
HEARD_RESPONSES_PER_ADDRESS_PER_HOUR = env.int("HEARD_RESPONSES_PER_ADDRESS_PER_HOUR", default=30)
# heard_clock makes the insights still owed for stored answers (a task lost with a killed
# worker) this often (ADR 11).
HEARD_INSIGHT_CATCH_UP_MINUTES = env.float("HEARD_INSIGHT_CATCH_UP_MINUTES", default=5)
# Service change (domain.md §5): a formal consultation cannot start until NHS England
# assurance stage 2 is recorded as passed.
HEARD_ASSURANCE_STAGE2_REQUIRED = env.bool("HEARD_ASSURANCE_STAGE2_REQUIRED", default=True)
# The public address of the site, for links in emails sent by scheduled jobs (no request).
HEARD_BASE_URL = env.str("HEARD_BASE_URL", default="")
# Formal consultation (Gunning "adequate time"): the shortest period without a recorded
# justification, in weeks; and pre-election periods, each "YYYY-MM-DD..YYYY-MM-DD Name"
# (comma separated in the environment), warned about when a consultation overlaps one.
HEARD_CONSULTATION_MIN_WEEKS = env.int("HEARD_CONSULTATION_MIN_WEEKS", default=12)
HEARD_PRE_ELECTION_PERIODS = env.list("HEARD_PRE_ELECTION_PERIODS", default=[])

# The audit chain's head is signed at checkpoints with an Ed25519 key held outside the
# database (ADR 10): a file (HEARD_AUDIT_SIGNING_KEY_FILE, PEM) or the key itself
# (HEARD_AUDIT_SIGNING_KEY, PEM or base64 of the 32 raw bytes). Never in the repository.
# Production refuses to start without one; `make run` makes a throwaway one (dev.py).
HEARD_AUDIT_SIGNING_KEY_FILE = env.str("HEARD_AUDIT_SIGNING_KEY_FILE", default="")
HEARD_AUDIT_SIGNING_KEY = env.str("HEARD_AUDIT_SIGNING_KEY", default="")
HEARD_AUDIT_SIGNING_KEY_CREATE = False
# Further public keys checkpoints may be verified with (retired keys; base64 or PEM).
HEARD_AUDIT_PUBLIC_KEYS = env.list("HEARD_AUDIT_PUBLIC_KEYS", default=[])
# `audit_checkpoint --if-due` (run by heard_clock) signs the head when it has moved and
# the last checkpoint is at least this old; legally significant acts sign it at once.
HEARD_AUDIT_CHECKPOINT_MINUTES = env.int("HEARD_AUDIT_CHECKPOINT_MINUTES", default=60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "heard.core.logging.RequestIdFilter"},
        "refusal": {"()": "heard.core.logging.RefusalWithoutTraceback"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id", "refusal"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("HEARD_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # a line per step of every PDF made otherwise
        "weasyprint": {"level": "WARNING"},
        # Not Django's own console handler (DEBUG only), which printed every 403's
        # traceback again: its records go up to the root's console handler (filtered,
        # with the request id).
        "django": {"handlers": [], "level": "INFO", "propagate": True},
    },
}
