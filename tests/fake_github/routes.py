"""The REST operations the fake serves: path, operationId, credentials and permissions.

``path`` is the operation's key in ``rest-api-subset.json`` (its schemas are found with it),
``pattern`` the aiohttp route, ``needs`` the installation permissions (any one suffices).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Auth = Literal["none", "jwt", "token"]
Needs = tuple[tuple[str, str], ...]

READ_PULLS: Needs = (("pull_requests", "read"),)
WRITE_PULLS: Needs = (("pull_requests", "write"),)
READ_CONTENTS: Needs = (("contents", "read"),)
READ_CHECKS: Needs = (("checks", "read"),)
WRITE_CHECKS: Needs = (("checks", "write"),)
READ_ISSUES: Needs = (("issues", "read"), ("pull_requests", "read"))
WRITE_ISSUES: Needs = (("issues", "write"), ("pull_requests", "write"))
READ_METADATA: Needs = (("metadata", "read"),)

_D = "https://docs.github.com/rest"


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: str
    """The OpenAPI path, the key of the operation in ``rest-api-subset.json``."""
    pattern: str
    operation: str
    auth: Auth
    needs: Needs = ()
    resource: str = ""
    docs: str = _D
    simple_errors: bool = False
    """The operation documents its 422 errors as strings (``Validation Error Simple``)."""
    handler: str = ""
    """The ``Api`` method answering it, ``_<name>`` unless given."""
    required: tuple[str, ...] = ()
    """Body fields the request schema requires (strings), checked even without the schemas."""


R = "/repos/{owner}/{repo}"
PN = "{pull_number:\\d+}"
CID = "{comment_id:\\d+}"
ROUTES: tuple[Route, ...] = (
    Route("get_app", "GET", "/app", "/app", "apps/get-authenticated", "jwt",
          docs=f"{_D}/apps/apps#get-the-authenticated-app"),
    Route("create_token", "POST", "/app/installations/{installation_id}/access_tokens",
          "/app/installations/{installation_id:\\d+}/access_tokens",
          "apps/create-installation-access-token", "jwt", resource="Installation",
          docs=f"{_D}/apps/apps#create-an-installation-access-token-for-an-app"),
    Route("get_repo_installation", "GET", f"{R}/installation", f"{R}/installation",
          "apps/get-repo-installation", "jwt",
          docs=f"{_D}/apps/apps#get-a-repository-installation-for-the-authenticated-app"),
    Route("convert_manifest", "POST", "/app-manifests/{code}/conversions",
          "/app-manifests/{code}/conversions", "apps/create-from-manifest", "none",
          simple_errors=True, docs=f"{_D}/apps/apps#create-a-github-app-from-a-manifest"),
    Route("get_repo", "GET", R, R, "repos/get", "token", READ_METADATA,
          docs=f"{_D}/repos/repos#get-a-repository"),
    Route("get_pull", "GET", f"{R}/pulls/{{pull_number}}", f"{R}/pulls/{PN}", "pulls/get",
          "token", READ_PULLS, docs=f"{_D}/pulls/pulls#get-a-pull-request"),
    Route("list_files", "GET", f"{R}/pulls/{{pull_number}}/files", f"{R}/pulls/{PN}/files",
          "pulls/list-files", "token", READ_PULLS,
          docs=f"{_D}/pulls/pulls#list-pull-requests-files"),
    Route("tarball", "GET", f"{R}/tarball/{{ref}}", f"{R}/tarball/{{ref:.+}}",
          "repos/download-tarball-archive", "token", READ_CONTENTS,
          docs=f"{_D}/repos/contents#download-a-repository-archive-tar"),
    Route("tarball_default", "GET", f"{R}/tarball/{{ref}}", f"{R}/tarball",
          "repos/download-tarball-archive", "token", READ_CONTENTS, handler="tarball",
          docs=f"{_D}/repos/contents#download-a-repository-archive-tar"),
    Route("contents", "GET", f"{R}/contents/{{path}}", f"{R}/contents/{{path:.*}}",
          "repos/get-content", "token", READ_CONTENTS,
          docs=f"{_D}/repos/contents#get-repository-content"),
    Route("contents_root", "GET", f"{R}/contents/{{path}}", f"{R}/contents",
          "repos/get-content", "token", READ_CONTENTS, handler="contents",
          docs=f"{_D}/repos/contents#get-repository-content"),
    Route("create_check_run", "POST", f"{R}/check-runs", f"{R}/check-runs", "checks/create",
          "token", WRITE_CHECKS, resource="CheckRun",
          required=("name", "head_sha"),
          docs=f"{_D}/checks/runs#create-a-check-run"),
    Route("get_check_run", "GET", f"{R}/check-runs/{{check_run_id}}",
          f"{R}/check-runs/{{check_run_id:\\d+}}", "checks/get", "token", READ_CHECKS,
          docs=f"{_D}/checks/runs#get-a-check-run"),
    Route("update_check_run", "PATCH", f"{R}/check-runs/{{check_run_id}}",
          f"{R}/check-runs/{{check_run_id:\\d+}}", "checks/update", "token", WRITE_CHECKS,
          resource="CheckRun", docs=f"{_D}/checks/runs#update-a-check-run"),
    Route("list_annotations", "GET", f"{R}/check-runs/{{check_run_id}}/annotations",
          f"{R}/check-runs/{{check_run_id:\\d+}}/annotations", "checks/list-annotations",
          "token", READ_CHECKS, docs=f"{_D}/checks/runs#list-check-run-annotations"),
    Route("list_check_runs", "GET", f"{R}/commits/{{ref}}/check-runs",
          f"{R}/commits/{{ref:.+}}/check-runs", "checks/list-for-ref", "token", READ_CHECKS,
          docs=f"{_D}/checks/runs#list-check-runs-for-a-git-reference"),
    Route("list_reviews", "GET", f"{R}/pulls/{{pull_number}}/reviews",
          f"{R}/pulls/{PN}/reviews", "pulls/list-reviews", "token", READ_PULLS,
          docs=f"{_D}/pulls/reviews#list-reviews-for-a-pull-request"),
    Route("create_review", "POST", f"{R}/pulls/{{pull_number}}/reviews",
          f"{R}/pulls/{PN}/reviews", "pulls/create-review", "token", WRITE_PULLS,
          resource="PullRequestReview", simple_errors=True,
          docs=f"{_D}/pulls/reviews#create-a-review-for-a-pull-request"),
    Route("list_review_comments", "GET", f"{R}/pulls/{{pull_number}}/comments",
          f"{R}/pulls/{PN}/comments", "pulls/list-review-comments", "token", READ_PULLS,
          docs=f"{_D}/pulls/comments#list-review-comments-on-a-pull-request"),
    Route("create_review_comment", "POST", f"{R}/pulls/{{pull_number}}/comments",
          f"{R}/pulls/{PN}/comments", "pulls/create-review-comment", "token", WRITE_PULLS,
          resource="PullRequestReviewComment",
          required=("body", "commit_id", "path"),
          docs=f"{_D}/pulls/comments#create-a-review-comment-for-a-pull-request"),
    Route("reply_review_comment", "POST",
          f"{R}/pulls/{{pull_number}}/comments/{{comment_id}}/replies",
          f"{R}/pulls/{PN}/comments/{CID}/replies", "pulls/create-reply-for-review-comment",
          "token", WRITE_PULLS, resource="PullRequestReviewComment",
          required=("body",),
          docs=f"{_D}/pulls/comments#create-a-reply-for-a-review-comment"),
    Route("get_review_comment", "GET", f"{R}/pulls/comments/{{comment_id}}",
          f"{R}/pulls/comments/{CID}", "pulls/get-review-comment", "token", READ_PULLS,
          docs=f"{_D}/pulls/comments#get-a-review-comment-for-a-pull-request"),
    Route("update_review_comment", "PATCH", f"{R}/pulls/comments/{{comment_id}}",
          f"{R}/pulls/comments/{CID}", "pulls/update-review-comment", "token", WRITE_PULLS,
          resource="PullRequestReviewComment",
          required=("body",),
          docs=f"{_D}/pulls/comments#update-a-review-comment-for-a-pull-request"),
    Route("delete_review_comment", "DELETE", f"{R}/pulls/comments/{{comment_id}}",
          f"{R}/pulls/comments/{CID}", "pulls/delete-review-comment", "token", WRITE_PULLS,
          docs=f"{_D}/pulls/comments#delete-a-review-comment-for-a-pull-request"),
    Route("react_review_comment", "POST", f"{R}/pulls/comments/{{comment_id}}/reactions",
          f"{R}/pulls/comments/{CID}/reactions",
          "reactions/create-for-pull-request-review-comment", "token", WRITE_PULLS,
          resource="Reaction",
          required=("content",),
          docs=f"{_D}/reactions/reactions#create-reaction-for-a-pull-request-review-comment"),
    Route("list_issue_comments", "GET", f"{R}/issues/{{issue_number}}/comments",
          f"{R}/issues/{{issue_number:\\d+}}/comments", "issues/list-comments", "token",
          READ_ISSUES, docs=f"{_D}/issues/comments#list-issue-comments"),
    Route("create_issue_comment", "POST", f"{R}/issues/{{issue_number}}/comments",
          f"{R}/issues/{{issue_number:\\d+}}/comments", "issues/create-comment", "token",
          WRITE_ISSUES, resource="IssueComment",
          required=("body",),
          docs=f"{_D}/issues/comments#create-an-issue-comment"),
    Route("get_issue_comment", "GET", f"{R}/issues/comments/{{comment_id}}",
          f"{R}/issues/comments/{CID}", "issues/get-comment", "token", READ_ISSUES,
          docs=f"{_D}/issues/comments#get-an-issue-comment"),
    Route("update_issue_comment", "PATCH", f"{R}/issues/comments/{{comment_id}}",
          f"{R}/issues/comments/{CID}", "issues/update-comment", "token", WRITE_ISSUES,
          resource="IssueComment", required=("body",),
          docs=f"{_D}/issues/comments#update-an-issue-comment"),
    Route("delete_issue_comment", "DELETE", f"{R}/issues/comments/{{comment_id}}",
          f"{R}/issues/comments/{CID}", "issues/delete-comment", "token", WRITE_ISSUES,
          docs=f"{_D}/issues/comments#delete-an-issue-comment"),
    Route("react_issue_comment", "POST", f"{R}/issues/comments/{{comment_id}}/reactions",
          f"{R}/issues/comments/{CID}/reactions", "reactions/create-for-issue-comment",
          "token", WRITE_ISSUES, resource="Reaction",
          required=("content",),
          docs=f"{_D}/reactions/reactions#create-reaction-for-an-issue-comment"),
    Route("collaborator_permission", "GET", f"{R}/collaborators/{{username}}/permission",
          f"{R}/collaborators/{{username}}/permission",
          "repos/get-collaborator-permission-level", "token", READ_METADATA,
          docs=f"{_D}/collaborators/collaborators"
          "#get-repository-permissions-for-a-user"),
    Route("rate_limit", "GET", "/rate_limit", "/rate_limit", "rate-limit/get", "none",
          docs=f"{_D}/rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user"),
)  # fmt: skip
ROUTES_BY_NAME = {route.name: route for route in ROUTES}
