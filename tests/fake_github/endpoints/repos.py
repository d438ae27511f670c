"""Repository data: the repository, pull requests, their diff and files, tarballs, contents."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from tests.fake_github.diffs import ParsedDiff
from tests.fake_github.errors import DOCS, ApiError, not_found
from tests.fake_github.pipeline import DIFF_TYPE, RAW_TYPE, TOO_LARGE, Call, Pipeline, Reply
from tests.fake_github.state import Repo


class RepoEndpoints(Pipeline):
    """What the app reads to review a pull request."""

    def _get_repo(self, call: Call) -> Reply:
        return Reply(200, self.render.full_repo(self._repo(call)))

    def _get_pull(self, call: Call) -> Reply:
        pull = self._pull(call)
        accept = call.request.headers.get("Accept", "")
        if any(kind in accept for kind in ("vnd.github.diff", "vnd.github.v3.diff",
                                          "vnd.github.patch", "vnd.github.v3.patch")):  # fmt: skip
            self._check_diff_size(call, pull.diff)
            return Reply(200, raw=pull.diff.text.encode(), content_type=DIFF_TYPE, validate=False)
        return Reply(200, self.render.pull(pull))

    def _check_diff_size(self, call: Call, diff: ParsedDiff) -> None:
        config = self.gh.config
        what = None
        if len(diff.files) > config.max_diff_files:
            what = f"files ({config.max_diff_files})"
        elif diff.line_count > config.max_diff_lines:
            what = f"lines ({config.max_diff_lines})"
        elif diff.byte_count > config.max_diff_bytes:
            what = f"bytes ({config.max_diff_bytes})"
        if what is not None:
            raise ApiError(
                406,
                TOO_LARGE.format(what=what),
                errors=[{"resource": "PullRequest", "field": "diff", "code": "too_large"}],
                docs=f"{DOCS}/pulls/pulls#list-pull-requests-files",
            )

    def _list_files(self, call: Call) -> Reply:
        pull = self._pull(call)
        config = self.gh.config
        entries = list(pull.diff.files.values())[: config.max_listed_files]
        chunk, headers = self._page(call, entries)
        body = []
        for entry in chunk:
            small = (
                entry.patch.count("\n") + 1 <= config.file_patch_max_lines
                and len(entry.patch.encode()) <= config.file_patch_max_bytes
            )
            body.append(self.render.diff_entry(pull, entry, with_patch=small and not entry.binary))
        return Reply(200, body, headers=headers)

    def _tarball(self, call: Call) -> Reply:
        repo = self._repo(call)
        ref = call.params.get("ref") or repo.default_branch
        sha = repo.resolve(ref)
        if sha is None:
            raise not_found(call.route.docs)
        link = secrets.token_urlsafe(24)
        lifetime = self.gh.config.archive_link_lifetime
        self.archive_links[link] = (repo.key, sha, self.gh.now() + lifetime)
        location = (
            f"{self.gh.codeload_url}/{repo.owner.login}/{repo.name}/legacy.tar.gz/{ref}"
            f"?{urlencode({'token': link})}"
        )
        return Reply(302, headers={"Location": location}, validate=False)

    def archive(self, link: str | None, owner: str, name: str) -> tuple[Repo, str] | None:
        """The repository and commit an unexpired codeload ``token`` link grants."""
        granted = self.archive_links.get(link or "")
        if granted is None:
            return None
        key, sha, expires = granted
        if expires <= self.gh.now() or key != f"{owner}/{name}".lower():
            return None
        return self.state.repos[key], sha

    def _contents(self, call: Call) -> Reply:
        repo = self._repo(call)
        ref = call.query("ref") or repo.default_branch
        sha = repo.resolve(ref)
        if sha is None:
            raise ApiError(404, f"No commit found for the ref {ref}", docs=call.route.docs)
        files = repo.commits[sha].files
        path = call.params.get("path", "").strip("/")
        accept = call.request.headers.get("Accept", "")
        if path in files:
            data = files[path]
            if "vnd.github.raw" in accept or "vnd.github.v3.raw" in accept:
                return Reply(200, raw=data, content_type=RAW_TYPE, validate=False)
            max_size = self.gh.config.contents_max_size
            return Reply(200, self.render.content_file(repo, path, ref, data, max_size))
        prefix = f"{path}/" if path else ""
        children: dict[str, bytes | None] = {}
        for name, data in files.items():
            if name.startswith(prefix):
                first, _, rest = name[len(prefix) :].partition("/")
                children[prefix + first] = None if rest else data
        if not children:
            raise not_found(call.route.docs)
        listing = [
            self.render.content_entry(repo, child, ref, children[child])
            for child in sorted(children)
        ]
        return Reply(200, listing)
