/** Debug-lab diagnosis checks against the seeded labs, and the weighting of a lab's score. */
import { describe, expect, it } from 'vitest';
import type { DebugLabBody } from '../api/content/body.js';
import { checkDiagnosis, debugScore, mentionsKeyword } from '../api/evaluation/debug.js';
import { debugLabs } from '../prisma/seed/content/debug-labs.js';

function expectedOf(slug: string): DebugLabBody['expectedDiagnosis'] {
  const lab = debugLabs.find((candidate) => candidate.slug === slug);
  if (!lab || lab.body.kind !== 'DEBUG_LAB') throw new Error(`seeded lab ${slug} is missing`);
  return lab.body.expectedDiagnosis;
}

/** How a student who found the bug would put it, per seeded lab. */
const GOOD_DIAGNOSES: Record<string, string> = {
  'binary-search-misses-the-edge':
    'The while condition is lo < hi, so the loop stops as soon as lo equals hi and never checks that last element. It must be lo <= hi.',
  'seat-map-books-every-row':
    'fill() puts the same array object into every slot, so all rows share one array and setting a seat marks it in each row. Each row needs its own new array.',
  'median-latency-sorted-as-text':
    'The samples are strings, and sort() orders them lexicographically ("10" comes before "9"). Convert them to numbers and sort with a numeric comparator.',
  'invoice-stops-at-empty-entry':
    'The early return inside the loop exits the whole function at the first empty entry. It should continue to skip just that entry.',
};

const VAGUE_DIAGNOSES = [
  'There is a bug in the function, so it returns the wrong result.',
  'I fixed it, the tests pass now.',
  '',
];

const diagnosisOf = (diagnostics: ReturnType<typeof checkDiagnosis>) => {
  const match = diagnostics.find((diagnostic) => diagnostic.code === 'DIAGNOSIS_MATCH');
  if (!match || match.code !== 'DIAGNOSIS_MATCH') throw new Error('DIAGNOSIS_MATCH is always reported');
  return match;
};

describe('checkDiagnosis on the seeded labs', () => {
  it('covers every seeded lab, and each expected summary satisfies its own keywords', () => {
    expect(Object.keys(GOOD_DIAGNOSES).sort()).toEqual(debugLabs.map((lab) => lab.slug).sort());
    for (const lab of debugLabs) {
      if (lab.body.kind !== 'DEBUG_LAB') continue;
      const expected = lab.body.expectedDiagnosis;
      expect(diagnosisOf(checkDiagnosis(expected, { diagnosis: expected.summary })).passed, lab.slug).toBe(true);
    }
  });

  it.each(Object.entries(GOOD_DIAGNOSES))('accepts a good diagnosis of %s', (slug, diagnosis) => {
    const expected = expectedOf(slug);
    const match = diagnosisOf(checkDiagnosis(expected, { diagnosis }));
    expect(match.passed).toBe(true);
    expect(match.message).toBe('The diagnosis names the root cause.');
    expect(match.evidence.groupsMatched).toBe(expected.keywords.length);
    expect(match.evidence.missing).toEqual([]);
  });

  it.each(Object.keys(GOOD_DIAGNOSES))('rejects vague diagnoses of %s', (slug) => {
    const expected = expectedOf(slug);
    for (const diagnosis of VAGUE_DIAGNOSES) {
      const match = diagnosisOf(checkDiagnosis(expected, { diagnosis }));
      expect(match.passed, diagnosis).toBe(false);
      expect(match.evidence.groupsMatched).toBeLessThan(expected.keywords.length);
    }
  });

  it('names the matched and missing keyword groups in the evidence', () => {
    const expected = expectedOf('binary-search-misses-the-edge');
    const match = diagnosisOf(checkDiagnosis(expected, { diagnosis: 'The LOOP looks wrong to me.' }));
    expect(match.passed).toBe(false);
    expect(match.message).toMatch(/1 of the 2 aspects/);
    expect(match.evidence).toEqual({
      groupsMatched: 1,
      groupsTotal: 2,
      matched: [{ group: 1, keyword: 'loop' }],
      missing: [{ group: 0, keywords: expected.keywords[0] }],
    });
  });

  it('says so when no diagnosis is given', () => {
    const [match] = checkDiagnosis(expectedOf('invoice-stops-at-empty-entry'), { diagnosis: '   ' });
    expect(match).toMatchObject({ code: 'DIAGNOSIS_MATCH', passed: false, message: 'No diagnosis was given.' });
  });
});

