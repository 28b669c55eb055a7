"""What the Sikkerhedskopier dialog (``backup_dialog``) says, in Danish: about the automatic backups, the database's
encryption, a shared database, the question before a restore, and each outcome — taken, checked, refused, failed,
restored. Kept apart from the widgets so the wording can be read (and reviewed) in one place."""

from __future__ import annotations

from pathlib import Path

from coordinator_app.services import backups
from coordinator_app.services.backups import BackupInfo, CheckResult, RestoreInfo
from coordinator_app.services.database import Database
from coordinator_app.ui.settings.backup_table import size_text, when

ABOUT_AUTOMATIC = (
    "Koordinator tager selv en sikkerhedskopi hvert kvarter, når data er ændret, og når programmet lukkes. "
    "Hver kopi kontrolleres, før den gemmes. Gamle kopier ryddes op: de 10 nyeste gemmes, og derudover én pr. "
    "dag i en uge, én pr. uge i fem uger og én pr. måned i et år."
)
READ_ONLY = (
    "Databasen er beskadiget og er åbnet kun til læsning, så intet går tabt. Vælg den nyeste "
    "sikkerhedskopi, klik Kontrollér, og gendan den, når den er i orden."
)


def not_local(db: Database) -> str:
    """Why this database has no backups here: shared (IT backs it up) or in memory."""
    if db.dialect == "postgresql":
        return (
            f"Koordinator bruger en delt PostgreSQL-database ({db.where}). Sikkerhedskopier af en delt "
            "database tages af IT på serveren (pg_dump), ikke af Koordinator. Kontakt IT, hvis data skal "
            "gendannes."
        )
    return "Databasen ligger kun i hukommelsen og forsvinder, når programmet lukkes; den kan ikke sikkerhedskopieres."


def encryption(db: Database, *, local: bool) -> str:
    if not local:
        return "Beskyttes af serverens eget login" if db.dialect == "postgresql" else "–"
    if db.encrypted:
        return "Krypteret (SQLCipher) – sikkerhedskopierne krypteres med samme adgangskode"
    return "IKKE krypteret (demo/test) – må ikke indeholde rigtige patientdata"


def count(backups: list[BackupInfo]) -> str:
    if not backups:
        return "Der er endnu ingen sikkerhedskopier af denne database i mappen."
    noun = "sikkerhedskopi" if len(backups) == 1 else "sikkerhedskopier"
    return f"{len(backups)} {noun}, nyeste først. Den nyeste er taget {when(backups[0].created)}."


def taken(info: BackupInfo) -> str:
    seconds = f" på {info.seconds:.1f} sekunder".replace(".", ",") if info.seconds is not None else ""
    return f"Sikkerhedskopien er taget{seconds} og kontrolleret: {info.path.name} ({size_text(info.size)})."


def checked(backup: BackupInfo, check: CheckResult) -> str:
    """The outcome of Kontrollér."""
    if check.ok:
        return f"Sikkerhedskopien taget {when(backup.created)} er kontrolleret og i orden."
    cause = "er beskadiget eller passer ikke til databasens adgangskode" if backup.encrypted else "er beskadiget"
    first = check.problems[0] if check.problems else "ukendt fejl"
    return (
        f"Sikkerhedskopien taget {when(backup.created)} {cause} og kan ikke bruges ({first}). "
        "Vælg en anden sikkerhedskopi."
    )


def restore_question(backup: BackupInfo, db_path: Path) -> str:
    """What the coordinator agrees to before a restore."""
    return (
        f"Gendan databasen fra sikkerhedskopien taget {when(backup.created)}?\n\n"
        "• Koordinator lukker databasen, mens den gendannes.\n"
        f"• Den nuværende databasefil gemmes som {backups.previous_name(db_path).name} i samme mappe (tidligere "
        "gemte filer bevares).\n"
        "• Alt, hvad der er skrevet i Koordinator, efter sikkerhedskopien blev taget, går tabt.\n\n"
        "Sikkerhedskopien kontrolleres, før noget ændres. Består den ikke kontrollen, er databasen uændret."
    )


def plain_into_encrypted(backup: BackupInfo) -> str:
    return (
        f"Sikkerhedskopien taget {when(backup.created)} er ikke krypteret, men databasen er. En ukrypteret "
        "kopi gendannes ikke ind i en krypteret database, for så ville patientdata ligge ukrypteret på "
        "disken. Vælg en krypteret sikkerhedskopi, eller kontakt IT. Databasen er ikke ændret."
    )


def needs_passphrase(backup: BackupInfo) -> str:
    return (
        f"Sikkerhedskopien taget {when(backup.created)} er krypteret, men databasen er åbnet uden adgangskode. "
        "Start Koordinator med den krypterede database, eller kontakt IT. Databasen er ikke ændret."
    )


def restore_failed(message: str) -> str:
    """A failed restore's message, saying that the database is unchanged and in use."""
    text = message
    if "ikke ændret" not in text:
        text += " Den nuværende database er ikke ændret."
    return text + " Koordinator arbejder videre med den."


def restored(backup: BackupInfo, info: RestoreInfo) -> str:
    kept = f"\n\nDen tidligere database er gemt som {info.previous}." if info.previous else ""
    return f"Databasen er gendannet fra sikkerhedskopien taget {when(backup.created)}.{kept}"
