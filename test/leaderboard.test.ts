/**
 * Leaderboards: competition ranking with a stable order within ties, UTC windows at their
 * boundaries, scopes that keep organizations apart, opt-out, the viewer's own entry, and
 * the live top that pushes at most once a second.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createWorkerDeps } from '../api/evaluation/deps.js';
import { parseEnv } from '../api/env.js';
import { boardPage, resolveBoard } from '../api/leaderboard/board.js';
import { periodEnd, periodStart } from '../api/leaderboard/periods.js';
import { createLogger } from '../api/logger.js';
import { pubsub } from '../api/pubsub.js';
import { startAttempt } from './support/coach.js';
import { createOrganization, createUser, drainQueue, earn, FIXTURE_PASSWORD } from './support/rewards.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
const prisma = () => server.database.prisma;
const at = (iso: string) => new Date(iso);
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const HOURS = 60; // minutes: an attempt started this long before its solve earns no time bonus

beforeAll(async () => {
  server = await startTestServer({ env: { EVAL_CONCURRENCY: '0' } });
}, 120_000);

type Entry = {
  rank: number;
  points: number;
  solvedCount: number;
  displayName: string;
  anonymous: boolean;
  isViewer: boolean;
  user: { id: string; name: string } | null;
};
type Board = {
  __typename: string;
  message?: string;
  totalCount?: number;
  edges?: { cursor: string; node: Entry }[];
  pageInfo?: { hasNextPage: boolean; endCursor: string | null };
  viewerEntry?: Entry | null;
  windowStart?: string;
  windowEnd?: string | null;
};

const ENTRY = 'rank points solvedCount displayName anonymous isViewer user { id name }';
const BOARD = /* GraphQL */ `
  query ($scope: LeaderboardScope!, $window: LeaderboardWindow!, $track: Track, $organizationId: ID, $classId: ID, $first: Int, $after: String) {
    leaderboard(scope: $scope, window: $window, track: $track, organizationId: $organizationId, classId: $classId, first: $first, after: $after) {
      __typename
      ... on Error { message }
      ... on LeaderboardConnection {
        totalCount windowStart windowEnd
        edges { cursor node { ${ENTRY} } }
        pageInfo { hasNextPage endCursor }
        viewerEntry { ${ENTRY} }
      }
    }
  }
`;

async function board(token: string, variables: Record<string, unknown>): Promise<Board> {
  return (await server.query<{ leaderboard: Board }>(token, BOARD, variables)).leaderboard;
}

describe('windows', () => {
  it('follow the UTC calendar month and ISO week, boundaries included', () => {
    const week = (iso: string) => periodStart('WEEK', at(iso)).toISOString().slice(0, 10);
    const month = (iso: string) => periodStart('MONTH', at(iso)).toISOString().slice(0, 10);
    expect(week('2026-03-08T23:59:59.999Z')).toBe('2026-03-02'); // a Sunday: still the week of Monday the 2nd
    expect(week('2026-03-09T00:00:00.000Z')).toBe('2026-03-09'); // Monday starts a new week
    expect(week('2027-01-01T12:00:00.000Z')).toBe('2026-12-28'); // a week across the new year
    expect(month('2026-02-28T23:59:59.999Z')).toBe('2026-02-01');
    expect(month('2026-03-01T00:00:00.000Z')).toBe('2026-03-01');
    expect(periodEnd('MONTH', at('2028-02-29T23:00:00Z'))?.toISOString()).toBe('2028-03-01T00:00:00.000Z');
    expect(periodEnd('WEEK', at('2026-03-08T23:59:59.999Z'))?.toISOString()).toBe('2026-03-09T00:00:00.000Z');
    expect(periodEnd('ALL_TIME', at('2026-03-08T00:00:00Z'))).toBeNull();
  });

  it('count points by when they were awarded, on either side of a boundary', async () => {
    const { organization } = await createOrganization(prisma(), 'Windows');
    const sunday = await createUser(prisma(), { name: 'Sunday', organizationId: organization.id });
    const monday = await createUser(prisma(), { name: 'Monday', organizationId: organization.id });
    await earn(prisma(), {
      userId: sunday.id,
      slug: 'two-sum',
      at: at('2026-03-08T23:59:59.999Z'),
      score: 1,
      startedMinutesBefore: HOURS * 10,
    });
    await earn(prisma(), {
      userId: monday.id,
      slug: 'two-sum',
      at: at('2026-03-09T00:00:00.000Z'),
      score: 1,
      startedMinutesBefore: HOURS * 10,
    });
    const viewer = { userId: sunday.id, roles: new Map([[organization.id, 'STUDENT' as const]]) };
    const names = async (period: 'WEEK' | 'MONTH' | 'ALL_TIME', now: string) => {
      const resolved = await resolveBoard(prisma(), viewer, { scope: 'ORGANIZATION', period }, at(now));
      return (await boardPage(prisma(), viewer, resolved, { offset: 0, limit: 10 })).map((row) => row.name);
    };
    expect(await names('WEEK', '2026-03-08T23:59:59.999Z')).toEqual(['Sunday']);
    expect(await names('WEEK', '2026-03-09T00:00:00.000Z')).toEqual(['Monday']);
    expect(await names('MONTH', '2026-03-31T23:59:59.999Z')).toEqual(['Sunday', 'Monday']);
    expect(await names('MONTH', '2026-04-01T00:00:00.000Z')).toEqual([]);
    expect(await names('ALL_TIME', '2030-01-01T00:00:00.000Z')).toEqual(['Sunday', 'Monday']);
  });
});

