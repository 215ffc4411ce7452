/** The shape of the seeded multiple-choice questions that adaptive tests draw from (item response theory, 3PL). */

/** One multiple-choice item with its IRT parameters. */
export interface SeedQuestion {
  /** Stable unique slug, `<concept-group>-<nnn>` (e.g. `hashing-017`): the seed upserts by it, so never reuse one. */
  key: string;
  /** The question, in Markdown; code goes in fenced blocks with a language tag (```js, ```py). */
  stem: string;
  /** The choices, keyed `A`, `B`, `C`, `D` (and `E` at most), in the order they are shown; texts are Markdown. */
  options: { key: string; text: string }[];
  /** The key of the one correct option. */
  correct: string;
  /** Why the correct option is right (and the tempting ones wrong), in Markdown; shown after answering. */
  explanation: string;
  /** The concepts the item measures, SCREAMING_CASE (`HASHING`, `BINARY_SEARCH`, ...); each is in its pool's list. */
  concepts: string[];
  /** IRT discrimination `a`, 0.5 to 2.5: how sharply the item separates learners below and above its difficulty. */
  discrimination: number;
  /** IRT difficulty `b`, -3 to 3: the ability at which a learner (guessing aside) answers correctly half the time. */
  difficulty: number;
  /** IRT guessing `c` (lower asymptote), when set: about 0.2 for a 4-option item; absent means 0. */
  guessing?: number;
}

/** A named set of questions an adaptive test can draw from. */
export interface SeedQuestionPool {
  /** Stable unique slug the seed upserts by. */
  slug: string;
  /** Display name. */
  name: string;
  /** One or two sentences on what the pool covers. */
  description: string;
  /** Every concept its questions measure (SCREAMING_CASE), in display order. */
  concepts: string[];
  /** The items; their keys are unique across all pools. */
  questions: SeedQuestion[];
}
