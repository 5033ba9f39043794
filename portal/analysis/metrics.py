"""Structure metrics for leadership: degrees, betweenness, communities, components.

Slower than the findings (about seconds at national scale), so the app caches the result.

Choices, documented because the numbers depend on them:

- **Graph.** People and forums are separate nodes joined by membership (a shared key does not
  merge them). The *forum projection* joins two forums with an edge weighted by their number of
  shared members.
- **Betweenness** of a person or a forum is the share of shortest paths between pairs of forums
  that run through it (Brandes, exact, sources and targets = forums; see ``betweenness``);
  ``brokered_pairs`` is the same before dividing by the number of forum pairs of the part, so it
  compares across parts of different size. It is
  computed within each connected component when the component has at most
  ``EXACT_FORUM_LIMIT`` forums, which covers a whole region. A larger component (a national map,
  where national forums tie the regions together) is never done in one go: it is split into its
  Louvain communities, which in practice are region-sized, and betweenness is exact within each
  community; ``betweenness_scope`` says which applied. A person whose forums lie in several
  communities gets the largest of their values; ``communities`` counts how many communities
  their forums span (2 or more: a link between regions, which within-community betweenness does
  not show).
- **Communities** are ``networkx.community.louvain_communities`` of the weighted forum
  projection with the given seed. Each is compared with the formal reporting structure: a
  forum's *reporting tree* is where its ``reports_to`` chain stops (the first apex, the last
  forum, or the lowest key of a cycle) and its *reporting subtree* is the branch directly below
  that top. A community *cuts across* subtrees when its forums belong to more than one.
"""

from collections import Counter

import networkx as nx

from portal.analysis.betweenness import forum_pair_betweenness
from portal.analysis.index import MapIndex
from portal.analysis.pairwise import shared_member_counts

EXACT_FORUM_LIMIT = 500
DIGITS = 6


def structure_metrics(doc, seed=42):
    """Return the structure metrics of a normalized map as JSON-serialisable plain data."""
    index = MapIndex(doc)
    keys = index.forum_keys
    projection = nx.Graph()
    projection.add_nodes_from(range(len(keys)))
    projection.add_weighted_edges_from(
        (*divmod(code, len(keys)), count) for code, count in shared_member_counts(index).items()
    )
    communities = _sorted_parts(
        nx.community.louvain_communities(projection, weight="weight", seed=seed), keys
    )
    components = _sorted_parts(nx.connected_components(projection), keys)
    tree, subtree = reporting_subtrees(index)
    parts, scope = _betweenness_parts(components, communities)
    forum_values, person_values = _betweenness(index, parts)
    position = {
        "community": {f: number for number, part in enumerate(communities) for f in part},
        "component": {f: number for number, part in enumerate(components) for f in part},
    }
    forums = {
        key: {
            "degree": len(index.members[key]),
            "linked_forums": projection.degree(f),
            **_rounded(forum_values[f]),
            "betweenness_scope": scope[f],
            "component": position["component"][f],
            "community": position["community"][f],
            "reporting_tree": tree[key],
            "reporting_subtree": subtree[key],
        }
        for f, key in enumerate(keys)
    }
    people = _people(index, person_values, position)
    modularity = (
        nx.community.modularity(projection, communities, weight="weight")
        if projection.number_of_edges()
        else 0.0
    )
    return {
        "seed": seed,
        "graph": {
            "forums": len(keys),
            "people": len(people),
            "memberships": sum(len(ids) for ids in index.person_forum_ids.values()),
            "forum_links": projection.number_of_edges(),
        },
        "forums": forums,
        "people": people,
        "components": [_component(n, part, keys, index) for n, part in enumerate(components)],
        "communities": [
            _community(n, part, keys, tree, subtree) for n, part in enumerate(communities)
        ],
        "modularity": round(modularity, DIGITS),
        "exact_forum_limit": EXACT_FORUM_LIMIT,
    }


def _people(index, person_values, position):
    """Per person (listed or only named as a member): degree, betweenness, where they sit."""
    people = {}
    for person in sorted(set(index.people) | set(index.person_forum_ids)):
        forum_ids = index.person_forum_ids.get(person, ())
        people[person] = {
            "degree": len(forum_ids),
            **_rounded(person_values.get(person, (0.0, 0.0))),
            "component": position["component"][forum_ids[0]] if forum_ids else None,
            "communities": len({position["community"][f] for f in forum_ids}),
        }
    return people


