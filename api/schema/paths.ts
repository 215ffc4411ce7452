/**
 * Learning paths: the learner's profile, their curriculum of topics with prerequisites,
 * exercises and progress, and the class templates instructors author and assign.
 */
import { builder } from '../builder.js';
import { ConflictError } from '../errors.js';
import {
  CurriculumPlanner,
  CurriculumStatus,
  LearningStyle,
  SkillLevel,
  StudyTime,
} from '../generated/prisma/enums.js';
import { MASTERY_THRESHOLD } from '../paths/builtin-planner.js';
import { topicLock } from '../paths/progress.js';
import { historyOwnersWhere, visibleClassesWhere } from '../services/access.js';
import {
  assignCurriculum,
  createCurriculumTemplate,
  CurriculumCycleError,
  generateCurriculum,
  type LearningPreferences,
  type NextStep,
  nextStep,
  preferencesOf,
  reorderTopics,
  setCurriculumPaused,
  startPlacement,
  updateLearningProfile,
} from '../services/paths.js';
import { LanguageEnum, TrackEnum } from './enums.js';
import { COMMON_ERRORS, ErrorInterface } from './errors.js';
import { idOf } from './practice.js';

const SkillLevelEnum = builder.enumType(SkillLevel, {
  name: 'SkillLevel',
  description: 'How far along a learner says they are.',
  values: {
    BEGINNER: { description: 'New to algorithms and data structures.' },
    INTERMEDIATE: { description: 'Knows the basic structures; learning the patterns.' },
    ADVANCED: { description: 'Solves most patterns; working on speed and the harder rungs (first rungs skipped).' },
    EXPERT: { description: 'Interview-ready; keeping sharp (first rungs skipped).' },
  },
});

const LearningStyleEnum = builder.enumType(LearningStyle, {
  name: 'LearningStyle',
  description: 'How a learner prefers to learn; the order of a topic’s exercises follows it.',
  values: {
    READING: { description: 'Reading first: the questions before the code.' },
    VISUAL: { description: 'Pictures and diagrams first.' },
    HANDS_ON: { description: 'Code first: problems before questions.' },
    MIXED: { description: 'A bit of each (the default): code first, a test to close the topic.' },
  },
});

const StudyTimeEnum = builder.enumType(StudyTime, {
  name: 'StudyTime',
  description: 'A part of the week a learner likes to study in.',
  values: {
    MORNING: { description: 'Mornings.' },
    AFTERNOON: { description: 'Afternoons.' },
    EVENING: { description: 'Evenings.' },
    NIGHT: { description: 'Late at night.' },
    WEEKEND: { description: 'Weekends.' },
  },
});

const CurriculumStatusEnum = builder.enumType(CurriculumStatus, {
  name: 'CurriculumStatus',
  description: 'Where a curriculum is in its life.',
  values: {
    DRAFT: { description: 'Written but not followed (class templates stay drafts).' },
    ACTIVE: { description: 'Being followed.' },
    PAUSED: { description: 'Put aside by the learner; resumed as it was.' },
    COMPLETED: { description: 'Every topic completed.' },
  },
});

const CurriculumPlannerEnum = builder.enumType(CurriculumPlanner, {
  name: 'CurriculumPlanner',
  description: 'What planned a curriculum.',
  values: {
    ANTHROPIC: { description: 'The Anthropic model, its plan validated against the catalog.' },
    BUILTIN: { description: 'The built-in planner: the concept graph by prerequisites and proficiency gaps.' },
    INSTRUCTOR: { description: 'An instructor’s class template.' },
  },
});

const PreferencesRef = builder.objectRef<LearningPreferences>('LearningPreferences').implement({
  description: 'What a learner prefers to practise, and how.',
  fields: (t) => ({
    languages: t.field({
      type: [LanguageEnum],
      description: 'Programming languages to practise in (empty: any).',
      resolve: (p) => p.languages ?? [],
    }),
    tracks: t.field({
      type: [TrackEnum],
      description: 'Tracks to keep to (empty: all).',
      resolve: (p) => p.tracks ?? [],
    }),
    sessionMinutes: t.int({
      nullable: true,
      description: 'How long a study session usually is, in minutes.',
      resolve: (p) => p.sessionMinutes ?? null,
    }),
    reminders: t.boolean({
      description: 'Whether to be reminded when a review is due.',
      resolve: (p) => p.reminders ?? false,
    }),
  }),
});

