/**
 * Item calibration for the 2PL model by marginal maximum likelihood (Bock–Aitkin EM over a
 * fixed quadrature grid, N(0,1) ability prior), from a sparse matrix of stored responses.
 * Pure and deterministic: it proposes parameters and item fit; nothing is written here.
 */
import { InvalidInputError } from '../errors.js';

/** One stored answer. Adaptive tests give each person a different subset of the items. */
export interface ItemResponse {
  personId: string;
  itemId: string;
  correct: boolean;
}

/** 2PL parameters: P(correct | θ) = 1 / (1 + exp(-a (θ - b))). */
export interface TwoPLParameters {
  /** a */
  discrimination: number;
  /** b */
  difficulty: number;
}

/** An item of the pool with its current parameters. */
export interface ItemParameters extends TwoPLParameters {
  itemId: string;
  /**
   * c of a 3PL item (0 or absent: 2PL). Such an item is held fixed, since this is a 2PL
   * calibration, and places the examinees with its 3PL curve.
   */
  guessing?: number;
}

/** Why an item kept its parameters. */
export type SkipReason = 'FEW_RESPONSES' | 'GUESSING';

export interface CalibrationOptions {
  /** Items with fewer responses keep their parameters (still used to place the persons). */
  minResponses?: number;
  /** Points of the equally spaced grid over [-4, 4]. */
  quadraturePoints?: number;
  /** Most EM cycles. */
  maxIterations?: number;
  /** Converged once no estimated a or b moves more than this in one EM cycle. */
  tolerance?: number;
}

/**
 * RMSD item fit (the PISA / PIAAC statistic): the root mean squared difference, over the
 * grid and weighted by the posterior ability density of those who answered the item, between
 * the posterior pseudo-observed proportion correct and the model's. 0 is a perfect fit;
 * above ~0.1 is commonly flagged (PISA uses 0.12).
 */
export interface ItemFit {
  rmsd: number;
}

/** What calibration proposes for one item of the pool. */
export interface ItemCalibration {
  itemId: string;
  before: TwoPLParameters;
  /** The new estimate; null when the item was skipped (it keeps `before`). */
  after: TwoPLParameters | null;
  responses: number;
  skipped: boolean;
  /** Why it was skipped: fewer than `minResponses` responses, or a 3PL item; null when estimated. */
  skipReason: SkipReason | null;
  /** Fit of `after` (or of `before` when skipped); null for an item nobody answered. */
  fit: ItemFit | null;
}

export interface CalibrationResult {
  /** One entry per input item, in input order. */
  items: ItemCalibration[];
  persons: number;
  iterations: number;
  converged: boolean;
  /** Marginal log-likelihood of the responses at the returned parameters. */
  logLikelihood: number;
}

export const CALIBRATION_DEFAULTS: Required<CalibrationOptions> = {
  minResponses: 30,
  quadraturePoints: 41,
  maxIterations: 500,
  tolerance: 1e-4,
};

/** Bounds that keep every estimate finite and on the grid's scale. */
export const DISCRIMINATION_BOUNDS = [0.2, 4] as const;
export const DIFFICULTY_BOUNDS = [-4, 4] as const;

// Light priors, as BILOG and mirt use them: ln a ~ N(0, 0.5²) and b ~ N(0, 3²). With a few
// hundred responses they barely move an estimate, but they stop a and b from running off
// when an item is (nearly) always or never answered correctly.
const LOG_A_PRIOR_SD = 0.5;
const B_PRIOR_SD = 3;
const GRID_HALF_WIDTH = 4;
/** Fisher-scoring steps per item per M-step: EM only needs each M-step to improve. */
const M_STEPS = 5;

/** Responses grouped by person, as flat typed arrays (fast inner loops, no allocation per cycle). */
interface ResponseMatrix {
  persons: number;
  /** Responses of person p are [start[p], start[p + 1]). */
  start: Int32Array;
  item: Int32Array;
  correct: Uint8Array;
  countPerItem: Int32Array;
}

/** Posterior-weighted counts per item and grid point, from one E-step. */
interface Expected {
  /** n[i * Q + q]: expected number of the item's respondents at grid point q. */
  n: Float64Array;
  /** r[i * Q + q]: of those, the expected number who answered correctly. */
  r: Float64Array;
  logLikelihood: number;
}

/**
 * Re-estimates the 2PL parameters of every item with at least `minResponses` responses from
 * `responses`; the others keep theirs and are reported as skipped. Throws InvalidInputError
 * on empty input, unknown or duplicate items, repeated (person, item) pairs or bad options.
 */
