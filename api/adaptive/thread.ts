/**
 * Worker threads that run this codebase's TypeScript modules: the thread registers tsx itself
 * before importing its module. Loader hooks are per thread, and a worker's own entry is
 * resolved before an `--import` would run, so the parent's registration does not reach it.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** A thread running the module at `moduleUrl` (an `import.meta.url`), its side of the work in `isMainThread` false. */
export function typeScriptThread(moduleUrl: string, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(moduleUrl)}); })`;
  return new Worker(entry, { ...options, eval: true });
}