builder.prismaObject('LearningProfile', {
  description: 'A learner’s profile: what their curriculum is planned for.',
  fields: (t) => ({
    skillLevel: t.expose('skillLevel', { type: SkillLevelEnum, description: 'How far along they say they are.' }),
    learningStyle: t.expose('learningStyle', { type: LearningStyleEnum, description: 'How they prefer to learn.' }),
    goals: t.exposeStringList('goals', { description: 'Their goals, in their words.' }),
    weeklyHours: t.exposeFloat('weeklyHours', { description: 'Hours a week they mean to spend (0.5 to 40).' }),
    preferredTimes: t.expose('preferredTimes', {
      type: [StudyTimeEnum],
      description: 'When they like to study.',
    }),
    preferences: t.field({
      type: PreferencesRef,
      description: 'What they prefer to practise, and how.',
      resolve: (profile) => preferencesOf(profile),
    }),
    assessmentCompleted: t.exposeBoolean('assessmentCompleted', {
      description: 'Whether their placement test has completed.',
    }),
    practiceMode: t.exposeBoolean('practiceMode', {
      description: 'Every topic open, whatever its prerequisites (prerequisites guide; they do not imprison).',
    }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
  }),
});

builder.prismaObject('TopicProgress', {
  description: 'A learner’s progress in one topic.',
  fields: (t) => ({
    attempts: t.exposeInt('attempts', { description: 'Evaluations of the topic’s exercises.' }),
    consecutiveFailures: t.exposeInt('consecutiveFailures', {
      description: 'Failed evaluations since the last passing one; at three, `suggestion` offers help.',
    }),
    bestScore: t.exposeFloat('bestScore', {
      nullable: true,
      description: 'The best score of its exercises, 0 to 1; null before any.',
    }),
    timeSpentSeconds: t.exposeInt('timeSpentSeconds', { description: 'Time spent on its exercises.' }),
    completed: t.exposeBoolean('completed', {
      description: `Whether the best score reached the mastery threshold (${MASTERY_THRESHOLD}).`,
    }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true, description: 'When it completed.' }),
    lastAttemptAt: t.expose('lastAttemptAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When an exercise of it was last evaluated.',
    }),
    unlockedAt: t.expose('unlockedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When every prerequisite had completed; null while one has not.',
    }),
  }),
});

builder.prismaObject('TopicExercise', {
  description: 'Something to do in a topic: a content item, or an adaptive test on a question pool.',
  fields: (t) => ({
    order: t.exposeInt('order', { description: 'Place within the topic, from 1.' }),
    contentItem: t.relation('contentItem', { nullable: true, description: 'The content item, of any track.' }),
    questionPool: t.relation('questionPool', {
      nullable: true,
      description: 'The question pool: an adaptive test on the topic’s concept.',
    }),
  }),
});

