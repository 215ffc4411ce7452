/**
 * Checks seeded question pools before they reach the database: each item well-formed (options, answer, IRT
 * parameters, concepts, Markdown fences), and a pool broad enough for an adaptive test to converge.
 */
import type { SeedQuestion, SeedQuestionPool } from './types.js';

/** The bounds of the IRT parameters an item may carry. */
export const PARAMETER_RANGES = {
  discrimination: { min: 0.5, max: 2.5 },
  difficulty: { min: -3, max: 3 },
  guessing: { min: 0, max: 0.35 },
} as const;

export type DifficultyBand = 'EASY' | 'MEDIUM' | 'HARD';

/** The band of an IRT difficulty `b`: easy at -1 or below, medium within ±0.5, hard at 1 or above; else none. */
export function difficultyBand(difficulty: number): DifficultyBand | undefined {
  if (difficulty <= -1) return 'EASY';
  if (difficulty >= -0.5 && difficulty <= 0.5) return 'MEDIUM';
  if (difficulty >= 1) return 'HARD';
  return undefined;
}

/** What an adaptive pool must cover; the defaults are the for the global pool. */
export interface CoverageRequirements {
  minQuestions: number;
  minPerConcept: number;
  /** The largest share of items whose correct option has the same letter. */
  maxLetterShare: number;
}

export const GLOBAL_POOL_COVERAGE: CoverageRequirements = { minQuestions: 150, minPerConcept: 15, maxLetterShare: 0.4 };

const KEY_PATTERN = /^[a-z]+(-[a-z]+)*-\d{3}$/;
const CONCEPT_PATTERN = /^[A-Z]+(_[A-Z]+)*$/;

/** Problems with the code fences of one Markdown text: unbalanced, or an opening fence without a language. */
function fenceProblems(markdown: string): string[] {
  const fences = markdown
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('```'));
  const problems: string[] = [];
  if (fences.length % 2 !== 0) problems.push('has an unclosed code fence');
  fences.forEach((fence, index) => {
    const info = fence.slice(3).trim();
    if (index % 2 === 0 && info === '') problems.push('has a code fence without a language tag');
    if (index % 2 === 1 && info !== '') problems.push(`has a closing fence with text "${info}"`);
  });
  return problems;
}

function inRange(value: number, range: { min: number; max: number }): boolean {
  return Number.isFinite(value) && value >= range.min && value <= range.max;
}

/** Problems with one item, each as a sentence naming what is wrong (empty when it is sound). */
function itemProblems(question: SeedQuestion, poolConcepts: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  if (!KEY_PATTERN.test(question.key)) problems.push('key is not a slug like "hashing-017"');
  if (question.stem.trim() === '') problems.push('stem is empty');
  if (question.explanation.trim() === '') problems.push('explanation is empty');

  const keys = question.options.map((option) => option.key);
  if (question.options.length < 4 || question.options.length > 5) {
    problems.push(`has ${question.options.length} options (4 or 5 expected)`);
  }
  if (keys.some((key, index) => key !== String.fromCharCode(65 + index))) {
    problems.push(`option keys are ${keys.join(', ')} (A, B, C, ... in order expected)`);
  }
  if (question.options.some((option) => option.text.trim() === '')) problems.push('has an option with empty text');
  const texts = question.options.map((option) => option.text.trim());
  if (new Set(texts).size !== texts.length) problems.push('has two options with the same text');
  if (!keys.includes(question.correct)) problems.push(`correct "${question.correct}" is not an option key`);

  if (!inRange(question.discrimination, PARAMETER_RANGES.discrimination)) {
    problems.push(`discrimination ${question.discrimination} is outside 0.5 to 2.5`);
  }
  if (!inRange(question.difficulty, PARAMETER_RANGES.difficulty)) {
    problems.push(`difficulty ${question.difficulty} is outside -3 to 3`);
  }
  if (question.guessing !== undefined && !inRange(question.guessing, PARAMETER_RANGES.guessing)) {
    problems.push(`guessing ${question.guessing} is outside 0 to 0.35`);
  }

  if (question.concepts.length === 0) problems.push('has no concept');
  if (new Set(question.concepts).size !== question.concepts.length) problems.push('lists a concept twice');
  for (const concept of question.concepts) {
    if (!poolConcepts.has(concept)) problems.push(`concept ${concept} is not in its pool's list`);
  }

  const markdown = [question.stem, question.explanation, ...texts];
  for (const problem of new Set(markdown.flatMap(fenceProblems))) problems.push(problem);
  return problems;
}

/** Structural problems of the pools (empty when all are sound): bad items, duplicate keys and slugs, bad concepts. */
export function questionPoolProblems(pools: readonly SeedQuestionPool[]): string[] {
  const problems: string[] = [];
  const slugs = new Set<string>();
  const keys = new Set<string>();
  for (const pool of pools) {
    if (slugs.has(pool.slug)) problems.push(`pool ${pool.slug}: slug used twice`);
    slugs.add(pool.slug);
    for (const concept of pool.concepts) {
      if (!CONCEPT_PATTERN.test(concept)) problems.push(`pool ${pool.slug}: concept ${concept} is not SCREAMING_CASE`);
    }
    const concepts = new Set(pool.concepts);
    for (const question of pool.questions) {
      if (keys.has(question.key)) problems.push(`${question.key}: key used twice`);
      keys.add(question.key);
      for (const problem of itemProblems(question, concepts)) problems.push(`${question.key}: ${problem}`);
    }
  }
  return problems;
}

/** How many items of a pool measure each concept, overall and per difficulty band. */
export function conceptCounts(pool: SeedQuestionPool): Map<string, Record<DifficultyBand | 'TOTAL', number>> {
  const counts = new Map(pool.concepts.map((concept) => [concept, { TOTAL: 0, EASY: 0, MEDIUM: 0, HARD: 0 }]));
  for (const question of pool.questions) {
    const band = difficultyBand(question.difficulty);
    for (const concept of question.concepts) {
      const count = counts.get(concept);
      if (!count) continue;
      count.TOTAL += 1;
      if (band) count[band] += 1;
    }
  }
  return counts;
}

/** Coverage problems of one pool (empty when it meets the requirements): size, concepts, bands, answer letters. */
export function coverageProblems(
  pool: SeedQuestionPool,
  requirements: CoverageRequirements = GLOBAL_POOL_COVERAGE,
): string[] {
  const problems: string[] = [];
  const total = pool.questions.length;
  if (total < requirements.minQuestions) {
    problems.push(`pool ${pool.slug}: ${total} questions (at least ${requirements.minQuestions} expected)`);
  }
  for (const [concept, count] of conceptCounts(pool)) {
    if (count.TOTAL < requirements.minPerConcept) {
      problems.push(`${concept}: ${count.TOTAL} questions (at least ${requirements.minPerConcept} expected)`);
    }
    for (const band of ['EASY', 'MEDIUM', 'HARD'] as const) {
      if (count[band] === 0) problems.push(`${concept}: no ${band} question`);
    }
  }
  const letters = new Map<string, number>();
  for (const question of pool.questions) letters.set(question.correct, (letters.get(question.correct) ?? 0) + 1);
  for (const [letter, count] of letters) {
    if (count > requirements.maxLetterShare * total) {
      problems.push(`pool ${pool.slug}: ${count} of ${total} answers are ${letter}`);
    }
  }
  return problems;
}
