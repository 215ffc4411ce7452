/**
 * The built-in curriculum planner: deterministic, with no model. It reads the concept graph
 * (api/paths/concepts.ts), leaves out what the learner has mastered, and orders the rest by
 * prerequisites first and then by the widest proficiency gap, each topic with the catalog's
 * items of its patterns (by rung) and the question pools on its concept. Topics are taken in
 * that order while they fit the learner's time. It also stands in when the model is not
 * configured or its plan fails the checks.
 */
import { CONCEPT_GRAPH, type Concept } from './concepts.js';
import { exerciseMinutes, PLAN_WEEKS, type Plan, type PlannedExercise, type PlannedTopic } from './plan.js';

/** Mastery (0 to 1) at which a topic counts as completed, and a concept as known. */
export const MASTERY_THRESHOLD = 0.7;

export type SkillLevel = 'BEGINNER' | 'INTERMEDIATE' | 'ADVANCED' | 'EXPERT';
export type LearningStyle = 'READING' | 'VISUAL' | 'HANDS_ON' | 'MIXED';

/** A catalog item as the planner sees it. */
export interface PlannerItem {
  id: string;
  track: string;
  pattern: string;
  rung: number;
  estimatedMinutes: number;
}

/** A question pool as the planner sees it. */
export interface PlannerPool {
  id: string;
  concepts: readonly string[];
}

/** What the planner plans from. */
export interface PlannerInput {
  items: readonly PlannerItem[];
  pools: readonly PlannerPool[];
  /** The learner's mastery per concept, 0 to 1 (missing: not measured, counted as 0). */
  mastery: ReadonlyMap<string, number>;
  skillLevel: SkillLevel;
  learningStyle: LearningStyle;
  weeklyHours: number;
  goals: readonly string[];
  /** Tracks the learner chose to keep to (empty: all). */
  tracks: readonly string[];
}

/** Difficulty added to a concept's for a learner who starts lower or higher. */
const LEVEL_SHIFT: Record<SkillLevel, number> = { BEGINNER: 0, INTERMEDIATE: 0, ADVANCED: 1, EXPERT: 1 };

/** The exercises of a concept, in the order the learner's style prefers. */
function exercisesOf(concept: Concept, input: PlannerInput): PlannedExercise[] {
  const advanced = input.skillLevel === 'ADVANCED' || input.skillLevel === 'EXPERT';
  const all = input.items
    .filter((item) => concept.patterns.includes(item.pattern))
    .filter((item) => input.tracks.length === 0 || input.tracks.includes(item.track))
    .sort((x, y) => x.rung - y.rung || x.id.localeCompare(y.id));
  // An advanced learner skips the first rung where there are others.
  const items = advanced && all.length > 1 ? all.filter((item) => item.rung > 1) : all;
  const code = items.map((item): PlannedExercise => ({ contentItemId: item.id }));
  const tests = input.pools
    .filter((pool) => pool.concepts.includes(concept.concept))
    .slice(0, 1)
    .map((pool): PlannedExercise => ({ questionPoolId: pool.id }));
  // Reading first: the questions before the code; otherwise the code first, the test to close the topic.
  return input.learningStyle === 'READING' ? [...tests, ...code] : [...code, ...tests];
}

/** The built-in plan for a learner. */
export function builtinPlan(input: PlannerInput): Plan {
  const world = { items: new Map(input.items.map((item) => [item.id, item])) };
  const gap = (concept: string) => Math.max(0, MASTERY_THRESHOLD - (input.mastery.get(concept) ?? 0));
  const candidates = CONCEPT_GRAPH.map((concept) => ({ concept, exercises: exercisesOf(concept, input) })).filter(
    ({ exercises }) => exercises.length > 0,
  );
  let open = candidates.filter(({ concept }) => gap(concept.concept) > 0);
  // Everything mastered: the hardest concepts, as a stretch.
  if (open.length === 0) open = [...candidates].sort((x, y) => y.concept.difficulty - x.concept.difficulty).slice(0, 3);
  const kept = new Set(open.map(({ concept }) => concept.concept));
  // Prerequisites within the plan (known or left-out ones are met already).
  const waitsFor = new Map(
    open.map(({ concept }) => [concept.concept, concept.prerequisites.filter((p) => kept.has(p))]),
  );
  const ordered: typeof open = [];
  const placed = new Set<string>();
  while (ordered.length < open.length) {
    const ready = open.filter(
      ({ concept }) =>
        !placed.has(concept.concept) && (waitsFor.get(concept.concept) ?? []).every((p) => placed.has(p)),
    );
    // The widest gap first; then the graph's own order (foundations first).
    const next = ready.sort((x, y) => gap(y.concept.concept) - gap(x.concept.concept))[0];
    if (!next) break;
    ordered.push(next);
    placed.add(next.concept.concept);
  }
  const budget = input.weeklyHours * 60 * PLAN_WEEKS;
  const topics: PlannedTopic[] = [];
  let minutes = 0;
  for (const { concept, exercises } of ordered) {
    const estimatedMinutes = Math.max(1, exerciseMinutes(exercises, world));
    // Within the learner's time; a topic whose prerequisite did not fit does not either.
    const prerequisites = waitsFor.get(concept.concept) ?? [];
    const fits = minutes + estimatedMinutes <= budget;
    if (!fits || !prerequisites.every((p) => topics.some((topic) => topic.key === p))) continue;
    minutes += estimatedMinutes;
    topics.push({
      key: concept.concept,
      title: concept.title,
      description: concept.description,
      difficulty: Math.min(10, concept.difficulty + LEVEL_SHIFT[input.skillLevel]),
      objectives: [...concept.objectives],
      estimatedMinutes,
      concept: concept.concept,
      prerequisites,
      exercises,
    });
  }
  const goal = input.goals[0]?.trim();
  return { title: goal ? `Path: ${goal}`.slice(0, 120) : 'Your learning path', topics };
}
