"""Check runs: create, update (annotations append), read, list for a ref."""

from __future__ import annotations

from typing import Any

from tests.fake_github import rules
from tests.fake_github.errors import ApiError, not_found, validation_failed
from tests.fake_github.pipeline import Call, Pipeline, Reply, parse_time
from tests.fake_github.state import Annotation, CheckRun


class CheckEndpoints(Pipeline):
    """The Checks API, with GitHub's limits on outputs, annotations and actions."""

    def _check_run(self, call: Call) -> CheckRun:
        run = self.state.check_runs.get(call.int_param("check_run_id"))
        if run is None or run.repo is not self._repo(call):
            raise not_found(call.route.docs)
        return run

    def _apply_check_run(self, call: Call, run: CheckRun, body: dict[str, Any]) -> None:
        now = self.gh.now()
        for name in ("name", "details_url", "external_id"):
            if name in body:
                setattr(run, name, body[name])
        if "started_at" in body:
            run.started_at = parse_time(body["started_at"], "started_at")
        if "status" in body:
            run.status = body["status"]
        if body.get("conclusion") is not None:
            run.conclusion = body["conclusion"]
            run.status = "completed"
        if "completed_at" in body:
            run.completed_at = parse_time(body["completed_at"], "completed_at")
        if run.status == "in_progress" and run.started_at is None:
            run.started_at = now
        if run.status == "completed" and run.completed_at is None:
            run.completed_at = now
        if run.started_at is None:
            run.started_at = now
        output = body.get("output")
        if isinstance(output, dict):
            run.output_title = output.get("title", run.output_title)
            run.output_summary = output.get("summary", run.output_summary)
            run.output_text = output.get("text", run.output_text)
            for note in output.get("annotations", []):
                run.annotations.append(
                    Annotation(
                        **{k: v for k, v in note.items() if k in Annotation.__dataclass_fields__}
                    )
                )
            if "images" in output:
                run.images = list(output["images"])
        if "actions" in body:
            run.actions = list(body["actions"])

    def _create_check_run(self, call: Call) -> Reply:
        repo, body = self._repo(call), call.body
        self._rule(call, rules.check_run_issues(body, creating=True, in_bytes=self._bytes))
        head_sha = body["head_sha"]
        if head_sha not in repo.commits:
            raise validation_failed(
                "CheckRun",
                "head_sha",
                "invalid",
                call.route.docs,
                f"No commit found for SHA: {head_sha}",
            )
        assert call.installation is not None
        app_id = call.installation.app_id
        run = CheckRun(
            id=self.state.next_id("check_run"),
            repo=repo,
            app_id=app_id,
            name=body["name"],
            head_sha=head_sha,
            check_suite_id=self.state.check_suite_id(repo, app_id, head_sha),
        )
        self._apply_check_run(call, run, {k: v for k, v in body.items() if k != "name"})
        self.state.check_runs[run.id] = run
        return Reply(201, self.render.check_run(run))

    def _update_check_run(self, call: Call) -> Reply:
        run = self._check_run(call)
        assert call.installation is not None
        if run.app_id != call.installation.app_id:
            raise ApiError(
                403,
                f"Invalid app_id `{call.installation.app_id}` - check run can only be modified "
                "by the GitHub App that created it.",
                docs=call.route.docs,
                rejection="permission",
            )
        self._rule(call, rules.check_run_issues(call.body, creating=False, in_bytes=self._bytes))
        self._apply_check_run(call, run, call.body)
        run.updates += 1
        return Reply(200, self.render.check_run(run))

    def _get_check_run(self, call: Call) -> Reply:
        return Reply(200, self.render.check_run(self._check_run(call)))

    def _list_annotations(self, call: Call) -> Reply:
        run = self._check_run(call)
        chunk, headers = self._page(call, run.annotations)
        return Reply(200, [self.render.annotation(run, a) for a in chunk], headers=headers)

    def _list_check_runs(self, call: Call) -> Reply:
        repo = self._repo(call)
        sha = repo.resolve(call.params["ref"])
        if sha is None:
            raise validation_failed(
                "Commit",
                "ref",
                "invalid",
                call.route.docs,
                f"No commit found for SHA: {call.params['ref']}",
            )
        runs = sorted(
            (r for r in self.state.check_runs.values() if r.repo is repo and r.head_sha == sha),
            key=lambda r: r.id,
            reverse=True,
        )
        if name := call.query("check_name"):
            runs = [r for r in runs if r.name == name]
        if status := call.query("status"):
            runs = [r for r in runs if r.status == status]
        if app_id := call.query("app_id"):
            runs = [r for r in runs if str(r.app_id) == app_id]
        if (call.query("filter") or "latest") == "latest":
            seen: set[tuple[int, str]] = set()
            latest = []
            for run in runs:
                if (run.app_id, run.name) not in seen:
                    seen.add((run.app_id, run.name))
                    latest.append(run)
            runs = latest
        chunk, headers = self._page(call, runs)
        body = {"total_count": len(runs), "check_runs": [self.render.check_run(r) for r in chunk]}
        return Reply(200, body, headers=headers)
