/**
 * The coach's fail-closed guard. A reply is shown only if its structured output parses,
 * every piece of evidence it cites exists, and it carries no solution: no code block longer
 * than the policy allows, no run of tokens shared with the reference solution (beyond what
 * the student already has), nothing from the organization's avoid-list. Anything else is
 * replaced by a safe NEEDS_MORE_INFO question and the call is flagged.
 */
import { z } from 'zod';
import { issueList } from '../llm/client.js';
import type { EvidenceCatalog, EvidenceItem } from './evidence.js';
import { type CoachPolicy, LEAK_LIMITS } from './policy.js';

export const COACH_ACTIONS = ['ASK_QUESTION', 'GIVE_HINT', 'NEEDS_MORE_INFO', 'REFUSE'] as const;
export type CoachActionName = (typeof COACH_ACTIONS)[number];

/** Longest message and question the coach may send, in characters. */
export const MAX_COACH_MESSAGE = 2_000;

/** What the model must produce (the `coach_reply` tool's input): `message` first, so it streams before the rest. */
export const coachReplySchema = z.object({
  message: z.string().trim().min(1).max(MAX_COACH_MESSAGE).describe('What you say to the student (plain text, short).'),
  question: z
    .string()
    .trim()
    .max(MAX_COACH_MESSAGE)
    .nullish()
    .describe('The one question you ask the student, or null.'),
  action: z.enum(COACH_ACTIONS),
  evidence: z
    .array(z.string().trim().min(1))
    .max(12)
    .describe('Refs of the evidence you rely on, e.g. "test:2", "code:14".'),
});
export type CoachReply = z.infer<typeof coachReplySchema>;

/** A validated turn, ready to store. */
export interface CoachTurnContent {
  action: CoachActionName;
  message: string;
  question: string | null;
  evidence: EvidenceItem[];
}

/** Why a reply was withheld: a code for filtering and a sentence for the instructor. */
export interface FlagReason {
  code: 'INVALID_OUTPUT' | 'UNKNOWN_EVIDENCE' | 'SOLUTION_CODE' | 'SOLUTION_MATCH' | 'AVOID_LIST' | 'POLICY';
  detail: string;
}

export type GuardResult = { ok: true; turn: CoachTurnContent } | { ok: false; reason: FlagReason };

/** What the guard compares a reply against. */
export interface GuardInput {
  policy: CoachPolicy;
  evidence: EvidenceCatalog;
  /** Reference solutions, every language: never to be echoed. */
  referenceSolutions: string[];
  /** Text the student already has (statement, starter code, their own code): quoting it is no leak. */
  known: string[];
}

const TOKEN =
  /[A-Za-z_$][\w$]*|\d+(?:\.\d+)?|===|!==|==|!=|<=|>=|=>|&&|\|\||\?\?|\+\+|--|\*\*|[-+*/%<>=!&|^~?:;,.()[\]{}]/g;

function tokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

function ngrams(list: string[], n: number): Set<string> {
  const grams = new Set<string>();
  for (let i = 0; i + n <= list.length; i++) grams.add(list.slice(i, i + n).join(' '));
  return grams;
}

/** Fenced code blocks (an unclosed fence runs to the end) with their line counts. */
function codeBlockLines(text: string): number[] {
  const blocks: number[] = [];
  const parts = text.split(/^\s*```/m);
  // Odd parts are inside fences; the first line of each is the language tag.
  for (let i = 1; i < parts.length; i += 2) {
    const lines = (parts[i] ?? '').split('\n').slice(1);
    blocks.push(lines.filter((line) => line.trim() !== '').length);
  }
  return blocks;
}

/** Checks replies and streamed text against one turn's evidence, solution and policy. */
export interface Guard {
  /** Whether text (a whole reply or a streamed prefix) leaks: the reason, else null. */
  leak(text: string): FlagReason | null;
  /** Validates the model's structured output. */
  validate(output: unknown): GuardResult;
}

export function createGuard(input: GuardInput): Guard {
  const limits = LEAK_LIMITS[input.policy.strictness];
  const n = limits.sharedTokens;
  const known = new Set<string>();
  for (const text of input.known) for (const gram of ngrams(tokens(text), n)) known.add(gram);
  const secret = new Set<string>();
  for (const solution of input.referenceSolutions) {
    for (const gram of ngrams(tokens(solution), n)) if (!known.has(gram)) secret.add(gram);
  }
  const avoid = input.policy.avoidList.map((phrase) => phrase.toLowerCase());

  const leak = (text: string): FlagReason | null => {
    const longest = Math.max(0, ...codeBlockLines(text));
    if (longest > limits.codeBlockLines) {
      return {
        code: 'SOLUTION_CODE',
        detail: `a code block of ${longest} lines (at most ${limits.codeBlockLines} allowed)`,
      };
    }
    for (const gram of ngrams(tokens(text), n)) {
      if (secret.has(gram)) {
        return { code: 'SOLUTION_MATCH', detail: `text matching the reference solution ("${gram}")` };
      }
    }
    const lower = text.toLowerCase();
    const phrase = avoid.find((entry) => lower.includes(entry));
    if (phrase) return { code: 'AVOID_LIST', detail: `the avoided phrase "${phrase}"` };
    return null;
  };

  return {
    leak,
    validate(output) {
      const parsed = coachReplySchema.safeParse(output);
      if (!parsed.success) {
        return { ok: false, reason: { code: 'INVALID_OUTPUT', detail: issueList(parsed.error).join('; ') } };
      }
      const reply = parsed.data;
      const question = reply.question?.trim() || null;
      if (reply.action === 'ASK_QUESTION' && !question) {
        return { ok: false, reason: { code: 'INVALID_OUTPUT', detail: 'ASK_QUESTION without a question' } };
      }
      const cited: EvidenceItem[] = [];
      for (const ref of new Set(reply.evidence)) {
        const item = input.evidence.find(ref);
        if (!item)
          return { ok: false, reason: { code: 'UNKNOWN_EVIDENCE', detail: `cites "${ref}", which does not exist` } };
        cited.push(item);
      }
      if (reply.action === 'GIVE_HINT' && cited.length === 0) {
        return { ok: false, reason: { code: 'UNKNOWN_EVIDENCE', detail: 'a hint that cites no evidence' } };
      }
      if (reply.action === 'GIVE_HINT' && input.policy.hintDepth === 0) {
        return { ok: false, reason: { code: 'POLICY', detail: 'a hint, but the organization allows questions only' } };
      }
      const leaked = leak(`${reply.message}\n${question ?? ''}`);
      if (leaked) return { ok: false, reason: leaked };
      return { ok: true, turn: { action: reply.action, message: reply.message, question, evidence: cited } };
    },
  };
}

/** The safe turn shown instead of a withheld reply: a question about the first failing evidence. */
export function safeFallbackTurn(evidence: EvidenceCatalog): CoachTurnContent {
  const failing = evidence.items.find((item) => item.kind === 'TEST_RESULT' && item.passed === false);
  if (failing) {
    return {
      action: 'NEEDS_MORE_INFO',
      message: 'Let’s slow down and look at what the tests tell us before going further.',
      question: `Walk me through what your code does for ${failing.ref.replace('test:', 'test ')}: which line decides the result, and what value does it produce?`,
      evidence: [failing],
    };
  }
  return {
    action: 'NEEDS_MORE_INFO',
    message: 'I’d like to understand your thinking before I say more.',
    question: 'What have you tried so far, and what did you expect your code to do that it does not?',
    evidence: [],
  };
}
