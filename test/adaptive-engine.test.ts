/**
 * The adaptive-test engine (api/adaptive/engine.ts): θ as jsCAT estimates it, selection with
 * exposure control and content balancing, stopping by jsCAT's rules, and the same session
 * rebuilt from the same responses. Simulated examinees answer by the 2PL model.
 */
import { Cat } from '@bdelab/jscat';
import { fisherInformation } from '@bdelab/jscat/lib/utils.js';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import {
  conceptEstimates,
  type EngineItem,
  type EngineResponse,
  type EngineSettings,
  estimate,
  exposureCap,
  information,
  selectNext,
  sessionStep,
  stopReason,
} from '../api/adaptive/engine.js';
import { normal } from './support/irt.js';

const CONCEPTS = ['HASHING', 'TWO_POINTERS', 'GRAPHS'];

/** A pool of `size` items spread over the concepts, difficulties across [-2.5, 2.5]. */
function pool(size: number, seed = 'pool'): EngineItem[] {
  const rng = seedrandom(seed);
  return Array.from({ length: size }, (_, i) => ({
    id: `q${String(i).padStart(4, '0')}`,
    a: 0.8 + rng() * 1.4,
    b: -2.5 + rng() * 5,
    c: 0,
    concepts: [CONCEPTS[i % CONCEPTS.length] ?? 'HASHING'],
  }));
}

const settings = (overrides: Partial<EngineSettings> = {}): EngineSettings => ({
  estimator: 'EAP',
  maxQuestions: 20,
  targetStandardError: 0.3,
  exposureTopK: 5,
  concepts: [],
  ...overrides,
});

/** One simulated session to its stop; returns the responses and the final estimate. */
function simulate(items: EngineItem[], theta: number, options: EngineSettings, seed: string) {
  const byId = new Map(items.map((item) => [item.id, item]));
  const answers = seedrandom(`${seed}:answers`);
  const responses: EngineResponse[] = [];
  for (;;) {
    const next = sessionStep(items, responses, options, seed).next;
    if (!next) break;
    const p = next.c + (1 - next.c) / (1 + Math.exp(-next.a * (theta - next.b)));
    responses.push({ itemId: next.id, correct: answers() < p });
  }
  return { responses, final: estimate(byId, responses, options.estimator) };
}

