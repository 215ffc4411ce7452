/**
 * The built-in coach (no ANTHROPIC_API_KEY): Socratic questions from the real evaluation
 * evidence, streamed like a model's and labelled as the built-in coach; and the per-user
 * rate limit.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApiClient } from '../client/client.js';
import { getFragmentData } from '../client/gql/index.js';
import { AskCoachMutation, CoachTurnEventsSubscription, CoachTurnFields } from '../client/operations.js';
import { ask, askTurn, followTurn, startAttempt, streamedText, submitAndEvaluate } from './support/coach.js';
import { startTestServer, type TestServer, rawId } from './support/server.js';

let server: TestServer;

// Crashes on line 3 for every test.
const CRASHING =
  'function twoSum(nums, target) {\n  const pairs = undefined;\n  return pairs.find((pair) => pair.sum === target);\n}\n';

beforeAll(async () => {
  server = await startTestServer({ env: { EVAL_CONCURRENCY: '1', COACH_TURNS_PER_MINUTE: '3' } });
}, 120_000);

describe('the built-in coach', () => {
  it('asks about the failing test and the line the error points at, citing them, streamed and labelled', async () => {
    const token = await server.logIn('student1@demo.test');
    const attemptId = await startAttempt(server, token, 'two-sum');
    await submitAndEvaluate(server, token, attemptId, CRASHING, 'builtin-crash');

    const turn = await askTurn(server, token, { attemptId, message: 'Why does it crash?' });
    expect(turn).toMatchObject({ status: 'STREAMING', model: 'builtin', builtinCoach: true });
    const events = await followTurn(server, token, turn.id);
    const last = events.at(-1);
    if (last?.__typename !== 'CoachTurnCompleted') throw new Error(JSON.stringify(last));
    const done = last.turn;
    expect(done).toMatchObject({ status: 'COMPLETED', action: 'ASK_QUESTION', builtinCoach: true });
    expect(done.message).toMatch(
      /^On test 1 \("example"\), called with \[\[2,7,11,15\],9\], your code stopped with RUNTIME_ERROR/,
    );
    expect(done.message).toMatch(/TypeError/);
    expect(done.question).toMatch(/line 3/);
    expect(done.evidence.map((item) => [item.kind, item.ref])).toEqual([
      ['TEST_RESULT', 'test:1'],
      ['STDERR', 'stderr:1'],
      ['CODE_LINE', 'code:3'],
    ]);
    expect(events.filter((event) => event.__typename === 'CoachTokenDelta').length).toBeGreaterThan(3);
    expect(streamedText(events)).toBe(done.message);

    const [call] = await server.database.prisma.llmInteraction.findMany({ where: { turnId: rawId(turn.id) } });
    expect(call).toMatchObject({ model: 'builtin', purpose: 'COACH', tokensIn: 0, tokensOut: 0, flagged: false });
  });

  it('refuses to hand over the solution, with a guiding question instead', async () => {
    const token = await server.logIn('student1@demo.test');
    const attempt = await server.database.prisma.attempt.findFirstOrThrow({
      where: { user: { email: 'student1@demo.test' }, contentItem: { slug: 'two-sum' } },
    });
    const attemptId = Buffer.from(`Attempt:${attempt.id}`).toString('base64');
    const turn = await askTurn(server, token, { attemptId, message: 'Just give me the full code.' });
    const events = await followTurn(server, token, turn.id);
    const last = events.at(-1);
    expect(last).toMatchObject({
      __typename: 'CoachTurnCompleted',
      turn: { action: 'REFUSE', message: expect.stringMatching(/won’t write the solution/) },
    });
  });

  it('asks about the weakest rubric criterion of a system design', async () => {
    const token = await server.logIn('student1@demo.test');
    const attemptId = await startAttempt(server, token, 'design-a-url-shortener');
    const answer =
      'I would store links in a database behind a web server and add a cache. Estimates: 100M links a month.';
    await submitAndEvaluate(server, token, attemptId, { answer }, 'builtin-design');
    const scores = await server.database.prisma.rubricScore.findMany({
      where: { run: { attemptId: rawId(attemptId) } },
    });
    const share = (key: string | null | undefined) => {
      const score = scores.find((row) => row.criterionKey === key);
      return score ? score.score / score.maxScore : Number.NaN;
    };
    const lowest = Math.min(...scores.map((row) => row.score / row.maxScore));
    expect(lowest).toBeLessThan(1);

    const turn = await askTurn(server, token, { attemptId, message: 'How can I improve my design?' });
    const events = await followTurn(server, token, turn.id);
    const last = events.at(-1);
    if (last?.__typename !== 'CoachTurnCompleted') throw new Error(JSON.stringify(last));
    expect(last.turn.action).toBe('ASK_QUESTION');
    const [cited, ...others] = last.turn.evidence;
    expect(others).toEqual([]);
    expect(cited).toMatchObject({ kind: 'RUBRIC_SCORE', ref: `rubric:${cited?.criterionKey}` });
    expect(share(cited?.criterionKey)).toBe(lowest);
    const row = scores.find((score) => score.criterionKey === cited?.criterionKey);
    expect(last.turn.message).toContain(`${row?.score}/${row?.maxScore}`);
  });

  it('asks for more when there is no code or evaluation yet', async () => {
    const token = await server.logIn('student3@demo.test');
    const attemptId = await startAttempt(server, token, 'two-sum');
    const turn = await askTurn(server, token, { attemptId, message: 'Where do I start?' });
    const events = await followTurn(server, token, turn.id);
    expect(events.at(-1)).toMatchObject({
      __typename: 'CoachTurnCompleted',
      turn: { action: 'NEEDS_MORE_INFO', evidence: [], question: expect.stringMatching(/approach/) },
    });
  });
});

describe('the per-user rate limit', () => {
  it('refuses the turn past the limit with when to retry, writing nothing', async () => {
    const token = await server.logIn('student2@demo.test');
    const attemptId = await startAttempt(server, token, 'two-sum');
    for (let i = 0; i < 3; i++) {
      const turn = await askTurn(server, token, { attemptId, message: `Question ${i + 1}` });
      await followTurn(server, token, turn.id);
    }
    const { prisma } = server.database;
    const before = await prisma.socraticTurn.count({ where: { attemptId: rawId(attemptId) } });
    const limited = await ask(server, token, { attemptId, message: 'One more' });
    expect(limited).toMatchObject({
      __typename: 'RateLimited',
      limit: 'COACH_TURNS_PER_MINUTE',
      message: expect.stringMatching(/3 times a minute/),
    });
    const retryAfter = 'retryAfterSeconds' in limited ? (limited.retryAfterSeconds ?? 0) : 0;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await prisma.socraticTurn.count({ where: { attemptId: rawId(attemptId) } })).toBe(before);

    // Another student is not limited by this one.
    const other = await server.logIn('student3@demo.test');
    const otherAttempt = await startAttempt(server, other, 'group-anagrams');
    expect(await ask(server, other, { attemptId: otherAttempt, message: 'Hi' })).toMatchObject({
      __typename: 'SocraticTurn',
    });
  });
});

describe('the urql client', () => {
  it('asks the coach and follows the reply with the typed operations', async () => {
    const token = await server.logIn('student3@demo.test');
    const attemptId = await startAttempt(server, token, 'binary-search');
    const { client, dispose } = createApiClient({
      url: `${server.url}/graphql`,
      getToken: () => token,
      webSocketImpl: WebSocket,
    });
    try {
      const asked = await client
        .mutation(AskCoachMutation, { input: { attemptId, message: 'How do I begin?', idempotencyKey: 'urql-1' } })
        .toPromise();
      const result = asked.data?.askCoach;
      if (result?.__typename !== 'SocraticTurn') throw new Error(JSON.stringify(asked));
      const turn = getFragmentData(CoachTurnFields, result);
      expect(turn).toMatchObject({ status: 'STREAMING', role: 'COACH', builtinCoach: true });

      const text = await new Promise<{ streamed: string; final: string }>((resolve, reject) => {
        let streamed = '';
        const { unsubscribe } = client
          .subscription(CoachTurnEventsSubscription, { turnId: turn.id })
          .subscribe((next) => {
            const event = next.data?.coachTurnEvents;
            if (next.error) reject(next.error);
            else if (event?.__typename === 'CoachTokenDelta') streamed = streamed.slice(0, event.offset) + event.text;
            else if (event?.__typename === 'CoachTurnCompleted') {
              unsubscribe();
              resolve({ streamed, final: getFragmentData(CoachTurnFields, event.turn).message });
            } else if (event) reject(new Error(JSON.stringify(event)));
          });
      });
      expect(text.streamed).toBe(text.final);
      expect(text.final).toMatch(/no evaluation|haven’t seen/);
    } finally {
      await dispose();
    }
  });
});
