"""Issue 18, point 5, on SQLite and PostgreSQL: ten kinds of tampering done by the attacker who holds the database's
key — raw SQL with the triggers out of the way (``helpers.tamper``) — are each reported by ``koordinator audit
verify`` as an administrator runs it (logged in, so its own login line is appended after the head it printed), with
exit status 1, naming the lines or the document. The end of the log is anchored: a cut-off tail or an emptied log is
"afkortet", and a log cut and re-sealed consistently is still caught by the end noted at an earlier check.

``main`` runs in this process (the matrix would take minutes as processes); ``test_audit_command`` runs it as one."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pg_roles
import pytest
from argon2 import PasswordHasher
from db_fixtures import PgCluster
from helpers.tamper import tamper, unguarded
from helpers.ward import admit_in_glostrup, service_context, varsle_gentofte
from pg_roles import empty_pg_database  # noqa: F401 (the fixture)
from sqlalchemy import text

from coordinator_app.cli.commands import main
from coordinator_app.domain.audit import AuditAction, AuditEntry, head_after, seal
from coordinator_app.services.users import UserService
from coordinator_app.storage.audit_repository import AuditRepository
from coordinator_app.storage.database import open_database

PASSWORD = "grøn hest på taget"
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
FORGED = b"%PDF-1.4 en anden tekst end den udstedte"


@dataclass(frozen=True)
class Ward:
    url: str
    end: int  # the log's last line before anything is tampered with or verified
    document_id: int


@pytest.fixture
def ward(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Ward:
    """A real database (an administrator, so ``audit verify`` logs in) with a varsling issued and archived."""
    db = open_database(db_url)
    try:
        ctx = service_context(db, now=datetime(2026, 11, 23, 9, tzinfo=UTC), user="koordinator")
        sent = varsle_gentofte(ctx, admit_in_glostrup(ctx))
        UserService(ctx, hasher=FAST).create_administrator("admin", "Anne Administrator", PASSWORD)
        with db.session() as session:
            end = AuditRepository(session).count()
    finally:
        db.dispose()
    assert sent.document_id is not None and end >= 5
    monkeypatch.setenv("KOORDINATOR_USER", "admin")
    monkeypatch.setenv("KOORDINATOR_PASSWORD", PASSWORD)
    return Ward(db_url, end, sent.document_id)


def verify(ward: Ward, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, list[str]]:
    status = main(["--database", ward.url, "audit", "verify", *extra])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out.splitlines()


def lines(url: str) -> list[AuditEntry]:
    db = open_database(url)
    try:
        with db.session() as session:
            return AuditRepository(session).all()
    finally:
        db.dispose()


def recompute_last(ward: Ward) -> None:
    """The last line's text edited and its hash recomputed to fit."""
    *_, before, last = lines(ward.url)
    forged = seal(before, at=last.at, user=last.user, action=last.action, what="Ingenting", patient_id=None)
    tamper(ward.url, "UPDATE audit_log SET what = :what, patient_id = NULL, admission_id = NULL, hash = :hash "
           f"WHERE seq = {ward.end}", what=forged.what, hash=forged.hash)  # fmt: skip


def insert_forged(ward: Ward) -> None:
    """A well-formed line chained after the last one, inserted with raw SQL (the head is not moved)."""
    forged = seal(lines(ward.url)[-1], at=datetime(2026, 11, 23, 10, tzinfo=UTC), user="admin",
                  action=AuditAction.VIS, what="Intet at se")  # fmt: skip
    tamper(ward.url, "INSERT INTO audit_log (seq, at, username, action, what, prev_hash, hash) VALUES "
           "(:seq, :at, 'admin', 'vis', :what, :prev, :hash)", seq=forged.seq, at=forged.at, what=forged.what,
           prev=forged.prev_hash, hash=forged.hash)  # fmt: skip


def substitute(ward: Ward) -> None:
    tamper(ward.url, "UPDATE documents SET content = :content, sha256 = :digest WHERE id = :id", content=FORGED,
           digest=hashlib.sha256(FORGED).hexdigest(), id=ward.document_id)  # fmt: skip


def sql(*statements: str) -> Callable[[Ward], None]:
    return lambda ward: tamper(ward.url, *(s.format(end=ward.end) for s in statements))


