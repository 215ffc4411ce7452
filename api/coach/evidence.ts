/**
 * The evidence a coach turn may cite: the latest finished evaluation of the attempt (test
 * verdicts, stderr of visible tests, rubric scores, debug checks), the student's latest code
 * run on the examples and their own input (`run:<n>`), and the lines of the student's own code. Each item has a stable `ref` the model cites; anything else it cites
 * does not exist. Hidden tests appear as pass or fail only: no input, output or stderr.
 */
import type { CodingTestResult, DebugDiagnostic, RubricScore } from '../generated/prisma/client.js';
import type { ContentBody } from '../content/body.js';

export const EVIDENCE_KINDS = ['TEST_RESULT', 'STDERR', 'RUBRIC_SCORE', 'DIAGNOSTIC', 'CODE_RUN', 'CODE_LINE'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** One piece of evidence, as stored in `SocraticTurn.evidence` and shown to the student. */
export interface EvidenceItem {
  kind: EvidenceKind;
  /** What the model cites: `test:2`, `stderr:2`, `rubric:estimates`, `diagnostic:BUG_LINE`, `run:3`, `code:14`. */
  ref: string;
  /** What it shows, in words the student may read. */
  summary: string;
  /** For a test result or a debug check: whether it passed. */
  passed?: boolean;
  /** For a visible test result: what the built-in coach talks about. */
  test?: { name: string; verdict: string; args: string; expected: string; actual: string | null };
  runId?: string;
  testIndex?: number;
  criterionKey?: string;
  diagnosticCode?: string;
  codeRunId?: string;
  line?: number;
}

/** The student's latest finished code run (runCode), as the coach reads it. */
export interface CodeRunEvidence {
  id: string;
  number: number;
  calls: readonly {
    source: 'EXAMPLE' | 'CUSTOM';
    name: string;
    args: unknown[];
    expected?: unknown;
    returned: string | null;
    verdict: string | null;
    stdout: string;
    stderr: string;
  }[];
}

/** The finished evaluation run the coach looks at. */
export interface EvaluatedRun {
  id: string;
  score: number | null;
  testResults: CodingTestResult[];
  rubricScores: RubricScore[];
  diagnostics: DebugDiagnostic[];
}

/** The student's code the coach looks at: the latest submission or draft. */
export interface StudentCode {
  language: string;
  code: string;
  /** Where it comes from, for the prompt. */
  source: 'submission' | 'draft';
}

/** Everything citable in one turn, by ref. */
export interface EvidenceCatalog {
  items: EvidenceItem[];
  code: StudentCode | null;
  /** Looks a ref up (code lines included); null when it does not exist. */
  find(ref: string): EvidenceItem | null;
}

const MAX_STDERR = 600;
const MAX_VALUE = 300;

function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text;
}

