"""People, the audit trail and the demo guard read through the store's own connection: a database
that fails under them is the error model's ``database_unreachable``, never a driver's traceback
(issue 16: the SQL that was in ``accounts`` escaped the error model)."""

import pytest
from sqlalchemy.exc import OperationalError

from sotedata.domain.access import Principal
from sotedata.domain.errors import SoteError
from sotedata.domain.i18n import LANGUAGES, catalog
from sotedata.store import holdings, people
from sotedata.store.engine import Store


class _BrokenEngine:
    """An engine whose every connection fails as a lost database server does."""

    def __init__(self, real):
        self.url = real.url

    def connect(self):
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    def dispose(self):
        pass


@pytest.fixture
def broken(tmp_path):
    with Store.open(f"sqlite:///{tmp_path / 'sote.sqlite'}") as store:
        real = store.engine
        store.engine = _BrokenEngine(real)
        yield store
        store.engine = real


@pytest.mark.parametrize(
    "read",
    [
        people.users,
        people.has_users,
        people.audit_log,
        lambda store: people.principal_for(store, "someone@example.fi"),
        lambda store: people.may_revert(store, Principal("x", None), 1),
        holdings.holdings,
        holdings.at_risk,
    ],
)
def test_a_failing_database_is_an_issue_not_a_traceback(broken, read):
    with pytest.raises(SoteError) as caught:
        read(broken)
    assert [issue.code for issue in caught.value.issues] == ["database_unreachable"]
    assert "server closed the connection" in caught.value.issues[0].message("en")


def test_a_read_inside_a_transaction_sees_the_transactions_own_rows(tmp_path):
    """An administrator added in a transaction is found by the same transaction before it
    commits (the reads share its connection instead of opening a second one)."""
    admin = Principal.open("paikallinen", channel="cli")
    with Store.open(f"sqlite:///{tmp_path / 'sote.sqlite'}") as store, store.transaction():
        people.set_user(store, admin, "uusi@example.fi", "lukija")
        assert people.has_users(store)
        assert people.principal_for(store, "uusi@example.fi").can_read
        assert holdings.holdings(store)["users"] == 1


def test_every_audit_action_is_named_and_an_unknown_one_is_refused(tmp_path):
    """The administration page filters the trail by ``AUDIT_ACTIONS``: an action written under
    another word would be a row nobody can filter for, so ``record`` refuses it unwritten."""
    for action in people.AUDIT_ACTIONS:
        for lang in LANGUAGES:
            assert catalog(lang).get(f"admin.action.{action}"), (action, lang)
    admin = Principal.open("paikallinen", channel="cli")
    with Store.open(f"sqlite:///{tmp_path / 'sote.sqlite'}") as store:
        with pytest.raises(ValueError, match="tuonti"):
            people.record(store, admin, "tuonti", "1")
        assert people.audit_log(store).empty
        people.record(store, admin, "export", "status")
        assert list(people.audit_log(store)["action"]) == ["export"]
