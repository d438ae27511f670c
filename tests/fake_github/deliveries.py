"""Webhook deliveries about objects of a fake's state (``gh.webhook(...)``)."""

from __future__ import annotations

import json
from typing import Any

from tests.fake_github.config import FakeBase
from tests.fake_github.state import App, CheckRun, IssueComment, PullRequest, Repo, ReviewComment
from tests.fake_github.webhooks import build_payload, deep_merge, delivery_headers, validate_payload

# ``build_payload`` keywords a test may pass to ``gh.webhook`` to override what the state says.
SCENARIO_KEYS = {
    "repo",
    "repo_id",
    "installation_id",
    "number",
    "head_sha",
    "base_sha",
    "head_ref",
    "base_ref",
}


class DeliveryMixin(FakeBase):
    """Signed deliveries whose repository, installation, pull request, comment or check run
    come from the state."""

    def webhook(
        self,
        event: str,
        action: str | None = None,
        *,
        pull: PullRequest | None = None,
        repo: str | Repo | None = None,
        sender: str | None = None,
        comment: IssueComment | ReviewComment | None = None,
        check_run: CheckRun | None = None,
        secret: str | None = None,
        delivery: str | None = None,
        validate: bool = True,
        variant: str | None = None,
        **overrides: Any,
    ) -> tuple[dict[str, str], bytes]:
        """A signed delivery of ``event``/``action`` about objects of this fake's state.

        The repository, installation, pull request (number, SHAs, refs, author, draft), the
        comment or check run are filled in from the state; ``overrides`` are merged last.
        """
        target = pull.repo if pull else (self.state.repo(repo) if repo is not None else None)
        if target is None and comment is not None:
            target = comment.repo
        if target is None and check_run is not None:
            target = check_run.repo
        scenario: dict[str, Any] = {"variant": variant}
        installation = self.state.installation_for(target) if target else None
        if check_run is not None:
            app = self.state.apps[check_run.app_id]
        else:
            app = self.state.apps[installation.app_id] if installation else self.app
        if target is not None:
            scenario.update(repo=target.full_name, repo_id=target.id)
        if installation is not None:
            scenario["installation_id"] = installation.id
        if pull is None and comment is not None:
            number = (
                comment.issue_number if isinstance(comment, IssueComment) else comment.pull_number
            )
            pull = self.state.pulls.get((comment.repo.key, number))
        if pull is not None:
            scenario.update(
                number=pull.number,
                head_sha=pull.head_sha,
                base_sha=pull.base_sha,
                head_ref=pull.head_ref,
                base_ref=pull.base_ref,
            )
        sender = (
            sender
            or (comment.user.login if comment else None)
            or (pull.author.login if pull else None)
        )
        if sender is not None:
            scenario["sender"] = sender
        for name in SCENARIO_KEYS & overrides.keys():
            scenario[name] = overrides.pop(name)
        payload = build_payload(event, action, **scenario)
        deep_merge(
            payload, self._state_overrides(app, pull, comment, check_run), existing_only=True
        )
        if pull is not None and isinstance(payload.get("issue"), dict):
            payload["issue"]["pull_request"] = self._issue_pull_links(pull)
        if isinstance(comment, ReviewComment) and comment.in_reply_to_id is not None:
            payload["comment"]["in_reply_to_id"] = comment.in_reply_to_id
        if target is not None and event in ("installation", "installation_repositories"):
            self._installation_payload(payload, target, app)
        deep_merge(payload, overrides)
        if validate:
            validate_payload(event, action, payload)
        body = json.dumps(payload, separators=(",", ":")).encode()
        key = secret if secret is not None else app.webhook_secret
        if key is None:
            raise ValueError("no webhook secret: pass secret= or give the app one")
        return delivery_headers(event, body, key, delivery=delivery, app_id=app.id), body

    def _installation_payload(self, payload: dict[str, Any], repo: Repo, app: App) -> None:
        installation = payload["installation"]
        installation["account"]["login"] = repo.owner.login
        installation["app_id"] = app.id
        if "app_slug" in installation:
            installation["app_slug"] = app.slug
        listed = [
            {
                "id": repo.id,
                "node_id": self.render.repo(repo)["node_id"],
                "name": repo.name,
                "full_name": repo.full_name,
                "private": repo.private,
            }
        ]
        for key in ("repositories", "repositories_added", "repositories_removed"):
            if payload.get(key):
                payload[key] = listed

    def _issue_pull_links(self, pull: PullRequest) -> dict[str, Any]:
        html = f"https://github.com/{pull.repo.full_name}/pull/{pull.number}"
        return {
            "url": f"{self.url}/repos/{pull.repo.full_name}/pulls/{pull.number}",
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "merged_at": None,
        }

    def _state_overrides(
        self,
        app: App,
        pull: PullRequest | None,
        comment: IssueComment | ReviewComment | None,
        check_run: CheckRun | None,
    ) -> dict[str, Any]:
        """Fields of the payload's objects that the state knows (merged onto existing keys)."""
        overrides: dict[str, Any] = {}
        app_fields = {"id": app.id, "slug": app.slug, "name": app.name}
        if pull is not None:
            rendered = self.render.pull(pull)
            overrides["pull_request"] = {
                key: rendered[key]
                for key in (
                    "id",
                    "title",
                    "body",
                    "draft",
                    "state",
                    "user",
                    "node_id",
                    "head",
                    "base",
                )
            }
            overrides["issue"] = {
                "title": pull.title,
                "body": pull.body,
                "user": rendered["user"],
                "state": pull.state,
            }
        if isinstance(comment, IssueComment):
            overrides["comment"] = self.render.issue_comment(comment)
        elif isinstance(comment, ReviewComment):
            overrides["comment"] = self.render.review_comment(comment)
        if check_run is not None:
            rendered_run = {  # GitHub's payloads carry strings where the REST API has nulls
                key: value
                for key, value in self.render.check_run(check_run).items()
                if value is not None and key != "app"
            }
            rendered_run["external_id"] = check_run.external_id or ""
            overrides["check_run"] = rendered_run
            overrides["check_run"]["app"] = app_fields
            overrides["check_run"]["check_suite"] = {
                "id": check_run.check_suite_id,
                "head_sha": check_run.head_sha,
                "app": app_fields,
            }
        elif pull is not None:
            same_repo = pull.head_repo is pull.repo
            overrides["check_suite"] = {
                "app": app_fields,
                "pull_requests": [self.render.pull_minimal(pull)] if same_repo else [],
            }
        return overrides
