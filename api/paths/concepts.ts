/**
 * The concept graph learning paths are planned over: each concept the catalog and the question
 * pools teach, what it waits for, and the content patterns that practise it. The built-in
 * planner orders it by the learner's proficiency gaps; a model's plan is checked against the
 * same exercises.
 */

/** One concept: a topic a curriculum can hold. */
export interface Concept {
  /** SCREAMING_CASE, as question pools name their concepts. */
  concept: string;
  title: string;
  /** Markdown. */
  description: string;
  objectives: readonly string[];
  /** 1 (first steps) to 10. */
  difficulty: number;
  /** Concepts to complete first. */
  prerequisites: readonly string[];
  /** The content items' `pattern`s that practise it (question pools match by `concept`). */
  patterns: readonly string[];
}

/** Every concept, in the order the graph is read (foundations first). */
export const CONCEPT_GRAPH: readonly Concept[] = [
  {
    concept: 'COMPLEXITY',
    title: 'Complexity',
    description:
      'Reading the cost of code: **big-O** of time and space, and what a loop, a sort or a hash lookup costs.',
    objectives: ['State the time and space of a loop nest', 'Compare O(n log n) with O(n²) on real sizes'],
    difficulty: 2,
    prerequisites: [],
    patterns: [],
  },
  {
    concept: 'HASHING',
    title: 'Hashing',
    description: 'Hash maps and sets: constant-time lookups, counting, and remembering what you have seen.',
    objectives: ['Choose a map or a set for a lookup', 'Count and group with a hash map', 'Trade memory for time'],
    difficulty: 3,
    prerequisites: ['COMPLEXITY'],
    patterns: ['HASHING'],
  },
  {
    concept: 'TWO_POINTERS',
    title: 'Two pointers',
    description: 'Two indices moving through an array, from both ends or at two speeds, instead of a nested loop.',
    objectives: ['Walk a sorted array from both ends', 'Partition in place', 'Say why the pointers never miss a pair'],
    difficulty: 3,
    prerequisites: ['COMPLEXITY'],
    patterns: ['TWO_POINTERS'],
  },
  {
    concept: 'STACK',
    title: 'Stacks',
    description: 'Last in, first out: matching brackets, undo, and the monotonic stack for "next greater".',
    objectives: ['Match nested structures with a stack', 'Use a monotonic stack'],
    difficulty: 4,
    prerequisites: ['COMPLEXITY'],
    patterns: ['STACK'],
  },
  {
    concept: 'SLIDING_WINDOW',
    title: 'Sliding window',
    description:
      'A window over a sequence that grows and shrinks, keeping a running count: substrings and subarrays in O(n).',
    objectives: ['Keep a window invariant', 'Grow and shrink a window with a hash map of counts'],
    difficulty: 5,
    prerequisites: ['HASHING', 'TWO_POINTERS'],
    patterns: ['SLIDING_WINDOW'],
  },
  {
    concept: 'BINARY_SEARCH',
    title: 'Binary search',
    description: 'Halving a sorted range, and searching on the answer: the loop invariant that keeps it correct.',
    objectives: ['Write a binary search without off-by-one errors', 'Search on a monotonic predicate'],
    difficulty: 5,
    prerequisites: ['TWO_POINTERS'],
    patterns: ['BINARY_SEARCH'],
  },
  {
    concept: 'DEBUGGING',
    title: 'Debugging',
    description:
      'Reading code for its bug: off-by-one errors, aliasing, control flow and types, and the test that shows it.',
    objectives: ['Find the line a failing test points to', 'Name the kind of bug', 'Write the test that catches it'],
    difficulty: 5,
    prerequisites: ['COMPLEXITY'],
    patterns: ['DEBUGGING_OFF_BY_ONE', 'DEBUGGING_ALIASING', 'DEBUGGING_CONTROL_FLOW', 'DEBUGGING_TYPES'],
  },
  {
    concept: 'GRAPHS',
    title: 'Graphs',
    description: 'Nodes and edges: breadth- and depth-first search, visited sets, and shortest paths.',
    objectives: ['Traverse a graph without visiting a node twice', 'Pick BFS or DFS for the question asked'],
    difficulty: 7,
    prerequisites: ['HASHING', 'STACK'],
    patterns: [],
  },
  {
    concept: 'DYNAMIC_PROGRAMMING',
    title: 'Dynamic programming',
    description: 'Overlapping subproblems: a recurrence, its memo or table, and the order to fill it.',
    objectives: ['Write the recurrence before the code', 'Turn memoised recursion into a table'],
    difficulty: 8,
    prerequisites: ['HASHING', 'BINARY_SEARCH'],
    patterns: ['DYNAMIC_PROGRAMMING'],
  },
  {
    concept: 'SYSTEM_DESIGN',
    title: 'System design',
    description:
      'Designing services that scale: storage, caching, real-time delivery, and the trade-offs between them.',
    objectives: ['Size a system from its numbers', 'Choose storage and caching for the reads and writes'],
    difficulty: 8,
    prerequisites: ['HASHING', 'GRAPHS'],
    patterns: ['SYSTEM_DESIGN_SCALING', 'SYSTEM_DESIGN_STORAGE', 'SYSTEM_DESIGN_REALTIME'],
  },
];

/** The concept a content pattern practises, if any. */
export function conceptOfPattern(pattern: string): string | undefined {
  return CONCEPT_GRAPH.find((concept) => concept.patterns.includes(pattern))?.concept;
}
