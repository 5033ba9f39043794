"""People as links in the network: single points of failure and overloaded people."""


def single_points_of_failure(index):
    """Return ``(person, parts, cut_off)`` for every person whose removal splits forums apart.

    ``parts`` is how many separate groups the person's part of the network falls into without
    them; ``cut_off`` is the sorted keys of the forums in every such group but the *main* one
    (most forums, then most people not counting the person, then the smallest forum key).

    The graph has forums and people as separate nodes (a shared key does not merge them).
    People in one forum are leaves: they can never disconnect two forums, so they are left out
    of the search (which shrinks the graph to forums and the people who link them) and only
    counted, per forum, for the people in each group.
    """
    keys = index.forum_keys
    forum_count = len(keys)
    adjacency = [[] for _ in keys]
    weight = [0] * forum_count  # people per node: a forum's leaves; a linker counts 1
    linkers = []  # the person of node ``forum_count + i`` is ``linkers[i]``
    for person, forum_ids in index.person_forum_ids.items():
        if len(forum_ids) < 2:
            weight[forum_ids[0]] += 1
            continue
        node = len(adjacency)
        adjacency.append(forum_ids)
        weight.append(1)
        for forum_id in forum_ids:
            adjacency[forum_id].append(node)
        linkers.append(person)
    search = _search(adjacency)
    groups = _Groups(search, weight, forum_count)
    found = []
    for node, person in enumerate(linkers, start=forum_count):
        separated = search.separated[node]
        if len(separated) + (0 if search.parent[node] < 0 else 1) < 2:
            continue
        parts = groups.parts(node)
        cut_off = sorted(keys[forum_id] for forum_id in groups.cut_off(parts))
        found.append((person, len(parts), cut_off))
    found.sort()
    return found


def overloaded_people(index, min_forums):
    """Return ``(person, forum_count)`` for people in at least ``min_forums`` forums, sorted."""
    return sorted(
        (person, len(forums))
        for person, forums in index.person_forum_ids.items()
        if len(forums) >= min_forums
    )


class _Search:
    """The result of a depth-first search: preorder, subtree sizes, parents, separated children."""

    __slots__ = ("children", "disc", "order", "parent", "root", "separated", "size")


def _search(adjacency):
    """Depth-first search (Hopcroft-Tarjan) without recursion.

    Records each node's preorder position (``disc``, from 0), the preorder itself, subtree sizes,
    DFS parents and children, each node's DFS root, and per node the children that cannot reach
    above it (``low >= disc``): removing the node cuts each of those subtrees off on its own.
    A non-root node with one such child, or a root with two children, is an articulation point.
    """
    size = len(adjacency)
    disc = [-1] * size
    low = [0] * size
    parent = [-1] * size
    root_of = [0] * size
    subtree = [1] * size
    children = [[] for _ in range(size)]
    separated = [[] for _ in range(size)]
    order = []
    for root in range(size):
        if disc[root] >= 0:
            continue
        disc[root] = low[root] = len(order)
        order.append(root)
        root_of[root] = root
        stack = [(root, iter(adjacency[root]))]
        while stack:
            node, neighbours = stack[-1]
            for other in neighbours:
                if disc[other] < 0:
                    disc[other] = low[other] = len(order)
                    order.append(other)
                    parent[other] = node
                    root_of[other] = root
                    children[node].append(other)
                    stack.append((other, iter(adjacency[other])))
                    break
                if other != parent[node] and disc[other] < low[node]:
                    low[node] = disc[other]
            else:
                stack.pop()
                if stack:
                    above = stack[-1][0]
                    subtree[above] += subtree[node]
                    if low[node] < low[above]:
                        low[above] = low[node]
                    if low[node] >= disc[above]:
                        separated[above].append(node)
    search = _Search()
    search.disc, search.order, search.size, search.parent = disc, order, subtree, parent
    search.children, search.separated, search.root = children, separated, root_of
    return search


class _Groups:
    """The parts a person's removal leaves, as preorder ranges, with their forums and people."""

    def __init__(self, search, weight, forum_count):
        self.search = search
        self.forum_count = forum_count
        forums, people = [0], [0]  # prefix sums over the preorder
        for node in search.order:
            forums.append(forums[-1] + (node < forum_count))
            people.append(people[-1] + weight[node])
        self.forums, self.people, self.weight = forums, people, weight

    def _ranges_total(self, ranges, prefix):
        return sum(prefix[end] - prefix[start] for start, end in ranges)

    def parts(self, node):
        """The parts as lists of preorder ranges ``[start, end)``, each with its counts."""
        search = self.search
        disc, size = search.disc, search.size
        parts = [[(disc[c], disc[c] + size[c])] for c in search.separated[node]]
        if search.parent[node] >= 0:
            # The rest of the node's component: what is above it and the children that reach
            # above it, one part together.
            root = search.root[node]
            start, end = disc[root], disc[root] + size[root]
            rest = [(start, disc[node]), (disc[node] + size[node], end)]
            kept = set(search.separated[node])
            rest += [(disc[c], disc[c] + size[c]) for c in search.children[node] if c not in kept]
            parts.append([(a, b) for a, b in rest if a < b])
        return parts

    def forums_in(self, ranges):
        """The forum ids in some preorder ranges."""
        order, limit = self.search.order, self.forum_count
        return [order[i] for start, end in ranges for i in range(start, end) if order[i] < limit]

    def cut_off(self, parts):
        """The forum ids in every part but the main one."""
        ranked = [
            (self._ranges_total(ranges, self.forums), self._ranges_total(ranges, self.people))
            for ranges in parts
        ]
        best = max(ranked)
        tied = [i for i, rank in enumerate(ranked) if rank == best]
        if len(tied) == 1:
            main = tied[0]
        else:  # the smallest forum key (forum ids follow key order) decides
            main = min(tied, key=lambda i: min(self.forums_in(parts[i]), default=self.forum_count))
        return [
            forum for i, ranges in enumerate(parts) if i != main for forum in self.forums_in(ranges)
        ]
