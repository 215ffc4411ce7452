/**
 * Checks a debug lab's written diagnosis against the expected one (keyword groups, bug line)
 * and weighs diagnosis, line and fix tests into one score. Pure: the worker runs the fix
 * against the tests and stores the diagnostics as DebugDiagnostic rows.
 */
import type { DebugLabBody } from '../content/body.js';

/** The expected diagnosis of a debug lab. */
export type ExpectedDiagnosis = DebugLabBody['expectedDiagnosis'];

/** What the student says: the root cause in words and, optionally, the faulty line (1-based). */
export interface DiagnosisAnswer {
  diagnosis: string;
  bugLine?: number | null;
}

/** Evidence of DIAGNOSIS_MATCH. `missing` names expected keywords: redact it before showing it to a student. */
export interface DiagnosisMatchEvidence {
  groupsMatched: number;
  groupsTotal: number;
  /** Per matched group (0-based index), the keyword the diagnosis used. */
  matched: { group: number; keyword: string }[];
  /** Groups with no keyword in the diagnosis, with their keywords. */
  missing: { group: number; keywords: string[] }[];
}

/** Evidence of BUG_LINE. */
export interface BugLineEvidence {
  givenLine: number;
  expectedLine: number;
  tolerance: number;
}

/** One check, stored as a DebugDiagnostic row (the worker adds FIX_TESTS). */
export type DebugDiagnosticResult =
  | { code: 'DIAGNOSIS_MATCH'; passed: boolean; message: string; evidence: DiagnosisMatchEvidence }
  | { code: 'BUG_LINE'; passed: boolean; message: string; evidence: BugLineEvidence };

export type DebugDiagnosticCode = DebugDiagnosticResult['code'];

/** Typographic variants students type or paste, folded to what the keyword lists use. */
function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[‐‑‒–—]/g, '-')
    .replace(/≤/g, '<=')
    .replace(/≥/g, '>=')
    .replace(/≠/g, '!=');
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A case-insensitive matcher for `keyword` on word boundaries. Boundaries apply only where
 * the keyword starts or ends with a word character, so `<=` or `lo === hi` match as written;
 * inner spaces and hyphens are interchangeable (`off by one` = `off-by-one`); a trailing
 * -s/-es is allowed, since the seeded lists name only some inflections (`equal`, `loop`).
 */
function keywordPattern(keyword: string): RegExp {
  const normalized = normalize(keyword).trim();
  const body = normalized
    .split(/[\s-]+/)
    .map(escapeRegExp)
    .join('[\\s-]+');
  const start = /^[\p{L}\p{N}_]/u.test(normalized) ? '(?<![\\p{L}\\p{N}_])' : '';
  // A word-final keyword also matches its -s/-es form ("equal" in "lo equals hi", "exit" in "exits").
  const end = /[\p{L}\p{N}_]$/u.test(normalized) ? '(?:e?s)?(?![\\p{L}\\p{N}_])' : '';
  return new RegExp(`${start}${body}${end}`, 'iu');
}

/** Whether `text` mentions `keyword` (case-insensitive, on word boundaries, -s/-es allowed). */
export function mentionsKeyword(text: string, keyword: string): boolean {
  return keywordPattern(keyword).test(normalize(text));
}

/**
 * Checks a diagnosis: DIAGNOSIS_MATCH passes when the text mentions one keyword of every
 * group; BUG_LINE is reported only when a line was given, and passes when it is within
 * `lineTolerance` (default 0: the exact line) of the expected one.
 */
export function checkDiagnosis(
  expected: ExpectedDiagnosis,
  answer: DiagnosisAnswer,
  options: { lineTolerance?: number } = {},
): DebugDiagnosticResult[] {
  const text = answer.diagnosis.trim();
  const matched: DiagnosisMatchEvidence['matched'] = [];
  const missing: DiagnosisMatchEvidence['missing'] = [];
  expected.keywords.forEach((keywords, group) => {
    const keyword = text ? keywords.find((candidate) => mentionsKeyword(text, candidate)) : undefined;
    if (keyword === undefined) missing.push({ group, keywords: [...keywords] });
    else matched.push({ group, keyword });
  });
  const groupsTotal = expected.keywords.length;
  const passed = text !== '' && missing.length === 0;
  const message = !text
    ? 'No diagnosis was given.'
    : passed
      ? 'The diagnosis names the root cause.'
      : `The diagnosis covers ${matched.length} of the ${groupsTotal} aspects of the root cause; it is too vague or points elsewhere.`;
  const diagnostics: DebugDiagnosticResult[] = [
    {
      code: 'DIAGNOSIS_MATCH',
      passed,
      message,
      evidence: { groupsMatched: matched.length, groupsTotal, matched, missing },
    },
  ];

  if (answer.bugLine !== undefined && answer.bugLine !== null) {
    const tolerance = Math.max(0, options.lineTolerance ?? 0);
    const linePassed = Math.abs(answer.bugLine - expected.bugLine) <= tolerance;
    diagnostics.push({
      code: 'BUG_LINE',
      passed: linePassed,
      message: linePassed
        ? `Line ${answer.bugLine} is where the bug is.`
        : `Line ${answer.bugLine} is not where the bug is.`,
      evidence: { givenLine: answer.bugLine, expectedLine: expected.bugLine, tolerance },
    });
  }
  return diagnostics;
}

/** Weights of a debug lab's score: the fix matters most, then the explanation, then the line. */
export const DEBUG_SCORE_WEIGHTS = { tests: 0.5, diagnosis: 0.4, bugLine: 0.1 } as const;

/**
 * The score of a debug lab in 0..1: 0.5 × share of fix tests passed + 0.4 if the diagnosis
 * matches + 0.1 if the bug line is right. Diagnosis and line are all-or-nothing (a diagnosis
 * is right only when it covers every keyword group); a line not given earns nothing; no
 * tests run (testsTotal 0) earns nothing for tests.
 */
export function debugScore(
  diagnostics: readonly Pick<DebugDiagnosticResult, 'code' | 'passed'>[],
  testsPassed: number,
  testsTotal: number,
): number {
  const passed = (code: DebugDiagnosticCode) => diagnostics.some((d) => d.code === code && d.passed);
  const testShare = testsTotal > 0 ? Math.min(1, Math.max(0, testsPassed) / testsTotal) : 0;
  const score =
    DEBUG_SCORE_WEIGHTS.tests * testShare +
    (passed('DIAGNOSIS_MATCH') ? DEBUG_SCORE_WEIGHTS.diagnosis : 0) +
    (passed('BUG_LINE') ? DEBUG_SCORE_WEIGHTS.bugLine : 0);
  // Round away floating-point noise (0.5 + 0.4 + 0.1) so a perfect lab is exactly 1.
  return Math.min(1, Math.round(score * 1e6) / 1e6);
}
