/** The leftovers registry: what a file starts is disposed once, newest first, even if the file forgets. */
import { describe, expect, it } from 'vitest';
import { disposeAfterFile, disposeLeftovers } from './support/leftovers.js';

describe('leftovers', () => {
  it('disposes what is left, newest first, each once, whether or not it was disposed early', async () => {
    const disposed: string[] = [];
    const first = disposeAfterFile(() => void disposed.push('first'));
    const second = disposeAfterFile(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      disposed.push('second');
    });
    disposeAfterFile(() => void disposed.push('third'));
    await Promise.all([second(), second()]);
    await disposeLeftovers();
    await first();
    expect(disposed).toEqual(['second', 'third', 'first']);
  });
});
