"""JSON bodies shaped as GitHub's REST API answers them, built from the fake's state.

Each function fills every field the response schema in ``rest-api-subset.json`` requires; the
fake's strict mode checks them against it. API URLs point at the fake itself, so a client that
follows ``url`` fields stays inside the test.
"""

from __future__ import annotations

import base64
import time
from collections import Counter
from typing import Any

from tests.fake_github.diffs import FileDiff, blob_sha
from tests.fake_github.state import (
    Annotation,
    App,
    CheckRun,
    Installation,
    IssueComment,
    PullRequest,
    Reaction,
    Repo,
    Review,
    ReviewComment,
    State,
    User,
)

Json = dict[str, Any]

HTML = "https://github.com"
REACTIONS = ("+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes")
# Legacy ``permission`` value of each role, as the collaborator-permission endpoint reports it.
LEGACY_PERMISSION = {
    "admin": "admin",
    "maintain": "write",
    "write": "write",
    "triage": "read",
    "read": "read",
    "none": "none",
}


def iso(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp))


def node_id(kind: str, number: int) -> str:
    return base64.b64encode(f"0:{kind}{number}".encode()).decode().rstrip("=")


class Renderer:
    """Builds response bodies; ``api`` is the fake's base URL (``gh.url``)."""

    def __init__(self, api: str, state: State) -> None:
        self.api = api.rstrip("/")
        self.state = state

    # -- people and apps -----------------------------------------------------------------

    def user(self, user: User) -> Json:
        base = f"{self.api}/users/{user.login}"
        return {
            "login": user.login,
            "id": user.id,
            "node_id": node_id("U", user.id),
            "avatar_url": f"https://avatars.githubusercontent.com/u/{user.id}?v=4",
            "gravatar_id": "",
            "url": base,
            "html_url": f"{HTML}/{user.login}",
            "followers_url": f"{base}/followers",
            "following_url": f"{base}/following{{/other_user}}",
            "gists_url": f"{base}/gists{{/gist_id}}",
            "starred_url": f"{base}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{base}/subscriptions",
            "organizations_url": f"{base}/orgs",
            "repos_url": f"{base}/repos",
            "events_url": f"{base}/events{{/privacy}}",
            "received_events_url": f"{base}/received_events",
            "type": user.type,
            "user_view_type": "public",
            "site_admin": False,
        }

    def app(self, app: App) -> Json:
        return {
            "id": app.id,
            "slug": app.slug,
            "client_id": app.client_id,
            "node_id": node_id("A", app.id),
            "owner": self.user(app.owner),
            "name": app.name,
            "description": "Reviews pull requests against an architecture checklist.",
            "external_url": f"https://{app.slug}.example.com",
            "html_url": f"{HTML}/apps/{app.slug}",
            "created_at": iso(app.created_at),
            "updated_at": iso(app.created_at),
            "permissions": dict(app.permissions),
            "events": list(app.events),
        }

    def installation(self, installation: Installation) -> Json:
        app = self.state.apps[installation.app_id]
        account = installation.account
        return {
            "id": installation.id,
            "account": self.user(account),
            "repository_selection": installation.selection,
            "access_tokens_url": f"{self.api}/app/installations/{installation.id}/access_tokens",
            "repositories_url": f"{self.api}/installation/repositories",
            "html_url": f"{HTML}/settings/installations/{installation.id}",
            "app_id": app.id,
            "app_slug": app.slug,
            "target_id": account.id,
            "target_type": "Organization" if account.type == "Organization" else "User",
            "permissions": dict(installation.permissions),
            "events": list(app.events),
            "created_at": iso(installation.created_at),
            "updated_at": iso(installation.created_at),
            "single_file_name": None,
            "suspended_by": None,
            "suspended_at": None,
        }

    # -- repositories --------------------------------------------------------------------

    def repo(self, repo: Repo) -> Json:
        full = repo.full_name
        base = f"{self.api}/repos/{full}"
        templated = {
            "archive_url": "/{archive_format}{/ref}",
            "assignees_url": "/assignees{/user}",
            "blobs_url": "/git/blobs{/sha}",
            "branches_url": "/branches{/branch}",
            "collaborators_url": "/collaborators{/collaborator}",
            "comments_url": "/comments{/number}",
            "commits_url": "/commits{/sha}",
            "compare_url": "/compare/{base}...{head}",
            "contents_url": "/contents/{+path}",
            "git_commits_url": "/git/commits{/sha}",
            "git_refs_url": "/git/refs{/sha}",
            "git_tags_url": "/git/tags{/sha}",
            "issue_comment_url": "/issues/comments{/number}",
            "issue_events_url": "/issues/events{/number}",
            "issues_url": "/issues{/number}",
            "keys_url": "/keys{/key_id}",
            "labels_url": "/labels{/name}",
            "milestones_url": "/milestones{/number}",
            "notifications_url": "/notifications{?since,all,participating}",
            "pulls_url": "/pulls{/number}",
            "releases_url": "/releases{/id}",
            "statuses_url": "/statuses/{sha}",
            "trees_url": "/git/trees{/sha}",
        }
        plain = (
            "contributors",
            "deployments",
            "downloads",
            "events",
            "forks",
            "hooks",
            "languages",
            "merges",
            "stargazers",
            "subscribers",
            "subscription",
            "tags",
            "teams",
        )
        body: Json = {key: base + suffix for key, suffix in templated.items()}
        body.update({f"{name}_url": f"{base}/{name}" for name in plain})
        created = iso(repo.created_at)
        body.update(
            {
                "id": repo.id,
                "node_id": node_id("R", repo.id),
                "name": repo.name,
                "full_name": full,
                "owner": self.user(repo.owner),
                "private": repo.private,
                "visibility": "private" if repo.private else "public",
                "description": None,
                "fork": repo.fork,
                "url": base,
                "html_url": f"{HTML}/{full}",
                "clone_url": f"{HTML}/{full}.git",
                "git_url": f"git://github.com/{full}.git",
                "ssh_url": f"git@github.com:{full}.git",
                "svn_url": f"{HTML}/{full}",
                "mirror_url": None,
                "homepage": None,
                "language": "Python",
                "default_branch": repo.default_branch,
                "forks": 0,
                "forks_count": 0,
                "stargazers_count": 0,
                "watchers": 0,
                "watchers_count": 0,
                "open_issues": 0,
                "open_issues_count": 0,
                "size": 1,
                "has_downloads": True,
                "has_issues": True,
                "has_projects": False,
                "has_wiki": False,
                "has_pages": False,
                "has_discussions": False,
                "archived": False,
                "disabled": False,
                "license": None,
                "topics": [],
                "pushed_at": created,
                "created_at": created,
                "updated_at": created,
            }
        )
        return body

    def full_repo(self, repo: Repo) -> Json:
        body = self.repo(repo)
        body.update({"network_count": 0, "subscribers_count": 0})
        return body

    # -- pull requests -------------------------------------------------------------------

    def _branch(self, pull: PullRequest, side: str) -> Json:
        repo = pull.head_repo if side == "head" else pull.repo
        ref = pull.head_ref if side == "head" else pull.base_ref
        sha = pull.head_sha if side == "head" else pull.base_sha
        return {
            "label": f"{repo.owner.login}:{ref}",
            "ref": ref,
            "sha": sha,
            "user": self.user(repo.owner),
            "repo": self.repo(repo),
        }

    def pull(self, pull: PullRequest) -> Json:
        full = pull.repo.full_name
        url = f"{self.api}/repos/{full}/pulls/{pull.number}"
        issue = f"{self.api}/repos/{full}/issues/{pull.number}"
        html = f"{HTML}/{full}/pull/{pull.number}"
        statuses = f"{self.api}/repos/{full}/statuses/{pull.head_sha}"
        diff = pull.diff
        comments = sum(
            1
            for c in self.state.issue_comments.values()
            if c.repo is pull.repo and c.issue_number == pull.number
        )
        review_comments = sum(
            1
            for c in self.state.review_comments.values()
            if c.repo is pull.repo and c.pull_number == pull.number
        )
        return {
            "url": url,
            "id": pull.id,
            "node_id": node_id("PR", pull.id),
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "issue_url": issue,
            "commits_url": f"{url}/commits",
            "review_comments_url": f"{url}/comments",
            "review_comment_url": f"{self.api}/repos/{full}/pulls/comments{{/number}}",
            "comments_url": f"{issue}/comments",
            "statuses_url": statuses,
            "number": pull.number,
            "state": pull.state,
            "locked": False,
            "title": pull.title,
            "user": self.user(pull.author),
            "body": pull.body,
            "labels": [],
            "milestone": None,
            "active_lock_reason": None,
            "created_at": iso(pull.created_at),
            "updated_at": iso(pull.updated_at),
            "closed_at": None,
            "merged_at": None,
            "merge_commit_sha": None,
            "assignee": None,
            "assignees": [],
            "requested_reviewers": [],
            "requested_teams": [],
            "head": self._branch(pull, "head"),
            "base": self._branch(pull, "base"),
            "_links": {
                "self": {"href": url},
                "html": {"href": html},
                "issue": {"href": issue},
                "comments": {"href": f"{issue}/comments"},
                "review_comments": {"href": f"{url}/comments"},
                "review_comment": {"href": f"{self.api}/repos/{full}/pulls/comments{{/number}}"},
                "commits": {"href": f"{url}/commits"},
                "statuses": {"href": statuses},
            },
            "author_association": self.association(pull.repo, pull.author),
            "auto_merge": None,
            "draft": pull.draft,
            "merged": False,
            "mergeable": True,
            "rebaseable": True,
            "mergeable_state": "clean",
            "merged_by": None,
            "comments": comments,
            "review_comments": review_comments,
            "maintainer_can_modify": False,
            "commits": len(pull.commit_shas),
            "additions": sum(f.additions for f in diff.files.values()),
            "deletions": sum(f.deletions for f in diff.files.values()),
            "changed_files": len(diff.files),
        }

    def pull_minimal(self, pull: PullRequest) -> Json:
        def side(repo: Repo, ref: str, sha: str) -> Json:
            return {
                "ref": ref,
                "sha": sha,
                "repo": {
                    "id": repo.id,
                    "url": f"{self.api}/repos/{repo.full_name}",
                    "name": repo.name,
                },
            }

        return {
            "id": pull.id,
            "number": pull.number,
            "url": f"{self.api}/repos/{pull.repo.full_name}/pulls/{pull.number}",
            "head": side(pull.head_repo, pull.head_ref, pull.head_sha),
            "base": side(pull.repo, pull.base_ref, pull.base_sha),
        }

    def diff_entry(self, pull: PullRequest, entry: FileDiff, with_patch: bool) -> Json:
        full = pull.repo.full_name
        head_files = pull.repo.commits[pull.head_sha].files
        if entry.path in head_files:
            sha: str | None = blob_sha(head_files[entry.path])
        else:
            sha = entry.blob_sha
        body: Json = {
            "sha": sha,
            "filename": entry.path,
            "status": entry.status,
            "additions": entry.additions,
            "deletions": entry.deletions,
            "changes": entry.changes,
            "blob_url": f"{HTML}/{full}/blob/{pull.head_sha}/{entry.path}",
            "raw_url": f"{HTML}/{full}/raw/{pull.head_sha}/{entry.path}",
            "contents_url": f"{self.api}/repos/{full}/contents/{entry.path}?ref={pull.head_sha}",
        }
        if with_patch and entry.patch:
            body["patch"] = entry.patch
        if entry.previous_path is not None:
            body["previous_filename"] = entry.previous_path
        return body

    # -- checks --------------------------------------------------------------------------

    def check_run(self, run: CheckRun) -> Json:
        full = run.repo.full_name
        url = f"{self.api}/repos/{full}/check-runs/{run.id}"
        pulls = [
            self.pull_minimal(p)
            for p in self.state.pulls.values()
            if p.repo is run.repo and p.head_sha == run.head_sha and p.head_repo is p.repo
        ]
        app = self.state.apps[run.app_id]
        return {
            "id": run.id,
            "node_id": node_id("CR", run.id),
            "head_sha": run.head_sha,
            "external_id": run.external_id,
            "url": url,
            "html_url": f"{HTML}/{full}/runs/{run.id}",
            "details_url": run.details_url or f"https://{app.slug}.example.com",
            "status": run.status,
            "conclusion": run.conclusion,
            "started_at": iso(run.started_at),
            "completed_at": iso(run.completed_at),
            "output": {
                "title": run.output_title,
                "summary": run.output_summary,
                "text": run.output_text,
                "annotations_count": len(run.annotations),
                "annotations_url": f"{url}/annotations",
            },
            "name": run.name,
            "check_suite": {"id": run.check_suite_id},
            "app": self.app(app),
            "pull_requests": pulls,
        }

    def annotation(self, run: CheckRun, annotation: Annotation) -> Json:
        return {
            "path": annotation.path,
            "blob_href": f"{HTML}/{run.repo.full_name}/blob/{run.head_sha}/{annotation.path}",
            "start_line": annotation.start_line,
            "end_line": annotation.end_line,
            "start_column": annotation.start_column,
            "end_column": annotation.end_column,
            "annotation_level": annotation.annotation_level,
            "title": annotation.title,
            "message": annotation.message,
            "raw_details": annotation.raw_details,
        }

    # -- reviews and comments ------------------------------------------------------------

    def association(self, repo: Repo, user: User) -> str:
        if user.type == "Bot":
            return "NONE"
        if user.login.lower() == repo.owner.login.lower():
            return "OWNER"
        if repo.collaborators.get(user.login.lower(), "none") != "none":
            return "COLLABORATOR"
        return "NONE"

    def reactions(self, subject: str, subject_id: int, url: str) -> Json:
        counts = Counter(
            r.content
            for r in self.state.reactions.values()
            if r.subject == subject and r.subject_id == subject_id
        )
        body: Json = {"url": f"{url}/reactions", "total_count": sum(counts.values())}
        body.update({content: counts.get(content, 0) for content in REACTIONS})
        return body

    def review(self, review: Review) -> Json:
        full = review.repo.full_name
        pull_url = f"{self.api}/repos/{full}/pulls/{review.pull_number}"
        html = f"{HTML}/{full}/pull/{review.pull_number}#pullrequestreview-{review.id}"
        body: Json = {
            "id": review.id,
            "node_id": node_id("PRR", review.id),
            "user": self.user(review.user),
            "body": review.body,
            "state": review.state,
            "html_url": html,
            "pull_request_url": pull_url,
            "_links": {"html": {"href": html}, "pull_request": {"href": pull_url}},
            "commit_id": review.commit_id,
            "author_association": self.association(review.repo, review.user),
        }
        if review.submitted_at is not None:
            body["submitted_at"] = iso(review.submitted_at)
        return body

    def review_comment(self, comment: ReviewComment) -> Json:
        full = comment.repo.full_name
        url = f"{self.api}/repos/{full}/pulls/comments/{comment.id}"
        pull_url = f"{self.api}/repos/{full}/pulls/{comment.pull_number}"
        html = f"{HTML}/{full}/pull/{comment.pull_number}#discussion_r{comment.id}"
        body: Json = {
            "url": url,
            "pull_request_review_id": comment.review_id,
            "id": comment.id,
            "node_id": node_id("PRRC", comment.id),
            "diff_hunk": comment.diff_hunk,
            "path": comment.path,
            "commit_id": comment.commit_id,
            "original_commit_id": comment.commit_id,
            "user": self.user(comment.user),
            "body": comment.body,
            "created_at": iso(comment.created_at),
            "updated_at": iso(comment.updated_at),
            "html_url": html,
            "pull_request_url": pull_url,
            "author_association": self.association(comment.repo, comment.user),
            "_links": {
                "self": {"href": url},
                "html": {"href": html},
                "pull_request": {"href": pull_url},
            },
            "start_line": comment.start_line,
            "original_start_line": comment.start_line,
            "start_side": comment.start_side if comment.start_line is not None else None,
            "side": comment.side,
            "subject_type": comment.subject_type,
            "reactions": self.reactions("review_comment", comment.id, url),
        }
        if comment.line is not None:
            body["line"] = comment.line
            body["original_line"] = comment.line
        if comment.position is not None:
            body["position"] = comment.position
            body["original_position"] = comment.position
        if comment.in_reply_to_id is not None:
            body["in_reply_to_id"] = comment.in_reply_to_id
        return body

    def issue_comment(self, comment: IssueComment) -> Json:
        full = comment.repo.full_name
        url = f"{self.api}/repos/{full}/issues/comments/{comment.id}"
        app = self.state.apps.get(comment.via_app_id) if comment.via_app_id else None
        return {
            "id": comment.id,
            "node_id": node_id("IC", comment.id),
            "url": url,
            "html_url": f"{HTML}/{full}/pull/{comment.issue_number}#issuecomment-{comment.id}",
            "body": comment.body,
            "user": self.user(comment.user),
            "created_at": iso(comment.created_at),
            "updated_at": iso(comment.updated_at),
            "issue_url": f"{self.api}/repos/{full}/issues/{comment.issue_number}",
            "author_association": self.association(comment.repo, comment.user),
            "performed_via_github_app": self.app(app) if app else None,
            "reactions": self.reactions("issue_comment", comment.id, url),
        }

    def reaction(self, reaction: Reaction) -> Json:
        return {
            "id": reaction.id,
            "node_id": node_id("REA", reaction.id),
            "user": self.user(reaction.user),
            "content": reaction.content,
            "created_at": iso(reaction.created_at),
        }

    # -- contents ------------------------------------------------------------------------

    def _content_links(self, repo: Repo, path: str, ref: str, sha: str, kind: str) -> Json:
        full = repo.full_name
        url = f"{self.api}/repos/{full}/contents/{path}?ref={ref}"
        git = f"{self.api}/repos/{full}/git/{'blobs' if kind == 'file' else 'trees'}/{sha}"
        html = f"{HTML}/{full}/{'blob' if kind == 'file' else 'tree'}/{ref}/{path}"
        return {
            "url": url,
            "git_url": git,
            "html_url": html,
            "_links": {"self": url, "git": git, "html": html},
        }

    def content_file(self, repo: Repo, path: str, ref: str, data: bytes, max_size: int) -> Json:
        sha = blob_sha(data)
        body: Json = {
            "type": "file",
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "sha": sha,
            "size": len(data),
            "download_url": f"https://raw.githubusercontent.com/{repo.full_name}/{ref}/{path}",
        }
        body.update(self._content_links(repo, path, ref, sha, "file"))
        if len(data) > max_size:  # GitHub leaves big files out of the JSON form
            body.update({"content": "", "encoding": "none"})
        else:
            encoded = base64.b64encode(data).decode()
            lines = [encoded[i : i + 60] for i in range(0, len(encoded), 60)]
            body.update({"content": "\n".join(lines) + "\n", "encoding": "base64"})
        return body

    def content_entry(self, repo: Repo, path: str, ref: str, data: bytes | None) -> Json:
        """One item of a directory listing: a file (``data``) or a sub-directory (``None``)."""
        kind = "file" if data is not None else "dir"
        sha = blob_sha(data) if data is not None else blob_sha(path.encode())
        body: Json = {
            "type": kind,
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "sha": sha,
            "size": len(data) if data is not None else 0,
            "download_url": (
                f"https://raw.githubusercontent.com/{repo.full_name}/{ref}/{path}"
                if data is not None
                else None
            ),
        }
        body.update(self._content_links(repo, path, ref, sha, kind))
        return body

    def permission(self, repo: Repo, user: User, role: str) -> Json:
        collaborator = self.user(user)
        collaborator["role_name"] = role
        return {
            "permission": LEGACY_PERMISSION[role],
            "role_name": role,
            "user": collaborator,
        }
