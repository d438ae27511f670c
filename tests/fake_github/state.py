"""What the fake GitHub knows: apps, installations, repositories, pull requests, what apps posted.

Plain dataclasses that tests read directly after a run (``gh.state.check_runs[...]``), plus the
few setup operations (commits, pull requests, pushes) that the control API and the handlers share.
Times are seconds since the epoch on the fake's own clock.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from tests.fake_github.archives import make_tarball, tarball_prefix
from tests.fake_github.diffs import ParsedDiff, as_bytes, blob_sha, unified_diff

PERMISSION_LEVELS = {"none": 0, "read": 1, "write": 2, "admin": 3}
# What the review app needs; installations get these unless a test says otherwise.
DEFAULT_PERMISSIONS = {
    "checks": "write",
    "contents": "read",
    "issues": "write",
    "metadata": "read",
    "pull_requests": "write",
}


@dataclass
class User:
    login: str
    id: int
    type: Literal["User", "Bot", "Organization"] = "User"


@dataclass
class App:
    id: int
    slug: str
    name: str
    owner: User
    bot: User
    client_id: str
    private_key_pem: str
    public_key_pem: str
    permissions: dict[str, str]
    events: list[str]
    webhook_secret: str | None = None
    created_at: float = 0.0


@dataclass
class Installation:
    id: int
    app_id: int
    account: User
    repositories: set[str]
    """Full names, lower case, of the repositories the app may see."""
    permissions: dict[str, str]
    selection: Literal["all", "selected"] = "selected"
    suspended: bool = False
    created_at: float = 0.0


@dataclass
class Token:
    token: str
    installation_id: int
    expires_at: float
    permissions: dict[str, str]
    repositories: frozenset[str] | None = None
    """``None``: every repository of the installation; else lower-case full names."""
    revoked: bool = False


@dataclass
class Commit:
    sha: str
    files: dict[str, bytes]
    parents: list[str]
    message: str


@dataclass
class Repo:
    id: int
    owner: User
    name: str
    default_branch: str = "main"
    private: bool = True
    fork: bool = False
    commits: dict[str, Commit] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)
    tarballs: dict[str, bytes] = field(default_factory=dict)
    """Tarball bytes per commit SHA that replace the one built from the commit's files."""
    collaborators: dict[str, str] = field(default_factory=dict)
    """Login (lower case) -> ``admin``, ``maintain``, ``write``, ``triage`` or ``read``."""
    created_at: float = 0.0

    @property
    def full_name(self) -> str:
        return f"{self.owner.login}/{self.name}"

    @property
    def key(self) -> str:
        return self.full_name.lower()

    def resolve(self, ref: str) -> str | None:
        """The commit SHA a branch name, ``refs/heads/x``, full SHA or SHA prefix names."""
        ref = ref.removeprefix("refs/heads/")
        if ref in self.branches:
            return self.branches[ref]
        if ref in self.commits:
            return ref
        if len(ref) >= 7:
            matches = [sha for sha in self.commits if sha.startswith(ref)]
            if len(matches) == 1:
                return matches[0]
        return None

    def tarball(self, sha: str) -> bytes:
        if sha not in self.tarballs:
            commit = self.commits[sha]
            prefix = tarball_prefix(self.owner.login, self.name, sha)
            self.tarballs[sha] = make_tarball(commit.files, prefix, commit=sha)
        return self.tarballs[sha]


@dataclass
class PullRequest:
    id: int
    number: int
    repo: Repo
    title: str
    body: str | None
    author: User
    head_ref: str
    head_sha: str
    base_ref: str
    base_sha: str
    diff: ParsedDiff
    head_repo: Repo
    draft: bool = False
    state: Literal["open", "closed"] = "open"
    diffs: dict[str, ParsedDiff] = field(default_factory=dict)
    """Diff (base..head) per head SHA the pull request has had: review ``commit_id`` targets."""
    commit_shas: list[str] = field(default_factory=list)
    created_at: float = 0.0
    updated_at: float = 0.0


@dataclass
class Annotation:
    path: str
    start_line: int
    end_line: int
    annotation_level: str
    message: str
    start_column: int | None = None
    end_column: int | None = None
    title: str | None = None
    raw_details: str | None = None


@dataclass
class CheckRun:
    id: int
    repo: Repo
    app_id: int
    name: str
    head_sha: str
    check_suite_id: int
    status: str = "queued"
    conclusion: str | None = None
    details_url: str | None = None
    external_id: str | None = None
    started_at: float | None = None
    completed_at: float | None = None
    output_title: str | None = None
    output_summary: str | None = None
    output_text: str | None = None
    annotations: list[Annotation] = field(default_factory=list)
    actions: list[dict[str, str]] = field(default_factory=list)
    images: list[dict[str, str]] = field(default_factory=list)
    updates: int = 0
    """How many PATCH requests changed this run."""


@dataclass
class Review:
    id: int
    repo: Repo
    pull_number: int
    user: User
    body: str
    state: str
    commit_id: str
    submitted_at: float | None


@dataclass
class ReviewComment:
    id: int
    repo: Repo
    pull_number: int
    review_id: int | None
    user: User
    body: str
    path: str
    commit_id: str
    diff_hunk: str
    line: int | None
    side: str
    start_line: int | None = None
    start_side: str | None = None
    position: int | None = None
    in_reply_to_id: int | None = None
    subject_type: Literal["line", "file"] = "line"
    created_at: float = 0.0
    updated_at: float = 0.0


