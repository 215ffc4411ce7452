/**
 * The local sandbox: each test runs in a fresh bubblewrap container (else an `unshare`
 * container) with no network, no view of the host's files, processes or environment, a
 * small writable tmpfs at /sandbox, and resource limits; nothing it starts outlives it.
 *
 * How each limit is enforced (rlimits are set by `prlimit` inside the container, so they
 * bind the program and its children, never the sandbox tooling):
 * - CPU: read from the host (/proc, meter.ts) while the program runs; the container is killed
 *   when the loading or a test passes cpuMs. RLIMIT_CPU (cpuMs × (tests + 1), SIGXCPU then
 *   SIGKILL a second later) is only the backstop.
 * - Wall clock: a timer here SIGKILLs the container's process group; bwrap's
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
import { type ChildProcess, spawn } from 'node:child_process';
import { constants as fsConstants, existsSync, lstatSync, mkdtempSync, readlinkSync, realpathSync } from 'node:fs';
import { access, chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, relative } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import {
  type ExecutionRequest,
  type Executor,
  type Limits,
  SandboxUnavailableError,
  type TestRunResult,
} from './executor.js';
import type { PreparedProgram } from './harness.js';
import {
  type ProgramOutcome,
  ProgramWatch,
  type RunControl,
  type RuntimeLanguage,
  runTestCases,
  signalFromStatus,
} from './judge.js';

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
interface Runtime {
  /** Executable path inside the container. */
  executable: string;
  /** Host directories bound read-only into the container for this runtime. */
  binds: { host: string; inside: string }[];
  env: Record<string, string>;
}

/** What the probe found: how programs run, and which languages can. */
export interface SandboxProbe {
  mechanism: SandboxMechanism | null;
  /** Why no mechanism works, or why a language is missing. */
  problems: string[];
  languages: RuntimeLanguage[];
}

