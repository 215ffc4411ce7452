/**
 * The WASM schema engine (@prisma/schema-engine-wasm): loaded once, run one command at a time
 * over a driver adapter factory whose adapters are guarded and disposed when the command ends.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import type * as EngineBindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import { execPGliteScript, pgliteClientOf } from './pglite-migrations.js';

type EngineModule = typeof EngineBindings;

let engineModule: Promise<EngineModule> | undefined;

/**
 * Loads the schema engine once per process. The package targets bundlers (it imports the
 * `.wasm` file as an ES module), so Node has to instantiate it by hand.
 */
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const require = createRequire(import.meta.url);
    const wasmPath = join(
      dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')),
      'schema_engine_bg.wasm',
    );
    const imports: WebAssembly.ModuleImports = { ...(bg as unknown as WebAssembly.ModuleImports) };
    for (const name of Object.keys(imports)) {
      if (name.startsWith('__wbg_setTimeout_')) imports[name] = engineSetTimeout;
    }
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), { './schema_engine_bg.js': imports });
    bg.__wbg_set_wasm(instance.exports);
    const start = instance.exports.__wbindgen_start;
    if (typeof start === 'function') start();
    return bg;
  })().catch((error: unknown) => {
    engineModule = undefined;
    throw error;
  });
  return engineModule;
}

/**
 * The engine's timers. It races some operations against `setTimeout` (e.g. a 10 s timeout
 * on `pg_advisory_lock` while applying) and, having no `clearTimeout` import, never cancels
 * them: left alone, each command would keep the process alive for 10 s after it finished.
 * They are cleared once no engine command is running.
 */
const engineTimers = new Set<NodeJS.Timeout>();
let runningCommands = 0;

function engineSetTimeout(callback: () => void, ms: number): NodeJS.Timeout {
  const timer = setTimeout(() => {
    engineTimers.delete(timer);
    callback();
  }, ms >>> 0);
  engineTimers.add(timer);
  return timer;
}

function clearIdleEngineTimers(): void {
  if (runningCommands > 0) return;
  for (const timer of engineTimers) clearTimeout(timer);
  engineTimers.clear();
}

/**
 * Wraps a factory so that every adapter the engine opens is guarded (see
 * {@link guardAdapter}) and disposed exactly once when the command ends: the engine disposes
 * shadow databases itself but not the main connection, and an open `pg` pool would keep the
 * process alive.
 */
function trackAdapters(factory: SqlMigrationAwareDriverAdapterFactory): {
  factory: SqlMigrationAwareDriverAdapterFactory;
  disposeAll: () => Promise<void>;
} {
  const opened: SqlDriverAdapter[] = [];
  const track = async (adapter: Promise<SqlDriverAdapter>): Promise<SqlDriverAdapter> => {
    const guarded = guardAdapter(await adapter);
    opened.push(guarded);
    return guarded;
  };
  return {
    factory: {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: () => track(factory.connect()),
      connectToShadowDb: () => track(factory.connectToShadowDb()),
    },
    disposeAll: async () => {
      // Shadow databases were opened last and may depend on the main connection (adapter-pg
      // drops its shadow database through it), so close in reverse order.
      const errors: unknown[] = [];
      for (const adapter of opened.reverse()) {
        await adapter.dispose().catch((error: unknown) => errors.push(error));
      }
      if (errors.length > 0) throw errors[0];
    },
  };
}

/**
 * Delegates to `adapter`, with `dispose` made idempotent and, for a plain
 * `pglite-prisma-adapter` adapter (e.g. `new PrismaPGlite(db)` from elsewhere), its
 * non-awaited `executeScript` replaced: otherwise a failing migration is recorded as applied
 * while its error surfaces as an unhandled rejection.
 */
function guardAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  let disposed: Promise<void> | undefined;
  const pglite = pgliteClientOf(adapter);
  const guarded: SqlDriverAdapter = {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => adapter.queryRaw(query),
    executeRaw: (query) => adapter.executeRaw(query),
    executeScript: pglite ? (script) => execPGliteScript(pglite, script) : (script) => adapter.executeScript(script),
    startTransaction: (isolationLevel) => adapter.startTransaction(isolationLevel),
    dispose: () => {
      disposed ??= adapter.dispose();
      return disposed;
    },
  };
  const { getConnectionInfo } = adapter;
  if (getConnectionInfo) guarded.getConnectionInfo = () => getConnectionInfo.call(adapter);
  return guarded;
}

/** Runs `command` on a fresh engine over `factory`; engine and adapters are released afterwards. */
export async function withEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  command: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadEngineModule();
  const tracked = trackAdapters(factory);
  let engine: SchemaEngine | undefined;
  runningCommands += 1;
  try {
    engine = await SchemaEngine.new(
      { datamodels: undefined },
      () => {},
      bindMigrationAwareSqlAdapterFactory(tracked.factory),
    );
    return await command(engine);
  } finally {
    engine?.free();
    runningCommands -= 1;
    clearIdleEngineTimers();
    await tracked.disposeAll();
  }
}
