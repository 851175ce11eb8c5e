"""The reports. Each module registers its reports when imported (from ``ReportsConfig.ready``)."""

from . import exchange, offices, outreach, profiles, skills  # noqa: F401
