/**
 * The local sandbox executor: each program runs in a fresh bubblewrap container (else an
 * `unshare` container; bubblewrap.ts and unshare.ts build them) with no network, no view of
 * the host's files, processes or environment, a small writable tmpfs at /sandbox, and
 * resource limits; nothing it starts outlives it.
 *
 * How each limit is enforced (rlimits are set by `prlimit` inside the container, so they
 * bind the program and its children, never the sandbox tooling):
 * - CPU: read from the host (/proc, meter.ts) while the program runs; the container is killed
 *   when the loading or a test passes cpuMs. RLIMIT_CPU (cpuMs × (tests + 1), SIGXCPU then
 *   SIGKILL a second later) is only the backstop.
 * - Wall clock: a timer (program-watch.ts) SIGKILLs the container's process group; bwrap's
 *   `--die-with-parent` / unshare's `--kill-child` take down its pid namespace, and with it
 *   every process inside (daemons included).
 * - Memory: RLIMIT_AS. Python: memoryBytes + 32 MiB for the interpreter's own mappings.
 *   Node: V8 reserves ~730 MiB of address space it never touches, so the heap is capped with
 *   `--max-old-space-size` = memoryBytes and the address space at memoryBytes + 1 GiB (which
 *   bounds Buffers and other off-heap memory). cgroups are not used: they belong to whoever
 *   runs the server (container runtime, systemd) and are rarely delegated.
 * - Processes: RLIMIT_NPROC (threads count too). It is counted per uid per user namespace,
 *   so runs do not share it; because the kernel exempts host root from it, a server running
 *   as root drops to an unprivileged host uid (65534) before starting bwrap.
 * - Output: stdout + stderr are read up to outputBytes, then the container is killed.
 * - Files: RLIMIT_FSIZE per file, and the tmpfs mounts are size-limited and vanish with the container.
 */
import { type ExecutionRequest, type Executor, SandboxUnavailableError, type TestRunResult } from '../executor.js';
import { runTestCases } from '../run-tests.js';
import { bubblewrap } from './bubblewrap.js';
import { findOnPath } from './host.js';
import type { SandboxMechanism, SandboxOptions } from './mechanism.js';
import { cachedPlan } from './probe.js';
import { runInSandbox } from './run.js';

/** The sandboxed executor; the first run waits for the (cached) probe. */
export class SandboxExecutor implements Executor {
  private mechanism: SandboxMechanism | null = null;

  constructor(private readonly options: SandboxOptions = {}) {}

  /** `bubblewrap` or `unshare` once probed; before that, the mechanism that will be tried first. */
  get name(): string {
    if (this.mechanism) return this.mechanism;
    if (this.options.mechanism === 'unshare') return 'unshare';
    return findOnPath(bubblewrap.tool(this.options)) ? 'bubblewrap' : 'unshare';
  }

  async run(
    request: ExecutionRequest,
    onTest: (result: TestRunResult) => Promise<void> | void,
  ): Promise<TestRunResult[]> {
    const { plan, probe } = await cachedPlan(this.options);
    if (!plan) throw new SandboxUnavailableError(`No sandbox works here: ${probe.problems.join('; ')}`);
    this.mechanism = plan.mechanism.name;
    const language = request.language === 'TYPESCRIPT' ? 'JAVASCRIPT' : request.language;
    if (!plan.runtimes[language]) {
      throw new SandboxUnavailableError(`${request.language} cannot run in the sandbox: ${probe.problems.join('; ')}`);
    }
    return runTestCases(
      request,
      (lang, program, limits, control) => runInSandbox(plan, lang, program, limits, control),
      onTest,
    );
  }
}

/** Creates the sandboxed executor (bubblewrap when it works here, else unshare). */
export function createSandboxExecutor(options: SandboxOptions = {}): Executor {
  return new SandboxExecutor(options);
}
