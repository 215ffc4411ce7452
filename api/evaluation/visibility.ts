/**
 * What of a hidden test's result a viewer sees, in the stored results and in the live events
 * alike: the run's student sees what the organization that owns the item allows
 * (`testVisibility`; pass or fail for global items), everyone else who may read the run (their
 * instructors) sees all. Output and the returned value of a hidden test, which could give its
 * inputs away, are never shown to the student.
 */
import type { EvaluationEvent, Prisma } from '../generated/prisma/client.js';
import type { TestVisibility } from '../generated/prisma/enums.js';

/** How much of one test's result the viewer sees. */
export type TestView = 'ALL' | TestVisibility;

/** What a run needs selected for `hiddenTestView`. */
export const TEST_VIEW_SELECT = {
  attempt: {
    select: { userId: true, contentItem: { select: { organization: { select: { testVisibility: true } } } } },
  },
} as const satisfies Prisma.EvaluationRunSelect;

/** A run with what `TEST_VIEW_SELECT` selects. */
export type TestViewRun = Prisma.EvaluationRunGetPayload<{ select: typeof TEST_VIEW_SELECT }>;

/** How the viewer (`viewerUserId`, null when signed out) sees the run's hidden tests. */
export function hiddenTestView(viewerUserId: string | null | undefined, run: TestViewRun): TestView {
  // The organization that owns the item (and wrote its tests) decides; global items show pass or fail.
  return viewerUserId === run.attempt.userId
    ? (run.attempt.contentItem.organization?.testVisibility ?? 'PASS_FAIL_ONLY')
    : 'ALL';
}

/** How the viewer sees one test, given how they see the run's hidden tests. */
export function testView(hidden: boolean, hiddenView: TestView): TestView {
  return hidden ? hiddenView : 'ALL';
}

/**
 * The verdict shown: where only pass or fail may be seen, anything but PASSED is FAILED,
 * except NOT_RUN (it tells how the run ended, nothing of the test).
 */
export function shownVerdict<V extends string>(verdict: V, view: TestView): V | 'FAILED' {
  return view === 'PASS_FAIL_ONLY' && verdict !== 'PASSED' && verdict !== 'NOT_RUN' ? 'FAILED' : verdict;
}

/** Whether the test's name, run time and memory are shown. */
export function showsDetails(view: TestView): boolean {
  return view !== 'PASS_FAIL_ONLY';
}

/** Whether the test's output and returned value are shown. */
export function showsOutput(view: TestView): boolean {
  return view === 'ALL';
}

/** An event as the viewer sees it: a TEST_CASE_FINISHED event masked as its test's result is; others as stored. */
export function visibleEvent(event: EvaluationEvent, hiddenView: TestView): EvaluationEvent {
  if (event.type !== 'TEST_CASE_FINISHED') return event;
  const payload = (event.payload ?? {}) as Prisma.JsonObject;
  const view = testView(payload.hidden === true, hiddenView);
  if (view === 'ALL') return event;
  const verdict = typeof payload.verdict === 'string' ? shownVerdict(payload.verdict, view) : payload.verdict;
  // The event keeps its run time (the field is not nullable); the stored result hides it where it hides the name.
  return {
    ...event,
    payload: { ...payload, verdict, memoryKb: showsDetails(view) ? (payload.memoryKb ?? null) : null },
  };
}
