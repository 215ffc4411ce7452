/**
 * Where a learner stands in their curriculum: which topics are open. A topic opens when every
 * prerequisite is completed (its best score at the mastery threshold); practice mode opens
 * every topic, since prerequisites guide rather than imprison.
 */
import { MASTERY_THRESHOLD } from './builtin-planner.js';

/** Whether a topic is locked, and what it waits for. */
export interface TopicLock {
  locked: boolean;
  /** What it waits for, for people; null when open. */
  reason: string | null;
}

/** The lock of a topic with these prerequisites (`practiceMode`: the learner opened everything). */
export function topicLock(
  prerequisites: readonly { title: string; completed: boolean }[],
  practiceMode: boolean,
): TopicLock {
  const waiting = prerequisites.filter((p) => !p.completed).map((p) => p.title);
  if (practiceMode || waiting.length === 0) return { locked: false, reason: null };
  const names = waiting.length === 1 ? waiting[0] : `${waiting.slice(0, -1).join(', ')} and ${waiting.at(-1)}`;
  return {
    locked: true,
    reason: `Waits for ${names} (mastery ${MASTERY_THRESHOLD} or more), or switch on practice mode to open it now.`,
  };
}
