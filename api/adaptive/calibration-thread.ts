/**
 * `calibrateItems` on a worker thread, so that a large pool's EM cycles (seconds for
 * 100,000 responses) do not hold up the event loop of the process that works the job (the
 * API itself, where evaluation workers run in it). Each call has a thread of its own, ended
 * with the result; calibrations are rare and minutes apart.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../errors.js';
import {
  calibrateItems,
  type CalibrationOptions,
  type CalibrationResult,
  type ItemParameters,
  type ItemResponse,
} from './calibration.js';
import { typeScriptThread } from './thread.js';

interface Task {
  responses: readonly ItemResponse[];
  items: readonly ItemParameters[];
  options: CalibrationOptions;
}

type Outcome = { result: CalibrationResult } | { error: { message: string; expected: boolean } };

/** Bad input the calibration refused (`calibrateItems`' InvalidInputError), from the thread. */
export class CalibrationInputError extends AppError {
  override name = 'CalibrationInputError';
}

/** Runs `calibrateItems(responses, items, options)` on a thread of its own. */
export function calibrateItemsOffThread(
  responses: readonly ItemResponse[],
  items: readonly ItemParameters[],
  options: CalibrationOptions = {},
): Promise<CalibrationResult> {
  const worker = typeScriptThread(import.meta.url, { workerData: { responses, items, options } satisfies Task });
  return new Promise((resolve, reject) => {
    worker.once('message', (outcome: Outcome) => {
      if ('result' in outcome) resolve(outcome.result);
      else if (outcome.error.expected) reject(new CalibrationInputError(outcome.error.message));
      else reject(new Error(`calibration thread: ${outcome.error.message}`));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`calibration thread exited (${code}) without a result`)));
  });
}

if (!isMainThread && parentPort && (workerData as { responses?: unknown } | null)?.responses) {
  const { responses, items, options } = workerData as Task;
  let outcome: Outcome;
  try {
    outcome = { result: calibrateItems(responses, items, options) };
  } catch (error) {
    outcome = {
      error: { message: error instanceof Error ? error.message : String(error), expected: error instanceof AppError },
    };
  }
  parentPort.postMessage(outcome);
}
