/**
 * The container mechanism interface (bubblewrap.ts, unshare.ts implement it), the plan a
 * working mechanism runs with, and the parts of a container both mechanisms build alike.
 */
import { join } from 'node:path';
import type { PreparedProgram, RuntimeLanguage } from '../driver.js';
import type { Limits } from '../executor.js';

/** Which isolation tool runs the programs. */
export type SandboxMechanism = 'bubblewrap' | 'unshare';

/** How the sandbox is set up; every field has a working default. */
export interface SandboxOptions {
  /** `auto` (default) tries bubblewrap, then unshare. */
  mechanism?: 'auto' | SandboxMechanism;
  /** bwrap executable; default: `bwrap` on PATH. */
  bwrapPath?: string;
  /** unshare executable (util-linux); default: `unshare` on PATH. */
  unsharePath?: string;
  /** Node.js for JavaScript and TypeScript; default: the server's own (`process.execPath`). */
  nodePath?: string;
  /** Python 3 (a pyenv shim is fine: it is asked for its real executable); default: `python3` on PATH. */
  pythonPath?: string;
  /** Host uid / gid programs run as when the server runs as root; default 65534 (nobody). */
  uid?: number;
  gid?: number;
}

/** An interpreter as seen from inside the container. */
export interface Runtime {
  /** Executable path inside the container. */
  executable: string;
  /** Host directories bound read-only into the container for this runtime. */
  binds: { host: string; inside: string }[];
  env: Record<string, string>;
}

/** What a probed mechanism runs with: its tool and helpers, who programs run as, and the runtimes that work. */
export interface SandboxPlan {
  mechanism: ContainerMechanism;
  tool: string;
  helpers: { sh: string; setpriv: string; prlimit: string; env: string; mount: string; unshare: string };
  asRoot: boolean;
  uid: number;
  gid: number;
  /** Empty host directories (mode 0755) that runtime prefixes are bound onto, in a private mount namespace. */
  stageDir: string;
  systemLayout: { path: string; symlink?: string }[];
  runtimes: Partial<Record<RuntimeLanguage, Runtime>>;
}

/** One way to build a fresh container for a program. */
export interface ContainerMechanism {
  readonly name: SandboxMechanism;
  /** The tool as configured: a path, or a name looked up on PATH (the probe checks it is there). */
  tool(options: SandboxOptions): string;
  /**
   * The host command line that runs `program` in a fresh container: the program file arrives
   * on fd 3, and the tool writes on fd 4 once the program has started.
   */
  command(
    plan: SandboxPlan,
    runtime: Runtime,
    language: RuntimeLanguage,
    program: PreparedProgram,
    limits: Limits,
  ): string[];
  /** Whether what the tool wrote on fd 4 says the program started (else the container failed to start). */
  started(status: string): boolean;
}

export const SANDBOX_DIR = '/sandbox';
const INNER_PATH = '/usr/local/bin:/usr/bin:/bin';
/** The whole environment a program sees (plus its runtime's own). */
export const INNER_ENV = { PATH: INNER_PATH, HOME: SANDBOX_DIR, LANG: 'C.UTF-8', TMPDIR: '/tmp' };
const NODE_ADDRESS_SPACE_HEADROOM = 1024 * 1024 * 1024;
const PYTHON_ADDRESS_SPACE_HEADROOM = 32 * 1024 * 1024;
const MIN_TMPFS_BYTES = 8 * 1024 * 1024;

/** Single-quotes a value for /bin/sh. */
export function shq(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Command line (prlimit + interpreter) run inside the container. */
export function innerCommand(
  plan: SandboxPlan,
  runtime: Runtime,
  language: RuntimeLanguage,
  program: PreparedProgram,
  limits: Limits,
): string[] {
  // A backstop for the whole program (the loading and each test get cpuMs): the host binds each test.
  const cpuSeconds = Math.max(1, Math.ceil((limits.cpuMs * ((program.tests ?? 0) + 1)) / 1000));
  const addressSpace =
    language === 'JAVASCRIPT'
      ? limits.memoryBytes + NODE_ADDRESS_SPACE_HEADROOM
      : limits.memoryBytes + PYTHON_ADDRESS_SPACE_HEADROOM;
  const interpreterArgs =
    language === 'JAVASCRIPT'
      ? [`--max-old-space-size=${Math.max(8, Math.floor(limits.memoryBytes / (1024 * 1024)))}`]
      : ['-I', '-B'];
  return [
    plan.helpers.prlimit,
    `--cpu=${cpuSeconds}:${cpuSeconds + 1}`,
    `--as=${addressSpace}`,
    `--nproc=${limits.processes}`,
    `--fsize=${limits.fileBytes}`,
    '--nofile=256',
    '--core=0',
    '--',
    runtime.executable,
    ...interpreterArgs,
    `${SANDBOX_DIR}/${program.fileName}`,
  ];
}

/** Size of each writable tmpfs (/sandbox, /tmp) in the container. */
export function tmpfsBytes(limits: Limits): number {
  return Math.max(MIN_TMPFS_BYTES, limits.fileBytes * 4);
}

/** The staging directory's entry for a runtime prefix bound at `inside`. */
export function stageName(inside: string): string {
  return inside.replaceAll('/', '_');
}

/** Host path of the staging mount point for a runtime prefix bound at `inside`. */
export function stagePath(plan: SandboxPlan, inside: string): string {
  return join(plan.stageDir, stageName(inside));
}