const TopicRef = builder.prismaNode('CurriculumTopic', {
  id: { field: 'id' },
  nullable: true,
  description: 'One module of a curriculum: a concept to learn, with its exercises, prerequisites and progress.',
  findUnique: (id, ctx) => ({
    id,
    curriculum: {
      OR: [{ user: historyOwnersWhere(ctx.viewer) }, { userId: null, class: visibleClassesWhere(ctx.viewer) }],
    },
  }),
  fields: (t) => ({
    title: t.exposeString('title', { description: 'Title.' }),
    description: t.exposeString('description', { description: 'What it covers, in Markdown.' }),
    order: t.exposeInt('order', { description: 'Place in the curriculum, from 1; prerequisites come first.' }),
    difficulty: t.exposeInt('difficulty', { description: 'From 1 (first steps) to 10.' }),
    objectives: t.exposeStringList('objectives', { description: 'What the learner will be able to do.' }),
    estimatedMinutes: t.exposeInt('estimatedMinutes', { description: 'Minutes its exercises are expected to take.' }),
    concept: t.exposeString('concept', { description: 'The concept it teaches, e.g. `HASHING`.' }),
    exercises: t.relation('exercises', {
      description: 'What to do, in order.',
      query: { orderBy: { order: 'asc' } },
    }),
    progress: t.relation('progress', {
      nullable: true,
      description: 'The learner’s progress; null in a class template.',
    }),
    locked: t.boolean({
      description:
        'Whether it waits for a prerequisite (never once completed, in practice mode or in a class template).',
      select: LOCK_SELECT,
      resolve: (topic) => lockOf(topic).locked,
    }),
    lockedReason: t.string({
      nullable: true,
      description: 'What it waits for, for people; null when open.',
      select: LOCK_SELECT,
      resolve: (topic) => lockOf(topic).reason,
    }),
  }),
});

// Its own type: declared once the type exists.
builder.prismaObjectFields(TopicRef, (t) => ({
  prerequisites: t.field({
    type: [TopicRef],
    description: 'The topics to complete first.',
    select: (_args, _ctx, nestedSelection) => ({
      prerequisites: { select: { prerequisite: nestedSelection(true) }, orderBy: { prerequisite: { order: 'asc' } } },
    }),
    resolve: (topic) => topic.prerequisites.map((p) => p.prerequisite),
  }),
}));

/** What a topic's lock is computed from: its prerequisites' completion and the learner's practice mode. */
const LOCK_SELECT = {
  // Ordered as the `prerequisites` field reads them, so that both merge into one query.
  prerequisites: {
    orderBy: { prerequisite: { order: 'asc' } },
    select: { prerequisite: { select: { title: true, progress: { select: { completed: true } } } } },
  },
  curriculum: { select: { userId: true, user: { select: { learningProfile: { select: { practiceMode: true } } } } } },
  progress: { select: { completed: true } },
} as const;

function lockOf(topic: {
  prerequisites: { prerequisite: { title: string; progress: { completed: boolean } | null } }[];
  curriculum: { userId: string | null; user: { learningProfile: { practiceMode: boolean } | null } | null };
  progress: { completed: boolean } | null;
}) {
  return topicLock(
    topic.prerequisites.map(({ prerequisite }) => ({
      title: prerequisite.title,
      completed: prerequisite.progress?.completed ?? false,
    })),
    {
      template: topic.curriculum.userId === null,
      completed: topic.progress?.completed ?? false,
      practiceMode: topic.curriculum.user?.learningProfile?.practiceMode ?? false,
    },
  );
}

const CurriculumRef = builder.prismaNode('Curriculum', {
  id: { field: 'id' },
  nullable: true,
  description:
    'A learner’s ordered topics, or a class template that instructors assign. A learner’s is visible to them, their instructors and their admins; a template to the class.',
  findUnique: (id, ctx) => ({
    id,
    OR: [{ user: historyOwnersWhere(ctx.viewer) }, { userId: null, class: visibleClassesWhere(ctx.viewer) }],
  }),
  fields: (t) => ({
    title: t.exposeString('title', { description: 'Title.' }),
    status: t.expose('status', { type: CurriculumStatusEnum, description: 'Where it is in its life.' }),
    planner: t.expose('planner', { type: CurriculumPlannerEnum, description: 'What planned it.' }),
    plannerNote: t.exposeString('plannerNote', {
      description: 'Why the planner chose this plan, or why it fell back to the built-in one.',
    }),
    goals: t.exposeStringList('goals', { description: 'The goals it was planned for.' }),
    weeklyHours: t.exposeFloat('weeklyHours', { description: 'The weekly hours it was planned for.' }),
    isTemplate: t.boolean({
      description: 'Whether it is a class template (no learner).',
      select: { userId: true },
      resolve: (c) => c.userId === null,
    }),
    class: t.relation('class', {
      nullable: true,
      description: 'The class of a template, or of the template this was assigned from.',
    }),
    topics: t.relation('topics', { description: 'Its topics, in order.', query: { orderBy: { order: 'asc' } } }),
    totalTopics: t.relationCount('topics', { description: 'How many topics it has.' }),
    completedTopics: t.relationCount('topics', {
      description: 'How many of them are completed.',
      where: { progress: { completed: true } },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was planned.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
  }),
});

builder.objectType(CurriculumCycleError, {
  name: 'CurriculumCycle',
  description: 'The prerequisites form a cycle, so no topic of it could ever open; nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    cycle: t.exposeStringList('topics', {
      description: 'The topics of the cycle, by title, in the order they wait for each other.',
    }),
  }),
});

