/**
 * Curriculum plans: the checks every plan passes (a cycle refused and named, exercises that
 * exist, no topic that could never be completed, the learner's time), and the built-in
 * planner, which orders the concept graph by prerequisites and proficiency gaps.
 */
import { describe, expect, it } from 'vitest';
import { builtinPlan, type PlannerInput } from '../api/paths/builtin-planner.js';
import { CONCEPT_GRAPH } from '../api/paths/concepts.js';
import { checkPlan, type Plan, PLAN_WEEKS, type PlanWorld } from '../api/paths/plan.js';
import { topicLock } from '../api/paths/progress.js';

const items = CONCEPT_GRAPH.flatMap((concept) =>
  concept.patterns.flatMap((pattern) =>
    [1, 2, 3].map((rung) => ({
      id: `${pattern.toLowerCase()}-${rung}`,
      track: pattern.startsWith('SYSTEM_DESIGN')
        ? 'SYSTEM_DESIGN'
        : pattern.startsWith('DEBUG')
          ? 'DEBUG_LAB'
          : 'CODING_INTERVIEW',
      pattern,
      rung,
      estimatedMinutes: 20,
    })),
  ),
);
const pools = [
  { id: 'pool', concepts: CONCEPT_GRAPH.map((concept) => concept.concept).filter((c) => c !== 'SYSTEM_DESIGN') },
];
const world: PlanWorld = {
  items: new Map(items.map((item) => [item.id, item])),
  pools: new Set(['pool']),
  budgetMinutes: 3 * 60 * PLAN_WEEKS,
};
const learner = (overrides: Partial<PlannerInput> = {}): PlannerInput => ({
  items,
  pools,
  mastery: new Map(),
  skillLevel: 'BEGINNER',
  learningStyle: 'MIXED',
  weeklyHours: 3,
  goals: [],
  tracks: [],
  ...overrides,
});

const topic = (
  key: string,
  prerequisites: string[] = [],
  exercises: Plan['topics'][number]['exercises'] = [{ questionPoolId: 'pool' }],
) => ({
  key,
  title: `Topic ${key}`,
  description: '',
  difficulty: 3,
  objectives: [],
  estimatedMinutes: 30,
  concept: 'HASHING',
  prerequisites,
  exercises,
});

describe('plan checks', () => {
  it('refuses a prerequisite cycle, naming its topics in the order they wait for each other', () => {
    const check = checkPlan(
      { title: 'Loop', topics: [topic('a', ['c']), topic('b', ['a']), topic('c', ['b']), topic('d')] },
      world,
    );
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.cycle).toEqual(['Topic a', 'Topic b', 'Topic c']);
    expect(check.issues[0]?.message).toBe('the prerequisites form a cycle: Topic a → Topic b → Topic c → Topic a');
  });

  it('names each bad field: an unknown exercise, a topic out of order, a self-wait, a missing topic, a bad difficulty', () => {
    const check = checkPlan(
      {
        title: 'Bad',
        topics: [
          topic('a', ['b'], [{ contentItemId: 'no-such-item' }]),
          topic('b', [], [{ questionPoolId: 'no-such-pool' }]),
          topic('c', ['c', 'zzz']),
        ],
      },
      world,
    );
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.cycle).toBeNull();
    expect(check.issues).toEqual(
      expect.arrayContaining([
        {
          path: ['topics', 0, 'exercises', 0, 'contentItemId'],
          message: 'is not a published content item the learner can open',
        },
        {
          path: ['topics', 1, 'exercises', 0, 'questionPoolId'],
          message: 'is not a question pool the learner can take tests on',
        },
        { path: ['topics', 0, 'prerequisites', 0], message: '"b" must come before this topic' },
        { path: ['topics', 2, 'prerequisites', 0], message: 'a topic cannot wait for itself' },
        { path: ['topics', 2, 'prerequisites', 1], message: '"zzz" is not a topic of this plan' },
      ]),
    );
    const shape = checkPlan({ title: 'Shape', topics: [{ ...topic('a'), difficulty: 11 }] }, world);
    expect(shape.ok || shape.issues).toEqual([{ path: ['topics', 0, 'difficulty'], message: 'must be 1 to 10' }]);
  });

  it('refuses a prerequisite topic with no exercise: it could never be completed, and blocks what waits for it', () => {
    const check = checkPlan({ title: 'Empty', topics: [topic('a', [], []), topic('b', ['a'])] }, world);
    expect(check.ok || check.issues).toEqual([
      {
        path: ['topics', 0, 'exercises'],
        message: 'has no exercise, so it could never be completed, and Topic b would wait for it forever',
      },
    ]);
  });

  it('refuses a plan longer than the weekly hours allow', () => {
    const long = { title: 'Long', topics: [{ ...topic('a'), estimatedMinutes: 6_000 }] };
    const check = checkPlan(long, { ...world, budgetMinutes: 60 * PLAN_WEEKS });
    expect(check.ok || check.issues[0]?.message).toBe(
      `takes 6000 minutes, more than the ${60 * PLAN_WEEKS} the weekly hours allow over ${PLAN_WEEKS} weeks`,
    );
    expect(checkPlan(long, { ...world, budgetMinutes: 6_000 }).ok).toBe(true);
  });
});

