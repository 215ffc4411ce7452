/** Small builders for writing questions: Markdown with code blocks, and options keyed A, B, C... in order. */

/** Joins lines of Markdown. */
export const md = (...lines: string[]): string => lines.join('\n');

/** A fenced JavaScript block, one string per source line. */
export const js = (...lines: string[]): string => ['```js', ...lines, '```'].join('\n');

/** A fenced Python block, one string per source line. */
export const py = (...lines: string[]): string => ['```py', ...lines, '```'].join('\n');

/** A fenced plain-text block (grids, inputs), one string per line. */
export const text = (...lines: string[]): string => ['```text', ...lines, '```'].join('\n');

/** Options keyed `A`, `B`, `C`... in the order given, so a key always matches its position. */
export const choices = (...texts: string[]): { key: string; text: string }[] =>
  texts.map((optionText, index) => ({ key: String.fromCharCode(65 + index), text: optionText }));
