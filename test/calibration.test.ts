// 2PL calibration, tested by simulation: responses drawn from known parameters (seeded, so
// every run sees the same data) must give those parameters back.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { CalibrationInputError, calibrateItemsOffThread } from '../api/adaptive/calibration-thread.js';
import {
  calibrateItems,
  probabilityCorrect,
  type CalibrationResult,
  type ItemParameters,
  type ItemResponse,
} from '../api/adaptive/calibration.js';
import { InvalidInputError } from '../api/errors.js';
import { correlation, normal, seededRandom } from './support/irt.js';

interface Simulation {
  truth: ItemParameters[];
  responses: ItemResponse[];
}

/**
 * `persons` examinees with θ ~ N(0,1) answer `itemsPerPerson` items drawn at random from a
 * pool of `poolSize` 2PL items with a in [0.7, 2.0] and b in [-2, 2].
 */
function simulate(seed: number, persons: number, poolSize: number, itemsPerPerson: number): Simulation {
  const random = seededRandom(seed);
  const truth = Array.from({ length: poolSize }, (_, i) => ({
    itemId: `item-${i}`,
    discrimination: 0.7 + 1.3 * random(),
    difficulty: -2 + 4 * random(),
  }));
  const responses: ItemResponse[] = [];
  for (let p = 0; p < persons; p++) {
    const theta = normal(random);
    const order = truth.map((_, i) => i);
    // Partial Fisher–Yates: the first itemsPerPerson of a random permutation.
    for (let k = 0; k < itemsPerPerson; k++) {
      const j = k + Math.floor(random() * (poolSize - k));
      [order[k], order[j]] = [order[j] ?? 0, order[k] ?? 0];
    }
    for (const i of order.slice(0, itemsPerPerson)) {
      const item = truth[i]!;
      responses.push({
        personId: `person-${p}`,
        itemId: item.itemId,
        correct: random() < probabilityCorrect(theta, item.discrimination, item.difficulty),
      });
    }
  }
  return { truth, responses };
}

/** Every item starts where a new question would: a = 1, b = 0. */
function startingPoint(truth: ItemParameters[]): ItemParameters[] {
  return truth.map(({ itemId }) => ({ itemId, discrimination: 1, difficulty: 0 }));
}

