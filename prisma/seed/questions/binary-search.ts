/** BINARY_SEARCH: halving a sorted range, the invariants of its variants, searching on the answer, and its off-by-ones. */
import { choices, js, md, py } from './authoring.js';
import type { SeedQuestion } from './types.js';

/** The half-open lower bound several items below ask about. */
const LOWER_BOUND = py(
  'def lower_bound(a, t):',
  '    lo, hi = 0, len(a)',
  '    while lo < hi:',
  '        mid = (lo + hi) // 2',
  '        if a[mid] < t:',
  '            lo = mid + 1',
  '        else:',
  '            hi = mid',
  '    return lo',
);

/** The floor square root two items below ask about. */
const ISQRT = py(
  'def isqrt(n):',
  '    lo, hi = 0, n',
  '    while lo < hi:',
  '        mid = (lo + hi + 1) // 2',
  '        if mid * mid <= n:',
  '            lo = mid',
  '        else:',
  '            hi = mid - 1',
  '    return lo',
);

export const binarySearchQuestions: SeedQuestion[] = [
  {
    key: 'binary-search-001',
    stem: 'About how many comparisons does binary search need, at most, to find a value among 1,000 sorted elements?',
    options: choices('10', '100', '500', '1,000'),
    correct: 'A',
    explanation: 'Each comparison halves the range: `2^10 = 1024 ≥ 1000`, so about `log₂ 1000 ≈ 10` steps suffice.',
    concepts: ['BINARY_SEARCH'],
    discrimination: 0.9,
    difficulty: -2.0,
    guessing: 0.2,
  },
  {
    key: 'binary-search-002',
    stem: 'What must hold for binary search to find a value in an array?',
    options: choices(
      'The array has no duplicates',
      'The array length is a power of two',
      'The array is sorted (by the same order the search compares with)',
      'The value is in the array',
    ),
    correct: 'C',
    explanation:
      'Discarding half the range is only justified if everything on that side is known to be smaller (or larger). Duplicates and absent values are fine; any length works.',
    concepts: ['BINARY_SEARCH'],
    discrimination: 0.8,
    difficulty: -2.3,
    guessing: 0.2,
  },
  {
    key: 'binary-search-003',
    stem: 'What is the time complexity of binary search on a sorted array of `n` elements?',
    options: choices('`O(n)`', '`O(log n)`', '`O(1)`', '`O(n log n)`'),
    correct: 'B',
    explanation: 'The range halves at every step, so after `log₂ n` steps at most one element remains.',
    concepts: ['BINARY_SEARCH'],
    discrimination: 0.7,
    difficulty: -1.7,
    guessing: 0.2,
  },
  {
    key: 'binary-search-004',
    stem: md(
      'Which indices does `search([1, 3, 5, 7, 9, 11], 9)` take as `mid`, in order?',
      '',
      js(
        'function search(a, t) {',
        '  let lo = 0, hi = a.length - 1;',
        '  while (lo <= hi) {',
        '    const mid = Math.floor((lo + hi) / 2);',
        '    if (a[mid] === t) return mid;',
        '    if (a[mid] < t) lo = mid + 1;',
        '    else hi = mid - 1;',
        '  }',
        '  return -1;',
        '}',
      ),
    ),
    options: choices('`3, 4`', '`2, 3, 4`', '`5, 4`', '`2, 4`'),
    correct: 'D',
    explanation:
      '`lo = 0, hi = 5` gives `mid = 2` (value 5 < 9), so `lo = 3`; then `mid = ⌊(3 + 5) / 2⌋ = 4`, where the 9 is found.',
    concepts: ['BINARY_SEARCH'],
    discrimination: 1.1,
    difficulty: -1.0,
  },
  {
    key: 'binary-search-005',
    stem: md('What does `lower_bound([1, 2, 2, 2, 5], 2)` return?', '', LOWER_BOUND),
    options: choices('1', '2', '3', '0'),
    correct: 'A',
    explanation:
      '`lower_bound` returns the first index whose value is ≥ `t`: the first 2 is at index 1. Plain binary search could stop at any of the three 2s.',
    concepts: ['BINARY_SEARCH'],
    discrimination: 1.2,
    difficulty: -0.3,
  },
  {
    key: 'binary-search-006',
    stem: md('With the same function, what does `lower_bound([1, 2, 2, 2, 5], 6)` return?', '', LOWER_BOUND),
    options: choices('4', '-1', 'It raises `IndexError`', '5'),
    correct: 'D',
    explanation:
      'Every value is < 6, so `lo` keeps moving right until it equals `hi = len(a) = 5`: the insertion point at the end. `a[mid]` is never read at index 5, since `mid < hi` always.',
    concepts: ['BINARY_SEARCH'],
    discrimination: 1.3,
    difficulty: 0.0,
  },
  {
    key: 'binary-search-007',
    stem: md('Which invariant does `lower_bound` keep at the top of every iteration?', '', LOWER_BOUND),
    options: choices(
      '`a[lo] == t`',
      'Every index below `lo` holds a value `< t`, and every index from `hi` on holds a value `≥ t`',
      '`a[mid] < t`',
      'The answer is strictly between `lo` and `hi`',
    ),
    correct: 'B',
    explanation:
      'Both updates preserve it: `lo = mid + 1` only when `a[mid] < t`, and `hi = mid` only when `a[mid] ≥ t`. When `lo == hi` the invariant says that index is the first value ≥ `t`. The answer can equal `hi`, so it is not strictly inside.',
    concepts: ['BINARY_SEARCH'],
    discrimination: 1.7,
    difficulty: 0.4,
  },
  {
    key: 'binary-search-008',
    stem: md('Why does `lower_bound` set `hi = mid` rather than `hi = mid - 1`?', '', LOWER_BOUND),
    options: choices(
      'To avoid an integer overflow',
      'Because `mid - 1` could be negative',
      '`a[mid] ≥ t`, so `mid` itself may be the answer and must stay in range',
      'It makes the search faster',
    ),
    correct: 'C',
    explanation:
      'In the half-open range `[lo, hi)`, `hi` is the smallest index known to hold a value ≥ `t`. `mid - 1` would drop `mid`, which may be the first such index.',
    concepts: ['BINARY_SEARCH'],
    discrimination: 1.4,
    difficulty: 0.5,
  },
  {
    key: 'binary-search-009',
    stem: 'In Java or C with 32-bit integers, why is `mid = lo + (hi - lo) / 2` preferred to `mid = (lo + hi) / 2`?',
    options: choices(
      '`lo + hi` can overflow when both are large',
      'It rounds toward the upper half',
      'It is the only form that works with negative values',
      'It avoids a division',
    ),
    correct: 'A',
    explanation:
      'With indices near `2^31`, `lo + hi` wraps to a negative number and `mid` is garbage. `hi - lo` stays in range. Both forms round down for non-negative indices.',
    concepts: ['BINARY_SEARCH'],
    discrimination: 1.0,
    difficulty: -0.5,
  },
  {
    key: 'binary-search-010',
    stem: 'Koko eats bananas from piles at a speed of `k` per hour (one pile at a time) and must finish within `h` hours. Why can you binary-search the smallest `k`?',
    options: choices(
      'Because the piles are sorted',
      'Because `k` is always one of the pile sizes',
      'Because `h` is a power of two',
      'Because the hours needed never increase as `k` grows, so "finishes in time" is false and then true along `k`',
    ),
    correct: 'D',
    explanation:
      'Binary search on the answer needs a monotone predicate: if speed `k` is enough, every faster speed is too. The piles need not be sorted, and the answer need not be a pile size.',
    concepts: ['BINARY_SEARCH'],
    discrimination: 1.3,
    difficulty: 0.2,
  },
  {
    key: 'binary-search-011',
    stem: 'You search a rotated sorted array without duplicates, such as `[4, 5, 6, 7, 0, 1, 2]`. If `a[lo] <= a[mid]`, what do you know?',
    options: choices(
      'The right part `a[mid..hi]` is sorted',
      'The left part `a[lo..mid]` is sorted',
      'The target is in the left part',
      'The rotation point is at `mid`',
    ),
    correct: 'B',
    explanation:
      'The rotation point cannot be inside `lo..mid` if the values rise from `a[lo]` to `a[mid]`, so that part is sorted; then check whether the target lies within `[a[lo], a[mid])` to pick a side.',
    concepts: ['BINARY_SEARCH'],
    discrimination: 1.2,
    difficulty: 1.2,
  },
  {
    key: 'binary-search-012',
    stem: md(
      'What happens when this runs with `a = [1, 3]` and `t = 5`?',
      '',
      js(
        'let lo = 0, hi = a.length - 1;',
        'while (lo < hi) {',
        '  const mid = Math.floor((lo + hi) / 2);',
        '  if (a[mid] <= t) lo = mid;',
        '  else hi = mid - 1;',
        '}',
        'return lo;',
      ),
    ),
    options: choices('It returns 1', 'It returns 0', 'It loops forever', 'It reads past the end of the array'),
    correct: 'C',
    explanation:
      'With `lo = 0, hi = 1`, `mid` rounds down to 0, and `a[0] <= 5` sets `lo = 0` again: no progress. When a branch sets `lo = mid`, round up instead: `Math.floor((lo + hi + 1) / 2)`.',
    concepts: ['BINARY_SEARCH', 'DEBUGGING'],
    discrimination: 1.8,
    difficulty: 1.4,
  },
  {
    key: 'binary-search-013',
    stem: 'Finding the minimum of a rotated sorted array takes `O(log n)` without duplicates. What is the worst case when duplicates are allowed (e.g. `[1, 1, 1, 0, 1]`)?',
    options: choices('`O(log n)`', '`O(n log n)`', '`O(log² n)`', '`O(n)`'),
    correct: 'D',
    explanation:
      'When `a[lo] == a[mid] == a[hi]`, either half may hold the minimum (`[1, 1, 1, 0, 1]` versus `[1, 0, 1, 1, 1]`), so the search can only drop one element: `O(n)` in the worst case.',
    concepts: ['BINARY_SEARCH'],
    discrimination: 1.4,
    difficulty: 1.8,
  },
  {
    key: 'binary-search-014',
    stem: 'The `O(log(min(m, n)))` algorithm for the median of two sorted arrays runs a binary search. Over what?',
    options: choices(
      'How many elements of the shorter array go into the left half of the combined order',
      'The index of the median in the merged array, after merging',
      'Every value between the two arrays’ medians',
      'The position of the longer array’s median',
    ),
    correct: 'A',
    explanation:
      'Choosing `i` elements of the shorter array fixes `j = (m + n + 1) / 2 - i` from the other; the search moves `i` until `maxLeft ≤ minRight` on both sides. Merging first would already cost `O(m + n)`.',
    concepts: ['BINARY_SEARCH'],
    discrimination: 1.1,
    difficulty: 2.3,
  },
  {
    key: 'binary-search-015',
    stem: md('What does `isqrt(27)` return?', '', ISQRT),
    options: choices('6', '5', '27', '3'),
    correct: 'B',
    explanation: 'It returns the largest `x` with `x * x <= n`: `5 * 5 = 25 <= 27` and `6 * 6 = 36 > 27`.',
    concepts: ['BINARY_SEARCH'],
    discrimination: 1.0,
    difficulty: -0.2,
    guessing: 0.2,
  },
  {
    key: 'binary-search-016',
    stem: md('In `isqrt`, why is `mid` computed as `(lo + hi + 1) // 2`?', '', ISQRT),
    options: choices(
      'So that `mid * mid` cannot overflow',
      'So that `mid` is always odd',
      'So that `n` itself is tested',
      'With `lo = mid` in one branch, rounding down would leave `lo` unchanged when `hi = lo + 1`, and the loop would never end',
    ),
    correct: 'D',
    explanation:
      'The range must shrink every iteration. Rounding up makes `mid > lo`, so `lo = mid` always progresses, and `hi = mid - 1` does too.',
    concepts: ['BINARY_SEARCH'],
    discrimination: 1.6,
    difficulty: 1.3,
  },
  {
    key: 'binary-search-017',
    stem: 'Which of these can binary search answer on a sorted array in `O(log n)`?',
    options: choices(
      'The most frequent value',
      'The sum of all values',
      'The index of the first value ≥ `x`',
      'Whether any value appears twice',
    ),
    correct: 'C',
    explanation:
      'The first value ≥ `x` is a boundary between "too small" and "large enough", exactly what binary search finds. The other questions need to look at every element.',
    concepts: ['BINARY_SEARCH'],
    discrimination: 0.9,
    difficulty: -1.4,
  },
  {
    key: 'binary-search-018',
    stem: 'With `lower_bound(a, t)` (first index with `a[i] ≥ t`) and `upper_bound(a, t)` (first index with `a[i] > t`) on a sorted array, how many times does `t` occur?',
    options: choices(
      '`upper_bound(a, t) - lower_bound(a, t)`',
      '`upper_bound(a, t) - lower_bound(a, t) + 1`',
      '`lower_bound(a, t) - upper_bound(a, t)`',
      '`upper_bound(a, t) + lower_bound(a, t)`',
    ),
    correct: 'A',
    explanation:
      'The copies of `t` occupy the half-open range `[lower_bound, upper_bound)`, whose length is the difference; it is 0 when `t` is absent. The `+ 1` belongs to inclusive ranges.',
    concepts: ['BINARY_SEARCH'],
    discrimination: 1.2,
    difficulty: 0.1,
  },
  {
    key: 'binary-search-019',
    stem: 'Find a peak (an element larger than its neighbours; outside the array counts as `-∞`) in an array where adjacent values differ. If `a[mid] < a[mid + 1]`, the search continues to the right. Why must a peak exist there?',
    options: choices(
      'Because the right part is sorted',
      'Because the global maximum is always on the right',
      'Values rise at `mid`; walking right they must eventually stop rising, at the latest at the last element, which beats the `-∞` beyond it',
      'Because the right part holds more elements',
    ),
    correct: 'C',
    explanation:
      'The first index after `mid` where the sequence stops rising is a peak. The global maximum may well be on the left, but some peak lies right, and any peak is accepted.',
    concepts: ['BINARY_SEARCH'],
    discrimination: 1.3,
    difficulty: 2.0,
  },
  {
    key: 'binary-search-020',
    stem: md(
      'What does this print?',
      '',
      py(
        'from bisect import bisect_left, bisect_right',
        'a = [1, 2, 2, 3]',
        'print(bisect_left(a, 2), bisect_right(a, 2))',
      ),
    ),
    options: choices('`1 2`', '`2 3`', '`1 4`', '`1 3`'),
    correct: 'D',
    explanation:
      '`bisect_left` gives the insertion point before the equal values (index 1), `bisect_right` the one after them (index 3).',
    concepts: ['BINARY_SEARCH'],
    discrimination: 1.1,
    difficulty: -0.1,
    guessing: 0.2,
  },
];
