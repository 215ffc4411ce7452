/**
 * Evaluation jobs go through pg-boss, in both runtime modes: on PostgreSQL (DATABASE_URL) with
 * its own pool and a LISTEN connection, shared by any number of API and worker processes; on
 * the embedded PGlite through the same instance (pg-boss's `pglite` backend).
 *
 * - One job per run, whose id is the run's id, sent in the transaction that queues the run: a
 *   run is never queued without its job, nor a job sent for a run that rolled back.
 * - A worker heartbeats its job. One that stops (SIGKILL, a lost machine) stops heartbeating,
 *   and pg-boss gives the job to another worker after EVAL_HEARTBEAT_SECONDS; the run's
 *   `leaseOwner` fence (queue.ts) keeps the first one from finishing it too.
 * - A job that failed EVAL_RETRY_LIMIT + 1 times goes to a dead-letter queue whose worker ends
 *   the run FAILED with the reason ABANDONED, so no run waits forever.
 *
 * Adaptive tests use the same engine: a calibration run's job (sent like an evaluation's, with
 * its own dead-letter queue), and a scheduled sweep that expires idle sessions every minute.
 */
import { fromPglite, fromPrisma, PgBoss } from 'pg-boss';
import type { Database } from '../db.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';

/** The queue of runs to evaluate; a job's data is `{ runId }`. */
export const EVALUATION_QUEUE = 'evaluation';
/** Where jobs go once their retries are used up. */
export const ABANDONED_QUEUE = 'evaluation-abandoned';

/** The queue of code runs (runCode: the student's code on the examples and their own arguments); data `{ codeRunId }`. */
export const CODE_RUN_QUEUE = 'code-run';
/** Where code-run jobs go once their retries are used up. */
export const CODE_RUN_ABANDONED_QUEUE = 'code-run-abandoned';

/** The queue of calibration runs (calibrateQuestionPool); data `{ calibrationRunId }`. */
export const CALIBRATION_QUEUE = 'calibrate-pool';
/** Where calibration jobs go once their retries are used up. */
export const CALIBRATION_ABANDONED_QUEUE = 'calibrate-pool-abandoned';

/** The scheduled sweep that ends adaptive test sessions left idle past their expiry; data `{}`. */
export const EXPIRY_SWEEP_QUEUE = 'expire-adaptive-sessions';
/** When the sweep runs (cron, UTC): every minute. */
export const EXPIRY_SWEEP_CRON = '* * * * *';

/** Runs given their job per statement at start-up. */
const ADOPT_BATCH = 1_000;

/** A job's data. */
export interface EvaluationJob {
  runId: string;
}

/** A code run's job data. */
export interface CodeRunJob {
  codeRunId: string;
}

/** A calibration run's job data. */
export interface CalibrationJob {
  calibrationRunId: string;
}

/** The expiry sweep's job data: nothing, it sweeps every session. */
export type ExpirySweepJob = Record<string, never>;

/** Each queue's job data. */
export interface QueueJobs {
  [EVALUATION_QUEUE]: EvaluationJob;
  [ABANDONED_QUEUE]: EvaluationJob;
  [CODE_RUN_QUEUE]: CodeRunJob;
  [CODE_RUN_ABANDONED_QUEUE]: CodeRunJob;
  [CALIBRATION_QUEUE]: CalibrationJob;
  [CALIBRATION_ABANDONED_QUEUE]: CalibrationJob;
  [EXPIRY_SWEEP_QUEUE]: ExpirySweepJob;
}

/** A queue's name. */
export type QueueName = keyof QueueJobs;

