from checks.model import Domain, Note, Placement, Severity, Status
from checks.render import markdown
from tests.render import samples
from tests.render.reports import finding, report, result


def blob(path: str, line: int) -> str | None:
    return f"https://github.com/acme/shop/blob/abc123/{path}#L{line}" if line else None


# The snapshot's long lines are the summary's own lines; wrapping them would change the output.
SMALL = """\
## ❌ archreview: failure

**1 fail** · **1 warn** · 1 pass · 1 skipped · 1 not applicable · 1 needs attestation · 1 error

**1 blocking finding** on added lines fails this check.

Reviewed 10 files (6 Python): the domains this change touches.

### Why these domains ran

- **Security** (SEC): `app/db.py` modified; added `execute(` in `app/db.py`
- **Observability** (OBS): added `print(` in `app/billing.py`

### By domain

| Domain | Fail | Warn | Pass | Skipped | N/A | Attest | Error |
| --- | --: | --: | --: | --: | --: | --: | --: |
| Security | 1 | · | 1 | · | 1 | 1 | 1 |
| Observability | · | 1 | · | · | · | · | · |

Not reviewed: Database Architecture.

### ❌ Failing (1 item)

#### `SEC-08` SQL injection is prevented (parameterized queries) — 2 findings

**Fix:** pass the values as parameters

- [`app/db.py:42`](https://github.com/acme/shop/blob/abc123/app/db.py#L42): f-string passed to `cursor.execute` (high, added line, **blocking**)
- [`app/db.py:57`](https://github.com/acme/shop/blob/abc123/app/db.py#L57): `%` formatting passed to `cursor.execute` (high, pre-existing)

### ⚠️ Warnings (1 item)

#### `OBS-01` Structured logging is implemented — 1 finding

- [`app/billing.py:4`](https://github.com/acme/shop/blob/abc123/app/billing.py#L4): `print()` in service code (low, added line)
  - Fix: log with `logging` or `structlog`

### 📝 Needs attestation (1 item)

No tool decides these; a reviewer attests each one with a comment: `/archreview attest <ID> <evidence>`.

- `SEC-01` Authentication mechanism is secure (JWT/OAuth2)

### ✅ Passed and not applicable (2 items)

- ✅ `SEC-03` CORS is properly configured — `CORSMiddleware` with an allowlist at app/main.py:9
- ➖ `SEC-14` Rate limiting prevents abuse — not applicable: no web framework

### Notes

- 💥 `SEC-12` Password hashing uses bcrypt/argon2: detector weak-hash failed: KeyError: 'x'
- **not parsed** `app/bad.py`: not reviewed: syntax error at line 3 (invalid syntax)
"""  # noqa: E501

CLEAN = """\
## ✅ archreview: success

**0 fail** · **0 warn** · 1 pass · 1 needs attestation

Reviewed 10 files (6 Python): full review of every domain.

### Why these domains ran

Full review: every domain ran.

### By domain

| Domain | Fail | Warn | Pass | Skipped | N/A | Attest | Error |
| --- | --: | --: | --: | --: | --: | --: | --: |
| System Architecture | · | · | · | · | · | 1 | · |
| Observability | · | · | 1 | · | · | · | · |

### 📝 Needs attestation (1 item)

No tool decides these; a reviewer attests each one with a comment: `/archreview attest <ID> <evidence>`.

- `ARCH-01` Architecture style matches scale and complexity

### ✅ Passed and not applicable (1 item)

- ✅ `OBS-06` Health check endpoints exist — `/healthz` route at app/main.py:12
"""  # noqa: E501


def test_small_report_with_links() -> None:
    assert markdown.render(samples.small(), link=blob) == SMALL


def test_clean_full_review_without_links() -> None:
    assert markdown.render(samples.clean()) == CLEAN


def test_link_is_asked_once_per_location_and_never_for_the_project() -> None:
    calls: list[tuple[str, int]] = []

    def link(path: str, line: int) -> str | None:
        calls.append((path, line))
        return None

    out = markdown.render(samples.located(), link=link)
    assert calls == [("Dockerfile", 0), ("app/clients/pay ments.py", 10)]
    assert "- `Dockerfile`: single-stage build (critical, changed file, **blocking**)\n" in out
    assert "- _project_: no `.dockerignore` (low, pre-existing)\n" in out


