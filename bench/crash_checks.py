"""What a crash must not break: every acknowledged write present exactly once, nothing refused
written, and the counters, queue items, audit rows and outbox rows that go with each write."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import create_engine, text


@dataclass
class Write:
    """One request of the load and what the server answered (status 0: no answer)."""

    kind: str  # "comment", "report" or "decision"
    marker: str  # the comment's body, "comment_id:reporter" or "comment_id:action"
    status: int
    id: int | None = None
    reporter: int | None = None
    comment_id: int | None = None
    action: str | None = None


@dataclass
class Findings:
    acknowledged: int = 0
    decisions: int = 0  # of them, moderators' decisions
    found_once: int = 0
    unanswered: int = 0
    unanswered_written: int = 0
    refused: int = 0
    refused_by_status: Counter[int] = field(default_factory=Counter)
    server_errors: int = 0
    problems: list[str] = field(default_factory=list)

    def problem(self, message: str) -> None:
        if len(self.problems) < 50:
            self.problems.append(message)


def _rows(conn: Any, sql: str) -> list[Any]:
    return list(conn.execute(text(sql)).all())


def check(database_url: str, writes: list[Write]) -> Findings:
    """Read the database after the last restart and hold it against what was acknowledged."""
    out = Findings()
    engine = create_engine(database_url)
    with engine.connect() as conn:
        comments = _rows(
            conn, "SELECT id, story_id, parent_id, status, body_md, reply_count FROM comments"
        )
        reports = _rows(conn, "SELECT id, comment_id, reporter_id FROM reports")
        stories = _rows(conn, "SELECT id, comment_count FROM stories")
        items = _rows(conn, "SELECT comment_id, queue, status, report_count FROM queue_items")
        stats = _rows(conn, "SELECT user_id, reports_total FROM reporter_stats")
        audits = _rows(conn, "SELECT action, target_id FROM audit_log")
        outbox = _rows(conn, "SELECT kind, payload FROM outbox")
        decisions = _rows(conn, "SELECT id, comment_id, action FROM decisions")
        statements = _rows(
            conn, "SELECT decision_id FROM notifications WHERE decision_id IS NOT NULL"
        )
    engine.dispose()

    by_body = Counter(c.body_md for c in comments)
    comment_ids = {c.id for c in comments}
    report_pairs = Counter((r.comment_id, r.reporter_id) for r in reports)
    report_ids = {r.id: (r.comment_id, r.reporter_id) for r in reports}
    decision_ids = {d.id: (d.comment_id, d.action) for d in decisions}
    decision_pairs = Counter((d.comment_id, d.action) for d in decisions)
    for w in writes:
        if 200 <= w.status < 300:
            out.acknowledged += 1
            out.decisions += w.kind == "decision"
            if w.kind == "comment":
                once = by_body[w.marker] == 1 and w.id in comment_ids
            elif w.kind == "decision":
                once = (
                    decision_ids.get(w.id or -1) == (w.comment_id, w.action)
                    and decision_pairs[(w.comment_id, w.action)] == 1
                )
            else:
                once = (
                    report_ids.get(w.id or -1) == (w.comment_id, w.reporter)
                    and report_pairs[(w.comment_id, w.reporter)] == 1
                )
            if once:
                out.found_once += 1
            else:
                out.problem(f"acknowledged {w.kind} {w.id} ({w.marker}) not found exactly once")
            continue
        if w.status >= 500 and w.status != 503:
            out.server_errors += 1
            out.problem(f"{w.kind} answered {w.status}")
        if w.status == 0 or w.status >= 500:
            out.unanswered += 1
            if w.kind == "comment":
                present = by_body[w.marker]
            elif w.kind == "decision":
                present = decision_pairs[(w.comment_id, w.action)]
            else:
                present = report_pairs[(w.comment_id, w.reporter)]
            out.unanswered_written += present
            if present > 1:
                out.problem(f"unanswered {w.kind} {w.marker} written {present} times")
        else:
            out.refused += 1
            out.refused_by_status[w.status] += 1
            if w.kind == "comment" and by_body[w.marker]:
                out.problem(f"comment refused with {w.status} was written: {w.marker}")
            if w.kind == "decision" and decision_pairs[(w.comment_id, w.action)]:
                out.problem(f"decision refused with {w.status} was written: {w.marker}")
    for body, n in by_body.items():
        if n > 1:
            out.problem(f"a comment body is stored {n} times: {body}")

    # Counters match the rows they count.
    published = Counter(c.story_id for c in comments if c.status == "published")
    for s in stories:
        if s.comment_count != published[s.id]:
            out.problem(f"story {s.id} counts {s.comment_count}, has {published[s.id]} published")
    replies = Counter(c.parent_id for c in comments if c.parent_id and c.status != "held")
    for c in comments:
        if c.reply_count != replies[c.id]:
            out.problem(f"comment {c.id} counts {c.reply_count} replies, has {replies[c.id]}")
    # Each report: counted on the reporter, on the comment's open Reported item, and audited.
    per_reporter = Counter(r.reporter_id for r in reports)
    for user_id, total in stats:
        if total != per_reporter[user_id]:
            out.problem(f"reporter {user_id} counts {total} reports, has {per_reporter[user_id]}")
    if {u for u, _ in stats} != set(per_reporter):
        out.problem("reporters without their statistics row (or the reverse)")
    # A decision closes the comment's items: a report after it opens a fresh one.
    decided = {d.comment_id for d in decisions}
    per_comment = Counter(r.comment_id for r in reports)
    reported_items = Counter()
    for comment_id, queue, status, report_count in items:
        if queue == "reported" and status == "open":
            reported_items[comment_id] += 1
            if comment_id not in decided and report_count != per_comment[comment_id]:
                out.problem(
                    f"queue item of {comment_id}: {report_count} != {per_comment[comment_id]}"
                )
    for comment_id in per_comment:
        if reported_items[comment_id] > 1 or (
            comment_id not in decided and reported_items[comment_id] != 1
        ):
            out.problem(
                f"comment {comment_id} has {reported_items[comment_id]} open Reported items"
            )
    audited = Counter(a.action for a in audits)
    if audited["report"] != len(reports):
        out.problem(f"{audited['report']} report audit rows for {len(reports)} reports")
    # Each decision (the moderator's, and the automated holds): its audit row, at most one
    # statement of reasons to the author (always one for a removal, which changes what readers
    # see); each comment decided as it says.
    kinds = {f"comment.{d.action}" for d in decisions} | {"comment.remove", "comment.approve"}
    decision_audits = Counter((a.action, str(a.target_id)) for a in audits if a.action in kinds)
    if decision_audits != Counter((f"comment.{d.action}", str(d.comment_id)) for d in decisions):
        out.problem(f"{sum(decision_audits.values())} audit rows for {len(decisions)} decisions")
    told = Counter(n.decision_id for n in statements)
    for d in decisions:
        if told[d.id] > 1 or (d.action == "remove" and told[d.id] != 1):
            out.problem(f"decision {d.id} ({d.action}) has {told[d.id]} statements of reasons")
    status = {c.id: c.status for c in comments}
    last = {d.comment_id: d.action for d in sorted(decisions, key=lambda d: d.id)}
    for comment_id, action in last.items():
        if action in ("remove", "approve") and (action == "remove") != (
            status.get(comment_id) == "removed"
        ):
            out.problem(f"comment {comment_id} is {status.get(comment_id)} after {action}")
    # Each comment and report: one webhook outbox row, written in its own transaction.
    hooks = Counter()
    for kind, payload in outbox:
        if kind != "webhook":
            continue
        data = payload if isinstance(payload, dict) else json.loads(payload)
        if data["event"] == "comment.created":
            hooks[("comment", data["data"]["comment"]["id"])] += 1
        elif data["event"] == "report.created":
            hooks[("report", data["data"].get("comment_id"))] += 1
    for c in comments:
        if hooks[("comment", c.id)] != 1:
            out.problem(f"comment {c.id} has {hooks[('comment', c.id)]} webhook rows")
    for comment_id, n in per_comment.items():
        if hooks[("report", comment_id)] != n:
            out.problem(f"comment {comment_id}: {n} reports, {hooks[('report', comment_id)]} rows")
    return out