/** The job engine of one process; pg-boss stays behind it. */
export interface JobQueue {
  /** Sends the job evaluating `runId` inside the caller's transaction. */
  enqueue(tx: Prisma.TransactionClient, runId: string): Promise<void>;
  /** Sends the job of a code run inside the caller's transaction. */
  enqueueCodeRun(tx: Prisma.TransactionClient, codeRunId: string): Promise<void>;
  /** Sends the job of a calibration run inside the caller's transaction. */
  enqueueCalibration(tx: Prisma.TransactionClient, calibrationRunId: string): Promise<void>;
  /**
   * Sends the expiry sweep's job now rather than at its next scheduled minute (a sweep already
   * waiting makes this a no-op: the queue holds one waiting sweep at most).
   */
  sweepExpiredNow(): Promise<void>;
  /** The recurring jobs, by queue: their cron expressions (UTC). */
  schedules(): Promise<{ queue: string; cron: string }[]>;
  /**
   * Works `queue`'s jobs one at a time per slot, `concurrency` slots (default 1), until
   * `stopWorking`. A handler that throws fails the job: it is retried, then dead-lettered.
   */
  work<Q extends QueueName>(
    queue: Q,
    options: { concurrency?: number },
    handle: (data: QueueJobs[Q]) => Promise<void>,
  ): Promise<void>;
  /** Stops working `queue`, waiting for the jobs in hand. */
  stopWorking(queue: QueueName): Promise<void>;
  /** Takes up to `limit` waiting jobs of `queue` without working them, as a worker that then died would (tests). */
  take<Q extends QueueName>(queue: Q, limit: number): Promise<QueueJobs[Q][]>;
  /** The data of the job `id` of `queue`; null when there is none. */
  findJob<Q extends QueueName>(queue: Q, id: string): Promise<QueueJobs[Q] | null>;
  /** Deletes the job `id` of `queue` (tests: a run queued before jobs went through pg-boss). */
  deleteJob(queue: QueueName, id: string): Promise<void>;
  /** Jobs of `queue` waiting to be taken. */
  queuedCount(queue: QueueName): Promise<number>;
  /** Stops pg-boss (stop working the queues first) and closes its connections. */
  stop(): Promise<void>;
}

/** Options of the queue, from the environment. */
export interface JobQueueOptions {
  /** EVAL_HEARTBEAT_SECONDS: silence after which a job goes to another worker (at least 10). */
  heartbeatSeconds: number;
  /** EVAL_RETRY_LIMIT: deliveries after the first before a run is abandoned. */
  retryLimit: number;
  logger: Logger;
}

