from tests.analysis.helpers import findings, forum, make_doc, subjects


def principal_map(*member_orgs, forum_members=True):
    """A principal "kn" with a sub-unit and a parent, and one forum in area a1."""
    orgs = [
        {"key": "rg", "kind": "region", "principal": True},
        {"key": "kn", "parent": "rg", "principal": True},
        {"key": "kn-vo", "parent": "kn"},
        {"key": "kn-vo-hem", "parent": "kn-vo"},
    ]
    people = [{"key": f"p-{org}", "organisation": org} for org in member_orgs]
    members = [p["key"] for p in people] if forum_members else []
    return make_doc(
        organisations=orgs,
        people=people,
        areas=["a1"],
        forums=[forum("f1", members, apex=True)],
    )


def test_area_no_forum_has_is_uncovered():
    """An area named by no forum is reported, an area named by some forum is not."""
    doc = make_doc(areas=["a1", "a2", "a3"], forums=[forum("f1", areas=["a2"], apex=True)])
    assert findings(doc, "uncovered_area") == [
        {"kind": "uncovered_area", "area": "a1"},
        {"kind": "uncovered_area", "area": "a3"},
    ]


def test_area_covered_by_a_forum_without_members_is_covered():
    """A forum with no members still covers its areas, and then every principal is missing."""
    doc = principal_map(forum_members=False)
    assert findings(doc, "uncovered_area") == []
    assert findings(doc, "missing_principal") == [
        {"kind": "missing_principal", "organisation": org, "area": "a1", "covering_forum_count": 1}
        for org in ("kn", "rg")
    ]


def test_principal_represented_through_a_sub_unit_counts():
    """A member from a sub-unit (at any depth) represents the principal above it."""
    assert subjects(principal_map("kn-vo-hem"), "missing_principal") == []


def test_member_from_a_parent_organisation_does_not_count_for_the_child():
    """A member from the region represents the region, not the municipality below it."""
    assert subjects(principal_map("rg"), "missing_principal") == [("kn", "a1")]


def test_uncovered_area_gives_no_missing_principal():
    """Principals are only checked in covered areas."""
    doc = make_doc(
        organisations=[{"key": "kn", "principal": True}],
        areas=["a1", "a2"],
        forums=[forum("f1", areas=["a1"], apex=True)],
    )
    assert subjects(doc, "missing_principal") == [("kn", "a1")]
    assert subjects(doc, "uncovered_area") == ["a2"]


def test_principal_must_sit_in_a_forum_of_that_area():
    """Membership in a forum of another area does not represent the principal in this one."""
    doc = make_doc(
        organisations=[{"key": "kn", "principal": True}, {"key": "other"}],
        people=[{"key": "p1", "organisation": "kn"}, {"key": "p2", "organisation": "other"}],
        areas=["a1", "a2"],
        forums=[
            forum("f1", ["p1"], areas=["a1"], apex=True),
            forum("f2", ["p2"], areas=["a1", "a2"], apex=True),
        ],
    )
    assert findings(doc, "missing_principal") == [
        {"kind": "missing_principal", "organisation": "kn", "area": "a2", "covering_forum_count": 1}
    ]


def test_every_role_counts_as_member():
    """Chairs, secretaries, coordinators and adjuncts represent their organisation too."""
    roles = ["chair", "member", "secretary", "coordinator", "adjunct"]
    doc = make_doc(
        organisations=[{"key": f"o{i}", "principal": True} for i in range(5)],
        people=[{"key": f"p{i}", "organisation": f"o{i}"} for i in range(5)],
        forums=[
            forum("f1", [{"person": f"p{i}", "role": role} for i, role in enumerate(roles)],
                  apex=True)
        ],
    )
    assert findings(doc, "missing_principal") == []


def test_commission_members_do_not_represent_a_principal():
    """Only forum memberships count, never commission members."""
    doc = make_doc(
        organisations=[{"key": "kn", "principal": True}],
        people=[{"key": "p1", "organisation": "kn"}],
        forums=[forum("f1", apex=True)],
        commissions=[{"key": "c1", "members": ["p1"], "lead": "p1"}],
    )
    assert subjects(doc, "missing_principal") == [("kn", "a1")]
