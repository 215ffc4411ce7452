/**
 * Fixtures of the learning-history tests: a server with students, their instructor, an admin and
 * an instructor of another school; a seeded timeline of every kind of event; the history query.
 */
import type { PrismaClient } from '../../api/db.js';
import { actingAs, globalId, startTestServer, type TestServer } from './server.js';

/** One event created by `seedTimeline`, as the timeline should report it. */
export interface Seeded {
  typename: string;
  id: string;
  slug: string;
}

/**
 * Gives `email` an attempt on each item and, per item, `rounds` rounds of five events, one
 * of each kind, a second apart, starting at `start`. Returns them newest first.
 */
export async function seedTimeline(
  db: PrismaClient,
  email: string,
  slugs: string[],
  rounds: number,
  start: Date,
): Promise<Seeded[]> {
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  const organization = await db.organization.findUniqueOrThrow({ where: { slug: 'demo-university' } });
  const events: (Seeded & { at: number })[] = [];
  let clock = start.getTime();
  const tick = () => new Date((clock += 1000));
  for (const slug of slugs) {
    const item = await db.contentItem.findFirstOrThrow({ where: { slug, organizationId: null } });
    const attempt = await db.attempt.create({
      data: { userId: user.id, contentItemId: item.id, contentVersionId: item.currentVersionId ?? '' },
    });
    for (let round = 0; round < rounds; round += 1) {
      const snapshotAt = tick();
      const snapshot = await db.solutionSnapshot.create({
        data: { attemptId: attempt.id, language: 'JAVASCRIPT', code: `// draft ${round}`, createdAt: snapshotAt },
      });
      const submissionAt = tick();
      const submission = await db.submission.create({
        data: {
          attemptId: attempt.id,
          userId: user.id,
          language: 'JAVASCRIPT',
          code: `// submission ${round}`,
          idempotencyKey: `${slug}-${round}-${start.getTime()}`,
          payloadHash: 'x',
          createdAt: submissionAt,
        },
      });
      const runAt = tick();
      const run = await db.evaluationRun.create({
        data: { submissionId: submission.id, attemptId: attempt.id, kind: 'CODING_TESTS', queuedAt: runAt },
      });
      const turnAt = tick();
      const turn = await db.socraticTurn.create({
        data: {
          attemptId: attempt.id,
          userId: user.id,
          index: round,
          role: 'COACH',
          action: 'ASK_QUESTION',
          message: `What does test ${round} expect?`,
          model: 'builtin',
          createdAt: turnAt,
        },
      });
      const llmAt = tick();
      const llm = await db.llmInteraction.create({
        data: {
          userId: user.id,
          organizationId: organization.id,
          attemptId: attempt.id,
          turnId: turn.id,
          purpose: 'COACH',
          model: 'builtin',
          prompt: { system: 'secret rubric guidance', messages: [] },
          response: `reply ${round}`,
          tokensIn: 10,
          tokensOut: 5,
          createdAt: llmAt,
        },
      });
      events.push(
        { typename: 'SolutionSnapshot', id: snapshot.id, slug, at: snapshotAt.getTime() },
        { typename: 'Submission', id: submission.id, slug, at: submissionAt.getTime() },
        { typename: 'EvaluationRun', id: run.id, slug, at: runAt.getTime() },
        { typename: 'SocraticTurn', id: turn.id, slug, at: turnAt.getTime() },
        { typename: 'LlmInteraction', id: llm.id, slug, at: llmAt.getTime() },
      );
    }
  }
  return events.sort((a, b) => b.at - a.at).map(({ typename, id, slug }) => ({ typename, id, slug }));
}

/** The learning history with a field of every kind of event and of their relations. */
export const HISTORY = /* GraphQL */ `
  query ($studentId: ID!, $classId: ID, $contentItemId: ID, $first: Int, $after: String) {
    learningHistory(
      studentId: $studentId
      classId: $classId
      contentItemId: $contentItemId
      first: $first
      after: $after
    ) {
      __typename
      ... on LearningEventConnection {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            __typename
            ... on Node {
              id
            }
            ... on SolutionSnapshot {
              code
              attempt {
                contentItem {
                  slug
                }
              }
            }
            ... on Submission {
              submittedCode: code
              evaluationRuns {
                kind
              }
              attempt {
                contentItem {
                  slug
                }
              }
            }
            ... on EvaluationRun {
              status
              submission {
                code
              }
            }
            ... on SocraticTurn {
              message
              action
              attempt {
                contentItem {
                  slug
                }
              }
              llmInteractions {
                response
              }
            }
            ... on LlmInteraction {
              response
              prompt
              user {
                name
              }
              turn {
                index
              }
            }
          }
        }
      }
      ... on Error {
        message
      }
    }
  }
`;

