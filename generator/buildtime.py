"""The time a build is dated with: now, or SOURCE_DATE_EPOCH for a reproducible build, in China Standard Time."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

CHINA_TIME = timezone(timedelta(hours=8), "CST")


def build_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH for a reproducible build; in China Standard Time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return moment.astimezone(CHINA_TIME).replace(microsecond=0)