function shortText(text: string, max: number): string {
  const trimmed = text.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max)}…` : trimmed;
}

/** A visible test's details (hidden tests have none: their inputs never leave the platform). */
function visibleTest(result: CodingTestResult, body: ContentBody): EvidenceItem['test'] {
  const testCase = body.kind === 'SYSTEM_DESIGN' ? undefined : body.testCases[result.testIndex];
  if (result.hidden || !testCase) return undefined;
  return {
    name: result.name,
    verdict: result.verdict,
    args: shortJson(testCase.args),
    expected: shortJson(testCase.expected),
    actual: result.actual === null ? null : shortText(result.actual, MAX_VALUE),
  };
}

function testSummary(result: CodingTestResult, test: EvidenceItem['test']): string {
  if (result.hidden)
    return `Hidden test ${result.testIndex + 1}: ${result.verdict === 'PASSED' ? 'passed' : 'failed'}.`;
  if (!test) return `Test ${result.testIndex + 1} "${result.name}": ${result.verdict}.`;
  const parts = [
    `Test ${result.testIndex + 1} "${test.name}": ${test.verdict}`,
    `args ${test.args}, expected ${test.expected}`,
  ];
  if (test.actual !== null && test.verdict !== 'PASSED') parts.push(`returned ${test.actual}`);
  return `${parts.join('; ')}.`;
}

/** What a code run showed: each call's arguments and what came of them (output and errors shortened). */
function codeRunSummary(run: CodeRunEvidence): string {
  const calls = run.calls.map((call) => {
    const parts = [
      `${call.source === 'CUSTOM' ? 'on the student’s own input' : `example "${call.name}"`} ${shortJson(call.args)}`,
    ];
    if (call.returned !== null) parts.push(`returned ${shortText(call.returned, MAX_VALUE)}`);
    if (call.source === 'EXAMPLE') parts.push(`expected ${shortJson(call.expected)}`);
    if (call.verdict && call.verdict !== 'PASSED' && call.verdict !== 'FAILED') parts.push(call.verdict);
    else if (call.verdict) parts.push(call.verdict === 'PASSED' ? 'matches' : 'does not match');
    if (call.stdout.trim()) parts.push(`printed ${JSON.stringify(shortText(call.stdout, 200))}`);
    if (call.stderr.trim()) parts.push(`stderr ${JSON.stringify(shortText(call.stderr, 300))}`);
    return parts.join(', ');
  });
  return `Code run ${run.number} (not graded): ${calls.join('; ') || 'no calls'}.`;
}

/** Builds the catalog of what a turn may cite. */
export function buildEvidence(
  body: ContentBody,
  run: EvaluatedRun | null,
  code: StudentCode | null,
  codeRun: CodeRunEvidence | null = null,
): EvidenceCatalog {
  const items: EvidenceItem[] = [];
  if (codeRun) {
    items.push({
      kind: 'CODE_RUN',
      ref: `run:${codeRun.number}`,
      summary: codeRunSummary(codeRun),
      codeRunId: codeRun.id,
    });
  }
  if (run) {
    for (const result of [...run.testResults].sort((a, b) => a.testIndex - b.testIndex)) {
      const test = visibleTest(result, body);
      items.push({
        kind: 'TEST_RESULT',
        ref: `test:${result.testIndex + 1}`,
        summary: testSummary(result, test),
        passed: result.verdict === 'PASSED',
        ...(test ? { test } : {}),
        runId: run.id,
        testIndex: result.testIndex,
      });
      if (!result.hidden && result.stderr.trim()) {
        items.push({
          kind: 'STDERR',
          ref: `stderr:${result.testIndex + 1}`,
          summary: `stderr of test ${result.testIndex + 1}: ${shortText(result.stderr, MAX_STDERR)}`,
          runId: run.id,
          testIndex: result.testIndex,
        });
      }
    }
    for (const score of run.rubricScores) {
      const title = body.kind === 'SYSTEM_DESIGN' ? body.rubric.find((c) => c.key === score.criterionKey)?.title : null;
      items.push({
        kind: 'RUBRIC_SCORE',
        ref: `rubric:${score.criterionKey}`,
        summary: `"${title ?? score.criterionKey}": ${score.score}/${score.maxScore}. ${shortText(score.rationale, MAX_STDERR)}`,
        runId: run.id,
        criterionKey: score.criterionKey,
      });
    }
    for (const diagnostic of run.diagnostics) {
      items.push({
        kind: 'DIAGNOSTIC',
        ref: `diagnostic:${diagnostic.code}`,
        summary: `${diagnostic.code}: ${diagnostic.passed ? 'passed' : 'failed'}. ${diagnostic.message}`,
        passed: diagnostic.passed,
        runId: run.id,
        diagnosticCode: diagnostic.code,
      });
    }
  }
  const lines = code ? code.code.split('\n') : [];
  const byRef = new Map(items.map((item) => [item.ref, item]));
  return {
    items,
    code,
    find(ref) {
      const known = byRef.get(ref);
      if (known) return known;
      const line = /^code:(\d+)$/.exec(ref);
      const number = line ? Number(line[1]) : 0;
      const text = lines[number - 1];
      if (!number || text === undefined) return null;
      return { kind: 'CODE_LINE', ref, summary: `Line ${number}: ${shortText(text, 200)}`, line: number };
    },
  };
}

/** The student's code with line numbers, as the prompt shows it. */
export function numberedCode(code: string): string {
  const lines = code.split('\n');
  const width = String(lines.length).length;
  return lines.map((line, index) => `${String(index + 1).padStart(width)} | ${line}`).join('\n');
}

/** The first line of the student's code an error trace points at (`main.cjs:12`, `line 12`), if any. */
export function errorLine(stderr: string, code: string): number | null {
  const lineCount = code.split('\n').length;
  for (const match of stderr.matchAll(/main\.(?:cjs|js|ts|py)(?::|", line )(\d+)/g)) {
    const line = Number(match[1]);
    if (line >= 1 && line <= lineCount) return line;
  }
  return null;
}
