"""The endpoints of the fake GitHub, one module per area, combined into ``Api``."""

from tests.fake_github.endpoints.apps import AppEndpoints
from tests.fake_github.endpoints.checks import CheckEndpoints
from tests.fake_github.endpoints.comments import IssueCommentEndpoints
from tests.fake_github.endpoints.repos import RepoEndpoints
from tests.fake_github.endpoints.reviews import ReviewEndpoints


class Api(AppEndpoints, RepoEndpoints, CheckEndpoints, ReviewEndpoints, IssueCommentEndpoints):
    """Every endpoint; ``Pipeline.handle`` calls ``_<route name>`` (or the route's handler)."""


__all__ = ["Api"]
