/**
 * The Progress page's charts over GraphQL: `User.dailyActivity` (the active local days of a
 * window) and `User.pointsHistory` (every day of a window with its running total, the points
 * from before it included), for the learner and their instructor only, each read logged, in as
 * many statements however many students a class has.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDay } from '../api/rewards/local-day.js';
import { createOrganization, createUser, earn, FIXTURE_PASSWORD } from './support/rewards.js';
import { globalId, startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
const statements: string[] = [];
const prisma = () => server.database.prisma;
beforeAll(async () => {
  server = await startTestServer({ onQuery: (sql) => statements.push(sql) });
}, 120_000);

const DAY_MS = 86_400_000;
const AUCKLAND = 'Pacific/Auckland';

/** `daysAgo` days before now, at 12:30 UTC: already the next day in Auckland (UTC+12 or +13). */
function daysAgoAt1230(daysAgo: number): Date {
  const at = new Date(Date.now() - daysAgo * DAY_MS);
  at.setUTCHours(12, 30, 0, 0);
  return at;
}

interface ActivityDay {
  day: string;
  submissions: number;
  solved: number;
  points: number;
}
interface PointsDay {
  day: string;
  points: number;
  total: number;
}
interface Charts {
  points: number;
  dailyActivity: ActivityDay[];
  pointsHistory: PointsDay[];
}

const CHARTS =
  'points dailyActivity(days: $days) { day submissions solved points } pointsHistory(days: $days) { day points total }';

async function learner(organizationId: string) {
  const user = await createUser(prisma(), { timeZone: AUCKLAND, organizationId });
  const token = await server.logIn(user.email, FIXTURE_PASSWORD);
  return { user, token };
}