describe('a board', () => {
  let org: Awaited<ReturnType<typeof createOrganization>>;
  let other: Awaited<ReturnType<typeof createOrganization>>;
  const users: Record<string, { id: string; token: string }> = {};

  beforeAll(async () => {
    org = await createOrganization(prisma(), 'Ranked');
    other = await createOrganization(prisma(), 'Elsewhere');
    const make = async (name: string, organizationId: string, optOut = false) => {
      const user = await createUser(prisma(), { name, organizationId, optOut });
      await prisma().enrollment.create({
        data: {
          userId: user.id,
          classId: (organizationId === org.organization.id ? org : other).cls.id,
          role: 'STUDENT',
        },
      });
      users[name] = { id: user.id, token: await server.logIn(user.email, FIXTURE_PASSWORD) };
    };
    await make('Ada', org.organization.id);
    await make('Ben', org.organization.id);
    await make('Cy', org.organization.id, true);
    await make('Dee', org.organization.id);
    await make('Eve', other.organization.id);
    // No time bonus: two-sum and binary-search are 100 points, group-anagrams 200.
    const solve = (name: string, slug: string) =>
      earn(prisma(), {
        userId: users[name]?.id ?? '',
        slug,
        at: new Date(),
        score: 1,
        startedMinutesBefore: HOURS * 10,
      });
    await solve('Ada', 'group-anagrams');
    await solve('Ben', 'group-anagrams'); // Ben reaches 200 before Cy
    await solve('Cy', 'two-sum');
    await solve('Cy', 'binary-search');
    await solve('Dee', 'two-sum');
    await solve('Ada', 'two-sum');
    await solve('Eve', 'group-anagrams');
    await solve('Eve', 'two-sum');
  });

  it('ranks ties together (1, 2, 2, 4), who got there first first, and finds the viewer anywhere', async () => {
    const page = await board(users.Dee?.token ?? '', { scope: 'ORGANIZATION', window: 'ALL_TIME' });
    expect(page.totalCount).toBe(4);
    expect(page.edges?.map((edge) => [edge.node.rank, edge.node.displayName, edge.node.points])).toEqual([
      [1, 'Ada', 300],
      [2, 'Ben', 200],
      [2, 'Anonymous', 200],
      [4, 'Dee', 100],
    ]);
    expect(page.edges?.map((edge) => edge.node.solvedCount)).toEqual([2, 1, 2, 1]);

    const first = await board(users.Dee?.token ?? '', { scope: 'ORGANIZATION', window: 'ALL_TIME', first: 2 });
    expect(first.edges?.map((edge) => edge.node.displayName)).toEqual(['Ada', 'Ben']);
    expect(first.pageInfo?.hasNextPage).toBe(true);
    expect(first.viewerEntry).toMatchObject({ rank: 4, points: 100, isViewer: true, displayName: 'Dee' });
    const second = await board(users.Dee?.token ?? '', {
      scope: 'ORGANIZATION',
      window: 'ALL_TIME',
      first: 2,
      after: first.pageInfo?.endCursor,
    });
    expect(second.edges?.map((edge) => [edge.node.rank, edge.node.displayName])).toEqual([
      [2, 'Anonymous'],
      [4, 'Dee'],
    ]);
    expect(second.pageInfo?.hasNextPage).toBe(false);
  });

  it('shows a user who opted out as anonymous to others, and as themselves to themselves', async () => {
    const seenByAda = await board(users.Ada?.token ?? '', {
      scope: 'CLASS',
      window: 'ALL_TIME',
      classId: gid('Class', org.cls.id),
    });
    const cy = seenByAda.edges?.find((edge) => edge.node.points === 200 && edge.node.anonymous);
    expect(cy?.node).toMatchObject({ displayName: 'Anonymous', user: null, isViewer: false });
    expect(JSON.stringify(seenByAda)).not.toContain(users.Cy?.id ?? 'none');
    const seenByCy = await board(users.Cy?.token ?? '', {
      scope: 'CLASS',
      window: 'ALL_TIME',
      classId: gid('Class', org.cls.id),
    });
    expect(seenByCy.viewerEntry).toMatchObject({ displayName: 'Cy', anonymous: false, isViewer: true, rank: 2 });
  });

  it('keeps organizations apart: their boards, their classes, their members’ profiles', async () => {
    const ada = users.Ada?.token ?? '';
    const own = await board(ada, { scope: 'ORGANIZATION', window: 'ALL_TIME' });
    expect(own.edges?.map((edge) => edge.node.displayName)).not.toContain('Eve');
    expect(
      await board(ada, {
        scope: 'ORGANIZATION',
        window: 'ALL_TIME',
        organizationId: gid('Organization', other.organization.id),
      }),
    ).toMatchObject({ __typename: 'NotFound' });
    expect(await board(ada, { scope: 'CLASS', window: 'ALL_TIME', classId: gid('Class', other.cls.id) })).toMatchObject(
      {
        __typename: 'NotFound',
      },
    );
    expect(await board(ada, { scope: 'CLASS', window: 'ALL_TIME' })).toMatchObject({
      __typename: 'InvalidInput',
      message: expect.stringMatching(/classId/),
    });
    // The global board names everyone who did not opt out, but links only to people you may see.
    const global = await board(ada, { scope: 'GLOBAL', window: 'ALL_TIME', first: 100 });
    const eve = global.edges?.find((edge) => edge.node.displayName === 'Eve');
    expect(eve?.node).toMatchObject({ points: 300, user: null });
    const ben = global.edges?.find((edge) => edge.node.displayName === 'Ben');
    expect(ben?.node.user).toMatchObject({ name: 'Ben' });
  });

  it('filters by track', async () => {
    const ada = users.Ada?.token ?? '';
    const coding = await board(ada, { scope: 'ORGANIZATION', window: 'ALL_TIME', track: 'CODING_INTERVIEW' });
    expect(coding.totalCount).toBe(4);
    const design = await board(ada, { scope: 'ORGANIZATION', window: 'WEEK', track: 'SYSTEM_DESIGN' });
    expect(design).toMatchObject({ totalCount: 0, edges: [], viewerEntry: null });
  });

  it('refuses anonymous visitors and page sizes over the limit', async () => {
    const { body } = await server.graphql<{ leaderboard: Board }>(BOARD, { scope: 'GLOBAL', window: 'ALL_TIME' });
    expect(body.data?.leaderboard).toMatchObject({ __typename: 'Forbidden' });
    expect(await board(users.Ada?.token ?? '', { scope: 'GLOBAL', window: 'ALL_TIME', first: 101 })).toMatchObject({
      __typename: 'InvalidInput',
    });
  });
});

