"""A fake GitHub for archreview's tests: REST API, codeload and signed webhook deliveries.

``FakeGitHub`` (``server.py``) is the control API; ``README.md`` lists what it enforces.
"""

from tests.fake_github.archives import make_tarball, tarball_prefix
from tests.fake_github.config import FakeConfig
from tests.fake_github.diffs import ParsedDiff, unified_diff
from tests.fake_github.faults import Fault
from tests.fake_github.schemas import SHARED_DIR, SharedDataMissingError
from tests.fake_github.server import FakeGitHub, FakeGitHubError
from tests.fake_github.webhooks import REMOVE, sign, webhook

__all__ = [
    "REMOVE",
    "SHARED_DIR",
    "FakeConfig",
    "FakeGitHub",
    "FakeGitHubError",
    "Fault",
    "ParsedDiff",
    "SharedDataMissingError",
    "make_tarball",
    "sign",
    "tarball_prefix",
    "unified_diff",
    "webhook",
]
