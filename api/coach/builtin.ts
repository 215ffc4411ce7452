/**
 * The built-in coach, used when no ANTHROPIC_API_KEY is set: no network, same input → same
 * turn. It asks Socratic questions from the evidence (the failing test, the error line, the
 * weakest rubric criterion) and refuses requests for the solution. Its turns are labelled
 * `builtin`, sit behind the same CoachModel port as the model coach's, and go through the
 * same guard.
 */
import type { CoachModel } from './model.js';
import { type EvidenceCatalog, type EvidenceItem, errorLine } from './evidence.js';
import type { CoachReply } from './guard.js';
import type { CoachContext } from './prompt.js';

/** SocraticTurn.model of the built-in coach's turns. */
export const BUILTIN_COACH_NAME = 'builtin';

const ASKS_FOR_SOLUTION =
  /\b(solution|full code|the answer|write (it|the code|this) for me|give me the code|just tell me|fix it for me)\b/i;

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => /error|exception|traceback/i.test(line) && !/^at /.test(line)) ??
    text.trim().split('\n')[0] ??
    ''
  );
}

/** The turn the built-in coach writes for this context. */
export function builtinReply(context: CoachContext): CoachReply {
  const { evidence } = context;
  const tests = evidence.items.filter((item) => item.kind === 'TEST_RESULT');
  const failing = tests.filter((item) => item.passed === false);
  const visibleFailing = failing.find((item) => !item.summary.startsWith('Hidden'));
  const refusal = ASKS_FOR_SOLUTION.test(context.message);
  const reply = (
    action: CoachReply['action'],
    message: string,
    question: string,
    cited: (EvidenceItem | null)[] = [],
  ): CoachReply => ({
    action: refusal ? 'REFUSE' : action,
    message: refusal ? `I won’t write the solution for you, but I can help you find it yourself. ${message}` : message,
    question,
    evidence: cited.filter((item): item is EvidenceItem => item !== null).map((item) => item.ref),
  });

  if (visibleFailing?.test) {
    const { test } = visibleFailing;
    const which = `test ${visibleFailing.ref.replace('test:', '')} ("${test.name}")`;
    const stderr = evidence.find(visibleFailing.ref.replace('test:', 'stderr:'));
    const line = stderr && evidence.code ? errorLine(stderr.summary, evidence.code.code) : null;
    const lineRef = line ? evidence.find(`code:${line}`) : null;
    if (stderr && test.verdict !== 'FAILED') {
      return reply(
        'ASK_QUESTION',
        `On ${which}, called with ${test.args}, your code stopped with ${test.verdict}: ${firstLine(stderr.summary.replace(/^stderr of test \d+: /, ''))}`,
        line
          ? `What values does line ${line} work with when this happens, and which of them is not what you expected?`
          : 'What does this error say went wrong, and which line of your code could cause it?',
        [visibleFailing, stderr, lineRef],
      );
    }
    return reply(
      'ASK_QUESTION',
      test.actual === null
        ? `On ${which}, called with ${test.args}, your code ended with ${test.verdict} instead of returning ${test.expected}.`
        : `On ${which}, called with ${test.args}, your code returned ${test.actual}, but ${test.expected} was expected.`,
      'If you trace your code by hand on these arguments, at which step does a value first differ from what you expect?',
      [visibleFailing],
    );
  }
  const hiddenFailing = failing[0];
  if (hiddenFailing) {
    return reply(
      'ASK_QUESTION',
      `Every visible test passes, but hidden test ${hiddenFailing.ref.replace('test:', '')} fails.`,
      'Which inputs does the statement allow that the visible tests never try (empty input, duplicates, negative numbers, the largest sizes), and what does your code do with each?',
      [hiddenFailing],
    );
  }
  const weakest = evidence.items
    .filter((item) => item.kind === 'RUBRIC_SCORE')
    .map((item) => {
      const [, score = '0', max = '1'] = /: (\d+)\/(\d+)\./.exec(item.summary) ?? [];
      return { item, share: Number(score) / Math.max(1, Number(max)) };
    })
    .sort((a, b) => a.share - b.share)[0];
  if (weakest && weakest.share < 1) {
    const title = /^"([^"]+)"/.exec(weakest.item.summary)?.[1] ?? weakest.item.ref;
    return reply(
      'ASK_QUESTION',
      `Your weakest criterion is ${weakest.item.summary.split('. ')[0]}.`,
      `What would a reviewer need to read in your design to be convinced about “${title}”, and which part of your answer says it?`,
      [weakest.item],
    );
  }
  const failedCheck = evidence.items.find((item) => item.kind === 'DIAGNOSTIC' && item.passed === false);
  if (failedCheck) {
    return reply(
      'ASK_QUESTION',
      failedCheck.summary,
      'What exactly happens, step by step, when the buggy program runs on a failing input, and where does it first go wrong?',
      [failedCheck],
    );
  }
  if (tests.length > 0 || evidence.items.length > 0) {
    return reply(
      'ASK_QUESTION',
      tests.length > 0 ? `All ${tests.length} tests pass.` : 'Your latest evaluation passed every check.',
      'Can you explain why your solution is correct, and what its time and space complexity are?',
      tests.slice(0, 1),
    );
  }
  if (evidence.code || context.answer) {
    return reply(
      'NEEDS_MORE_INFO',
      `I have your ${evidence.code ? 'code' : 'answer'}, but no evaluation has finished yet, so I have no evidence about where it goes wrong.`,
      'Submit it, or tell me: what do you expect your code to return for the first example in the statement, and why?',
    );
  }
  return reply(
    'NEEDS_MORE_INFO',
    'I haven’t seen any code or test results from you yet.',
    'What approach are you considering, and what should the answer be for the first example in the statement?',
  );
}

/** Streams the built-in turn word by word, like a model would. */
export function createBuiltinCoach(options: { wordDelayMs?: number } = {}): CoachModel {
  const delay = options.wordDelayMs ?? 8;
  return {
    name: BUILTIN_COACH_NAME,
    builtin: true,
    async reply(context, sink, signal) {
      const started = performance.now();
      const output = builtinReply(context);
      const words = output.message.split(/(?<=\s)/);
      let text = '';
      for (const word of words) {
        if (signal.aborted) break;
        text += word;
        sink.text(text, 0);
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      }
      return {
        output,
        calls: [
          {
            model: BUILTIN_COACH_NAME,
            prompt: { message: context.message, evidence: evidenceRefs(context.evidence) },
            response: JSON.stringify(output),
            tokensIn: 0,
            tokensOut: 0,
            latencyMs: Math.round(performance.now() - started),
            stopReason: 'end_turn',
            error: null,
            flagReason: null,
          },
        ],
      };
    },
  };
}

function evidenceRefs(evidence: EvidenceCatalog): string[] {
  return evidence.items.map((item) => `[${item.ref}] ${item.summary}`);
}