describe('the live top', () => {
  it('pushes the top now, then the new top when points change, at most once a second', async () => {
    const { organization } = await createOrganization(prisma(), 'Live');
    const [kim, lee] = await Promise.all([
      createUser(prisma(), { name: 'Kim', organizationId: organization.id }),
      createUser(prisma(), { name: 'Lee', organizationId: organization.id }),
    ]);
    const kimToken = await server.logIn(kim.email, FIXTURE_PASSWORD);
    const leeToken = await server.logIn(lee.email, FIXTURE_PASSWORD);
    const item = await prisma().contentItem.findFirstOrThrow({ where: { slug: 'two-sum' } });
    const version = await prisma().contentVersion.findUniqueOrThrow({ where: { id: item.currentVersionId ?? '' } });
    const reference = (version.body as { referenceSolution: { JAVASCRIPT: string } }).referenceSolution.JAVASCRIPT;
    // Both queued first, so the two awards land within one second.
    for (const [token, key] of [
      [kimToken, 'live-kim'],
      [leeToken, 'live-lee'],
    ] as const) {
      const attemptId = await startAttempt(server, token, 'two-sum');
      await server.query(
        token,
        'mutation ($input: SubmitSolutionInput!) { submitSolution(input: $input) { __typename } }',
        {
          input: { attemptId, language: 'JAVASCRIPT', code: reference, idempotencyKey: key },
        },
      );
    }

    const pushes: { at: number; names: string[] }[] = [];
    let evaluate: Promise<void> | null = null;
    await server.subscribe<{ leaderboardChanged: { displayName: string; points: number }[] }>(
      kimToken,
      'subscription { leaderboardChanged(scope: ORGANIZATION, window: ALL_TIME) { displayName points } }',
      {},
      (data) => {
        pushes.push({ at: Date.now(), names: data.leaderboardChanged.map((entry) => entry.displayName) });
        if (pushes.length === 1) {
          // The worker evaluates both submissions: each completion announces new points.
          const deps = createWorkerDeps({ prisma: prisma(), env: parseEnv({}), logger: createLogger('silent') });
          evaluate = drainQueue(prisma(), deps, 'live');
        }
        return data.leaderboardChanged.length === 2;
      },
    );
    await evaluate;
    expect(pushes[0]?.names).toEqual([]);
    expect(pushes.at(-1)?.names.sort()).toEqual(['Kim', 'Lee']);
    expect(pushes.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < pushes.length; i++) {
      expect((pushes[i]?.at ?? 0) - (pushes[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    }
  });
});

describe('the live top, shared', () => {
  it('tells a signed-out subscriber to sign in, with a code, instead of a masked error', async () => {
    const subscribed = server.subscribe(
      null,
      'subscription { leaderboardChanged(scope: GLOBAL, window: ALL_TIME) { displayName } }',
    );
    await expect(subscribed).rejects.toThrow(/Sign in to see leaderboards/);
    await expect(subscribed).rejects.toThrow(/"code":"FORBIDDEN"/);
  });

  it('reads a board once per change for all its subscribers, and shows each viewer their own view', async () => {
    const statements: string[] = [];
    const own = await startTestServer({ env: { EVAL_CONCURRENCY: '0' }, onQuery: (sql) => statements.push(sql) });
    try {
      const db = own.database.prisma;
      const { organization } = await createOrganization(db, 'Shared');
      const [ann, ben] = await Promise.all([
        createUser(db, { name: 'Ann', organizationId: organization.id, optOut: true }),
        createUser(db, { name: 'Ben', organizationId: organization.id }),
      ]);
      const annToken = await own.logIn(ann.email, FIXTURE_PASSWORD);
      const benToken = await own.logIn(ben.email, FIXTURE_PASSWORD);
      await earn(db, { userId: ann.id, slug: 'two-sum', at: new Date(), score: 1 });

      const query = `subscription ($id: ID!) {
        leaderboardChanged(scope: ORGANIZATION, organizationId: $id, window: ALL_TIME) { displayName isViewer }
      }`;
      type Push = { leaderboardChanged: { displayName: string; isViewer: boolean }[] };
      let first = 0;
      let allLive: () => void = () => {};
      const live = new Promise<void>((resolve) => (allLive = resolve));
      const SUBSCRIBERS = 20;
      const views = Array.from({ length: SUBSCRIBERS }, (_, i) => {
        const token = i === 0 ? annToken : benToken;
        let seen = 0;
        return own.subscribe<Push>(token, query, { id: gid('Organization', organization.id) }, () => {
          seen += 1;
          if (seen === 1 && ++first === SUBSCRIBERS) allLive();
          return seen === 2;
        });
      });
      await live;

      statements.length = 0;
      await earn(db, { userId: ben.id, slug: 'two-sum', at: new Date(), score: 1 });
      pubsub.publish('leaderboard:changed');
      const pushes = await Promise.all(views);
      const boardReads = statements.filter((sql) => sql.includes('FROM "LeaderboardTotal" t'));
      // The page and the rank count, once, for all 20 subscribers (each would read both).
      expect(boardReads.length).toBeLessThanOrEqual(2);

      // Ann opted out: she sees herself, Ben sees "Anonymous".
      expect(pushes[0]?.at(-1)?.leaderboardChanged).toEqual([
        { displayName: 'Ann', isViewer: true },
        { displayName: 'Ben', isViewer: false },
      ]);
      expect(pushes[1]?.at(-1)?.leaderboardChanged).toEqual([
        { displayName: 'Anonymous', isViewer: false },
        { displayName: 'Ben', isViewer: true },
      ]);
    } finally {
      await own.stop();
    }
  }, 60_000);
});

describe('the profile', () => {
  it('sets the time zone and the leaderboard opt-out, and names a bad time zone', async () => {
    const user = await createUser(prisma());
    const token = await server.logIn(user.email, FIXTURE_PASSWORD);
    const update = (input: Record<string, unknown>) =>
      server.query<{ updateProfile: Record<string, unknown> }>(
        token,
        `mutation ($input: UpdateProfileInput!) {
          updateProfile(input: $input) { __typename ... on User { timeZone leaderboardOptOut } ... on InvalidInput { path message } }
        }`,
        { input },
      );
    expect((await update({ timeZone: 'Europe/Paris', leaderboardOptOut: true })).updateProfile).toEqual({
      __typename: 'User',
      timeZone: 'Europe/Paris',
      leaderboardOptOut: true,
    });
    expect((await update({ timeZone: 'Mars/Olympus_Mons' })).updateProfile).toMatchObject({
      __typename: 'InvalidInput',
      path: ['input', 'timeZone'],
      message: expect.stringMatching(/IANA time zone/),
    });
    expect(await prisma().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      timeZone: 'Europe/Paris',
      leaderboardOptOut: true,
    });
  });
});
