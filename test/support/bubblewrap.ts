/**
 * Whether bubblewrap is installed here. Suites that need it are skipped where it is missing
 * (a machine with only Node and npm), and say why; the unshare fallback is tested everywhere.
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe } from 'vitest';

// Where the sandbox looks for `bwrap` (api/execution/sandbox/host.ts): PATH, then the system folders.
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** True when `bwrap` is on PATH or in a system folder. */
export const hasBubblewrap = `${process.env.PATH ?? ''}${delimiter}${SYSTEM_PATH}`
  .split(delimiter)
  .some((dir) => dir !== '' && existsSync(join(dir, 'bwrap')));

/** `describe` for a suite that needs bubblewrap: where `bwrap` is missing, it is skipped and the log says why. */
export function describeWithBubblewrap(name: string, suite: () => void): void {
  if (!hasBubblewrap) {
    console.warn(
      `skipped "${name}": bubblewrap (bwrap) is not installed here (apt-get install bubblewrap); the unshare fallback is tested without it`,
    );
  }
  describe.skipIf(!hasBubblewrap)(name, suite);
}
