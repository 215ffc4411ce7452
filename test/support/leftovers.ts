/**
 * What a test file starts and must not outlive it (servers, databases): each registers its
 * disposal here, and test/support/setup.ts disposes whatever is left after the file's tests,
 * newest first, as graphql-ws's tests do. A disposal runs once, however often it is called.
 */
const leftovers = new Set<() => Promise<void>>();

/** Registers `dispose` to run after this file's tests; returns it, callable early, running once. */
export function disposeAfterFile(dispose: () => Promise<void> | void): () => Promise<void> {
  let done: Promise<void> | null = null;
  const once = () => {
    leftovers.delete(once);
    done ??= Promise.resolve().then(dispose);
    return done;
  };
  leftovers.add(once);
  return once;
}

/** Disposes everything still registered, newest first. */
export async function disposeLeftovers(): Promise<void> {
  for (const dispose of [...leftovers].reverse()) await dispose();
}
