/** HASHING: hash maps and sets, what they cost, what makes a good key, and the counting and prefix-sum tricks. */
import { choices, js, md, py } from './authoring.js';
import type { SeedQuestion } from './types.js';

export const hashingQuestions: SeedQuestion[] = [
  {
    key: 'hashing-001',
    stem: 'What is the **average** time to look up a key in a hash map (a JavaScript `Map`, a Python `dict`)?',
    options: choices('`O(1)`', '`O(log n)`', '`O(n)`', '`O(n log n)`', '`O(√n)`'),
    correct: 'A',
    explanation:
      'A good hash function spreads keys over the buckets, so a lookup inspects a constant number of entries on average. `O(log n)` is a balanced search tree; `O(n)` is the worst case when everything collides.',
    concepts: ['HASHING'],
    discrimination: 0.9,
    difficulty: -2.2,
    guessing: 0.15,
  },
  {
    key: 'hashing-002',
    stem: 'You solve Two Sum (return the indices of two numbers adding up to `target`) in **one pass** over `nums`. What should the map hold as you scan?',
    options: choices(
      'Each index seen so far, mapped to its value',
      'Each value seen so far, mapped to its index',
      'Each sum of two values seen so far, mapped to the pair of indices',
      'Each value seen so far, mapped to how many times it appeared',
    ),
    correct: 'B',
    explanation:
      'At `nums[i]` you ask "have I already seen `target - nums[i]`, and where?": that needs value → index. Counts lose the index, and storing all pair sums is quadratic.',
    concepts: ['HASHING'],
    discrimination: 1.2,
    difficulty: -1.5,
  },
  {
    key: 'hashing-003',
    stem: md(
      'What does this print?',
      '',
      js('const seen = new Set();', 'for (const x of [3, 1, 3, 2, 1]) seen.add(x);', 'console.log(seen.size);'),
    ),
    options: choices('3', '2', '5', '4'),
    correct: 'A',
    explanation: 'A set keeps one copy of each value: `{3, 1, 2}`, so its size is 3.',
    concepts: ['HASHING'],
    discrimination: 0.8,
    difficulty: -2.0,
    guessing: 0.2,
  },
  {
    key: 'hashing-004',
    stem: 'A sign-up form must check, for millions of existing usernames, whether a new name is taken, and answer fast. Which structure fits best?',
    options: choices(
      'An unsorted array, scanned on each check',
      'A linked list of names',
      'A stack of names',
      'A hash set of names',
    ),
    correct: 'D',
    explanation:
      'Membership is the one question asked, and a hash set answers it in `O(1)` on average. The array and the list need `O(n)` per check, and a stack only gives access to its top.',
    concepts: ['HASHING'],
    discrimination: 0.7,
    difficulty: -1.8,
    guessing: 0.2,
  },
  {
    key: 'hashing-005',
    stem: md(
      'This groups words that are anagrams of each other. Which expression should compute `key`?',
      '',
      py('groups = {}', 'for w in words:', '    key = ...', '    groups.setdefault(key, []).append(w)'),
    ),
    options: choices('`len(w)`', "`''.join(sorted(w))`", '`w[0]`', '`sum(ord(c) for c in w)`'),
    correct: 'B',
    explanation:
      'Anagrams have the same letters, so sorting them gives the same string, and different letter multisets give different strings. A sum of character codes collides (`"ad"` and `"bc"` both sum to 197); length and first letter group far too much.',
    concepts: ['HASHING'],
    discrimination: 1.3,
    difficulty: -1.1,
  },
  {
    key: 'hashing-006',
    stem: md(
      'What does this print?',
      '',
      py(
        'counts = {}',
        'for ch in "banana":',
        '    counts[ch] = counts.get(ch, 0) + 1',
        'print(counts["a"], counts["n"])',
      ),
    ),
    options: choices('`3 2`', '`2 3`', '`3 3`', '`KeyError`'),
    correct: 'A',
    explanation:
      '"banana" has three `a` and two `n`. `get(ch, 0)` supplies 0 for a character seen for the first time, so no `KeyError` is raised.',
    concepts: ['HASHING'],
    discrimination: 1.0,
    difficulty: -0.4,
    guessing: 0.2,
  },
  {
    key: 'hashing-007',
    stem: md(
      'What does this log?',
      '',
      js('const m = {};', "m[1] = 'one';", "m['1'] = 'uno';", 'console.log(Object.keys(m).length);'),
    ),
    options: choices('1', '2', '0', 'It throws a `TypeError`'),
    correct: 'A',
    explanation:
      'Plain-object property keys are strings: `m[1]` is converted to `m["1"]`, so the second assignment overwrites the first and there is one key. A `Map` would keep `1` and `"1"` apart.',
    concepts: ['HASHING'],
    discrimination: 1.5,
    difficulty: 0.1,
  },
  {
    key: 'hashing-008',
    stem: md(
      'What does this log?',
      '',
      js('const m = new Map();', "m.set(1, 'one');", "m.set('1', 'uno');", 'console.log(m.size);'),
    ),
    options: choices('1', '0', '2', 'It throws a `TypeError`'),
    correct: 'C',
    explanation:
      'A `Map` compares keys with SameValueZero and does not convert them: the number `1` and the string `"1"` are different keys, so the size is 2.',
    concepts: ['HASHING'],
    discrimination: 1.2,
    difficulty: 0.3,
  },
  {
    key: 'hashing-009',
    stem: md(
      'To count the subarrays whose sum is `k`, you scan `nums` keeping a running prefix sum and a map from each prefix sum seen so far to how many times it occurred; at each step you add `seen[prefix - k]` to the answer.',
      '',
      'What must the map contain **before** the loop starts?',
    ),
    options: choices('Nothing: `{}`', '`{k: 1}`', '`{0: 0}`', '`{0: 1}`'),
    correct: 'D',
    explanation:
      'A subarray that starts at index 0 has sum `prefix - 0`, so the empty prefix (sum 0) must count once. Without `{0: 1}` every subarray starting at the beginning is missed.',
    concepts: ['HASHING'],
    discrimination: 1.6,
    difficulty: 0.5,
  },
  {
    key: 'hashing-010',
    stem: 'Longest consecutive sequence in `O(n)`: put every value in a set, then for each value `x` count upward `x, x + 1, x + 2, ...` while the values are in the set. When should you start counting from `x`?',
    options: choices(
      'Only when `x - 1` is not in the set',
      'Only when `x + 1` is not in the set',
      'Only when `x` is the smallest value of the array',
      'Only when `x` appears exactly once in the array',
    ),
    correct: 'A',
    explanation:
      'Starting only at the first value of a run means each run is walked once, so the total work is `O(n)`. Starting everywhere walks the same run again and again (`O(n²)` on `1..n`).',
    concepts: ['HASHING'],
    discrimination: 1.4,
    difficulty: -0.2,
  },
  {
    key: 'hashing-011',
    stem: 'A hash table resolves collisions by chaining (a list per bucket). What is the **worst-case** time of one lookup among `n` keys?',
    options: choices('`O(1)`', '`O(log n)`', '`O(n)`', '`O(n²)`'),
    correct: 'C',
    explanation:
      'If every key hashes to the same bucket, the chain holds all `n` keys and a lookup scans it. The `O(1)` figure is the average with a good hash.',
    concepts: ['HASHING'],
    discrimination: 1.1,
    difficulty: -0.1,
    guessing: 0.2,
  },
  {
    key: 'hashing-012',
    stem: 'Why can a Python `list` not be used as a `dict` key, while a `tuple` of numbers can?',
    options: choices(
      'A list is mutable: its hash would change after insertion and the entry could no longer be found',
      'A list is too large to hash quickly',
      'Dictionary keys must be strings or numbers',
      'Lists do not support `==`',
    ),
    correct: 'A',
    explanation:
      'A dict finds an entry by the hash of its key. If the key could change after insertion, its hash would change too and the entry would sit in the wrong bucket, so mutable built-ins are unhashable by design.',
    concepts: ['HASHING'],
    discrimination: 1.0,
    difficulty: 0.4,
  },
  {
    key: 'hashing-013',
    stem: md(
      "What does `firstUnique('loveleetcode')` return?",
      '',
      js(
        'function firstUnique(s) {',
        '  const count = new Map();',
        '  for (const c of s) count.set(c, (count.get(c) ?? 0) + 1);',
        '  for (let i = 0; i < s.length; i++) if (count.get(s[i]) === 1) return i;',
        '  return -1;',
        '}',
      ),
    ),
    options: choices('0', '7', '2', '-1'),
    correct: 'C',
    explanation:
      'The first pass counts: `l` 2, `o` 2, `v` 1, `e` 4, ... The second pass returns the first index whose character occurs once: `v` at index 2.',
    concepts: ['HASHING'],
    discrimination: 0.9,
    difficulty: -0.5,
    guessing: 0.2,
  },
  {
    key: 'hashing-014',
    stem: 'A hash table doubles its capacity and rehashes every key whenever its load factor passes 0.75. What is the **total** time to insert `n` keys into it, starting empty?',
    options: choices(
      '`O(n log n)`, because each of the `log n` doublings rehashes everything',
      '`O(n²)`',
      '`O(log n)`',
      '`O(n)`, so `O(1)` amortized per insert',
    ),
    correct: 'D',
    explanation:
      'The rehashes copy about `1 + 2 + 4 + ... + n < 2n` keys in total, a geometric series, so `n` inserts cost `O(n)`. The `log n` doublings do not each copy `n` keys: only the last one does.',
    concepts: ['HASHING', 'COMPLEXITY'],
    discrimination: 1.7,
    difficulty: 1.3,
  },
  {
    key: 'hashing-015',
    stem: md(
      'What does this log?',
      '',
      js('const seen = new Set();', 'seen.add([1, 2]);', 'console.log(seen.has([1, 2]));'),
    ),
    options: choices('`true`', '`undefined`', '`false`', 'It throws a `TypeError`'),
    correct: 'C',
    explanation:
      'Sets compare objects by identity, and each `[1, 2]` literal is a new array. To use a pair as a key, encode it (`"1,2"`) or keep the same array reference.',
    concepts: ['HASHING'],
    discrimination: 1.8,
    difficulty: 1.0,
  },
  {
    key: 'hashing-016',
    stem: 'Rabin–Karp searches a text of length `n` for a pattern of length `m` with a rolling hash, and checks every hash match character by character. What is its **worst-case** time?',
    options: choices('`O(n · m)`', '`O(n + m)`, even in the worst case', '`O(n log m)`', '`O(m² + n)`'),
    correct: 'A',
    explanation:
      'The rolling hash makes each window `O(1)`, so the expected time is `O(n + m)`; but when many windows match the hash (spurious hits, or a text like `aaaa…` with pattern `aa…a`), each verification costs `O(m)`, giving `O(n · m)`.',
    concepts: ['HASHING', 'COMPLEXITY'],
    discrimination: 1.3,
    difficulty: 2.0,
  },
  {
    key: 'hashing-017',
    stem: 'Top `k` frequent elements: after counting with a hash map, which next step keeps the whole algorithm `O(n)`?',
    options: choices(
      'Sort the (value, count) pairs by count and take the first `k`',
      'Push every pair into a max-heap and pop `k` times',
      'Binary search over the counts',
      'Put each value in a bucket indexed by its count (0 to `n`), then read the buckets from the highest',
    ),
    correct: 'D',
    explanation:
      'Counts lie between 1 and `n`, so bucketing by count is a counting sort: `O(n)`. Sorting is `O(n log n)`; heapifying is `O(n)` but popping `k` times adds `O(k log n)`.',
    concepts: ['HASHING'],
    discrimination: 1.5,
    difficulty: 1.6,
  },
  {
    key: 'hashing-018',
    stem: 'Why do Python (for `str`) and many web runtimes randomize their string hash function per process?',
    options: choices(
      'To make dictionary iteration order random',
      'To save memory in hash tables',
      'So an attacker cannot craft many keys that collide and turn `O(1)` lookups into `O(n)` ones',
      'To make hashing faster on long strings',
    ),
    correct: 'C',
    explanation:
      'With a fixed, known hash, an attacker can send thousands of colliding keys (say, form fields) and make every insert scan one long chain, a denial of service. A per-process secret seed makes collisions unpredictable.',
    concepts: ['HASHING'],
    discrimination: 1.1,
    difficulty: 1.4,
  },
  {
    key: 'hashing-019',
    stem: 'Given four arrays `A`, `B`, `C`, `D` of length `n`, count the tuples `(i, j, k, l)` with `A[i] + B[j] + C[k] + D[l] = 0`. Storing the counts of all sums `A[i] + B[j]` in a hash map, what is the best time?',
    options: choices('`O(n⁴)`', '`O(n²)`', '`O(n³)`', '`O(n log n)`'),
    correct: 'B',
    explanation:
      'Count the `n²` sums of `A` and `B`, then for each of the `n²` sums of `C` and `D` add `count[-(c + d)]`: `O(n²)` time and space instead of trying all `n⁴` tuples.',
    concepts: ['HASHING'],
    discrimination: 1.2,
    difficulty: 1.1,
  },
];