export function calibrateItems(
  responses: readonly ItemResponse[],
  items: readonly ItemParameters[],
  options: CalibrationOptions = {},
): CalibrationResult {
  const settings = validateOptions(options);
  const matrix = buildMatrix(responses, items);
  const Q = settings.quadraturePoints;
  const theta = Float64Array.from({ length: Q }, (_, q) => -GRID_HALF_WIDTH + (2 * GRID_HALF_WIDTH * q) / (Q - 1));
  const logPrior = normalizedLogPrior(theta);

  const a = Float64Array.from(items, (item) => clamp(item.discrimination, DISCRIMINATION_BOUNDS));
  const b = Float64Array.from(items, (item) => clamp(item.difficulty, DIFFICULTY_BOUNDS));
  const c = Float64Array.from(items, (item) => item.guessing ?? 0);
  const skipReasons = items.map((item, i): SkipReason | null =>
    (item.guessing ?? 0) > 0
      ? 'GUESSING'
      : (matrix.countPerItem[i] ?? 0) < settings.minResponses
        ? 'FEW_RESPONSES'
        : null,
  );
  const estimated = skipReasons.map((reason) => reason === null);

  let iterations = 0;
  let converged = !estimated.includes(true);
  while (!converged && iterations < settings.maxIterations) {
    const expected = eStep(matrix, a, b, c, theta, logPrior);
    let largestChange = 0;
    for (let i = 0; i < items.length; i++) {
      if (!estimated[i]) continue;
      const [newA, newB] = mStep(expected, i, theta, a[i] ?? 1, b[i] ?? 0);
      largestChange = Math.max(largestChange, Math.abs(newA - (a[i] ?? 0)), Math.abs(newB - (b[i] ?? 0)));
      a[i] = newA;
      b[i] = newB;
    }
    iterations++;
    converged = largestChange < settings.tolerance;
  }

  // One more E-step so the likelihood and the fit describe the parameters returned.
  const final = eStep(matrix, a, b, c, theta, logPrior);
  return {
    items: items.map((item, i) => {
      const responseCount = matrix.countPerItem[i] ?? 0;
      return {
        itemId: item.itemId,
        before: { discrimination: item.discrimination, difficulty: item.difficulty },
        after: estimated[i] ? { discrimination: a[i] ?? 0, difficulty: b[i] ?? 0 } : null,
        responses: responseCount,
        skipped: !estimated[i],
        skipReason: skipReasons[i] ?? null,
        fit: responseCount > 0 ? { rmsd: rmsd(final, i, theta, a[i] ?? 0, b[i] ?? 0, c[i] ?? 0) } : null,
      };
    }),
    persons: matrix.persons,
    iterations,
    converged,
    logLikelihood: final.logLikelihood,
  };
}

/** The probability of a correct answer under the 2PL model. */
export function probabilityCorrect(theta: number, discrimination: number, difficulty: number): number {
  return 1 / (1 + Math.exp(-discrimination * (theta - difficulty)));
}

function validateOptions(options: CalibrationOptions): Required<CalibrationOptions> {
  const settings = { ...CALIBRATION_DEFAULTS, ...options };
  const check = (ok: boolean, field: keyof CalibrationOptions, message: string) => {
    if (!ok) throw InvalidInputError.at(['options', field], message);
  };
  check(
    Number.isInteger(settings.minResponses) && settings.minResponses >= 1,
    'minResponses',
    'must be a whole number ≥ 1.',
  );
  check(
    Number.isInteger(settings.quadraturePoints) && settings.quadraturePoints >= 5,
    'quadraturePoints',
    'must be a whole number ≥ 5.',
  );
  check(
    Number.isInteger(settings.maxIterations) && settings.maxIterations >= 1,
    'maxIterations',
    'must be a whole number ≥ 1.',
  );
  check(Number.isFinite(settings.tolerance) && settings.tolerance > 0, 'tolerance', 'must be a positive number.');
  return settings;
}