describe('keyword matching', () => {
  it('is case-insensitive and respects word boundaries', () => {
    expect(mentionsKeyword('An OFF-BY-ONE error', 'off-by-one')).toBe(true);
    expect(mentionsKeyword('an off by one error', 'off-by-one')).toBe(true);
    expect(mentionsKeyword('the values are unequal', 'equal')).toBe(false);
    expect(mentionsKeyword('an arrow function', 'row')).toBe(false);
    expect(mentionsKeyword('rows[0] === rows[1]', 'row')).toBe(true);
    expect(mentionsKeyword('the rowspan attribute', 'row')).toBe(false);
    expect(mentionsKeyword('a shared_grid variable', 'shared')).toBe(false);
    expect(mentionsKeyword('it loops forever', 'loop')).toBe(true);
    expect(mentionsKeyword('lo equals hi', 'equal')).toBe(true);
    expect(mentionsKeyword('it is looping', 'loop')).toBe(false);
  });

  it('matches symbols as written, including typographic variants', () => {
    expect(mentionsKeyword('use <= instead of <', '<=')).toBe(true);
    expect(mentionsKeyword('use ≤ in the condition', '<=')).toBe(true);
    expect(mentionsKeyword('use < in the condition', '<=')).toBe(false);
    expect(mentionsKeyword('stops when lo === hi.', 'lo === hi')).toBe(true);
    expect(mentionsKeyword('stops when lo===hi', 'lo === hi')).toBe(false);
  });
});

describe('bug line', () => {
  const expected = expectedOf('binary-search-misses-the-edge');

  it('passes on the exact line and fails elsewhere', () => {
    const right = checkDiagnosis(expected, { diagnosis: 'x', bugLine: expected.bugLine });
    expect(right.find((diagnostic) => diagnostic.code === 'BUG_LINE')).toMatchObject({
      passed: true,
      evidence: { givenLine: expected.bugLine, expectedLine: expected.bugLine, tolerance: 0 },
    });
    const wrong = checkDiagnosis(expected, { diagnosis: 'x', bugLine: expected.bugLine + 1 });
    expect(wrong.find((diagnostic) => diagnostic.code === 'BUG_LINE')).toMatchObject({
      passed: false,
      message: `Line ${expected.bugLine + 1} is not where the bug is.`,
    });
  });

  it('is reported only when a line was given', () => {
    for (const bugLine of [undefined, null]) {
      const codes = checkDiagnosis(expected, { diagnosis: 'x', bugLine }).map((diagnostic) => diagnostic.code);
      expect(codes).toEqual(['DIAGNOSIS_MATCH']);
    }
  });

  it('accepts a neighbouring line only when a tolerance is asked for', () => {
    const answer = { diagnosis: 'x', bugLine: expected.bugLine - 1 };
    const line = (tolerance?: number) =>
      checkDiagnosis(expected, answer, { lineTolerance: tolerance }).find((d) => d.code === 'BUG_LINE')?.passed;
    expect(line()).toBe(false);
    expect(line(1)).toBe(true);
  });
});

describe('debugScore', () => {
  const diagnostics = (diagnosis: boolean, line?: boolean) => [
    { code: 'DIAGNOSIS_MATCH' as const, passed: diagnosis },
    ...(line === undefined ? [] : [{ code: 'BUG_LINE' as const, passed: line }]),
  ];

  it('weighs tests 0.5, diagnosis 0.4 and bug line 0.1', () => {
    expect(debugScore(diagnostics(true, true), 7, 7)).toBe(1);
    expect(debugScore(diagnostics(false), 7, 7)).toBe(0.5);
    expect(debugScore(diagnostics(true), 0, 7)).toBe(0.4);
    expect(debugScore(diagnostics(false, true), 0, 7)).toBe(0.1);
    expect(debugScore(diagnostics(true, false), 3, 6)).toBe(0.65);
    expect(debugScore([], 0, 0)).toBe(0);
  });

  it('scores a real check end to end: good diagnosis, right line, all tests', () => {
    const expected = expectedOf('seat-map-books-every-row');
    const checks = checkDiagnosis(expected, {
      diagnosis: GOOD_DIAGNOSES['seat-map-books-every-row'] ?? '',
      bugLine: expected.bugLine,
    });
    expect(debugScore(checks, 6, 6)).toBe(1);
    const vague = checkDiagnosis(expected, { diagnosis: VAGUE_DIAGNOSES[0] ?? '', bugLine: 1 });
    expect(debugScore(vague, 6, 6)).toBe(0.5);
  });
});
