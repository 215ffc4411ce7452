/**
 * The curriculum planner on the Anthropic client, driven through the real SDK against a local
 * server that speaks the Messages API: a valid plan is stored as the model's; a plan with a
 * cycle, an unknown or unpublished item, a made-up concept, too many minutes (stated or
 * understated), invalid output or an unavailable upstream falls back to the built-in planner,
 * with a note naming why; every call is kept as an LlmInteraction of purpose CURRICULUM.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ContentItem } from '../api/generated/prisma/client.js';
import { PLAN_WEEKS } from '../api/paths/plan.js';
import {
  errorReply,
  type MessagesApi,
  type Reply,
  startMessagesApi,
  TEST_API_KEY,
  TEST_MODEL,
  toolStream,
} from './support/messages-api.js';
import { startTestServer, type TestServer } from './support/server.js';

const TOOL = 'record_curriculum_plan';

let api: MessagesApi;
let server: TestServer;
/** Published items of the demo catalog, by pattern (the first rung), and a draft nobody can open. */
let items: { hashing: ContentItem; pointers: ContentItem; window: ContentItem; draft: ContentItem };
let allPublished: ContentItem[];
let poolId: string;

beforeAll(async () => {
  api = await startMessagesApi();
  server = await startTestServer({
    env: { ANTHROPIC_API_KEY: TEST_API_KEY, ANTHROPIC_BASE_URL: api.baseURL, ANTHROPIC_MODEL: TEST_MODEL },
  });
  const { prisma } = server.database;
  const first = (pattern: string) =>
    prisma.contentItem.findFirstOrThrow({
      where: { pattern, organizationId: null, currentVersionId: { not: null } },
      orderBy: [{ rung: 'asc' }, { slug: 'asc' }],
    });
  const draft = await prisma.contentItem.create({
    data: {
      slug: 'planner-unpublished-draft',
      track: 'CODING_INTERVIEW',
      title: 'Unpublished draft',
      summary: 'Never published.',
      difficulty: 'EASY',
      pattern: 'HASHING',
      rung: 1,
      tags: [],
      estimatedMinutes: 10,
      basePoints: 10,
      timeBonusPoints: 0,
    },
  });
  items = {
    hashing: await first('HASHING'),
    pointers: await first('TWO_POINTERS'),
    window: await first('SLIDING_WINDOW'),
    draft,
  };
  allPublished = await prisma.contentItem.findMany({
    where: { organizationId: null, currentVersionId: { not: null } },
  });
  poolId = (await prisma.questionPool.findFirstOrThrow({ where: { slug: 'algorithms-foundations' } })).id;
}, 120_000);

/** A new student of the demo organization: their token and id. */
async function newStudent(profile: Record<string, unknown> = {}): Promise<{ token: string; userId: string }> {
  const email = `planner-${randomUUID()}@demo.test`;
  const { body } = await server.graphql<{ signUp: { token?: string; user?: { id: string } } }>(
    `mutation ($input: SignUpInput!) { signUp(input: $input) { ... on AuthPayload { token user { id } } } }`,
    { input: { email, name: 'Planner Student', password: 'practice-planner', organizationSlug: 'demo-university' } },
  );
  const token = body.data?.signUp.token;
  if (!token) throw new Error(`sign-up failed: ${JSON.stringify(body)}`);
  const user = await server.database.prisma.user.findUniqueOrThrow({ where: { email } });
  if (Object.keys(profile).length > 0) {
    await server.query(
      token,
      'mutation ($input: UpdateLearningProfileInput!) { updateLearningProfile(input: $input) { __typename } }',
      { input: profile },
    );
  }
  return { token, userId: user.id };
}

interface Topic {
  title: string;
  order: number;
  concept: string;
  difficulty: number;
  estimatedMinutes: number;
  objectives: string[];
  locked: boolean;
  prerequisites: { title: string }[];
  exercises: { order: number; contentItem: { id: string } | null; questionPool: { id: string } | null }[];
}
interface Curriculum {
  __typename: string;
  title: string;
  planner: string;
  plannerNote: string;
  topics: Topic[];
}

const generate = async (token: string, input: Record<string, unknown> = {}) =>
  (
    await server.query<{ generateCurriculum: Curriculum }>(
      token,
      `mutation ($input: GenerateCurriculumInput) { generateCurriculum(input: $input) {
        __typename ... on Error { message }
        ... on Curriculum { title planner plannerNote topics {
          title order concept difficulty estimatedMinutes objectives locked prerequisites { title }
          exercises { order contentItem { id } questionPool { id } } } } } }`,
      { input },
    )
  ).generateCurriculum;

