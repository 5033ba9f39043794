"""Exact forum-to-forum betweenness in the person–forum graph, with sparse matrices.

Brandes' algorithm run for a batch of sources at once: a breadth-first search is a sparse
matrix product per level, and so is the back-propagation of dependencies. This is exact (no
sampling) and many times faster than a node-by-node search in Python, but it is still
quadratic-ish, so the caller runs it on region-sized parts of the network, never on a national
graph in one go.

Sources and targets are forums only: a node's betweenness is the share of shortest paths between
pairs of forums that run through it. People in a single forum can never be inside such a path,
so the caller leaves them out, which shrinks the graph a lot.
"""

import numpy as np
from scipy import sparse

BATCH = 256


def forum_pair_betweenness(edges, forum_count, node_count):
    """Return, per node, the share of forum-to-forum shortest paths running through it.

    Nodes ``0 .. forum_count - 1`` are forums (sources and targets), the others link them;
    ``edges`` is a list of ``(node, node)`` pairs of an undirected simple graph. Each unordered
    pair of forums has weight 1, split over its shortest paths; the sum is divided by the number
    of forum pairs, so values lie in [0, 1].
    """
    total = np.zeros(node_count)
    pairs = forum_count * (forum_count - 1) / 2
    if not edges or pairs == 0:
        return total
    rows, cols = np.array(edges).T
    adjacency = sparse.csr_array(
        (np.ones(2 * len(rows)), (np.concatenate([rows, cols]), np.concatenate([cols, rows]))),
        shape=(node_count, node_count),
    )
    is_target = np.zeros(node_count)
    is_target[:forum_count] = 1.0
    for start in range(0, forum_count, BATCH):
        sources = np.arange(start, min(start + BATCH, forum_count))
        total += _dependencies(adjacency, sources, is_target).sum(axis=0)
    # Every unordered pair was counted from both of its ends.
    return total / 2 / pairs


def _dependencies(adjacency, sources, is_target):
    """Brandes' dependencies of every node, for each source in the batch (rows)."""
    batch, size = len(sources), adjacency.shape[0]
    rows = np.arange(batch)
    sigma = np.zeros((batch, size))
    sigma[rows, sources] = 1.0
    depth = np.full((batch, size), -1, dtype=np.int32)
    depth[rows, sources] = 0
    frontier = sigma.copy()
    level = 0
    while True:
        # Paths to the next level: sums of the path counts of neighbours on this level.
        reached = (adjacency @ frontier.T).T
        reached[depth >= 0] = 0.0
        if not reached.any():
            break
        level += 1
        depth[reached > 0] = level
        sigma += reached
        frontier = reached
    delta = np.zeros((batch, size))
    safe_sigma = np.where(sigma > 0, sigma, 1.0)
    for current in range(level, 0, -1):
        on_level = depth == current
        coefficient = np.where(on_level, (is_target + delta) / safe_sigma, 0.0)
        spread = (adjacency @ coefficient.T).T
        above = depth == current - 1
        delta += np.where(above, sigma * spread, 0.0)
    delta[rows, sources] = 0.0
    return delta
