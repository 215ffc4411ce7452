/**
 * A curriculum plan, whoever wrote it (the model, the built-in planner, an instructor), and
 * the checks every plan passes before it is stored: its exercises exist and may be used, its
 * prerequisites form a DAG (a cycle is named), every topic can be completed, and it fits the
 * learner's time.
 */
import { alg, Graph } from '@dagrejs/graphlib';
import { z } from 'zod';

/** Weeks a curriculum is planned for: its topics' minutes fit within weekly hours × this. */
export const PLAN_WEEKS = 12;

/** Minutes an adaptive-test exercise (a question pool on the topic's concept) is counted for. */
export const POOL_EXERCISE_MINUTES = 15;

/** One exercise: a content item or a question pool, by id. */
export const plannedExerciseSchema = z.union([
  z.object({ contentItemId: z.string().min(1) }).strict(),
  z.object({ questionPoolId: z.string().min(1) }).strict(),
]);

/** One topic of a plan; `prerequisites` name other topics by `key`. */
export const plannedTopicSchema = z.object({
  key: z
    .string()
    .min(1)
    .max(60)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ or -'),
  title: z.string().trim().min(1, 'must not be empty').max(120),
  description: z.string().max(4_000),
  difficulty: z.number().int().min(1, 'must be 1 to 10').max(10, 'must be 1 to 10'),
  objectives: z.array(z.string().trim().min(1).max(300)).max(12),
  estimatedMinutes: z.number().int().min(1, 'must be at least 1').max(6_000),
  concept: z.string().min(1).max(60),
  prerequisites: z.array(z.string()).max(20),
  exercises: z.array(plannedExerciseSchema).max(20),
});

export const planSchema = z.object({
  title: z.string().trim().min(1, 'must not be empty').max(120),
  topics: z.array(plannedTopicSchema).min(1, 'must hold at least one topic').max(40),
});

export type PlannedExercise = z.infer<typeof plannedExerciseSchema>;
export type PlannedTopic = z.infer<typeof plannedTopicSchema>;
export type Plan = z.infer<typeof planSchema>;

/** What a plan may use: the exercises the learner can reach, and their minutes. */
export interface PlanWorld {
  /** Content items by id, with their estimated minutes. */
  items: ReadonlyMap<string, { estimatedMinutes: number }>;
  /** Question pools by id. */
  pools: ReadonlySet<string>;
  /** The most minutes the plan may take (weekly hours × PLAN_WEEKS × 60); null: no limit. */
  budgetMinutes: number | null;
}

/** One problem with a plan, at a path inside it (`topics.2.exercises.0.contentItemId`). */
export interface PlanIssue {
  path: (string | number)[];
  message: string;
}

/** Why a plan was refused: its issues, and the topics of a prerequisite cycle (by title) if it has one. */
export type PlanCheck = { ok: true; plan: Plan } | { ok: false; issues: PlanIssue[]; cycle: string[] | null };

/**
 * Checks a plan against what it may use. Topics keep their order, and each topic's
 * prerequisites must come before it; a cycle is reported with its topics' titles in order.
 */
export function checkPlan(input: unknown, world: PlanWorld): PlanCheck {
  const parsed = planSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      cycle: null,
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)),
        message: issue.message,
      })),
    };
  }
  const plan = parsed.data;
  const issues: PlanIssue[] = [];
  const index = new Map<string, number>();
  plan.topics.forEach((topic, i) => {
    if (index.has(topic.key)) issues.push({ path: ['topics', i, 'key'], message: `"${topic.key}" is used twice` });
    else index.set(topic.key, i);
  });
  const graph = new Graph({ directed: true });
  for (const topic of plan.topics) graph.setNode(topic.key);
  plan.topics.forEach((topic, i) => {
    topic.prerequisites.forEach((key, j) => {
      const at = index.get(key);
      const path = ['topics', i, 'prerequisites', j];
      if (at === undefined) issues.push({ path, message: `"${key}" is not a topic of this plan` });
      else if (key === topic.key) issues.push({ path, message: 'a topic cannot wait for itself' });
      else graph.setEdge(key, topic.key);
    });
  });
  const cycles = alg.findCycles(graph);
  const titles = new Map(plan.topics.map((topic) => [topic.key, topic.title]));
  const cycle = cycles[0] ? orderCycle(graph, cycles[0]).map((key) => titles.get(key) ?? key) : null;
  if (cycle) {
    issues.push({ path: ['topics'], message: `the prerequisites form a cycle: ${[...cycle, cycle[0]].join(' → ')}` });
  } else {
    plan.topics.forEach((topic, i) => {
      topic.prerequisites.forEach((key, j) => {
        const at = index.get(key);
        if (at !== undefined && at > i) {
          issues.push({ path: ['topics', i, 'prerequisites', j], message: `"${key}" must come before this topic` });
        }
      });
    });
  }
  const dependents = new Map<string, string[]>();
  for (const topic of plan.topics) {
    for (const key of topic.prerequisites) dependents.set(key, [...(dependents.get(key) ?? []), topic.title]);
  }
  let minutes = 0;
  plan.topics.forEach((topic, i) => {
    minutes += topic.estimatedMinutes;
    if (topic.exercises.length === 0) {
      const waiting = dependents.get(topic.key);
      issues.push({
        path: ['topics', i, 'exercises'],
        message: waiting
          ? `has no exercise, so it could never be completed, and ${waiting.join(', ')} would wait for it forever`
          : 'has no exercise, so it could never be completed',
      });
    }
    topic.exercises.forEach((exercise, j) => {
      if ('contentItemId' in exercise && !world.items.has(exercise.contentItemId)) {
        issues.push({
          path: ['topics', i, 'exercises', j, 'contentItemId'],
          message: 'is not a published content item the learner can open',
        });
      }
      if ('questionPoolId' in exercise && !world.pools.has(exercise.questionPoolId)) {
        issues.push({
          path: ['topics', i, 'exercises', j, 'questionPoolId'],
          message: 'is not a question pool the learner can take tests on',
        });
      }
    });
  });
  if (world.budgetMinutes !== null && minutes > world.budgetMinutes) {
    issues.push({
      path: ['topics'],
      message: `takes ${minutes} minutes, more than the ${world.budgetMinutes} the weekly hours allow over ${PLAN_WEEKS} weeks`,
    });
  }
  return issues.length > 0 ? { ok: false, issues, cycle } : { ok: true, plan };
}

/** A cycle's nodes (a strongly connected component) in the order the edges run. */
function orderCycle(graph: Graph, nodes: string[]): string[] {
  const inCycle = new Set(nodes);
  const start = [...nodes].sort()[0] ?? '';
  const path = [start];
  for (let at = start; path.length < nodes.length;) {
    const next = (graph.successors(at) ?? []).find((node) => inCycle.has(node) && !path.includes(node));
    if (!next) break;
    path.push(next);
    at = next;
  }
  return [...path, ...nodes.filter((node) => !path.includes(node))];
}

/** Minutes of a topic's exercises: the items' estimates, and POOL_EXERCISE_MINUTES per test. */
export function exerciseMinutes(exercises: readonly PlannedExercise[], world: Pick<PlanWorld, 'items'>): number {
  return exercises.reduce(
    (sum, exercise) =>
      sum +
      ('contentItemId' in exercise
        ? (world.items.get(exercise.contentItemId)?.estimatedMinutes ?? 0)
        : POOL_EXERCISE_MINUTES),
    0,
  );
}
