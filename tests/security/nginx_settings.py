"""The production settings for the nginx test, with one change: static files are collected
without the manifest (hashing and compressing them takes a minute, and is not what the test is
about). Everything about private files, security and sessions is production's."""

from lcp_network.settings.production import *  # noqa: F403
from lcp_network.settings.production import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