const interactions = (userId: string) =>
  server.database.prisma.llmInteraction.findMany({
    where: { userId, purpose: 'CURRICULUM' },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });

/** Three topics: hashing and two pointers, then the sliding window that waits for both. */
function goodPlan() {
  return {
    title: 'Interview path',
    topics: [
      {
        key: 'hashing',
        title: 'Hash maps first',
        description: 'Lookups in **O(1)**.',
        difficulty: 3,
        objectives: ['Count with a map'],
        estimatedMinutes: items.hashing.estimatedMinutes + 15,
        concept: 'HASHING',
        prerequisites: [] as string[],
        exercises: [{ questionPoolId: poolId }, { contentItemId: items.hashing.id }] as object[],
      },
      {
        key: 'pointers',
        title: 'Two pointers',
        description: 'Two indices instead of two loops.',
        difficulty: 3,
        objectives: ['Walk from both ends'],
        // Understated: stored as the item's own estimate.
        estimatedMinutes: 1,
        concept: 'TWO_POINTERS',
        prerequisites: [] as string[],
        exercises: [{ contentItemId: items.pointers.id }] as object[],
      },
      {
        key: 'window',
        title: 'Sliding window',
        description: 'A window that grows and shrinks.',
        difficulty: 5,
        objectives: ['Keep a window invariant'],
        estimatedMinutes: items.window.estimatedMinutes,
        concept: 'SLIDING_WINDOW',
        prerequisites: ['hashing', 'pointers'],
        exercises: [{ contentItemId: items.window.id }] as object[],
      },
    ],
  };
}

/** What the built-in planner makes for a new student: the graph's foundations first. */
function expectBuiltin(curriculum: Curriculum, reason: string | RegExp) {
  expect(curriculum.__typename).toBe('Curriculum');
  expect(curriculum.planner).toBe('BUILTIN');
  expect(curriculum.topics[0]?.concept).toBe('COMPLEXITY');
  expect(curriculum.topics.map((topic) => topic.title)).not.toContain('Hash maps first');
  if (typeof reason === 'string') expect(curriculum.plannerNote).toBe(reason);
  else expect(curriculum.plannerNote).toMatch(reason);
}

