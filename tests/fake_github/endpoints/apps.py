"""Apps and access: the app itself, installation tokens, the manifest flow, permissions."""

from __future__ import annotations

import secrets
from typing import Any

from tests.fake_github import auth
from tests.fake_github.errors import ApiError, not_found
from tests.fake_github.pipeline import Call, Pipeline, Reply, permission_level
from tests.fake_github.render import iso
from tests.fake_github.state import PERMISSION_LEVELS, Installation, Token


class AppEndpoints(Pipeline):
    """GET /app, tokens, repository installation, manifest, rate limit, roles."""

    def _get_app(self, call: Call) -> Reply:
        assert call.app is not None
        return Reply(200, self.render.app(call.app))

    def _create_token(self, call: Call) -> Reply:
        assert call.app is not None
        installation = self.state.installations.get(call.int_param("installation_id"))
        if installation is None or installation.app_id != call.app.id:
            raise not_found(call.route.docs)
        if installation.suspended:
            raise ApiError(403, "This installation has been suspended", docs=call.route.docs)
        body = call.body or {}
        repos = self._token_repos(call, installation, body)
        permissions = dict(installation.permissions)
        wanted = body.get("permissions")
        if isinstance(wanted, dict):
            for category, level in wanted.items():
                granted = permission_level(installation.permissions, category)
                if granted < PERMISSION_LEVELS.get(level, 9):
                    raise ApiError(
                        422,
                        "The permissions requested are not granted to this installation.",
                        docs=call.route.docs,
                        rejection="rule",
                    )
            permissions = dict(wanted)
        token = Token(
            token=auth.new_installation_token(),
            installation_id=installation.id,
            expires_at=self.gh.now() + self.gh.config.token_lifetime,
            permissions=permissions,
            repositories=repos,
        )
        self.state.tokens[token.token] = token
        reply: dict[str, Any] = {
            "token": token.token,
            "expires_at": iso(token.expires_at),
            "permissions": permissions,
            "repository_selection": "selected" if repos is not None else installation.selection,
        }
        if repos is not None:
            reply["repositories"] = [
                self.render.repo(self.state.repos[key]) for key in sorted(repos)
            ]
        return Reply(201, reply)

    def _token_repos(
        self, call: Call, installation: Installation, body: dict[str, Any]
    ) -> frozenset[str] | None:
        names, ids = body.get("repositories"), body.get("repository_ids")
        if not names and not ids:
            return None
        chosen = set()
        owner = installation.account.login.lower()
        for name in names or []:
            chosen.add(f"{owner}/{str(name).lower()}")
        by_id = {repo.id: repo.key for repo in self.state.repos.values()}
        for repo_id in ids or []:
            chosen.add(by_id.get(repo_id, f"#{repo_id}"))
        if not chosen <= installation.repositories:
            raise ApiError(
                422,
                "There is at least one repository that does not exist or is not accessible to "
                "the parent installation.",
                docs=call.route.docs,
                rejection="rule",
            )
        return frozenset(chosen)

    def _get_repo_installation(self, call: Call) -> Reply:
        assert call.app is not None
        key = f"{call.params['owner']}/{call.params['repo']}".lower()
        repo = self.state.repos.get(key)
        installation = self.state.installation_for(repo) if repo else None
        if installation is None or installation.app_id != call.app.id:
            raise not_found(call.route.docs)
        return Reply(200, self.render.installation(installation))

    def _convert_manifest(self, call: Call) -> Reply:
        manifest = self.state.manifest_codes.pop(call.params["code"], None)
        if manifest is None:
            raise not_found(call.route.docs)
        app = self.gh.add_app(
            slug=str(manifest.get("name", "archreview")).lower().replace(" ", "-"),
            name=str(manifest.get("name", "archreview")),
            permissions=dict(manifest.get("default_permissions") or {}),
            events=list(manifest.get("default_events") or []),
            webhook_secret=secrets.token_hex(20),
        )
        body = self.render.app(app)
        body.update(
            {
                "client_secret": secrets.token_hex(20),
                "webhook_secret": app.webhook_secret,
                "pem": app.private_key_pem,
            }
        )
        return Reply(201, body)

    def _rate_limit(self, call: Call) -> Reply:
        bucket = self.bucket(call)
        core = {
            "limit": bucket.limit,
            "remaining": bucket.remaining,
            "reset": int(bucket.reset_at),
            "used": bucket.used,
            "resource": "core",
        }
        search = {"limit": 30, "remaining": 30, "reset": int(self.gh.now()) + 60, "used": 0}
        return Reply(200, {"resources": {"core": core, "search": search}, "rate": core})

    def _collaborator_permission(self, call: Call) -> Reply:
        repo = self._repo(call)
        login = call.params["username"]
        user = self.state.user(login)
        if login.lower() == repo.owner.login.lower():
            role = "admin"
        else:
            role = repo.collaborators.get(login.lower()) or ("none" if repo.private else "read")
        return Reply(200, self.render.permission(repo, user, role))
