"""Settings for the Mutuality Platform.

Everything comes from the environment (see the table in README.md). Production differs from
development only through the environment: `DJANGO_ENV=production` turns on the secure defaults
and refuses to start without the settings a real deployment needs.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

ENVIRONMENT = env.str("DJANGO_ENV", default="development")
if ENVIRONMENT not in {"development", "production", "test"}:
    raise ImproperlyConfigured("DJANGO_ENV must be development, production or test.")
PRODUCTION = ENVIRONMENT == "production"

# Demo mode lets a newcomer look around with the demo logins without setting up two-factor
# authentication. A real deployment never runs in demo mode.
DEMO_MODE = env.bool("DEMO_MODE", default=False)
if PRODUCTION and DEMO_MODE:
    raise ImproperlyConfigured("DEMO_MODE cannot be on in production.")

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set in production.")
else:
    SECRET_KEY = env.str(
        "SECRET_KEY", default="development-only-key-never-used-in-production-0123456789abcdef"
    )

# Off unless a developer asks for it: the demo serves like production (our own error pages,
# static files by whitenoise), and Django's technical pages never show by accident.
DEBUG = env.bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG cannot be on in production.")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A form sent from a stale tab gets our own page, translated, with a way back.
CSRF_FAILURE_VIEW = "mutuality.views.csrf_failure"

SITE_NAME = "Mutuality"
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "mutuality",
    "accounts",
    "families",
    "surveys",
    "ventures",
    "changemakers",
    "messaging",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so that every response (error pages and static files included) carries the policy.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Right after the language is chosen: every answer under /api/ is in the API's error shape.
    "mutuality.api_middleware.ApiErrorShapeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages middleware: it tells the user why their session ended.
    "accounts.middleware.SessionLimitsMiddleware",
    # After the messages middleware: it tells the user why they are sent to set up 2FA.
    "accounts.middleware.MFARequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mutuality.middleware.ApplicationErrorMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Axes goes last so that it sees every failed sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mutuality.urls"
WSGI_APPLICATION = "mutuality.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mutuality.context_processors.platform",
            ],
        },
    },
]

# Database: a SQLite file in the checkout unless DATABASE_URL names another database.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0)
if PRODUCTION and DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    raise ImproperlyConfigured("Production needs DATABASE_URL pointing at PostgreSQL.")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
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
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: an email or a phone number is the login; nobody signs up on their own
# (families join through an invitation, staff and liaisons are invited by their partner).
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
# "phone" (optional) mounts allauth's pages to add, change and verify a phone number.
ACCOUNT_SIGNUP_FIELDS = ["email*", "phone", "password1*", "password2*"]
# A one-time code by SMS (or email) instead of a password: six digits, easy to type on any
# phone, valid ten minutes (texts can be slow to arrive), three tries, then a new code.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = env.int("SIGN_IN_CODE_MINUTES", default=10) * 60
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_PHONE_VERIFICATION_TIMEOUT = ACCOUNT_LOGIN_BY_CODE_TIMEOUT
# Changing the email or phone one signs in with asks again who it is (password, or a code
# for families without one) when the last sign-in is more than five minutes old.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_RATE_LIMITS = {
    # Codes asked for: per address, and per number or email (each code is a text we pay for).
    "request_login_code": "20/m/ip,3/m/key,10/h/key",
    "verify_phone": "1/30s/key,3/m/ip,10/h/key",
    # A change asked before confirming who one is counts again when allauth carries it on.
    "change_phone": "3/m/user",
}
# Numbers typed without their country code on the sign-in page are read in the partners'
# countries; with no partner yet, in this one (blank: such numbers need their code).
PHONE_DEFAULT_REGION = env.str("PHONE_DEFAULT_REGION", default="")
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mutuality] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Sessions: staff roles (partner members, platform admins) after 30 idle minutes and at most
# 12 hours; families, mostly on their own phones, after 12 idle hours.
SESSION_IDLE_MINUTES_STAFF = env.int("SESSION_IDLE_MINUTES_STAFF", default=30)
SESSION_ABSOLUTE_HOURS_STAFF = env.int("SESSION_ABSOLUTE_HOURS_STAFF", default=12)
SESSION_IDLE_HOURS_FAMILY = env.int("SESSION_IDLE_HOURS_FAMILY", default=12)
# The sessions page (allauth's usersessions) audits a user's signing out elsewhere.
USERSESSIONS_ADAPTER = "accounts.adapters.UserSessionsAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Mutuality"

# django-axes: lock the pair (account, client address) after repeated failures, never the
# account alone, so that a guesser elsewhere cannot keep its owner out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.authentication.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
# The proxies in front of us (the TLS proxy: 1). Axes reads AXES_IPWARE_PROXY_COUNT only
# through django-ipware, which we do not install, and would fall back to the proxy's own
# address, shared by every client: our callable reads X-Forwarded-For with this count instead.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.signin_limits.client_ip"
# Failed sign-ins an account takes per minute from all addresses together; then every attempt
# for it is refused until the minute ends (0: no limit).
SIGNIN_ATTEMPTS_PER_ACCOUNT_PER_MINUTE = env.int(
    "SIGNIN_ATTEMPTS_PER_ACCOUNT_PER_MINUTE", default=10
)

# Internationalization: English, Spanish and French to start.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Whitenoise serves the static files in every environment, DEBUG or not. Outside production it
# finds them where they are (no collectstatic) and picks up edits without a restart.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
# Files browsers ask for at the root of the site, such as /favicon.ico.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

# Email: printed to the console in development.
EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="consolemail://" if not PRODUCTION else "smtp://localhost:25"
)
vars().update(EMAIL_CONFIG)
# Text messages, chosen like email: console:// prints them (see messaging/backends).
SMS_URL = env.str("SMS_URL", default="console://")
SMS_SENDER = env.str("SMS_SENDER", default="Mutuality")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Mutuality <no-reply@mutuality.local>")

# Security headers and cookies. Production serves over HTTPS behind a proxy.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy: our own scripts, styles and images only; no inline script or style
# anywhere (the pages keep them in static files). img-src allows data: for the QR code of the
# two-factor setup. Enforced everywhere; a developer may switch it to report-only to find what
# a change breaks, never in production.
csp_directives = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# (Lower-case names: django-csp reads upper-case CSP_* settings as its old, 3.x, format.)
csp_report_only = env.bool("CSP_REPORT_ONLY", default=False)
if PRODUCTION and csp_report_only:
    raise ImproperlyConfigured("CSP_REPORT_ONLY cannot be on in production.")
if csp_report_only:
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": csp_directives}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": csp_directives}
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "mutuality.pagination.StandardPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "mutuality.schema.AutoSchema",
    # JSON refusing deep nesting; forms for browser sessions.
    "DEFAULT_PARSER_CLASSES": [
        "mutuality.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "mutuality.errors.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mutuality Platform API",
    "DESCRIPTION": "The public contract of the Mutuality Platform. Errors have the shape "
    '`{"message": "...", "errors": {"field": ["..."]}}`.',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several serializers have a `kind`; name the ones that would otherwise collide.
    "ENUM_NAME_OVERRIDES": {"ChangemakerKindEnum": "changemakers.models.Candidate.Kind"},
}
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)
IDEMPOTENCY_KEY_TTL_HOURS = env.int("IDEMPOTENCY_KEY_TTL_HOURS", default=24)
STAFF_INVITATION_TTL_DAYS = env.int("STAFF_INVITATION_TTL_DAYS", default=7)

# Demonstrations: about ten seed families per cohort, each inviting up to ten friends.
COHORT_SEED_LIMIT = env.int("COHORT_SEED_LIMIT", default=10)
FRIENDS_PER_SEED = env.int("FRIENDS_PER_SEED", default=10)
FAMILY_INVITATION_TTL_DAYS = env.int("FAMILY_INVITATION_TTL_DAYS", default=14)
UPLOAD_MAX_PHOTO_BYTES = env.int("UPLOAD_MAX_PHOTO_BYTES", default=5 * 1024 * 1024)

# Celery: with no broker configured, tasks run eagerly in the web process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# What each task's second run would do decides how it is delivered (README, "Celery"):
# - idempotent (the same rows when run twice): acknowledged only once done, and handed back to
#   the queue when its worker dies, so a killed worker delays it but never loses it;
# - an email would go out twice: acknowledged as it starts, so a killed worker loses it (an
#   invitation can be sent again) rather than send it twice.
_AT_LEAST_ONCE = {"acks_late": True, "reject_on_worker_lost": True}
_AT_MOST_ONCE = {"acks_late": False, "reject_on_worker_lost": False}
# Seconds the nightly trends job and the monthly candidates search may run (the hard limit).
LONG_JOB_TIME_LIMIT = env.int("LONG_JOB_TIME_LIMIT", default=60 * 60)
if LONG_JOB_TIME_LIMIT < 2:
    raise ImproperlyConfigured("LONG_JOB_TIME_LIMIT must be at least 2 seconds.")


def _time_limits(hard: int) -> dict:
    """At the soft limit the task is told to stop and rolls back what it was doing; the hard
    limit, a tenth later, kills its process."""
    return {"time_limit": hard, "soft_time_limit": hard - max(hard // 10, 1)}


# Task modules that are not an app's `tasks.py`.
CELERY_IMPORTS = ["messaging.sms_survey_tasks"]
CELERY_TASK_ANNOTATIONS = {
    # A text message is claimed before it is sent: a second run sends nothing.
    "messaging.tasks.deliver_message": {**_AT_MOST_ONCE, **_time_limits(2 * 60)},
    "messaging.tasks.deliver_email_notice": {**_AT_MOST_ONCE, **_time_limits(2 * 60)},
    # Each inbound text is marked answered in the transaction that answers it.
    "messaging.sms_survey_tasks.answer_inbound_texts": {**_AT_LEAST_ONCE, **_time_limits(60)},
    "accounts.tasks.deliver_staff_invitation": {**_AT_MOST_ONCE, **_time_limits(2 * 60)},
    "families.tasks.deliver_family_invitation": {**_AT_MOST_ONCE, **_time_limits(2 * 60)},
    "families.tasks.deliver_account_invitation": {**_AT_MOST_ONCE, **_time_limits(2 * 60)},
    "mutuality.tasks.purge_expired_idempotency_keys": {**_AT_LEAST_ONCE, **_time_limits(10 * 60)},
    "ventures.tasks.expire_funding_asks": {**_AT_LEAST_ONCE, **_time_limits(10 * 60)},
    # Every notice has its dedupe key, so a redelivered run sends only what is still due.
    "surveys.tasks.notify_survey_month_open": {**_AT_LEAST_ONCE, **_time_limits(20 * 60)},
    "changemakers.tasks.trends_recompute_family": {**_AT_LEAST_ONCE, **_time_limits(3 * 60)},
    "changemakers.tasks.trends_recompute_partner": {**_AT_LEAST_ONCE, **_time_limits(20 * 60)},
    "changemakers.tasks.trends_recompute_all": {
        **_AT_LEAST_ONCE,
        **_time_limits(LONG_JOB_TIME_LIMIT),
    },
    "changemakers.tasks.changemakers_find_candidates": {
        **_AT_LEAST_ONCE,
        **_time_limits(LONG_JOB_TIME_LIMIT),
    },
}
# Long jobs have a queue and a worker of their own, so they never hold up emails and the
# recomputation a verification starts.
CELERY_TASK_ROUTES = {
    "changemakers.tasks.trends_recompute_all": {"queue": "long"},
    "changemakers.tasks.changemakers_find_candidates": {"queue": "long"},
}
# Redis hands a message not yet acknowledged to another worker this long after delivery: it
# must outlast the longest task, or a job still running would start a second time. It is also
# how long a job of a killed worker waits before another worker takes it up.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": max(a["time_limit"] for a in CELERY_TASK_ANNOTATIONS.values()) * 5 // 4
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"

# The periodic jobs that `manage.py setup_periodic_tasks` registers in django-celery-beat:
# {name: {"task": dotted task name, "crontab": {minute, hour, day_of_week, ...}}}.
# Later features add their jobs here.
PERIODIC_TASKS: dict[str, dict] = {
    "purge expired idempotency keys": {
        "task": "mutuality.tasks.purge_expired_idempotency_keys",
        "crontab": {"minute": 17, "hour": 3},
    },
    "expire funding asks past their deadline": {
        "task": "ventures.tasks.expire_funding_asks",
        "crontab": {"minute": 5, "hour": 1},
    },
    # Verifying a survey recomputes its family at once; this catches everything else (moved
    # families, new exchange rates, the countries, the spread of practices).
    "recompute every trend": {
        "task": "changemakers.tasks.trends_recompute_all",
        "crontab": {"minute": 30, "hour": 2},
    },
    # Daily; each household gets each notice of a month once, texts after quiet hours.
    "tell households this month's survey is open": {
        "task": "surveys.tasks.notify_survey_month_open",
        "crontab": {"minute": 0, "hour": 8},
    },
    # On the 10th, when most of last month's surveys are verified.
    "find Everyday Changemakers of the month just ended": {
        "task": "changemakers.tasks.changemakers_find_candidates",
        "crontab": {"minute": 0, "hour": 5, "day_of_month": 10},
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
