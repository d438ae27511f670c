"""Reviews and review comments: every comment must sit on a line of the diff."""

from __future__ import annotations

from tests.fake_github import rules
from tests.fake_github.diffs import ParsedDiff
from tests.fake_github.errors import ApiError, not_found, unprocessable
from tests.fake_github.pipeline import Call, Pipeline, Reply
from tests.fake_github.state import PullRequest, Review, ReviewComment


class ReviewEndpoints(Pipeline):
    """Reviews, review comments, replies and their reactions."""

    def _diff_for(
        self, call: Call, pull: PullRequest, commit_id: str | None
    ) -> tuple[str, ParsedDiff]:
        sha = commit_id or pull.head_sha
        if sha not in pull.diffs:
            raise unprocessable(
                [f"No commit found for SHA: {sha}"], docs=call.route.docs,
                detail=f"commit_id {sha} is not a head of the pull request",
            )  # fmt: skip
        return sha, pull.diffs[sha]

    def _new_comment(
        self, call: Call, pull: PullRequest, review_id: int, sha: str, body: str,
        placement: rules.Placement, subject: str = "line",
    ) -> ReviewComment:  # fmt: skip
        now = self.gh.now()
        anchor = placement.anchor
        return ReviewComment(
            id=self.state.next_id("review_comment"),
            repo=pull.repo,
            pull_number=pull.number,
            review_id=review_id,
            user=self._bot(call),
            body=body,
            path=placement.file.path,
            commit_id=sha,
            diff_hunk=placement.file.diff_hunk(anchor) if anchor else "",
            line=placement.line,
            side=placement.side,
            start_line=placement.start_line,
            start_side=placement.start_side,
            position=anchor.position if anchor else None,
            subject_type="file" if subject == "file" else "line",
            created_at=now,
            updated_at=now,
        )

    def _create_review(self, call: Call) -> Reply:
        pull, body = self._pull(call), call.body
        issues = rules.body_issues(body.get("body"), "body", self._bytes)
        comments = body.get("comments") or []
        for index, comment in enumerate(comments):
            issues += rules.review_comment_issues(index, comment, self._bytes)
        self._rule(call, issues)
        sha, diff = self._diff_for(call, pull, body.get("commit_id"))
        placements = []
        for index, comment in enumerate(comments):
            try:
                placements.append(rules.place_comment(diff, comment))
            except rules.PlacementError as error:
                raise unprocessable(
                    error.errors, docs=call.route.docs, detail=f"comments[{index}]: {error.detail}"
                ) from None
        event = body.get("event")
        bot = self._bot(call)
        if event in ("REQUEST_CHANGES", "COMMENT") and not body.get("body") and not comments:
            raise unprocessable(
                ["Review body can't be blank"], docs=call.route.docs,
                detail=f"{event} needs a body or comments",
            )  # fmt: skip
        if event is None and any(
            r.state == "PENDING"
            and r.user is bot
            and r.pull_number == pull.number
            and r.repo is pull.repo
            for r in self.state.reviews.values()
        ):
            raise unprocessable(
                ["User can only have one pending review per pull request"], docs=call.route.docs
            )
        states = {
            "APPROVE": "APPROVED",
            "REQUEST_CHANGES": "CHANGES_REQUESTED",
            "COMMENT": "COMMENTED",
        }
        now = self.gh.now()
        review = Review(
            id=self.state.next_id("review"),
            repo=pull.repo,
            pull_number=pull.number,
            user=bot,
            body=body.get("body") or "",
            state=states.get(event or "", "PENDING"),
            commit_id=sha,
            submitted_at=now if event else None,
        )
        self.state.reviews[review.id] = review
        for comment, placement in zip(comments, placements, strict=True):
            stored = self._new_comment(call, pull, review.id, sha, comment["body"], placement)
            self.state.review_comments[stored.id] = stored
        return Reply(200, self.render.review(review))

    def _list_reviews(self, call: Call) -> Reply:
        pull = self._pull(call)
        reviews = [
            r for r in self.state.reviews.values()
            if r.repo is pull.repo and r.pull_number == pull.number
        ]  # fmt: skip
        chunk, headers = self._page(call, reviews)
        return Reply(200, [self.render.review(r) for r in chunk], headers=headers)

    def _visible(self, call: Call, comment: ReviewComment) -> bool:
        review = self.state.reviews.get(comment.review_id or 0)
        return review is None or review.state != "PENDING" or review.user is self._bot(call)

    def _list_review_comments(self, call: Call) -> Reply:
        pull = self._pull(call)
        comments = [
            c for c in self.state.review_comments.values()
            if c.repo is pull.repo and c.pull_number == pull.number and self._visible(call, c)
        ]  # fmt: skip
        if call.query("sort") == "updated":
            comments.sort(key=lambda c: (c.updated_at, c.id))
        if call.query("direction") == "desc":
            comments.reverse()
        chunk, headers = self._page(call, comments)
        return Reply(200, [self.render.review_comment(c) for c in chunk], headers=headers)

    def _review_comment(self, call: Call) -> ReviewComment:
        comment = self.state.review_comments.get(call.int_param("comment_id"))
        if comment is None or comment.repo is not self._repo(call):
            raise not_found(call.route.docs)
        return comment

    def _single_review(self, call: Call, pull: PullRequest, sha: str) -> int:
        review = Review(
            id=self.state.next_id("review"),
            repo=pull.repo,
            pull_number=pull.number,
            user=self._bot(call),
            body="",
            state="COMMENTED",
            commit_id=sha,
            submitted_at=self.gh.now(),
        )
        self.state.reviews[review.id] = review
        return review.id

    def _reply_to(self, call: Call, pull: PullRequest, parent: ReviewComment, body: str) -> Reply:
        self._rule(call, rules.body_issues(body, "body", self._bytes))
        now = self.gh.now()
        reply = ReviewComment(
            id=self.state.next_id("review_comment"),
            repo=pull.repo,
            pull_number=pull.number,
            review_id=self._single_review(call, pull, parent.commit_id),
            user=self._bot(call),
            body=body,
            path=parent.path,
            commit_id=parent.commit_id,
            diff_hunk=parent.diff_hunk,
            line=parent.line,
            side=parent.side,
            start_line=parent.start_line,
            start_side=parent.start_side,
            position=parent.position,
            in_reply_to_id=parent.in_reply_to_id or parent.id,
            subject_type=parent.subject_type,
            created_at=now,
            updated_at=now,
        )
        self.state.review_comments[reply.id] = reply
        return Reply(201, self.render.review_comment(reply))

    def _create_review_comment(self, call: Call) -> Reply:
        pull, body = self._pull(call), call.body
        if body.get("in_reply_to") is not None:
            parent = self.state.review_comments.get(int(body["in_reply_to"]))
            if parent is None or parent.repo is not pull.repo or parent.pull_number != pull.number:
                raise not_found(call.route.docs)
            return self._reply_to(call, pull, parent, body["body"])
        self._rule(call, rules.body_issues(body.get("body"), "body", self._bytes))
        sha, diff = self._diff_for(call, pull, body.get("commit_id"))
        try:
            placement = rules.place_comment(diff, body)
        except rules.PlacementError as error:
            raise ApiError(
                422,
                "Validation Failed",
                errors=error.thread_errors,
                docs=call.route.docs,
                rejection="diff",
                detail=error.detail,
            ) from None
        review_id = self._single_review(call, pull, sha)
        subject = str(body.get("subject_type") or "line")
        comment = self._new_comment(call, pull, review_id, sha, body["body"], placement, subject)
        self.state.review_comments[comment.id] = comment
        return Reply(201, self.render.review_comment(comment))

    def _reply_review_comment(self, call: Call) -> Reply:
        pull = self._pull(call)
        parent = self.state.review_comments.get(call.int_param("comment_id"))
        if parent is None or parent.repo is not pull.repo or parent.pull_number != pull.number:
            raise not_found(call.route.docs)
        return self._reply_to(call, pull, parent, call.body["body"])

    def _get_review_comment(self, call: Call) -> Reply:
        return Reply(200, self.render.review_comment(self._review_comment(call)))

    def _update_review_comment(self, call: Call) -> Reply:
        comment = self._review_comment(call)
        self._own(call, comment.user)
        self._rule(call, rules.body_issues(call.body.get("body"), "body", self._bytes))
        comment.body = call.body["body"]
        comment.updated_at = self.gh.now()
        return Reply(200, self.render.review_comment(comment))

    def _delete_review_comment(self, call: Call) -> Reply:
        comment = self._review_comment(call)
        self._own(call, comment.user)
        del self.state.review_comments[comment.id]
        self._drop_reactions("review_comment", comment.id)
        return Reply(204, validate=False)

    def _react_review_comment(self, call: Call) -> Reply:
        return self._react(call, "review_comment", self._review_comment(call).id)
