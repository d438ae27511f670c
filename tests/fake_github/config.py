"""What a test may tune in the fake GitHub, and the clock every part of it reads."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.fake_github.render import Renderer
    from tests.fake_github.state import App, State


@dataclass(frozen=True)
class FakeConfig:
    """What a test may tune; defaults are GitHub's documented limits."""

    token_lifetime: float = 3600.0
    """Seconds an installation token lives (GitHub: one hour)."""
    max_diff_lines: int = 20_000
    max_diff_bytes: int = 1_000_000
    max_diff_files: int = 300
    """Beyond any of these the diff media type answers 406 ``too_large``."""
    max_listed_files: int = 3000
    """The PR files endpoint lists at most this many files."""
    file_patch_max_lines: int = 3000
    file_patch_max_bytes: int = 100_000
    """A file whose patch exceeds either comes without ``patch`` in the files list."""
    contents_max_size: int = 1_000_000
    """Larger files come with ``content: ""`` and ``encoding: none`` from the contents API."""
    rate_limit: int = 5000
    """Requests per hour per installation (primary limit)."""
    secondary_per_minute: int | None = 80
    secondary_per_hour: int | None = 500
    """Content-creating requests (POST/PATCH/PUT/DELETE) per installation before a 403."""
    limits_in_bytes: bool = True
    """Measure the 65,535/65,536 text limits in UTF-8 bytes (stricter than GitHub)."""
    strict: bool = False
    """Validate every response the fake builds against GitHub's documented schema."""
    seed: int = 0
    """Seed of the RNG that draws probabilistic faults."""
    codeload_host: str = "127.0.0.2"
    archive_link_lifetime: float = 300.0
    require_user_agent: bool = True


class FakeBase:
    """State, configuration and GitHub's clock, shared by the parts of ``FakeGitHub``."""

    config: FakeConfig
    state: State
    render: Renderer
    url: str
    _offset: float = 0.0

    def now(self) -> float:
        """GitHub's clock: real time shifted by ``advance``."""
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Move GitHub's clock (tokens expire, JWTs look early or late to it)."""
        self._offset += seconds

    @property
    def app(self) -> App:
        """The only app; ``ScenarioMixin`` provides it."""
        raise NotImplementedError
