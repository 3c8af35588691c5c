"""No chaining, blanks never match, customer_ref, and the clustering oracle."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pandas as pd
import pytest

from eclp.identity import resolve
from eclp.identity.cluster import cluster, components

from .conftest import people, same_customer


def test_a_bridge_record_does_not_chain_two_people_in_conflict():
    # B (email only) links strongly to A (same email) and to C (same phone), but A and C are
    # different people by first name and birth date: all three must not become one customer.
    recs = people(
        {
            "source_record_id": "A",
            "email": "pat@x.org",
            "first_name": "Patricia",
            "last_name": "Lowe",
            "birth_date": "1970-01-05",
        },
        {"source_record_id": "B", "email": "pat@x.org", "phone": "+447700900321"},
        {
            "source_record_id": "C",
            "phone": "+447700900321",
            "first_name": "Gordon",
            "last_name": "Lowe",
            "birth_date": "1968-09-30",
        },
    )
    res = resolve(recs)
    assert not same_customer(res, ("shop", "A"), ("shop", "C"))
    assert res.stats["largest_cluster"] <= 2


def test_records_with_only_blank_fields_stay_apart():
    res = resolve(
        people({"source_record_id": "1"}, {"source_record_id": "2"}, {"source_record_id": "3"})
    )
    assert res.identity_map["customer_id"].nunique() == 3
    assert len(res.links) == 0


def test_many_records_with_blank_names_and_emails_form_no_giant_cluster():
    rows = [{"source_record_id": f"r{i}", "city": "London", "country": "GB"} for i in range(300)]
    rows += [{"source_record_id": f"p{i}", "phone": "+447700900000"} for i in range(60)]
    res = resolve(people(*rows))
    assert res.stats["largest_cluster"] == 1
    assert res.stats["customers"] == 360


def test_records_of_one_source_sharing_a_customer_ref_are_one_customer():
    recs = people(
        {
            "source": "stripe",
            "source_record_id": "ch_1",
            "customer_ref": "cus_9",
            "email": "a@x.com",
            "first_name": "Ann",
        },
        {
            "source": "stripe",
            "source_record_id": "ch_2",
            "customer_ref": "cus_9",
            "email": "b@y.com",
            "first_name": "Ann",
        },
        {
            "source": "stripe",
            "source_record_id": "ch_3",
            "customer_ref": "cus_7",
            "email": "c@z.com",
            "first_name": "Bo",
        },
        {"source": "other", "source_record_id": "x", "customer_ref": "cus_9", "first_name": "Zed"},
    )
    res = resolve(recs)
    assert same_customer(res, ("stripe", "ch_1"), ("stripe", "ch_2"))
    assert not same_customer(res, ("stripe", "ch_1"), ("stripe", "ch_3"))
    assert not same_customer(res, ("stripe", "ch_1"), ("other", "x"))
    rules = res.identity_map.set_index("source_record_id")["rule"]
    assert "customer_ref" in {rules["ch_1"], rules["ch_2"]}


def _brute_components(n: int, edges: list[tuple[int, int]]) -> list[set[int]]:
    groups = [{i} for i in range(n)]
    changed = True
    while changed:
        changed = False
        for x, y in itertools.combinations(range(len(groups)), 2):
            if any(
                (u in groups[x] and v in groups[y]) or (v in groups[x] and u in groups[y])
                for u, v in edges
            ):
                groups[x] |= groups.pop(y)
                changed = True
                break
    return groups


def _links(edges, conflicts=()):
    rows = [
        {
            "a": u,
            "b": v,
            "p": 0.999,
            "merge": True,
            "forced": False,
            "conflict": False,
            "forbidden": False,
        }
        for u, v in edges
    ]
    rows += [
        {
            "a": u,
            "b": v,
            "p": 0.001,
            "merge": False,
            "forced": False,
            "conflict": True,
            "forbidden": False,
        }
        for u, v in conflicts
    ]
    return pd.DataFrame(rows, columns=["a", "b", "p", "merge", "forced", "conflict", "forbidden"])


@pytest.mark.parametrize("seed", range(25))
def test_without_conflicts_clusters_equal_brute_force_connected_components(seed):
    rng = random.Random(seed)
    n = rng.randint(2, 12)
    edges = sorted({tuple(sorted(rng.sample(range(n), 2))) for _ in range(rng.randint(0, 14))})
    result = cluster(n, _links(edges), max_size=1000, support=0.0)
    got = {}
    for node, label in enumerate(result.labels):
        got.setdefault(label, set()).add(node)
    assert sorted(map(sorted, got.values())) == sorted(map(sorted, _brute_components(n, edges)))
    assert (
        components(
            n,
            np.array([e[0] for e in edges], dtype=int),
            np.array([e[1] for e in edges], dtype=int),
        )
        == result.labels
    ).all()


@pytest.mark.parametrize("seed", range(25))
def test_with_conflicts_no_cluster_holds_a_conflict_and_no_allowed_merge_is_left(seed):
    rng = random.Random(seed)
    n = rng.randint(3, 12)
    pairs = list(itertools.combinations(range(n), 2))
    rng.shuffle(pairs)
    edges = pairs[: rng.randint(1, len(pairs) // 2 + 1)]
    conflicts = [p for p in pairs[len(edges) :] if rng.random() < 0.3]
    result = cluster(n, _links(edges, conflicts), max_size=1000, support=0.0)
    labels = result.labels
    for u, v in conflicts:
        assert labels[u] != labels[v]
    # Maximal: any merge edge left between two clusters would bring a conflict with it.
    for u, v in edges:
        if labels[u] != labels[v]:
            left = {i for i in range(n) if labels[i] == labels[u]}
            right = {i for i in range(n) if labels[i] == labels[v]}
            assert any(
                (x in left and y in right) or (y in left and x in right) for x, y in conflicts
            )


def test_a_placeholder_email_shared_by_many_people_glues_nobody():
    names = ["Ann", "Ben", "Cara", "Dev", "Eli", "Fay", "Gus", "Hal", "Ida", "Jo"] * 6
    rows = [
        {
            "source_record_id": f"r{i}",
            "email": "info@shop.example",
            "first_name": n,
            "last_name": f"Person{i}",
        }
        for i, n in enumerate(names)
    ]
    res = resolve(people(*rows))
    assert res.stats["largest_cluster"] == 1


def test_empty_input_gives_empty_results():
    res = resolve(people().iloc[0:0])
    assert len(res.identity_map) == 0
    assert len(res.golden) == 0
    assert res.stats["customers"] == 0


@pytest.mark.parametrize("informative, together", [(False, True), (True, False)])
def test_only_pairs_that_could_tell_people_apart_count_against_a_merge(informative, together):
    # 0-1 and 1-2 are strong links; 0-2 is weak. If 0 and 2 shared nothing but a name, the weak
    # pair says nothing and 2 joins; if they compared an identifier and it failed, 2 stays out.
    links = pd.DataFrame(
        {
            "a": [0, 1, 0],
            "b": [1, 2, 2],
            "p": [0.999, 0.995, 0.05],
            "merge": [True, True, False],
            "forced": False,
            "conflict": False,
            "forbidden": False,
            "informative": [True, True, informative],
        }
    )
    labels = cluster(3, links, max_size=100, support=0.7).labels
    assert bool(labels[2] == labels[0]) is together
    assert labels[0] == labels[1]
