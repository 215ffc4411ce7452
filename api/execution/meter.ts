/**
 * Measures a running program from the host, through /proc: the CPU time and the peak
 * resident memory of a process and everything it started (the sandbox tooling, the
 * interpreter, whatever the program forked). The program cannot lie to it, and it works
 * for both sandboxes without cgroups (rarely delegated to whoever runs the server).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second (`getconf CLK_TCK`): 100 on every Linux that runs Node. */
const TICKS_PER_SECOND = 100;
/** How often the process tree is looked up again (forks are rare; the known pids are read every sample). */
const RESCAN_EVERY_MS = 500;

/** One process's /proc/<pid>/stat fields that matter here, or null when it is gone. */
function readStat(pid: number): { ppid: number; cpuTicks: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces: fields are counted after it.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // Fields 4 (ppid), 14–17 (utime, stime, cutime, cstime): the reaped children's time is in c*time.
  const [ppid, utime, stime, cutime, cstime] = [1, 11, 12, 13, 14].map((at) => Number(fields[at]));
  if (ppid === undefined || Number.isNaN(ppid)) return null;
  return { ppid, cpuTicks: (utime ?? 0) + (stime ?? 0) + (cutime ?? 0) + (cstime ?? 0) };
}

/** Peak resident set size (VmHWM) of a process in KiB, or null when it is gone. */
function readPeakKb(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Whether /proc can be read here (Linux); elsewhere a meter measures nothing. */
export const procAvailable = ((): boolean => {
  try {
    return readStat(process.pid) !== null;
  } catch {
    return false;
  }
})();

/** CPU time and peak memory of a process tree, sampled on demand. */
export class ProcessTreeMeter {
  private pids: number[];
  private scannedAt = 0;
  /** Highest CPU total seen (a process that exited moves its time to its parent when reaped). */
  private cpuTicks = 0;
  private cpuBaseTicks = 0;
  /** The next sample starts a new stretch (its CPU counts from there). */
  private rebase = false;
  private peak: number | null = null;

  constructor(private readonly root: number) {
    this.pids = [root];
  }

  private scan(): void {
    const children = new Map<number, number[]>();
    let entries: string[];
    try {
      entries = readdirSync('/proc');
    } catch {
      return;
    }
    for (const entry of entries) {
      const pid = Number(entry);
      if (!Number.isInteger(pid) || pid <= 0) continue;
      const stat = readStat(pid);
      if (!stat) continue;
      const siblings = children.get(stat.ppid);
      if (siblings) siblings.push(pid);
      else children.set(stat.ppid, [pid]);
    }
    const tree = [this.root];
    for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] as number) ?? []));
    this.pids = tree;
    this.scannedAt = performance.now();
  }

  /** Highest peak memory read since the last `restart()`, KiB; it stays readable after the process ends. */
  get peakKb(): number | null {
    return this.peak;
  }

  /** Reads the tree now (and its peak memory, see `peakKb`): CPU milliseconds since the last `restart()`. */
  cpuMs(): number {
    if (performance.now() - this.scannedAt >= RESCAN_EVERY_MS) this.scan();
    let ticks = 0;
    for (const pid of this.pids) {
      ticks += readStat(pid)?.cpuTicks ?? 0;
      const peak = readPeakKb(pid);
      if (peak !== null && (this.peak === null || peak > this.peak)) this.peak = peak;
    }
    this.cpuTicks = Math.max(this.cpuTicks, ticks);
    if (this.rebase) {
      this.cpuBaseTicks = this.cpuTicks;
      this.rebase = false;
    }
    return ((this.cpuTicks - this.cpuBaseTicks) * 1000) / TICKS_PER_SECOND;
  }

  /**
   * Starts the next stretch (a test) at the next sample: nothing is read now, so a fast run
   * costs no reads at all. The CPU used until that sample (at most one interval) is not
   * counted; the driver measures each finished test's own CPU time exactly. The driver also
   * resets the process's memory high-water mark before each test, so peaks read from then on
   * are the new test's.
   */
  restart(): void {
    this.rebase = true;
    this.peak = null;
  }
}