/** Generating vs. recovered parameters of the estimated items. */
function recovery(truth: ItemParameters[], result: CalibrationResult) {
  const pairs = result.items.flatMap((item, i) => (item.after ? [{ truth: truth[i]!, after: item.after }] : []));
  return {
    estimated: pairs.length,
    difficulty: correlation(
      pairs.map((p) => p.truth.difficulty),
      pairs.map((p) => p.after.difficulty),
    ),
    discrimination: correlation(
      pairs.map((p) => p.truth.discrimination),
      pairs.map((p) => p.after.discrimination),
    ),
  };
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

describe('calibrateItems', () => {
  it('recovers the generating parameters when 500 examinees answer all 40 items', () => {
    const { truth, responses } = simulate(15, 500, 40, 40);
    const { value: result, ms } = timed(() => calibrateItems(responses, startingPoint(truth)));
    const r = recovery(truth, result);
    console.info(
      `full 500×40: r(b)=${r.difficulty.toFixed(3)} r(a)=${r.discrimination.toFixed(3)}, ` +
        `${result.iterations} EM cycles, ${ms.toFixed(0)} ms`,
    );

    expect(result.converged).toBe(true);
    expect(result.persons).toBe(500);
    expect(r.estimated).toBe(40);
    expect(r.difficulty).toBeGreaterThanOrEqual(0.9);
    expect(r.discrimination).toBeGreaterThanOrEqual(0.6);
    // Not just ordered right: on the generating scale, since the prior fixes θ ~ N(0,1).
    const meanGap = result.items.reduce((s, item, i) => s + Math.abs(item.after!.difficulty - truth[i]!.difficulty), 0);
    expect(meanGap / 40).toBeLessThan(0.25);
    // Data drawn from the model fit it.
    for (const item of result.items) expect(item.fit!.rmsd).toBeLessThan(0.1);
  });

  it('recovers difficulties from a sparse adaptive-style matrix (500 × 150, 20 items each) quickly', () => {
    const { truth, responses } = simulate(42, 500, 150, 20);
    const { value: result, ms } = timed(() => calibrateItems(responses, startingPoint(truth)));
    const r = recovery(truth, result);
    console.info(
      `sparse 500×150 (20 each): r(b)=${r.difficulty.toFixed(3)} r(a)=${r.discrimination.toFixed(3)}, ` +
        `${r.estimated} estimated, ${result.iterations} EM cycles, ${ms.toFixed(0)} ms`,
    );

    expect(r.estimated).toBeGreaterThan(140);
    expect(r.difficulty).toBeGreaterThanOrEqual(0.9);
    expect(r.discrimination).toBeGreaterThanOrEqual(0.3);
    expect(ms).toBeLessThan(2000);
  });

  it('skips items with fewer than minResponses responses and leaves their parameters as they were', () => {
    const { truth, responses } = simulate(7, 300, 20, 20);
    // item-0 keeps only 10 responses, item-1 none; both start far from their truth.
    let kept = 0;
    const thinned = responses.filter(
      (response) => response.itemId !== 'item-1' && (response.itemId !== 'item-0' || kept++ < 10),
    );
    const start = startingPoint(truth).map((item) =>
      item.itemId === 'item-0' || item.itemId === 'item-1' ? { ...item, discrimination: 1.7, difficulty: 3.3 } : item,
    );
    const result = calibrateItems(thinned, start, { minResponses: 30 });

    const [item0, item1, item2] = result.items;
    expect(item0).toMatchObject({
      itemId: 'item-0',
      responses: 10,
      skipped: true,
      skipReason: 'FEW_RESPONSES',
      after: null,
      before: { discrimination: 1.7, difficulty: 3.3 },
    });
    expect(item0?.fit?.rmsd).toBeGreaterThanOrEqual(0);
    expect(item1).toMatchObject({ itemId: 'item-1', responses: 0, skipped: true, after: null, fit: null });
    expect(item2).toMatchObject({ itemId: 'item-2', responses: 300, skipped: false, skipReason: null });
    expect(item2?.after?.difficulty).toBeCloseTo(truth[2]!.difficulty, 0);
    expect(result.items.filter((item) => item.skipped)).toHaveLength(2);
  });

  it('holds a 3PL item fixed, placing the examinees with its guessing', () => {
    const { truth, responses } = simulate(21, 400, 20, 20);
    // item-0 is answered by the 3PL model with c = 0.25: a quarter of those who miss it guess it right.
    const random = seededRandom(99);
    const guessed = responses.map((response) =>
      response.itemId === 'item-0' && !response.correct && random() < 0.25 ? { ...response, correct: true } : response,
    );
    const fixed = { ...truth[0]!, guessing: 0.25 };
    const result = calibrateItems(guessed, [fixed, ...startingPoint(truth).slice(1)]);
    const [item0, ...rest] = result.items;
    expect(item0).toMatchObject({
      skipped: true,
      skipReason: 'GUESSING',
      after: null,
      before: { discrimination: fixed.discrimination, difficulty: fixed.difficulty },
    });
    // Its 3PL curve fits the answers it was drawn from; read as 2PL it would not fit as well.
    const as2PL = calibrateItems(guessed, [{ ...fixed, guessing: 0 }, ...startingPoint(truth).slice(1)], {
      minResponses: 10_000,
    });
    expect(item0?.fit?.rmsd).toBeLessThan(0.05);
    expect(item0?.fit?.rmsd).toBeLessThan(as2PL.items[0]?.fit?.rmsd ?? 0);
    expect(rest.every((item) => item.skipReason === null)).toBe(true);
    expect(() => calibrateItems(guessed, [{ ...fixed, guessing: 1 }, ...startingPoint(truth).slice(1)])).toThrow(
      /guessing must be in \[0, 1\)/,
    );
  });

  it('flags by its RMSD an item that does not behave like a 2PL item', () => {
    const { truth, responses } = simulate(9, 400, 20, 20);
    // item-0 is answered the wrong way round: the abler the examinee, the likelier a miss.
    const reversed = responses.map((response) =>
      response.itemId === 'item-0' ? { ...response, correct: !response.correct } : response,
    );
    const result = calibrateItems(reversed, startingPoint(truth));
    const [misfit, ...rest] = result.items;
    expect(misfit?.fit?.rmsd).toBeGreaterThan(0.15);
    for (const item of rest) expect(item.fit?.rmsd).toBeLessThan(0.1);
  });

  it('gives the same result for the same input', () => {
    const { truth, responses } = simulate(3, 200, 30, 12);
    const first = calibrateItems(responses, startingPoint(truth));
    const second = calibrateItems(
      responses.map((response) => ({ ...response })),
      startingPoint(truth),
    );
    expect(second).toEqual(first);
    expect(first.items.some((item) => item.after !== null)).toBe(true);
  });

  it('improves the marginal likelihood over the starting parameters', () => {
    const { truth, responses } = simulate(11, 300, 25, 25);
    const start = startingPoint(truth);
    const before = calibrateItems(responses, start, { minResponses: 10_000 });
    const after = calibrateItems(responses, start);
    expect(before.iterations).toBe(0);
    expect(after.logLikelihood).toBeGreaterThan(before.logLikelihood + 100);
  });

  it('stops at maxIterations and says it did not converge', () => {
    const { truth, responses } = simulate(5, 200, 20, 20);
    const result = calibrateItems(responses, startingPoint(truth), { maxIterations: 2 });
    expect(result).toMatchObject({ iterations: 2, converged: false });
  });

  it('keeps estimates finite and within bounds for items everyone gets right or wrong', () => {
    const items = [
      { itemId: 'easy', discrimination: 1, difficulty: 0 },
      { itemId: 'hard', discrimination: 1, difficulty: 0 },
      { itemId: 'mixed', discrimination: 1, difficulty: 0 },
    ];
    const responses = Array.from({ length: 60 }, (_, p) => [
      { personId: `p${p}`, itemId: 'easy', correct: true },
      { personId: `p${p}`, itemId: 'hard', correct: false },
      { personId: `p${p}`, itemId: 'mixed', correct: p % 2 === 0 },
    ]).flat();
    const result = calibrateItems(responses, items);
    const [easy, hard] = result.items;
    expect(easy?.after?.difficulty).toBeLessThan(-2);
    expect(hard?.after?.difficulty).toBeGreaterThan(2);
    for (const item of result.items) {
      expect(item.after?.difficulty).toBeGreaterThanOrEqual(-4);
      expect(item.after?.difficulty).toBeLessThanOrEqual(4);
      expect(item.after?.discrimination).toBeGreaterThanOrEqual(0.2);
      expect(item.after?.discrimination).toBeLessThanOrEqual(4);
    }
    expect(Number.isFinite(result.logLikelihood)).toBe(true);
  });

  it('rejects bad input with a clear error', () => {
    const items = [{ itemId: 'q1', discrimination: 1, difficulty: 0 }];
    const ok = [{ personId: 'p1', itemId: 'q1', correct: true }];
    const fails = (run: () => unknown, message: RegExp) => {
      expect(run).toThrow(InvalidInputError);
      expect(run).toThrow(message);
    };
    fails(() => calibrateItems([{ personId: 'p1', itemId: 'q9', correct: true }], items), /Unknown item q9/);
    fails(() => calibrateItems([], items), /No responses/);
    fails(() => calibrateItems(ok, []), /No items/);
    fails(() => calibrateItems(ok, [...items, ...items]), /q1 is listed twice/);
    fails(() => calibrateItems([...ok, ...ok], items), /p1 answered item q1 more than once/);
    fails(() => calibrateItems(ok, [{ itemId: 'q1', discrimination: NaN, difficulty: 0 }]), /non-finite/);
    fails(() => calibrateItems(ok, items, { quadraturePoints: 2 }), /quadraturePoints/);
    fails(() => calibrateItems(ok, items, { tolerance: 0 }), /tolerance/);
    expect(() => calibrateItems(ok, items)).not.toThrow();
  });
});

describe('calibrateItemsOffThread', () => {
  it('gives what calibrateItems gives, on a thread of its own, leaving the event loop free', async () => {
    const { truth, responses } = simulate(15, 500, 40, 40);
    const start = startingPoint(truth);
    const { value: here, ms: onThisThread } = timed(() => calibrateItems(responses, start));
    // While the thread works, this one keeps turning: its longest stall is a fraction of the work.
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const there = await calibrateItemsOffThread(responses, start);
    delay.disable();
    expect(there).toEqual(here);
    expect(delay.max / 1e6).toBeLessThan(onThisThread / 2);
  });

  it('refuses bad input as calibrateItems does, as an expected failure', async () => {
    const error = await calibrateItemsOffThread([], [{ itemId: 'a', discrimination: 1, difficulty: 0 }]).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CalibrationInputError);
    expect((error as Error).message).toMatch(/No responses/);
  });
});
