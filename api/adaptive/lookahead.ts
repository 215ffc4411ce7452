/**
 * Lookahead: once a session's next question is chosen, what answering it right and what
 * answering it wrong would give (θ by jsCAT, its stopping rules, θ per concept) is worked out
 * on a thread beside the event loop while the student reads the question. The answer then
 * takes its outcome instead of running jsCAT's estimate itself, and only the next selection
 * is left on its path.
 *
 * An outcome is a pure function of the session's responses, its settings and the pool's
 * parameters, so it is keyed by what fixes them: the session's id and `version` (bumped by
 * every answer), the question, and the pool's `revision` (bumped by every change to its
 * questions). A missing one (another process served the question, the thread is behind or
 * gone) is worked out on the request path as before: the thread only ever saves time.
 */
import { isMainThread, parentPort, type Worker, workerData } from 'node:worker_threads';
import {
  type ConceptEstimate,
  conceptEstimatesAfter,
  type EngineItem,
  type EngineResponse,
  type EngineSettings,
  type SessionOutcome,
  sessionOutcome,
} from './engine.js';
import { typeScriptThread } from './thread.js';

/** What answering the question gives: the session's outcome and θ per concept after it. */
export interface Ahead extends SessionOutcome {
  concepts: ConceptEstimate[];
}

/** What the thread needs to work out both outcomes of answering `next`. */
export interface AheadTask {
  /** The items answered and the next one. */
  items: EngineItem[];
  /** The answers so far, in order. */
  responses: EngineResponse[];
  next: string;
  settings: EngineSettings;
  /** θ per concept kept on the session now (null: not kept). */
  kept: ConceptEstimate[] | null;
}

/** Both outcomes of answering a question. */
interface Both {
  right: Ahead;
  wrong: Ahead;
}

export interface Lookahead {
  /** Starts working out both outcomes of `task` under `key` (see `lookaheadKey`). */
  prepare(key: string, task: AheadTask): void;
  /**
   * The outcome of answering right (`correct`) or wrong under `key`, waiting for it when it is
   * still being worked out; undefined when it was never prepared, or could not be. Taken once.
   */
  take(key: string, correct: boolean): Promise<Ahead | undefined>;
  /** Starts the thread if need be; resolves once it has loaded (false: it could not). */
  ready(): Promise<boolean>;
  /** Ends the thread; outcomes still pending become undefined. */
  close(): Promise<void>;
}

/** The key of the outcomes of answering `questionId` in a session as it stands now. */
export function lookaheadKey(
  session: { id: string; version: number },
  questionId: string,
  poolRevision: number,
): string {
  return `${session.id}:${session.version}:${questionId}:${poolRevision}`;
}

/** Both outcomes of answering the task's question, as the request path would work them out. */
export function workOut(task: AheadTask): Both {
  const items = new Map(task.items.map((item) => [item.id, item]));
  const after = (correct: boolean): Ahead => {
    const responses = [...task.responses, { itemId: task.next, correct }];
    return {
      ...sessionOutcome(items, responses, task.settings),
      concepts: conceptEstimatesAfter(items, responses, task.settings.estimator, task.kept),
    };
  };
  return { right: after(true), wrong: after(false) };
}

type Reply = { ready: true } | { id: number; both: Both } | { id: number; error: string };

/**
 * A lookahead on a thread of its own, started at the first `prepare`. Holds the outcomes of up
 * to `capacity` questions (the oldest dropped first: a student who never answers); while
 * `backlog` tasks wait for the thread, new ones are not prepared. Until the thread has loaded,
 * an answer does not wait for it.
 */
export function createLookahead(options: { capacity?: number; backlog?: number } = {}): Lookahead {
  const capacity = options.capacity ?? 10_000;
  const backlog = options.backlog ?? 16;
  const outcomes = new Map<string, Promise<Both | undefined>>();
  const pending = new Map<number, (both: Both | undefined) => void>();
  let thread: Worker | null = null;
  let ready = false;
  /** Told when the thread has loaded (true) or is gone (false). */
  let waiting: ((loaded: boolean) => void)[] = [];
  let sent = 0;
  const told = (loaded: boolean) => {
    for (const tell of waiting) tell(loaded);
    waiting = [];
  };

  const settleAll = () => {
    for (const settle of pending.values()) settle(undefined);
    pending.clear();
  };
  const start = () => {
    const worker = typeScriptThread(import.meta.url, { workerData: { lookahead: true } });
    // The thread never keeps the process alive: an idle server or test run still exits.
    worker.unref();
    worker.on('message', (reply: Reply) => {
      if ('ready' in reply) {
        ready = true;
        told(true);
        return;
      }
      const settle = pending.get(reply.id);
      pending.delete(reply.id);
      settle?.('both' in reply ? reply.both : undefined);
    });
    const gone = () => {
      if (thread !== worker) return;
      thread = null;
      ready = false;
      settleAll();
      told(false);
    };
    worker.on('error', gone);
    worker.on('exit', gone);
    return worker;
  };

  return {
    prepare(key, task) {
      if (outcomes.has(key) || pending.size >= backlog) return;
      thread ??= start();
      const id = (sent += 1);
      outcomes.set(key, new Promise((resolve) => pending.set(id, resolve)));
      thread.postMessage({ id, task });
      for (const oldest of outcomes.keys()) {
        if (outcomes.size <= capacity) break;
        outcomes.delete(oldest);
      }
    },
    async take(key, correct) {
      const outcome = outcomes.get(key);
      outcomes.delete(key);
      if (!outcome || !ready) return undefined;
      const both = await outcome;
      return both && (correct ? both.right : both.wrong);
    },
    ready() {
      if (ready) return Promise.resolve(true);
      thread ??= start();
      return new Promise((resolve) => waiting.push(resolve));
    },
    async close() {
      const worker = thread;
      thread = null;
      ready = false;
      settleAll();
      told(false);
      outcomes.clear();
      if (worker) await worker.terminate();
    },
  };
}

if (!isMainThread && parentPort && (workerData as { lookahead?: boolean } | null)?.lookahead) {
  const port = parentPort;
  port.on('message', ({ id, task }: { id: number; task: AheadTask }) => {
    let reply: Reply;
    try {
      reply = { id, both: workOut(task) };
    } catch (error) {
      reply = { id, error: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply);
  });
  port.postMessage({ ready: true } satisfies Reply);
}
