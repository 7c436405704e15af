"""Who may do what: roles, the person acting, and the checks every door (page or CLI) goes through.

The checks live here, not in the pages, so that ``sote import`` and the upload page refuse the
same things with the same messages. The roles are the ministry's own words:

* ``lukija`` reads everything published;
* ``valmistelija`` (a preparer) has a list of areas, and uploads and reverts only for those;
* ``ministerio`` reads and exports everything and uploads national risks and the roadmap;
* ``yllapitaja`` (administrator) may do everything, roles and any revert included.

Without sign-in configured the app runs *open* on one machine (demos, a single preparer) while
the user table is empty: the person is whoever runs it, with every right, and the pages say so.
Once anyone is in the table, a visitor without sign-in is anonymous and at most a reader. With
sign-in, a signed-in person unknown to the user table gets ``SOTE_UNKNOWN_USER_ROLE`` (``lukija``
by default, or ``ei`` for no rights at all).
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from .errors import Issue, SoteError
from .i18n import t


class Role(StrEnum):
    READER = "lukija"
    PREPARER = "valmistelija"
    MINISTRY = "ministerio"
    ADMIN = "yllapitaja"

    def label(self, lang: str | None = None) -> str:
        return t(f"role.{self.value}", lang)


#: the value of SOTE_UNKNOWN_USER_ROLE that gives an unknown signed-in person no rights
NO_ROLE = "ei"
#: the name an anonymous page visitor's exports are audited under (see ``Principal.visitor``)
ANONYMOUS_USER = "anonyymi"


def parse_role(text: str) -> Role:
    """A role from its Finnish name (or the English member name), for the CLI and settings."""
    cleaned = text.strip().lower().replace("ö", "o").replace("ä", "a")
    for role in Role:
        if cleaned in {role.value, role.name.lower()}:
            return role
    raise SoteError(
        Issue("unknown_role", params={"value": text, "roles": ", ".join(r.value for r in Role)})
    )


def check_role_areas(username: str, role: Role, codes: Iterable[str]) -> None:
    """A preparer works for the areas named with the role, and only a preparer has areas (the
    ministry and an administrator act for all, a reader for none): a role given otherwise is
    refused before it is stored."""
    has_areas = bool(list(codes))
    if role is Role.PREPARER and not has_areas:
        raise SoteError(Issue("preparer_needs_areas", params={"user": username}))
    if role is not Role.PREPARER and has_areas:
        raise SoteError(Issue("areas_only_for_preparers", params={"role": role.value}))


@dataclass(frozen=True)
class _Action:
    """An action named in a message, in the message's language (see ``Issue._params``)."""

    key: str

    def localise(self, lang: str | None) -> str:
        return t(f"action.{self.key}", lang)


@dataclass(frozen=True)
class Principal:
    """The person acting, as far as rights go. ``role`` None: signed in but with no rights."""

    user: str
    role: Role | None
    areas: frozenset[str] = field(default_factory=frozenset)
    channel: str = "ui"  # "ui" or "cli": written into the audit trail
    open_mode: bool = False
    anonymous: bool = False  # a page visitor without sign-in, once the user table has anyone

    @classmethod
    def open(cls, user: str, channel: str = "ui") -> Principal:
        """The open, single-machine mode: every right, recorded under the local user's name."""
        return cls(user=user, role=Role.ADMIN, channel=channel, open_mode=True)

    @classmethod
    def visitor(cls, unknown_role: str = Role.READER.value) -> Principal:
        """Someone on the pages without sign-in configured, once people are in the user table.

        ``SOTE_UNKNOWN_USER_ROLE`` decides as for a signed-in stranger, but never more than
        reading: nobody has said who this is, so nothing they did could be put in the audit
        trail under a name, and anyone who reaches the address would have the right.
        """
        if unknown_role.strip().lower() == NO_ROLE:
            role = None
        else:
            parse_role(unknown_role)  # a misspelt setting is named, as for a signed-in stranger
            role = Role.READER
        return cls(user=ANONYMOUS_USER, role=role, channel="ui", anonymous=True)

    def role_label(self, lang: str | None = None) -> str:
        """The role as a page names it; "no role" (``access.no_role``) for a person without one."""
        return self.role.label(lang) if self.role else t("access.no_role", lang)

    # --- what the role allows ----------------------------------------------------------------

    @property
    def can_read(self) -> bool:
        return self.role is not None

    @property
    def can_export(self) -> bool:
        """A download holds no more than the page shows: whoever reads may export."""
        return self.can_read

    @property
    def can_upload(self) -> bool:
        return self.role in {Role.PREPARER, Role.MINISTRY, Role.ADMIN}

    @property
    def can_change_roadmap(self) -> bool:
        return self.role in {Role.MINISTRY, Role.ADMIN}

    @property
    def can_report_national_risks(self) -> bool:
        return self.role in {Role.MINISTRY, Role.ADMIN}

    @property
    def can_manage_users(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def can_read_audit(self) -> bool:
        """The audit trail and the list of people (the administration page, the tables' audit
        table, ``sote export --table audit``): the ministry oversees, an administrator manages."""
        return self.role in {Role.MINISTRY, Role.ADMIN}

    @property
    def can_replace_data(self) -> bool:
        """Loading the example data deletes what is stored: only an administrator's act."""
        return self.role is Role.ADMIN

    @property
    def can_revert_any(self) -> bool:
        """Any import back, whoever made it and whatever it touched: an administrator."""
        return self.role is Role.ADMIN

    @property
    def can_replace_indicator_metadata(self) -> bool:
        """An import that names an indicator replaces its name, unit, source and licence unless
        a preparer brings it and another person set them: a preparer reports for their areas,
        not the indicator's description."""
        return self.role is not Role.PREPARER

    @property
    def all_areas(self) -> bool:
        """Uploads for any area: everybody who uploads except a preparer."""
        return self.role in {Role.MINISTRY, Role.ADMIN}

    def may_report_for(self, area_code: str | None) -> bool:
        """May this person store a status or a risk of ``area_code`` (None: a national risk)?"""
        if area_code is None:
            return self.can_report_national_risks
        if self.all_areas:
            return True
        return self.role is Role.PREPARER and area_code in self.areas

    def may_report_for_organiser(self, area_codes: Iterable[str]) -> bool:
        """May this person store an organiser's handover report or registry row? Only when
        every area of its members is theirs (one of several areas, HUS say, is the ministry's):
        the same reach that reverting the import will ask for."""
        codes = list(area_codes)
        if not codes:
            return self.all_areas
        return all(self.may_report_for(code) for code in codes)

    def may_revert(self, import_areas: Iterable[str | None], *, changes_roadmap: bool) -> bool:
        """An administrator reverts anything; others only imports they could have made. An
        import that touches no area (the example roadmap) is nobody's area to take back: only
        the ministry (or an administrator) reverts it."""
        if self.can_revert_any:
            return True
        if not self.can_upload or (changes_roadmap and not self.can_change_roadmap):
            return False
        reach = list(import_areas)
        if not reach:
            return self.all_areas
        return all(self.may_report_for(code) for code in reach)

    def require(self, allowed: bool, action: str) -> None:
        """Refuse ``action`` (a catalog key ``action.<name>``) when it is not ``allowed``."""
        if not allowed:
            raise SoteError(
                Issue(
                    "forbidden",
                    params={
                        "user": self.user,
                        "role": self.role.value if self.role else NO_ROLE,
                        "action": _Action(action),
                    },
                )
            )


def local_user() -> str:
    """The login name of whoever runs the app or the command in the open mode: the name the
    audit trail records for them, the same for a page and for ``sote``."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a container
        return "paikallinen"