def test_link_urls_are_escaped_for_markdown() -> None:
    out = markdown.render(samples.located(), link=lambda p, n: f"https://x/{p}#L{n}")
    assert "[`app/clients/pay ments.py:10`](https://x/app/clients/pay%20ments.py#L10)" in out


def test_titles() -> None:
    assert markdown.title(samples.small()) == (
        "1 item fails, 1 warns, 1 in error — 1 blocking finding on added lines")
    assert markdown.title(samples.clean()) == "No findings: 1 item passes, 1 needs attestation"
    assert markdown.title(samples.located()) == (
        "1 item fails, 1 warns — 1 blocking finding in changed files")
    many = report(
        *[result(f"SEC-{n:02}", Status.FAIL,
                 finding(f"SEC-{n:02}", "a.py", n, blocking=True,
                         placement=Placement.PRE_EXISTING)) for n in (1, 2, 3)],
        *[result(f"OBS-{n:02}", Status.WARN, finding(f"OBS-{n:02}", "a.py", n))
          for n in (1, 2)],
    )
    assert markdown.title(many) == "3 items fail, 2 warn — 3 blocking findings"
    only_warn = report(result("OBS-01", Status.WARN, finding("OBS-01", "a.py", 1)),
                       result("OBS-02", Status.WARN, finding("OBS-02", "a.py", 2)))
    assert markdown.title(only_warn) == "2 items warn"
    nothing = report(result("DB-01", Status.SKIPPED))
    assert markdown.title(nothing) == "Nothing to review: the change touches no checklist domain"


def test_title_is_cut_to_the_limit() -> None:
    long = report(result("OBS-01", Status.WARN, finding("OBS-01", "a.py", 1)),
                  domains={Domain.OBS: ["x"]})
    assert len(markdown.title(long)) <= markdown.TITLE_LIMIT
    assert markdown.TITLE_LIMIT == 255
    assert markdown.SUMMARY_LIMIT == 65_535


def test_repository_text_cannot_open_html_or_links() -> None:
    hostile = report(result("SEC-08", Status.WARN, finding(
        "SEC-08", "app/x.py", 3,
        "<!-- hides the rest --> [click](https://evil.example) `<b>kept in code</b>` ``a``<!--`",
        "<details>")), domains={Domain.SEC: ["`a<b`.py` modified <img src=x>"]})
    out = markdown.render(hostile)
    assert ("- `app/x.py:3`: \\<!-- hides the rest --\\> \\[click\\](https://evil.example) "
            "`<b>kept in code</b>` ``a``\\<!--\\` (medium, added line)\n") in out
    assert "  - Fix: \\<details\\>\n" in out
    assert "- **Security** (SEC): `a<b`.py\\` modified \\<img src=x\\>\n" in out


def test_paths_with_backticks_stay_in_one_code_span() -> None:
    out = markdown.render(report(result("OBS-01", Status.WARN, finding("OBS-01", "a`b.py", 2))))
    assert "- ``a`b.py:2``: something is wrong" in out


def test_shared_hint_is_said_once_and_long_item_lists_fold() -> None:
    findings = [finding("RES-03", f"app/c{n}.py", n, hint="pass `timeout=`") for n in range(1, 8)]
    out = markdown.render(report(result("RES-03", Status.WARN, *findings)))
    assert out.count("pass `timeout=`") == 1
    assert "**Fix:** pass `timeout=`\n\n- `app/c1.py:1`" in out
    assert "- `app/c5.py:5`: something is wrong (medium, added line)\n\n<details><summary>" \
           "2 more findings</summary>\n\n- `app/c6.py:6`" in out
    assert out.index("`app/c7.py:7`") < out.index("</details>")


def test_attestation_and_passed_lists_fold_when_long() -> None:
    ids = [f"SEC-{n:02}" for n in range(1, 13)]
    out = markdown.render(report(*[result(i, Status.NEEDS_ATTESTATION) for i in ids]))
    assert "<details><summary>Show the 12 items</summary>\n\n- `SEC-01` " in out
    assert "- `SEC-12` Rate limiting exists" not in out  # SEC-12 is password hashing
    assert "- `SEC-12` Password hashing uses bcrypt/argon2\n\n</details>" in out


