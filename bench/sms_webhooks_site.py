"""The settings of the site `bench.sms_webhooks` serves: the project's, with one more address
(`bench.sms_webhooks_urls`)."""

from mutuality.settings import *  # noqa: F403

ROOT_URLCONF = "bench.sms_webhooks_urls"
