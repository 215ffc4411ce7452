/**
 * Test helpers for the coach: ask it, follow a turn over graphql-ws until it ends, and get
 * a student's attempt evaluated for real (submitted, then run by the in-process worker).
 */
import { rawId, type TestServer } from './server.js';

export const TURN_FIELDS = /* GraphQL */ `
  id
  index
  role
  status
  action
  message
  question
  model
  builtinCoach
  failureReason
  evidence {
    kind
    ref
    summary
    passed
    evaluationRunId
    testIndex
    criterionKey
    diagnosticCode
    line
  }
`;

export interface TurnData {
  id: string;
  index: number;
  role: string;
  status: string;
  action: string | null;
  message: string;
  question: string | null;
  model: string | null;
  builtinCoach: boolean;
  failureReason: string | null;
  evidence: {
    kind: string;
    ref: string;
    summary: string;
    passed: boolean | null;
    evaluationRunId: string | null;
    testIndex: number | null;
    criterionKey: string | null;
    diagnosticCode: string | null;
    line: number | null;
  }[];
}

export type AskResult =
  | ({ __typename: 'SocraticTurn' } & TurnData)
  | { __typename: string; message: string; limit?: string; retryAt?: string; retryAfterSeconds?: number };

/** Asks the coach; returns the coach turn or the typed error. */
export async function ask(
  server: TestServer,
  token: string,
  input: { attemptId: string; message: string; idempotencyKey?: string },
): Promise<AskResult> {
  const data = await server.query<{ askCoach: AskResult }>(
    token,
    `mutation ($input: AskCoachInput!) {
      askCoach(input: $input) {
        __typename
        ... on SocraticTurn { ${TURN_FIELDS} }
        ... on Error { message }
        ... on RateLimited { limit retryAt retryAfterSeconds }
      }
    }`,
    { input },
  );
  return data.askCoach;
}

/** Asks and expects a new coach turn. */
export async function askTurn(
  server: TestServer,
  token: string,
  input: { attemptId: string; message: string; idempotencyKey?: string },
): Promise<TurnData> {
  const result = await ask(server, token, input);
  if (result.__typename !== 'SocraticTurn') throw new Error(`askCoach: ${JSON.stringify(result)}`);
  return result as TurnData;
}

export type CoachEvent =
  | { __typename: 'CoachTokenDelta'; text: string; offset: number }
  | { __typename: 'CoachTurnCompleted'; turn: TurnData }
  | { __typename: 'CoachTurnFailed'; reason: string; turn: TurnData };

const EVENTS = /* GraphQL */ `
  subscription ($turnId: ID!) {
    coachTurnEvents(turnId: $turnId) {
      __typename
      ... on CoachTokenDelta { text offset }
      ... on CoachTurnCompleted { turn { ${TURN_FIELDS} } }
      ... on CoachTurnFailed { reason turn { ${TURN_FIELDS} } }
    }
  }
`;

/** Follows a turn over graphql-ws until the stream completes; `onEvent` sees each event as it arrives. */
export async function followTurn(
  server: TestServer,
  token: string,
  turnId: string,
  onEvent: (event: CoachEvent) => void = () => {},
): Promise<CoachEvent[]> {
  const results = await server.subscribe<{ coachTurnEvents: CoachEvent }>(token, EVENTS, { turnId }, (data) =>
    onEvent(data.coachTurnEvents),
  );
  return results.map((data) => data.coachTurnEvents);
}

/** The text of a turn's deltas, applied at their offsets. */
export function streamedText(events: CoachEvent[]): string {
  let text = '';
  for (const event of events) {
    if (event.__typename === 'CoachTokenDelta') text = text.slice(0, event.offset) + event.text;
  }
  return text;
}

/** Starts an attempt on `slug` for the token's user; returns its global ID. */
export async function startAttempt(server: TestServer, token: string, slug: string): Promise<string> {
  const item = await server.query<{ contentItem: { id: string } }>(
    token,
    'query ($slug: String!) { contentItem(slug: $slug) { id } }',
    { slug },
  );
  const started = await server.query<{ startAttempt: { id: string } }>(
    token,
    'mutation ($input: StartAttemptInput!) { startAttempt(input: $input) { ... on Attempt { id } } }',
    { input: { contentItemId: item.contentItem.id } },
  );
  return started.startAttempt.id;
}

/**
 * Submits JavaScript code (or, given `{ answer }`, a written answer) on an attempt and waits
 * until the worker has evaluated it; returns the run's database id.
 */
export async function submitAndEvaluate(
  server: TestServer,
  token: string,
  attemptId: string,
  work: string | { answer: string },
  idempotencyKey: string,
): Promise<string> {
  const payload = typeof work === 'string' ? { language: 'JAVASCRIPT', code: work } : work;
  const submitted = await server.query<{ submitSolution: { evaluationRuns?: { id: string }[]; message?: string } }>(
    token,
    'mutation ($input: SubmitSolutionInput!) { submitSolution(input: $input) { ... on Submission { evaluationRuns { id } } ... on Error { message } } }',
    { input: { attemptId, ...payload, idempotencyKey } },
  );
  const runId = rawId(submitted.submitSolution.evaluationRuns?.[0]?.id ?? '');
  if (!runId) throw new Error(JSON.stringify(submitted));
  const { prisma } = server.database;
  for (let i = 0; i < 600; i++) {
    const run = await prisma.evaluationRun.findUniqueOrThrow({ where: { id: runId } });
    if (run.status === 'SUCCEEDED') return runId;
    if (run.status === 'FAILED') throw new Error(`evaluation failed: ${JSON.stringify(run.summary)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('evaluation did not finish in 30 s');
}