describe('daily activity and points over time', () => {
  it('reads the window in the learner’s local days, with the points from before it in the running total', async () => {
    const { organization } = await createOrganization(prisma(), 'Charts');
    const { user, token } = await learner(organization.id);
    const old = daysAgoAt1230(200);
    const threeAgo = daysAgoAt1230(3);
    const oneAgo = daysAgoAt1230(1);
    const long = await earn(prisma(), { userId: user.id, slug: 'two-sum', at: old, score: 1 });
    await earn(prisma(), { userId: user.id, slug: 'group-anagrams', at: threeAgo, score: 0 });
    const solved = await earn(prisma(), { userId: user.id, slug: 'group-anagrams', at: threeAgo, score: 1 });
    const later = await earn(prisma(), { userId: user.id, slug: 'valid-palindrome', at: oneAgo, score: 1 });
    expect(long.points).toBeGreaterThan(0);
    expect(solved.points).toBeGreaterThan(0);
    expect(later.points).toBeGreaterThan(0);

    const { viewer } = await server.query<{ viewer: Charts }>(token, `query ($days: Int) { viewer { ${CHARTS} } }`, {
      days: 140,
    });
    // Local days: 12:30 UTC is already the next day in Auckland.
    const [threeLocal, oneLocal] = [localDay(AUCKLAND, threeAgo), localDay(AUCKLAND, oneAgo)];
    expect(threeLocal).not.toBe(threeAgo.toISOString().slice(0, 10));
    // The solve 200 days ago is outside the window.
    expect(viewer.dailyActivity).toEqual([
      { day: threeLocal, submissions: 2, solved: 1, points: solved.points },
      { day: oneLocal, submissions: 1, solved: 1, points: later.points },
    ]);

    const history = viewer.pointsHistory;
    const today = localDay(AUCKLAND, new Date());
    expect(history).toHaveLength(140);
    expect(history.at(-1)?.day).toBe(today);
    expect(history[0]?.day).toBe(addDays(today, -139));
    // Every day once, in order.
    expect(history.map((d) => d.day)).toEqual(history.map((_, i) => addDays(today, i - 139)));
    // The first day starts from the points earned before the window.
    expect(history[0]).toEqual({ day: addDays(today, -139), points: 0, total: long.points });
    expect(history.filter((d) => d.points > 0)).toEqual([
      { day: threeLocal, points: solved.points, total: long.points + solved.points },
      { day: oneLocal, points: later.points, total: long.points + solved.points + later.points },
    ]);
    expect(history.at(-1)?.total).toBe(viewer.points);

    // A shorter window reaches less far back.
    const short = await server.query<{ viewer: Charts }>(token, `query ($days: Int) { viewer { ${CHARTS} } }`, {
      days: 2,
    });
    expect(short.viewer.dailyActivity.map((d) => d.day)).toEqual([oneLocal]);
    // (Whether 12:30 UTC yesterday is yesterday or today in Auckland depends on the hour now.)
    expect(short.viewer.pointsHistory).toEqual(
      [addDays(today, -1), today].map((day) => ({
        day,
        points: day === oneLocal ? later.points : 0,
        total: day >= oneLocal ? viewer.points : viewer.points - later.points,
      })),
    );
  });

  it('is empty before any activity, and refuses a window out of bounds, naming it', async () => {
    const { organization } = await createOrganization(prisma(), 'Empty charts');
    const { token } = await learner(organization.id);
    const { viewer } = await server.query<{ viewer: Charts }>(token, `query ($days: Int) { viewer { ${CHARTS} } }`, {});
    expect(viewer).toEqual({ points: 0, dailyActivity: [], pointsHistory: [] });
    for (const days of [0, 367]) {
      const { body } = await server.graphql(
        'query ($days: Int) { viewer { dailyActivity(days: $days) { day } } }',
        { days },
        { authorization: `Bearer ${token}` },
      );
      expect(body.data?.viewer ?? null).toBeNull();
      expect(body.errors?.[0]?.message).toMatch(days === 0 ? /must be at least 1/ : /must be at most 366/);
    }
  });

  it('shows a student’s charts to their instructor, logging the read, and to no other student', async () => {
    const { organization, cls } = await createOrganization(prisma(), 'Taught');
    const { user: student } = await learner(organization.id);
    const { user: classmate, token: classmateToken } = await learner(organization.id);
    const instructor = await createUser(prisma(), { organizationId: organization.id });
    await prisma().membership.update({
      where: { userId_organizationId: { userId: instructor.id, organizationId: organization.id } },
      data: { role: 'INSTRUCTOR' },
    });
    await prisma().enrollment.createMany({
      data: [
        { classId: cls.id, userId: student.id, role: 'STUDENT' },
        { classId: cls.id, userId: classmate.id, role: 'STUDENT' },
        { classId: cls.id, userId: instructor.id, role: 'INSTRUCTOR' },
      ],
    });
    const earned = await earn(prisma(), { userId: student.id, slug: 'two-sum', at: daysAgoAt1230(2), score: 1 });
    const READ = `query ($id: ID!, $days: Int) { node(id: $id) { ... on User { ${CHARTS} } } }`;
    const id = globalId('User', student.id);

    const other = await server.query<{ node: Charts }>(classmateToken, READ, { id, days: 30 });
    expect(other.node).toEqual({ points: earned.points, dailyActivity: [], pointsHistory: [] });

    const instructorToken = await server.logIn(instructor.email, FIXTURE_PASSWORD);
    const logs = () => prisma().accessLog.count({ where: { viewerId: instructor.id, subjectId: student.id } });
    const before = await logs();
    const taught = await server.query<{ node: Charts }>(instructorToken, READ, { id, days: 30 });
    expect(taught.node.dailyActivity).toEqual([
      { day: localDay(AUCKLAND, daysAgoAt1230(2)), submissions: 1, solved: 1, points: earned.points },
    ]);
    expect(taught.node.pointsHistory).toHaveLength(30);
    expect(taught.node.pointsHistory.at(-1)?.total).toBe(earned.points);
    expect(await logs()).toBeGreaterThan(before);
  });

  it('reads a class’s charts in as many statements however many students it has', async () => {
    const classOf = async (students: number) => {
      const { organization, cls } = await createOrganization(prisma(), `Class of ${students}`);
      const instructor = await createUser(prisma(), { organizationId: organization.id });
      await prisma().enrollment.create({ data: { classId: cls.id, userId: instructor.id, role: 'INSTRUCTOR' } });
      for (let i = 0; i < students; i++) {
        const { user } = await learner(organization.id);
        await prisma().enrollment.create({ data: { classId: cls.id, userId: user.id, role: 'STUDENT' } });
        await earn(prisma(), { userId: user.id, slug: 'two-sum', at: daysAgoAt1230(i + 1), score: 1 });
      }
      return { cls, token: await server.logIn(instructor.email, FIXTURE_PASSWORD) };
    };
    const count = async ({ cls, token }: Awaited<ReturnType<typeof classOf>>) => {
      const from = statements.length;
      const data = await server.query<{ node: { students: Charts[] } }>(
        token,
        `query ($id: ID!, $days: Int) { node(id: $id) { ... on Class { students { ${CHARTS} } } } }`,
        { id: globalId('Class', cls.id), days: 30 },
      );
      return {
        students: data.node.students,
        selects: statements.slice(from).filter((sql) => /^\s*SELECT/i.test(sql)).length,
      };
    };
    const one = await count(await classOf(1));
    const four = await count(await classOf(4));
    expect(one.students).toHaveLength(1);
    expect(four.students).toHaveLength(4);
    // Each student's charts were read, not left empty.
    expect(four.students.every((s) => s.dailyActivity.length === 1 && s.pointsHistory.at(-1)?.total === s.points)).toBe(
      true,
    );
    expect(four.selects).toBe(one.selects);
  });
});
