/**
 * The seeded question pools adaptive tests draw from: one global pool of multiple-choice items on the
 * catalog's patterns, plus graphs, complexity and debugging.
 */
import { binarySearchQuestions } from './binary-search.js';
import { complexityQuestions } from './complexity.js';
import { debuggingQuestions } from './debugging.js';
import { dynamicProgrammingQuestions } from './dynamic-programming.js';
import { graphsQuestions } from './graphs.js';
import { hashingQuestions } from './hashing.js';
import { slidingWindowQuestions } from './sliding-window.js';
import { stackQuestions } from './stack.js';
import { twoPointersQuestions } from './two-pointers.js';
import type { SeedQuestionPool } from './types.js';

export type { SeedQuestion, SeedQuestionPool } from './types.js';

/** Every pool the seed creates; question keys are unique across all of them. */
export const QUESTION_POOLS: SeedQuestionPool[] = [
  {
    slug: 'algorithms-foundations',
    name: 'Algorithms foundations',
    description:
      'Multiple-choice questions on the core patterns of coding interviews (hashing, two pointers, sliding windows, stacks, binary search, dynamic programming, graphs), on complexity, and on reading code for bugs.',
    concepts: [
      'HASHING',
      'TWO_POINTERS',
      'SLIDING_WINDOW',
      'STACK',
      'BINARY_SEARCH',
      'DYNAMIC_PROGRAMMING',
      'GRAPHS',
      'COMPLEXITY',
      'DEBUGGING',
    ],
    questions: [
      ...hashingQuestions,
      ...twoPointersQuestions,
      ...slidingWindowQuestions,
      ...stackQuestions,
      ...binarySearchQuestions,
      ...dynamicProgrammingQuestions,
      ...graphsQuestions,
      ...complexityQuestions,
      ...debuggingQuestions,
    ],
  },
];