def test_notes_are_capped() -> None:
    notes = [Note("parse", f"not reviewed: syntax error ({n})", f"app/m{n:02}.py")
             for n in range(40)]
    out = markdown.render(report(result("CODE-01", Status.PASS), notes=notes))
    assert "`app/m29.py`" in out
    assert "`app/m30.py`" not in out
    assert out.endswith("- … and 10 more notes\n")


def _flood(count: int) -> list[tuple[str, Status]]:
    return [("SEC-08", Status.FAIL), ("OBS-01", Status.WARN), ("RES-03", Status.WARN),
            ("API-09", Status.WARN), ("CODE-06", Status.WARN)][:count]


def test_five_thousand_findings_fold_under_the_limit() -> None:
    items = _flood(5)
    results = []
    for k, (item_id, status) in enumerate(items):
        findings = [
            finding(item_id, f"app/module_{n:04}.py", n + 1,
                    f"problème n°{n} in `handler_{n}()` — " + "détail " * 20,
                    f"indice {n} " * 10, severity=Severity.MEDIUM,
                    placement=Placement.PRE_EXISTING)
            for n in range(1000)
        ]
        if k == len(items) - 1:  # the most important findings sit in the last item
            findings[-1] = finding(item_id, "app/zz_last.py", 9, "the blocking one",
                                   severity=Severity.CRITICAL, blocking=True)
        results.append(result(item_id, Status.FAIL if k == len(items) - 1 else status,
                              *findings))
    big = report(*results, notes=[Note("limit", "stopped reading contents after 1 bytes")])
    out = markdown.render(big, link=blob)
    size = len(out.encode("utf-8"))
    assert size <= markdown.SUMMARY_LIMIT
    assert size > markdown.SUMMARY_LIMIT - 5_000  # the space is used, not wasted
    shown = out.count("\n- [`app/")
    assert 0 < shown < 5000
    assert f"_… and {5000 - shown} more findings not shown; see the annotations._" in out
    assert "[`app/zz_last.py:9`]" in out  # blocking first, whatever its item
    for item_id, _ in items:  # every failing and warning item keeps its heading
        assert f"#### `{item_id}` " in out
    assert "### Notes\n\n- **limit reached**: stopped reading contents after 1 bytes\n" in out
    assert out.count("<details>") == out.count("</details>")
    assert "</details>\n\n- … " in out  # a blank line ends the HTML block before the list


def test_fold_keeps_each_item_count_exact() -> None:
    findings = [finding("OBS-01", f"app/m{n:04}.py", 1, "x" * 500) for n in range(300)]
    out = markdown.render(report(result("OBS-01", Status.WARN, *findings)), limit=20_000)
    assert len(out.encode()) <= 20_000
    shown = out.count("\n- `app/m")
    assert f"- … {300 - shown} more not shown\n" in out
    assert f"_… and {300 - shown} more findings not shown; see the annotations._" in out


def test_tiny_limit_cuts_the_text_cleanly() -> None:
    out = markdown.render(samples.small(), limit=300)
    assert len(out.encode("utf-8")) <= 300
    assert out.endswith("\n\n_… summary cut to fit GitHub's size limit._\n")
    out.encode("utf-8").decode("utf-8")


def test_output_is_deterministic_whatever_the_finding_order() -> None:
    findings = [finding("OBS-01", f"app/m{n}.py", n, severity=Severity(1 + n % 4),
                        blocking=n % 7 == 0, placement=list(Placement)[n % 3])
                for n in range(1, 60)]
    shuffled = findings[1::2][::-1] + findings[::2]
    first = markdown.render(report(result("OBS-01", Status.FAIL, *findings)), limit=6_000)
    second = markdown.render(report(result("OBS-01", Status.FAIL, *shuffled)), limit=6_000)
    assert first == second
    assert markdown.render(samples.small()) == markdown.render(samples.small())


def test_empty_diff_review() -> None:
    out = markdown.render(report(result("DB-01", Status.SKIPPED)))
    assert "The change touches no checklist domain, so no item ran.\n" in out
    assert "No item ran.\n\nNot reviewed: Database Architecture.\n" in out