#: What is done → what verify then says (``{end}``: the last line before; the login adds ``{end} + 1``).
TAMPERING: dict[str, tuple[Callable[[Ward], None], str]] = {
    "edit a line": (sql("UPDATE audit_log SET what = 'Ingenting' WHERE seq = 2"), "ikke intakt: Linje 2 er ændret."),
    "delete a middle line": (
        sql("DELETE FROM audit_log WHERE seq = 3"),
        "ikke intakt: Linje 3 mangler (hul i rækkefølgen).",
    ),
    "delete the last line": (
        sql("DELETE FROM audit_log WHERE seq = {end}"),
        "afkortet: den sluttede ved linje {end}, men linje {end} mangler.",
    ),
    "delete the last three": (
        sql("DELETE FROM audit_log WHERE seq > {end} - 3"),
        "afkortet: den sluttede ved linje {end}, men linje {end_2}–{end} mangler.",
    ),
    "delete all": (
        sql("DELETE FROM audit_log"),
        "afkortet: den sluttede ved linje {end}, men alle linjer mangler (linje 1–{end}).",
    ),
    "reorder two lines": (
        sql(
            "UPDATE audit_log SET seq = -2 WHERE seq = 2",
            "UPDATE audit_log SET seq = 2 WHERE seq = 3",
            "UPDATE audit_log SET seq = 3 WHERE seq = -2",
        ),
        "ikke intakt: Linje 2 er ændret.",
    ),
    "recompute a row's hash": (recompute_last, "ikke intakt: Linje {end_1} peger ikke på linje {end}."),
    "insert a forged line": (
        insert_forged,
        "ikke intakt: Linje {end_1}–{end_2p} står efter markeringen af loggens ende (linje {end}): skrevet uden om "
        "programmet, eller markeringen er flyttet tilbage.",
    ),
    "edit the head": (
        sql("UPDATE audit_head SET seq = seq - 1"),
        "ikke intakt: Markeringen af loggens ende er ændret (dens kontrolsum passer ikke).",
    ),
    "delete the head": (
        sql("DELETE FROM audit_head"),
        "ikke intakt: Markeringen af loggens ende mangler (den er slettet uden om programmet).",
    ),
}