builder.prismaObjectFields('User', (t) => ({
  learningProfile: t.relation('learningProfile', {
    nullable: true,
    description:
      'Their learning profile: for themselves, their instructors and their admins (null for anyone else, and before they set one).',
    query: (_args, ctx) => ({ where: { user: historyOwnersWhere(ctx.viewer) } }),
  }),
  curriculum: t.field({
    type: CurriculumRef,
    nullable: true,
    description:
      'Their current curriculum: for themselves, their instructors and their admins (null for anyone else, and before they have one).',
    select: (_args, ctx, nestedSelection) => ({
      curricula: nestedSelection({ where: { replacedAt: null, user: historyOwnersWhere(ctx.viewer) }, take: 1 }),
    }),
    resolve: async (user, _args, ctx) => {
      const current = user.curricula[0] ?? null;
      if (current) await ctx.access.read(user.id);
      return current;
    },
  }),
}));

builder.prismaObjectFields('Class', (t) => ({
  curriculumTemplates: t.relation('curricula', {
    description: 'The curriculum templates authored for the class, newest first.',
    query: { where: { userId: null }, orderBy: { createdAt: 'desc' } },
  }),
}));

const PreferencesInput = builder.inputType('LearningPreferencesInput', {
  description: 'What a learner prefers to practise, and how (replaces the stored preferences).',
  fields: (t) => ({
    languages: t.field({ type: [LanguageEnum], required: false, description: 'Languages to practise in.' }),
    tracks: t.field({ type: [TrackEnum], required: false, description: 'Tracks to keep to.' }),
    sessionMinutes: t.int({ required: false, description: 'A usual study session, 10 to 240 minutes.' }),
    reminders: t.boolean({ required: false, description: 'Whether to be reminded when a review is due.' }),
  }),
});

const ProfileInput = builder.inputType('UpdateLearningProfileInput', {
  description: 'The fields of your learning profile to set; those left out stay as they are.',
  fields: (t) => ({
    skillLevel: t.field({ type: SkillLevelEnum, required: false, description: 'How far along you are.' }),
    learningStyle: t.field({ type: LearningStyleEnum, required: false, description: 'How you prefer to learn.' }),
    goals: t.stringList({ required: false, description: 'Your goals (up to 10, each up to 200 characters).' }),
    weeklyHours: t.float({ required: false, description: 'Hours a week (0.5 to 40).' }),
    preferredTimes: t.field({
      type: [StudyTimeEnum],
      required: false,
      description: 'When you like to study (each once).',
    }),
    preferences: t.field({ type: PreferencesInput, required: false, description: 'What you prefer to practise.' }),
    practiceMode: t.boolean({
      required: false,
      description: 'Open every topic, whatever its prerequisites.',
    }),
  }),
});

const GenerateInput = builder.inputType('GenerateCurriculumInput', {
  description: 'What to plan for; each field defaults to your profile’s.',
  fields: (t) => ({
    goals: t.stringList({ required: false, description: 'Goals to plan for.' }),
    weeklyHours: t.float({ required: false, description: 'Hours a week to plan for (0.5 to 40).' }),
    idempotencyKey: t.string({
      required: false,
      description: 'A key you choose: a retry with the same key returns the same curriculum.',
    }),
  }),
});

