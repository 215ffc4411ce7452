/**
 * The bubblewrap mechanism: `bwrap` builds the container from read-only binds and tmpfs in
 * fresh namespaces; a root server first drops to an unprivileged host uid.
 */
import type { PreparedProgram, RuntimeLanguage } from '../driver.js';
import type { Limits } from '../executor.js';
import {
  type ContainerMechanism,
  INNER_ENV,
  innerCommand,
  type Runtime,
  SANDBOX_DIR,
  type SandboxPlan,
  shq,
  stagePath,
  tmpfsBytes,
} from './mechanism.js';

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

/** bubblewrap: the program starts once bwrap reports its child's pid on the status fd. */
export const bubblewrap: ContainerMechanism = {
  name: 'bubblewrap',
  tool: (options) => options.bwrapPath ?? 'bwrap',
  command: (plan, runtime, language, program, limits) =>
    dropPrivileges(plan, runtime, bubblewrapCommand(plan, runtime, language, program, limits)),
  started: (status) => status.includes('"child-pid"'),
};
