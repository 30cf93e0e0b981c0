"""Hypothesis settings for the fuzz properties, chosen by ``COPYDESK_HYPOTHESIS_PROFILE``.

``ci`` (the default) runs 200 examples per property, derandomized so a CI run is
reproducible, and keeps no example database (nothing is written into the
checkout). ``thorough`` runs 5,000 fresh random examples per property and keeps
the failing ones in a database under the user's cache directory, so a bug found
once is retried first on the next run.

The profile decorates each property rather than being loaded globally, so the
other hypothesis tests of the suite keep their own settings.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

PROFILE_VARIABLE = "COPYDESK_HYPOTHESIS_PROFILE"
#: Generated pages are large (deep nesting, huge attributes) by design.
_SLOW_BY_DESIGN = [HealthCheck.too_slow, HealthCheck.data_too_large]


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "copydesk" / "hypothesis"


settings.register_profile(
    "ci",
    max_examples=200,
    database=None,
    derandomize=True,
    deadline=None,  # a loaded 2-core machine makes timings meaningless here
    print_blob=True,
    suppress_health_check=_SLOW_BY_DESIGN,
)
settings.register_profile(
    "thorough",
    max_examples=5_000,
    database=DirectoryBasedExampleDatabase(_cache_dir()),
    deadline=None,
    print_blob=True,
    suppress_health_check=_SLOW_BY_DESIGN,
)

#: The selected profile, to decorate each property with.
FUZZ_SETTINGS = settings.get_profile(os.environ.get(PROFILE_VARIABLE, "ci"))
