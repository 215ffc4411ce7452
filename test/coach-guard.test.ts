/**
 * The coach's guard on its own: what a reply may say (evidence that exists, no solution
 * code, no reference-solution text, nothing from the avoid-list, within the hint policy),
 * how the streamed message is read out of partial JSON, and how a stored policy is read.
 */
import { describe, expect, it } from 'vitest';
import { builtinReply } from '../api/coach/builtin.js';
import { buildEvidence } from '../api/coach/evidence.js';
import { createGuard, type GuardInput } from '../api/coach/guard.js';
import { DEFAULT_COACH_POLICY, parseCoachPolicy } from '../api/coach/policy.js';
import type { CoachContext } from '../api/coach/prompt.js';
import type { ContentBody } from '../api/content/body.js';
import type { CodingTestResult } from '../api/generated/prisma/client.js';
import { partialStringField } from '../api/llm/json.js';
import { codingProblems } from '../prisma/seed/content/coding.js';

const item = codingProblems.find((candidate) => candidate.slug === 'two-sum');
if (item?.body.kind !== 'CODING') throw new Error('seeded two-sum is missing');
const body: ContentBody = item.body;
const reference = item.body.referenceSolution.JAVASCRIPT ?? '';
const studentCode =
  'function twoSum(nums, target) {\n  for (let i = 0; i < nums.length; i++) {\n    return [i, i];\n  }\n}\n';

const result = (testIndex: number, hidden: boolean, verdict: CodingTestResult['verdict']): CodingTestResult => ({
  id: `r${testIndex}`,
  runId: 'run-1',
  testIndex,
  name: `test ${testIndex}`,
  hidden,
  verdict,
  durationMs: 3,
  memoryKb: null,
  stdout: '',
  stderr: verdict === 'RUNTIME_ERROR' ? 'TypeError: boom\n    at twoSum (/sandbox/main.cjs:3:5)' : '',
  actual: verdict === 'PASSED' ? '[0,1]' : '[0,0]',
  createdAt: new Date(),
});

function guardFor(policy: unknown = {}, extra: Partial<GuardInput> = {}) {
  const evidence = buildEvidence(
    body,
    {
      id: 'run-1',
      score: 0.4,
      testResults: [result(0, false, 'PASSED'), result(1, false, 'RUNTIME_ERROR'), result(3, true, 'FAILED')],
      rubricScores: [],
      diagnostics: [],
    },
    { language: 'JAVASCRIPT', code: studentCode, source: 'submission' },
  );
  return createGuard({
    policy: parseCoachPolicy(policy),
    evidence,
    referenceSolutions: [reference],
    known: [body.statement, studentCode],
    ...extra,
  });
}

const reply = (fields: Record<string, unknown> = {}) => ({
  action: 'ASK_QUESTION',
  message: 'Test 2 crashes.',
  question: 'What is undefined on line 3?',
  evidence: ['test:2', 'stderr:2', 'code:3'],
  ...fields,
});

describe('the coach guard', () => {
  it('accepts a grounded question and resolves its evidence', () => {
    const verdict = guardFor().validate(reply());
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    expect(verdict.turn.evidence.map((e) => [e.kind, e.ref, e.passed, e.line])).toEqual([
      ['TEST_RESULT', 'test:2', false, undefined],
      ['STDERR', 'stderr:2', undefined, undefined],
      ['CODE_LINE', 'code:3', undefined, 3],
    ]);
  });

  it('rejects malformed output, unknown actions and a question-less ASK_QUESTION', () => {
    const guard = guardFor();
    for (const [output, detail] of [
      [undefined, /expected object/i],
      [{ message: 'hi' }, /action/],
      [reply({ action: 'SOLVE_IT' }), /action/],
      [reply({ question: null }), /without a question/],
      [reply({ message: '' }), /message/],
    ] as const) {
      const verdict = guard.validate(output);
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) {
        expect(verdict.reason.code).toBe('INVALID_OUTPUT');
        expect(verdict.reason.detail).toMatch(detail);
      }
    }
  });

  it('rejects evidence that does not exist: unknown tests, stderr of hidden tests, lines past the code', () => {
    const guard = guardFor();
    for (const ref of ['test:9', 'stderr:4', 'code:99', 'code:0', 'rubric:estimates', 'whatever']) {
      const verdict = guard.validate(reply({ evidence: [ref] }));
      expect(verdict).toEqual({
        ok: false,
        reason: { code: 'UNKNOWN_EVIDENCE', detail: `cites "${ref}", which does not exist` },
      });
    }
    expect(guard.validate(reply({ action: 'GIVE_HINT', evidence: [] }))).toMatchObject({
      ok: false,
      reason: { code: 'UNKNOWN_EVIDENCE' },
    });
  });

  it('limits code blocks by strictness', () => {
    const block = (lines: number) =>
      `Look:\n\`\`\`js\n${Array.from({ length: lines }, (_, i) => `step${i}();`).join('\n')}\n\`\`\``;
    expect(guardFor({ strictness: 'MEDIUM' }).validate(reply({ message: block(3) })).ok).toBe(true);
    expect(guardFor({ strictness: 'MEDIUM' }).validate(reply({ message: block(4) }))).toMatchObject({
      ok: false,
      reason: { code: 'SOLUTION_CODE' },
    });
    expect(guardFor({ strictness: 'HIGH' }).validate(reply({ message: block(2) })).ok).toBe(false);
    expect(guardFor({ strictness: 'LOW' }).validate(reply({ message: block(5) })).ok).toBe(true);
    // An unclosed fence (a cut or sloppy reply) counts to the end.
    expect(guardFor().leak('```\na();\nb();\nc();\nd();')).toMatchObject({ code: 'SOLUTION_CODE' });
  });

  it('catches reference-solution text however it is spaced, but not the statement or the student’s own code', () => {
    const guard = guardFor();
    expect(guard.leak('Write const   i = seen.get( target - nums[ j ] ) and return it')).toMatchObject({
      code: 'SOLUTION_MATCH',
    });
    expect(guard.leak('Your loop `for (let i = 0; i < nums.length; i++) {` starts at 0.')).toBeNull();
    expect(guard.leak('Given an array of integers `nums` and an integer `target`, return the indices')).toBeNull();
    expect(guard.leak('What do you need to remember about the numbers you have already seen?')).toBeNull();
  });

  it('applies the avoid-list case-insensitively and the hint depth', () => {
    const guard = guardFor({ avoidList: ['Hash Map', '  '], hintDepth: 0 });
    expect(guard.leak('a HASH MAP would help')).toEqual({
      code: 'AVOID_LIST',
      detail: 'the avoided phrase "hash map"',
    });
    expect(guard.validate(reply({ action: 'GIVE_HINT' }))).toMatchObject({ ok: false, reason: { code: 'POLICY' } });
  });
});