def _rounded(values):
    share, pairs = values
    return {"betweenness": round(share, DIGITS), "brokered_pairs": round(pairs, 2)}


def reporting_subtrees(index):
    """Return ``(tree, subtree)``: per forum key, the top of its reporting chain and the branch.

    The walk stops at the first apex, at a forum that reports nowhere, or when it comes back to
    a forum it has seen (a cycle without apex, named by its lowest key). The branch is the forum
    just below the top on the chain (the top's own branch is the top). Walks are memoized, so
    each forum is visited once.
    """
    resolved = {}  # forum -> (top, branch)
    for start in index.forum_keys:
        path, on_path = [], set()
        current = start
        while current not in resolved:
            following = index.reports_to.get(current)
            if current in index.apex or following is None or following not in index.reports_to:
                resolved[current] = (current, current)
                break
            path.append(current)
            on_path.add(current)
            if following in on_path:
                cycle = path[path.index(following) :]
                top = min(cycle)
                for forum in cycle:
                    resolved[forum] = (top, top)
                del path[path.index(following) :]
                break
            current = following
        for forum in reversed(path):
            top, branch = resolved[index.reports_to[forum]]
            resolved[forum] = (top, forum if branch == top else branch)
    tree = {forum: top for forum, (top, _branch) in resolved.items()}
    subtree = {forum: branch for forum, (_top, branch) in resolved.items()}
    return tree, subtree


def _sorted_parts(parts, keys):
    """Order forum-id sets by size (largest first), then by their lowest key."""
    return sorted((sorted(part) for part in parts), key=lambda part: (-len(part), keys[part[0]]))


def _betweenness_parts(components, communities):
    """Split the forums into the parts betweenness is computed in, and name each forum's scope.

    Louvain only ever joins neighbours, so a community lies within one component.
    """
    parts, scope = [], {}
    for component in components:
        if len(component) <= EXACT_FORUM_LIMIT:
            parts.append(component)
            scope.update(dict.fromkeys(component, "component"))
            continue
        inside = set(component)
        for community in communities:
            if community[0] in inside:
                parts.append(community)
                scope.update(dict.fromkeys(community, "community"))
    return parts, scope


def _betweenness(index, parts):
    """Return ``(share, pairs)`` per forum id (list) and per person (dict, max over parts)."""
    forum_values = [(0.0, 0.0)] * len(index.forum_keys)
    person_values = {}
    part_of = {f: number for number, part in enumerate(parts) for f in part}
    local_id = {f: position for part in parts for position, f in enumerate(part)}
    linkers = [[] for _ in parts]  # per part: (person, local forum ids)
    for person, forum_ids in index.person_forum_ids.items():
        if len(forum_ids) < 2:
            continue
        by_part = {}
        for f in forum_ids:
            by_part.setdefault(part_of[f], []).append(local_id[f])
        for number, local in by_part.items():
            if len(local) > 1:
                linkers[number].append((person, local))
    for part, people in zip(parts, linkers, strict=True):
        edges = [(f, len(part) + n) for n, (_p, local) in enumerate(people) for f in local]
        shares = forum_pair_betweenness(edges, len(part), len(part) + len(people))
        pairs = len(part) * (len(part) - 1) / 2
        for position, f in enumerate(part):
            share = float(shares[position])
            forum_values[f] = (share, share * pairs)
        for n, (person, _local) in enumerate(people):
            share = float(shares[len(part) + n])
            person_values[person] = max((share, share * pairs), person_values.get(person, (0, 0)))
    return forum_values, person_values


def _component(number, part, keys, index):
    forum_keys = [keys[f] for f in part]
    people = set().union(*(index.members[key] for key in forum_keys))
    return {"id": number, "forums": forum_keys, "person_count": len(people)}


def _community(number, part, keys, tree, subtree):
    forum_keys = [keys[f] for f in part]
    trees = Counter(tree[key] for key in forum_keys)
    subtrees = Counter(subtree[key] for key in forum_keys)
    return {
        "id": number,
        "forums": forum_keys,
        "reporting_trees": dict(sorted(trees.items())),
        "reporting_subtrees": dict(sorted(subtrees.items())),
        "cuts_across_trees": len(trees) > 1,
        "cuts_across_subtrees": len(subtrees) > 1,
    }
