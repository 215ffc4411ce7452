/**
 * The Socratic coach over the real @anthropic-ai/sdk (Messages streaming) against a local
 * server that speaks the Messages API with SSE, scripted per test: streamed turns, late
 * subscribers, retries (429, 529, hangs, cut streams) and the per-turn deadline.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildEvidence } from '../api/coach/evidence.js';
import { createLlmCoach } from '../api/coach/llm-coach.js';
import { DEFAULT_COACH_POLICY } from '../api/coach/policy.js';
import type { CoachContext } from '../api/coach/prompt.js';
import { createAnthropicClient } from '../api/llm/anthropic.js';
import { LlmUpstreamError } from '../api/llm/client.js';
import { ask, askTurn, type CoachEvent, followTurn, streamedText } from './support/coach.js';
import {
  coachReply,
  final,
  GOOD_REPLY,
  type LlmCoachServer,
  startLlmCoachServer,
  TWO_SUM,
} from './support/llm-coach.js';
import { errorReply, type MessagesApi, TEST_API_KEY, TEST_MODEL } from './support/messages-api.js';
import type { TestServer } from './support/server.js';
import { rawId } from './support/server.js';

let api: MessagesApi;
let server: TestServer;
let student = '';
let attemptId = '';
let interactions: LlmCoachServer['interactions'];

beforeAll(async () => {
  ({ api, server, student, attemptId, interactions } = await startLlmCoachServer());
}, 120_000);

describe('a streamed coach turn', () => {
  it('streams the reply token by token, then completes with a validated turn citing real evidence', async () => {
    api.script([coachReply(GOOD_REPLY, { tokensIn: 1500, tokensOut: 220 })]);
    const turn = await askTurn(server, student, { attemptId, message: 'Why does test 2 fail?' });
    expect(turn).toMatchObject({ role: 'COACH', status: 'STREAMING', message: '', builtinCoach: false });

    const events = await followTurn(server, student, turn.id);
    const deltas = events.filter((event) => event.__typename === 'CoachTokenDelta');
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    expect(streamedText(events)).toBe(GOOD_REPLY.message);
    expect(events.filter((event) => event.__typename !== 'CoachTokenDelta')).toHaveLength(1);

    const done = final(events);
    expect(done).toMatchObject({
      id: turn.id,
      status: 'COMPLETED',
      action: 'ASK_QUESTION',
      message: GOOD_REPLY.message,
      question: GOOD_REPLY.question,
      model: TEST_MODEL,
      builtinCoach: false,
    });
    expect(done.evidence).toEqual([
      expect.objectContaining({ kind: 'TEST_RESULT', ref: 'test:2', passed: false, testIndex: 1 }),
      expect.objectContaining({ kind: 'CODE_LINE', ref: 'code:3', line: 3, summary: expect.stringMatching(/j = i/) }),
    ]);
    // The cited test result is the stored one of the attempt's run.
    const runId = rawId(done.evidence[0]?.evaluationRunId ?? '');
    const stored = await server.database.prisma.codingTestResult.findUniqueOrThrow({
      where: { runId_testIndex: { runId, testIndex: 1 } },
    });
    expect(stored.verdict).toBe('FAILED');
    expect(JSON.parse(stored.actual ?? 'null')).toEqual([0, 0]);

    const [call, ...more] = await interactions(turn.id);
    expect(more).toHaveLength(0);
    expect(call).toMatchObject({
      purpose: 'COACH',
      model: TEST_MODEL,
      tokensIn: 1500,
      tokensOut: 220,
      stopReason: 'tool_use',
      error: null,
      flagged: false,
    });
    expect(JSON.parse(call?.response ?? '')).toEqual(GOOD_REPLY);

    const [request] = api.requests;
    expect(request?.url).toBe('/v1/messages');
    expect(request?.body).toMatchObject({
      model: TEST_MODEL,
      stream: true,
      tool_choice: { type: 'tool', name: 'coach_reply' },
    });
    // `message` comes first in the tool's schema, so the model writes (and we stream) it first.
    const schema = request?.body.tools[0]?.input_schema as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)[0]).toBe('message');
  });

  it('gives a late subscriber the text so far, then the rest; one turn at a time per attempt', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    api.script([coachReply(GOOD_REPLY, { after: { deltas: 6, steps: [{ until: held }] } })]);
    const turn = await askTurn(server, student, { attemptId, message: 'Can you give me a hint?' });

    // Wait until the stream is held: the stored text is there and has stopped growing.
    const { prisma } = server.database;
    const stored = async () => (await prisma.socraticTurn.findUniqueOrThrow({ where: { id: rawId(turn.id) } })).message;
    let soFar = '';
    for (let i = 0, previous = ''; i < 200; i++, previous = soFar) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      soFar = await stored();
      if (soFar && soFar === previous) break;
    }
    expect(GOOD_REPLY.message.startsWith(soFar)).toBe(true);
    expect(soFar.length).toBeLessThan(GOOD_REPLY.message.length);

    const busy = await ask(server, student, { attemptId, message: 'Are you there?' });
    expect(busy).toMatchObject({ __typename: 'Conflict', message: expect.stringMatching(/still answering/) });

    const events: CoachEvent[] = [];
    const following = followTurn(server, student, turn.id, (event) => {
      events.push(event);
      if (events.length === 1) release();
    });
    await following;
    expect(events[0]).toEqual({ __typename: 'CoachTokenDelta', offset: 0, text: soFar });
    let offset = 0;
    for (const event of events.filter((e) => e.__typename === 'CoachTokenDelta')) {
      expect(event.offset).toBe(offset);
      offset += event.text.length;
    }
    expect(streamedText(events)).toBe(GOOD_REPLY.message);
    expect(final(events).status).toBe('COMPLETED');
  });

  it('sends a finished turn’s final event at once', async () => {
    const turn = await server.database.prisma.socraticTurn.findFirstOrThrow({
      where: { attemptId: rawId(attemptId), role: 'COACH', status: 'COMPLETED' },
    });
    const events = await followTurn(server, student, Buffer.from(`SocraticTurn:${turn.id}`).toString('base64'));
    expect(events.map((event) => event.__typename)).toEqual(['CoachTurnCompleted']);
  });
});

describe('upstream failures', () => {
  it('waits out a 429 as retry-after says, then streams the reply', async () => {
    api.script([errorReply(429, 'rate_limit_error', { 'retry-after': '1' }), coachReply(GOOD_REPLY)]);
    const turn = await askTurn(server, student, { attemptId, message: 'What now?' });
    const events = await followTurn(server, student, turn.id);
    expect(final(events)).toMatchObject({ status: 'COMPLETED', message: GOOD_REPLY.message });
    expect(api.requests).toHaveLength(2);
    const [first, second] = api.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(900);
    const calls = await interactions(turn.id);
    expect(calls.map((call) => call.error)).toEqual([expect.stringMatching(/HTTP 429/), null]);
    expect(calls[0]).toMatchObject({ tokensIn: 0, tokensOut: 0, response: '' });
  });

  it('retries a 529 (overloaded), then succeeds', async () => {
    api.script([errorReply(529, 'overloaded_error', { 'retry-after-ms': '50' }), coachReply(GOOD_REPLY)]);
    const turn = await askTurn(server, student, { attemptId, message: 'And now?' });
    const events = await followTurn(server, student, turn.id);
    expect(final(events).status).toBe('COMPLETED');
    expect((await interactions(turn.id)).map((call) => call.error)).toEqual([expect.stringMatching(/HTTP 529/), null]);
  });

  it('fails with UPSTREAM_TIMEOUT after bounded retries when the upstream hangs', async () => {
    api.script([{ hang: true }]);
    const turn = await askTurn(server, student, { attemptId, message: 'Hello?' });
    const events = await followTurn(server, student, turn.id);
    expect(events.map((event) => event.__typename)).toEqual(['CoachTurnFailed']);
    expect(events[0]).toMatchObject({ reason: 'UPSTREAM_TIMEOUT', turn: { status: 'FAILED', message: '' } });
    expect(api.requests).toHaveLength(3);
    const calls = await interactions(turn.id);
    expect(calls).toHaveLength(3);
    expect(calls.every((call) => /no response/.test(call.error ?? ''))).toBe(true);
  });

  it('retries a stream cut mid-answer; the final turn replaces the text already streamed', async () => {
    const first = { ...GOOD_REPLY, message: `${GOOD_REPLY.message} (first draft)` };
    api.script([coachReply(first, { after: { deltas: 8, steps: [{ cut: true }] } }), coachReply(GOOD_REPLY)]);
    const turn = await askTurn(server, student, { attemptId, message: 'Please continue' });
    const events = await followTurn(server, student, turn.id);
    const streamed = streamedText(events);
    expect(streamed.length).toBeGreaterThan(0);
    expect(first.message.startsWith(streamed)).toBe(true);
    expect(streamed.length).toBeLessThan(first.message.length);
    expect(final(events)).toMatchObject({ status: 'COMPLETED', message: GOOD_REPLY.message });
    const calls = await interactions(turn.id);
    expect(calls[0]).toMatchObject({ error: expect.stringMatching(/stream cut/), flagged: true });
    expect(calls[0]?.flagReason).toMatch(/^INCOMPLETE/);
    expect(calls[1]).toMatchObject({ error: null, flagged: false });
  });

  it('fails with UPSTREAM_STREAM_CUT when every stream breaks off, storing nothing as complete', async () => {
    api.script([coachReply(GOOD_REPLY, { after: { deltas: 5, steps: [{ cut: true }] } })]);
    const turn = await askTurn(server, student, { attemptId, message: 'Try again' });
    const events = await followTurn(server, student, turn.id);
    expect(events.at(-1)).toMatchObject({ __typename: 'CoachTurnFailed', reason: 'UPSTREAM_STREAM_CUT' });
    const stored = await server.database.prisma.socraticTurn.findUniqueOrThrow({ where: { id: rawId(turn.id) } });
    expect(stored).toMatchObject({ status: 'FAILED', message: '', action: null, failureReason: 'UPSTREAM_STREAM_CUT' });
    expect(await interactions(turn.id)).toHaveLength(3);
  });
});

describe('the per-turn deadline', () => {
  const context = (): CoachContext => ({
    title: 'Two Sum',
    track: 'CODING_INTERVIEW',
    statement: TWO_SUM.statement,
    evidence: buildEvidence(TWO_SUM, null, null),
    policy: DEFAULT_COACH_POLICY,
    notes: [],
    history: [],
    answer: null,
    message: 'Help',
    model: TEST_MODEL,
  });
  // The idle timeout is longer than the deadline: only the deadline can end these calls.
  const coach = (deadlineMs: number) =>
    createLlmCoach(createAnthropicClient({ apiKey: TEST_API_KEY, model: TEST_MODEL, baseURL: api.baseURL }), {
      maxCalls: 5,
      deadlineMs,
      idleTimeoutMs: 10_000,
    });

  it('does not wait out a retry-after that would pass the deadline', async () => {
    api.script([errorReply(429, 'rate_limit_error', { 'retry-after': '30' })]);
    const started = Date.now();
    const error = await coach(2_000)
      .reply(context(), { text: () => {} }, new AbortController().signal)
      .catch((caught: unknown) => caught);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error).toBeInstanceOf(LlmUpstreamError);
    expect(error).toMatchObject({ reason: 'UPSTREAM_RATE_LIMITED', message: expect.stringMatching(/deadline/) });
    expect(api.requests).toHaveLength(1);
  });

  it('cuts a stream that keeps trickling past the deadline, without retrying', async () => {
    api.script([coachReply({ ...GOOD_REPLY, message: 'x'.repeat(400) }, { chunk: 4, delayMs: 40 })]);
    // The whole stream would take about 5 s.
    const started = Date.now();
    const error = await coach(800)
      .reply(context(), { text: () => {} }, new AbortController().signal)
      .catch((caught: unknown) => caught);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(error).toMatchObject({ reason: 'DEADLINE_EXCEEDED' });
    expect(api.requests).toHaveLength(1);
    if (error instanceof LlmUpstreamError) expect(error.calls[0]?.response.length).toBeGreaterThan(0);
  });
});
