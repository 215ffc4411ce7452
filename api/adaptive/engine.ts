/**
 * The adaptive-test engine over jsCAT (@bdelab/jscat): θ is estimated by jsCAT (EAP with a
 * normal prior, or MLE), overall and per concept; the next question is drawn beside jsCAT's
 * maximum-information selection, with the exposure control (a cap across sessions,
 * progressive randomesque within one) and the content balancing (quotas) it lacks;
 * stopping uses jsCAT's early-stopping rules. Everything is a function of the stored
 * responses, so a session is rebuilt the same after a restart.
 */
import { Cat, StopAfterNItems, StopIfSEMeasurementBelowThreshold } from '@bdelab/jscat';
import seedrandom from 'seedrandom';

/** A question as the engine sees it: its IRT parameters and concepts. */
export interface EngineItem {
  id: string;
  /** Discrimination. */
  a: number;
  /** Difficulty. */
  b: number;
  /** Guessing (0 for the 2PL model). */
  c: number;
  concepts: readonly string[];
}

/** A question as stored, by its parameters' names. */
export interface StoredQuestion {
  id: string;
  discrimination: number;
  difficulty: number;
  guessing: number;
  concepts: readonly string[];
}

/** A stored question as the engine sees it. */
export function engineItem(question: StoredQuestion): EngineItem {
  return {
    id: question.id,
    a: question.discrimination,
    b: question.difficulty,
    c: question.guessing,
    concepts: question.concepts,
  };
}

/** One stored answer, in the order given. */
export interface EngineResponse {
  itemId: string;
  correct: boolean;
}

/** θ and its standard error. */
export interface Estimate {
  theta: number;
  standardError: number;
}

/** A concept's θ, and how many answers it rests on. */
export interface ConceptEstimate extends Estimate {
  concept: string;
  responses: number;
}

export type Estimator = 'EAP' | 'MLE';

/** Why a session stopped. */
export type StopReason = 'STANDARD_ERROR' | 'MAX_QUESTIONS' | 'POOL_EXHAUSTED';

/** How a session asks. */
export interface EngineSettings {
  estimator: Estimator;
  maxQuestions: number;
  targetStandardError: number;
  /**
   * The first question is drawn at random from this many most informative ones; fewer as the
   * test goes on (see `randomesqueK`).
   */
  exposureTopK: number;
  /** The concepts asked about; empty: every concept of the items given. */
  concepts: readonly string[];
}

/** The prior of EAP, and where a session starts: θ ~ N(0, 1). */
export const PRIOR: Estimate = { theta: 0, standardError: 1 };

/** θ is kept within these bounds (jsCAT's defaults). */
const THETA_RANGE = { minTheta: -6, maxTheta: 6 };

const zeta = (item: EngineItem) => ({ a: item.a, b: item.b, c: item.c, d: 1 });

/** A jsCAT CAT fed `answered` (items and answers in order). */
function catOf(answered: readonly { item: EngineItem; correct: boolean }[], estimator: Estimator): Cat {
  const cat = new Cat({
    method: estimator,
    priorDist: 'norm',
    priorPar: [PRIOR.theta, PRIOR.standardError],
    ...THETA_RANGE,
  });
  if (answered.length > 0) {
    cat.updateAbilityEstimate(
      answered.map(({ item }) => zeta(item)),
      answered.map(({ correct }) => (correct ? 1 : 0)),
    );
  }
  return cat;
}

/**
 * The item's Fisher information at θ, by jsCAT's 3PL formula (`fisherInformation` in
 * @bdelab/jscat/lib/utils, with which a test checks it agrees): written out because jsCAT's
 * converts the item's parameters on every call, which costs milliseconds across a large pool.
 */
export function information(theta: number, item: EngineItem): number {
  const p = item.c + (1 - item.c) / (1 + Math.exp(-item.a * (theta - item.b)));
  return item.a ** 2 * ((1 - p) / p) * ((p - item.c) ** 2 / (1 - item.c) ** 2);
}

/** Pairs each response with its item; an unknown item is a programming error. */
function pair(items: ReadonlyMap<string, EngineItem>, responses: readonly EngineResponse[]) {
  return responses.map((response) => {
    const item = items.get(response.itemId);
    if (!item) throw new Error(`adaptive engine: no item ${response.itemId}`);
    return { item, correct: response.correct };
  });
}

/** θ from the responses, as jsCAT estimates it; the prior before any. */
export function estimate(
  items: ReadonlyMap<string, EngineItem>,
  responses: readonly EngineResponse[],
  estimator: Estimator,
): Estimate {
  if (responses.length === 0) return PRIOR;
  const cat = catOf(pair(items, responses), estimator);
  return { theta: cat.theta, standardError: cat.seMeasurement };
}

