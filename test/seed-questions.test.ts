/** The seeded question pools: well-formed items, broad enough for an adaptive test, and checks that do fire. */
import { describe, expect, it } from 'vitest';
import {
  conceptCounts,
  coverageProblems,
  difficultyBand,
  questionPoolProblems,
} from '../prisma/seed/questions/check.js';
import { QUESTION_POOLS, type SeedQuestion, type SeedQuestionPool } from '../prisma/seed/questions/index.js';

const globalPool = QUESTION_POOLS.find((pool) => pool.slug === 'algorithms-foundations');

/** A fresh copy of the global pool, changed by `change`, so each case breaks one thing. */
function brokenPool(change: (pool: SeedQuestionPool, first: SeedQuestion) => void): SeedQuestionPool {
  if (!globalPool) throw new Error('no global pool');
  const pool = structuredClone(globalPool);
  const first = pool.questions[0];
  if (!first) throw new Error('empty global pool');
  change(pool, first);
  return pool;
}

/** Keeps only `keep` of the questions measuring `concept` (the others are removed from the pool). */
function keepOf(pool: SeedQuestionPool, concept: string, keep: (question: SeedQuestion) => boolean): void {
  pool.questions = pool.questions.filter((question) => !question.concepts.includes(concept) || keep(question));
}

describe('seeded question pools', () => {
  it('offer one global pool of at least 150 questions over the catalog patterns', () => {
    expect(globalPool).toBeDefined();
    expect(globalPool?.name).toBe('Algorithms foundations');
    expect(globalPool?.questions.length).toBeGreaterThanOrEqual(150);
    expect(globalPool?.concepts).toEqual(
      expect.arrayContaining([
        'HASHING',
        'TWO_POINTERS',
        'SLIDING_WINDOW',
        'STACK',
        'BINARY_SEARCH',
        'DYNAMIC_PROGRAMMING',
        'GRAPHS',
        'COMPLEXITY',
        'DEBUGGING',
      ]),
    );
  });

  it('hold only well-formed items: unique keys, 4 or 5 options, one correct key, parameters in range, fences closed', () => {
    expect(questionPoolProblems(QUESTION_POOLS)).toEqual([]);
  });

  it('cover every concept with 15 or more items, easy, medium and hard, and answers spread over the letters', () => {
    if (!globalPool) throw new Error('no global pool');
    expect(coverageProblems(globalPool)).toEqual([]);
    for (const [concept, count] of conceptCounts(globalPool)) {
      expect({ concept, enough: count.TOTAL >= 15 }).toEqual({ concept, enough: true });
    }
  });

  it('band difficulties at -1 and below, within ±0.5, and at 1 and above', () => {
    expect([-3, -1, -0.9, -0.5, 0, 0.5, 0.7, 1, 3].map(difficultyBand)).toEqual([
      'EASY',
      'EASY',
      undefined,
      'MEDIUM',
      'MEDIUM',
      'MEDIUM',
      undefined,
      'HARD',
      'HARD',
    ]);
  });
});

describe('the question checks report', () => {
  it.each<[string, (pool: SeedQuestionPool, first: SeedQuestion) => void, string]>([
    ['a key used twice', (pool, first) => pool.questions.push({ ...first }), 'key used twice'],
    ['a key that is no slug', (_, first) => void (first.key = 'Hashing 1'), 'key is not a slug'],
    ['an empty stem', (_, first) => void (first.stem = '  '), 'stem is empty'],
    ['an empty explanation', (_, first) => void (first.explanation = ''), 'explanation is empty'],
    ['three options', (_, first) => void first.options.splice(3), 'has 3 options'],
    [
      'six options',
      (_, first) => void (first.options = ['A', 'B', 'C', 'D', 'E', 'F'].map((key) => ({ key, text: key }))),
      'has 6 options',
    ],
    ['a repeated option key', (_, first) => void (first.options[1] = { key: 'A', text: 'again' }), 'option keys are'],
    ['an empty option text', (_, first) => void (first.options[2] = { key: 'C', text: ' ' }), 'option with empty text'],
    [
      'two options with the same text',
      (_, first) => void (first.options[3] = { key: 'D', text: first.options[0]?.text ?? '' }),
      'same text',
    ],
    ['a correct key that is no option', (_, first) => void (first.correct = 'F'), 'is not an option key'],
    ['a discrimination above 2.5', (_, first) => void (first.discrimination = 3), 'discrimination 3'],
    ['a discrimination below 0.5', (_, first) => void (first.discrimination = 0.2), 'discrimination 0.2'],
    ['a difficulty below -3', (_, first) => void (first.difficulty = -3.5), 'difficulty -3.5'],
    ['a difficulty that is no number', (_, first) => void (first.difficulty = Number.NaN), 'difficulty NaN'],
    ['a guessing above 0.35', (_, first) => void (first.guessing = 0.5), 'guessing 0.5'],
    ['no concept', (_, first) => void (first.concepts = []), 'has no concept'],
    ['a concept listed twice', (_, first) => void (first.concepts = ['HASHING', 'HASHING']), 'concept twice'],
    ['a concept outside the pool', (_, first) => void (first.concepts = ['TRIES']), "not in its pool's list"],
    ['a concept not in SCREAMING_CASE', (pool) => void pool.concepts.push('two-pointers'), 'not SCREAMING_CASE'],
    ['an unclosed fence', (_, first) => void (first.stem += '\n```js\nlet x = 1;'), 'unclosed code fence'],
    ['a fence without language', (_, first) => void (first.explanation += '\n```\nx\n```'), 'without a language tag'],
  ])('%s', (_, change, expected) => {
    expect(questionPoolProblems([brokenPool(change)])).toEqual([expect.stringContaining(expected)]);
  });

  it('a pool slug used twice', () => {
    const pool = brokenPool(() => {});
    expect(questionPoolProblems([pool, { ...pool, questions: [] }])).toEqual([
      expect.stringContaining('slug used twice'),
    ]);
  });

  it.each<[string, (pool: SeedQuestionPool) => void, string]>([
    ['fewer than 150 questions', (pool) => void (pool.questions = pool.questions.slice(0, 149)), '149 questions'],
    [
      'a concept with 14 items',
      (pool) => {
        let kept = 0;
        keepOf(pool, 'SLIDING_WINDOW', () => ++kept <= 14);
      },
      'SLIDING_WINDOW: 14 questions',
    ],
    [
      'a concept without easy items',
      (pool) => keepOf(pool, 'STACK', (question) => difficultyBand(question.difficulty) !== 'EASY'),
      'STACK: no EASY question',
    ],
    [
      'a concept without medium items',
      (pool) => keepOf(pool, 'GRAPHS', (question) => difficultyBand(question.difficulty) !== 'MEDIUM'),
      'GRAPHS: no MEDIUM question',
    ],
    [
      'a concept without hard items',
      (pool) => keepOf(pool, 'HASHING', (question) => difficultyBand(question.difficulty) !== 'HARD'),
      'HASHING: no HARD question',
    ],
    [
      'over 40% of answers on one letter',
      (pool) => pool.questions.forEach((question, index) => void (index % 2 === 0 && (question.correct = 'B'))),
      'answers are B',
    ],
  ])('%s', (_, change, expected) => {
    const problems = coverageProblems(brokenPool(change));
    expect(problems).toContainEqual(expect.stringContaining(expected));
  });
});