@dataclass
class IssueComment:
    id: int
    repo: Repo
    issue_number: int
    user: User
    body: str
    created_at: float = 0.0
    updated_at: float = 0.0
    via_app_id: int | None = None


@dataclass
class Reaction:
    id: int
    subject: Literal["issue_comment", "review_comment"]
    subject_id: int
    user: User
    content: str
    created_at: float = 0.0


@dataclass
class RequestRecord:
    """One request the API server answered (or dropped), for assertions."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    """Request headers with credentials masked (``Authorization: token ***``)."""
    body: Any
    status: int | None
    """``None`` when the connection was dropped without an answer."""
    operation: str | None
    auth: Literal["none", "jwt", "token", "invalid"]
    installation_id: int | None
    fault: str | None = None


@dataclass
class Rejection:
    """A request GitHub would refuse because of what the app sent (not because of a fault)."""

    kind: Literal["parse", "schema", "rule", "permission", "diff"]
    method: str
    path: str
    operation: str | None
    status: int
    message: str
    errors: list[Any]
    body: Any


@dataclass
class CodeloadRecord:
    """One request the codeload server answered."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]
    had_authorization: bool
    status: int


def _counter(start: int) -> Iterator[int]:
    return itertools.count(start)


@dataclass
class State:
    """Everything the fake holds; ids of each kind come from their own range."""

    users: dict[str, User] = field(default_factory=dict)
    apps: dict[int, App] = field(default_factory=dict)
    installations: dict[int, Installation] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    repos: dict[str, Repo] = field(default_factory=dict)
    """Keyed by lower-case full name."""
    pulls: dict[tuple[str, int], PullRequest] = field(default_factory=dict)
    check_runs: dict[int, CheckRun] = field(default_factory=dict)
    check_suites: dict[tuple[str, int, str], int] = field(default_factory=dict)
    reviews: dict[int, Review] = field(default_factory=dict)
    review_comments: dict[int, ReviewComment] = field(default_factory=dict)
    issue_comments: dict[int, IssueComment] = field(default_factory=dict)
    reactions: dict[int, Reaction] = field(default_factory=dict)
    manifest_codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    _ids: dict[str, Iterator[int]] = field(default_factory=dict)

    _ID_BASES = {  # noqa: RUF012  (a class-level constant table)
        "user": 9_000_001,
        "repo": 7_000_001,
        "pull": 10_000_001,
        "review_comment": 1_000_001,
        "issue_comment": 2_000_001,
        "review": 3_000_001,
        "check_run": 4_000_001,
        "check_suite": 5_000_001,
        "reaction": 6_000_001,
        "installation": 8_000_001,
        "app": 100_001,
    }

    def next_id(self, kind: str) -> int:
        if kind not in self._ids:
            self._ids[kind] = _counter(self._ID_BASES[kind])
        return next(self._ids[kind])

    def user(self, login: str, kind: Literal["User", "Bot", "Organization"] = "User") -> User:
        """The user called ``login``, created on first mention."""
        key = login.lower()
        if key not in self.users:
            if login.endswith("[bot]"):
                kind = "Bot"
            self.users[key] = User(login=login, id=self.next_id("user"), type=kind)
        return self.users[key]

    def repo(self, name: str | Repo) -> Repo:
        key = name.key if isinstance(name, Repo) else name.lower()
        if key not in self.repos:
            raise KeyError(f"no repository {name!r} in the fake; add it with gh.add_repo()")
        return self.repos[key]

    def pull(self, repo: str | Repo, number: int) -> PullRequest:
        key = (self.repo(repo).key, number)
        if key not in self.pulls:
            raise KeyError(f"no pull request #{number} in {repo!r}")
        return self.pulls[key]

    def installation_for(self, repo: Repo) -> Installation | None:
        for installation in self.installations.values():
            if repo.key in installation.repositories:
                return installation
        return None

    def check_suite_id(self, repo: Repo, app_id: int, head_sha: str) -> int:
        key = (repo.key, app_id, head_sha)
        if key not in self.check_suites:
            self.check_suites[key] = self.next_id("check_suite")
        return self.check_suites[key]

    # -- commits and pull requests -------------------------------------------------------

    def commit(
        self,
        repo: Repo,
        files: Mapping[str, bytes | str],
        *,
        parent: str | None = None,
        branch: str | None = None,
        message: str = "commit",
        sha: str | None = None,
    ) -> str:
        """Record a commit with exactly ``files``; moves ``branch`` to it when given."""
        content = {path: as_bytes(data) for path, data in files.items()}
        if sha is None:
            digest = hashlib.sha1(usedforsecurity=False)
            digest.update(f"{repo.key}\0{parent or ''}\0{message}\0".encode())
            for path in sorted(content):
                digest.update(f"{path}\0{blob_sha(content[path])}\0".encode())
            sha = digest.hexdigest()
        repo.commits[sha] = Commit(sha, content, [parent] if parent else [], message)
        if branch is not None:
            repo.branches[branch] = sha
        return sha

    def set_pull_head(self, pull: PullRequest, head_sha: str, diff: str | None = None) -> None:
        """Point ``pull`` at ``head_sha``; its diff is ``diff`` or base..head of the files."""
        repo = pull.repo
        if diff is None:
            base = repo.commits[pull.base_sha].files
            head = repo.commits[head_sha].files
            diff = unified_diff(base, head)
        pull.head_sha = head_sha
        pull.diff = ParsedDiff.parse(diff)
        pull.diffs[head_sha] = pull.diff
        pull.commit_shas.append(head_sha)
        pull.head_repo.branches[pull.head_ref] = head_sha