const ExerciseInput = builder.inputType('CurriculumExerciseInput', {
  description: 'One exercise: a content item or a question pool (exactly one).',
  fields: (t) => ({
    contentItemId: t.id({ required: false, description: 'Global ID of a published content item.' }),
    questionPoolId: t.id({ required: false, description: 'Global ID of a question pool.' }),
  }),
});

const TopicInput = builder.inputType('CurriculumTopicInput', {
  description: 'One topic of a template; prerequisites name other topics by `key`.',
  fields: (t) => ({
    key: t.string({ required: true, description: 'Your name for it within the template (letters, digits, _ or -).' }),
    title: t.string({ required: true, description: 'Title.' }),
    description: t.string({ required: true, description: 'What it covers, in Markdown.' }),
    difficulty: t.int({ required: true, description: 'From 1 to 10.' }),
    objectives: t.stringList({ required: true, description: 'What the learner will be able to do.' }),
    estimatedMinutes: t.int({ required: true, description: 'Minutes its exercises should take.' }),
    concept: t.string({ required: true, description: 'The concept it teaches, e.g. `HASHING`.' }),
    prerequisites: t.stringList({ required: true, description: 'Keys of the topics to complete first.' }),
    exercises: t.field({ type: [ExerciseInput], required: true, description: 'What to do, in order (at least one).' }),
  }),
});

const TemplateInput = builder.inputType('CreateCurriculumTemplateInput', {
  description: 'A curriculum template for a class you teach.',
  fields: (t) => ({
    classId: t.id({ required: true, description: 'Global ID of the class.' }),
    title: t.string({ required: true, description: 'Title.' }),
    weeklyHours: t.float({ required: false, description: 'Hours a week it is meant for (0.5 to 40; default 3).' }),
    topics: t.field({ type: [TopicInput], required: true, description: 'The topics, in order.' }),
  }),
});

const AssignInput = builder.inputType('AssignCurriculumInput', {
  description: 'Which template to give, and to whom.',
  fields: (t) => ({
    templateId: t.id({ required: true, description: 'Global ID of the class template.' }),
    studentIds: t.idList({ required: false, description: 'Global IDs of students of the class (default: all).' }),
  }),
});

const ReorderInput = builder.inputType('ReorderTopicsInput', {
  description: 'Your topics in the order you want, each after its prerequisites.',
  fields: (t) => ({
    topicIds: t.idList({ required: true, description: 'Global IDs of every topic of your curriculum, once each.' }),
  }),
});

const AssignedRef = builder.objectRef<{ curricula: { id: string }[] }>('AssignedCurricula').implement({
  description: 'The students’ curricula from a template.',
  fields: (t) => ({
    curricula: t.prismaField({
      type: ['Curriculum'],
      description: 'One per student, each now their current curriculum.',
      resolve: (query, result, _args, ctx) =>
        ctx.runtime.prisma.curriculum.findMany({ ...query, where: { id: { in: result.curricula.map((c) => c.id) } } }),
    }),
  }),
});

