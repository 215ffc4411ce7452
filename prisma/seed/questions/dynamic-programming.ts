/** DYNAMIC_PROGRAMMING: when it applies, recurrences, table order, loop order, and what memory savings cost. */
import { choices, md, py } from './authoring.js';
import type { SeedQuestion } from './types.js';

/** The coin-combination count two items below ask about. */
const WAYS = py(
  'def ways(coins, amount):',
  '    dp = [1] + [0] * amount',
  '    for c in coins:',
  '        for x in range(c, amount + 1):',
  '            dp[x] += dp[x - c]',
  '    return dp[amount]',
);

export const dynamicProgrammingQuestions: SeedQuestion[] = [
  {
    key: 'dynamic-programming-001',
    stem: 'Which two properties of a problem make dynamic programming apply?',
    options: choices(
      'Sorted input and a monotone answer',
      'Overlapping subproblems and optimal substructure',
      'A greedy choice property and a matroid structure',
      'Independent subproblems and a divide step',
    ),
    correct: 'B',
    explanation:
      'Optimal substructure lets an answer be built from answers to subproblems; overlapping subproblems make storing them pay off. Independent subproblems are plain divide and conquer (merge sort).',
    concepts: ['DYNAMIC_PROGRAMMING'],
    discrimination: 0.9,
    difficulty: -2.0,
    guessing: 0.2,
  },
  {
    key: 'dynamic-programming-002',
    stem: md(
      'What is the time complexity of this function?',
      '',
      py('def fib(n):', '    if n < 2:', '        return n', '    return fib(n - 1) + fib(n - 2)'),
    ),
    options: choices('`O(n)`', '`O(n²)`', '`O(log n)`', 'Exponential, about `O(1.62ⁿ)`'),
    correct: 'D',
    explanation:
      'The call tree recomputes the same values again and again; the number of calls grows like the Fibonacci numbers themselves (`φⁿ`, often bounded loosely as `O(2ⁿ)`). Memoizing makes it `O(n)`.',
    concepts: ['DYNAMIC_PROGRAMMING', 'COMPLEXITY'],
    discrimination: 1.0,
    difficulty: -1.6,
  },
  {
    key: 'dynamic-programming-003',
    stem: 'You climb a staircase of 5 steps, taking 1 or 2 steps at a time. In how many distinct ways can you reach the top?',
    options: choices('5', '8', '13', '10'),
    correct: 'B',
    explanation:
      '`ways(n) = ways(n - 1) + ways(n - 2)` with `ways(1) = 1`, `ways(2) = 2`: then 3, 5, 8. The last move is either a single step or a double step.',
    concepts: ['DYNAMIC_PROGRAMMING'],
    discrimination: 1.1,
    difficulty: -1.3,
    guessing: 0.2,
  },
  {
    key: 'dynamic-programming-004',
    stem: 'With memoization (each `fib(k)` cached the first time it is computed), what is the time complexity of `fib(n)`?',
    options: choices('`O(2ⁿ)`', '`O(n log n)`', '`O(n)`', '`O(1)`'),
    correct: 'C',
    explanation:
      'Each of the `n + 1` values is computed once, and each computation does `O(1)` work besides the cached lookups.',
    concepts: ['DYNAMIC_PROGRAMMING'],
    discrimination: 0.8,
    difficulty: -1.9,
    guessing: 0.2,
  },
  {
    key: 'dynamic-programming-005',
    stem: 'Coin Change: `dp[x]` is the fewest coins adding up to `x`, with `dp[0] = 0`. Which recurrence is right?',
    options: choices(
      '`dp[x] = dp[x - 1] + dp[x - 2]`',
      '`dp[x] = sum(dp[x - c] for c in coins if c <= x)`',
      '`dp[x] = max(dp[x - c] + c for c in coins if c <= x)`',
      '`dp[x] = min(dp[x - c] + 1 for c in coins if c <= x)`',
    ),
    correct: 'D',
    explanation:
      'The last coin used is some `c`; the rest is an optimal solution for `x - c`, so take the best choice of `c` plus one coin. The sum counts ways instead of minimizing coins.',
    concepts: ['DYNAMIC_PROGRAMMING'],
    discrimination: 1.3,
    difficulty: -0.4,
  },
  {
    key: 'dynamic-programming-006',
    stem: 'With coins `[1, 3, 4]`, what is the fewest number of coins adding up to 6?',
    options: choices('3', '2', '4', '6'),
    correct: 'B',
    explanation:
      '`3 + 3` uses two coins. The greedy choice (largest coin first) takes `4 + 1 + 1`, three coins: this is why coin change needs DP for arbitrary coin sets.',
    concepts: ['DYNAMIC_PROGRAMMING'],
    discrimination: 1.2,
    difficulty: 0.0,
  },
  {
    key: 'dynamic-programming-007',
    stem: md('What does `ways([1, 2], 4)` return?', '', WAYS),
    options: choices('5', '4', '3', '2'),
    correct: 'C',
    explanation:
      'With coins in the outer loop, each combination is counted once, in coin order: `1+1+1+1`, `1+1+2`, `2+2`.',
    concepts: ['DYNAMIC_PROGRAMMING'],
    discrimination: 1.2,
    difficulty: 0.3,
    guessing: 0.2,
  },
  {
    key: 'dynamic-programming-008',
    stem: md(
      'The two loops of `ways` are swapped: `for x in range(1, amount + 1)` outside, `for c in coins` inside (adding `dp[x - c]` when `c <= x`). What does `ways([1, 2], 4)` return now?',
      '',
      WAYS,
    ),
    options: choices('3', '4', '8', '5'),
    correct: 'D',
    explanation:
      'With the amount outside, every order of the last coin is counted, so this counts sequences: `1+1+1+1`, `1+1+2`, `1+2+1`, `2+1+1`, `2+2`, which is 5 (the staircase numbers).',
    concepts: ['DYNAMIC_PROGRAMMING'],
    discrimination: 1.6,
    difficulty: 1.1,
  },
  {
    key: 'dynamic-programming-009',
    stem: 'Longest increasing subsequence in `O(n²)`: `dp[i]` is the length of the longest strictly increasing subsequence **ending at** index `i`. Which recurrence is right?',
    options: choices(
      '`dp[i] = 1 + max(dp[j] for j < i if a[j] < a[i])`, or 1 if there is no such `j`',
      '`dp[i] = dp[i - 1] + 1 if a[i - 1] < a[i] else 1`',
      '`dp[i] = max(dp[i - 1], dp[i - 2] + 1)`',
      '`dp[i] = 1 + max(dp[j] for j > i if a[j] > a[i])`',
    ),
    correct: 'A',
    explanation:
      'The element before `a[i]` in the subsequence can be any earlier, smaller element, not just its neighbour; `dp[i - 1] + 1` measures the longest increasing **run** of adjacent elements.',
    concepts: ['DYNAMIC_PROGRAMMING'],
    discrimination: 1.4,
    difficulty: -0.2,
  },
  {
    key: 'dynamic-programming-010',
    stem: md(
      '0/1 knapsack with one array, where each item can be taken at most once:',
      '',
      py(
        'dp = [0] * (capacity + 1)',
        'for weight, value in items:',
        '    for w in range(capacity, weight - 1, -1):',
        '        dp[w] = max(dp[w], dp[w - weight] + value)',
      ),
      '',
      'Why does the inner loop run **downward**?',
    ),
    options: choices(
      'It is faster downward',
      'So `dp[w - weight]` still holds the value without the current item, which is then used at most once',
      'So the largest capacity is found first',
      'To handle negative values',
    ),
    correct: 'B',
    explanation:
      'Going down, the smaller indices read on the right-hand side have not been updated for this item yet. Going up would read an already-updated `dp[w - weight]`, letting the item be taken again: that is the unbounded knapsack.',
    concepts: ['DYNAMIC_PROGRAMMING'],
    discrimination: 1.7,
    difficulty: 0.5,
  },
  {
    key: 'dynamic-programming-011',
    stem: 'What is the length of a longest common subsequence of `"ABCBDAB"` and `"BDCABA"`?',
    options: choices('3', '5', '4', '6'),
    correct: 'C',
    explanation:
      '`"BCBA"` (or `"BDAB"`, `"BCAB"`) appears in both, in order but not necessarily contiguously; the LCS table shows no common subsequence of length 5.',
    concepts: ['DYNAMIC_PROGRAMMING'],
    discrimination: 1.0,
    difficulty: 1.0,
    guessing: 0.2,
  },
  {
    key: 'dynamic-programming-012',
    stem: 'Edit distance (insert, delete or replace one character, each costing 1): `dp[i][j]` is the distance between the first `i` characters of `a` and the first `j` of `b`. When `a[i - 1] != b[j - 1]`, what is `dp[i][j]`?',
    options: choices(
      '`1 + min(dp[i - 1][j], dp[i][j - 1], dp[i - 1][j - 1])`',
      '`dp[i - 1][j - 1]`',
      '`1 + dp[i - 1][j - 1]`',
      '`max(dp[i - 1][j], dp[i][j - 1]) + 1`',
    ),
    correct: 'A',
    explanation:
      'The last operation deletes `a[i - 1]` (`dp[i - 1][j]`), inserts `b[j - 1]` (`dp[i][j - 1]`) or replaces one with the other (`dp[i - 1][j - 1]`); take the cheapest, plus one. Without the minimum over all three, some cases are overcounted.',
    concepts: ['DYNAMIC_PROGRAMMING'],
    discrimination: 1.5,
    difficulty: 1.2,
  },
  {
    key: 'dynamic-programming-013',
    stem: 'What is the edit distance from `"abc"` to `"yabd"` (insert, delete or replace, each costing 1)?',
    options: choices('2', '1', '3', '4'),
    correct: 'A',
    explanation:
      'Insert `y` in front and replace `c` with `d`: 2 operations. One is not enough: it would have to be an insertion, but deleting any one character of `"yabd"` never leaves `"abc"`.',
    concepts: ['DYNAMIC_PROGRAMMING'],
    discrimination: 1.1,
    difficulty: 0.4,
  },
  {
    key: 'dynamic-programming-014',
    stem: 'The `O(n log n)` algorithm for the longest increasing subsequence keeps an array `tails`. What is `tails[k]`?',
    options: choices(
      'The `k`-th element of a longest increasing subsequence',
      'The largest value ending an increasing subsequence of length `k + 1`',
      'The number of increasing subsequences of length `k + 1`',
      'The smallest value that can end an increasing subsequence of length `k + 1`',
    ),
    correct: 'D',
    explanation:
      '`tails` is increasing, so each new value binary-searches its place and replaces the first tail ≥ it. Its length is the LIS length, but its contents are in general **not** an actual subsequence.',
    concepts: ['DYNAMIC_PROGRAMMING', 'BINARY_SEARCH'],
    discrimination: 1.6,
    difficulty: 1.8,
  },
  {
    key: 'dynamic-programming-015',
    stem: 'House Robber II: the houses stand in a **circle**, so the first and the last are neighbours; no two neighbours may be robbed. With `rob(line)` the answer for houses in a line, what is the answer for the circle of houses `h[0..n-1]` (`n ≥ 2`)?',
    options: choices(
      '`rob(h) - min(h[0], h[n - 1])`',
      '`max(rob(h[0..n-2]), rob(h[1..n-1]))`',
      '`rob(h[1..n-2]) + max(h[0], h[n - 1])`',
      '`rob(h)` is already correct',
    ),
    correct: 'B',
    explanation:
      'An optimal plan skips the first house or skips the last one (it cannot take both), and each case is a line. Adding `max(h[0], h[n - 1])` to `rob(h[1..n-2])` can pick `h[1]` together with its neighbour `h[0]`.',
    concepts: ['DYNAMIC_PROGRAMMING'],
    discrimination: 1.3,
    difficulty: 1.5,
  },
  {
    key: 'dynamic-programming-016',
    stem: 'An interval DP computes `dp[i][j]` (for `i ≤ j`) from `dp[i][k]` and `dp[k + 1][j]` for every `i ≤ k < j` (matrix-chain order, burst balloons). In which order can the table be filled bottom-up?',
    options: choices(
      'By increasing interval length `j - i`',
      'Row by row: `i` from 0 up, and `j` from `i` up within each row',
      'By decreasing interval length',
      'Column by column: `j` from `n - 1` down',
    ),
    correct: 'A',
    explanation:
      'Both pieces are strictly shorter intervals than `[i, j]`, so filling by length guarantees they are ready. Row by row from `i = 0` reads `dp[k + 1][j]` from rows not yet filled.',
    concepts: ['DYNAMIC_PROGRAMMING'],
    discrimination: 1.2,
    difficulty: 2.2,
  },
  {
    key: 'dynamic-programming-017',
    stem: 'Which is true of top-down memoization compared with bottom-up tabulation?',
    options: choices(
      'Bottom-up is always asymptotically faster',
      'Top-down cannot be used when subproblems overlap',
      'Both compute each subproblem once; top-down computes only the subproblems actually reached',
      'Top-down always uses less memory',
    ),
    correct: 'C',
    explanation:
      'They solve the same recurrence with the same complexity. Top-down follows the recursion, so unreachable states are skipped, at the cost of call overhead and recursion depth.',
    concepts: ['DYNAMIC_PROGRAMMING'],
    discrimination: 0.9,
    difficulty: -1.2,
  },
  {
    key: 'dynamic-programming-018',
    stem: 'A robot starts at the top-left cell of a 3 × 3 grid and moves only right or down. How many paths lead to the bottom-right cell?',
    options: choices('9', '4', '8', '6'),
    correct: 'D',
    explanation:
      'Every path makes 2 moves right and 2 down in some order: `C(4, 2) = 6`. The table `dp[r][c] = dp[r - 1][c] + dp[r][c - 1]` gives the same.',
    concepts: ['DYNAMIC_PROGRAMMING'],
    discrimination: 1.0,
    difficulty: -0.5,
    guessing: 0.2,
  },
  {
    key: 'dynamic-programming-019',
    stem: 'Word Break: `dp[i]` is true when the first `i` characters of `s` can be split into dictionary words, with `dp[0] = true`. When is `dp[i]` true?',
    options: choices(
      'When some `j < i` has `dp[j]` true and `s[j:i]` in the dictionary',
      'When `s[i - 1]` is a dictionary word',
      'When `dp[i - 1]` is true and `s[:i]` is in the dictionary',
      'When `s[:i]` contains a dictionary word',
    ),
    correct: 'A',
    explanation: 'The last word of the split is some `s[j:i]`, and what comes before it must itself be splittable.',
    concepts: ['DYNAMIC_PROGRAMMING'],
    discrimination: 1.3,
    difficulty: 0.2,
  },
  {
    key: 'dynamic-programming-020',
    stem: 'House Robber: you may not rob two adjacent houses. What is the most you can take from `[2, 7, 9, 3, 1]`?',
    options: choices('10', '11', '12', '13'),
    correct: 'C',
    explanation:
      '`dp[i] = max(dp[i - 1], dp[i - 2] + h[i])` gives 2, 7, 11, 11, 12: rob houses 0, 2 and 4 (`2 + 9 + 1`). Taking 7 and 3 yields only 10.',
    concepts: ['DYNAMIC_PROGRAMMING'],
    discrimination: 1.1,
    difficulty: -0.1,
    guessing: 0.2,
  },
  {
    key: 'dynamic-programming-021',
    stem: 'LCS of strings of lengths `m ≥ n` can run in `O(n)` memory by keeping only two rows of the table. What does that give up?',
    options: choices(
      'Correctness when the strings have repeated characters',
      'The `O(mn)` running time: it becomes `O(m²n)`',
      'The ability to handle strings of different lengths',
      'Reading the subsequence itself back from the table (it needs the full table, or Hirschberg’s divide and conquer)',
    ),
    correct: 'D',
    explanation:
      'The length is still exact and the time still `O(mn)`, but reconstructing the subsequence walks back through all rows, which are gone. Hirschberg’s algorithm recovers it in linear space at twice the time.',
    concepts: ['DYNAMIC_PROGRAMMING'],
    discrimination: 1.1,
    difficulty: 1.6,
  },
];
