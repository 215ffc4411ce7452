/**
 * Learning paths: a learner's profile, their curriculum (planned for them, or assigned from a
 * class template), pausing, resuming and reordering it within its prerequisites. Plans are
 * checked by the paths engine (api/paths/plan.ts) before anything is written, and written in
 * one transaction.
 */
import { z } from 'zod';
import { conceptMastery } from '../adaptive/engine.js';
import { requireViewer, type Viewer } from '../auth/viewer.js';
import type { PrismaClient } from '../db.js';
import { AppError, ConflictError, InvalidInputError, NotFoundError, parseInput } from '../errors.js';
import type { AdaptiveOptions } from '../adaptive/pools.js';
import { type AdaptiveTestSession, type Curriculum, type LearningProfile, Prisma } from '../generated/prisma/client.js';
import { Language, LearningStyle, SkillLevel, StudyTime, Track } from '../generated/prisma/enums.js';
import { recordInteractions } from '../llm/record.js';
import { conceptOfPattern } from '../paths/concepts.js';
import { retrievability, type StoredCard } from '../paths/reviews.js';
import { checkPlan, type Plan, PLAN_WEEKS, type PlanIssue, plannedTopicSchema, type PlanWorld } from '../paths/plan.js';
import { type CurriculumPlanner, planCurriculum, type PlanRequest } from '../paths/planner.js';
import { effectiveStatus, startAdaptiveTest, visiblePoolsWhere } from './adaptive.js';
import { visibleContentWhere } from './content.js';
import { managedClass } from './organizations.js';
import { idempotencyKeySchema } from './practice.js';

/** The prerequisites of a plan form a cycle; nothing was written. */
export class CurriculumCycleError extends AppError {
  override name = 'CurriculumCycleError';
  constructor(
    /** The topics of the cycle, by title, in the order they wait for each other. */
    readonly topics: string[],
  ) {
    super(`The prerequisites form a cycle: ${[...topics, topics[0]].join(' → ')}.`);
  }
}

const preferencesSchema = z
  .object({
    languages: z.array(z.enum(Language)).max(10).nullish(),
    tracks: z.array(z.enum(Track)).max(10).nullish(),
    sessionMinutes: z.number().int().min(10, 'must be 10 to 240').max(240, 'must be 10 to 240').nullish(),
    reminders: z.boolean().nullish(),
  })
  .strict()
  // Stored without the fields left out.
  .transform((p) => Object.fromEntries(Object.entries(p).filter(([, value]) => value != null)) as Preferences);

interface Preferences {
  languages?: Language[];
  tracks?: Track[];
  sessionMinutes?: number;
  reminders?: boolean;
}

/** A profile's preferences, as stored (validated when written). */
export type LearningPreferences = Preferences;

