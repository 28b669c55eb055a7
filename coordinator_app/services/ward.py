"""The ward's sender details printed on every document (afsender): phone and secure mailbox (F3); and the ward the
first run set up (``load_ward_setup``, issue 9) — the database's own ward (``own_ward``: the title names it, a new
admission starts on it) — and whether the database is a demo. No storage layer here: the first screen reads these
before it loads (issue 7).

Kept in the database's ``app_meta`` so every workstation sharing a database prints the same sender.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from coordinator_app.infra.resources import load_centres
from coordinator_app.services.context import ServiceContext

META_KEY = "ward_profile"
WARD_SETUP_KEY = "ward_setup"
DEMO_META_KEY = "demo"  # "1" in a demo database (services.setup.load_demo_ward sets it)


#: The default signature title: the ward's contact person, as the forms label the sender.
DEFAULT_TITLE = "Kontaktperson på afsnittet"


@dataclass(frozen=True)
class WardProfile:
    phone: str = ""
    secure_mail: str = ""  # F3: the ward's system-based entrance
    #: The signature's title on every form. Not "Udskrivningskoordinator": in the agreement (section
    #: *Udskrivningskoordinatorer*) that is the mentor of lov om aktiv beskæftigelsesindsats § 6. A ward's own
    #: saved title is kept (``load_profile``).
    coordinator_title: str = DEFAULT_TITLE


#: Demo sender: obviously fictitious (the .invalid domain can never exist).
DEMO_PROFILE = WardProfile(phone="12 34 56 78", secure_mail="afsnit7.demo@koordinator.invalid")


def load_profile(ctx: ServiceContext) -> WardProfile:
    raw = ctx.database.get_meta(META_KEY)
    if not raw:
        return WardProfile()
    try:
        data = json.loads(raw)
    except ValueError:
        return WardProfile()
    known = {k: str(v) for k, v in data.items() if k in WardProfile.__dataclass_fields__}
    return WardProfile(**known)


def save_profile(ctx: ServiceContext, profile: WardProfile) -> None:
    ctx.database.set_meta(META_KEY, json.dumps(asdict(profile), ensure_ascii=False))


@dataclass(frozen=True)
class WardSetup:
    centre: str
    ward: str
    kommuner: tuple[str, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        return f"{self.centre}, {self.ward}"


def load_ward_setup(ctx: ServiceContext) -> WardSetup | None:
    """The ward the first run set up (name and kommuner), None for a database from before issue 9 or a demo."""
    raw = ctx.database.get_meta(WARD_SETUP_KEY)
    if not raw:
        return None
    try:
        data = json.loads(raw)
        return WardSetup(str(data["centre"]), str(data["ward"]), tuple(str(c) for c in data.get("kommuner", ())))
    except (ValueError, KeyError, TypeError):
        return None


def is_demo(ctx: ServiceContext) -> bool:
    return ctx.database.get_meta(DEMO_META_KEY) == "1"


def own_ward(ctx: ServiceContext, demo: bool | None = None) -> WardSetup | None:
    """The ward this database belongs to: the demo ward (``centre.csv``'s first centre and afsnit), or the one the
    first run set up (issue 9); None when neither is known. ``demo``: ``is_demo`` when the caller knows it. What
    the window's title names, and where Ny indlæggelse starts (issue 16)."""
    if demo is None:
        demo = is_demo(ctx)
    if demo:
        known = load_centres()
        return WardSetup(known[0].name, known[0].wards[0]) if known and known[0].wards else None
    return load_ward_setup(ctx)


def ward_title(ctx: ServiceContext, demo: bool) -> str:
    """The ward named in the window's title (``own_ward``), else none."""
    ward = own_ward(ctx, demo)
    return ward.name if ward is not None else ""
