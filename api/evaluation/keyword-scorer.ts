/**
 * The built-in rubric scorer, used when no ANTHROPIC_API_KEY is set: deterministic keyword
 * coverage, no network. It sits behind the same `RubricScorer` port as the model-backed one.
 */
import type { RubricCriterion, RubricScorer } from './rubric.js';

/** Scorer name of the built-in adapter, stored as RubricScore.scorer. */
export const BUILTIN_SCORER_NAME = 'builtin';

/** Coverage (weighted share of key terms found) that earns full marks: a good answer never uses every word. */
const FULL_COVERAGE = 0.5;
/** Below this many words per criterion the whole answer is too thin for full marks. */
const WORDS_PER_CRITERION = 40;
/** Rationales list at most this many terms per list. */
const LISTED_TERMS = 10;

// Function words, and words rubric prose uses about answers rather than about the design.
const STOPWORDS = new Set(
  (
    'about above after again against also although among another any anything around because been before being below ' +
    'between both but cannot could does doing done down during each either else even every from further have having ' +
    'here into itself just least less like made make makes many more most much must need needs only other otherwise ' +
    'over same should since some such than that their them then there these they this those though through under ' +
    'until upon very what when where whether which while will with within without would your yours ' +
    'answer answers student design designs explain explains explained show shows shown name names named state states ' +
    'stated mention mentions discuss discusses describe describes define defines justify justifies choose chooses ' +
    'handle handles turn turns give gives given full score scores bonus deduct deducts awareness important concrete ' +
    'right later matter matters exact possibly optionally fine used uses using well good main clear clearly ' +
    'including include includes especially prompt requirement requirements criterion rubric guidance'
  ).split(' '),
);

/** A small suffix stripper: applied to both sides, so only consistency matters. */
function stem(word: string): string {
  let w = word.toLowerCase().replace(/['’]s$/, '');
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  if (w.length > 5 && w.endsWith('ion')) w = w.slice(0, -3);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

const WORD = /[\p{L}\p{N}]+(?:['’]\p{L}+)?/gu;
/** A number as written in prose: 40, 4,000, 2.6M, 1-3 TB. */
const FIGURE = /\d[\d,.]*/g;

interface Term {
  stem: string;
  word: string;
  /** Terms from the public title and description weigh 2, guidance-only terms 1. */
  weight: number;
  /** Whether the term came from the public title/description (guidance terms stay unnamed when missing). */
  public: boolean;
}

/** Key terms of a text: content words (4+ letters, not stopwords) and acronyms (QPS, TTL, LRU...), in order. */
function keyTerms(text: string): { stem: string; word: string }[] {
  const terms: { stem: string; word: string }[] = [];
  const seen = new Set<string>();
  for (const [token] of text.matchAll(WORD)) {
    // Figures (40, 100M, 2.6M) are not terms; quantitative criteria check figures separately.
    if (/^\p{N}/u.test(token)) continue;
    const acronym = /^\p{Lu}[\p{Lu}\p{N}]+$/u.test(token);
    const lower = token.toLowerCase();
    if (!acronym && (lower.length < 4 || STOPWORDS.has(lower))) continue;
    const s = stem(lower);
    if (STOPWORDS.has(s) || seen.has(s)) continue;
    seen.add(s);
    terms.push({ stem: s, word: lower });
  }
  return terms;
}

function criterionTerms(criterion: RubricCriterion): Term[] {
  const visible = keyTerms(`${criterion.title} ${criterion.description}`).map((term) => ({
    ...term,
    weight: 2,
    public: true,
  }));
  const known = new Set(visible.map((term) => term.stem));
  const hidden = keyTerms(criterion.guidance)
    .filter((term) => !known.has(term.stem))
    .map((term) => ({ ...term, weight: 1, public: false }));
  return [...visible, ...hidden];
}

const list = (words: string[]) =>
  words.length > LISTED_TERMS
    ? `${words.slice(0, LISTED_TERMS).join(', ')} and ${words.length - LISTED_TERMS} more`
    : words.join(', ');

/**
 * The built-in scorer: no network, same input → same output. Each criterion scores by the
 * weighted share of its key terms the answer uses (full marks at 50%), capped for answers
 * shorter than 40 words per criterion; criteria whose text carries 3+ figures also ask for
 * figures in the answer. Rationales say so, list the terms found and the criterion's
 * missing public terms, and only count missing guidance terms (guidance is hidden from students).
 */
export function createBuiltinRubricScorer(): RubricScorer {
  return {
    name: BUILTIN_SCORER_NAME,
    score(input) {
      const tokens = [...input.answer.matchAll(WORD)].map(([token]) => token);
      const answerStems = new Set(tokens.map(stem));
      const numbersInAnswer = (input.answer.match(FIGURE) ?? []).length;
      const wordCount = tokens.length;
      const lengthFactor = Math.min(1, wordCount / (WORDS_PER_CRITERION * input.rubric.length));

      const scores = input.rubric.map((criterion) => {
        const terms = criterionTerms(criterion);
        const found = terms.filter((term) => answerStems.has(term.stem));
        let total = terms.reduce((sum, term) => sum + term.weight, 0);
        let matched = found.reduce((sum, term) => sum + term.weight, 0);
        // Quantitative criteria (3+ figures in their text) expect figures in the answer.
        const quantitative = (`${criterion.description} ${criterion.guidance}`.match(FIGURE) ?? []).length >= 3;
        const hasFigures = numbersInAnswer >= 2;
        if (quantitative) {
          total += 2;
          if (hasFigures) matched += 2;
        }
        const coverage = total ? matched / total : 0;
        const score = Math.round(criterion.maxScore * Math.min(1, coverage / FULL_COVERAGE) * lengthFactor);

        const missingPublic = terms.filter((term) => term.public && !answerStems.has(term.stem));
        const missingHidden = terms.filter((term) => !term.public && !answerStems.has(term.stem)).length;
        const parts = [
          `Built-in scorer (deterministic keyword coverage, not an LLM): ${found.length} of ${terms.length} key terms of "${criterion.title}" found, weighted coverage ${Math.round(coverage * 100)}%.`,
          found.length
            ? `Found: ${list(found.map((term) => term.word))}.`
            : 'None of its key terms appear in the answer.',
          missingPublic.length ? `Missing from the criterion: ${list(missingPublic.map((term) => term.word))}.` : '',
          missingHidden ? `${missingHidden} further reviewer term(s) not covered.` : '',
          quantitative
            ? hasFigures
              ? 'Gives figures.'
              : 'Gives no figures although the criterion asks for numbers.'
            : '',
          lengthFactor < 1
            ? `The answer is short (${wordCount} words; ${WORDS_PER_CRITERION * input.rubric.length} expected), which caps the score.`
            : '',
        ];
        return { criterionKey: criterion.key, score, rationale: parts.filter(Boolean).join(' ') };
      });
      return Promise.resolve({ scores });
    },
  };
}