/** Starts pg-boss on the database (installing or migrating its schema) and creates the queues. */
export async function openJobQueue(database: Database, options: JobQueueOptions): Promise<JobQueue> {
  // Heartbeat loss is found by pg-boss's supervisor; look a few times per heartbeat period.
  const sweepSeconds = Math.max(1, Math.floor(options.heartbeatSeconds / 3));
  const common = {
    useListenNotify: true,
    superviseIntervalSeconds: sweepSeconds,
    monitorIntervalSeconds: sweepSeconds,
  };
  const boss =
    'url' in database.connection
      ? new PgBoss({ ...common, connectionString: database.connection.url, max: 4, application_name: 'pg-boss' })
      : new PgBoss({ ...common, db: fromPglite(database.connection.pglite), backend: 'pglite' });
  boss.on('error', (error) => options.logger.error('job queue', error));
  await boss.start();
  await boss.createQueue(ABANDONED_QUEUE, { notify: true });
  await boss.createQueue(CODE_RUN_ABANDONED_QUEUE, { notify: true });
  const queue = {
    heartbeatSeconds: options.heartbeatSeconds,
    retryLimit: options.retryLimit,
    retryBackoff: true,
    retryDelay: 1,
    retryDelayMax: 30,
    deadLetter: ABANDONED_QUEUE,
    notify: true,
  };
  await boss.createQueue(EVALUATION_QUEUE, queue);
  // An existing queue keeps its settings on createQueue: bring them in line with this process's.
  await boss.updateQueue(EVALUATION_QUEUE, queue);
  const codeRunQueue = { ...queue, deadLetter: CODE_RUN_ABANDONED_QUEUE };
  await boss.createQueue(CODE_RUN_QUEUE, codeRunQueue);
  await boss.updateQueue(CODE_RUN_QUEUE, codeRunQueue);
  await boss.createQueue(CALIBRATION_ABANDONED_QUEUE, { notify: true });
  const calibrationQueue = { ...queue, deadLetter: CALIBRATION_ABANDONED_QUEUE };
  await boss.createQueue(CALIBRATION_QUEUE, calibrationQueue);
  await boss.updateQueue(CALIBRATION_QUEUE, calibrationQueue);
  // One waiting sweep at most ('stately'), so minutes without a worker do not pile sweeps up; a
  // failed sweep is not retried (the next minute's does the same), and done ones are dropped soon.
  const sweepQueue = { retryLimit: 0, retentionSeconds: 300, deleteAfterSeconds: 3_600, notify: true };
  await boss.createQueue(EXPIRY_SWEEP_QUEUE, { ...sweepQueue, policy: 'stately' });
  await boss.updateQueue(EXPIRY_SWEEP_QUEUE, sweepQueue);
  // Stored in pg-boss's schedule table, one row for all processes (each start rewrites it with
  // the same expression): whichever instance's cron pass comes first sends the minute's job.
  await boss.schedule(EXPIRY_SWEEP_QUEUE, EXPIRY_SWEEP_CRON, {} satisfies ExpirySweepJob);
  // Runs still to evaluate get their job if they have none (runs queued before jobs went
  // through pg-boss, or written straight to the database): a job id that exists is left alone.
  const waiting = await database.prisma.evaluationRun.findMany({
    where: { status: { in: ['QUEUED', 'RUNNING'] } },
    select: { id: true },
    orderBy: { queuedAt: 'asc' },
    take: 10_000,
  });
  // In batches, one statement each; a job whose id exists is skipped (the runs with a job).
  let adopted = 0;
  for (let at = 0; at < waiting.length; at += ADOPT_BATCH) {
    const batch = waiting
      .slice(at, at + ADOPT_BATCH)
      .map(({ id }) => ({ id, data: { runId: id } satisfies EvaluationJob }));
    adopted += (await boss.insert(EVALUATION_QUEUE, batch, { returnId: true }))?.length ?? 0;
  }
  if (adopted > 0) options.logger.info(`evaluation: ${adopted} waiting run(s) without a job were queued`);
  return {
    async enqueue(tx, runId) {
      await boss.send(EVALUATION_QUEUE, { runId } satisfies EvaluationJob, { id: runId, db: fromPrisma(tx) });
    },
    async enqueueCodeRun(tx, codeRunId) {
      await boss.send(CODE_RUN_QUEUE, { codeRunId } satisfies CodeRunJob, { id: codeRunId, db: fromPrisma(tx) });
    },
    async enqueueCalibration(tx, calibrationRunId) {
      await boss.send(CALIBRATION_QUEUE, { calibrationRunId } satisfies CalibrationJob, {
        id: calibrationRunId,
        db: fromPrisma(tx),
      });
    },
    async sweepExpiredNow() {
      await boss.send(EXPIRY_SWEEP_QUEUE, {} satisfies ExpirySweepJob);
    },
    async schedules() {
      return (await boss.getSchedules()).map((schedule) => ({ queue: schedule.name, cron: schedule.cron }));
    },
    async work(name, options, handle) {
      await boss.work<QueueJobs[typeof name]>(
        name,
        // New jobs wake workers at once (NOTIFY); a retried job (its worker died) is found by polling.
        { localConcurrency: options.concurrency ?? 1, batchSize: 1, notifyPollingIntervalSeconds: 2 },
        async ([job]) => {
          if (!job) return;
          try {
            await handle(job.data);
          } finally {
            // More may be waiting: look again at once instead of after pg-boss's polling interval.
            for (const worker of boss.getWipData()) if (worker.name === name) boss.notifyWorker(worker.id);
          }
        },
      );
    },
    stopWorking: (name) => boss.offWork(name, { wait: true }),
    async take(name, limit) {
      return (await boss.fetch<QueueJobs[typeof name]>(name, { batchSize: limit })).map((job) => job.data);
    },
    async findJob(name, id) {
      return (await boss.findJobs<QueueJobs[typeof name]>(name, { id }))[0]?.data ?? null;
    },
    async deleteJob(name, id) {
      await boss.deleteJob(name, id);
    },
    queuedCount: async (name) => (await boss.getQueue(name))?.queuedCount ?? 0,
    stop: () => boss.stop({ graceful: false, timeout: 5_000 }),
  };
}