describe('the model-backed curriculum planner', () => {
  it("stores a valid plan as the model's, from a prompt with the profile, the mastery, the graph and the catalog", async () => {
    const { token, userId } = await newStudent({
      skillLevel: 'INTERMEDIATE',
      learningStyle: 'READING',
      goals: ['Pass a coding interview'],
      weeklyHours: 4,
    });
    await server.database.prisma.userMastery.create({
      data: { userId, track: 'CODING_INTERVIEW', pattern: 'STACK', mastery: 0.9, evidenceCount: 3 },
    });
    api.script([toolStream(TOOL, goodPlan())]);
    const curriculum = await generate(token, { idempotencyKey: 'model-path' });

    expect(curriculum).toMatchObject({ __typename: 'Curriculum', title: 'Interview path', planner: 'ANTHROPIC' });
    expect(curriculum.plannerNote).toBe(
      `Planned by anthropic:${TEST_MODEL}: 3 topics, ${items.hashing.estimatedMinutes + 15 + items.pointers.estimatedMinutes + items.window.estimatedMinutes} minutes of the ${4 * 60 * PLAN_WEEKS} the weekly hours allow; checked against the catalog, the prerequisites and the weekly time.`,
    );
    expect(curriculum.topics.map((t) => [t.order, t.title, t.concept, t.locked])).toEqual([
      [1, 'Hash maps first', 'HASHING', false],
      [2, 'Two pointers', 'TWO_POINTERS', false],
      [3, 'Sliding window', 'SLIDING_WINDOW', true],
    ]);
    const [hashing, pointers, window] = curriculum.topics;
    expect(window?.prerequisites.map((p) => p.title).sort()).toEqual(['Hash maps first', 'Two pointers']);
    expect(hashing?.exercises).toEqual([
      { order: 1, contentItem: null, questionPool: { id: expect.any(String) } },
      { order: 2, contentItem: { id: expect.any(String) }, questionPool: null },
    ]);
    expect(hashing).toMatchObject({ difficulty: 3, objectives: ['Count with a map'] });
    // A model cannot fit the weekly time by understating minutes: a topic takes its exercises' time.
    expect(pointers?.estimatedMinutes).toBe(items.pointers.estimatedMinutes);
    const stored = await server.database.prisma.curriculum.findFirstOrThrow({
      where: { userId, replacedAt: null },
      include: { topics: { include: { exercises: true }, orderBy: { order: 'asc' } } },
    });
    expect(stored.topics[0]?.exercises.map((e) => e.questionPoolId ?? e.contentItemId)).toEqual([
      poolId,
      items.hashing.id,
    ]);

    // One forced tool call whose input schema is the plan's.
    expect(api.requests).toHaveLength(1);
    const sent = api.requests[0]?.body;
    expect(sent?.tool_choice).toEqual({ type: 'tool', name: TOOL });
    expect(sent?.tools.map((t) => t.name)).toEqual([TOOL]);
    expect(JSON.stringify(sent?.tools[0]?.input_schema)).toContain('"prerequisites"');
    const prompt = sent?.messages[0]?.content;
    if (typeof prompt !== 'string') throw new Error('the prompt is not one text');
    expect(prompt).toContain('"skillLevel":"INTERMEDIATE","learningStyle":"READING","weeklyHours":4');
    expect(prompt).toContain(`"budgetMinutes":${4 * 60 * PLAN_WEEKS}`);
    expect(prompt).toContain('"goals":["Pass a coding interview"]');
    expect(prompt).toContain('["STACK","Stacks",4,["COMPLEXITY"],["STACK"],0.9]');
    expect(prompt).toContain('["HASHING","Hashing",3,["COMPLEXITY"],["HASHING"],null]');
    // The catalog: every published item (with its title and minutes) and the pools; no draft.
    for (const item of allPublished) {
      expect(prompt).toContain(
        JSON.stringify([item.id, item.title, item.track, item.pattern, item.rung, item.estimatedMinutes]),
      );
    }
    expect(prompt).not.toContain(items.draft.id);
    expect(prompt).toMatch(new RegExp(`\\["${poolId}","[^"]+",\\[[^\\]]*"HASHING"`));

    const [call, ...more] = await interactions(userId);
    expect(more).toEqual([]);
    expect(call).toMatchObject({
      model: TEST_MODEL,
      error: null,
      flagged: false,
      attemptId: null,
      tokensIn: 1200,
      tokensOut: 180,
      stopReason: 'tool_use',
    });
    expect(JSON.parse(call?.response ?? '')).toEqual(goodPlan());
    const demo = await server.database.prisma.organization.findUniqueOrThrow({ where: { slug: 'demo-university' } });
    expect(call?.organizationId).toBe(demo.id);
    // The learner finds the call in their own LLM log, by its purpose.
    const log = await server.query<{ llmInteractions: { edges: { node: { purpose: string; model: string } }[] } }>(
      token,
      '{ llmInteractions { ... on QueryLlmInteractionsConnection { edges { node { purpose model } } } } }',
    );
    expect(log.llmInteractions.edges.map((e) => e.node)).toEqual([{ purpose: 'CURRICULUM', model: TEST_MODEL }]);

    // A retry under the same key is the same curriculum, and asks no model.
    api.script([toolStream(TOOL, goodPlan())]);
    expect((await generate(token, { idempotencyKey: 'model-path' })).title).toBe('Interview path');
    expect(api.requests).toHaveLength(0);
    expect(await interactions(userId)).toHaveLength(1);
  });

  const refusals: [string, (plan: ReturnType<typeof goodPlan>) => void, number, RegExp][] = [
    [
      'a prerequisite cycle',
      (plan) => {
        plan.topics[0]?.prerequisites.push('window');
      },
      4,
      /^The model's plan was refused: topics: the prerequisites form a cycle: Hash maps first → Sliding window → Hash maps first; the built-in planner made this one\.$/,
    ],
    [
      'an unknown content item',
      (plan) => {
        const topic = plan.topics[2];
        if (topic) topic.exercises = [{ contentItemId: randomUUID() }];
      },
      4,
      /^The model's plan was refused: topics\.2\.exercises\.0\.contentItemId: is not a published content item the learner can open; the built-in planner made this one\.$/,
    ],
    [
      'an unpublished content item',
      (plan) => {
        plan.topics[0]?.exercises.push({ contentItemId: items.draft.id });
      },
      4,
      /^The model's plan was refused: topics\.0\.exercises\.2\.contentItemId: is not a published content item/,
    ],
    [
      'an unknown question pool',
      (plan) => {
        const topic = plan.topics[0];
        if (topic) topic.exercises = [{ questionPoolId: randomUUID() }];
      },
      4,
      /^The model's plan was refused: topics\.0\.exercises\.0\.questionPoolId: is not a question pool the learner can take tests on;/,
    ],
    [
      'more minutes than the weekly time',
      (plan) => {
        for (const topic of plan.topics) topic.estimatedMinutes = 200;
      },
      0.5,
      new RegExp(
        `^The model's plan was refused: topics: takes 600 minutes, more than the ${0.5 * 60 * PLAN_WEEKS} the weekly hours allow over ${PLAN_WEEKS} weeks; the built-in planner made this one\\.$`,
      ),
    ],
    [
      "understated minutes (the exercises' own exceed the weekly time)",
      (plan) => {
        const topic = plan.topics[0];
        if (topic) {
          // As many as a topic may hold; any 20 of the catalog take more than 360 minutes.
          topic.exercises = allPublished.slice(0, 20).map((item) => ({ contentItemId: item.id }));
          topic.estimatedMinutes = 10;
        }
      },
      0.5,
      /^The model's plan was refused: topics: takes \d+ minutes, more than the 360 the weekly hours allow/,
    ],
    [
      'a concept outside the graph',
      (plan) => {
        const topic = plan.topics[1];
        if (topic) topic.concept = 'RECURSION';
      },
      4,
      /^The model's plan was refused: topics\.1\.concept: "RECURSION" is not a concept of the graph;/,
    ],
  ];

  it.each(refusals)(
    'falls back to the built-in planner on a plan with %s, naming why',
    async (_, spoil, hours, note) => {
      const { token, userId } = await newStudent({ weeklyHours: hours });
      const plan = goodPlan();
      spoil(plan);
      api.script([toolStream(TOOL, plan)]);
      expectBuiltin(await generate(token), note);
      expect(api.requests).toHaveLength(1);
      // The refused call is kept, flagged, with its output.
      const rows = await interactions(userId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ flagged: true, flagReason: expect.stringMatching(/^PLAN_REFUSED: /) });
      expect(rows[0]?.error).toMatch(/^plan refused: /);
      expect(JSON.parse(rows[0]?.response ?? '')).toEqual(plan);
    },
  );

  it('falls back on tool output that breaks the plan schema, naming the field', async () => {
    const { token, userId } = await newStudent();
    const plan = goodPlan();
    if (plan.topics[1]) plan.topics[1].difficulty = 11;
    api.script([toolStream(TOOL, plan)]);
    expectBuiltin(
      await generate(token),
      "The model's output was invalid: topics.1.difficulty: must be 1 to 10; the built-in planner made this one.",
    );
    const rows = await interactions(userId);
    expect(rows.map((row) => row.flagReason)).toEqual(['INVALID_OUTPUT: topics.1.difficulty: must be 1 to 10']);
  });

  it('falls back on a tool input cut short', async () => {
    const { token, userId } = await newStudent();
    api.script([toolStream(TOOL, '{"title": "Broken", "topics": [')]);
    expectBuiltin(await generate(token), /^The model's output was invalid: .+; the built-in planner made this one\.$/);
    const rows = await interactions(userId);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.flagReason).toMatch(/^INVALID_OUTPUT: /);
  });

  const outages: [string, Reply, string][] = [
    ['500s', errorReply(500, 'api_error'), 'UPSTREAM_ERROR, HTTP 500'],
    ['overloaded (529)', errorReply(529, 'overloaded_error'), 'UPSTREAM_OVERLOADED, HTTP 529'],
  ];

  it.each(outages)(
    'falls back when the upstream keeps answering %s, after the bounded retries',
    async (_, reply, why) => {
      const { token, userId } = await newStudent();
      api.script([reply]);
      expectBuiltin(await generate(token), `The model was unavailable (${why}); the built-in planner made this one.`);
      // Three attempts, each kept.
      expect(api.requests).toHaveLength(3);
      const rows = await interactions(userId);
      expect(rows).toHaveLength(3);
      for (const row of rows) expect(row.error).toMatch(new RegExp(`^upstream HTTP ${why.slice(-3)}: `));
    },
  );

  it('keeps the plan of an attempt that succeeds after an overloaded one, with both calls', async () => {
    const { token, userId } = await newStudent();
    api.script([errorReply(529, 'overloaded_error'), toolStream(TOOL, goodPlan())]);
    expect(await generate(token)).toMatchObject({ planner: 'ANTHROPIC', title: 'Interview path' });
    const rows = await interactions(userId);
    expect(rows.map((row) => [row.error?.slice(0, 17) ?? null, row.flagged])).toEqual([
      ['upstream HTTP 529', false],
      [null, false],
    ]);
  });
});