describe('the adaptive engine', () => {
  it('estimates θ as jsCAT does from the same items, answers, estimator and prior', () => {
    const items = pool(30);
    const byId = new Map(items.map((item) => [item.id, item]));
    const responses = items.slice(0, 12).map((item, i) => ({ itemId: item.id, correct: i % 3 !== 0 }));
    for (const method of ['EAP', 'MLE'] as const) {
      const cat = new Cat({ method, priorDist: 'norm', priorPar: [0, 1], minTheta: -6, maxTheta: 6 });
      cat.updateAbilityEstimate(
        items.slice(0, 12).map((item) => ({ a: item.a, b: item.b, c: item.c, d: 1 })),
        responses.map((r) => (r.correct ? 1 : 0)),
      );
      const ours = estimate(byId, responses, method);
      expect(Math.abs(ours.theta - cat.theta)).toBeLessThan(0.01);
      expect(Math.abs(ours.standardError - cat.seMeasurement)).toBeLessThan(0.01);
    }
    // EAP stays finite where MLE runs to its bound: every answer right.
    const allRight = responses.map((r) => ({ ...r, correct: true }));
    expect(estimate(byId, allRight, 'EAP').theta).toBeLessThan(4);
    expect(estimate(byId, allRight, 'MLE').theta).toBeGreaterThan(estimate(byId, allRight, 'EAP').theta);
    expect(estimate(byId, [], 'EAP')).toEqual({ theta: 0, standardError: 1 });
  });

  it('recovers simulated examinees, and spreads exposure with its random draw among the most informative', () => {
    const items = pool(150);
    const exposure = new Map<string, number>();
    const errors: number[] = [];
    const people = 60;
    const rng = seedrandom('people');
    for (let person = 0; person < people; person += 1) {
      const theta = normal(rng);
      const { responses, final } = simulate(items, theta, settings({ targetStandardError: 0.01 }), `p${person}`);
      expect(responses).toHaveLength(20);
      for (const { itemId } of responses) exposure.set(itemId, (exposure.get(itemId) ?? 0) + 1);
      errors.push(final.theta - theta);
    }
    const rmse = Math.sqrt(errors.reduce((sum, e) => sum + e * e, 0) / errors.length);
    expect(rmse).toBeLessThan(0.5);
    // Randomesque (k = 5) alone does not reach the 0.25 target of issue 15 on this pool (about
    // 0.5 here): that needs exposure rates across sessions (a later step). It does beat plain MFI.
    const highest = Math.max(...exposure.values()) / people;
    const plain = new Map<string, number>();
    for (let person = 0; person < 30; person += 1) {
      const { responses } = simulate(
        items,
        normal(rng),
        settings({ exposureTopK: 1, targetStandardError: 0.01 }),
        `k${person}`,
      );
      for (const { itemId } of responses) plain.set(itemId, (plain.get(itemId) ?? 0) + 1);
    }
    expect(Math.max(...plain.values()) / 30).toBeGreaterThan(highest + 0.1);
  });

  it('balances the concepts asked, and asks only the concepts chosen', () => {
    const items = pool(90);
    const byId = new Map(items.map((item) => [item.id, item]));
    const { responses } = simulate(items, 0.3, settings({ maxQuestions: 9, targetStandardError: 0.01 }), 'balance');
    const counts = new Map<string, number>();
    for (const { itemId } of responses) {
      const concept = byId.get(itemId)?.concepts[0] ?? '';
      counts.set(concept, (counts.get(concept) ?? 0) + 1);
    }
    expect(Object.fromEntries(counts)).toEqual({ HASHING: 3, TWO_POINTERS: 3, GRAPHS: 3 });

    const only = simulate(items, 0, settings({ concepts: ['GRAPHS'], maxQuestions: 6 }), 'only');
    expect(only.responses.every(({ itemId }) => byId.get(itemId)?.concepts.includes('GRAPHS'))).toBe(true);
    const perConcept = conceptEstimates(byId, only.responses, 'EAP', ['GRAPHS', 'HASHING']);
    expect(perConcept[0]).toMatchObject({ concept: 'GRAPHS', responses: only.responses.length });
    expect(perConcept[1]).toEqual({ concept: 'HASHING', theta: 0, standardError: 1, responses: 0 });
  });

  it('draws the same next question for the same session, seed and responses', () => {
    const items = pool(150);
    const responses = [{ itemId: 'q0000', correct: true }];
    const picks = (seed: string) =>
      Array.from({ length: 5 }, () => selectNext(items, responses, 0.4, settings(), { seed, draw: 1 })?.id);
    expect(new Set(picks('s1')).size).toBe(1);
    const bySeed = new Set(Array.from({ length: 20 }, (_, i) => picks(`seed-${i}`)[0]));
    expect(bySeed.size).toBeGreaterThan(1);
    // HASHING has been asked: the others are the least asked, and each offers its 5 most informative.
    expect(bySeed.size).toBeLessThanOrEqual(10);
    const concepts = new Set([...bySeed].map((id) => items.find((item) => item.id === id)?.concepts[0]));
    expect(concepts.has('HASHING')).toBe(false);
  });

  it('computes Fisher information as jsCAT does', () => {
    const rng = seedrandom('information');
    for (let i = 0; i < 500; i += 1) {
      const item = { id: 'x', a: 0.3 + rng() * 2.5, b: -3 + rng() * 6, c: rng() < 0.5 ? 0 : rng() * 0.3, concepts: [] };
      const theta = -4 + rng() * 8;
      const expected = fisherInformation(theta, { a: item.a, b: item.b, c: item.c, d: 1 });
      expect(Math.abs(information(theta, item) - expected)).toBeLessThan(1e-12 * Math.max(1, expected));
    }
  });

  it('leaves out the items at the exposure cap while others remain, and asks them once nothing else is left', () => {
    const items = pool(30);
    const draws = (overexposed: Set<string>, responses: EngineResponse[] = []) =>
      Array.from({ length: 40 }, (_, i) =>
        selectNext(items, responses, 0, settings(), { seed: `s${i}`, draw: 0, overexposed }),
      );
    const usual = new Set(draws(new Set()).map((item) => item?.id ?? ''));
    const spared = draws(usual);
    expect(spared.every((item) => item && !usual.has(item.id))).toBe(true);
    // Everything else answered: an overexposed item is still better than none.
    const rest = items.filter((item) => !usual.has(item.id)).map((item) => ({ itemId: item.id, correct: true }));
    expect(draws(usual, rest).every((item) => item && usual.has(item.id))).toBe(true);
    expect(exposureCap(0)).toBe(5);
    expect(exposureCap(100)).toBe(25);
    expect(exposureCap(101)).toBe(25);
  });

  it('stops at the standard error target, at the question limit, or when the pool runs out', () => {
    const items = pool(60);
    const byId = new Map(items.map((item) => [item.id, item]));
    const loose = simulate(items, 0, settings({ targetStandardError: 0.6 }), 'se');
    expect(loose.responses.length).toBeLessThan(20);
    expect(stopReason(byId, loose.responses, settings({ targetStandardError: 0.6 }), 1)).toBe('STANDARD_ERROR');
    expect(loose.final.standardError).toBeLessThanOrEqual(0.6);

    const capped = simulate(items, 0, settings({ maxQuestions: 7, targetStandardError: 0.01 }), 'cap');
    expect(capped.responses).toHaveLength(7);
    expect(stopReason(byId, capped.responses, settings({ maxQuestions: 7, targetStandardError: 0.01 }), 1)).toBe(
      'MAX_QUESTIONS',
    );

    const small = pool(4, 'small');
    const out = simulate(small, 0, settings({ targetStandardError: 0.01 }), 'out');
    expect(out.responses).toHaveLength(4);
    const smallById = new Map(small.map((item) => [item.id, item]));
    expect(stopReason(smallById, out.responses, settings({ targetStandardError: 0.01 }), 0)).toBe('POOL_EXHAUSTED');
    expect(stopReason(byId, [], settings(), 60)).toBeNull();
  });
});
