/**
 * The test protocol's program side: turns a student's function and a run of test cases into
 * one program, a driver (ours) that compiles the student's source, says whether it loaded,
 * then calls the function with each test's arguments in turn. After the loading and after
 * each test it prints a record (what the function returned or that it threw, its peak memory,
 * and the test's CPU and wall time) after a per-run nonce, on stdout, and the nonce alone on
 * stderr, so the output of each test can be told apart while the program still runs
 * (test-run-reader.ts reads them). The returned value is compared outside the program
 * (verdicts.ts), so printing "all tests passed" gains nothing.
 */
import { randomBytes } from 'node:crypto';
import type { Language, TestCase } from '../content/body.js';

/** A program ready to hand to an executor: a file name, its source and its stdin. */
export interface PreparedProgram {
  fileName: string;
  source: string;
  stdin: string;
  /** Starts every line the driver writes; empty for programs that write none. */
  nonce: string;
  /** How many tests the program runs, when it is a test run. */
  tests?: number;
}

/** What the driver writes after each test, on stdout after the nonce. */
export type TestRecord = {
  /** Index of the test within this program's run. */
  i: number;
  /** False: the function threw (the error is on stderr). */
  ok: boolean;
  value?: unknown;
  cpuMs: number;
  ms: number;
  /** Peak resident memory of the process during the test, in KiB. */
  kb?: number;
};

/** What the driver writes first: that the source loaded (the tests follow), or why it did not (nothing follows). */
export type LoadRecord = { load: 'OK' | 'COMPILE_ERROR' | 'RUNTIME_ERROR' };

/** Languages a process actually runs (TypeScript runs as the JavaScript it transpiles to). */
export type RuntimeLanguage = Exclude<Language, 'TYPESCRIPT'>;

// The student's source is compiled as a CommonJS module body (what node does for a .cjs file),
// with `return <entrypoint>` appended so the driver gets the function; line numbers are kept.
const JAVASCRIPT_DRIVER = `'use strict';
const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const write = (stdout, stderr) => {
  process.stderr.write('\\n' + input.nonce + stderr + '\\n');
  process.stdout.write('\\n' + input.nonce + stdout + '\\n');
};
const fail = (error) => process.stderr.write(String(error && error.stack ? error.stack : error) + '\\n');
// Each test's peak memory: the kernel's high-water mark (VmHWM), reset before the test.
const fs = require('node:fs');
const resetPeak = () => {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {}
};
const peakKb = () => {
  try {
    const match = /^VmHWM:\\s+(\\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'latin1'));
    if (match) return Number(match[1]);
  } catch {}
  return process.resourceUsage().maxRSS;
};
let load;
try {
  load = require('node:vm').compileFunction(
    input.source + '\\n;return typeof ' + input.entrypoint + " === 'function' ? " + input.entrypoint + ' : undefined;',
    ['exports', 'require', 'module', '__filename', '__dirname'],
    { filename: '/sandbox/main.cjs' },
  );
} catch (error) {
  fail(error);
  write(JSON.stringify({ load: 'COMPILE_ERROR' }), 'load');
  process.exit(0);
}
let entry;
try {
  const module = { exports: {} };
  entry = load.call(module.exports, module.exports, require, module, '/sandbox/main.cjs', '/sandbox');
  if (entry === undefined) throw new ReferenceError(input.entrypoint + ' is not defined');
} catch (error) {
  fail(error);
  write(JSON.stringify({ load: 'RUNTIME_ERROR' }), 'load');
  process.exit(0);
}
write(JSON.stringify({ load: 'OK' }), 'load');
(async () => {
  for (let i = 0; i < input.tests.length; i++) {
    resetPeak();
    const cpu = process.cpuUsage();
    const started = performance.now();
    let record;
    try {
      const value = await entry(...input.tests[i]);
      record = { i, ok: true, value: value === undefined ? null : value };
    } catch (error) {
      fail(error);
      record = { i, ok: false };
    }
    const used = process.cpuUsage(cpu);
    record.cpuMs = (used.user + used.system) / 1000;
    record.ms = performance.now() - started;
    record.kb = peakKb();
    let line;
    try {
      line = JSON.stringify(record);
    } catch (error) {
      fail(error);
      line = JSON.stringify({ i, ok: false, cpuMs: record.cpuMs, ms: record.ms, kb: record.kb });
    }
    write(line, String(i));
  }
  process.exit(0);
})();
`;

