"""Setting a scenario up: apps, installations, repositories, commits, pull requests, people.

Everything a test arranges before the app runs, and the credentials it may need directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any, Literal

from tests.fake_github import rules
from tests.fake_github.auth import default_key_pair, public_key_of, sign_app_jwt
from tests.fake_github.config import FakeBase
from tests.fake_github.diffs import ParsedDiff, as_bytes
from tests.fake_github.state import (
    DEFAULT_PERMISSIONS,
    App,
    Installation,
    IssueComment,
    PullRequest,
    Repo,
    Review,
    ReviewComment,
    Token,
)

DEFAULT_EVENTS = [
    "check_run",
    "check_suite",
    "issue_comment",
    "pull_request",
    "pull_request_review",
    "pull_request_review_comment",
]


class ScenarioMixin(FakeBase):
    """``gh.add_repo(...)``, ``gh.add_pull(...)``, ``gh.push(...)``... on the fake's state."""

    # -- apps, installations, repositories -----------------------------------------------------

    @property
    def app(self) -> App:
        """The only app (created on first use when none was added)."""
        if not self.state.apps:
            return self.add_app()
        if len(self.state.apps) > 1:
            raise ValueError("several apps in the fake: pass the one you mean")
        return next(iter(self.state.apps.values()))

    def _app(self, app: App | int | None) -> App:
        if app is None:
            return self.app
        return self.state.apps[app] if isinstance(app, int) else app

    def add_app(
        self,
        *,
        app_id: int | None = None,
        slug: str = "archreview",
        name: str | None = None,
        owner: str = "archreview-dev",
        private_key_pem: str | None = None,
        permissions: Mapping[str, str] | None = None,
        events: Iterable[str] | None = None,
        webhook_secret: str | None = "test-webhook-secret",  # noqa: S107  (a test secret)
    ) -> App:
        """Register a GitHub App; its key pair is shared by the test process unless given."""
        if private_key_pem is None:
            private_key_pem, public = default_key_pair()
        else:
            public = public_key_of(private_key_pem)
        app_id = app_id if app_id is not None else self.state.next_id("app")
        app = App(
            id=app_id,
            slug=slug,
            name=name or slug,
            owner=self.state.user(owner, "Organization"),
            bot=self.state.user(f"{slug}[bot]", "Bot"),
            client_id=f"Iv1.{app_id:016x}",
            private_key_pem=private_key_pem,
            public_key_pem=public,
            permissions=dict(permissions or DEFAULT_PERMISSIONS),
            events=list(events if events is not None else DEFAULT_EVENTS),
            webhook_secret=webhook_secret,
            created_at=self.now(),
        )
        self.state.apps[app.id] = app
        return app

    def add_installation(
        self,
        account: str,
        *,
        app: App | int | None = None,
        installation_id: int | None = None,
        repos: Iterable[str | Repo] = (),
        permissions: Mapping[str, str] | None = None,
        selection: Literal["all", "selected"] = "selected",
    ) -> Installation:
        """Install ``app`` on ``account`` for ``repos`` (full names or ``Repo`` objects)."""
        owner = self.state.user(account, "Organization")
        installation = Installation(
            id=installation_id
            if installation_id is not None
            else self.state.next_id("installation"),
            app_id=self._app(app).id,
            account=owner,
            repositories={r.key if isinstance(r, Repo) else r.lower() for r in repos},
            permissions=dict(permissions or DEFAULT_PERMISSIONS),
            selection=selection,
            created_at=self.now(),
        )
        self.state.installations[installation.id] = installation
        return installation

    def installation(self, repo: str | Repo) -> Installation:
        found = self.state.installation_for(self.state.repo(repo))
        if found is None:
            raise KeyError(f"{repo!r} has no installation")
        return found

    def add_repo(
        self,
        full_name: str,
        files: Mapping[str, bytes | str] | None = None,
        *,
        default_branch: str = "main",
        private: bool = True,
        installation: Installation | int | None = None,
        install: bool = True,
        collaborators: Mapping[str, str] | None = None,
    ) -> Repo:
        """A repository whose default branch holds ``files``; the app is installed on it
        (through ``installation``, the owner's existing one, or a new one) unless ``install``
        is false."""
        owner_login, name = full_name.split("/", 1)
        owner = self.state.user(owner_login, "Organization")
        repo = Repo(
            id=self.state.next_id("repo"),
            owner=owner,
            name=name,
            default_branch=default_branch,
            private=private,
            created_at=self.now(),
        )
        self.state.repos[repo.key] = repo
        self.state.commit(repo, files or {}, branch=default_branch, message="initial commit")
        for login, role in (collaborators or {}).items():
            self.set_permission(repo, login, role)
        if install:
            self._install(repo, installation)
        return repo

    def _install(self, repo: Repo, installation: Installation | int | None) -> None:
        if isinstance(installation, int):
            installation = self.state.installations[installation]
        if installation is None:
            app = self.app
            for candidate in self.state.installations.values():
                if candidate.app_id == app.id and candidate.account is repo.owner:
                    installation = candidate
                    break
            else:
                installation = self.add_installation(repo.owner.login, app=app)
        installation.repositories.add(repo.key)

    def set_permission(self, repo: str | Repo, login: str, role: str) -> None:
        """``role``: ``admin``, ``maintain``, ``write``, ``triage``, ``read`` or ``none``."""
        if role not in ("admin", "maintain", "write", "triage", "read", "none"):
            raise ValueError(f"unknown role {role!r}")
        self.state.user(login)
        self.state.repo(repo).collaborators[login.lower()] = role

    def add_commit(
        self,
        repo: str | Repo,
        files: Mapping[str, bytes | str] | None = None,
        *,
        changes: Mapping[str, bytes | str | None] | None = None,
        branch: str | None = None,
        parent: str | None = None,
        message: str = "commit",
    ) -> str:
        """A commit holding ``files``, or its parent's files with ``changes`` (``None``
        deletes a path); moves ``branch`` to it. Returns its SHA."""
        repo = self.state.repo(repo)
        if parent is None:
            parent = repo.branches.get(branch or repo.default_branch)
        tree = self._tree(repo, parent, files, changes)
        return self.state.commit(repo, tree, parent=parent, branch=branch, message=message)

    def _tree(
        self,
        repo: Repo,
        parent: str | None,
        files: Mapping[str, bytes | str] | None,
        changes: Mapping[str, bytes | str | None] | None,
    ) -> dict[str, bytes]:
        if files is not None:
            return {path: as_bytes(data) for path, data in files.items()}
        tree = dict(repo.commits[parent].files) if parent else {}
        for path, data in (changes or {}).items():
            if data is None:
                tree.pop(path, None)
            else:
                tree[path] = as_bytes(data)
        return tree

    def set_tarball(self, repo: str | Repo, ref: str, data: bytes) -> None:
        """Serve ``data`` as the tarball of ``ref`` (e.g. a hostile archive)."""
        repo = self.state.repo(repo)
        sha = repo.resolve(ref)
        if sha is None:
            raise KeyError(f"{ref!r} names no commit of {repo.full_name}")
        repo.tarballs[sha] = data

    # -- pull requests -------------------------------------------------------------------------

    def add_pull(
        self,
        repo: str | Repo,
        *,
        changes: Mapping[str, bytes | str | None] | None = None,
        head_files: Mapping[str, bytes | str] | None = None,
        base_files: Mapping[str, bytes | str] | None = None,
        diff: str | None = None,
        number: int | None = None,
        author: str = "octocat",
        title: str = "Change the service",
        body: str | None = "",
        draft: bool = False,
        head_ref: str = "feature",
        base_ref: str | None = None,
        fork_owner: str | None = None,
        head_sha: str | None = None,
    ) -> PullRequest:
        """Open a pull request. The base is ``base_files`` (committed on ``base_ref``) or the
        branch as it is; the head holds ``head_files``, or the base with ``changes``. Its diff is
        ``diff`` or computed from the two trees. ``fork_owner`` makes the head a fork's branch."""
        repo = self.state.repo(repo)
        base_ref = base_ref or repo.default_branch
        if base_files is not None:
            base_sha = self.add_commit(repo, base_files, branch=base_ref, message="base")
        else:
            base_sha = repo.branches[base_ref]
        tree = self._tree(repo, base_sha, head_files, changes)
        head_sha = self.state.commit(repo, tree, parent=base_sha, message=title, sha=head_sha)
        head_repo = repo
        if fork_owner is not None:
            head_repo = self._fork(repo, fork_owner)
        numbers = [n for (key, n) in self.state.pulls if key == repo.key]
        number = number if number is not None else max(numbers, default=0) + 1
        now = self.now()
        pull = PullRequest(
            id=self.state.next_id("pull"),
            number=number,
            repo=repo,
            title=title,
            body=body,
            author=self.state.user(author),
            head_ref=head_ref,
            head_sha=head_sha,
            base_ref=base_ref,
            base_sha=base_sha,
            diff=ParsedDiff.parse(""),
            head_repo=head_repo,
            draft=draft,
            created_at=now,
            updated_at=now,
        )
        self.state.set_pull_head(pull, head_sha, diff)
        self.state.pulls[(repo.key, number)] = pull
        return pull

    def _fork(self, repo: Repo, owner: str) -> Repo:
        key = f"{owner}/{repo.name}".lower()
        if key not in self.state.repos:
            fork = Repo(
                id=self.state.next_id("repo"),
                owner=self.state.user(owner),
                name=repo.name,
                default_branch=repo.default_branch,
                private=repo.private,
                fork=True,
                commits=repo.commits,  # a fork's commits are reachable from its parent
                created_at=self.now(),
            )
            self.state.repos[key] = fork
        return self.state.repos[key]

    def push(
        self,
        pull: PullRequest,
        *,
        changes: Mapping[str, bytes | str | None] | None = None,
        files: Mapping[str, bytes | str] | None = None,
        diff: str | None = None,
        sha: str | None = None,
    ) -> str:
        """Push a commit on the pull request's head (``synchronize``); returns the new SHA."""
        tree = self._tree(pull.repo, pull.head_sha, files, changes)
        new_sha = self.state.commit(
            pull.repo, tree, parent=pull.head_sha, message=f"push {len(pull.commit_shas)}", sha=sha
        )
        self.state.set_pull_head(pull, new_sha, diff)
        pull.updated_at = self.now()
        return new_sha

    def pull(self, repo: str | Repo, number: int) -> PullRequest:
        return self.state.pull(repo, number)

    # -- what people wrote ---------------------------------------------------------------------

    def add_issue_comment(
        self, pull: PullRequest, body: str, *, user: str = "octocat"
    ) -> IssueComment:
        """A comment a person wrote on the pull request's conversation."""
        now = self.now()
        comment = IssueComment(
            id=self.state.next_id("issue_comment"),
            repo=pull.repo,
            issue_number=pull.number,
            user=self.state.user(user),
            body=body,
            created_at=now,
            updated_at=now,
        )
        self.state.issue_comments[comment.id] = comment
        return comment

    def add_review_comment(
        self,
        pull: PullRequest,
        body: str,
        *,
        path: str | None = None,
        line: int | None = None,
        side: str = "RIGHT",
        user: str = "octocat",
        in_reply_to: ReviewComment | int | None = None,
    ) -> ReviewComment:
        """A review comment a person wrote: on ``path``/``line`` (which must be in the diff) or
        as a reply to a thread."""
        author = self.state.user(user)
        now = self.now()
        review = Review(
            id=self.state.next_id("review"),
            repo=pull.repo,
            pull_number=pull.number,
            user=author,
            body="",
            state="COMMENTED",
            commit_id=pull.head_sha,
            submitted_at=now,
        )
        if in_reply_to is not None:
            parent_id = in_reply_to.id if isinstance(in_reply_to, ReviewComment) else in_reply_to
            parent = self.state.review_comments[parent_id]
            comment = replace(
                parent,
                id=self.state.next_id("review_comment"),
                review_id=review.id,
                user=author,
                body=body,
                in_reply_to_id=parent.in_reply_to_id or parent.id,
                created_at=now,
                updated_at=now,
            )
        else:
            wanted = {"path": path, "line": line, "side": side}
            try:
                placement = rules.place_comment(pull.diff, wanted)
            except rules.PlacementError as error:
                raise ValueError(f"GitHub would refuse this comment: {error.detail}") from None
            assert placement.anchor is not None
            comment = ReviewComment(
                id=self.state.next_id("review_comment"),
                repo=pull.repo,
                pull_number=pull.number,
                review_id=review.id,
                user=author,
                body=body,
                path=placement.file.path,
                commit_id=pull.head_sha,
                diff_hunk=placement.file.diff_hunk(placement.anchor),
                line=placement.line,
                side=placement.side,
                position=placement.anchor.position,
                created_at=now,
                updated_at=now,
            )
        self.state.reviews[review.id] = review
        self.state.review_comments[comment.id] = comment
        return comment

    def add_manifest_code(self, code: str, manifest: Mapping[str, Any] | None = None) -> None:
        """A one-time code the app-manifest flow hands out, redeemable at
        ``POST /app-manifests/{code}/conversions``."""
        self.state.manifest_codes[code] = dict(manifest or {"name": "archreview"})

    # -- credentials ---------------------------------------------------------------------------

    def app_jwt(
        self, app: App | int | None = None, *, issued_ago: int = 60, lifetime: int = 600
    ) -> str:
        """A JWT for ``app`` as GitHub recommends building it, on GitHub's clock."""
        return sign_app_jwt(self._app(app), self.now(), issued_ago=issued_ago, lifetime=lifetime)

    def issue_token(self, installation: Installation | int | None = None) -> str:
        """An installation token, as if the app had asked for one."""
        if installation is None:
            installation = next(iter(self.state.installations.values()))
        elif isinstance(installation, int):
            installation = self.state.installations[installation]
        token = Token(
            token=f"ghs_test{len(self.state.tokens):032d}",
            installation_id=installation.id,
            expires_at=self.now() + self.config.token_lifetime,
            permissions=dict(installation.permissions),
        )
        self.state.tokens[token.token] = token
        return token.token

    def expire_tokens(self, installation: Installation | int | None = None) -> int:
        """Expire the live tokens (of ``installation``) now; returns how many."""
        wanted = installation.id if isinstance(installation, Installation) else installation
        expired = 0
        for token in self.state.tokens.values():
            if wanted is None or token.installation_id == wanted:
                if token.expires_at > self.now():
                    expired += 1
                token.expires_at = min(token.expires_at, self.now() - 1)
        return expired
