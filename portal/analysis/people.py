"""People as links in the network: single points of failure and overloaded people."""


def single_points_of_failure(index):
    """Return ``(person, parts)`` for every person whose removal splits connected forums apart.

    ``parts`` is how many separate groups the person's part of the network falls into without
    them. The graph has forums and people as separate nodes (a shared key does not merge them).
    People in one forum are leaves: they can never disconnect two forums, so they are left out
    before the search, which shrinks the graph to forums and the people who link them.
    """
    adjacency = [[] for _ in index.forum_keys]
    linkers = []  # the person of node ``len(forum_keys) + i`` is ``linkers[i]``
    for person, forum_ids in index.person_forum_ids.items():
        if len(forum_ids) < 2:
            continue
        node = len(adjacency)
        adjacency.append(forum_ids)
        for forum_id in forum_ids:
            adjacency[forum_id].append(node)
        linkers.append(person)
    separated, is_root = _separated_children(adjacency)
    found = []
    for node, person in enumerate(linkers, start=len(index.forum_keys)):
        parts = separated[node] if is_root[node] else separated[node] + 1
        if parts >= 2:
            found.append((person, parts))
    found.sort()
    return found


def overloaded_people(index, min_forums):
    """Return ``(person, forum_count)`` for people in at least ``min_forums`` forums, sorted."""
    return sorted(
        (person, len(forums))
        for person, forums in index.person_forum_ids.items()
        if len(forums) >= min_forums
    )


def _separated_children(adjacency):
    """Depth-first search (Hopcroft-Tarjan) without recursion.

    Returns, per node, how many of its DFS children cannot reach above it (``low >= disc``),
    and which nodes are DFS roots. A non-root node with one such child, or a root with two children,
    is an articulation point.
    """
    size = len(adjacency)
    disc = [0] * size  # discovery time, 0 = not yet visited
    low = [0] * size
    separated = [0] * size
    is_root = [False] * size
    timer = 1
    for root in range(size):
        if disc[root]:
            continue
        is_root[root] = True
        disc[root] = low[root] = timer
        timer += 1
        stack = [(root, -1, iter(adjacency[root]))]
        while stack:
            node, parent, neighbours = stack[-1]
            for other in neighbours:
                if not disc[other]:
                    disc[other] = low[other] = timer
                    timer += 1
                    stack.append((other, node, iter(adjacency[other])))
                    break
                if other != parent and disc[other] < low[node]:
                    low[node] = disc[other]
            else:
                stack.pop()
                if stack:
                    above = stack[-1][0]
                    if low[node] < low[above]:
                        low[above] = low[node]
                    if low[node] >= disc[above]:
                        separated[above] += 1
    return separated, is_root