describe('the built-in planner', () => {
  it('puts every prerequisite first, and passes the checks', () => {
    const plan = builtinPlan(learner({ weeklyHours: 10 }));
    const keys = plan.topics.map((t) => t.key);
    expect(keys[0]).toBe('COMPLEXITY');
    expect(keys).toHaveLength(CONCEPT_GRAPH.length);
    for (const [i, t] of plan.topics.entries()) {
      for (const p of t.prerequisites) expect(keys.indexOf(p)).toBeLessThan(i);
    }
    expect(checkPlan(plan, { ...world, budgetMinutes: 10 * 60 * PLAN_WEEKS }).ok).toBe(true);
    // Items by rung, then the test on the concept.
    expect(plan.topics.find((t) => t.key === 'HASHING')?.exercises).toEqual([
      { contentItemId: 'hashing-1' },
      { contentItemId: 'hashing-2' },
      { contentItemId: 'hashing-3' },
      { questionPoolId: 'pool' },
    ]);
  });

  it('leaves out what the learner has mastered, and takes the widest gap first among the ready topics', () => {
    const plan = builtinPlan(
      learner({
        weeklyHours: 10,
        mastery: new Map([
          ['COMPLEXITY', 0.9],
          ['HASHING', 0.75],
          ['TWO_POINTERS', 0.6],
          ['STACK', 0.1],
        ]),
      }),
    );
    const keys = plan.topics.map((t) => t.key);
    expect(keys).not.toContain('COMPLEXITY');
    expect(keys).not.toContain('HASHING');
    // Ready at once: DEBUGGING (gap 0.7), STACK (0.6), TWO_POINTERS (0.1): the widest first. GRAPHS
    // (0.7) is ready once STACK is placed, SYSTEM_DESIGN once GRAPHS is: both before the narrow
    // TWO_POINTERS, which the last three wait for.
    expect(keys).toEqual([
      'DEBUGGING',
      'STACK',
      'GRAPHS',
      'SYSTEM_DESIGN',
      'TWO_POINTERS',
      'SLIDING_WINDOW',
      'BINARY_SEARCH',
      'DYNAMIC_PROGRAMMING',
    ]);
    // A prerequisite the learner already knows is not waited for.
    expect(plan.topics.find((t) => t.key === 'SLIDING_WINDOW')?.prerequisites).toEqual(['TWO_POINTERS']);
  });

  it('fits the weekly time, keeping prerequisites; follows the style and the level', () => {
    const short = builtinPlan(learner({ weeklyHours: 0.5 }));
    const minutes = short.topics.reduce((sum, t) => sum + t.estimatedMinutes, 0);
    expect(minutes).toBeLessThanOrEqual(0.5 * 60 * PLAN_WEEKS);
    expect(short.topics.length).toBeLessThan(CONCEPT_GRAPH.length);
    expect(checkPlan(short, { ...world, budgetMinutes: 0.5 * 60 * PLAN_WEEKS }).ok).toBe(true);
    const reading = builtinPlan(learner({ learningStyle: 'READING' }));
    expect(reading.topics.find((t) => t.key === 'HASHING')?.exercises[0]).toEqual({ questionPoolId: 'pool' });
    const expert = builtinPlan(learner({ skillLevel: 'EXPERT', tracks: ['CODING_INTERVIEW'] }));
    expect(expert.topics.find((t) => t.key === 'HASHING')?.exercises).toEqual([
      { contentItemId: 'hashing-2' },
      { contentItemId: 'hashing-3' },
      { questionPoolId: 'pool' },
    ]);
    expect(expert.topics.some((t) => t.key === 'SYSTEM_DESIGN')).toBe(false);
  });
});

describe('locks', () => {
  const prerequisites = [
    { title: 'Hashing', completed: true },
    { title: 'Stacks', completed: false },
    { title: 'Two pointers', completed: false },
  ];
  const learner = { template: false, completed: false, practiceMode: false };

  it('locks a topic until every prerequisite is completed, naming those it waits for', () => {
    expect(topicLock(prerequisites, learner)).toEqual({
      locked: true,
      reason: 'Waits for Stacks and Two pointers (mastery 0.7 or more), or switch on practice mode to open it now.',
    });
    expect(
      topicLock(
        prerequisites.map((p) => ({ ...p, completed: true })),
        learner,
      ),
    ).toEqual({ locked: false, reason: null });
  });

  it('opens it in practice mode, once it is completed itself, and in a class template', () => {
    for (const open of [{ practiceMode: true }, { completed: true }, { template: true }]) {
      expect(topicLock(prerequisites, { ...learner, ...open }).locked).toBe(false);
    }
  });
});