function buildMatrix(responses: readonly ItemResponse[], items: readonly ItemParameters[]): ResponseMatrix {
  if (items.length === 0) throw InvalidInputError.at(['items'], 'No items to calibrate.');
  if (responses.length === 0) throw InvalidInputError.at(['responses'], 'No responses to calibrate from.');

  const itemIndex = new Map<string, number>();
  items.forEach((item, i) => {
    if (itemIndex.has(item.itemId))
      throw InvalidInputError.at(['items', String(i)], `Item ${item.itemId} is listed twice.`);
    if (!Number.isFinite(item.discrimination) || !Number.isFinite(item.difficulty)) {
      throw InvalidInputError.at(['items', String(i)], `Item ${item.itemId} has non-finite parameters.`);
    }
    const guessing = item.guessing ?? 0;
    if (!(guessing >= 0 && guessing < 1)) {
      throw InvalidInputError.at(['items', String(i), 'guessing'], `Item ${item.itemId}: guessing must be in [0, 1).`);
    }
    itemIndex.set(item.itemId, i);
  });

  // Persons in order of first appearance, so the result does not depend on Map internals.
  const byPerson = new Map<string, { item: number; correct: boolean }[]>();
  const seen = new Set<string>();
  responses.forEach((response, k) => {
    const i = itemIndex.get(response.itemId);
    if (i === undefined) {
      throw InvalidInputError.at(['responses', String(k), 'itemId'], `Unknown item ${response.itemId}.`);
    }
    // The model assumes one answer per person and item: repeats belong to separate persons
    // (e.g. key by test session) or must be reduced to one by the caller.
    const pair = `${response.personId}\u0000${response.itemId}`;
    if (seen.has(pair)) {
      throw InvalidInputError.at(
        ['responses', String(k)],
        `Person ${response.personId} answered item ${response.itemId} more than once.`,
      );
    }
    seen.add(pair);
    let list = byPerson.get(response.personId);
    if (!list) byPerson.set(response.personId, (list = []));
    list.push({ item: i, correct: response.correct });
  });

  const start = new Int32Array(byPerson.size + 1);
  const item = new Int32Array(responses.length);
  const correct = new Uint8Array(responses.length);
  const countPerItem = new Int32Array(items.length);
  let k = 0;
  let p = 0;
  for (const list of byPerson.values()) {
    start[p++] = k;
    for (const response of list) {
      item[k] = response.item;
      correct[k] = response.correct ? 1 : 0;
      countPerItem[response.item] = (countPerItem[response.item] ?? 0) + 1;
      k++;
    }
  }
  start[p] = k;
  return { persons: byPerson.size, start, item, correct, countPerItem };
}

/** log N(0,1) weights on the grid, normalized to sum to 1. */
function normalizedLogPrior(theta: Float64Array): Float64Array {
  const density = theta.map((t) => Math.exp(-0.5 * t * t));
  const total = density.reduce((sum, d) => sum + d, 0);
  return density.map((d) => Math.log(d / total));
}

/**
 * E-step: each person's posterior over the grid given all their responses (items skipped for
 * estimation count with their fixed parameters, 3PL ones with their guessing), summed into
 * expected counts per item.
 */
function eStep(
  matrix: ResponseMatrix,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  theta: Float64Array,
  logPrior: Float64Array,
): Expected {
  const Q = theta.length;
  const itemCount = a.length;
  // log P(answer | θ_q) for both answers of every item: row (2i + correct) of one table, so
  // the hot loop below reads one array.
  const logAnswer = new Float64Array(2 * itemCount * Q);
  for (let i = 0; i < itemCount; i++) {
    const guessing = c[i] ?? 0;
    for (let q = 0; q < Q; q++) {
      const z = (a[i] ?? 0) * ((theta[q] ?? 0) - (b[i] ?? 0));
      if (guessing > 0) {
        // 3PL: P = c + (1 - c) σ(z), so 1 - P = (1 - c) σ(-z).
        logAnswer[2 * i * Q + q] = Math.log1p(-guessing) - softplus(z);
        logAnswer[(2 * i + 1) * Q + q] = Math.log(guessing + (1 - guessing) / (1 + Math.exp(-z)));
        continue;
      }
      // log σ(-z) and log σ(z), written to stay finite for large |z|.
      logAnswer[2 * i * Q + q] = -softplus(z);
      logAnswer[(2 * i + 1) * Q + q] = -softplus(-z);
    }
  }

  const n = new Float64Array(itemCount * Q);
  const r = new Float64Array(itemCount * Q);
  const posterior = new Float64Array(Q);
  let logLikelihood = 0;
  for (let p = 0; p < matrix.persons; p++) {
    const from = matrix.start[p] ?? 0;
    const to = matrix.start[p + 1] ?? 0;
    posterior.set(logPrior);
    for (let k = from; k < to; k++) {
      const row = (2 * (matrix.item[k] ?? 0) + (matrix.correct[k] ?? 0)) * Q;
      for (let q = 0; q < Q; q++) posterior[q] = (posterior[q] ?? 0) + (logAnswer[row + q] ?? 0);
    }
    let max = -Infinity;
    for (let q = 0; q < Q; q++) max = Math.max(max, posterior[q] ?? -Infinity);
    let total = 0;
    for (let q = 0; q < Q; q++) {
      const w = Math.exp((posterior[q] ?? 0) - max);
      posterior[q] = w;
      total += w;
    }
    logLikelihood += max + Math.log(total);
    const scale = 1 / total;
    for (let q = 0; q < Q; q++) posterior[q] = (posterior[q] ?? 0) * scale;
    for (let k = from; k < to; k++) {
      const row = (matrix.item[k] ?? 0) * Q;
      const counts = matrix.correct[k] === 1 ? r : null;
      for (let q = 0; q < Q; q++) n[row + q] = (n[row + q] ?? 0) + (posterior[q] ?? 0);
      if (counts) for (let q = 0; q < Q; q++) counts[row + q] = (counts[row + q] ?? 0) + (posterior[q] ?? 0);
    }
  }
  return { n, r, logLikelihood };
}