/** θ per concept: one CAT per concept, over the responses to that concept's items. */
export function conceptEstimates(
  items: ReadonlyMap<string, EngineItem>,
  responses: readonly EngineResponse[],
  estimator: Estimator,
  concepts: readonly string[],
): ConceptEstimate[] {
  const answered = pair(items, responses);
  return concepts.map((concept) => {
    const own = answered.filter(({ item }) => item.concepts.includes(concept));
    if (own.length === 0) return { concept, ...PRIOR, responses: 0 };
    const cat = catOf(own, estimator);
    return { concept, theta: cat.theta, standardError: cat.seMeasurement, responses: own.length };
  });
}

/**
 * θ per concept after the latest response, from the estimates before it: only the concepts
 * of the question just answered are estimated again (one small CAT each), so that an answer
 * does not cost one CAT per concept. `before` null (not kept): every answered concept is
 * estimated from the responses. Sorted by concept, as `conceptEstimates` over the answered
 * concepts gives them.
 */
export function conceptEstimatesAfter(
  items: ReadonlyMap<string, EngineItem>,
  responses: readonly EngineResponse[],
  estimator: Estimator,
  before: readonly ConceptEstimate[] | null,
): ConceptEstimate[] {
  const answered = pair(items, responses);
  const latest = answered.at(-1);
  const redo = new Set(before && latest ? latest.item.concepts : answered.flatMap(({ item }) => item.concepts));
  const kept = (before ?? []).filter((estimate) => !redo.has(estimate.concept));
  return [...kept, ...conceptEstimates(items, responses, estimator, [...redo])].sort((x, y) =>
    x.concept < y.concept ? -1 : x.concept > y.concept ? 1 : 0,
  );
}

/** The concepts a session covers: its own list, else every concept of the items. */
export function sessionConcepts(items: Iterable<EngineItem>, settings: Pick<EngineSettings, 'concepts'>): string[] {
  if (settings.concepts.length > 0) return [...settings.concepts];
  const all = new Set<string>();
  for (const item of items) for (const concept of item.concepts) all.add(concept);
  return [...all].sort();
}

/** How the next item is drawn: the session's seeded generator, and the items to spare. */
export interface Draw {
  seed: string;
  /** Draws made before this one, so a rebuilt session draws the same. */
  draw: number;
  /**
   * Items already given to as many sessions as the pool's exposure cap allows: asked only
   * when nothing else is left (the restricted maximum-information method).
   */
  overexposed?: ReadonlySet<string>;
}

/**
 * How many of the most informative candidates the draw is made among at this question
 * (`asked`: questions answered so far): progressive randomesque. `topK` at the first
 * question, shrinking linearly to ⌈topK / 2⌉ at three quarters of `maxQuestions` and kept
 * there. Wide draws spread the items where θ is still uncertain and one item is worth about
 * another; narrower ones give up less information where θ is known, and still vary the items.
 */
export function randomesqueK(topK: number, asked: number, maxQuestions: number): number {
  const k = Math.max(1, Math.floor(topK));
  const last = Math.ceil(k / 2);
  const until = Math.ceil((3 * maxQuestions) / 4);
  if (until <= 0 || asked >= until) return last;
  return last + Math.round((k - last) * (1 - asked / until));
}

/**
 * Content balancing by quota: each of the session's concepts is owed ⌊maxQuestions /
 * concepts⌋ questions by the end of the test (fewer when it has fewer items left to give),
 * and an item is a candidate when the questions left after it can still pay what is owed
 * (an item counts for each of its concepts). Until then the order is free: a concept is
 * forced only when the questions left are needed for the quotas. `candidates`: the items
 * that may be asked now; `unanswered`: every item still to ask in the session.
 */
export function quotaCandidates(
  candidates: readonly EngineItem[],
  unanswered: readonly EngineItem[],
  asked: ReadonlyMap<string, number>,
  concepts: readonly string[],
  left: number,
  maxQuestions: number,
): EngineItem[] {
  const quota = Math.floor(maxQuestions / Math.max(concepts.length, 1));
  const available = new Map(concepts.map((concept) => [concept, 0]));
  for (const item of unanswered) {
    for (const concept of item.concepts) {
      const count = available.get(concept);
      if (count !== undefined) available.set(concept, count + 1);
    }
  }
  // The concepts still owed questions, and how many in all.
  const owing = new Set<string>();
  let total = 0;
  for (const concept of concepts) {
    const due = Math.max(0, Math.min(quota - (asked.get(concept) ?? 0), available.get(concept) ?? 0));
    if (due > 0) owing.add(concept);
    total += due;
  }
  const budget = Math.max(0, left);
  // Enough questions left for every quota whatever is asked now (the usual case early on).
  if (total <= budget) return [...candidates];
  const feasible: EngineItem[] = [];
  const paying: EngineItem[] = [];
  for (const item of candidates) {
    let paid = 0;
    for (const concept of item.concepts) if (owing.has(concept)) paid += 1;
    if (total - paid <= budget) feasible.push(item);
    if (paid > 0) paying.push(item);
  }
  if (feasible.length > 0) return feasible;
  // The quotas cannot all be met any more (items left out at the exposure cap): pay what can be paid.
  return paying.length > 0 ? paying : [...candidates];
}

