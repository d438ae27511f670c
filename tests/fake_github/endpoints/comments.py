"""Issue comments on pull requests (the conversation tab) and their reactions."""

from __future__ import annotations

from tests.fake_github import rules
from tests.fake_github.errors import not_found
from tests.fake_github.pipeline import Call, Pipeline, Reply
from tests.fake_github.state import IssueComment


class IssueCommentEndpoints(Pipeline):
    """Issue comments: list, create, read, edit, delete, react."""

    def _issue_comment(self, call: Call) -> IssueComment:
        comment = self.state.issue_comments.get(call.int_param("comment_id"))
        if comment is None or comment.repo is not self._repo(call):
            raise not_found(call.route.docs)
        return comment

    def _list_issue_comments(self, call: Call) -> Reply:
        pull = self._pull(call, "issue_number")
        comments = [
            c for c in self.state.issue_comments.values()
            if c.repo is pull.repo and c.issue_number == pull.number
        ]  # fmt: skip
        chunk, headers = self._page(call, comments)
        return Reply(200, [self.render.issue_comment(c) for c in chunk], headers=headers)

    def _create_issue_comment(self, call: Call) -> Reply:
        pull = self._pull(call, "issue_number")
        self._rule(call, rules.body_issues(call.body.get("body"), "body", self._bytes))
        now = self.gh.now()
        assert call.installation is not None
        comment = IssueComment(
            id=self.state.next_id("issue_comment"),
            repo=pull.repo,
            issue_number=pull.number,
            user=self._bot(call),
            body=call.body["body"],
            created_at=now,
            updated_at=now,
            via_app_id=call.installation.app_id,
        )
        self.state.issue_comments[comment.id] = comment
        body = self.render.issue_comment(comment)
        return Reply(201, body, headers={"Location": body["url"]})

    def _get_issue_comment(self, call: Call) -> Reply:
        return Reply(200, self.render.issue_comment(self._issue_comment(call)))

    def _update_issue_comment(self, call: Call) -> Reply:
        comment = self._issue_comment(call)
        self._own(call, comment.user)
        self._rule(call, rules.body_issues(call.body.get("body"), "body", self._bytes))
        comment.body = call.body["body"]
        comment.updated_at = self.gh.now()
        return Reply(200, self.render.issue_comment(comment))

    def _delete_issue_comment(self, call: Call) -> Reply:
        comment = self._issue_comment(call)
        self._own(call, comment.user)
        del self.state.issue_comments[comment.id]
        self._drop_reactions("issue_comment", comment.id)
        return Reply(204, validate=False)

    def _react_issue_comment(self, call: Call) -> Reply:
        return self._react(call, "issue_comment", self._issue_comment(call).id)