interface SandboxPlan {
  mechanism: SandboxMechanism;
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

const HOST_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const INNER_PATH = '/usr/local/bin:/usr/bin:/bin';
const SANDBOX_DIR = '/sandbox';
const NODE_ADDRESS_SPACE_HEADROOM = 1024 * 1024 * 1024;
const PYTHON_ADDRESS_SPACE_HEADROOM = 32 * 1024 * 1024;
const MIN_TMPFS_BYTES = 8 * 1024 * 1024;
const INNER_ENV = { PATH: INNER_PATH, HOME: SANDBOX_DIR, LANG: 'C.UTF-8', TMPDIR: '/tmp' };

function findOnPath(name: string, path = process.env.PATH ?? ''): string | null {
  if (isAbsolute(name)) return existsSync(name) ? name : null;
  for (const dir of `${path}${delimiter}${HOST_PATH}`.split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

function isUnder(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** Single-quotes a value for /bin/sh. */
function shq(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Runs a trusted host command and returns its stdout (used only while probing). */
function capture(
  command: string,
  args: string[],
  timeoutMs = 10_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: process.env, timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => resolve({ code: null, stdout, stderr: String(error) }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** /bin, /lib… are symlinks into /usr on merged-/usr systems and real directories elsewhere. */
function systemLayout(): { path: string; symlink?: string }[] {
  const layout: { path: string; symlink?: string }[] = [{ path: '/usr' }];
  for (const path of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    try {
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) layout.push({ path, symlink: readlinkSync(path) });
      else if (stat.isDirectory()) layout.push({ path });
    } catch {
      // absent on this system
    }
  }
  return layout;
}

/** Where an interpreter's install prefix goes when it is not under /usr (nvm, pyenv, /opt…). */
function relocate(
  name: string,
  executable: string,
  prefix: string,
  layout: { path: string; symlink?: string }[],
): { executable: string; binds: Runtime['binds'] } | null {
  if (layout.some(({ path, symlink }) => symlink === undefined && isUnder(executable, path))) {
    return { executable, binds: [] };
  }
  if (!isUnder(executable, prefix)) return null;
  const inside = `/opt/runtime/${name}`;
  return { executable: join(inside, relative(prefix, executable)), binds: [{ host: prefix, inside }] };
}

async function resolveRuntimes(
  options: SandboxOptions,
  layout: { path: string; symlink?: string }[],
  problems: string[],
): Promise<Partial<Record<RuntimeLanguage, Runtime>>> {
  const runtimes: Partial<Record<RuntimeLanguage, Runtime>> = {};
  const nodePath = options.nodePath ?? process.execPath;
  const node = existsSync(nodePath) ? realpathSync(nodePath) : null;
  const placedNode = node ? relocate('node', node, dirname(dirname(node)), layout) : null;
  if (placedNode) runtimes.JAVASCRIPT = { ...placedNode, env: {} };
  else problems.push(`node (${nodePath}) cannot be placed in the sandbox`);

  // Ask the interpreter itself: a pyenv or venv `python3` is a shim or symlink to the real one.
  const python = options.pythonPath ?? 'python3';
  const found = await capture(python, [
    '-c',
    'import json, os, sys; print(json.dumps({"executable": os.path.realpath(sys.executable), "prefix": os.path.realpath(sys.base_prefix)}))',
  ]);
  try {
    const info = JSON.parse(found.stdout.trim()) as { executable: string; prefix: string };
    const placed = relocate('python', info.executable, info.prefix, layout);
    if (!placed) throw new Error(`${info.executable} is outside its prefix ${info.prefix}`);
    // The interpreter finds its standard library relative to itself; its libpython through
    // an absolute RUNPATH, hence LD_LIBRARY_PATH when relocated.
    const env: Record<string, string> = placed.binds[0] ? { LD_LIBRARY_PATH: `${placed.binds[0].inside}/lib` } : {};
    runtimes.PYTHON = { ...placed, env };
  } catch (error) {
    problems.push(`python3 (${python}) unavailable: ${found.stderr.trim() || String(error)}`);
  }
  return runtimes;
}

/** Command line (prlimit + interpreter) run inside the container. */
function innerCommand(
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

function tmpfsBytes(limits: Limits): number {
  return Math.max(MIN_TMPFS_BYTES, limits.fileBytes * 4);
}

/** bwrap command: a fresh container; the program file arrives on fd 3, status leaves on fd 4. */
function bubblewrapCommand(
  plan: SandboxPlan,
  runtime: Runtime,
  language: RuntimeLanguage,
  program: PreparedProgram,
  limits: Limits,
): string[] {
  const env = { ...INNER_ENV, ...runtime.env };
  const size = String(tmpfsBytes(limits));
  return [
    plan.tool,
    '--unshare-all',
    '--unshare-user',
    '--disable-userns',
    '--die-with-parent',
    '--new-session',
    '--clearenv',
    ...Object.entries(env).flatMap(([key, value]) => ['--setenv', key, value]),
    '--hostname',
    'sandbox',
    ...plan.systemLayout.flatMap(({ path, symlink }) =>
      symlink === undefined ? ['--ro-bind', path, path] : ['--symlink', symlink, path],
    ),
    ...runtime.binds.flatMap(({ host, inside }) => ['--ro-bind', plan.asRoot ? stagePath(plan, inside) : host, inside]),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--perms',
    '1777',
    '--size',
    size,
    '--tmpfs',
    SANDBOX_DIR,
    '--perms',
    '1777',
    '--size',
    size,
    '--tmpfs',
    '/tmp',
    '--perms',
    '0444',
    '--ro-bind-data',
    '3',
    `${SANDBOX_DIR}/${program.fileName}`,
    '--remount-ro',
    '/',
    '--chdir',
    SANDBOX_DIR,
    '--uid',
    '65534',
    '--gid',
    '65534',
    '--json-status-fd',
    '4',
    '--',
    ...innerCommand(plan, runtime, language, program, limits),
  ];
}

function stageName(inside: string): string {
  return inside.replaceAll('/', '_');
}

function stagePath(plan: SandboxPlan, inside: string): string {
  return join(plan.stageDir, stageName(inside));
}

/**
 * A root server cannot hand bwrap paths only root can reach (pyenv under /root) once it runs
 * as nobody: the prefixes are first bound onto world-readable empty directories in a
 * private mount namespace (invisible to the host), then privileges are dropped for good.
 */
function dropPrivileges(plan: SandboxPlan, runtime: Runtime, command: string[]): string[] {
  if (!plan.asRoot) return command;
  const setpriv = [
    plan.helpers.setpriv,
    `--reuid=${plan.uid}`,
    `--regid=${plan.gid}`,
    '--clear-groups',
    '--inh-caps=-all',
    '--bounding-set=-all',
    '--no-new-privs',
    '--',
    ...command,
  ];
  if (runtime.binds.length === 0) return setpriv;
  const mounts = runtime.binds.map(
    ({ inside }, i) =>
      `${shq(plan.helpers.mount)} --bind -o ro "$${i + 1}" ${shq(stagePath(plan, inside))} || exit 125`,
  );
  const script = `${mounts.join('\n')}\nshift ${runtime.binds.length}\nexec "$@"`;
  return [
    plan.helpers.unshare,
    '--mount',
    '--propagation',
    'private',
    '--',
    plan.helpers.sh,
    '-c',
    script,
    'sh',
    ...runtime.binds.map(({ host }) => host),
    ...setpriv,
  ];
}

/**
 * unshare fallback: a script (pid 1 of the new pid namespace) builds a root from tmpfs and
 * read-only binds, pivots into it, unmounts the host, drops privileges and runs the program.
 */
function unshareCommand(
  plan: SandboxPlan,
  runtime: Runtime,
  language: RuntimeLanguage,
  program: PreparedProgram,
  limits: Limits,
): string[] {
  const root = join(plan.stageDir, 'root');
  const size = tmpfsBytes(limits);
  const r = (path: string): string => shq(join(root, path));
  const lines = [
    'set -eu',
    `mount -t tmpfs -o mode=0755,size=1m,nosuid,nodev sandbox-root ${shq(root)}`,
    `mkdir -p ${r('/proc')} ${r('/dev')} ${r(SANDBOX_DIR)} ${r('/tmp')} ${r('/.old')}`,
  ];
  const bindReadOnly = (host: string, inside: string): void => {
    lines.push(`mkdir -p ${r(inside)}`, `mount --rbind ${shq(host)} ${r(inside)}`);
    lines.push(`mount -o remount,bind,ro,nosuid,nodev ${r(inside)}`);
  };
  for (const { path, symlink } of plan.systemLayout) {
    if (symlink === undefined) bindReadOnly(path, path);
    else lines.push(`ln -s ${shq(symlink)} ${r(path)}`);
  }
  for (const { host, inside } of runtime.binds) bindReadOnly(host, inside);
  lines.push(`mount -t proc -o nosuid,nodev,noexec proc ${r('/proc')}`);
  for (const device of ['null', 'zero', 'full', 'random', 'urandom']) {
    lines.push(`touch ${r(`/dev/${device}`)}`, `mount --bind /dev/${device} ${r(`/dev/${device}`)}`);
  }
  for (const dir of [SANDBOX_DIR, '/tmp']) {
    lines.push(`mount -t tmpfs -o mode=1777,size=${size},nosuid,nodev scratch ${r(dir)}`);
  }
  const file = `${SANDBOX_DIR}/${program.fileName}`;
  lines.push(`cat <&3 > ${r(file)}`, `chmod 0444 ${r(file)}`, 'exec 3<&-');
  lines.push(`cd ${shq(root)}`, 'pivot_root . .old', 'cd /', 'umount -l /.old', 'rmdir /.old');
  lines.push('mount -o remount,bind,ro,nosuid,nodev /');
  const drop = plan.asRoot
    ? [`--reuid=${plan.uid}`, `--regid=${plan.gid}`, '--clear-groups']
    : ['--securebits=+noroot,+noroot_locked,+no_setuid_fixup,+no_setuid_fixup_locked,+keep_caps_locked'];
  const env = Object.entries({ ...INNER_ENV, ...runtime.env }).map(([key, value]) => `${key}=${value}`);
  const run = [
    plan.helpers.setpriv,
    ...drop,
    '--inh-caps=-all',
    '--ambient-caps=-all',
    '--bounding-set=-all',
    '--no-new-privs',
    '--',
    plan.helpers.env,
    '-i',
    '-C',
    SANDBOX_DIR,
    ...env,
    ...innerCommand(plan, runtime, language, program, limits),
  ];
  // The script stays pid 1 (the program is its child): when it exits, the namespace dies.
  lines.push('echo started >&4', 'exec 4>&-', 'set +e', `${run.map(shq).join(' ')} 3<&- 4>&-`, 'exit $?');
  const unshare = [
    plan.tool,
    ...(plan.asRoot ? [] : ['--user', '--map-root-user']),
    '--mount',
    '--uts',
    '--ipc',
    '--net',
    '--pid',
    '--cgroup',
    '--fork',
    '--kill-child',
    '--propagation',
    'private',
    '--',
    plan.helpers.sh,
    '-c',
    lines.join('\n'),
  ];
  return unshare;
}

/** Kills the whole process group of a detached child (the container's outer process). */
function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  try {
    child.kill('SIGKILL');
  } catch {
    // already gone
  }
}

/** Runs one program in a container built by `plan`; throws SandboxUnavailableError if the container fails to start. */
async function runInSandbox(
  plan: SandboxPlan,
  language: RuntimeLanguage,
  program: PreparedProgram,
  limits: Limits,
  control?: RunControl,
): Promise<ProgramOutcome> {
  const runtime = plan.runtimes[language];
  if (!runtime) throw new SandboxUnavailableError(`No ${language} runtime is available in the sandbox`);
  const inner =
    plan.mechanism === 'bubblewrap'
      ? bubblewrapCommand(plan, runtime, language, program, limits)
      : unshareCommand(plan, runtime, language, program, limits);
  const [command, ...args] = plan.mechanism === 'bubblewrap' ? dropPrivileges(plan, runtime, inner) : inner;
  if (!command) throw new SandboxUnavailableError('empty sandbox command');

  const started = performance.now();
  const child = spawn(command, args, {
    cwd: '/',
    env: { PATH: HOST_PATH, LANG: 'C.UTF-8' },
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe', 'pipe'],
  });
  let status = '';
  const [stdin, stdout, stderr, source, statusStream] = child.stdio as [
    Writable,
    Readable,
    Readable,
    Writable,
    Readable,
  ];
  const watch = new ProgramWatch(limits, () => killTree(child), control);
  watch.attach(child.pid);
  stdout.on('data', (chunk: Buffer) => watch.take('stdout', chunk));
  stderr.on('data', (chunk: Buffer) => watch.take('stderr', chunk));
  statusStream.setEncoding('utf8').on('data', (chunk: string) => {
    if (status.length < 4096) status += chunk;
  });
  for (const stream of [stdin, source, statusStream, stdout, stderr]) stream.on('error', () => {});
  source.end(program.source);
  stdin.end(program.stdin);

  const { code, signal, error } = await new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    error?: Error;
  }>((resolve) => {
    child.on('error', (spawnError) => resolve({ code: null, signal: null, error: spawnError }));
    child.on('close', (exitCode, exitSignal) => resolve({ code: exitCode, signal: exitSignal }));
  });
  const kept = watch.stop();
  if (error) throw new SandboxUnavailableError(`The ${plan.mechanism} sandbox could not be started: ${error.message}`);
  const durationMs = performance.now() - started;

  const programStarted = plan.mechanism === 'bubblewrap' ? status.includes('"child-pid"') : status.includes('started');
  if (!programStarted && !kept.timedOut && !kept.outputExceeded && !kept.cpuExceeded && !kept.budgetSpent) {
    throw new SandboxUnavailableError(
      `The ${plan.mechanism} sandbox failed to start (exit ${String(code ?? signal)}): ${kept.stderr.slice(0, 500)}`,
    );
  }
  return { ...kept, exitCode: code, signal: signal ?? signalFromStatus(code), durationMs };
}

const PROBE_LIMITS: Limits = {
  cpuMs: 5_000,
  wallMs: 15_000,
  memoryBytes: 128 * 1024 * 1024,
  processes: 32,
  outputBytes: 64 * 1024,
  fileBytes: 1024 * 1024,
};

const PROBES: Record<RuntimeLanguage, PreparedProgram> = {
  JAVASCRIPT: { fileName: 'probe.cjs', source: 'process.stdout.write("sandbox-ok")', stdin: '', nonce: '' },
  PYTHON: { fileName: 'probe.py', source: 'import sys\nsys.stdout.write("sandbox-ok")', stdin: '', nonce: '' },
};

async function probeLanguage(plan: SandboxPlan, language: RuntimeLanguage): Promise<string | null> {
  try {
    const outcome = await runInSandbox(plan, language, PROBES[language], PROBE_LIMITS);
    if (outcome.exitCode === 0 && outcome.stdout === 'sandbox-ok') return null;
    return `${language} probe exited ${String(outcome.exitCode ?? outcome.signal)}: ${outcome.stderr.slice(0, 300)}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

let stageDir: Promise<string> | undefined;
/**
 * The staging directory: empty, world-readable mount points only, so one stable path per
 * server uid is reused across processes (nothing to clean up). A path someone else owns or
 * can write to is not trusted; a private fresh one is made instead.
 */
function ensureStageDir(): Promise<string> {
  stageDir ??= (async () => {
    const fixed = join(tmpdir(), `practice-sandbox-${process.getuid?.() ?? 'user'}`);
    await mkdir(fixed, { recursive: true }).catch(() => {});
    const stat = lstatSync(fixed, { throwIfNoEntry: false });
    const trusted = stat?.isDirectory() && stat.uid === process.getuid?.() && (stat.mode & 0o022) === 0;
    const dir = trusted ? fixed : mkdtempSync(join(tmpdir(), 'practice-sandbox-'));
    await chmod(dir, 0o755);
    await mkdir(join(dir, 'root'), { recursive: true });
    await chmod(join(dir, 'root'), 0o755);
    return dir;
  })();
  return stageDir;
}

async function planFor(
  mechanism: SandboxMechanism,
  options: SandboxOptions,
  problems: string[],
): Promise<SandboxPlan | null> {
  const tool =
    mechanism === 'bubblewrap'
      ? findOnPath(options.bwrapPath ?? 'bwrap')
      : findOnPath(options.unsharePath ?? 'unshare');
  if (!tool) {
    problems.push(
      `${mechanism}: ${mechanism === 'bubblewrap' ? (options.bwrapPath ?? 'bwrap') : (options.unsharePath ?? 'unshare')} not found`,
    );
    return null;
  }
  try {
    await access(tool, fsConstants.X_OK);
  } catch {
    problems.push(`${mechanism}: ${tool} is not executable`);
    return null;
  }
  const helperNames = {
    sh: 'sh',
    setpriv: 'setpriv',
    prlimit: 'prlimit',
    env: 'env',
    mount: 'mount',
    unshare: 'unshare',
  } as const;
  const helpers = {} as SandboxPlan['helpers'];
  for (const [key, name] of Object.entries(helperNames) as [keyof SandboxPlan['helpers'], string][]) {
    const path = findOnPath(name, HOST_PATH);
    if (!path) {
      problems.push(`${mechanism}: ${name} not found`);
      return null;
    }
    helpers[key] = realpathSync(path);
  }
  const layout = systemLayout();
  // prlimit runs inside the container, where only the system directories exist.
  if (!layout.some(({ path, symlink }) => symlink === undefined && isUnder(helpers.prlimit, path))) {
    problems.push(`${mechanism}: prlimit (${helpers.prlimit}) is outside the system directories`);
    return null;
  }
  const runtimes = await resolveRuntimes(options, layout, problems);
  const stage = await ensureStageDir();
  for (const runtime of Object.values(runtimes)) {
    for (const { inside } of runtime.binds) {
      await mkdir(join(stage, stageName(inside)), { recursive: true });
      await chmod(join(stage, stageName(inside)), 0o755);
    }
  }
  return {
    mechanism,
    tool,
    helpers,
    asRoot: process.getuid?.() === 0,
    uid: options.uid ?? 65534,
    gid: options.gid ?? 65534,
    stageDir: stage,
    systemLayout: layout,
    runtimes,
  };
}

/** Finds a working mechanism by running a tiny program in it; languages that fail are left out. */
async function buildPlan(options: SandboxOptions): Promise<{ plan: SandboxPlan | null; probe: SandboxProbe }> {
  const problems: string[] = [];
  const order: SandboxMechanism[] =
    options.mechanism === 'bubblewrap' || options.mechanism === 'unshare'
      ? [options.mechanism]
      : ['bubblewrap', 'unshare'];
  for (const mechanism of order) {
    const plan = await planFor(mechanism, options, problems);
    if (!plan) continue;
    const working: Partial<Record<RuntimeLanguage, Runtime>> = {};
    for (const language of Object.keys(plan.runtimes) as RuntimeLanguage[]) {
      const problem = await probeLanguage(plan, language);
      if (problem) problems.push(`${mechanism}: ${problem}`);
      else working[language] = plan.runtimes[language];
    }
    if (Object.keys(working).length > 0) {
      const languages = Object.keys(working) as RuntimeLanguage[];
      return { plan: { ...plan, runtimes: working }, probe: { mechanism, problems, languages } };
    }
  }
  return { plan: null, probe: { mechanism: null, problems, languages: [] } };
}

const plans = new Map<string, Promise<{ plan: SandboxPlan | null; probe: SandboxProbe }>>();

function cachedPlan(options: SandboxOptions): Promise<{ plan: SandboxPlan | null; probe: SandboxProbe }> {
  const key = JSON.stringify(options);
  let plan = plans.get(key);
  if (!plan) {
    plan = buildPlan(options).then((built) => {
      // A failed probe is not cached: the next run probes again (the cause may be transient).
      if (!built.plan) plans.delete(key);
      return built;
    });
    plans.set(key, plan);
  }
  return plan;
}

/** Probes (once per set of options, cached) which sandbox works here and for which languages. */
export async function probeSandbox(options: SandboxOptions = {}): Promise<SandboxProbe> {
  return (await cachedPlan(options)).probe;
}

/**
 * Starts one container running an empty program (the probe's) and returns how long it took
 * from spawn to exit, in ms: the fixed cost of a sandboxed run (`npm run bench` compares with it).
 */
export async function timeBareStart(language: RuntimeLanguage, options: SandboxOptions = {}): Promise<number> {
  const { plan, probe } = await cachedPlan(options);
  if (!plan) throw new SandboxUnavailableError(`No sandbox works here: ${probe.problems.join('; ')}`);
  return (await runInSandbox(plan, language, PROBES[language], PROBE_LIMITS)).durationMs;
}

/** The sandboxed executor; the first run waits for the (cached) probe. */
export class SandboxExecutor implements Executor {
  private mechanism: SandboxMechanism | null = null;

  constructor(private readonly options: SandboxOptions = {}) {}

  /** `bubblewrap` or `unshare` once probed; before that, the mechanism that will be tried first. */
  get name(): string {
    if (this.mechanism) return this.mechanism;
    if (this.options.mechanism === 'unshare') return 'unshare';
    return findOnPath(this.options.bwrapPath ?? 'bwrap') ? 'bubblewrap' : 'unshare';
  }

  async run(
    request: ExecutionRequest,
    onTest: (result: TestRunResult) => Promise<void> | void,
  ): Promise<TestRunResult[]> {
    const { plan, probe } = await cachedPlan(this.options);
    if (!plan) throw new SandboxUnavailableError(`No sandbox works here: ${probe.problems.join('; ')}`);
    this.mechanism = plan.mechanism;
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
