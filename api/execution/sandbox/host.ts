/**
 * What the sandbox looks up on the host while probing: tools on PATH, the system
 * directories, where each interpreter lives and where it goes in the container, and the
 * staging directory.
 */
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readlinkSync, realpathSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, relative } from 'node:path';
import type { RuntimeLanguage } from '../driver.js';
import type { Runtime, SandboxOptions } from './mechanism.js';

/** The system directories searched for tools, and the PATH the sandbox tooling runs with. */
export const HOST_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Finds a tool: an absolute path as is, else a name on PATH or in the system directories. */
export function findOnPath(name: string, path = process.env.PATH ?? ''): string | null {
  if (isAbsolute(name)) return existsSync(name) ? name : null;
  for (const dir of `${path}${delimiter}${HOST_PATH}`.split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** Whether `path` lies strictly inside `dir`. */
export function isUnder(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
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
export function systemLayout(): { path: string; symlink?: string }[] {
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

/** Where Node and Python are on this host and how each is placed in the container; what is missing goes to `problems`. */
export async function resolveRuntimes(
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

let stageDir: Promise<string> | undefined;
/**
 * The staging directory: empty, world-readable mount points only, so one stable path per
 * server uid is reused across processes (nothing to clean up). A path someone else owns or
 * can write to is not trusted; a private fresh one is made instead.
 */
export function ensureStageDir(): Promise<string> {
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
