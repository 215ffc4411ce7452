/**
 * The curriculum-planner port: a planner proposes a plan for a learner (the model-backed one in
 * llm-planner.ts, or the built-in twin here), and `planCurriculum` checks what the model
 * proposed against what the learner may use. A model that cannot answer, answers with invalid
 * output, or proposes a plan that fails the checks gives way to the built-in planner, and the
 * outcome says which planner made the plan and why.
 */
import type { LlmCall } from '../llm/client.js';
import { LlmError, LlmOutputError, LlmUpstreamError } from '../llm/client.js';
import { builtinPlan, type PlannerInput, type PlannerItem, type PlannerPool } from './builtin-planner.js';
import { CONCEPT_GRAPH } from './concepts.js';
import { checkPlan, exerciseMinutes, type Plan, type PlanCheck, type PlanIssue, type PlanWorld } from './plan.js';

/** What a curriculum records as its planner. */
export type PlannerKind = 'ANTHROPIC' | 'BUILTIN';

/** A catalog item as a planner sees it: the built-in planner's fields and the title a model reads. */
export interface CatalogItem extends PlannerItem {
  title: string;
}

/** A question pool as a planner sees it, with its name. */
export interface CatalogPool extends PlannerPool {
  name: string;
}

/** What a planner plans from: the learner, their mastery, and the catalog they can use. */
export interface PlanRequest extends PlannerInput {
  items: readonly CatalogItem[];
  pools: readonly CatalogPool[];
}

/** A proposed plan (its shape valid, not yet checked against the catalog) and the LLM calls it took. */
export interface PlanProposal {
  plan: Plan;
  calls: LlmCall[];
}

/** Proposes curricula. */
export interface CurriculumPlanner {
  /** `builtin`, or `<provider>:<model>`. */
  readonly name: string;
  readonly kind: PlannerKind;
  /** Throws `LlmUpstreamError` or `LlmOutputError` (their `calls` are to be stored) when a model could not plan. */
  propose(request: PlanRequest): Promise<PlanProposal>;
}

/** The built-in planner's name. */
export const BUILTIN_PLANNER_NAME = 'builtin';

/** The note of a plan the built-in planner made because it is the one configured. */
export const BUILTIN_PLANNER_NOTE =
  'The built-in planner: the concept graph by prerequisites, widest proficiency gap first.';

/** The built-in planner behind the port: deterministic, no model, no calls. */
export function createBuiltinCurriculumPlanner(): CurriculumPlanner {
  return {
    name: BUILTIN_PLANNER_NAME,
    kind: 'BUILTIN',
    propose: async (request) => ({ plan: builtinPlan(request), calls: [] }),
  };
}

/** A plan and who made it: the checked plan, or why the built-in plan failed the checks (the caller refuses it). */
export interface PlanOutcome {
  check: PlanCheck;
  planner: PlannerKind;
  /** For the learner: which planner made it, and why the built-in one did when a model was asked. */
  note: string;
  /** Every LLM call made, refused ones included (flagged): to be stored as LlmInteractions. */
  calls: LlmCall[];
}

/** Issues listed in a note; the rest are counted. */
const NOTED_ISSUES = 5;

function listIssues(issues: readonly string[]): string {
  const shown = issues.slice(0, NOTED_ISSUES).join('; ');
  return issues.length > NOTED_ISSUES ? `${shown}; and ${issues.length - NOTED_ISSUES} more` : shown;
}

function issueLine(issue: PlanIssue): string {
  return issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}

const CONCEPTS = new Set(CONCEPT_GRAPH.map((concept) => concept.concept));

/**
 * The model's plan as it is checked: a topic takes at least its exercises' minutes (the
 * catalog's estimates; a model cannot fit the weekly time by understating them), and its
 * concept is one of the graph's (progress on question pools is measured per concept).
 */
function checkModelPlan(plan: Plan, world: PlanWorld): PlanCheck {
  const counted: Plan = {
    ...plan,
    topics: plan.topics.map((topic) => ({
      ...topic,
      estimatedMinutes: Math.max(topic.estimatedMinutes, exerciseMinutes(topic.exercises, world)),
    })),
  };
  const check = checkPlan(counted, world);
  const concepts = counted.topics.flatMap((topic, i): PlanIssue[] =>
    CONCEPTS.has(topic.concept)
      ? []
      : [{ path: ['topics', i, 'concept'], message: `"${topic.concept}" is not a concept of the graph` }],
  );
  if (concepts.length === 0) return check;
  return check.ok ? { ok: false, issues: concepts, cycle: null } : { ...check, issues: [...check.issues, ...concepts] };
}

/** Why a model gave no usable answer, for the note. */
function failureOf(error: LlmError): string {
  if (error instanceof LlmUpstreamError) {
    return `The model was unavailable (${error.reason}${error.status === null ? '' : `, HTTP ${error.status}`})`;
  }
  if (error instanceof LlmOutputError) return `The model's output was invalid: ${listIssues(error.issues)}`;
  return `The model's call failed: ${error.message}`;
}

/**
 * Plans a curriculum with `planner`: the built-in planner's plan as it is, or the model's when
 * it passes the checks against `world` (only existing items and pools, acyclic prerequisites,
 * every topic completable, within the weekly time); otherwise the built-in planner's, with a
 * note saying why. Only a programming error escapes: a model's failure is a fallback.
 */
export async function planCurriculum(
  planner: CurriculumPlanner,
  request: PlanRequest,
  world: PlanWorld,
): Promise<PlanOutcome> {
  const builtin = (note: string, calls: LlmCall[]): PlanOutcome => ({
    check: checkPlan(builtinPlan(request), world),
    planner: 'BUILTIN',
    note,
    calls,
  });
  if (planner.kind === 'BUILTIN') return builtin(BUILTIN_PLANNER_NOTE, []);
  let proposal: PlanProposal;
  try {
    proposal = await planner.propose(request);
  } catch (error) {
    if (!(error instanceof LlmError)) throw error;
    return builtin(`${failureOf(error)}; the built-in planner made this one.`, error.calls);
  }
  const check = checkModelPlan(proposal.plan, world);
  if (!check.ok) {
    const issues = listIssues(check.issues.map(issueLine));
    const used = proposal.calls.at(-1);
    if (used) {
      used.error = `plan refused: ${issues}`;
      used.flagReason = `PLAN_REFUSED: ${issues}`;
    }
    return builtin(`The model's plan was refused: ${issues}; the built-in planner made this one.`, proposal.calls);
  }
  const minutes = check.plan.topics.reduce((sum, topic) => sum + topic.estimatedMinutes, 0);
  const budget = world.budgetMinutes === null ? '' : ` of the ${world.budgetMinutes} the weekly hours allow`;
  return {
    check,
    planner: planner.kind,
    note: `Planned by ${planner.name}: ${check.plan.topics.length} topics, ${minutes} minutes${budget}; checked against the catalog, the prerequisites and the weekly time.`,
    calls: proposal.calls,
  };
}
