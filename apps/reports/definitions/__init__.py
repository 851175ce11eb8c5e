"""The reports. Each module registers its reports when imported (from ``ReportsConfig.ready``)."""

from . import profiles, skills  # noqa: F401