builder.mutationFields((t) => ({
  updateLearningProfile: t.prismaField({
    type: 'LearningProfile',
    description: 'Sets fields of your learning profile (created the first time).',
    args: { input: t.arg({ type: ProfileInput, required: true, description: 'The fields to set.' }) },
    errors: {
      types: [...COMMON_ERRORS],
      directResult: true,
      union: { name: 'UpdateLearningProfileResult', description: 'Your profile, or why it was not changed.' },
    },
    resolve: async (query, _root, { input }, ctx) => {
      const profile = await updateLearningProfile(ctx.runtime.prisma, ctx.viewer, input);
      return ctx.runtime.prisma.learningProfile.findUniqueOrThrow({ ...query, where: { userId: profile.userId } });
    },
  }),
  generateCurriculum: t.prismaField({
    type: CurriculumRef,
    description:
      'Plans a curriculum for you from your profile and measured proficiency, and makes it your current one (the previous one is kept aside).',
    args: { input: t.arg({ type: GenerateInput, required: false, description: 'What to plan for.' }) },
    errors: {
      types: [...COMMON_ERRORS, CurriculumCycleError],
      directResult: true,
      union: { name: 'GenerateCurriculumResult', description: 'Your new curriculum, or why none was planned.' },
    },
    resolve: async (query, _root, { input }, ctx) => {
      const curriculum = await generateCurriculum(
        ctx.runtime.prisma,
        ctx.viewer,
        input ?? {},
        ctx.runtime.curriculumPlanner,
      );
      return ctx.runtime.prisma.curriculum.findUniqueOrThrow({ ...query, where: { id: curriculum.id } });
    },
  }),
  pauseCurriculum: t.prismaField({
    type: CurriculumRef,
    description: 'Pauses your curriculum; pausing a paused one changes nothing.',
    errors: {
      types: [...COMMON_ERRORS, ConflictError],
      directResult: true,
      union: { name: 'PauseCurriculumResult', description: 'Your curriculum, or why it was not paused.' },
    },
    resolve: async (query, _root, _args, ctx) => {
      const curriculum = await setCurriculumPaused(ctx.runtime.prisma, ctx.viewer, true);
      return ctx.runtime.prisma.curriculum.findUniqueOrThrow({ ...query, where: { id: curriculum.id } });
    },
  }),
  resumeCurriculum: t.prismaField({
    type: CurriculumRef,
    description: 'Resumes your paused curriculum; resuming an active one changes nothing.',
    errors: {
      types: [...COMMON_ERRORS, ConflictError],
      directResult: true,
      union: { name: 'ResumeCurriculumResult', description: 'Your curriculum, or why it was not resumed.' },
    },
    resolve: async (query, _root, _args, ctx) => {
      const curriculum = await setCurriculumPaused(ctx.runtime.prisma, ctx.viewer, false);
      return ctx.runtime.prisma.curriculum.findUniqueOrThrow({ ...query, where: { id: curriculum.id } });
    },
  }),
  reorderTopics: t.prismaField({
    type: CurriculumRef,
    description: 'Puts your topics in the order given, each after its prerequisites.',
    args: { input: t.arg({ type: ReorderInput, required: true, description: 'The new order.' }) },
    errors: {
      types: [...COMMON_ERRORS],
      directResult: true,
      union: { name: 'ReorderTopicsResult', description: 'Your curriculum, or why the order was refused.' },
    },
    resolve: async (query, _root, { input }, ctx) => {
      const topicIds = input.topicIds.map((id, i) =>
        idOf('CurriculumTopic', String(id), ['input', 'topicIds', String(i)]),
      );
      const curriculum = await reorderTopics(ctx.runtime.prisma, ctx.viewer, { topicIds });
      return ctx.runtime.prisma.curriculum.findUniqueOrThrow({ ...query, where: { id: curriculum.id } });
    },
  }),
  createCurriculumTemplate: t.prismaField({
    type: CurriculumRef,
    description: 'Authors a curriculum template for a class you teach; `assignCurriculum` gives it to students.',
    args: { input: t.arg({ type: TemplateInput, required: true, description: 'The template.' }) },
    errors: {
      types: [...COMMON_ERRORS, CurriculumCycleError],
      directResult: true,
      union: { name: 'CreateCurriculumTemplateResult', description: 'The template, or why it was refused.' },
    },
    resolve: async (query, _root, { input }, ctx) => {
      const curriculum = await createCurriculumTemplate(ctx.runtime.prisma, ctx.viewer, {
        ...input,
        classId: idOf('Class', String(input.classId), ['input', 'classId']),
        topics: input.topics.map((topic, i) => ({
          ...topic,
          exercises: topic.exercises.map((exercise, j) => {
            const at = ['input', 'topics', String(i), 'exercises', String(j)];
            return exercise.contentItemId
              ? { contentItemId: idOf('ContentItem', String(exercise.contentItemId), [...at, 'contentItemId']) }
              : {
                  questionPoolId: idOf('QuestionPool', String(exercise.questionPoolId ?? ''), [
                    ...at,
                    'questionPoolId',
                  ]),
                };
          }),
        })),
      });
      return ctx.runtime.prisma.curriculum.findUniqueOrThrow({ ...query, where: { id: curriculum.id } });
    },
  }),
  assignCurriculum: t.field({
    type: AssignedRef,
    description:
      'Gives a class template to the class’s students as their current curriculum; a student who has it already keeps theirs.',
    args: { input: t.arg({ type: AssignInput, required: true, description: 'The template and the students.' }) },
    errors: {
      types: [...COMMON_ERRORS],
      directResult: true,
      union: { name: 'AssignCurriculumResult', description: 'The students’ curricula, or why none was assigned.' },
    },
    resolve: async (_root, { input }, ctx) => ({
      curricula: await assignCurriculum(ctx.runtime.prisma, ctx.viewer, {
        templateId: idOf('Curriculum', String(input.templateId), ['input', 'templateId']),
        studentIds: input.studentIds?.map((id, i) => idOf('User', String(id), ['input', 'studentIds', String(i)])),
      }),
    }),
  }),
}));