const weeklyHours = z.number().min(0.5, 'must be 0.5 to 40').max(40, 'must be 0.5 to 40');
const goals = z.array(z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters')).max(10);

const profileSchema = z.object({
  skillLevel: z.enum(SkillLevel).nullish(),
  learningStyle: z.enum(LearningStyle).nullish(),
  goals: goals.nullish(),
  weeklyHours: weeklyHours.nullish(),
  preferredTimes: z
    .array(z.enum(StudyTime))
    .max(5)
    .refine((times) => new Set(times).size === times.length, 'must not repeat a time')
    .nullish(),
  preferences: preferencesSchema.nullish(),
  practiceMode: z.boolean().nullish(),
});

/** A stored profile's preferences (an empty object for none). */
export function preferencesOf(profile: Pick<LearningProfile, 'preferences'>): LearningPreferences {
  const parsed = preferencesSchema.safeParse(profile.preferences);
  return parsed.success ? parsed.data : {};
}

/** Sets the fields given of the viewer's learning profile (creating it); the others stay. */
export async function updateLearningProfile(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  input: z.input<typeof profileSchema>,
): Promise<LearningProfile> {
  const viewer = requireViewer(viewerOrNull, 'Sign in to keep a learning profile.');
  const data = parseInput(profileSchema, input);
  const fields = {
    ...(data.skillLevel ? { skillLevel: data.skillLevel } : {}),
    ...(data.learningStyle ? { learningStyle: data.learningStyle } : {}),
    ...(data.goals ? { goals: data.goals } : {}),
    ...(data.weeklyHours != null ? { weeklyHours: data.weeklyHours } : {}),
    ...(data.preferredTimes ? { preferredTimes: data.preferredTimes } : {}),
    ...(data.preferences ? { preferences: { ...data.preferences } } : {}),
    ...(data.practiceMode != null ? { practiceMode: data.practiceMode } : {}),
  };
  return prisma.learningProfile.upsert({
    where: { userId: viewer.userId },
    create: { userId: viewer.userId, ...fields },
    update: fields,
  });
}

/** The learner's mastery per concept: adaptive tests' θ, and evaluations' mastery of patterns; the higher. */
async function masteryOf(prisma: PrismaClient, userId: string): Promise<Map<string, number>> {
  const [proficiency, patterns] = await Promise.all([
    prisma.conceptProficiency.findMany({ where: { userId }, select: { concept: true, theta: true } }),
    prisma.userMastery.findMany({ where: { userId }, select: { pattern: true, mastery: true } }),
  ]);
  const mastery = new Map<string, number>();
  const raise = (concept: string | undefined, value: number) => {
    if (concept) mastery.set(concept, Math.max(mastery.get(concept) ?? 0, value));
  };
  for (const p of proficiency) raise(p.concept, conceptMastery(p.theta));
  for (const m of patterns) raise(conceptOfPattern(m.pattern), m.mastery);
  return mastery;
}

/** What a plan for the viewer may use: the published items and the pools they can reach. */
async function worldOf(prisma: PrismaClient, viewer: Viewer, weekly: number | null) {
  const [items, pools] = await Promise.all([
    prisma.contentItem.findMany({
      where: { AND: [visibleContentWhere(viewer), { currentVersionId: { not: null } }] },
      select: { id: true, title: true, track: true, pattern: true, rung: true, estimatedMinutes: true },
    }),
    prisma.questionPool.findMany({
      where: visiblePoolsWhere(viewer),
      select: { id: true, name: true, concepts: true },
    }),
  ]);
  const world: PlanWorld = {
    items: new Map(items.map((item) => [item.id, item])),
    pools: new Set(pools.map((pool) => pool.id)),
    budgetMinutes: weekly === null ? null : weekly * 60 * PLAN_WEEKS,
  };
  return { items, pools, world };
}

/** The plan's issues as bad input under `input.<at>`, or its cycle. */
function refusal(issues: PlanIssue[], cycle: string[] | null, at: string[]): AppError {
  if (cycle) return new CurriculumCycleError(cycle);
  return new InvalidInputError(
    issues.map((issue) => ({ path: [...at, ...issue.path.map(String)], message: issue.message })),
  );
}

/**
 * Takes the learner's row for the transaction: their curriculum changes one after another (a
 * lock that does not block rows that merely refer to the user).
 */
async function lockLearner(tx: Prisma.TransactionClient, userId: string): Promise<void> {
  await tx.$queryRaw`SELECT "id" FROM "User" WHERE "id" = ${userId}::uuid FOR NO KEY UPDATE`;
}

/** Writes a checked plan as the learner's current curriculum, replacing the one they had (kept, with `replacedAt`). */
async function writeCurriculum(
  tx: Prisma.TransactionClient,
  plan: Plan,
  data: Pick<Prisma.CurriculumUncheckedCreateInput, 'planner' | 'goals' | 'weeklyHours' | 'plannerNote'> &
    Partial<
      Pick<
        Prisma.CurriculumUncheckedCreateInput,
        'userId' | 'classId' | 'templateId' | 'createdById' | 'idempotencyKey' | 'status'
      >
    >,
): Promise<Curriculum> {
  const now = new Date();
  if (data.userId) {
    await lockLearner(tx, data.userId);
    await tx.curriculum.updateMany({ where: { userId: data.userId, replacedAt: null }, data: { replacedAt: now } });
  }
  const curriculum = await tx.curriculum.create({
    data: { ...data, title: plan.title, status: data.status ?? (data.userId ? 'ACTIVE' : 'DRAFT') },
  });
  const ids = new Map<string, string>();
  for (const [i, topic] of plan.topics.entries()) {
    const created = await tx.curriculumTopic.create({
      data: {
        curriculumId: curriculum.id,
        order: i + 1,
        title: topic.title,
        description: topic.description,
        difficulty: topic.difficulty,
        objectives: topic.objectives,
        estimatedMinutes: topic.estimatedMinutes,
        concept: topic.concept,
        exercises: { create: topic.exercises.map((exercise, j) => ({ order: j + 1, ...exercise })) },
        ...(data.userId
          ? { progress: { create: { userId: data.userId, unlockedAt: topic.prerequisites.length === 0 ? now : null } } }
          : {}),
      },
      select: { id: true },
    });
    ids.set(topic.key, created.id);
  }
  const edges = plan.topics.flatMap((topic) =>
    topic.prerequisites.map((key) => ({ topicId: ids.get(topic.key) ?? '', prerequisiteId: ids.get(key) ?? '' })),
  );
  if (edges.length > 0) await tx.topicPrerequisite.createMany({ data: edges });
  return curriculum;
}

/** The organization a learner's own LLM calls belong to: where they study, else their first. */
function learnerOrganization(viewer: Viewer): string | null {
  const roles = [...viewer.roles];
  return (roles.find(([, role]) => role === 'STUDENT') ?? roles[0])?.[0] ?? null;
}

const generateSchema = z.object({
  goals: goals.nullish(),
  weeklyHours: weeklyHours.nullish(),
  idempotencyKey: idempotencyKeySchema.nullish(),
});

/**
 * Plans a curriculum for the viewer from their profile and measured proficiency (the goals
 * and weekly hours given override the profile's) with `planner` (a model's plan that fails the
 * checks gives way to the built-in planner's; its calls are kept as LlmInteractions), and makes
 * it their current one. The same idempotency key returns the same curriculum, asking no model.
 */
export async function generateCurriculum(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  input: z.input<typeof generateSchema>,
  planner: CurriculumPlanner,
): Promise<Curriculum> {
  const viewer = requireViewer(viewerOrNull, 'Sign in to get a learning path.');
  const data = parseInput(generateSchema, input);
  if (data.idempotencyKey) {
    const done = await prisma.curriculum.findUnique({
      where: { userId_idempotencyKey: { userId: viewer.userId, idempotencyKey: data.idempotencyKey } },
    });
    if (done) return done;
  }
  const profile = await prisma.learningProfile.findUnique({ where: { userId: viewer.userId } });
  const weekly = data.weeklyHours ?? profile?.weeklyHours ?? 3;
  const wanted = data.goals ?? profile?.goals ?? [];
  const [{ items, pools, world }, mastery] = await Promise.all([
    worldOf(prisma, viewer, weekly),
    masteryOf(prisma, viewer.userId),
  ]);
  const request: PlanRequest = {
    items,
    pools,
    mastery,
    skillLevel: profile?.skillLevel ?? 'BEGINNER',
    learningStyle: profile?.learningStyle ?? 'MIXED',
    weeklyHours: weekly,
    goals: wanted,
    tracks: profile ? (preferencesOf(profile).tracks ?? []) : [],
  };
  const { check, planner: madeBy, note, calls } = await planCurriculum(planner, request, world);
  // Kept whatever happens next: the calls were made.
  await recordInteractions(prisma, calls, {
    purpose: 'CURRICULUM',
    userId: viewer.userId,
    organizationId: learnerOrganization(viewer),
    attemptId: null,
  });
  if (!check.ok) {
    throw check.issues.some((issue) => issue.message.startsWith('must hold at least one topic'))
      ? InvalidInputError.at(['input', 'weeklyHours'], 'leaves no time for a single topic')
      : refusal(check.issues, check.cycle, ['plan']);
  }
  const write = () =>
    prisma.$transaction((tx) =>
      writeCurriculum(tx, check.plan, {
        userId: viewer.userId,
        planner: madeBy,
        goals: wanted,
        weeklyHours: weekly,
        plannerNote: note,
        idempotencyKey: data.idempotencyKey ?? null,
      }),
    );
  try {
    return await write();
  } catch (error) {
    // Two requests with one key at once: the other one wrote it.
    const raced = error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
    if (!raced || !data.idempotencyKey) throw error;
    return prisma.curriculum.findUniqueOrThrow({
      where: { userId_idempotencyKey: { userId: viewer.userId, idempotencyKey: data.idempotencyKey } },
    });
  }
}

/** The viewer's current curriculum, or NotFound. */
async function currentCurriculum(prisma: PrismaClient | Prisma.TransactionClient, viewer: Viewer): Promise<Curriculum> {
  const curriculum = await prisma.curriculum.findFirst({ where: { userId: viewer.userId, replacedAt: null } });
  if (!curriculum) throw new NotFoundError('Curriculum');
  return curriculum;
}

/** Pauses (`paused` true) or resumes the viewer's curriculum; doing it twice changes nothing. */
export async function setCurriculumPaused(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  paused: boolean,
): Promise<Curriculum> {
  const viewer = requireViewer(viewerOrNull, 'Sign in to change your learning path.');
  const curriculum = await currentCurriculum(prisma, viewer);
  const [from, to] = paused ? (['ACTIVE', 'PAUSED'] as const) : (['PAUSED', 'ACTIVE'] as const);
  if (curriculum.status === to) return curriculum;
  const { count } = await prisma.curriculum.updateMany({
    where: { id: curriculum.id, status: from },
    data: { status: to },
  });
  if (count === 0) {
    const now = await prisma.curriculum.findUniqueOrThrow({ where: { id: curriculum.id } });
    if (now.status === to) return now;
    throw new ConflictError(`A ${now.status} curriculum cannot be ${paused ? 'paused' : 'resumed'}.`);
  }
  return prisma.curriculum.findUniqueOrThrow({ where: { id: curriculum.id } });
}

const reorderSchema = z.object({
  topicIds: z.array(z.string()).min(1, 'must name every topic').max(40),
});

/**
 * Puts the viewer's topics in the order given (every topic, once), as long as each topic
 * still comes after its prerequisites.
 */
export async function reorderTopics(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  input: z.input<typeof reorderSchema>,
): Promise<Curriculum> {
  const viewer = requireViewer(viewerOrNull, 'Sign in to change your learning path.');
  const data = parseInput(reorderSchema, input);
  return prisma.$transaction(async (tx) => {
    const curriculum = await currentCurriculum(tx, viewer);
    const topics = await tx.curriculumTopic.findMany({
      where: { curriculumId: curriculum.id },
      select: {
        id: true,
        title: true,
        prerequisites: { select: { prerequisite: { select: { id: true, title: true } } } },
      },
    });
    const given = new Set(data.topicIds);
    if (given.size !== data.topicIds.length || topics.length !== given.size || topics.some((t) => !given.has(t.id))) {
      throw InvalidInputError.at(['input', 'topicIds'], 'must name every topic of your curriculum once');
    }
    const place = new Map(data.topicIds.map((id, i) => [id, i]));
    const issues = topics.flatMap((topic) =>
      topic.prerequisites
        .filter(({ prerequisite }) => (place.get(prerequisite.id) ?? 0) > (place.get(topic.id) ?? 0))
        .map(({ prerequisite }) => ({
          path: ['input', 'topicIds', String(place.get(topic.id))],
          message: `"${topic.title}" must come after its prerequisite "${prerequisite.title}"`,
        })),
    );
    if (issues.length > 0) throw new InvalidInputError(issues);
    for (const [i, id] of data.topicIds.entries()) {
      await tx.curriculumTopic.update({ where: { id }, data: { order: i + 1 } });
    }
    return tx.curriculum.update({ where: { id: curriculum.id }, data: { updatedAt: new Date() } });
  });
}

const templateSchema = z.object({
  classId: z.string(),
  title: z.string().trim().min(1, 'must not be empty').max(120),
  weeklyHours: weeklyHours.nullish(),
  topics: z.array(plannedTopicSchema).min(1, 'must hold at least one topic').max(40),
});

/** An instructor's curriculum template for a class they teach, checked like any plan. */
export async function createCurriculumTemplate(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  input: z.input<typeof templateSchema>,
): Promise<Curriculum> {
  const viewer = requireViewer(viewerOrNull, 'Sign in to author a curriculum.');
  const data = parseInput(templateSchema, input);
  await managedClass(prisma, viewer, data.classId);
  const { world } = await worldOf(prisma, viewer, data.weeklyHours ?? null);
  const check = checkPlan({ title: data.title, topics: data.topics }, world);
  if (!check.ok) throw refusal(check.issues, check.cycle, ['input']);
  return prisma.$transaction((tx) =>
    writeCurriculum(tx, check.plan, {
      classId: data.classId,
      planner: 'INSTRUCTOR',
      goals: [],
      weeklyHours: data.weeklyHours ?? 3,
      createdById: viewer.userId,
    }),
  );
}

const assignSchema = z.object({
  templateId: z.string(),
  studentIds: z.array(z.string()).max(500).nullish(),
});

/**
 * Gives a class template to the class's students (all of them, or those named) as their
 * current curriculum. A student who has it already keeps theirs, progress and all: assigning
 * again changes nothing. Returns the students' curricula from this template.
 */
export async function assignCurriculum(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  input: z.input<typeof assignSchema>,
): Promise<Curriculum[]> {
  const viewer = requireViewer(viewerOrNull, 'Sign in to assign a curriculum.');
  const data = parseInput(assignSchema, input);
  const template = await prisma.curriculum.findFirst({
    where: { id: data.templateId, userId: null, classId: { not: null } },
    include: {
      topics: {
        orderBy: { order: 'asc' },
        include: { exercises: { orderBy: { order: 'asc' } }, prerequisites: { select: { prerequisiteId: true } } },
      },
    },
  });
  if (!template?.classId) throw new NotFoundError('Curriculum');
  await managedClass(prisma, viewer, template.classId);
  const enrolled = await prisma.enrollment.findMany({
    where: {
      classId: template.classId,
      role: 'STUDENT',
      ...(data.studentIds ? { userId: { in: data.studentIds } } : {}),
    },
    select: { userId: true },
  });
  if (data.studentIds) {
    const known = new Set(enrolled.map((e) => e.userId));
    const strangers = data.studentIds.filter((id) => !known.has(id));
    if (strangers.length > 0) {
      throw InvalidInputError.at(['input', 'studentIds'], `not students of this class: ${strangers.join(', ')}`);
    }
  }
  const plan: Plan = {
    title: template.title,
    topics: template.topics.map((topic) => ({
      key: topic.id,
      title: topic.title,
      description: topic.description,
      difficulty: topic.difficulty,
      objectives: topic.objectives,
      estimatedMinutes: topic.estimatedMinutes,
      concept: topic.concept,
      prerequisites: topic.prerequisites.map((p) => p.prerequisiteId),
      exercises: topic.exercises.map((e) =>
        e.contentItemId ? { contentItemId: e.contentItemId } : { questionPoolId: e.questionPoolId ?? '' },
      ),
    })),
  };
  const results: Curriculum[] = [];
  for (const { userId } of enrolled) {
    const assign = () =>
      prisma.$transaction(async (tx) => {
        // Serialised per student (their row locked), then read afresh: assigning twice at once writes once.
        await lockLearner(tx, userId);
        const current = await tx.curriculum.findFirst({ where: { userId, replacedAt: null } });
        if (current?.templateId === template.id) return current;
        return writeCurriculum(tx, plan, {
          userId,
          classId: template.classId,
          templateId: template.id,
          planner: 'INSTRUCTOR',
          goals: template.goals,
          weeklyHours: template.weeklyHours,
          createdById: viewer.userId,
        });
      });
    results.push(await assign());
  }
  return results;
}

/** The global question pool placement tests are taken on. */
export const PLACEMENT_POOL_SLUG = 'algorithms-foundations';

/**
 * Starts the viewer's placement test: an adaptive test on the placement pool, across its
 * concepts. Its per-concept proficiency seeds the curriculum, and its completion marks the
 * profile's assessment completed. While one is running, starting again returns it.
 */
export async function startPlacement(
  prisma: PrismaClient,
  viewerOrNull: Viewer | null,
  options: AdaptiveOptions,
): Promise<AdaptiveTestSession> {
  const viewer = requireViewer(viewerOrNull, 'Sign in to take a placement test.');
  const profile = await prisma.learningProfile.findUnique({
    where: { userId: viewer.userId },
    include: { placementSession: true },
  });
  const running = profile?.placementSession;
  if (running && effectiveStatus(running) === 'ACTIVE') return running;
  const pool = await prisma.questionPool.findUnique({
    where: { scope_slug: { scope: 'global', slug: PLACEMENT_POOL_SLUG } },
    select: { id: true },
  });
  if (!pool) throw new NotFoundError('QuestionPool');
  const session = await startAdaptiveTest(prisma, viewer, { poolId: pool.id }, options);
  await prisma.learningProfile.upsert({
    where: { userId: viewer.userId },
    create: { userId: viewer.userId, placementSessionId: session.id },
    update: { placementSessionId: session.id },
  });
  return session;
}

/** Why a step is the next one. */
export type NextStepKind = 'REVIEW' | 'EASIER' | 'PREREQUISITE' | 'CONTINUE';

/** The learner's next step: a topic, the exercise to do in it, and why. */
export interface NextStep {
  kind: NextStepKind;
  topicId: string;
  exerciseId: string;
  reason: string;
  /** When the review fell due (REVIEW). */
  dueAt: Date | null;
}

/** Failed evaluations in a row after which an easier exercise (or the coach) is suggested. */
export const FAILURES_BEFORE_HELP = 3;

/**
 * The learner's next step in their current curriculum: a review that FSRS says is due first;
 * otherwise the first open topic not completed (any topic in practice mode), and in it the
 * first exercise not yet solved; after three failures in a row, the easiest one. Null with no
 * curriculum, a paused one, or nothing left to do. A fixed number of statements.
 */
export async function nextStep(prisma: PrismaClient, userId: string, now = new Date()): Promise<NextStep | null> {
  const curriculum = await prisma.curriculum.findFirst({
    where: { userId, replacedAt: null },
    select: {
      status: true,
      user: { select: { learningProfile: { select: { practiceMode: true } } } },
      topics: {
        orderBy: { order: 'asc' },
        select: {
          id: true,
          title: true,
          progress: true,
          exercises: {
            orderBy: { order: 'asc' },
            select: { id: true, contentItemId: true, contentItem: { select: { rung: true } } },
          },
          dependents: { select: { topic: { select: { title: true, order: true } } } },
        },
      },
    },
  });
  if (!curriculum || curriculum.status === 'PAUSED') return null;
  const due = curriculum.topics
    .filter((t) => t.progress?.completed && t.progress.reviewDueAt && t.progress.reviewDueAt <= now)
    .sort((x, y) => (x.progress?.reviewDueAt?.getTime() ?? 0) - (y.progress?.reviewDueAt?.getTime() ?? 0))[0];
  const solved = new Set(
    (
      await prisma.userContentProgress.findMany({
        where: {
          userId,
          status: 'SOLVED',
          contentItemId: { in: curriculum.topics.flatMap((t) => t.exercises.flatMap((e) => e.contentItemId ?? [])) },
        },
        select: { contentItemId: true },
      })
    ).map((p) => p.contentItemId),
  );
  if (due?.progress?.reviewDueAt && due.exercises[0]) {
    const card = due.progress.reviewCard as StoredCard | null;
    const kept = card ? Math.round(retrievability(card, now) * 100) : null;
    return {
      kind: 'REVIEW',
      topicId: due.id,
      exerciseId: due.exercises[0].id,
      reason: `Review “${due.title}”: the spaced-review scheduler (FSRS) says it is likely to be fading${kept === null ? '' : ` (about ${kept}% recall now)`}.`,
      dueAt: due.progress.reviewDueAt,
    };
  }
  const practice = curriculum.user?.learningProfile?.practiceMode ?? false;
  const topic = curriculum.topics.find(
    (t) => !t.progress?.completed && (practice || t.progress?.unlockedAt != null) && t.exercises.length > 0,
  );
  if (!topic) return null;
  if ((topic.progress?.consecutiveFailures ?? 0) >= FAILURES_BEFORE_HELP) {
    const easiest = [...topic.exercises].sort((x, y) => (x.contentItem?.rung ?? 0) - (y.contentItem?.rung ?? 0))[0];
    if (easiest) {
      return {
        kind: 'EASIER',
        topicId: topic.id,
        exerciseId: easiest.id,
        reason: `${FAILURES_BEFORE_HELP} tries in a row did not pass: try this easier exercise of “${topic.title}”, or ask the coach for a hint.`,
        dueAt: null,
      };
    }
  }
  const exercise = topic.exercises.find((e) => !e.contentItemId || !solved.has(e.contentItemId)) ?? topic.exercises[0];
  if (!exercise) return null;
  const waiting = topic.dependents.map((d) => d.topic).sort((x, y) => x.order - y.order)[0];
  return waiting
    ? {
        kind: 'PREREQUISITE',
        topicId: topic.id,
        exerciseId: exercise.id,
        reason: `“${topic.title}” is a prerequisite of “${waiting.title}”: completing it opens the way.`,
        dueAt: null,
      }
    : {
        kind: 'CONTINUE',
        topicId: topic.id,
        exerciseId: exercise.id,
        reason: `“${topic.title}” is the first open topic of your path.`,
        dueAt: null,
      };
}
