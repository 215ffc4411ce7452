/**
 * The test protocol's reading side: cuts a running program's stdout and stderr at the
 * driver's marks (driver.ts) into the loading record and one segment per finished test.
 */
import { StringDecoder } from 'node:string_decoder';
import type { LoadRecord, TestRecord } from './driver.js';

/** A finished test as its program reported it: its record and what it printed meanwhile. */
export interface TestSegment {
  record: TestRecord;
  stdout: string;
  stderr: string;
}

/**
 * Reads a test run's stdout and stderr as they arrive and cuts them at the driver's marks. The
 * first record says whether the source loaded; each later one finishes a test. A record counts
 * once both it (stdout) and its mark (stderr) have been read.
 */
export class TestRunReader {
  private readonly text = { stdout: '', stderr: '' };
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private readonly records: { line: string; stdout: string }[] = [];
  private readonly marks: string[] = [];
  /** Records read with their marks (the load record included). */
  private paired = 0;
  /** Tests finished so far, in order. */
  readonly finished: TestSegment[] = [];
  /** How loading went, once the driver said (`OK`, or why no test ran), with what it printed. */
  load: (LoadRecord & { stderr: string }) | null = null;
  /** When the loading or the last test finished (or the reader was made): the next test's clock. */
  lastAt = performance.now();
  /** Whether a runner has handed any output over. */
  used = false;

  constructor(
    private readonly nonce: string,
    private readonly onTest: (segment: TestSegment) => void = () => {},
  ) {}

  /** The source loaded: the tests are running. */
  get loaded(): boolean {
    return this.load?.load === 'OK';
  }

  /** Takes a chunk; true when it finished the loading or a test (the runner restarts its per-test limits). */
  push(stream: 'stdout' | 'stderr', chunk: Buffer): boolean {
    this.used = true;
    this.text[stream] += this.decoders[stream].write(chunk);
    const mark = `\n${this.nonce}`;
    for (let at = this.text[stream].indexOf(mark); at >= 0; at = this.text[stream].indexOf(mark)) {
      const end = this.text[stream].indexOf('\n', at + mark.length);
      if (end < 0) break;
      const before = this.text[stream].slice(0, at);
      const line = this.text[stream].slice(at + mark.length, end);
      this.text[stream] = this.text[stream].slice(end + 1);
      if (stream === 'stderr') this.marks.push(before);
      else this.records.push({ line, stdout: before });
    }
    let advanced = false;
    while (this.paired < Math.min(this.records.length, this.marks.length) && (!this.load || this.loaded)) {
      const { line, stdout } = this.records[this.paired] as { line: string; stdout: string };
      const stderr = this.marks[this.paired] ?? '';
      this.paired += 1;
      this.lastAt = performance.now();
      advanced = true;
      if (!this.load) {
        this.load = { ...parseLoadRecord(line), stderr };
        continue;
      }
      const segment = { record: parseTestRecord(line), stdout, stderr };
      this.finished.push(segment);
      this.onTest(segment);
    }
    return advanced;
  }

  /** What was printed after the last finished record (by the test that was running when the program ended). */
  rest(): { stdout: string; stderr: string } {
    const pending = (stream: 'stdout' | 'stderr', cut: string[]) =>
      cut.slice(this.paired).join('') + this.text[stream] + this.decoders[stream].end();
    return {
      stdout: pending(
        'stdout',
        this.records.map((r) => r.stdout),
      ),
      stderr: pending('stderr', this.marks),
    };
  }
}

/** The driver's first record; anything else reads as a source that did not load. */
function parseLoadRecord(line: string): LoadRecord {
  try {
    const parsed = JSON.parse(line) as Partial<LoadRecord> | null;
    if (parsed?.load === 'OK' || parsed?.load === 'COMPILE_ERROR' || parsed?.load === 'RUNTIME_ERROR') {
      return { load: parsed.load };
    }
  } catch {
    // fall through
  }
  return { load: 'RUNTIME_ERROR' };
}

/** A test record the driver wrote; anything else reads as a test whose answer is lost. */
function parseTestRecord(line: string): TestRecord {
  try {
    const parsed = JSON.parse(line) as TestRecord | null;
    if (parsed && typeof parsed === 'object' && typeof parsed.i === 'number') return parsed;
  } catch {
    // fall through
  }
  return { i: -1, ok: false, cpuMs: 0, ms: 0 };
}