/**
 * A pool's items by id, its concepts and the items that have one, kept per pool array (the
 * services pass the same one).
 */
const indexes = new WeakMap<
  readonly EngineItem[],
  { byId: Map<string, EngineItem>; concepts: string[]; withConcepts: EngineItem[] }
>();

function indexOf(pool: readonly EngineItem[]) {
  let index = indexes.get(pool);
  if (!index) {
    index = {
      byId: new Map(pool.map((item) => [item.id, item])),
      concepts: sessionConcepts(pool, { concepts: [] }),
      withConcepts: pool.filter((item) => item.concepts.length > 0),
    };
    indexes.set(pool, index);
  }
  return index;
}

/**
 * The `k` items most informative at θ, most informative first; ties broken by id, so that the
 * order (and the draw) does not depend on the pool's order. One pass, without sorting the pool.
 */
function mostInformative(items: readonly EngineItem[], theta: number, k: number): EngineItem[] {
  const top: { item: EngineItem; information: number }[] = [];
  const before = (x: { item: EngineItem; information: number }, y: { item: EngineItem; information: number }) =>
    x.information > y.information || (x.information === y.information && x.item.id < y.item.id);
  for (const item of items) {
    const entry = { item, information: information(theta, item) };
    const last = top.at(-1);
    if (top.length >= k && last && !before(entry, last)) continue;
    let at = top.length;
    while (at > 0 && before(entry, top[at - 1]!)) at -= 1;
    top.splice(at, 0, entry);
    if (top.length > k) top.pop();
  }
  return top.map(({ item }) => item);
}

/**
 * The next item, or null when none is left. Exposure control across sessions first: items
 * at the pool's exposure cap are left out while others remain. Then content balancing by
 * quota (`quotaCandidates`): each concept is owed ⌊maxQuestions / concepts⌋ questions by the
 * end, the order otherwise free. Then progressive randomesque exposure control: one of the
 * `randomesqueK` candidates most informative at θ (Fisher information, as jsCAT's MFI uses;
 * k = `exposureTopK` at the first question, half of it in the last quarter), drawn with the
 * session's seeded generator.
 */
export function selectNext(
  pool: readonly EngineItem[],
  responses: readonly EngineResponse[],
  theta: number,
  settings: EngineSettings,
  random: Draw,
): EngineItem | null {
  const index = indexOf(pool);
  // By the items themselves (identity), not their ids: pools run to thousands of items.
  const answered = new Set(responses.flatMap((response) => index.byId.get(response.itemId) ?? []));
  const overexposed = new Set([...(random.overexposed ?? [])].flatMap((id) => index.byId.get(id) ?? []));
  const named = settings.concepts.length > 0;
  const concepts = named ? [...settings.concepts] : index.concepts;
  const covered = new Set(concepts);
  // One pass: the items still to ask (of the session's concepts), and those of them below the cap.
  const unanswered: EngineItem[] = [];
  const spared: EngineItem[] = [];
  for (const item of named ? pool : index.withConcepts) {
    if (answered.has(item)) continue;
    if (named && !item.concepts.some((concept) => covered.has(concept))) continue;
    unanswered.push(item);
    if (!overexposed.has(item)) spared.push(item);
  }
  if (unanswered.length === 0) return null;
  const eligible = spared.length > 0 ? spared : unanswered;
  const asked = new Map(concepts.map((concept) => [concept, 0]));
  for (const response of responses) {
    for (const concept of index.byId.get(response.itemId)?.concepts ?? []) {
      const count = asked.get(concept);
      if (count !== undefined) asked.set(concept, count + 1);
    }
  }
  const left = settings.maxQuestions - responses.length - 1;
  const candidates = mostInformative(
    quotaCandidates(eligible, unanswered, asked, concepts, left, settings.maxQuestions),
    theta,
    randomesqueK(settings.exposureTopK, responses.length, settings.maxQuestions),
  );
  const rng = seedrandom(`${random.seed}:${random.draw}`);
  return candidates[Math.floor(rng() * candidates.length)] ?? null;
}