/** An event of the history, as HISTORY reads it. */
export type HistoryNode = { __typename: string; id: string; prompt?: unknown };
/** HISTORY's data. */
export type History = {
  learningHistory: {
    __typename: string;
    message?: string;
    totalCount?: number;
    pageInfo?: { hasNextPage: boolean; endCursor: string | null };
    edges?: { cursor: string; node: HistoryNode }[];
  };
};

/** A started server, the tokens and user ids of its people (by their email's local part), and student1's timeline. */
export interface HistoryServer {
  server: TestServer;
  tokens: Record<string, string>;
  users: Record<string, string>;
  /** student1's seeded events, newest first. */
  student1Events: Seeded[];
  /** The global ID of Algorithms 101, to which two-sum (and only it) is assigned. */
  algorithmsId: string;
}

/**
 * Starts a seeded server (`onQuery` sees its SQL); adds another school with an instructor and an
 * admin of the demo university; assigns two-sum to Algorithms 101; seeds student1's timeline.
 */
export async function startHistoryServer(options: { onQuery?: (sql: string) => void } = {}): Promise<HistoryServer> {
  const tokens: Record<string, string> = {};
  const users: Record<string, string> = {};
  const server = await startTestServer({ onQuery: options.onQuery });
  const db = server.database.prisma;
  await db.organization.create({ data: { slug: 'other-school', name: 'Other School' } });
  await server.graphql(
    'mutation { signUp(input: { email: "outsider@other.test", password: "password-1", name: "Outsider" }) { __typename } }',
  );
  await server.graphql(
    'mutation { signUp(input: { email: "admin@demo.test", password: "password-1", name: "Admin" }) { __typename } }',
  );
  const demo = await db.organization.findUniqueOrThrow({ where: { slug: 'demo-university' } });
  const other = await db.organization.findUniqueOrThrow({ where: { slug: 'other-school' } });
  for (const email of ['student1', 'student2', 'student3', 'instructor'].map((n) => `${n}@demo.test`)) {
    tokens[email.split('@')[0] ?? ''] = await server.logIn(email);
  }
  for (const user of await db.user.findMany()) users[user.email.split('@')[0] ?? ''] = user.id;
  await db.membership.create({ data: { userId: users.outsider ?? '', organizationId: other.id, role: 'INSTRUCTOR' } });
  await db.membership.create({ data: { userId: users.admin ?? '', organizationId: demo.id, role: 'ADMIN' } });
  tokens.outsider = await server.logIn('outsider@other.test', 'password-1');
  tokens.admin = await server.logIn('admin@demo.test', 'password-1');

  const algorithms = await db.class.findFirstOrThrow({ where: { name: 'Algorithms 101' } });
  const algorithmsId = globalId('Class', algorithms.id);
  const twoSum = await db.contentItem.findFirstOrThrow({ where: { slug: 'two-sum', organizationId: null } });
  await db.assignment.create({ data: { classId: algorithms.id, contentItemId: twoSum.id } });
  const student1Events = await seedTimeline(
    db,
    'student1@demo.test',
    ['two-sum', 'valid-parentheses'],
    2,
    new Date('2026-01-05T09:00:00Z'),
  );
  return { server, tokens, users, student1Events, algorithmsId };
}

/**
 * The history calls, bound to a test file's server and people. `current` is read at each call:
 * the file starts its server in `beforeAll`, after it has bound these.
 */
export function historyClient(current: () => Pick<HistoryServer, 'server' | 'tokens' | 'users'>) {
  const as = actingAs(current);
  const prisma = (): PrismaClient => current().server.database.prisma;

  async function history(who: string | null, variables: Record<string, unknown>): Promise<History['learningHistory']> {
    return (await as<History>(who, HISTORY, variables)).learningHistory;
  }

  async function accessLogCount(viewer: string, resource: string): Promise<number> {
    return prisma().accessLog.count({ where: { viewerId: current().users[viewer], resource } });
  }

  return { as, prisma, history, accessLogCount };
}
