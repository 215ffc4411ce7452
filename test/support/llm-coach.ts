/**
 * Fixtures of the LLM-coach tests: a scripted Messages API and a server using it, a student's
 * evaluated, failing two-sum attempt, another student's draft that must never reach the prompt,
 * a good coach reply and readers of what a turn stored.
 */
import type { LlmInteraction } from '../../api/generated/prisma/client.js';
import { codingProblems } from '../../prisma/seed/content/coding.js';
import { type CoachEvent, startAttempt, submitAndEvaluate, type TurnData } from './coach.js';
import {
  type MessagesApi,
  type Reply,
  startMessagesApi,
  TEST_API_KEY,
  TEST_MODEL,
  toolStream,
} from './messages-api.js';
import { startTestServer, type TestServer, rawId } from './server.js';

const twoSum = codingProblems.find((item) => item.slug === 'two-sum');
if (twoSum?.body.kind !== 'CODING') throw new Error('seeded two-sum is missing');
/** The seeded two-sum's body: its statement, tests and reference solutions. */
export const TWO_SUM = twoSum.body;

// Fails the visible tests 2 and 3 (it pairs an index with itself); the hidden ones pass.
const STUDENT_CODE =
  'function twoSum(nums, target) {\n  for (let i = 0; i < nums.length; i++) {\n    for (let j = i; j < nums.length; j++) {\n      if (nums[i] + nums[j] === target) return [i, j];\n    }\n  }\n  return [];\n}\n';
/** A name in another student's draft: if it shows up upstream, their work leaked. */
export const OTHER_STUDENT_MARKER = 'otherStudentSecretVariable42';

/** A reply the guard lets through: it cites the failing test 2 and the student's line 3. */
export const GOOD_REPLY = {
  message:
    'Look at test 2: for [3, 2, 4] your code returned [0, 0], pairing the first number with itself. The inner loop on line 3 decides which pairs you try.',
  question: 'Which values can j take on line 3 when i is 0, and should j ever equal i?',
  action: 'ASK_QUESTION',
  evidence: ['test:2', 'code:3'],
};

/** The Messages API streaming a `coach_reply` tool call of `input`, a few characters at a time. */
export const coachReply = (input: unknown, options?: Parameters<typeof toolStream>[2]): Reply =>
  toolStream('coach_reply', input, { chunk: 8, delayMs: 5, ...options });

/** The turn of the last event, which must be the one that ends the turn. */
export function final(events: CoachEvent[]): TurnData {
  const last = events.at(-1);
  if (last?.__typename !== 'CoachTurnCompleted' && last?.__typename !== 'CoachTurnFailed') {
    throw new Error(`no final event: ${JSON.stringify(last)}`);
  }
  return last.turn;
}

/** The Messages API, the server talking to it, and the student with their evaluated attempt. */
export interface LlmCoachServer {
  api: MessagesApi;
  server: TestServer;
  student: string;
  attemptId: string;
  /** The LLM calls a turn made, oldest first. */
  interactions(turnId: string): Promise<LlmInteraction[]>;
}

/**
 * Starts the Messages API and a server whose coach calls it (short timeouts, three calls a
 * turn); evaluates student1's failing two-sum and saves student2's draft on the same item.
 */
export async function startLlmCoachServer(): Promise<LlmCoachServer> {
  const api = await startMessagesApi();
  const server = await startTestServer({
    env: {
      EVAL_CONCURRENCY: '1',
      ANTHROPIC_API_KEY: TEST_API_KEY,
      ANTHROPIC_BASE_URL: api.baseURL,
      ANTHROPIC_MODEL: TEST_MODEL,
      COACH_IDLE_TIMEOUT_MS: '1000',
      COACH_TURN_DEADLINE_MS: '15000',
      COACH_MAX_CALLS: '3',
      COACH_TURNS_PER_MINUTE: '1000',
    },
  });
  const student = await server.logIn('student1@demo.test');
  const attemptId = await startAttempt(server, student, 'two-sum');
  await submitAndEvaluate(server, student, attemptId, STUDENT_CODE, 'coach-failing');

  // Another student's work on the same item must never reach the prompt.
  const other = await server.logIn('student2@demo.test');
  const otherAttempt = await startAttempt(server, other, 'two-sum');
  await server.query(other, 'mutation ($input: SaveDraftInput!) { saveDraft(input: $input) { __typename } }', {
    input: {
      attemptId: otherAttempt,
      language: 'JAVASCRIPT',
      code: `function twoSum(nums, target) { const ${OTHER_STUDENT_MARKER} = 1; return []; }`,
    },
  });
  const interactions = (turnId: string) =>
    server.database.prisma.llmInteraction.findMany({
      where: { turnId: rawId(turnId) },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  return { api, server, student, attemptId, interactions };
}
