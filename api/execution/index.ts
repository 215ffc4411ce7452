/**
 * Chooses the executor from configuration: the local sandbox by default, Piston when
 * PISTON_API_URL is set (or EXECUTOR=piston), the unsandboxed runner only when
 * EXECUTOR=unsafe-local says so.
 */
import type { Executor } from './executor.js';
import { createPistonExecutor } from './piston.js';
import { createSandboxExecutor } from './sandbox/executor.js';
import type { SandboxOptions } from './sandbox/mechanism.js';
import { probeSandbox, type SandboxProbe } from './sandbox/probe.js';
import { createUnsafeLocalExecutor } from './unsafe-local.js';

export { probeSandbox, type SandboxOptions, type SandboxProbe };

/** The part of the environment that picks an executor. */
export interface ExecutorEnv {
  EXECUTOR?: 'sandbox' | 'piston' | 'unsafe-local';
  PISTON_API_URL?: string;
}

/**
 * Creates the configured executor. An explicit EXECUTOR wins; otherwise PISTON_API_URL
 * selects Piston, and the local sandbox is the default. `sandbox` tunes the local sandbox.
 */
export function createExecutor(env: ExecutorEnv, sandbox: SandboxOptions = {}): Executor {
  const kind = env.EXECUTOR ?? (env.PISTON_API_URL ? 'piston' : 'sandbox');
  switch (kind) {
    case 'unsafe-local':
      return createUnsafeLocalExecutor();
    case 'piston':
      if (!env.PISTON_API_URL) throw new Error('EXECUTOR=piston needs PISTON_API_URL');
      return createPistonExecutor({ url: env.PISTON_API_URL });
    case 'sandbox':
      return createSandboxExecutor(sandbox);
  }
}
