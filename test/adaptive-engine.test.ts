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
  quotaCandidates,
  randomesqueK,
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
    // Randomesque alone (k = 5 at the first question, shrinking to 3) does not reach the 0.25
    // target of issue 15 on this pool (about 0.8 here): the cap across sessions does (see
    // test/adaptive-exposure.test.ts). It does beat plain MFI.
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

  it('gives every concept its quota by the end, in the order information asks, and asks only the concepts chosen', () => {
    // GRAPHS's items are far more informative than the others': maximum information alone
    // would ask nothing else.
    const items = pool(90).map((item) => (item.concepts[0] === 'GRAPHS' ? { ...item, a: 2.4 } : { ...item, a: 0.6 }));
    const byId = new Map(items.map((item) => [item.id, item]));
    const countsOf = (responses: EngineResponse[]) => {
      const counts = new Map(CONCEPTS.map((concept) => [concept, 0]));
      for (const { itemId } of responses) {
        for (const concept of byId.get(itemId)?.concepts ?? []) counts.set(concept, (counts.get(concept) ?? 0) + 1);
      }
      return Object.fromEntries(counts);
    };
    // 10 questions over 3 concepts: 3 each are owed, and the one left over goes where information is.
    const strict = settings({ maxQuestions: 10, targetStandardError: 0.01, exposureTopK: 1 });
    const { responses } = simulate(items, 0.3, strict, 'balance');
    expect(countsOf(responses)).toEqual({ HASHING: 3, TWO_POINTERS: 3, GRAPHS: 4 });
    // Not by turns: GRAPHS comes first until the questions left are needed for the others' quotas.
    expect(responses.slice(0, 4).map(({ itemId }) => byId.get(itemId)?.concepts[0])).toEqual([
      'GRAPHS',
      'GRAPHS',
      'GRAPHS',
      'GRAPHS',
    ]);
    // With the random draw, at every θ, and with a test that ends early, each concept has its quota.
    const rng = seedrandom('quota-people');
    for (let person = 0; person < 12; person += 1) {
      const drawn = simulate(items, normal(rng) * 1.5, settings({ targetStandardError: 0.01 }), `quota-${person}`);
      expect(drawn.responses).toHaveLength(20);
      const counts = countsOf(drawn.responses);
      for (const concept of CONCEPTS) expect(counts[concept]).toBeGreaterThanOrEqual(6);
    }

    const only = simulate(items, 0, settings({ concepts: ['GRAPHS'], maxQuestions: 6 }), 'only');
    expect(only.responses.every(({ itemId }) => byId.get(itemId)?.concepts.includes('GRAPHS'))).toBe(true);
    const perConcept = conceptEstimates(byId, only.responses, 'EAP', ['GRAPHS', 'HASHING']);
    expect(perConcept[0]).toMatchObject({ concept: 'GRAPHS', responses: only.responses.length });
    expect(perConcept[1]).toEqual({ concept: 'HASHING', theta: 0, standardError: 1, responses: 0 });
  });

  it('keeps as candidates the items after which the questions left can still meet every quota', () => {
    const item = (id: string, ...concepts: string[]): EngineItem => ({ id, a: 1, b: 0, c: 0, concepts });
    const [a, b, c, bc] = [item('a', 'A'), item('b', 'B'), item('c', 'C'), item('bc', 'B', 'C')];
    const all = [a, b, c, bc, item('b2', 'B'), item('c2', 'C')];
    const ids = (items: EngineItem[]) => items.map((x) => x.id).sort();
    // 6 questions over A, B, C: 2 each. A has its 2; B is owed 2 and C 1.
    const asked = new Map([
      ['A', 2],
      ['B', 0],
      ['C', 1],
    ]);
    const concepts = ['A', 'B', 'C'];
    const candidates = [a, b, c, bc];
    expect(ids(quotaCandidates(candidates, all, asked, concepts, 3, 6))).toEqual(['a', 'b', 'bc', 'c']);
    // Two questions after this one for three owed: this one must pay one (an item counts for each concept).
    expect(ids(quotaCandidates(candidates, all, asked, concepts, 2, 6))).toEqual(['b', 'bc', 'c']);
    expect(ids(quotaCandidates(candidates, all, asked, concepts, 1, 6))).toEqual(['bc']);
    // C has no item left to give: it is owed nothing more, and B's two fit in what is left.
    const noC = [a, b, item('b2', 'B')];
    expect(ids(quotaCandidates([a, b], noC, asked, concepts, 1, 6))).toEqual(['b']);
    expect(ids(quotaCandidates([a, b], noC, asked, concepts, 2, 6))).toEqual(['a', 'b']);
    // The quotas can no longer be met (the owed items are left out here): what pays is kept, else everything.
    expect(ids(quotaCandidates([a, b], all, asked, concepts, 0, 6))).toEqual(['b']);
    expect(ids(quotaCandidates([a], all, asked, concepts, 0, 6))).toEqual(['a']);
  });

  it('draws among the k most informative, k shrinking from exposureTopK at the first question to half of it in the last quarter', () => {
    expect(Array.from({ length: 20 }, (_, asked) => randomesqueK(5, asked, 20))).toEqual([
      5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3,
    ]);
    expect(randomesqueK(1, 0, 20)).toBe(1);
    expect(randomesqueK(1, 19, 20)).toBe(1);
    expect(randomesqueK(10, 0, 8)).toBe(10);
    expect(randomesqueK(10, 6, 8)).toBe(5);

    const items = pool(150);
    const top = (k: number, theta: number, responses: EngineResponse[]) =>
      items
        .filter((item) => !responses.some((r) => r.itemId === item.id))
        .sort((x, y) => information(theta, y) - information(theta, x))
        .slice(0, k)
        .map((item) => item.id)
        .sort();
    const drawn = (theta: number, responses: EngineResponse[], options = settings()) =>
      [
        ...new Set(
          Array.from(
            { length: 80 },
            (_, i) => selectNext(items, responses, theta, options, { seed: `k-${i}`, draw: responses.length })?.id,
          ),
        ),
      ].sort();
    // The first question: one of the 5 most informative (every concept is owed 6 of 20; all fit).
    expect(drawn(0, [])).toEqual(top(5, 0, []));
    // The 16th: one of the 3 most informative (5 of each concept asked: all fit).
    const asked = CONCEPTS.flatMap((concept) => items.filter((item) => item.concepts[0] === concept).slice(0, 5)).map(
      (item) => ({ itemId: item.id, correct: true }),
    );
    expect(asked).toHaveLength(15);
    expect(drawn(0.8, asked)).toEqual(top(3, 0.8, asked));
    // k is the setting: 2 at the first question, then 1, the most informative whatever the seed.
    expect(drawn(0, [], settings({ exposureTopK: 2 }))).toEqual(top(2, 0, []));
    expect(drawn(0.8, asked, settings({ exposureTopK: 2 }))).toEqual(top(1, 0.8, asked));
  });

  it('draws the same next question for the same session, seed and responses', () => {
    const items = pool(150);
    const responses = [{ itemId: 'q0000', correct: true }];
    const picks = (seed: string) =>
      Array.from({ length: 5 }, () => selectNext(items, responses, 0.4, settings(), { seed, draw: 1 })?.id);
    expect(new Set(picks('s1')).size).toBe(1);
    const bySeed = new Set(Array.from({ length: 20 }, (_, i) => picks(`seed-${i}`)[0]));
    expect(bySeed.size).toBeGreaterThan(1);
    // The second question of 20: one of the 5 most informative at θ (no quota is pressing yet).
    const top = items
      .filter((item) => item.id !== 'q0000')
      .sort((x, y) => information(0.4, y) - information(0.4, x))
      .slice(0, 5)
      .map((item) => item.id);
    expect([...bySeed].every((id) => top.includes(id ?? ''))).toBe(true);
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