/**
 * M-step for item i: a few Fisher-scoring steps in (a, b) on the expected complete-data
 * log-likelihood plus the log priors, each step halved until the objective improves, the
 * result kept within the bounds.
 */
function mStep(expected: Expected, i: number, theta: Float64Array, a0: number, b0: number): [number, number] {
  let a = a0;
  let b = b0;
  let current = objective(expected, i, theta, a, b);
  for (let step = 0; step < M_STEPS; step++) {
    const Q = theta.length;
    // Gradient and expected information of the logistic likelihood in (a, b):
    // z = a (θ - b), ∂z/∂a = θ - b, ∂z/∂b = -a.
    let ga = 0;
    let gb = 0;
    let iaa = 0;
    let iab = 0;
    let ibb = 0;
    for (let q = 0; q < Q; q++) {
      const nq = expected.n[i * Q + q] ?? 0;
      if (nq === 0) continue;
      const rq = expected.r[i * Q + q] ?? 0;
      const d = (theta[q] ?? 0) - b;
      const p = probabilityCorrect(theta[q] ?? 0, a, b);
      const residual = rq - nq * p;
      const info = nq * p * (1 - p);
      ga += residual * d;
      gb -= residual * a;
      iaa += info * d * d;
      iab -= info * d * a;
      ibb += info * a * a;
    }
    const logA = Math.log(a);
    ga -= logA / (LOG_A_PRIOR_SD * LOG_A_PRIOR_SD * a);
    gb -= b / (B_PRIOR_SD * B_PRIOR_SD);
    iaa += 1 / (LOG_A_PRIOR_SD * LOG_A_PRIOR_SD * a * a);
    ibb += 1 / (B_PRIOR_SD * B_PRIOR_SD);

    const det = iaa * ibb - iab * iab;
    if (!(det > 0)) break;
    const da = (ibb * ga - iab * gb) / det;
    const db = (iaa * gb - iab * ga) / det;
    // At the optimum already: the step is noise, and halving it would only burn time.
    if (Math.max(Math.abs(da), Math.abs(db)) < 1e-8) break;
    let scale = 1;
    let improved = false;
    for (let halving = 0; halving < 10 && !improved; halving++, scale /= 2) {
      const nextA = clamp(a + scale * da, DISCRIMINATION_BOUNDS);
      const nextB = clamp(b + scale * db, DIFFICULTY_BOUNDS);
      const value = objective(expected, i, theta, nextA, nextB);
      if (value >= current) {
        improved = true;
        a = nextA;
        b = nextB;
        current = value;
      }
    }
    if (!improved) break;
  }
  return [a, b];
}

/** Expected complete-data log-likelihood of item i at (a, b), plus its log priors. */
function objective(expected: Expected, i: number, theta: Float64Array, a: number, b: number): number {
  const Q = theta.length;
  let value = 0;
  for (let q = 0; q < Q; q++) {
    const nq = expected.n[i * Q + q] ?? 0;
    if (nq === 0) continue;
    const rq = expected.r[i * Q + q] ?? 0;
    const z = a * ((theta[q] ?? 0) - b);
    // -log P = softplus(-z) and -log(1 - P) = softplus(z) = softplus(-z) + z.
    const minusLogP = softplus(-z);
    value -= nq * minusLogP + (nq - rq) * z;
  }
  const logA = Math.log(a);
  return value - (logA * logA) / (2 * LOG_A_PRIOR_SD * LOG_A_PRIOR_SD) - (b * b) / (2 * B_PRIOR_SD * B_PRIOR_SD);
}

function rmsd(expected: Expected, i: number, theta: Float64Array, a: number, b: number, c: number): number {
  const Q = theta.length;
  let total = 0;
  let sum = 0;
  for (let q = 0; q < Q; q++) {
    const nq = expected.n[i * Q + q] ?? 0;
    if (nq === 0) continue;
    const observed = (expected.r[i * Q + q] ?? 0) / nq;
    const gap = observed - (c + (1 - c) * probabilityCorrect(theta[q] ?? 0, a, b));
    total += nq;
    sum += nq * gap * gap;
  }
  return total > 0 ? Math.sqrt(sum / total) : 0;
}

/** log(1 + e^x) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function clamp(value: number, [low, high]: readonly [number, number]): number {
  return Math.min(high, Math.max(low, value));
}