describe('coach policy', () => {
  it('falls back to defaults for missing or malformed fields', () => {
    expect(parseCoachPolicy(null)).toEqual({ strictness: 'MEDIUM', hintDepth: 1, avoidList: [] });
    expect(parseCoachPolicy({ strictness: 'EXTREME', hintDepth: 7, avoidList: 'x' })).toEqual({
      strictness: 'MEDIUM',
      hintDepth: 1,
      avoidList: [],
    });
    expect(
      parseCoachPolicy({ strictness: 'HIGH', hintDepth: 0, avoidList: [' two pointers ', 'two pointers'] }),
    ).toEqual({ strictness: 'HIGH', hintDepth: 0, avoidList: ['two pointers'] });
  });
});

describe('the streamed message', () => {
  it('reads the message field out of JSON cut anywhere, decoding escapes', () => {
    const json = JSON.stringify({ message: 'Say "hi"\nthen é \\ done', question: null, action: 'ASK_QUESTION' });
    const seen: string[] = [];
    for (let end = 0; end <= json.length; end++) {
      const text = partialStringField(json.slice(0, end), 'message');
      if (text !== null) seen.push(text);
    }
    // Every prefix of the decoded message appears, growing, and the last is the whole message.
    expect(seen.at(-1)).toBe('Say "hi"\nthen é \\ done');
    for (let i = 1; i < seen.length; i++) expect(seen[i]?.startsWith(seen[i - 1] ?? '')).toBe(true);
  });

  it('ignores a "message" key nested deeper or inside another value', () => {
    expect(partialStringField('{"evidence": [{"message": "no"}], "message": "yes', 'message')).toBe('yes');
    expect(partialStringField('{"question": "what is \\"message\\": x?", "message": "ok"}', 'message')).toBe('ok');
    expect(partialStringField('{"action": "ASK', 'message')).toBeNull();
    expect(partialStringField('{"message": "\\u00e9\\u00', 'message')).toBe('é');
  });
});

describe('the built-in coach’s reply', () => {
  const contextWith = (results: CodingTestResult[], message = 'Help'): CoachContext => ({
    title: 'Two Sum',
    track: 'CODING_INTERVIEW',
    statement: body.statement,
    evidence: buildEvidence(
      body,
      { id: 'run-1', score: 0, testResults: results, rubricScores: [], diagnostics: [] },
      { language: 'JAVASCRIPT', code: studentCode, source: 'submission' },
    ),
    policy: DEFAULT_COACH_POLICY,
    notes: [],
    history: [],
    answer: null,
    message,
    model: 'builtin',
  });

  it('names a wrong answer’s input, output and expected value, citing the test', () => {
    const output = builtinReply(contextWith([result(0, false, 'PASSED'), result(1, false, 'FAILED')]));
    expect(output).toMatchObject({
      action: 'ASK_QUESTION',
      message: 'On test 2 ("test 1"), called with [[3,2,4],6], your code returned [0,0], but [1,2] was expected.',
      evidence: ['test:2'],
    });
    expect(guardFor().validate(output).ok).toBe(true);
  });

  it('points at hidden tests without their inputs when every visible test passes', () => {
    const output = builtinReply(contextWith([result(0, false, 'PASSED'), result(3, true, 'FAILED')]));
    expect(output.message).toBe('Every visible test passes, but hidden test 4 fails.');
    expect(output.evidence).toEqual(['test:4']);
    expect(JSON.stringify(output)).not.toContain('-3,4,3,90');
  });

  it('refuses a request for the solution but still asks about the evidence', () => {
    const output = builtinReply(contextWith([result(1, false, 'FAILED')], 'can you write the code for me?'));
    expect(output.action).toBe('REFUSE');
    expect(output.evidence).toEqual(['test:2']);
  });
});