@pytest.mark.parametrize("kind", list(TAMPERING))
def test_each_kind_of_tampering_is_reported_by_verify(
    ward: Ward, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    status, before = verify(ward, capsys)
    assert status == 0, before
    end = ward.end + 1  # the first verify's login line is the newest line now
    ward = Ward(ward.url, end, ward.document_id)
    do, says = TAMPERING[kind]
    do(ward)
    status, out = verify(ward, capsys)
    assert status == 1, out
    expected = "Revisionsloggen er " + says.format(end=end, end_1=end + 1, end_2=end - 2, end_2p=end + 2)
    assert expected in out, out


def test_a_substituted_document_is_named_while_the_chain_holds(ward: Ward, capsys: pytest.CaptureFixture[str]) -> None:
    substitute(ward)
    status, out = verify(ward, capsys)
    assert status == 1
    assert out[1].startswith("Revisionsloggen er intakt (")
    assert any(line.startswith(f"Dokument nr. {ward.document_id} ") for line in out), out


def test_the_head_is_printed_before_the_login_writes_its_line(ward: Ward, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = verify(ward, capsys)
    assert status == 0, out
    before = lines(ward.url)
    assert before[-1].action is AuditAction.LOGIN and before[-1].seq == ward.end + 1  # the login came after
    assert out[0] == f"Revisionsloggens ende før dette login: linje {ward.end}, kontrolsum {before[-2].hash}."
    assert out[1] == f"Revisionsloggen er intakt ({ward.end + 1} linjer)."
    assert out[2].startswith(f"Seneste linjes kontrolsum: {before[-1].hash} (linje {ward.end + 1}). Notér")


def test_a_log_cut_and_resealed_by_the_key_holder_is_caught_by_the_noted_end(
    ward: Ward, capsys: pytest.CaptureFixture[str]
) -> None:
    """The one thing the database cannot see by itself: the tail cut and the head moved back and re-sealed. The end
    noted down at the last check (``--noteret``) still catches it."""
    status, out = verify(ward, capsys)
    noted = out[2].split("--noteret ")[1]
    assert status == 0 and noted.startswith(f"{ward.end + 1}:")
    kept = lines(ward.url)[: ward.end - 2]
    head = head_after(kept[-1])
    tamper(ward.url, f"DELETE FROM audit_log WHERE seq > {kept[-1].seq}",
           "UPDATE audit_head SET seq = :seq, hash = :hash, seal = :seal", seq=head.seq, hash=head.hash,
           seal=head.seal)  # fmt: skip
    status, out = verify(ward, capsys)
    assert status == 0, out  # undetectable from inside the database …
    status, out = verify(ward, capsys, "--noteret", noted)
    assert status == 1  # … but not against the end noted outside it
    assert (
        f"Revisionsloggen er ikke intakt: Linje {ward.end + 1}, som loggen var nået til, da den blev noteret, findes "
        "ikke længere (loggen er afkortet)." in out
    )


def test_a_malformed_noted_end_is_refused_in_danish(ward: Ward, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--database", ward.url, "audit", "verify", "--noteret", "12-abc"])
    assert exited.value.code == 2
    assert "skrives som linjenummer, kolon og de 64 tegn i kontrolsummen" in capsys.readouterr().err


def test_the_database_itself_refuses_to_change_the_log_the_head_and_the_archive(ward: Ward) -> None:
    """With the triggers in place (no attacker dropping them), plain UPDATE and DELETE are refused on both backends,
    and the log still verifies afterwards."""
    refused = [
        "UPDATE audit_log SET what = 'x' WHERE seq = 2",
        "DELETE FROM audit_log WHERE seq = {end}",
        "DELETE FROM audit_log",
        "UPDATE audit_head SET seq = seq - 1",
        "UPDATE audit_head SET seq = seq + 1",  # forward, but onto no line
        "DELETE FROM audit_head",
        "UPDATE documents SET content = :forged WHERE id = {doc}",
        "DELETE FROM documents WHERE id = {doc}",
    ]
    db = open_database(ward.url)
    try:
        if db.engine.dialect.name == "postgresql":
            refused += ["TRUNCATE audit_log", "TRUNCATE audit_head", "TRUNCATE documents CASCADE"]
        for statement in refused:
            with pytest.raises(Exception, match="koordinator: ") as raised, db.engine.begin() as conn:
                conn.execute(text(statement.format(end=ward.end, doc=ward.document_id)), {"forged": FORGED})
            assert "koordinator: " in str(raised.value), statement
        with db.session() as session:
            assert AuditRepository(session).verify().ok
    finally:
        db.dispose()


@pytest.mark.postgres
def test_the_migrating_role_gives_up_its_own_privileges_on_postgresql(
    empty_pg_database: tuple[PgCluster, str],  # noqa: F811 (the fixture)
) -> None:
    """A database owned by an ordinary role (not the test cluster's superuser): after migrating, the owner's own
    UPDATE/DELETE of the log is refused by the privilege system before any trigger runs."""
    cluster, name = empty_pg_database
    db = open_database(pg_roles.url(cluster, name))
    try:
        with db.session() as session:
            AuditRepository(session).append("k", AuditAction.VIS, "Linje", at=datetime(2026, 11, 23, tzinfo=UTC))
        for statement in ("UPDATE audit_log SET what = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log",
                          "UPDATE documents SET title = 'x'", "DELETE FROM audit_head"):  # fmt: skip
            with pytest.raises(Exception, match="permission denied"), db.engine.begin() as conn:
                conn.execute(text(statement))
        with db.session() as session:
            assert AuditRepository(session).verify().ok
    finally:
        db.dispose()


def test_unguarded_puts_the_triggers_back(ward: Ward) -> None:
    db = open_database(ward.url)
    try:
        with unguarded(db.engine) as conn:
            conn.execute(text("UPDATE audit_log SET what = what WHERE seq = 1"))
        with pytest.raises(Exception, match="koordinator: "), db.engine.begin() as conn:
            conn.execute(text("UPDATE audit_log SET what = what WHERE seq = 1"))
    finally:
        db.dispose()
