/**
 * The unshare mechanism, for hosts without bubblewrap: util-linux `unshare` makes the
 * namespaces and a shell script builds the container's root inside them.
 */
import { join } from 'node:path';
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
  tmpfsBytes,
} from './mechanism.js';

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
  return [
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
}

/** unshare: the program starts once the script, inside the container, writes `started` on the status fd. */
export const unshare: ContainerMechanism = {
  name: 'unshare',
  tool: (options) => options.unsharePath ?? 'unshare',
  command: unshareCommand,
  started: (status) => status.includes('started'),
};