const PYTHON_DRIVER = `import sys as _sys, json as _json, time as _time, traceback as _traceback
_input = _json.loads(_sys.stdin.read())
# Line-buffered, so what a test printed is not lost when a limit stops it.
_sys.stdout.reconfigure(line_buffering=True)
_nonce = _input["nonce"]

def _write(stdout, stderr):
    _sys.stderr.write("\\n" + _nonce + stderr + "\\n")
    _sys.stderr.flush()
    _sys.stdout.write("\\n" + _nonce + stdout + "\\n")
    _sys.stdout.flush()

try:
    _code = compile(_input["source"], "main.py", "exec")
except (SyntaxError, ValueError) as _error:
    _sys.stderr.write("".join(_traceback.format_exception_only(type(_error), _error)))
    _write(_json.dumps({"load": "COMPILE_ERROR"}), "load")
    _sys.exit(0)
_open = open

def _reset_peak():
    # Each test's peak memory: the kernel's high-water mark (VmHWM), reset before the test.
    try:
        with _open("/proc/self/clear_refs", "w") as _file:
            _file.write("5")
    except OSError:
        pass

def _peak_kb():
    try:
        with _open("/proc/self/status") as _file:
            for _line in _file:
                if _line.startswith("VmHWM:"):
                    return int(_line.split()[1])
    except (OSError, ValueError):
        pass
    import resource as _resource
    return _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss

_globals = {"__name__": "__main__", "__builtins__": __builtins__}
try:
    exec(_code, _globals)
    _entry = _globals.get(_input["entrypoint"])
    if not callable(_entry):
        raise NameError("name '%s' is not defined" % _input["entrypoint"])
except Exception:
    _traceback.print_exc()
    _write(_json.dumps({"load": "RUNTIME_ERROR"}), "load")
    _sys.exit(0)
_write(_json.dumps({"load": "OK"}), "load")
for _i, _args in enumerate(_input["tests"]):
    _reset_peak()
    _cpu = _time.process_time()
    _started = _time.perf_counter()
    try:
        _record = {"i": _i, "ok": True, "value": _entry(*_args)}
    except Exception:
        _traceback.print_exc()
        _record = {"i": _i, "ok": False}
    _record["cpuMs"] = (_time.process_time() - _cpu) * 1000
    _record["ms"] = (_time.perf_counter() - _started) * 1000
    _record["kb"] = _peak_kb()
    try:
        _line = _json.dumps(_record, allow_nan=False)
    except (TypeError, ValueError):
        _traceback.print_exc()
        _line = _json.dumps({"i": _i, "ok": False, "cpuMs": _record["cpuMs"], "ms": _record["ms"], "kb": _record["kb"]})
    _write(_line, str(_i))
_sys.stdout.flush()
_sys.exit(0)
`;

const DRIVERS: Record<RuntimeLanguage, { fileName: string; source: string }> = {
  JAVASCRIPT: { fileName: 'driver.cjs', source: JAVASCRIPT_DRIVER },
  PYTHON: { fileName: 'driver.py', source: PYTHON_DRIVER },
};

/** Builds the program that runs `testCases` (in order) against the function `entrypoint` of `code`. */
export function prepareTestRun(
  language: RuntimeLanguage,
  code: string,
  entrypoint: string,
  testCases: readonly TestCase[],
): PreparedProgram {
  const nonce = `@@${randomBytes(12).toString('hex')}@@`;
  return {
    ...DRIVERS[language],
    stdin: JSON.stringify({ nonce, entrypoint, source: code, tests: testCases.map((testCase) => testCase.args) }),
    nonce,
    tests: testCases.length,
  };
}
