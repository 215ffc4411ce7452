/**
 * Finds which container mechanism works here (bubblewrap first, then unshare) by running a
 * tiny program in it per language, and keeps the resulting plan (cached per set of options).
 */
import { constants as fsConstants, realpathSync } from 'node:fs';
import { access, chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PreparedProgram, RuntimeLanguage } from '../driver.js';
import { type Limits, SandboxUnavailableError } from '../executor.js';
import { bubblewrap } from './bubblewrap.js';
import { ensureStageDir, findOnPath, HOST_PATH, isUnder, resolveRuntimes, systemLayout } from './host.js';
import {
  type ContainerMechanism,
  type Runtime,
  type SandboxMechanism,
  type SandboxOptions,
  type SandboxPlan,
  stageName,
} from './mechanism.js';
import { runInSandbox } from './run.js';
import { unshare } from './unshare.js';

/** The mechanisms by name. */
const MECHANISMS: Record<SandboxMechanism, ContainerMechanism> = { bubblewrap, unshare };

/** What the probe found: how programs run, and which languages can. */
export interface SandboxProbe {
  mechanism: SandboxMechanism | null;
  /** Why no mechanism works, or why a language is missing. */
  problems: string[];
  languages: RuntimeLanguage[];
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

/** Null when a tiny program in `language` runs in the plan's container; else why it does not. */
async function probeLanguage(plan: SandboxPlan, language: RuntimeLanguage): Promise<string | null> {
  try {
    const outcome = await runInSandbox(plan, language, PROBES[language], PROBE_LIMITS);
    if (outcome.exitCode === 0 && outcome.stdout === 'sandbox-ok') return null;
    return `${language} probe exited ${String(outcome.exitCode ?? outcome.signal)}: ${outcome.stderr.slice(0, 300)}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The plan for one mechanism: its tool, helpers and runtimes found on the host (not yet probed). */
async function planFor(
  mechanism: ContainerMechanism,
  options: SandboxOptions,
  problems: string[],
): Promise<SandboxPlan | null> {
  const tool = findOnPath(mechanism.tool(options));
  if (!tool) {
    problems.push(`${mechanism.name}: ${mechanism.tool(options)} not found`);
    return null;
  }
  try {
    await access(tool, fsConstants.X_OK);
  } catch {
    problems.push(`${mechanism.name}: ${tool} is not executable`);
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
      problems.push(`${mechanism.name}: ${name} not found`);
      return null;
    }
    helpers[key] = realpathSync(path);
  }
  const layout = systemLayout();
  // prlimit runs inside the container, where only the system directories exist.
  if (!layout.some(({ path, symlink }) => symlink === undefined && isUnder(helpers.prlimit, path))) {
    problems.push(`${mechanism.name}: prlimit (${helpers.prlimit}) is outside the system directories`);
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
  const order: ContainerMechanism[] =
    options.mechanism === 'bubblewrap' || options.mechanism === 'unshare'
      ? [MECHANISMS[options.mechanism]]
      : [bubblewrap, unshare];
  for (const mechanism of order) {
    const plan = await planFor(mechanism, options, problems);
    if (!plan) continue;
    const working: Partial<Record<RuntimeLanguage, Runtime>> = {};
    for (const language of Object.keys(plan.runtimes) as RuntimeLanguage[]) {
      const problem = await probeLanguage(plan, language);
      if (problem) problems.push(`${mechanism.name}: ${problem}`);
      else working[language] = plan.runtimes[language];
    }
    if (Object.keys(working).length > 0) {
      const languages = Object.keys(working) as RuntimeLanguage[];
      return { plan: { ...plan, runtimes: working }, probe: { mechanism: mechanism.name, problems, languages } };
    }
  }
  return { plan: null, probe: { mechanism: null, problems, languages: [] } };
}

const plans = new Map<string, Promise<{ plan: SandboxPlan | null; probe: SandboxProbe }>>();

/** The plan for `options` and what its probe found, built once per set of options. */
export function cachedPlan(options: SandboxOptions): Promise<{ plan: SandboxPlan | null; probe: SandboxProbe }> {
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