/**
 * Whether the session stops now, and why, by jsCAT's early-stopping rules: the standard
 * error at or below the target, or the question limit; and the pool running out
 * (`remaining` items left to ask). With a patience of one answer, the rules read only the
 * latest CAT.
 */
export function stopReason(
  items: ReadonlyMap<string, EngineItem>,
  responses: readonly EngineResponse[],
  settings: EngineSettings,
  remaining: number,
): StopReason | null {
  return stopFor(responses.length > 0 ? catOf(pair(items, responses), settings.estimator) : null, settings, remaining);
}

/** `stopReason` for a CAT already fed the responses (null before any). */
function stopFor(cat: Cat | null, settings: EngineSettings, remaining: number): StopReason | null {
  if (cat) {
    const cats = { session: cat };
    const byError = new StopIfSEMeasurementBelowThreshold({
      seMeasurementThreshold: { session: settings.targetStandardError },
    });
    byError.update(cats);
    if (byError.earlyStop) return 'STANDARD_ERROR';
    const byCount = new StopAfterNItems({ requiredItems: { session: settings.maxQuestions } });
    byCount.update(cats);
    if (byCount.earlyStop) return 'MAX_QUESTIONS';
  }
  if (remaining === 0) return 'POOL_EXHAUSTED';
  return null;
}

/** θ after a session's responses, and whether jsCAT's stopping rules end it there. */
export interface SessionOutcome {
  estimate: Estimate;
  /** STANDARD_ERROR or MAX_QUESTIONS by jsCAT's rules; null when they let it go on. */
  stop: StopReason | null;
}

/**
 * θ from the responses and jsCAT's stopping rules on it, from one CAT: jsCAT's estimate is
 * the costly part of a step (the rest is choosing among the pool's items).
 */
export function sessionOutcome(
  items: ReadonlyMap<string, EngineItem>,
  responses: readonly EngineResponse[],
  settings: EngineSettings,
): SessionOutcome {
  const cat = responses.length > 0 ? catOf(pair(items, responses), settings.estimator) : null;
  return {
    estimate: cat ? { theta: cat.theta, standardError: cat.seMeasurement } : PRIOR,
    stop: stopFor(cat, settings, 1),
  };
}

/** Where a session stands after its responses: θ, and either why it stopped or what to ask next. */
export interface SessionStep {
  estimate: Estimate;
  stop: StopReason | null;
  next: EngineItem | null;
}

/**
 * The session's state rebuilt from its pool and responses (`seed`: the session's own;
 * `overexposed`: the items at the pool's exposure cap now; `outcome`: `sessionOutcome` of the
 * same responses, when it was worked out already).
 */
export function sessionStep(
  pool: readonly EngineItem[],
  responses: readonly EngineResponse[],
  settings: EngineSettings,
  seed: string,
  overexposed?: ReadonlySet<string>,
  outcome: SessionOutcome = sessionOutcome(indexOf(pool).byId, responses, settings),
): SessionStep {
  const { estimate: now, stop } = outcome;
  // By jsCAT's rules first: a session that stops there needs no next question chosen.
  if (stop) return { estimate: now, stop, next: null };
  const next = selectNext(pool, responses, now.theta, settings, { seed, draw: responses.length, overexposed });
  return { estimate: now, stop: next ? null : 'POOL_EXHAUSTED', next };
}

/** Exposure control across sessions: the highest share of a pool's sessions an item is given to. */
export const MAX_EXPOSURE_RATE = 0.25;

/**
 * Sessions below which exposure rates are counted as if there were this many, so that the
 * first few sessions do not shut each other's items out (one session would give each of its
 * items a rate of 1).
 */
export const EXPOSURE_WARM_UP_SESSIONS = 20;

/**
 * How many sessions an item may be given to before it is left out (see `Draw.overexposed`):
 * giving it once more must keep its rate, `administered / sessionCount`, within the cap.
 * (The pools' copies compute it in SQL from the same constants, beside the counts it reads.)
 */
export function exposureCap(sessionCount: number, maxRate = MAX_EXPOSURE_RATE): number {
  return Math.floor(maxRate * Math.max(sessionCount, EXPOSURE_WARM_UP_SESSIONS));
}

/**
 * Mastery of a concept from 0 to 1: the chance of answering a question of average difficulty
 * and discrimination right at θ (2PL with a = 1, b = 0). θ = 0 is 0.5; mastery 0.7 is θ ≈ 0.85.
 */
export function conceptMastery(theta: number): number {
  return 1 / (1 + Math.exp(-theta));
}
