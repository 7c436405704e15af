"""``sote users …`` and ``sote revert``, and who the command line acts as.

The command line follows the same rights as the pages. While the user table is empty the tool is
in the open, single-machine mode (the first administrator is added that way); once anyone is in
the table, a command that changes data acts as ``--user`` or ``SOTE_USER`` and is checked against
that person's role, and its audit row says "cli".
"""

from __future__ import annotations

import argparse
import json
import sys

from ..domain.access import Principal, local_user
from ..domain.errors import Issue, SoteError
from ..domain.i18n import t
from ..domain.settings import load_settings
from ..store import people as accounts
from ..store.engine import Store

EXIT_OK = 0


def cli_principal(store: Store, user: str | None) -> Principal:
    """Who this command acts as (see the module's docstring)."""
    user = user or load_settings().user
    if not accounts.has_users(store):
        return Principal.open(user or local_user(), channel="cli")
    if not user:
        raise SoteError(Issue("cli_user_needed"))
    principal = accounts.principal_for(store, user, channel="cli", unknown_role="ei")
    if not principal.can_read:  # not in the table: no rights, and no one to act as
        raise SoteError(Issue("unknown_user", params={"user": user}))
    return principal


def _add_user_option(parser: argparse.ArgumentParser, *, nested: bool = False) -> None:
    # a nested parser must not reset what the outer one already read
    default = argparse.SUPPRESS if nested else None
    parser.add_argument("--user", metavar="NAME", default=default, help=t("cli.user"))


def _add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=t("cli.db"))


def configure_users(parser: argparse.ArgumentParser) -> None:
    _add_user_option(parser)
    actions = parser.add_subparsers(dest="users_action", required=True, metavar="ACTION")
    for name in ("add", "set-role"):
        sub = actions.add_parser(name, help=t(f"cli.users.{name}"))
        sub.add_argument("username")
        sub.add_argument("--role", required=True, help=t("cli.users.role"))
        sub.add_argument(
            "--area", action="append", default=[], metavar="CODE", help=t("cli.users.area")
        )
        sub.add_argument("--name", dest="display_name", help=t("cli.users.name"))
        _add_db_option(sub)
        _add_user_option(sub, nested=True)
    remove = actions.add_parser("remove", help=t("cli.users.remove"))
    remove.add_argument("username")
    _add_db_option(remove)
    _add_user_option(remove, nested=True)
    listing = actions.add_parser("list", help=t("cli.users.list"))
    listing.add_argument("--json", action="store_true", help=t("cli.users.json"))
    _add_db_option(listing)


def run_users(args: argparse.Namespace) -> int:
    with Store.open(args.db) as store:
        if args.users_action == "list":
            table = accounts.users(store)
            if args.json:
                rows = [
                    {
                        "username": row.username,
                        "role": row.role,
                        "areas": [c for c in (row.areas or "").split(",") if c],
                        "display_name": row.display_name,
                    }
                    for row in table.itertuples()
                ]
                print(json.dumps(rows, ensure_ascii=False))
            else:
                for row in table.itertuples():
                    areas = row.areas or "–"
                    print(f"{row.username}\t{row.role}\t{areas}\t{row.display_name or ''}")
            return EXIT_OK
        actor = cli_principal(store, args.user)
        if args.users_action == "remove":
            accounts.remove_user(store, actor, args.username)
            print(t("cli.users.removed", user=args.username))
            return EXIT_OK
        if args.users_action == "set-role" and args.username not in set(
            accounts.users(store)["username"]
        ):
            raise SoteError(Issue("unknown_user", params={"user": args.username}))
        accounts.set_user(
            store,
            actor,
            args.username,
            args.role,
            args.area,
            display_name=args.display_name,
        )
        print(t("cli.users.saved", user=args.username, role=args.role))
    return EXIT_OK


def configure_revert(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("import_id", type=int, help=t("cli.revert.import_id"))
    _add_user_option(parser)


def run_revert(args: argparse.Namespace) -> int:
    with Store.open(args.db) as store:
        actor = cli_principal(store, args.user)
        accounts.revert_import(store, actor, args.import_id)
    print(t("cli.revert.done", import_id=args.import_id), file=sys.stdout)
    return EXIT_OK