const NextStepKindEnum = builder.enumType('NextStepKind', {
  description: 'Why a step is the next one.',
  values: {
    REVIEW: { description: 'A completed topic is due for review: the scheduler (FSRS) says it is likely fading.' },
    EASIER: { description: 'Three tries in a row did not pass: an easier exercise of the topic (or ask the coach).' },
    PREREQUISITE: { description: 'The first open topic, and a prerequisite of a later one.' },
    CONTINUE: { description: 'The first open topic of the path.' },
  } as const,
});

const NextStepRef = builder.objectRef<NextStep>('NextStep').implement({
  description: 'The learner’s next step: a topic of their path, the exercise to do in it, and why.',
  fields: (t) => ({
    kind: t.field({ type: NextStepKindEnum, description: 'Why this step.', resolve: (step) => step.kind }),
    reason: t.exposeString('reason', { description: 'Why this step, for people.' }),
    dueAt: t.expose('dueAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the review fell due (REVIEW); null otherwise.',
    }),
    topic: t.prismaField({
      type: 'CurriculumTopic',
      description: 'The topic.',
      resolve: (query, step, _args, ctx) =>
        ctx.runtime.prisma.curriculumTopic.findUniqueOrThrow({ ...query, where: { id: step.topicId } }),
    }),
    exercise: t.prismaField({
      type: 'TopicExercise',
      description: 'The exercise to do now.',
      resolve: (query, step, _args, ctx) =>
        ctx.runtime.prisma.topicExercise.findUniqueOrThrow({ ...query, where: { id: step.exerciseId } }),
    }),
  }),
});

builder.prismaObjectFields('User', (t) => ({
  nextStep: t.field({
    type: NextStepRef,
    nullable: true,
    description:
      'Their next step in their path: for themselves, their instructors and their admins (null for anyone else, without a path, while it is paused, or with nothing left to do).',
    select: (_args, ctx) => ({
      curricula: { where: { replacedAt: null, user: historyOwnersWhere(ctx.viewer) }, take: 1, select: { id: true } },
    }),
    resolve: async (user, _args, ctx) => {
      if (user.curricula.length === 0) return null;
      await ctx.access.read(user.id);
      return nextStep(ctx.runtime.prisma, user.id);
    },
  }),
}));

builder.mutationFields((t) => ({
  startPlacement: t.prismaField({
    type: 'AdaptiveTestSession',
    description:
      'Starts your placement test (an adaptive test across the placement pool’s concepts); while one runs, returns it. Its proficiency per concept seeds your curriculum.',
    errors: {
      types: [...COMMON_ERRORS],
      directResult: true,
      union: { name: 'StartPlacementResult', description: 'The placement test, or why it did not start.' },
    },
    resolve: async (query, _root, _args, ctx) => {
      const session = await startPlacement(ctx.runtime.prisma, ctx.viewer, ctx.runtime.adaptive);
      return ctx.runtime.prisma.adaptiveTestSession.findUniqueOrThrow({ ...query, where: { id: session.id } });
    },
  }),
}));
