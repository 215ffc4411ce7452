/**
 * Learning paths over GraphQL: a profile validated field by field, a curriculum planned by the
 * built-in planner with topics locked behind their prerequisites, practice mode, pausing and
 * reordering within the prerequisites, and class templates (a cycle refused and named)
 * assigned exactly once. The path query's statement count stays bounded by its depth.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { globalId, rawId, startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
const statements: string[] = [];
beforeAll(async () => {
  server = await startTestServer({ onQuery: (sql) => statements.push(sql) });
});

const TOPIC = `id title order difficulty concept estimatedMinutes objectives locked lockedReason
  prerequisites { id title }
  exercises { order contentItem { id slug } questionPool { id slug } }
  progress { attempts completed unlockedAt }`;
const CURRICULUM = `id title status planner plannerNote totalTopics completedTopics isTemplate topics { ${TOPIC} }`;

interface Topic {
  id: string;
  title: string;
  order: number;
  concept: string;
  locked: boolean;
  lockedReason: string | null;
  prerequisites: { id: string; title: string }[];
  exercises: { contentItem: { slug: string } | null; questionPool: { slug: string } | null }[];
  progress: { completed: boolean; unlockedAt: string | null } | null;
}
interface Curriculum {
  id: string;
  status: string;
  planner: string;
  totalTopics: number;
  completedTopics: number;
  isTemplate: boolean;
  topics: Topic[];
}
type Result<T> = T & {
  __typename: string;
  message?: string;
  issues?: { path: string[]; message: string }[];
  topics?: unknown;
};

const generate = (token: string, input: Record<string, unknown> = {}) =>
  server.query<{ generateCurriculum: Result<Curriculum> }>(
    token,
    `mutation ($input: GenerateCurriculumInput) { generateCurriculum(input: $input) {
      __typename ... on Curriculum { ${CURRICULUM} } ... on InvalidInput { issues { path message } } ... on Error { message } } }`,
    { input },
  );

describe('learning paths over GraphQL', () => {
  it('keeps a profile, naming each bad field', async () => {
    const token = await server.logIn('student2@demo.test');
    const UPDATE = `mutation ($input: UpdateLearningProfileInput!) { updateLearningProfile(input: $input) {
      __typename ... on LearningProfile { skillLevel learningStyle goals weeklyHours preferredTimes practiceMode assessmentCompleted
        preferences { languages tracks sessionMinutes reminders } }
      ... on InvalidInput { issues { path message } } } }`;
    const set = await server.query<{ updateLearningProfile: Result<Record<string, unknown>> }>(token, UPDATE, {
      input: {
        skillLevel: 'INTERMEDIATE',
        learningStyle: 'HANDS_ON',
        goals: ['Pass a coding interview'],
        weeklyHours: 4,
        preferredTimes: ['EVENING', 'WEEKEND'],
        preferences: { languages: ['PYTHON'], sessionMinutes: 45 },
      },
    });
    expect(set.updateLearningProfile).toEqual({
      __typename: 'LearningProfile',
      skillLevel: 'INTERMEDIATE',
      learningStyle: 'HANDS_ON',
      goals: ['Pass a coding interview'],
      weeklyHours: 4,
      preferredTimes: ['EVENING', 'WEEKEND'],
      practiceMode: false,
      assessmentCompleted: false,
      preferences: { languages: ['PYTHON'], tracks: [], sessionMinutes: 45, reminders: false },
    });
    const bad = await server.query<{ updateLearningProfile: Result<Record<string, unknown>> }>(token, UPDATE, {
      input: {
        weeklyHours: 100,
        goals: [''],
        preferredTimes: ['EVENING', 'EVENING'],
        preferences: { sessionMinutes: 5 },
      },
    });
    expect(bad.updateLearningProfile.__typename).toBe('InvalidInput');
    expect(bad.updateLearningProfile.issues).toEqual(
      expect.arrayContaining([
        { path: ['input', 'weeklyHours'], message: 'must be 0.5 to 40' },
        { path: ['input', 'goals', '0'], message: 'must not be empty' },
        { path: ['input', 'preferredTimes'], message: 'must not repeat a time' },
        { path: ['input', 'preferences', 'sessionMinutes'], message: 'must be 10 to 240' },
      ]),
    );
    // Nothing of the bad input was written.
    const stored = await server.database.prisma.learningProfile.findFirstOrThrow({
      where: { user: { email: 'student2@demo.test' } },
    });
    expect(stored.weeklyHours).toBe(4);
  });

  it('plans a path with the built-in planner: prerequisites first, later topics locked, practice mode opens them', async () => {
    const token = await server.logIn('student3@demo.test');
    const { generateCurriculum: curriculum } = await generate(token, { weeklyHours: 10, idempotencyKey: 'path-1' });
    expect(curriculum).toMatchObject({
      __typename: 'Curriculum',
      status: 'ACTIVE',
      planner: 'BUILTIN',
      isTemplate: false,
    });
    expect(curriculum.totalTopics).toBe(curriculum.topics.length);
    expect(curriculum.completedTopics).toBe(0);
    const [first, ...rest] = curriculum.topics;
    expect(first).toMatchObject({
      concept: 'COMPLEXITY',
      order: 1,
      locked: false,
      lockedReason: null,
      prerequisites: [],
    });
    expect(first?.progress?.unlockedAt).not.toBeNull();
    const hashing = rest.find((t) => t.concept === 'HASHING');
    expect(hashing).toMatchObject({ locked: true, lockedReason: expect.stringContaining('Waits for Complexity') });
    expect(hashing?.exercises.map((e) => e.contentItem?.slug ?? e.questionPool?.slug)).toContain(
      'algorithms-foundations',
    );
    expect(hashing?.exercises.some((e) => e.contentItem !== null)).toBe(true);
    // Every prerequisite comes first.
    for (const topic of curriculum.topics) {
      for (const p of topic.prerequisites) {
        expect(curriculum.topics.findIndex((t) => t.id === p.id)).toBeLessThan(topic.order - 1);
      }
    }
    // A retry with the same key is the same curriculum.
    expect((await generate(token, { weeklyHours: 10, idempotencyKey: 'path-1' })).generateCurriculum.id).toBe(
      curriculum.id,
    );
    // Two at once with one key: one curriculum.
    const twice = await Promise.all([
      generate(token, { weeklyHours: 10, idempotencyKey: 'path-2' }),
      generate(token, { weeklyHours: 10, idempotencyKey: 'path-2' }),
    ]);
    expect(twice[0].generateCurriculum.id).toBe(twice[1].generateCurriculum.id);
    expect(await server.database.prisma.curriculum.count({ where: { idempotencyKey: 'path-2' } })).toBe(1);
    await server.query(token, 'mutation { updateLearningProfile(input: { practiceMode: true }) { __typename } }');
    const open = await server.query<{ viewer: { curriculum: Curriculum } }>(
      token,
      `{ viewer { curriculum { ${CURRICULUM} } } }`,
    );
    expect(open.viewer.curriculum.topics.every((t) => !t.locked)).toBe(true);
    await server.query(token, 'mutation { updateLearningProfile(input: { practiceMode: false }) { __typename } }');
  });

  it('pauses and resumes, and reorders only within the prerequisites', async () => {
    const token = await server.logIn('student3@demo.test');
    const PAUSE = 'mutation { pauseCurriculum { __typename ... on Curriculum { status } } }';
    expect((await server.query<{ pauseCurriculum: { status: string } }>(token, PAUSE)).pauseCurriculum.status).toBe(
      'PAUSED',
    );
    expect((await server.query<{ pauseCurriculum: { status: string } }>(token, PAUSE)).pauseCurriculum.status).toBe(
      'PAUSED',
    );
    const resumed = await server.query<{ resumeCurriculum: { status: string } }>(
      token,
      'mutation { resumeCurriculum { __typename ... on Curriculum { status } } }',
    );
    expect(resumed.resumeCurriculum.status).toBe('ACTIVE');

    const { viewer } = await server.query<{ viewer: { curriculum: Curriculum } }>(
      token,
      `{ viewer { curriculum { ${CURRICULUM} } } }`,
    );
    const topics = viewer.curriculum.topics;
    const REORDER = `mutation ($input: ReorderTopicsInput!) { reorderTopics(input: $input) {
      __typename ... on Curriculum { topics { id concept } } ... on InvalidInput { issues { path message } } } }`;
    // Two topics ready after COMPLEXITY swap places: allowed.
    const ready = topics.filter((t) => t.prerequisites.length === 1 && t.prerequisites[0]?.id === topics[0]?.id);
    expect(ready.length).toBeGreaterThanOrEqual(2);
    const ids = topics.map((t) => t.id);
    const [x, y] = [ids.indexOf(ready[0]?.id ?? ''), ids.indexOf(ready[1]?.id ?? '')];
    const swapped = [...ids];
    [swapped[x], swapped[y]] = [ids[y] ?? '', ids[x] ?? ''];
    const ok = await server.query<{ reorderTopics: Result<{ topics: { id: string }[] }> }>(token, REORDER, {
      input: { topicIds: swapped },
    });
    expect(ok.reorderTopics.topics.map((t) => t.id)).toEqual(swapped);
    // COMPLEXITY after one that waits for it: refused, naming both.
    const late = [...swapped.slice(1, 3), swapped[0] ?? '', ...swapped.slice(3)];
    const refused = await server.query<{ reorderTopics: Result<object> }>(token, REORDER, {
      input: { topicIds: late },
    });
    expect(refused.reorderTopics.__typename).toBe('InvalidInput');
    expect(refused.reorderTopics.issues?.[0]?.message).toMatch(/must come after its prerequisite "Complexity"/);
    const missing = await server.query<{ reorderTopics: Result<object> }>(token, REORDER, {
      input: { topicIds: swapped.slice(1) },
    });
    expect(missing.reorderTopics.issues).toEqual([
      { path: ['input', 'topicIds'], message: 'must name every topic of your curriculum once' },
    ]);
  });

  it('refuses a template whose prerequisites form a cycle, naming it, and assigns a good one once per student', async () => {
    const instructor = await server.logIn('instructor@demo.test');
    const cls = await server.database.prisma.class.findFirstOrThrow();
    const pool = await server.database.prisma.questionPool.findFirstOrThrow({
      where: { slug: 'algorithms-foundations' },
    });
    const items = await server.database.prisma.contentItem.findMany({
      where: { pattern: { in: ['HASHING', 'TWO_POINTERS'] }, rung: 1 },
      orderBy: { pattern: 'asc' },
    });
    const topic = (key: string, prerequisites: string[], exercises: Record<string, string>[]) => ({
      key,
      title: `Week ${key}`,
      description: 'Read and practise.',
      difficulty: 3,
      objectives: ['Practise'],
      estimatedMinutes: 30,
      concept: 'HASHING',
      prerequisites,
      exercises,
    });
    const CREATE = `mutation ($input: CreateCurriculumTemplateInput!) { createCurriculumTemplate(input: $input) {
      __typename ... on Curriculum { ${CURRICULUM} } ... on CurriculumCycle { cycle message }
      ... on InvalidInput { issues { path message } } ... on Error { message } } }`;
    const poolExercise = { questionPoolId: globalId('QuestionPool', pool.id) };
    const cycle = await server.query<{ createCurriculumTemplate: Result<{ cycle: string[] }> }>(instructor, CREATE, {
      input: {
        classId: globalId('Class', cls.id),
        title: 'Loop',
        topics: [
          topic('1', ['3'], [poolExercise]),
          topic('2', ['1'], [poolExercise]),
          topic('3', ['2'], [poolExercise]),
        ],
      },
    });
    expect(cycle.createCurriculumTemplate).toMatchObject({
      __typename: 'CurriculumCycle',
      cycle: ['Week 1', 'Week 2', 'Week 3'],
      message: 'The prerequisites form a cycle: Week 1 → Week 2 → Week 3 → Week 1.',
    });
    const empty = await server.query<{ createCurriculumTemplate: Result<object> }>(instructor, CREATE, {
      input: {
        classId: globalId('Class', cls.id),
        title: 'Empty',
        topics: [topic('1', [], []), topic('2', ['1'], [poolExercise])],
      },
    });
    expect(empty.createCurriculumTemplate.issues).toEqual([
      {
        path: ['input', 'topics', '0', 'exercises'],
        message: 'has no exercise, so it could never be completed, and Week 2 would wait for it forever',
      },
    ]);
    expect(await server.database.prisma.curriculum.count({ where: { userId: null } })).toBe(0);

    const student = await server.logIn('student1@demo.test');
    const refused = await server.query<{ createCurriculumTemplate: Result<object> }>(student, CREATE, {
      input: { classId: globalId('Class', cls.id), title: 'Mine', topics: [topic('1', [], [poolExercise])] },
    });
    expect(refused.createCurriculumTemplate.__typename).toBe('Forbidden');

    const created = await server.query<{ createCurriculumTemplate: Result<Curriculum> }>(instructor, CREATE, {
      input: {
        classId: globalId('Class', cls.id),
        title: 'Hashing then two pointers',
        topics: [
          topic('1', [], [{ contentItemId: globalId('ContentItem', items[0]?.id ?? '') }, poolExercise]),
          topic('2', ['1'], [{ contentItemId: globalId('ContentItem', items[1]?.id ?? '') }]),
        ],
      },
    });
    const template = created.createCurriculumTemplate;
    expect(template).toMatchObject({
      __typename: 'Curriculum',
      status: 'DRAFT',
      planner: 'INSTRUCTOR',
      isTemplate: true,
    });
    expect(template.topics.map((t) => t.locked)).toEqual([false, false]);
    const ASSIGN = `mutation ($input: AssignCurriculumInput!) { assignCurriculum(input: $input) {
      __typename ... on AssignedCurricula { curricula { id status planner topics { title locked progress { unlockedAt } } } } ... on Error { message } } }`;
    const assign = () =>
      server.query<{ assignCurriculum: Result<{ curricula: (Curriculum & { topics: Topic[] })[] }> }>(
        instructor,
        ASSIGN,
        {
          input: { templateId: template.id },
        },
      );
    const [one, two] = await Promise.all([assign(), assign()]);
    expect(one.assignCurriculum.curricula).toHaveLength(3);
    expect(two.assignCurriculum.curricula.map((c) => c.id).sort()).toEqual(
      one.assignCurriculum.curricula.map((c) => c.id).sort(),
    );
    expect(one.assignCurriculum.curricula[0]?.topics.map((t) => [t.title, t.locked])).toEqual([
      ['Week 1', false],
      ['Week 2', true],
    ]);
    const fromTemplate = await server.database.prisma.curriculum.findMany({
      where: { templateId: rawId(template.id) },
    });
    expect(fromTemplate).toHaveLength(3);
    // Each student has one current curriculum; student3's own plan was kept aside.
    const current = await server.database.prisma.curriculum.groupBy({
      by: ['userId'],
      where: { replacedAt: null, userId: { not: null } },
      _count: true,
    });
    expect(current.every((c) => c._count === 1)).toBe(true);
    const mine = await server.query<{ viewer: { curriculum: { id: string; planner: string } } }>(
      student,
      '{ viewer { curriculum { id planner } } }',
    );
    expect(mine.viewer.curriculum.planner).toBe('INSTRUCTOR');
  });

  it('reads the path in as many statements however many topics it has', async () => {
    const PATH = `{ viewer { curriculum { ${CURRICULUM} }
      nextStep { kind reason topic { title locked } exercise { contentItem { slug } questionPool { slug } } } } }`;
    const count = async (token: string) => {
      const from = statements.length;
      const data = await server.query<{
        viewer: { curriculum: Curriculum; nextStep: { kind: string; topic: { locked: boolean } } | null };
      }>(token, PATH);
      expect(data.viewer.nextStep).toMatchObject({ topic: { locked: false } });
      return {
        topics: data.viewer.curriculum.topics.length,
        selects: statements.slice(from).filter((sql) => /^\s*SELECT/i.test(sql)).length,
      };
    };
    // student1 follows the two-topic template; student3 gets a planned path of many topics.
    const small = await count(await server.logIn('student1@demo.test'));
    const student3 = await server.logIn('student3@demo.test');
    await generate(student3, { weeklyHours: 20 });
    const large = await count(student3);
    expect(small.topics).toBe(2);
    expect(large.topics).toBeGreaterThan(5);
    expect(large.selects).toBe(small.selects);
    expect(large.selects).toBeLessThanOrEqual(12);
  });
});
