/** DEBUGGING: off-by-ones, aliasing, type coercion and control-flow traps in JavaScript and Python, read from code. */
import { choices, js, md, py } from './authoring.js';
import type { SeedQuestion } from './types.js';

export const debuggingQuestions: SeedQuestion[] = [
  {
    key: 'debugging-001',
    stem: md(
      'What is the **last** line this prints?',
      '',
      js('const a = [10, 20, 30];', 'for (let i = 0; i <= a.length; i++) {', '  console.log(a[i]);', '}'),
    ),
    options: choices('`30`', '`undefined`', 'Nothing: it throws a `RangeError`', '`null`'),
    correct: 'B',
    explanation:
      '`i <= a.length` runs one step too far, to `i = 3`, and reading past the end of a JavaScript array gives `undefined` rather than an error. The condition should be `i < a.length`.',
    concepts: ['DEBUGGING'],
    discrimination: 1.0,
    difficulty: -2.0,
    guessing: 0.2,
  },
  {
    key: 'debugging-002',
    stem: md(
      'What does this print?',
      '',
      py('def add(x, items=[]):', '    items.append(x)', '    return items', '', 'add(1)', 'print(add(2))'),
    ),
    options: choices('`[2]`', '`[1]`', '`[1, 2]`', 'A `TypeError`'),
    correct: 'C',
    explanation:
      'A default value is evaluated once, when the function is defined, so every call without `items` shares one list. Use `items=None` and create the list inside the function.',
    concepts: ['DEBUGGING'],
    discrimination: 1.4,
    difficulty: -0.3,
  },
  {
    key: 'debugging-003',
    stem: md(
      'What does this log?',
      '',
      js('let x = 5;', 'if (x = 0) {', "  console.log('zero');", '} else {', "  console.log('nonzero', x);", '}'),
    ),
    options: choices('`zero`', '`nonzero 5`', '`nonzero 0`', 'A `SyntaxError`'),
    correct: 'C',
    explanation:
      '`x = 0` is an assignment, not a comparison: it sets `x` to 0 and evaluates to 0, which is falsy, so the `else` branch logs the new value. Linters flag assignments in conditions (`no-cond-assign`).',
    concepts: ['DEBUGGING'],
    discrimination: 1.2,
    difficulty: -0.5,
  },
  {
    key: 'debugging-004',
    stem: 'What does `[10, 9, 1].sort()` return in JavaScript?',
    options: choices('`[1, 9, 10]`', '`[10, 9, 1]`', '`[9, 10, 1]`', '`[1, 10, 9]`'),
    correct: 'D',
    explanation:
      'Without a comparator, `sort` compares the values as **strings**, and `"10"` comes before `"9"`. Sort numbers with `sort((a, b) => a - b)`.',
    concepts: ['DEBUGGING'],
    discrimination: 1.1,
    difficulty: -1.0,
  },
  {
    key: 'debugging-005',
    stem: 'In Python 3, what is `7 / 2`?',
    options: choices('`3`', '`3.5`', '`4`', '`3.0`'),
    correct: 'B',
    explanation:
      '`/` is true division and always gives a float; `//` is floor division (`7 // 2 == 3`). Python 2 gave 3.',
    concepts: ['DEBUGGING'],
    discrimination: 0.8,
    difficulty: -1.8,
    guessing: 0.2,
  },
  {
    key: 'debugging-006',
    stem: md('What does this print?', '', py('grid = [[0] * 3] * 2', 'grid[0][0] = 1', 'print(grid)')),
    options: choices(
      '`[[1, 0, 0], [0, 0, 0]]`',
      '`[[1, 0, 0], [1, 0, 0]]`',
      '`[[1, 1, 1], [0, 0, 0]]`',
      '`[[1, 1, 1], [1, 1, 1]]`',
    ),
    correct: 'B',
    explanation:
      '`* 2` repeats the **reference** to one inner list, so both rows are the same list. Build independent rows with `[[0] * 3 for _ in range(2)]`. (The inner `[0] * 3` is fine: integers are immutable.)',
    concepts: ['DEBUGGING'],
    discrimination: 1.5,
    difficulty: 0.0,
  },
  {
    key: 'debugging-007',
    stem: md(
      'What does this log?',
      '',
      js('const fns = [];', 'for (var i = 0; i < 3; i++) fns.push(() => i);', 'console.log(fns.map((f) => f()));'),
    ),
    options: choices('`[3, 3, 3]`', '`[0, 1, 2]`', '`[2, 2, 2]`', '`[undefined, undefined, undefined]`'),
    correct: 'A',
    explanation:
      '`var` makes one `i` for the whole function; the closures read it after the loop, when it is 3. With `let`, each iteration gets its own binding and the result is `[0, 1, 2]`.',
    concepts: ['DEBUGGING'],
    discrimination: 1.4,
    difficulty: 0.3,
  },
  {
    key: 'debugging-008',
    stem: 'In JavaScript (or any language using IEEE 754 doubles), what is `0.1 + 0.2 === 0.3`?',
    options: choices('`true`', '`false`', '`undefined`', 'It depends on the browser'),
    correct: 'B',
    explanation:
      'Neither 0.1 nor 0.2 is exactly representable in binary; their sum is `0.30000000000000004`. Compare with a tolerance (`Math.abs(a - b) < 1e-9`) or work in integer cents.',
    concepts: ['DEBUGGING'],
    discrimination: 0.9,
    difficulty: -1.3,
    guessing: 0.2,
  },
  {
    key: 'debugging-009',
    stem: md(
      'What does this print?',
      '',
      py('nums = [1, 2, 2, 3]', 'for x in nums:', '    if x == 2:', '        nums.remove(x)', 'print(nums)'),
    ),
    options: choices('`[1, 3]`', '`[1, 2, 2, 3]`', 'A `RuntimeError`', '`[1, 2, 3]`'),
    correct: 'D',
    explanation:
      'The loop walks by index. Removing the first 2 (at index 1) shifts the second 2 into index 1, which the loop has already passed, so it is never checked. Lists raise no error here (dicts and sets do); iterate over a copy or build a new list.',
    concepts: ['DEBUGGING'],
    discrimination: 1.6,
    difficulty: 0.5,
  },
  {
    key: 'debugging-010',
    stem: md(
      'What does this log?',
      '',
      js("const a = { tags: ['x'] };", 'const b = { ...a };', "b.tags.push('y');", 'console.log(a.tags.length);'),
    ),
    options: choices('`1`', '`2`', '`0`', 'A `TypeError`'),
    correct: 'B',
    explanation:
      'Spreading copies only the top level: `b.tags` is the same array as `a.tags`. Copy nested values too (`{ ...a, tags: [...a.tags] }` or `structuredClone(a)`).',
    concepts: ['DEBUGGING'],
    discrimination: 1.3,
    difficulty: 0.2,
  },
  {
    key: 'debugging-011',
    stem: md(
      'The prices exist and `price(id)` resolves correctly, yet `total` resolves to `0`. Why?',
      '',
      js(
        'async function total(ids) {',
        '  let sum = 0;',
        '  ids.forEach(async (id) => {',
        '    sum += await price(id);',
        '  });',
        '  return sum;',
        '}',
      ),
    ),
    options: choices(
      '`forEach` does not wait for the promises its async callbacks return, so `sum` is returned before any price is added',
      '`sum` is captured by value inside the callbacks',
      '`await` is not allowed inside `forEach`',
      '`price` is called with the wrong argument',
    ),
    correct: 'A',
    explanation:
      'Each callback pauses at `await` and `forEach` moves on, ignoring the returned promises; `return sum` runs first. Use `for (const id of ids) sum += await price(id);` or `Promise.all`.',
    concepts: ['DEBUGGING'],
    discrimination: 1.5,
    difficulty: 1.2,
  },
  {
    key: 'debugging-012',
    stem: "What does `['1', '7', '11'].map(parseInt)` return in JavaScript?",
    options: choices('`[1, NaN, 3]`', '`[1, 7, 11]`', '`[NaN, NaN, NaN]`', '`[1, 7, 3]`'),
    correct: 'A',
    explanation:
      '`map` passes `(value, index)`, and `parseInt` reads the index as the radix: `parseInt("1", 0)` is 1 (radix 0 means default), `parseInt("7", 1)` is `NaN` (invalid radix), `parseInt("11", 2)` is 3. Use `.map(Number)` or `.map((s) => parseInt(s, 10))`.',
    concepts: ['DEBUGGING'],
    discrimination: 1.3,
    difficulty: 1.5,
  },
  {
    key: 'debugging-013',
    stem: 'A JavaScript sort is written `items.sort((a, b) => a.score > b.score)`. Why is it a bug?',
    options: choices(
      'Arrow functions cannot be comparators',
      'A comparator must return a negative, zero or positive number; a boolean (coerced to 1 or 0) never says "less than", so the order is not guaranteed',
      'It sorts in descending order',
      'It sorts the scores as strings',
    ),
    correct: 'B',
    explanation:
      'The comparator reports "equal" for every pair where `a` is smaller, which breaks the ordering contract: the result depends on the engine’s algorithm and the input. Write `(a, b) => a.score - b.score`.',
    concepts: ['DEBUGGING'],
    discrimination: 1.2,
    difficulty: 1.6,
  },
  {
    key: 'debugging-014',
    stem: 'What does `console.log([NaN].indexOf(NaN), [NaN].includes(NaN))` print?',
    options: choices('`0 true`', '`-1 false`', '`0 false`', '`-1 true`'),
    correct: 'D',
    explanation:
      '`indexOf` compares with `===`, and `NaN === NaN` is false, so it finds nothing. `includes` uses SameValueZero, which treats `NaN` as equal to itself.',
    concepts: ['DEBUGGING'],
    discrimination: 1.4,
    difficulty: 1.9,
  },
  {
    key: 'debugging-015',
    stem: md(
      'What does this log?',
      '',
      js('const a = [5, 6];', 'let s = 0;', 'for (const i in a) s += i;', 'console.log(s);'),
    ),
    options: choices('`11`', '`1`', '`"001"`', '`"056"`'),
    correct: 'C',
    explanation:
      '`for...in` iterates over property **keys**, which are the strings `"0"` and `"1"`; `0 + "0"` is `"00"`, then `"001"`. Use `for...of` for the values (or `a.reduce((x, y) => x + y, 0)`).',
    concepts: ['DEBUGGING'],
    discrimination: 1.6,
    difficulty: 2.1,
  },
  {
    key: 'debugging-016',
    stem: md(
      '`total(n)` should return `1 + 2 + ... + n`. What does `total(4)` return?',
      '',
      py('def total(n):', '    s = 0', '    for i in range(1, n):', '        s += i', '    return s'),
    ),
    options: choices('`10`', '`4`', '`9`', '`6`'),
    correct: 'D',
    explanation: '`range(1, n)` stops **before** `n`, so it adds 1 + 2 + 3 = 6. The loop should be `range(1, n + 1)`.',
    concepts: ['DEBUGGING'],
    discrimination: 1.0,
    difficulty: -1.4,
    guessing: 0.2,
  },
  {
    key: 'debugging-017',
    stem: md(
      'What does this log?',
      '',
      js('const a = [1, 2, 3, 4];', 'const mid = (0 + a.length - 1) / 2;', 'console.log(a[mid]);'),
    ),
    options: choices('`2`', '`3`', '`undefined`', '`2.5`'),
    correct: 'C',
    explanation:
      '`/` is not integer division in JavaScript: `mid` is 1.5, and `a[1.5]` looks up a property named `"1.5"`, which does not exist. Use `Math.floor((lo + hi) / 2)` (or `(lo + hi) >> 1`).',
    concepts: ['DEBUGGING', 'BINARY_SEARCH'],
    discrimination: 1.2,
    difficulty: -0.2,
  },
  {
    key: 'debugging-018',
    stem: md(
      'What happens when this runs?',
      '',
      py("d = {'a': 1, 'b': 2}", 'for k in d:', '    if d[k] == 1:', '        del d[k]', 'print(d)'),
    ),
    options: choices(
      "It prints `{'b': 2}`",
      "It prints `{'a': 1, 'b': 2}`",
      'It raises `RuntimeError: dictionary changed size during iteration`',
      'It raises `KeyError`',
    ),
    correct: 'C',
    explanation:
      'Deleting from a dict while iterating over it raises on the next step. Iterate over a snapshot (`for k in list(d):`) or build a new dict with a comprehension.',
    concepts: ['DEBUGGING'],
    discrimination: 1.1,
    difficulty: 1.0,
  },
  {
    key: 'debugging-019',
    stem: md('What does this log?', '', js('const a = [1];', 'a.push(2);', 'console.log(a);')),
    options: choices('`[1, 2]`', '`[1]`', 'A `TypeError`: assignment to a constant variable', '`[2]`'),
    correct: 'A',
    explanation:
      '`const` stops the **binding** `a` from being reassigned; the array it refers to can still change. `a = [1, 2]` would throw. Use `Object.freeze` to make the array itself read-only.',
    concepts: ['DEBUGGING'],
    discrimination: 1.0,
    difficulty: -0.4,
    guessing: 0.2,
  },
];
