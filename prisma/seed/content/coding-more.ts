/**
 * More coding-interview problems: BINARY_SEARCH, STACK and DYNAMIC_PROGRAMMING ladders
 * (rungs 1 to 3 each). Every reference solution passes its tests; every starter fails one.
 */
import type { SeedItem } from '../../../api/content/body.js';

/** Joins statement lines so markdown with backticks stays readable here. */
const md = (...lines: string[]): string => lines.join('\n');

export const moreCodingProblems: SeedItem[] = [
  // ───────────────────────────── BINARY_SEARCH ─────────────────────────────
  {
    slug: 'binary-search',
    title: 'Binary Search',
    summary: 'Find the index of a target in a sorted array in logarithmic time.',
    track: 'CODING_INTERVIEW',
    difficulty: 'EASY',
    pattern: 'BINARY_SEARCH',
    rung: 1,
    tags: ['arrays', 'binary-search'],
    estimatedMinutes: 10,
    basePoints: 100,
    timeBonusPoints: 50,
    body: {
      kind: 'CODING',
      statement: md(
        'Given an array of **distinct** integers `nums` sorted in ascending order and an integer `target`, return the index of `target` in `nums`. If `target` is not present, return `-1`.',
        '',
        'Aim for `O(log n)` time.',
        '',
        '**Constraints**',
        '- `0 <= nums.length <= 10^4`',
        '- `-10^4 <= nums[i], target <= 10^4`',
        '- all values in `nums` are distinct and sorted ascending',
        '',
        '**Example**',
        '',
        '```',
        'nums = [-1, 0, 3, 5, 9, 12], target = 9  ->  4',
        'nums = [-1, 0, 3, 5, 9, 12], target = 2  ->  -1',
        '```',
      ),
      entrypoint: 'binarySearch',
      starterCode: {
        JAVASCRIPT: 'function binarySearch(nums, target) {\n  // your code here\n  return -1;\n}\n',
        PYTHON: 'def binarySearch(nums, target):\n    # your code here\n    return -1\n',
      },
      referenceSolution: {
        JAVASCRIPT: `function binarySearch(nums, target) {
  let lo = 0;
  let hi = nums.length - 1;
  while (lo <= hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (nums[mid] === target) return mid;
    if (nums[mid] < target) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
`,
        PYTHON: `def binarySearch(nums, target):
    lo, hi = 0, len(nums) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if nums[mid] == target:
            return mid
        if nums[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1
`,
      },
      testCases: [
        { name: 'example found', args: [[-1, 0, 3, 5, 9, 12], 9], expected: 4, hidden: false },
        { name: 'example missing', args: [[-1, 0, 3, 5, 9, 12], 2], expected: -1, hidden: false },
        { name: 'first element', args: [[1, 4, 7, 10], 1], expected: 0, hidden: false },
        { name: 'last element', args: [[1, 4, 7, 10], 10], expected: 3, hidden: true },
        { name: 'single element', args: [[5], 5], expected: 0, hidden: true },
        { name: 'empty array', args: [[], 3], expected: -1, hidden: true },
        { name: 'below range', args: [[2, 4, 6, 8, 10], -5], expected: -1, hidden: true },
        { name: 'negatives', args: [[-9, -7, -3, -1, 0, 2], -3], expected: 2, hidden: true },
      ],
      hints: [
        'If you look at the middle element and it is smaller than the target, which half can you throw away?',
        'What should your loop condition be so that a one-element range is still checked?',
      ],
    },
  },
  {
    slug: 'search-in-rotated-sorted-array',
    title: 'Search in Rotated Sorted Array',
    summary: 'Binary search a sorted array that has been rotated at an unknown pivot.',
    track: 'CODING_INTERVIEW',
    difficulty: 'MEDIUM',
    pattern: 'BINARY_SEARCH',
    rung: 2,
    tags: ['arrays', 'binary-search'],
    estimatedMinutes: 25,
    basePoints: 200,
    timeBonusPoints: 100,
    body: {
      kind: 'CODING',
      statement: md(
        'An array of **distinct** integers was sorted in ascending order and then possibly rotated at an unknown pivot `k` (so `[0, 1, 2, 4, 5, 6, 7]` might become `[4, 5, 6, 7, 0, 1, 2]`).',
        '',
        'Given the rotated array `nums` and an integer `target`, return the index of `target` in `nums`, or `-1` if it is not present. Aim for `O(log n)` time.',
        '',
        '**Constraints**',
        '- `1 <= nums.length <= 5000`',
        '- `-10^4 <= nums[i], target <= 10^4`',
        '- all values in `nums` are distinct; `nums` is an ascending array rotated by some `0 <= k < nums.length`',
        '',
        '**Example**',
        '',
        '```',
        'nums = [4, 5, 6, 7, 0, 1, 2], target = 0  ->  4',
        'nums = [4, 5, 6, 7, 0, 1, 2], target = 3  ->  -1',
        '```',
      ),
      entrypoint: 'searchRotated',
      starterCode: {
        JAVASCRIPT: 'function searchRotated(nums, target) {\n  // your code here\n  return -1;\n}\n',
        PYTHON: 'def searchRotated(nums, target):\n    # your code here\n    return -1\n',
      },
      referenceSolution: {
        JAVASCRIPT: `function searchRotated(nums, target) {
  let lo = 0;
  let hi = nums.length - 1;
  while (lo <= hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (nums[mid] === target) return mid;
    if (nums[lo] <= nums[mid]) {
      if (nums[lo] <= target && target < nums[mid]) hi = mid - 1;
      else lo = mid + 1;
    } else {
      if (nums[mid] < target && target <= nums[hi]) lo = mid + 1;
      else hi = mid - 1;
    }
  }
  return -1;
}
`,
        PYTHON: `def searchRotated(nums, target):
    lo, hi = 0, len(nums) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if nums[mid] == target:
            return mid
        if nums[lo] <= nums[mid]:
            if nums[lo] <= target < nums[mid]:
                hi = mid - 1
            else:
                lo = mid + 1
        else:
            if nums[mid] < target <= nums[hi]:
                lo = mid + 1
            else:
                hi = mid - 1
    return -1
`,
      },
      testCases: [
        { name: 'example found', args: [[4, 5, 6, 7, 0, 1, 2], 0], expected: 4, hidden: false },
        { name: 'example missing', args: [[4, 5, 6, 7, 0, 1, 2], 3], expected: -1, hidden: false },
        { name: 'single element missing', args: [[1], 0], expected: -1, hidden: false },
        { name: 'not rotated', args: [[1, 3, 5, 7, 9], 7], expected: 3, hidden: true },
        { name: 'two elements rotated', args: [[3, 1], 1], expected: 1, hidden: true },
        { name: 'target in left part', args: [[6, 7, 8, 9, 1, 2, 3, 4, 5], 8], expected: 2, hidden: true },
        { name: 'target at pivot', args: [[30, 40, 50, 10, 20], 10], expected: 3, hidden: true },
        { name: 'single element found', args: [[5], 5], expected: 0, hidden: true },
      ],
      hints: [
        'When you split a rotated array at its middle, is at least one of the two halves guaranteed to be sorted?',
        'Once you know which half is sorted, how can you tell whether the target could be inside it?',
      ],
    },
  },
  {
    slug: 'koko-eating-bananas',
    title: 'Koko Eating Bananas',
    summary: 'Binary search on the answer: the slowest eating speed that still finishes in time.',
    track: 'CODING_INTERVIEW',
    difficulty: 'MEDIUM',
    pattern: 'BINARY_SEARCH',
    rung: 3,
    tags: ['arrays', 'binary-search', 'binary-search-on-answer'],
    estimatedMinutes: 30,
    basePoints: 200,
    timeBonusPoints: 100,
    body: {
      kind: 'CODING',
      statement: md(
        'Koko has `piles` of bananas; the `i`-th pile has `piles[i]` bananas. The guards return in `h` hours.',
        '',
        'Koko picks an integer eating speed `k` (bananas per hour). Each hour she chooses one pile and eats `k` bananas from it; if the pile has fewer than `k` bananas she eats the whole pile and does nothing else that hour. So a pile of `p` bananas takes `ceil(p / k)` hours.',
        '',
        'Return the **minimum** integer `k` such that she can eat every banana within `h` hours.',
        '',
        '**Constraints**',
        '- `1 <= piles.length <= 10^4`',
        '- `piles.length <= h <= 10^9`',
        '- `1 <= piles[i] <= 10^9`',
        '',
        '**Example**',
        '',
        '```',
        'piles = [3, 6, 7, 11], h = 8  ->  4',
        'piles = [30, 11, 23, 4, 20], h = 5  ->  30',
        '```',
      ),
      entrypoint: 'minEatingSpeed',
      starterCode: {
        JAVASCRIPT: 'function minEatingSpeed(piles, h) {\n  // your code here\n  return 0;\n}\n',
        PYTHON: 'def minEatingSpeed(piles, h):\n    # your code here\n    return 0\n',
      },
      referenceSolution: {
        JAVASCRIPT: `function minEatingSpeed(piles, h) {
  let lo = 1;
  let hi = Math.max(...piles);
  while (lo < hi) {
    const k = lo + Math.floor((hi - lo) / 2);
    let hours = 0;
    for (const p of piles) hours += Math.ceil(p / k);
    if (hours <= h) hi = k;
    else lo = k + 1;
  }
  return lo;
}
`,
        PYTHON: `def minEatingSpeed(piles, h):
    lo, hi = 1, max(piles)
    while lo < hi:
        k = (lo + hi) // 2
        hours = sum((p + k - 1) // k for p in piles)
        if hours <= h:
            hi = k
        else:
            lo = k + 1
    return lo
`,
      },
      testCases: [
        { name: 'example', args: [[3, 6, 7, 11], 8], expected: 4, hidden: false },
        { name: 'one hour per pile', args: [[30, 11, 23, 4, 20], 5], expected: 30, hidden: false },
        { name: 'one extra hour', args: [[30, 11, 23, 4, 20], 6], expected: 23, hidden: false },
        { name: 'single pile, lots of time', args: [[1000000000], 2], expected: 500000000, hidden: true },
        { name: 'plenty of time', args: [[5, 5, 5], 100], expected: 1, hidden: true },
        { name: 'single small pile', args: [[1], 1], expected: 1, hidden: true },
        { name: 'huge piles', args: [[1000000000, 1000000000], 3], expected: 1000000000, hidden: true },
        { name: 'uneven piles', args: [[312884470], 312884469], expected: 2, hidden: true },
      ],
      hints: [
        'If Koko can finish at speed k, can she also finish at speed k + 1? What does that tell you about the set of valid speeds?',
        'What are the smallest and largest speeds that could ever be the answer?',
      ],
    },
  },

  // ───────────────────────────────── STACK ─────────────────────────────────
  {
    slug: 'valid-parentheses',
    title: 'Valid Parentheses',
    summary: 'Decide whether a string of brackets is properly opened, closed and nested.',
    track: 'CODING_INTERVIEW',
    difficulty: 'EASY',
    pattern: 'STACK',
    rung: 1,
    tags: ['strings', 'stack'],
    estimatedMinutes: 15,
    basePoints: 100,
    timeBonusPoints: 50,
    body: {
      kind: 'CODING',
      statement: md(
        'Given a string `s` containing only the characters `(`, `)`, `{`, `}`, `[` and `]`, return `true` if it is valid and `false` otherwise.',
        '',
        'A string is valid when every opening bracket is closed by a bracket of the same type, brackets are closed in the correct order, and every closing bracket has a matching opening bracket. The empty string is valid.',
        '',
        '**Constraints**',
        '- `0 <= s.length <= 10^4`',
        '- `s` consists only of `()[]{}`',
        '',
        '**Example**',
        '',
        '```',
        's = "()[]{}"  ->  true',
        's = "(]"      ->  false',
        's = "([)]"    ->  false',
        '```',
      ),
      entrypoint: 'isValid',
      starterCode: {
        JAVASCRIPT: 'function isValid(s) {\n  // your code here\n  return false;\n}\n',
        PYTHON: 'def isValid(s):\n    # your code here\n    return False\n',
      },
      referenceSolution: {
        JAVASCRIPT: `function isValid(s) {
  const pairs = { ')': '(', ']': '[', '}': '{' };
  const stack = [];
  for (const ch of s) {
    if (ch in pairs) {
      if (stack.pop() !== pairs[ch]) return false;
    } else {
      stack.push(ch);
    }
  }
  return stack.length === 0;
}
`,
        PYTHON: `def isValid(s):
    pairs = {')': '(', ']': '[', '}': '{'}
    stack = []
    for ch in s:
        if ch in pairs:
            if not stack or stack.pop() != pairs[ch]:
                return False
        else:
            stack.append(ch)
    return not stack
`,
      },
      testCases: [
        { name: 'simple pair', args: ['()'], expected: true, hidden: false },
        { name: 'sequence', args: ['()[]{}'], expected: true, hidden: false },
        { name: 'mismatched', args: ['(]'], expected: false, hidden: false },
        { name: 'interleaved', args: ['([)]'], expected: false, hidden: false },
        { name: 'nested', args: ['{[()()]}'], expected: true, hidden: true },
        { name: 'empty string', args: [''], expected: true, hidden: true },
        { name: 'unclosed opener', args: ['(('], expected: false, hidden: true },
        { name: 'leading closer', args: ['])'], expected: false, hidden: true },
        { name: 'closed then extra opener', args: ['()['], expected: false, hidden: true },
      ],
      hints: [
        'When you meet a closing bracket, which opening bracket must it match: the first one you saw, or the most recent unmatched one?',
        'What should be left over once you reach the end of a valid string?',
      ],
    },
  },
  {
    slug: 'daily-temperatures',
    title: 'Daily Temperatures',
    summary: 'For each day, count the days until a warmer temperature using a monotonic stack.',
    track: 'CODING_INTERVIEW',
    difficulty: 'MEDIUM',
    pattern: 'STACK',
    rung: 2,
    tags: ['arrays', 'stack', 'monotonic-stack'],
    estimatedMinutes: 25,
    basePoints: 200,
    timeBonusPoints: 100,
    body: {
      kind: 'CODING',
      statement: md(
        'Given an array of integers `temperatures` (one per day), return an array `answer` of the same length where `answer[i]` is the number of days you have to wait after day `i` to get a **strictly** warmer temperature. If no future day is warmer, `answer[i]` is `0`.',
        '',
        'Aim for `O(n)` time.',
        '',
        '**Constraints**',
        '- `1 <= temperatures.length <= 10^5`',
        '- `30 <= temperatures[i] <= 100`',
        '',
        '**Example**',
        '',
        '```',
        'temperatures = [73, 74, 75, 71, 69, 72, 76, 73]',
        '  ->  [1, 1, 4, 2, 1, 1, 0, 0]',
        '```',
      ),
      entrypoint: 'dailyTemperatures',
      starterCode: {
        JAVASCRIPT: 'function dailyTemperatures(temperatures) {\n  // your code here\n  return [];\n}\n',
        PYTHON: 'def dailyTemperatures(temperatures):\n    # your code here\n    return []\n',
      },
      referenceSolution: {
        JAVASCRIPT: `function dailyTemperatures(temperatures) {
  const answer = new Array(temperatures.length).fill(0);
  const stack = [];
  for (let i = 0; i < temperatures.length; i++) {
    while (stack.length > 0 && temperatures[stack[stack.length - 1]] < temperatures[i]) {
      const j = stack.pop();
      answer[j] = i - j;
    }
    stack.push(i);
  }
  return answer;
}
`,
        PYTHON: `def dailyTemperatures(temperatures):
    answer = [0] * len(temperatures)
    stack = []
    for i, t in enumerate(temperatures):
        while stack and temperatures[stack[-1]] < t:
            j = stack.pop()
            answer[j] = i - j
        stack.append(i)
    return answer
`,
      },
      testCases: [
        {
          name: 'example',
          args: [[73, 74, 75, 71, 69, 72, 76, 73]],
          expected: [1, 1, 4, 2, 1, 1, 0, 0],
          hidden: false,
        },
        { name: 'strictly increasing', args: [[30, 40, 50, 60]], expected: [1, 1, 1, 0], hidden: false },
        { name: 'zigzag', args: [[30, 60, 90]], expected: [1, 1, 0], hidden: false },
        { name: 'strictly decreasing', args: [[90, 80, 70, 60]], expected: [0, 0, 0, 0], hidden: true },
        { name: 'equal is not warmer', args: [[50, 50, 50, 51]], expected: [3, 2, 1, 0], hidden: true },
        { name: 'single day', args: [[55]], expected: [0], hidden: true },
        {
          name: 'valley then peak',
          args: [[70, 60, 50, 40, 80, 30, 90]],
          expected: [4, 3, 2, 1, 2, 1, 0],
          hidden: true,
        },
      ],
      hints: [
        'Which days are still "waiting" for a warmer day at any moment, and in what order are their temperatures?',
        'When today is warmer than some waiting days, which of them can you resolve right now?',
      ],
    },
  },
  {
    slug: 'largest-rectangle-in-histogram',
    title: 'Largest Rectangle in Histogram',
    summary: 'Find the largest rectangle that fits under a histogram using a monotonic stack.',
    track: 'CODING_INTERVIEW',
    difficulty: 'HARD',
    pattern: 'STACK',
    rung: 3,
    tags: ['arrays', 'stack', 'monotonic-stack'],
    estimatedMinutes: 40,
    basePoints: 300,
    timeBonusPoints: 150,
    body: {
      kind: 'CODING',
      statement: md(
        'Given an array of non-negative integers `heights` representing the bar heights of a histogram where every bar has width `1`, return the **area** of the largest axis-aligned rectangle that fits entirely within the histogram.',
        '',
        'Aim for `O(n)` time.',
        '',
        '**Constraints**',
        '- `1 <= heights.length <= 10^5`',
        '- `0 <= heights[i] <= 10^4`',
        '',
        '**Example**',
        '',
        '```',
        'heights = [2, 1, 5, 6, 2, 3]  ->  10',
        '```',
        '',
        'The rectangle spans the bars of height `5` and `6` at height `5`, so its area is `5 * 2 = 10`.',
      ),
      entrypoint: 'largestRectangleArea',
      starterCode: {
        JAVASCRIPT: 'function largestRectangleArea(heights) {\n  // your code here\n  return 0;\n}\n',
        PYTHON: 'def largestRectangleArea(heights):\n    # your code here\n    return 0\n',
      },
      referenceSolution: {
        JAVASCRIPT: `function largestRectangleArea(heights) {
  const stack = [];
  let best = 0;
  for (let i = 0; i <= heights.length; i++) {
    const h = i === heights.length ? 0 : heights[i];
    while (stack.length > 0 && heights[stack[stack.length - 1]] >= h) {
      const height = heights[stack.pop()];
      const left = stack.length > 0 ? stack[stack.length - 1] : -1;
      best = Math.max(best, height * (i - left - 1));
    }
    stack.push(i);
  }
  return best;
}
`,
        PYTHON: `def largestRectangleArea(heights):
    stack = []
    best = 0
    n = len(heights)
    for i in range(n + 1):
        h = 0 if i == n else heights[i]
        while stack and heights[stack[-1]] >= h:
            height = heights[stack.pop()]
            left = stack[-1] if stack else -1
            best = max(best, height * (i - left - 1))
        stack.append(i)
    return best
`,
      },
      testCases: [
        { name: 'example', args: [[2, 1, 5, 6, 2, 3]], expected: 10, hidden: false },
        { name: 'two bars', args: [[2, 4]], expected: 4, hidden: false },
        { name: 'single bar', args: [[7]], expected: 7, hidden: false },
        { name: 'all equal', args: [[3, 3, 3, 3]], expected: 12, hidden: true },
        { name: 'increasing', args: [[1, 2, 3, 4, 5]], expected: 9, hidden: true },
        { name: 'decreasing', args: [[5, 4, 3, 2, 1]], expected: 9, hidden: true },
        { name: 'zero splits', args: [[4, 4, 0, 3, 3, 3]], expected: 9, hidden: true },
        { name: 'all zero', args: [[0, 0, 0]], expected: 0, hidden: true },
        { name: 'low wide beats tall narrow', args: [[1, 1, 1, 1, 1, 1, 1, 5]], expected: 8, hidden: true },
      ],
      hints: [
        'For a given bar, if it were the shortest bar in the rectangle, how far left and right could the rectangle extend?',
        'Can you find the nearest shorter bar on each side for every bar in a single pass, rather than scanning outward each time?',
      ],
    },
  },

  // ────────────────────────── DYNAMIC_PROGRAMMING ──────────────────────────
  {
    slug: 'climbing-stairs',
    title: 'Climbing Stairs',
    summary: 'Count the distinct ways to climb a staircase taking 1 or 2 steps at a time.',
    track: 'CODING_INTERVIEW',
    difficulty: 'EASY',
    pattern: 'DYNAMIC_PROGRAMMING',
    rung: 1,
    tags: ['dynamic-programming', 'recursion', 'math'],
    estimatedMinutes: 10,
    basePoints: 100,
    timeBonusPoints: 50,
    body: {
      kind: 'CODING',
      statement: md(
        'You are climbing a staircase with `n` steps. Each move you climb either `1` or `2` steps. Return the number of **distinct ordered sequences** of moves that reach exactly the top.',
        '',
        '**Constraints**',
        '- `1 <= n <= 45` (the answer fits in a 32-bit signed integer)',
        '',
        '**Example**',
        '',
        '```',
        'n = 2  ->  2   (1+1, 2)',
        'n = 3  ->  3   (1+1+1, 1+2, 2+1)',
        '```',
      ),
      entrypoint: 'climbStairs',
      starterCode: {
        JAVASCRIPT: 'function climbStairs(n) {\n  // your code here\n  return 0;\n}\n',
        PYTHON: 'def climbStairs(n):\n    # your code here\n    return 0\n',
      },
      referenceSolution: {
        JAVASCRIPT: `function climbStairs(n) {
  let prev = 1;
  let curr = 1;
  for (let i = 2; i <= n; i++) {
    const next = prev + curr;
    prev = curr;
    curr = next;
  }
  return curr;
}
`,
        PYTHON: `def climbStairs(n):
    prev, curr = 1, 1
    for _ in range(2, n + 1):
        prev, curr = curr, prev + curr
    return curr
`,
      },
      testCases: [
        { name: 'two steps', args: [2], expected: 2, hidden: false },
        { name: 'three steps', args: [3], expected: 3, hidden: false },
        { name: 'one step', args: [1], expected: 1, hidden: false },
        { name: 'five steps', args: [5], expected: 8, hidden: true },
        { name: 'ten steps', args: [10], expected: 89, hidden: true },
        { name: 'maximum', args: [45], expected: 1836311903, hidden: true },
      ],
      hints: [
        'What was your very last move onto step n, and where could you have been standing just before it?',
        'A plain recursive solution repeats a lot of work for n = 45 — what could you remember to avoid that?',
      ],
    },
  },
  {
    slug: 'coin-change',
    title: 'Coin Change',
    summary: 'Find the fewest coins that add up to an amount, or report that it is impossible.',
    track: 'CODING_INTERVIEW',
    difficulty: 'MEDIUM',
    pattern: 'DYNAMIC_PROGRAMMING',
    rung: 2,
    tags: ['dynamic-programming', 'arrays'],
    estimatedMinutes: 30,
    basePoints: 200,
    timeBonusPoints: 100,
    body: {
      kind: 'CODING',
      statement: md(
        'You are given an array `coins` of distinct positive coin denominations and an integer `amount`. You have an unlimited number of each coin.',
        '',
        'Return the **fewest number of coins** needed to make up exactly `amount`. If it cannot be made with any combination of the coins, return `-1`. Making `amount = 0` needs `0` coins.',
        '',
        '**Constraints**',
        '- `1 <= coins.length <= 12`',
        '- `1 <= coins[i] <= 2^31 - 1`',
        '- `0 <= amount <= 10^4`',
        '',
        '**Example**',
        '',
        '```',
        'coins = [1, 2, 5], amount = 11  ->  3   (5 + 5 + 1)',
        'coins = [2], amount = 3         ->  -1',
        '```',
      ),
      entrypoint: 'coinChange',
      starterCode: {
        JAVASCRIPT: 'function coinChange(coins, amount) {\n  // your code here\n  return -1;\n}\n',
        PYTHON: 'def coinChange(coins, amount):\n    # your code here\n    return -1\n',
      },
      referenceSolution: {
        JAVASCRIPT: `function coinChange(coins, amount) {
  const dp = new Array(amount + 1).fill(Infinity);
  dp[0] = 0;
  for (let a = 1; a <= amount; a++) {
    for (const c of coins) {
      if (c <= a && dp[a - c] + 1 < dp[a]) dp[a] = dp[a - c] + 1;
    }
  }
  return dp[amount] === Infinity ? -1 : dp[amount];
}
`,
        PYTHON: `def coinChange(coins, amount):
    INF = float('inf')
    dp = [0] + [INF] * amount
    for a in range(1, amount + 1):
        for c in coins:
            if c <= a and dp[a - c] + 1 < dp[a]:
                dp[a] = dp[a - c] + 1
    return -1 if dp[amount] == INF else dp[amount]
`,
      },
      testCases: [
        { name: 'example', args: [[1, 2, 5], 11], expected: 3, hidden: false },
        { name: 'impossible', args: [[2], 3], expected: -1, hidden: false },
        { name: 'zero amount', args: [[1], 0], expected: 0, hidden: false },
        { name: 'greedy fails', args: [[1, 3, 4], 6], expected: 2, hidden: true },
        { name: 'no small coin', args: [[186, 419, 83, 408], 6249], expected: 20, hidden: true },
        { name: 'coin larger than amount', args: [[7, 2147483647], 14], expected: 2, hidden: true },
        { name: 'large amount', args: [[1, 5, 10, 25], 10000], expected: 400, hidden: true },
        { name: 'odd coins even gap', args: [[5, 10], 3], expected: -1, hidden: true },
      ],
      hints: [
        'Does always taking the largest coin that fits give the fewest coins? Try coins [1, 3, 4] and amount 6.',
        'If you already knew the best answer for every smaller amount, how would you get the answer for this one?',
      ],
    },
  },
  {
    slug: 'longest-common-subsequence',
    title: 'Longest Common Subsequence',
    summary: 'Find the length of the longest subsequence shared by two strings with a 2-D table.',
    track: 'CODING_INTERVIEW',
    difficulty: 'MEDIUM',
    pattern: 'DYNAMIC_PROGRAMMING',
    rung: 3,
    tags: ['dynamic-programming', 'strings'],
    estimatedMinutes: 35,
    basePoints: 200,
    timeBonusPoints: 100,
    body: {
      kind: 'CODING',
      statement: md(
        'Given two strings `text1` and `text2`, return the **length** of their longest common subsequence, or `0` if they share no characters.',
        '',
        'A subsequence of a string is formed by deleting zero or more characters without changing the order of the remaining ones (`"ace"` is a subsequence of `"abcde"`, `"aec"` is not). A common subsequence appears as a subsequence in both strings.',
        '',
        '**Constraints**',
        '- `1 <= text1.length, text2.length <= 1000`',
        '- both strings consist of lowercase English letters only',
        '',
        '**Example**',
        '',
        '```',
        'text1 = "abcde", text2 = "ace"  ->  3   ("ace")',
        'text1 = "abc",   text2 = "def"  ->  0',
        '```',
      ),
      entrypoint: 'longestCommonSubsequence',
      starterCode: {
        JAVASCRIPT: 'function longestCommonSubsequence(text1, text2) {\n  // your code here\n  return 0;\n}\n',
        PYTHON: 'def longestCommonSubsequence(text1, text2):\n    # your code here\n    return 0\n',
      },
      referenceSolution: {
        JAVASCRIPT: `function longestCommonSubsequence(text1, text2) {
  const m = text2.length;
  let prev = new Array(m + 1).fill(0);
  for (let i = 1; i <= text1.length; i++) {
    const curr = new Array(m + 1).fill(0);
    for (let j = 1; j <= m; j++) {
      curr[j] = text1[i - 1] === text2[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], curr[j - 1]);
    }
    prev = curr;
  }
  return prev[m];
}
`,
        PYTHON: `def longestCommonSubsequence(text1, text2):
    m = len(text2)
    prev = [0] * (m + 1)
    for a in text1:
        curr = [0] * (m + 1)
        for j in range(1, m + 1):
            if a == text2[j - 1]:
                curr[j] = prev[j - 1] + 1
            else:
                curr[j] = max(prev[j], curr[j - 1])
        prev = curr
    return prev[m]
`,
      },
      testCases: [
        { name: 'example', args: ['abcde', 'ace'], expected: 3, hidden: false },
        { name: 'identical', args: ['abc', 'abc'], expected: 3, hidden: false },
        { name: 'disjoint', args: ['abc', 'def'], expected: 0, hidden: false },
        { name: 'single char match', args: ['a', 'a'], expected: 1, hidden: true },
        { name: 'order matters', args: ['abc', 'cba'], expected: 1, hidden: true },
        { name: 'repeated letters', args: ['aaaa', 'aa'], expected: 2, hidden: true },
        { name: 'classic pair', args: ['abcbdab', 'bdcaba'], expected: 4, hidden: true },
        { name: 'long strings', args: ['ab'.repeat(500), 'ba'.repeat(500)], expected: 999, hidden: true },
      ],
      hints: [
        'Compare the last characters of both strings: if they are equal, what smaller problem is left? And if they differ?',
        'How many distinct (prefix of text1, prefix of text2) pairs are there, and how could you store an answer for each?',
      ],
    },
  },
];
