/** GRAPHS: representations, BFS and DFS, shortest paths, topological order, cycles, union-find and spanning trees. */
import { choices, md, text } from './authoring.js';
import type { SeedQuestion } from './types.js';

/** The small directed graph two traversal items below walk. */
const SMALL_GRAPH = text('A: [B, C]', 'B: [D]', 'C: [D, E]', 'D: []', 'E: []');

export const graphsQuestions: SeedQuestion[] = [
  {
    key: 'graphs-001',
    stem: 'Which algorithm finds the fewest edges between two nodes of an **unweighted** graph?',
    options: choices('Breadth-first search', 'Depth-first search', 'Topological sort', 'Kruskal’s algorithm'),
    correct: 'A',
    explanation:
      'BFS visits nodes in order of their distance from the source, so the first time it reaches a node is along a shortest path. DFS may reach it first along a long detour.',
    concepts: ['GRAPHS'],
    discrimination: 1.0,
    difficulty: -2.0,
    guessing: 0.2,
  },
  {
    key: 'graphs-002',
    stem: 'Which structures drive an iterative breadth-first search and an iterative depth-first search?',
    options: choices(
      'BFS a stack, DFS a queue',
      'Both a priority queue',
      'BFS a queue, DFS a stack',
      'Both a hash set, nothing else',
    ),
    correct: 'C',
    explanation:
      'BFS expands the oldest discovered node first (first in, first out); DFS the newest (last in, first out). Both also keep a visited set.',
    concepts: ['GRAPHS'],
    discrimination: 0.9,
    difficulty: -1.7,
    guessing: 0.2,
  },
  {
    key: 'graphs-003',
    stem: 'How much memory does an adjacency-list representation of a graph with `V` vertices and `E` edges take?',
    options: choices('`O(V²)`', '`O(E²)`', '`O(V · E)`', '`O(V + E)`'),
    correct: 'D',
    explanation:
      'One list per vertex, and one entry per edge (two for an undirected edge). A matrix takes `O(V²)` whatever the edges.',
    concepts: ['GRAPHS'],
    discrimination: 0.8,
    difficulty: -1.3,
    guessing: 0.2,
  },
  {
    key: 'graphs-004',
    stem: md(
      'In this directed graph (neighbours listed in order), in which order does a breadth-first search from `A` visit the nodes?',
      '',
      SMALL_GRAPH,
    ),
    options: choices('`A B D C E`', '`A B C D E`', '`A C E D B`', '`A B C E D`'),
    correct: 'B',
    explanation:
      'BFS visits `A`, then its neighbours `B` and `C`, then what they discover: `D` (from `B`; `C` finds it already seen) and `E`. `A B D C E` is the depth-first order.',
    concepts: ['GRAPHS'],
    discrimination: 1.1,
    difficulty: -1.0,
  },
  {
    key: 'graphs-005',
    stem: md(
      'In the same graph, in which order does a **recursive** depth-first search from `A` visit the nodes (neighbours in listed order)?',
      '',
      SMALL_GRAPH,
    ),
    options: choices('`A B C D E`', '`A C E D B`', '`A B D C E`', '`A B D E C`'),
    correct: 'C',
    explanation:
      'DFS goes `A → B → D`, backtracks to `A` (D and B have nothing new), then `C`, whose neighbour `D` is already visited, then `E`.',
    concepts: ['GRAPHS'],
    discrimination: 1.2,
    difficulty: -0.4,
  },
  {
    key: 'graphs-006',
    stem: 'Dijkstra’s algorithm gives correct shortest paths only when...',
    options: choices(
      'the graph has no edge with a negative weight',
      'the graph is acyclic',
      'all the weights are integers',
      'the graph is undirected',
    ),
    correct: 'A',
    explanation:
      'Settling the closest unsettled node is final only if no later path can get cheaper, which a negative edge breaks. Cycles, real weights and directed edges are all fine; with negative edges use Bellman–Ford.',
    concepts: ['GRAPHS'],
    discrimination: 1.3,
    difficulty: 0.0,
  },
  {
    key: 'graphs-007',
    stem: 'Kahn’s algorithm (repeatedly remove a node with in-degree 0) ends with fewer nodes in its output than the graph has. What does that mean?',
    options: choices(
      'The graph is disconnected',
      'The graph has a node with no edges',
      'The graph has a negative-weight edge',
      'The graph has a directed cycle, so no topological order exists',
    ),
    correct: 'D',
    explanation:
      'Nodes on a cycle always keep an incoming edge from the cycle, so their in-degree never reaches 0. Disconnected parts and isolated nodes are output normally.',
    concepts: ['GRAPHS'],
    discrimination: 1.4,
    difficulty: 0.3,
  },
  {
    key: 'graphs-008',
    stem: 'What is the running time of Dijkstra’s algorithm with a binary heap on a graph with `V` vertices and `E` edges?',
    options: choices('`O(V + E)`', '`O((V + E) log V)`', '`O(V · E)`', '`O(V² log E)`'),
    correct: 'B',
    explanation:
      'Each vertex is extracted once and each edge can cause one heap insertion or decrease, each `O(log V)`. `O(V · E)` is Bellman–Ford; `O(V + E)` is BFS on unweighted graphs.',
    concepts: ['GRAPHS', 'COMPLEXITY'],
    discrimination: 1.1,
    difficulty: 0.5,
    guessing: 0.2,
  },
  {
    key: 'graphs-009',
    stem: md(
      'How many islands does this grid hold (land is `1`; cells connect up, down, left and right)?',
      '',
      text('1 1 0 0', '0 1 0 1', '1 0 0 1'),
    ),
    options: choices('2', '4', '3', '5'),
    correct: 'C',
    explanation:
      'The islands are the top-left three cells, the two cells of the right column, and the single bottom-left cell. The bottom-left cell touches the top-left island only diagonally, which does not connect (counting diagonals would give 2).',
    concepts: ['GRAPHS'],
    discrimination: 1.0,
    difficulty: -0.2,
  },
  {
    key: 'graphs-010',
    stem: 'A BFS marks a node visited when it is **dequeued**, not when it is enqueued (and skips a dequeued node already visited). What changes?',
    options: choices(
      'It returns wrong distances',
      'The same node can be enqueued many times, wasting time and memory, though the distances stay correct',
      'It loops forever on any cycle',
      'Nothing at all',
    ),
    correct: 'B',
    explanation:
      'Until a node is dequeued, every neighbour that discovers it enqueues it again: on dense graphs the queue grows toward `O(E)` entries. The first dequeue still happens at the shortest distance, so results stay right.',
    concepts: ['GRAPHS'],
    discrimination: 1.5,
    difficulty: 0.8,
  },
  {
    key: 'graphs-011',
    stem: 'To detect a cycle in a **directed** graph with DFS, nodes are coloured white (unvisited), grey (on the current path) and black (finished). Why is a plain visited flag not enough?',
    options: choices(
      'A visited node reached again may belong to a finished branch (a cross or forward edge), which is no cycle; only an edge to a grey node, an ancestor on the current path, closes a cycle',
      'The flag would use too much memory',
      'With a flag, DFS would never terminate',
      'A visited flag is enough; the colours only speed it up',
    ),
    correct: 'A',
    explanation:
      'In `A → B`, `A → C`, `C → B`, the search meets `B` again from `C` although there is no cycle. In an undirected graph, a visited neighbour other than the parent does mean a cycle.',
    concepts: ['GRAPHS'],
    discrimination: 1.6,
    difficulty: 1.2,
  },
  {
    key: 'graphs-012',
    stem: 'What is the amortized cost of a `find` in a union-find (disjoint set) structure using both path compression and union by rank?',
    options: choices(
      '`O(log n)`',
      '`O(1)` in the worst case',
      '`O(α(n))`, where `α` is the inverse Ackermann function',
      '`O(n)`',
    ),
    correct: 'C',
    explanation:
      'Together they give `O(α(n))` amortized, at most 4 for any practical `n`: nearly constant, but not a worst-case `O(1)` bound. Either technique alone gives `O(log n)`.',
    concepts: ['GRAPHS'],
    discrimination: 1.2,
    difficulty: 1.5,
  },
  {
    key: 'graphs-013',
    stem: 'How does Bellman–Ford detect a negative cycle reachable from the source?',
    options: choices(
      'A distance becomes negative',
      'The algorithm needs more than `E` rounds',
      'A node is relaxed twice in the same round',
      'After `V - 1` rounds of relaxing every edge, some edge can still be relaxed',
    ),
    correct: 'D',
    explanation:
      'Without negative cycles every shortest path has at most `V - 1` edges, so `V - 1` rounds settle all distances; any further improvement proves a negative cycle. Negative distances are normal with negative edges.',
    concepts: ['GRAPHS'],
    discrimination: 1.3,
    difficulty: 1.4,
  },
  {
    key: 'graphs-014',
    stem: 'Every edge weighs 0 or 1. Which method finds shortest paths in `O(V + E)`?',
    options: choices(
      'A BFS with a deque: a node reached by a 0-edge goes to the front, one reached by a 1-edge to the back',
      'Plain BFS, ignoring the weights',
      'DFS, keeping the smallest distance seen',
      'Dijkstra with a max-heap',
    ),
    correct: 'A',
    explanation:
      '0-1 BFS keeps the deque ordered by distance (at most two distinct values in it), like Dijkstra without the log factor. Plain BFS counts edges, not weights.',
    concepts: ['GRAPHS'],
    discrimination: 1.4,
    difficulty: 1.9,
  },
  {
    key: 'graphs-015',
    stem: 'A textbook Dijkstra, which never updates a node once it is settled, runs from `S` on the edges `S → A` (2), `S → B` (3), `B → A` (−2). What distance does it report for `A`?',
    options: choices('1', '3', '2', '−2'),
    correct: 'C',
    explanation:
      '`A` (2) is settled before `B` (3); relaxing `B → A` later would give `3 - 2 = 1`, but `A` is already final, so 2 is reported while the true shortest distance is 1.',
    concepts: ['GRAPHS'],
    discrimination: 1.7,
    difficulty: 1.6,
  },
  {
    key: 'graphs-016',
    stem: 'How many edges does a tree with `n` nodes have?',
    options: choices('`n`', '`n + 1`', '`n - 1`', '`2n`'),
    correct: 'C',
    explanation: 'A tree is connected and acyclic: each node except the root has exactly one edge to its parent.',
    concepts: ['GRAPHS'],
    discrimination: 0.8,
    difficulty: -1.8,
    guessing: 0.2,
  },
  {
    key: 'graphs-017',
    stem: 'A road network has 100,000 intersections and about 250,000 roads. Which representation fits for running BFS over it?',
    options: choices(
      'An adjacency matrix',
      'A list of edges, scanned for each node',
      'An adjacency list',
      'A single array of distances',
    ),
    correct: 'C',
    explanation:
      'The graph is sparse: a list takes `O(V + E)` memory and lets BFS run in `O(V + E)`. A matrix would need `10¹⁰` cells; scanning the edge list per node is `O(V · E)`.',
    concepts: ['GRAPHS'],
    discrimination: 1.0,
    difficulty: -0.5,
  },
  {
    key: 'graphs-018',
    stem: 'Which of these graphs is **not** bipartite?',
    options: choices('A cycle of 6 nodes', 'A tree', 'A 4 × 4 grid', 'A cycle of 5 nodes'),
    correct: 'D',
    explanation:
      'A graph is bipartite exactly when it has no odd cycle: 2-colouring around a 5-cycle forces two neighbours to share a colour. Trees have no cycles and grids only even ones.',
    concepts: ['GRAPHS'],
    discrimination: 1.2,
    difficulty: 1.0,
  },
  {
    key: 'graphs-019',
    stem: 'What is the time complexity of a BFS over a grid of `R` rows and `C` columns (4 neighbours per cell)?',
    options: choices('`O(R · C)`', '`O((R · C)²)`', '`O(R + C)`', '`O(R · C · log(R · C))`'),
    correct: 'A',
    explanation:
      'There are `R · C` cells and at most `4 · R · C` edges, and BFS is `O(V + E)`. The square would be the cost of running a BFS from every cell.',
    concepts: ['GRAPHS'],
    discrimination: 1.1,
    difficulty: 0.1,
    guessing: 0.2,
  },
  {
    key: 'graphs-020',
    stem: 'Which is a valid topological order of the directed edges `a → b`, `a → c`, `b → d`, `c → d`, `d → e`?',
    options: choices('`a b d c e`', '`b a c d e`', '`a b c e d`', '`a c b d e`'),
    correct: 'D',
    explanation:
      'Every edge must point forward: `a` first, `b` and `c` in either order, then `d`, then `e`. `a b d c e` puts `d` before `c` despite `c → d`.',
    concepts: ['GRAPHS'],
    discrimination: 1.0,
    difficulty: 0.0,
  },
  {
    key: 'graphs-021',
    stem: 'Prim’s minimum spanning tree algorithm and Dijkstra’s algorithm have the same shape. What key does Prim’s priority queue hold for a vertex `v` not yet in the tree?',
    options: choices(
      'The total distance from the start vertex to `v`',
      'The weight of the lightest edge connecting `v` to the tree built so far',
      'The number of edges from the start vertex to `v`',
      'The weight of the heaviest edge at `v`',
    ),
    correct: 'B',
    explanation:
      'Prim grows the tree by its cheapest crossing edge (the cut property), so only the single edge weight matters. Dijkstra keys by the whole path length from the source.',
    concepts: ['GRAPHS'],
    discrimination: 1.3,
    difficulty: 1.7,
  },
];
