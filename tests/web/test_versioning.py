"""The one optimistic-locking rule (piiplan.web.versioning), on any versioned model."""

from __future__ import annotations

import pytest

from piiplan.web.accounts.models import Agency
from piiplan.web.versioning import ConflictError, claim, guarded_update, parse_version

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("sent", [None, "", "abc", "0", "-1", "1.5", str(2**40), "2"])
def test_a_missing_bad_or_stale_version_is_refused_and_changes_nothing(sent):
    agency = Agency.objects.create(code="SO-X", name="Sở X", kind="department")
    with pytest.raises(ConflictError, match="Cơ quan X vừa được người khác cập nhật"):
        guarded_update(Agency, agency.pk, sent, "Cơ quan X", name="Đổi tên")
    agency.refresh_from_db()
    assert agency.name == "Sở X" and agency.version == 1


def test_the_current_version_wins_once():
    agency = Agency.objects.create(code="SO-Y", name="Sở Y", kind="department")
    assert guarded_update(Agency, agency.pk, " 1 ", "Cơ quan Y", name="Sở Y mới") == 2
    with pytest.raises(ConflictError):
        guarded_update(Agency, agency.pk, 1, "Cơ quan Y", name="Ghi đè")
    agency.refresh_from_db()
    assert (agency.name, agency.version) == ("Sở Y mới", 2)
    assert claim(agency, 2, "Cơ quan Y") == 3 and agency.version == 3


def test_parse_version():
    assert [parse_version(v) for v in (1, "7", " 3 ", 0, None, "x", 2**31 + 1)] == [1, 7, 3, None, None, None, None]
