import type { SeedItem } from '../../../api/content/body.js';

/**
 * Tagged template for embedded source code: keeps the text raw (so `\n` inside a
 * Python or JavaScript string literal stays an escape), drops the first line break,
 * removes the common indentation and ends with exactly one newline.
 */
function code(strings: TemplateStringsArray): string {
  const lines = strings.raw.join('').replace(/^\n/, '').replace(/\s+$/, '').split('\n');
  const indent = Math.min(
    ...lines.filter((line) => line.trim() !== '').map((line) => line.match(/^ */)?.[0].length ?? 0),
  );
  return `${lines.map((line) => line.slice(indent)).join('\n')}\n`;
}

/** A deterministic permutation of `start .. start + n - 1` (n prime, step coprime to n). */
function shuffledRange(start: number, n: number, step: number): number[] {
  return Array.from({ length: n }, (_, i) => start + ((i * step) % n));
}

export const codingProblems: SeedItem[] = [
  {
    slug: 'two-sum',
    title: 'Two Sum',
    summary: 'Find the indices of the two numbers that add up to a target.',
    track: 'CODING_INTERVIEW',
    difficulty: 'EASY',
    pattern: 'HASHING',
    rung: 1,
    tags: ['arrays', 'hash-map'],
    estimatedMinutes: 15,
    basePoints: 100,
    timeBonusPoints: 50,
    body: {
      kind: 'CODING',
      statement:
        'Given an array of integers `nums` and an integer `target`, return the indices `[i, j]` (with `i < j`) of the two numbers that add up to `target`. Exactly one answer exists.',
      entrypoint: 'twoSum',
      starterCode: {
        JAVASCRIPT: 'function twoSum(nums, target) {\n  // your code here\n  return [];\n}\n',
        PYTHON: 'def twoSum(nums, target):\n    # your code here\n    return []\n',
      },
      referenceSolution: {
        JAVASCRIPT:
          'function twoSum(nums, target) {\n  const seen = new Map();\n  for (let j = 0; j < nums.length; j++) {\n    const i = seen.get(target - nums[j]);\n    if (i !== undefined) return [i, j];\n    seen.set(nums[j], j);\n  }\n  return [];\n}\n',
        PYTHON:
          'def twoSum(nums, target):\n    seen = {}\n    for j, value in enumerate(nums):\n        if target - value in seen:\n            return [seen[target - value], j]\n        seen[value] = j\n    return []\n',
      },
      testCases: [
        { name: 'example', args: [[2, 7, 11, 15], 9], expected: [0, 1], hidden: false },
        { name: 'middle pair', args: [[3, 2, 4], 6], expected: [1, 2], hidden: false },
        { name: 'duplicates', args: [[3, 3], 6], expected: [0, 1], hidden: false },
        { name: 'negatives', args: [[-3, 4, 3, 90], 0], expected: [0, 2], hidden: true },
        { name: 'far apart', args: [[1, 5, 9, 13, 21, 8], 9], expected: [0, 5], hidden: true },
      ],
      hints: ['What do you need to remember about the numbers you have already seen?'],
    },
  },

  // ---------------------------------------------------------------- HASHING, rung 2
  {
    slug: 'group-anagrams',
    title: 'Group Anagrams',
    summary: 'Group words that are anagrams of each other.',
    track: 'CODING_INTERVIEW',
    difficulty: 'MEDIUM',
    pattern: 'HASHING',
    rung: 2,
    tags: ['strings', 'hash-map', 'sorting'],
    estimatedMinutes: 25,
    basePoints: 200,
    timeBonusPoints: 100,
    body: {
      kind: 'CODING',
      statement: [
        'Given an array of strings `words`, group together the words that are anagrams of each other (they use exactly the same letters with the same counts, in any order).',
        '',
        'Return the groups as an array of arrays in this exact form, so the answer is unique:',
        '',
        '- inside each group, the words are sorted in ascending lexicographic order (duplicates are kept);',
        '- the groups are sorted by their first (smallest) word, ascending.',
        '',
        '**Example**',
        '',
        '```',
        'words = ["eat", "tea", "tan", "ate", "nat", "bat"]',
        'output: [["ate", "eat", "tea"], ["bat"], ["nat", "tan"]]',
        '```',
        '',
        '**Constraints**',
        '',
        '- `0 <= words.length <= 10^4`',
        '- `0 <= words[i].length <= 100`',
        '- `words[i]` consists of lowercase English letters only (it may be the empty string).',
      ].join('\n'),
      entrypoint: 'groupAnagrams',
      starterCode: {
        JAVASCRIPT: code`
          function groupAnagrams(words) {
            // your code here
            return [];
          }
        `,
        PYTHON: code`
          def groupAnagrams(words):
              # your code here
              return []
        `,
      },
      referenceSolution: {
        JAVASCRIPT: code`
          function groupAnagrams(words) {
            const groups = new Map();
            for (const word of words) {
              const key = word.split('').sort().join('');
              if (!groups.has(key)) groups.set(key, []);
              groups.get(key).push(word);
            }
            const result = [...groups.values()].map((group) => group.sort());
            result.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
            return result;
          }
        `,
        PYTHON: code`
          def groupAnagrams(words):
              groups = {}
              for word in words:
                  groups.setdefault("".join(sorted(word)), []).append(word)
              return sorted((sorted(group) for group in groups.values()), key=lambda group: group[0])
        `,
      },
      testCases: [
        {
          name: 'example',
          args: [['eat', 'tea', 'tan', 'ate', 'nat', 'bat']],
          expected: [['ate', 'eat', 'tea'], ['bat'], ['nat', 'tan']],
          hidden: false,
        },
        { name: 'empty input', args: [[]], expected: [], hidden: false },
        { name: 'single empty word', args: [['']], expected: [['']], hidden: false },
        { name: 'single letter', args: [['a']], expected: [['a']], hidden: false },
        {
          name: 'duplicates are kept',
          args: [['ba', 'c', 'ab', 'ab', '', '']],
          expected: [['', ''], ['ab', 'ab', 'ba'], ['c']],
          hidden: true,
        },
        {
          name: 'same letters, different counts',
          args: [['bba', 'aab', 'bab', 'aba', 'abb']],
          expected: [
            ['aab', 'aba'],
            ['abb', 'bab', 'bba'],
          ],
          hidden: true,
        },
        {
          name: 'equal letter sums are not anagrams',
          args: [['bc', 'ad', 'da', 'cb', 'ac']],
          expected: [['ac'], ['ad', 'da'], ['bc', 'cb']],
          hidden: true,
        },
      ],
      hints: [
        'What could you compute from a word that is identical for all of its anagrams and different for every other word?',
        'Once you have such a key, which data structure lets you collect the words that share it in a single pass?',
      ],
    },
  },

  // ---------------------------------------------------------------- HASHING, rung 3
  {
    slug: 'longest-consecutive-sequence',
    title: 'Longest Consecutive Sequence',
    summary: 'Find the length of the longest run of consecutive integers in an unsorted array.',
    track: 'CODING_INTERVIEW',
    difficulty: 'MEDIUM',
    pattern: 'HASHING',
    rung: 3,
    tags: ['arrays', 'hash-set'],
    estimatedMinutes: 30,
    basePoints: 200,
    timeBonusPoints: 100,
    body: {
      kind: 'CODING',
      statement: [
        'Given an unsorted array of integers `nums`, return the length of the longest sequence of consecutive integers (`x, x + 1, x + 2, ...`) whose values all appear in `nums`. The values may appear in any order in the array, and duplicates count once.',
        '',
        'Aim for an `O(n)` solution: sorting works, but try to do without it.',
        '',
        '**Example**',
        '',
        '```',
        'nums = [100, 4, 200, 1, 3, 2]',
        'output: 4        // the sequence 1, 2, 3, 4',
        '```',
        '',
        '**Constraints**',
        '',
        '- `0 <= nums.length <= 10^5` (return `0` for an empty array)',
        '- `-10^9 <= nums[i] <= 10^9`',
      ].join('\n'),
      entrypoint: 'longestConsecutive',
      starterCode: {
        JAVASCRIPT: code`
          function longestConsecutive(nums) {
            // your code here
            return 0;
          }
        `,
        PYTHON: code`
          def longestConsecutive(nums):
              # your code here
              return 0
        `,
      },
      referenceSolution: {
        JAVASCRIPT: code`
          function longestConsecutive(nums) {
            const values = new Set(nums);
            let best = 0;
            for (const start of values) {
              if (values.has(start - 1)) continue;
              let length = 1;
              while (values.has(start + length)) length++;
              if (length > best) best = length;
            }
            return best;
          }
        `,
        PYTHON: code`
          def longestConsecutive(nums):
              values = set(nums)
              best = 0
              for start in values:
                  if start - 1 in values:
                      continue
                  length = 1
                  while start + length in values:
                      length += 1
                  best = max(best, length)
              return best
        `,
      },
      testCases: [
        { name: 'example', args: [[100, 4, 200, 1, 3, 2]], expected: 4, hidden: false },
        { name: 'with zero and a repeat', args: [[0, 3, 7, 2, 5, 8, 4, 6, 0, 1]], expected: 9, hidden: false },
        { name: 'empty input', args: [[]], expected: 0, hidden: false },
        { name: 'single element', args: [[7]], expected: 1, hidden: false },
        { name: 'duplicates count once', args: [[1, 2, 0, 1, 2, 2]], expected: 3, hidden: true },
        { name: 'negatives', args: [[5, -1, 6, -3, -2, 10]], expected: 3, hidden: true },
        {
          name: 'large values',
          args: [[1000000000, -1000000000, 999999999, 999999998, -999999999]],
          expected: 3,
          hidden: true,
        },
        {
          name: 'long shuffled run',
          args: [[...shuffledRange(-1000, 2003, 1009), 5000, -5000]],
          expected: 2003,
          hidden: true,
        },
      ],
      hints: [
        'If you could ask "is this value present?" in constant time, how would that change your approach?',
        'Which numbers are worth starting a count from, and how can you tell them apart from the rest?',
      ],
    },
  },

  // ---------------------------------------------------------------- TWO_POINTERS, rung 1
  {
    slug: 'valid-palindrome',
    title: 'Valid Palindrome',
    summary: 'Decide whether a phrase reads the same forwards and backwards, ignoring case and punctuation.',
    track: 'CODING_INTERVIEW',
    difficulty: 'EASY',
    pattern: 'TWO_POINTERS',
    rung: 1,
    tags: ['strings', 'two-pointers'],
    estimatedMinutes: 15,
    basePoints: 100,
    timeBonusPoints: 50,
    body: {
      kind: 'CODING',
      statement: [
        'A phrase is a **palindrome** if, after converting all uppercase letters to lowercase and removing every character that is not a letter or a digit, it reads the same forwards and backwards.',
        '',
        'Given a string `s`, return `true` if it is a palindrome and `false` otherwise. Only the ASCII letters `a-z`, `A-Z` and digits `0-9` count as alphanumeric; everything else (spaces, punctuation, `_`, ...) is ignored. A string with no alphanumeric characters is a palindrome.',
        '',
        '**Example**',
        '',
        '```',
        's = "A man, a plan, a canal: Panama"',
        'output: true     // "amanaplanacanalpanama"',
        '```',
        '',
        '**Constraints**',
        '',
        '- `0 <= s.length <= 2 * 10^5`',
        '- `s` consists of printable ASCII characters.',
        '',
        'Try to solve it in `O(1)` extra space, without building a cleaned-up copy of the string.',
      ].join('\n'),
      entrypoint: 'isPalindrome',
      starterCode: {
        JAVASCRIPT: code`
          function isPalindrome(s) {
            // your code here
            return false;
          }
        `,
        PYTHON: code`
          def isPalindrome(s):
              # your code here
              return False
        `,
      },
      referenceSolution: {
        JAVASCRIPT: code`
          function isPalindrome(s) {
            const isAlphanumeric = (ch) => /^[A-Za-z0-9]$/.test(ch);
            let left = 0;
            let right = s.length - 1;
            while (left < right) {
              if (!isAlphanumeric(s[left])) {
                left++;
              } else if (!isAlphanumeric(s[right])) {
                right--;
              } else {
                if (s[left].toLowerCase() !== s[right].toLowerCase()) return false;
                left++;
                right--;
              }
            }
            return true;
          }
        `,
        PYTHON: code`
          def isPalindrome(s):
              def is_alphanumeric(ch):
                  return ch.isascii() and ch.isalnum()

              left, right = 0, len(s) - 1
              while left < right:
                  if not is_alphanumeric(s[left]):
                      left += 1
                  elif not is_alphanumeric(s[right]):
                      right -= 1
                  else:
                      if s[left].lower() != s[right].lower():
                          return False
                      left += 1
                      right -= 1
              return True
        `,
      },
      testCases: [
        { name: 'example', args: ['A man, a plan, a canal: Panama'], expected: true, hidden: false },
        { name: 'not a palindrome', args: ['race a car'], expected: false, hidden: false },
        { name: 'only a space', args: [' '], expected: true, hidden: false },
        { name: 'empty string', args: [''], expected: true, hidden: false },
        { name: 'single character', args: ['a'], expected: true, hidden: false },
        { name: 'digit versus letter', args: ['0P'], expected: false, hidden: true },
        { name: 'underscore is ignored', args: ['ab_a'], expected: true, hidden: true },
        { name: 'quotes and mixed case', args: ["No 'x' in Nixon"], expected: true, hidden: true },
        { name: 'digits matter', args: ['12:21!'], expected: true, hidden: true },
        { name: 'almost a palindrome', args: ['abcdecba'], expected: false, hidden: true },
      ],
      hints: [
        'Where are the two characters that must match first, and where are the next two after that?',
        'When one side is looking at a character that does not count, what should move, and what should stay put?',
      ],
    },
  },

  // ---------------------------------------------------------------- TWO_POINTERS, rung 2
  {
    slug: 'container-with-most-water',
    title: 'Container With Most Water',
    summary: 'Pick two vertical lines that together hold the most water.',
    track: 'CODING_INTERVIEW',
    difficulty: 'MEDIUM',
    pattern: 'TWO_POINTERS',
    rung: 2,
    tags: ['arrays', 'two-pointers', 'greedy'],
    estimatedMinutes: 25,
    basePoints: 200,
    timeBonusPoints: 100,
    body: {
      kind: 'CODING',
      statement: [
        'You are given an array `height` of `n` non-negative integers. Line `i` is drawn vertically from `(i, 0)` to `(i, height[i])`.',
        '',
        'Choose two different lines `i < j`; together with the x-axis they form a container holding `(j - i) * min(height[i], height[j])` units of water. Return the **maximum** amount of water a container can hold (the container cannot be tilted).',
        '',
        '**Example**',
        '',
        '```',
        'height = [1, 8, 6, 2, 5, 4, 8, 3, 7]',
        'output: 49       // lines 1 and 8: (8 - 1) * min(8, 7)',
        '```',
        '',
        '**Constraints**',
        '',
        '- `2 <= height.length <= 10^5`',
        '- `0 <= height[i] <= 10^4`',
        '',
        'An `O(n^2)` scan of all pairs is correct but too slow for the largest inputs; aim for `O(n)`.',
      ].join('\n'),
      entrypoint: 'maxArea',
      starterCode: {
        JAVASCRIPT: code`
          function maxArea(height) {
            // your code here
            return 0;
          }
        `,
        PYTHON: code`
          def maxArea(height):
              # your code here
              return 0
        `,
      },
      referenceSolution: {
        JAVASCRIPT: code`
          function maxArea(height) {
            let left = 0;
            let right = height.length - 1;
            let best = 0;
            while (left < right) {
              const water = (right - left) * Math.min(height[left], height[right]);
              if (water > best) best = water;
              if (height[left] < height[right]) left++;
              else right--;
            }
            return best;
          }
        `,
        PYTHON: code`
          def maxArea(height):
              left, right = 0, len(height) - 1
              best = 0
              while left < right:
                  best = max(best, (right - left) * min(height[left], height[right]))
                  if height[left] < height[right]:
                      left += 1
                  else:
                      right -= 1
              return best
        `,
      },
      testCases: [
        { name: 'example', args: [[1, 8, 6, 2, 5, 4, 8, 3, 7]], expected: 49, hidden: false },
        { name: 'two lines', args: [[1, 1]], expected: 1, hidden: false },
        { name: 'equal ends', args: [[4, 3, 2, 1, 4]], expected: 16, hidden: false },
        { name: 'short middle', args: [[1, 2, 1]], expected: 2, hidden: false },
        { name: 'all zero', args: [[0, 0]], expected: 0, hidden: true },
        { name: 'tall neighbours win', args: [[2, 3, 4, 5, 18, 17, 6]], expected: 17, hidden: true },
        { name: 'inner pair beats the ends', args: [[6, 9, 3, 4, 5, 8]], expected: 32, hidden: true },
        { name: 'large heights', args: [[10000, 1, 1, 10000]], expected: 30000, hidden: true },
      ],
      hints: [
        'Start with the widest possible container. What limits how much water it holds?',
        'If you move the taller of the two lines inwards, can the amount of water ever increase?',
      ],
    },
  },

  // ---------------------------------------------------------------- TWO_POINTERS, rung 3
  {
    slug: 'three-sum',
    title: '3Sum',
    summary: 'Find every distinct triplet of numbers that sums to zero.',
    track: 'CODING_INTERVIEW',
    difficulty: 'MEDIUM',
    pattern: 'TWO_POINTERS',
    rung: 3,
    tags: ['arrays', 'two-pointers', 'sorting'],
    estimatedMinutes: 35,
    basePoints: 200,
    timeBonusPoints: 100,
    body: {
      kind: 'CODING',
      statement: [
        'Given an integer array `nums`, return every **distinct** triplet of values `[a, b, c]` taken from three different positions of `nums` such that `a + b + c == 0`.',
        '',
        'Return them in this exact form, so the answer is unique:',
        '',
        '- each triplet is sorted ascending (`a <= b <= c`);',
        '- no triplet appears twice (two triplets are the same if they contain the same values);',
        '- the list of triplets is sorted ascending lexicographically (by `a`, then `b`, then `c`).',
        '',
        'Return an empty array if there is no such triplet.',
        '',
        '**Example**',
        '',
        '```',
        'nums = [-1, 0, 1, 2, -1, -4]',
        'output: [[-1, -1, 2], [-1, 0, 1]]',
        '```',
        '',
        '**Constraints**',
        '',
        '- `0 <= nums.length <= 3000`',
        '- `-10^9 <= nums[i] <= 10^9`',
      ].join('\n'),
      entrypoint: 'threeSum',
      starterCode: {
        JAVASCRIPT: code`
          function threeSum(nums) {
            // your code here
            return [];
          }
        `,
        PYTHON: code`
          def threeSum(nums):
              # your code here
              return []
        `,
      },
      referenceSolution: {
        JAVASCRIPT: code`
          function threeSum(nums) {
            const sorted = [...nums].sort((a, b) => a - b);
            const result = [];
            for (let i = 0; i < sorted.length - 2; i++) {
              if (i > 0 && sorted[i] === sorted[i - 1]) continue;
              let left = i + 1;
              let right = sorted.length - 1;
              while (left < right) {
                const sum = sorted[i] + sorted[left] + sorted[right];
                if (sum < 0) {
                  left++;
                } else if (sum > 0) {
                  right--;
                } else {
                  result.push([sorted[i], sorted[left], sorted[right]]);
                  left++;
                  right--;
                  while (left < right && sorted[left] === sorted[left - 1]) left++;
                }
              }
            }
            return result;
          }
        `,
        PYTHON: code`
          def threeSum(nums):
              values = sorted(nums)
              result = []
              for i in range(len(values) - 2):
                  if i > 0 and values[i] == values[i - 1]:
                      continue
                  left, right = i + 1, len(values) - 1
                  while left < right:
                      total = values[i] + values[left] + values[right]
                      if total < 0:
                          left += 1
                      elif total > 0:
                          right -= 1
                      else:
                          result.append([values[i], values[left], values[right]])
                          left += 1
                          right -= 1
                          while left < right and values[left] == values[left - 1]:
                              left += 1
              return result
        `,
      },
      testCases: [
        {
          name: 'example',
          args: [[-1, 0, 1, 2, -1, -4]],
          expected: [
            [-1, -1, 2],
            [-1, 0, 1],
          ],
          hidden: false,
        },
        { name: 'no triplet', args: [[0, 1, 1]], expected: [], hidden: false },
        { name: 'three zeros', args: [[0, 0, 0]], expected: [[0, 0, 0]], hidden: false },
        { name: 'empty input', args: [[]], expected: [], hidden: false },
        { name: 'single element', args: [[0]], expected: [], hidden: false },
        { name: 'many zeros', args: [[0, 0, 0, 0, 0]], expected: [[0, 0, 0]], hidden: true },
        {
          name: 'repeated middle value',
          args: [[2, 1, -2, 1, 0]],
          expected: [
            [-2, 0, 2],
            [-2, 1, 1],
          ],
          hidden: true,
        },
        {
          name: 'many duplicates',
          args: [[6, -2, 4, 3, -2, 0, 2, 6, -4, 1, 2, 3, 4, -2, 2]],
          expected: [
            [-4, -2, 6],
            [-4, 0, 4],
            [-4, 1, 3],
            [-4, 2, 2],
            [-2, -2, 4],
            [-2, 0, 2],
          ],
          hidden: true,
        },
        {
          name: 'large values',
          args: [[500000000, 1, -1000000000, 500000000]],
          expected: [[-1000000000, 500000000, 500000000]],
          hidden: true,
        },
        { name: 'no triplet with mixed signs', args: [[3, -2, 1, 0]], expected: [], hidden: true },
      ],
      hints: [
        'If you fix the smallest number of the triplet, what problem is left for the other two?',
        'How does sorting the array help both with finding pairs and with skipping repeated triplets?',
      ],
    },
  },

  // ---------------------------------------------------------------- SLIDING_WINDOW, rung 1
  {
    slug: 'max-sum-subarray-of-size-k',
    title: 'Maximum Sum Subarray of Size K',
    summary: 'Find the largest sum of any k consecutive elements.',
    track: 'CODING_INTERVIEW',
    difficulty: 'EASY',
    pattern: 'SLIDING_WINDOW',
    rung: 1,
    tags: ['arrays', 'sliding-window'],
    estimatedMinutes: 15,
    basePoints: 100,
    timeBonusPoints: 50,
    body: {
      kind: 'CODING',
      statement: [
        'Given an array of integers `nums` and an integer `k`, return the maximum sum of any contiguous subarray of exactly `k` elements.',
        '',
        '**Example**',
        '',
        '```',
        'nums = [2, 1, 5, 1, 3, 2], k = 3',
        'output: 9        // the subarray [5, 1, 3]',
        '```',
        '',
        '**Constraints**',
        '',
        '- `1 <= k <= nums.length <= 10^5`',
        '- `-10^4 <= nums[i] <= 10^4` (values may be negative, so the answer may be negative too)',
        '',
        'Recomputing each window from scratch is `O(n * k)`; aim for `O(n)`.',
      ].join('\n'),
      entrypoint: 'maxSumSubarray',
      starterCode: {
        JAVASCRIPT: code`
          function maxSumSubarray(nums, k) {
            // your code here
            return 0;
          }
        `,
        PYTHON: code`
          def maxSumSubarray(nums, k):
              # your code here
              return 0
        `,
      },
      referenceSolution: {
        JAVASCRIPT: code`
          function maxSumSubarray(nums, k) {
            let sum = 0;
            for (let i = 0; i < k; i++) sum += nums[i];
            let best = sum;
            for (let i = k; i < nums.length; i++) {
              sum += nums[i] - nums[i - k];
              if (sum > best) best = sum;
            }
            return best;
          }
        `,
        PYTHON: code`
          def maxSumSubarray(nums, k):
              total = sum(nums[:k])
              best = total
              for i in range(k, len(nums)):
                  total += nums[i] - nums[i - k]
                  best = max(best, total)
              return best
        `,
      },
      testCases: [
        { name: 'example', args: [[2, 1, 5, 1, 3, 2], 3], expected: 9, hidden: false },
        { name: 'pairs', args: [[2, 3, 4, 1, 5], 2], expected: 7, hidden: false },
        { name: 'single element', args: [[5], 1], expected: 5, hidden: false },
        { name: 'window is the whole array', args: [[1, 2, 3], 3], expected: 6, hidden: false },
        { name: 'all negative', args: [[-1, -2, -3], 2], expected: -3, hidden: true },
        { name: 'best window at the end', args: [[1, 1, 1, 1, 10, 10], 2], expected: 20, hidden: true },
        { name: 'k of one picks the maximum', args: [[-5, 3, -1, 7, 2], 1], expected: 7, hidden: true },
        {
          name: 'large values',
          args: [[10000, -10000, 10000, 10000, 10000, -10000, 9999], 3],
          expected: 30000,
          hidden: true,
        },
      ],
      hints: [
        'When the window slides one step to the right, which elements leave it and which enter it?',
        'Do you need to add up all k numbers again, or can you update the previous sum?',
      ],
    },
  },

  // ---------------------------------------------------------------- SLIDING_WINDOW, rung 2
  {
    slug: 'longest-substring-without-repeating-characters',
    title: 'Longest Substring Without Repeating Characters',
    summary: 'Find the length of the longest substring whose characters are all distinct.',
    track: 'CODING_INTERVIEW',
    difficulty: 'MEDIUM',
    pattern: 'SLIDING_WINDOW',
    rung: 2,
    tags: ['strings', 'sliding-window', 'hash-map'],
    estimatedMinutes: 25,
    basePoints: 200,
    timeBonusPoints: 100,
    body: {
      kind: 'CODING',
      statement: [
        'Given a string `s`, return the length of the longest **substring** (a contiguous run of characters) in which no character appears more than once.',
        '',
        '**Example**',
        '',
        '```',
        's = "abcabcbb"',
        'output: 3        // "abc"',
        '',
        's = "pwwkew"',
        'output: 3        // "wke"; "pwke" is a subsequence, not a substring',
        '```',
        '',
        '**Constraints**',
        '',
        '- `0 <= s.length <= 5 * 10^4` (return `0` for the empty string)',
        '- `s` consists of printable ASCII characters (letters, digits, symbols and spaces); characters are case-sensitive.',
      ].join('\n'),
      entrypoint: 'lengthOfLongestSubstring',
      starterCode: {
        JAVASCRIPT: code`
          function lengthOfLongestSubstring(s) {
            // your code here
            return 0;
          }
        `,
        PYTHON: code`
          def lengthOfLongestSubstring(s):
              # your code here
              return 0
        `,
      },
      referenceSolution: {
        JAVASCRIPT: code`
          function lengthOfLongestSubstring(s) {
            const lastSeen = new Map();
            let start = 0;
            let best = 0;
            for (let i = 0; i < s.length; i++) {
              const previous = lastSeen.get(s[i]);
              if (previous !== undefined && previous >= start) start = previous + 1;
              lastSeen.set(s[i], i);
              if (i - start + 1 > best) best = i - start + 1;
            }
            return best;
          }
        `,
        PYTHON: code`
          def lengthOfLongestSubstring(s):
              last_seen = {}
              start = 0
              best = 0
              for i, ch in enumerate(s):
                  if ch in last_seen and last_seen[ch] >= start:
                      start = last_seen[ch] + 1
                  last_seen[ch] = i
                  best = max(best, i - start + 1)
              return best
        `,
      },
      testCases: [
        { name: 'example', args: ['abcabcbb'], expected: 3, hidden: false },
        { name: 'all the same', args: ['bbbbb'], expected: 1, hidden: false },
        { name: 'substring, not subsequence', args: ['pwwkew'], expected: 3, hidden: false },
        { name: 'empty string', args: [''], expected: 0, hidden: false },
        { name: 'single space', args: [' '], expected: 1, hidden: true },
        { name: 'stale repeat outside the window', args: ['abba'], expected: 2, hidden: true },
        { name: 'restart just after the repeat', args: ['dvdf'], expected: 3, hidden: true },
        { name: 'longest run at the end', args: ['tmmzuxt'], expected: 5, hidden: true },
        { name: 'case and symbols are distinct', args: ['aA1!a A'], expected: 5, hidden: true },
      ],
      hints: [
        'When you meet a character that is already in your current run, where is the earliest position a valid run ending here could start?',
        'What would you need to remember about each character to jump there directly instead of stepping one by one?',
      ],
    },
  },

  // ---------------------------------------------------------------- SLIDING_WINDOW, rung 3
  {
    slug: 'minimum-window-substring',
    title: 'Minimum Window Substring',
    summary: 'Find the shortest substring that contains every character of another string.',
    track: 'CODING_INTERVIEW',
    difficulty: 'HARD',
    pattern: 'SLIDING_WINDOW',
    rung: 3,
    tags: ['strings', 'sliding-window', 'hash-map'],
    estimatedMinutes: 45,
    basePoints: 300,
    timeBonusPoints: 150,
    body: {
      kind: 'CODING',
      statement: [
        'Given two strings `s` and `t`, return the shortest substring of `s` that contains every character of `t`, **including duplicates** (if `t` has two `a`s, the window needs at least two `a`s). Characters are case-sensitive.',
        '',
        'If several shortest windows exist, return the **leftmost** one (the one starting at the smallest index). If no window exists, return the empty string `""`.',
        '',
        '**Example**',
        '',
        '```',
        's = "ADOBECODEBANC", t = "ABC"',
        'output: "BANC"',
        '```',
        '',
        '**Constraints**',
        '',
        '- `1 <= s.length, t.length <= 10^5`',
        '- `s` and `t` consist of uppercase and lowercase English letters.',
        '',
        'Aim for `O(s.length + t.length)` time.',
      ].join('\n'),
      entrypoint: 'minWindow',
      starterCode: {
        JAVASCRIPT: code`
          function minWindow(s, t) {
            // your code here
            return '';
          }
        `,
        PYTHON: code`
          def minWindow(s, t):
              # your code here
              return ""
        `,
      },
      referenceSolution: {
        JAVASCRIPT: code`
          function minWindow(s, t) {
            const need = new Map();
            for (let i = 0; i < t.length; i++) need.set(t[i], (need.get(t[i]) || 0) + 1);
            let missing = t.length;
            let left = 0;
            let bestStart = 0;
            let bestLength = Infinity;
            for (let right = 0; right < s.length; right++) {
              const entering = s[right];
              if (need.has(entering)) {
                if (need.get(entering) > 0) missing--;
                need.set(entering, need.get(entering) - 1);
              }
              while (missing === 0) {
                if (right - left + 1 < bestLength) {
                  bestLength = right - left + 1;
                  bestStart = left;
                }
                const leaving = s[left];
                if (need.has(leaving)) {
                  need.set(leaving, need.get(leaving) + 1);
                  if (need.get(leaving) > 0) missing++;
                }
                left++;
              }
            }
            return bestLength === Infinity ? '' : s.slice(bestStart, bestStart + bestLength);
          }
        `,
        PYTHON: code`
          def minWindow(s, t):
              need = {}
              for ch in t:
                  need[ch] = need.get(ch, 0) + 1
              missing = len(t)
              left = 0
              best_start, best_length = 0, None
              for right, entering in enumerate(s):
                  if entering in need:
                      if need[entering] > 0:
                          missing -= 1
                      need[entering] -= 1
                  while missing == 0:
                      if best_length is None or right - left + 1 < best_length:
                          best_start, best_length = left, right - left + 1
                      leaving = s[left]
                      if leaving in need:
                          need[leaving] += 1
                          if need[leaving] > 0:
                              missing += 1
                      left += 1
              return "" if best_length is None else s[best_start:best_start + best_length]
        `,
      },
      testCases: [
        { name: 'example', args: ['ADOBECODEBANC', 'ABC'], expected: 'BANC', hidden: false },
        { name: 'single character', args: ['a', 'a'], expected: 'a', hidden: false },
        { name: 'not enough duplicates', args: ['a', 'aa'], expected: '', hidden: false },
        { name: 'target at the end', args: ['ab', 'b'], expected: 'b', hidden: false },
        { name: 'leftmost of equal windows', args: ['abcab', 'ba'], expected: 'ab', hidden: true },
        { name: 'duplicates in the target', args: ['aaflslflsldkalskaaa', 'aaa'], expected: 'aaa', hidden: true },
        { name: 'case-sensitive', args: ['aBAbCa', 'ab'], expected: 'bCa', hidden: true },
        { name: 'window in the middle', args: ['cabwefgewcwaefgcf', 'cae'], expected: 'cwae', hidden: true },
        { name: 'target longer than source', args: ['abc', 'abcd'], expected: '', hidden: true },
        { name: 'shrinking past extra copies', args: ['bbaac', 'aba'], expected: 'baa', hidden: true },
      ],
      hints: [
        'Once a window contains everything you need, what happens if you move its left edge inwards, and when must you stop?',
        'How can you tell in constant time whether the current window still covers all of t, without recounting it?',
      ],
    },
  },
];
