/** System-design prompts: requirements with concrete numbers, and the rubric a written design is scored against. */
import type { SeedItem } from '../../../api/content/body.js';

export const systemDesignPrompts: SeedItem[] = [
  {
    slug: 'design-a-url-shortener',
    title: 'Design a URL Shortener',
    summary: 'Turn long URLs into short codes and redirect billions of clicks quickly and reliably.',
    track: 'SYSTEM_DESIGN',
    difficulty: 'MEDIUM',
    pattern: 'SYSTEM_DESIGN_STORAGE',
    rung: 1,
    tags: ['storage', 'caching', 'key-generation', 'read-heavy'],
    estimatedMinutes: 45,
    basePoints: 200,
    timeBonusPoints: 0,
    body: {
      kind: 'SYSTEM_DESIGN',
      statement: [
        'Design a public URL-shortening service (like bit.ly).',
        '',
        '**Functional requirements**',
        '- A signed-in user submits a long URL and gets back a short link such as `https://sho.rt/aZ3k9Qx`. Optionally they choose a custom alias and an expiry date.',
        '- Anyone opening a short link is redirected to the original URL; expired or unknown links return 404.',
        '- The owner can see an approximate click count per link (a few minutes of delay is fine).',
        '',
        '**Non-functional requirements**',
        '- 100 million new links per month; links are kept for 5 years.',
        '- Reads dominate: about 100 redirects per link created, with peaks 10× the average.',
        '- Redirects: p99 latency under 50 ms (server side) and 99.99% availability. Creating links may be slower and slightly less available.',
        '- A short code must never point at the wrong URL, and codes should not be trivially enumerable.',
        '',
        '**Your answer should contain:** back-of-the-envelope estimates (write and read QPS, storage), the API, the data model and choice of store, how short codes are generated, the read path with caching, how the data is partitioned and replicated, and the main trade-offs you made.',
      ].join('\n'),
      rubric: [
        {
          key: 'estimates',
          title: 'Requirements and estimates',
          description:
            'Turns the numbers in the prompt into write QPS, read QPS (average and peak) and total storage, and uses them to drive decisions.',
          maxScore: 5,
          guidance:
            'About 40 writes/s on average (100M / 2.6M s), ~4,000 redirects/s average and ~40,000/s at peak; 6 billion links over 5 years at a few hundred bytes each is roughly 1-3 TB. Full score when the numbers are about right AND are used later (e.g. "fits in a sharded KV store", "hot set fits in cache"). Orders of magnitude matter, not exact arithmetic.',
        },
        {
          key: 'api_and_data_model',
          title: 'API and data model',
          description:
            'Defines the create and redirect endpoints and the stored record, and justifies the choice of database.',
          maxScore: 5,
          guidance:
            'POST /links {url, alias?, expiresAt?} -> {code, shortUrl}; GET /{code} -> 301/302 with Location. Record: code (primary key), long URL, owner, created/expires timestamps. Justifies a key-value or wide-column store (or sharded SQL) given point lookups by code and no joins. Bonus awareness: 301 is cached by browsers (fewer hits, but lost click counts), 302 keeps analytics accurate.',
        },
        {
          key: 'key_generation',
          title: 'Short-code generation',
          description:
            'Explains how unique short codes are produced, how long they are, and how collisions and custom aliases are handled.',
          maxScore: 10,
          guidance:
            'Computes code space: base62 with 7 characters is ~3.5 trillion, ample for 6 billion. Chooses a scheme and handles its failure mode: (a) random codes with a conditional insert / retry on collision; (b) a counter or pre-allocated ID ranges per server (e.g. ZooKeeper/DB ticket ranges) encoded in base62, scrambled or permuted so codes are not sequential; (c) hash of the URL truncated, with collision handling. Custom aliases use the same uniqueness check (insert-if-absent). Deducts for a single global counter with no discussion of it as a bottleneck/SPOF, or for hashing without collision handling.',
        },
        {
          key: 'read_path',
          title: 'Read path and caching',
          description: 'Shows how a redirect meets the latency and availability targets at peak load.',
          maxScore: 10,
          guidance:
            'Stateless redirect servers behind a load balancer; a cache (Redis/Memcached, LRU) in front of the store exploiting the skewed popularity of links, with an estimate of hit rate or hot-set size; read replicas; optionally CDN/edge caching. Handles cache misses for unknown codes (negative caching or a Bloom filter) and expiry (TTL in cache aligned with link expiry). Click counting is taken off the critical path (async event log / queue, aggregated in batches).',
        },
        {
          key: 'partitioning_and_replication',
          title: 'Partitioning and replication',
          description: 'Explains how data is split across machines and kept durable and available.',
          maxScore: 5,
          guidance:
            'Partitions by short code (hash or consistent hashing) so lookups touch one shard; replicates each shard (e.g. 3 replicas, possibly across zones) and states the consistency needed: a newly created link must be readable right after creation (read-your-writes, or write then redirect via the primary), otherwise eventual consistency is fine. Mentions how expired links are cleaned up (TTL or background job).',
        },
        {
          key: 'trade_offs',
          title: 'Trade-offs and failure modes',
          description: 'Names the important trade-offs and what happens when components fail, including abuse.',
          maxScore: 5,
          guidance:
            'Discusses at least three of: 301 vs 302, cache consistency on delete/expiry, what happens if the ID allocator or a shard is down, abuse (spam/phishing links, rate limiting link creation, URL validation), multi-region reads. Full score needs concrete mitigations, not just naming risks.',
        },
      ],
      hints: [
        'If a redirect must take under 50 ms and most clicks go to a small fraction of links, where should the answer to "what URL is behind this code?" usually come from?',
        'How many distinct codes do 7 characters from [a-zA-Z0-9] give you, and what do two servers do if they pick the same one at the same moment?',
        'Does the click counter need to be updated before the user is redirected?',
      ],
    },
  },
  {
    slug: 'design-a-contest-leaderboard',
    title: 'Design a Real-Time Contest Leaderboard',
    summary: 'Rank 50,000 contestants live during a two-hour coding contest and push updates to 100,000 viewers.',
    track: 'SYSTEM_DESIGN',
    difficulty: 'HARD',
    pattern: 'SYSTEM_DESIGN_REALTIME',
    rung: 2,
    tags: ['real-time', 'ranking', 'websockets', 'event-driven'],
    estimatedMinutes: 60,
    basePoints: 300,
    timeBonusPoints: 0,
    body: {
      kind: 'SYSTEM_DESIGN',
      statement: [
        'Design the live leaderboard for a two-hour online coding contest.',
        '',
        '**Functional requirements**',
        '- Contestants submit solutions to 8 problems; a separate judging system (already built) emits a verdict event per submission: `{submissionId, contestantId, problemId, verdict, submittedAt}`.',
        '- Ranking: more solved problems first; ties broken by lower penalty, where penalty = sum over solved problems of minutes from contest start to the accepted submission + 20 minutes per rejected attempt before it. Remaining ties: earlier last accepted submission.',
        '- Every viewer sees the top 100 and, if signed in as a contestant, their own rank and the 10 rows around it.',
        '- In the last 30 minutes the public board is frozen (shows results as of the freeze); organisers still see the live board. After the contest the board is unfrozen.',
        '',
        '**Non-functional requirements**',
        '- 50,000 contestants, 100,000 concurrent viewers (contestants plus spectators).',
        '- Submissions: about 100/s on average, up to 2,000/s in the final minutes.',
        '- A verdict must be reflected on the board within 2 seconds (p95).',
        '- No verdict may be lost or counted twice, even if the judging system redelivers events.',
        '',
        "**Your answer should contain:** how a contestant's standing is represented and ordered, the data structures and stores, the pipeline from verdict to board, how updates reach 100,000 viewers, how the freeze works, and how the system recovers from failures.",
      ].join('\n'),
      rubric: [
        {
          key: 'ranking_model',
          title: 'Ranking model',
          description:
            "Represents a contestant's standing so the full tie-breaking order can be computed and compared efficiently.",
          maxScore: 5,
          guidance:
            'Keeps per-contestant, per-problem state (attempts before accept, accepted time) and derives solved count, penalty and last-accept time. Encodes the ordering as a single sortable key (e.g. solved * 10^12 - penalty * 10^6 - lastAcceptMinute, or a composite key / tuple), noting that a rejection after an accept does not add penalty and that a rejected attempt on an unsolved problem changes nothing visible yet.',
        },
        {
          key: 'data_structures',
          title: 'Ranking data structures and storage',
          description:
            "Chooses structures that give the top 100 and any contestant's rank quickly, and a durable source of truth.",
          maxScore: 10,
          guidance:
            'A sorted set (e.g. Redis ZSET: ZADD, ZREVRANGE for top 100, ZREVRANK for own rank, both O(log n)) or an order-statistic tree / skip list in an in-memory ranking service; 50,000 entries fit easily in one node\'s memory, so sharding is unnecessary and the answer says why. A durable store (SQL or log) holds submissions and per-problem state as the source of truth; the ranking structure is a rebuildable view. Deducts for "SELECT ... ORDER BY" on every page view without caching, or for sharding the ranking without addressing global rank.',
        },
        {
          key: 'update_pipeline',
          title: 'Verdict-to-board pipeline',
          description:
            'Explains how verdict events become ranking updates within 2 seconds, without losing or double-counting any.',
          maxScore: 10,
          guidance:
            "Verdict events go to a durable queue/log (Kafka, SQS); a consumer updates per-problem state and the sorted set. Idempotency via submissionId (dedupe table or conditional update) so redelivery is harmless; ordering per contestant handled (partition by contestantId, or recompute from stored state rather than applying deltas). Handles 2,000/s peaks (batched writes, consumer scaling within partition limits) and quantifies that it is well below one Redis node's capacity.",
        },
        {
          key: 'fan_out',
          title: 'Delivering updates to viewers',
          description: 'Gets fresh standings to 100,000 concurrent viewers without overloading the ranking store.',
          maxScore: 10,
          guidance:
            'Does not query the ranking store per viewer per change. Builds a snapshot of the top 100 every ~1 s and fans it out: WebSocket/SSE gateways subscribed to a pub/sub channel, or short polling against a CDN/edge-cached JSON with a 1 s TTL. Own-rank/nearby rows fetched per contestant at a throttled rate or pushed as diffs. Estimates connections per gateway node (e.g. 10-20k each -> 5-10 nodes) and discusses reconnect storms and sending diffs vs full snapshots.',
        },
        {
          key: 'freeze_and_recovery',
          title: 'Freeze and failure recovery',
          description:
            'Implements the scoreboard freeze and explains what happens when a component crashes mid-contest.',
          maxScore: 5,
          guidance:
            'Freeze: keep two views, a public sorted set that only counts submissions made before the freeze time (later attempts shown as pending) and the live organiser view; unfreeze by replaying. Recovery: the ranking view is rebuilt from the durable store or by replaying the log from an offset/snapshot; gateways are stateless and clients reconnect with backoff. Full score requires both parts.',
        },
      ],
      hints: [
        'Which two questions must the board answer for every viewer, and what structure answers both in logarithmic time?',
        'If the judging system sends the same verdict twice, what in your pipeline notices?',
        'Does each of 100,000 viewers need a personally computed top 100, or can they share one?',
      ],
    },
  },
  {
    slug: 'design-an-api-rate-limiter',
    title: 'Design a Rate Limiter for a Public API',
    summary: 'Enforce per-key request quotas across a fleet of API servers while adding almost no latency.',
    track: 'SYSTEM_DESIGN',
    difficulty: 'MEDIUM',
    pattern: 'SYSTEM_DESIGN_SCALING',
    rung: 1,
    tags: ['rate-limiting', 'distributed-systems', 'redis', 'api-gateway'],
    estimatedMinutes: 45,
    basePoints: 250,
    timeBonusPoints: 0,
    body: {
      kind: 'SYSTEM_DESIGN',
      statement: [
        'Design the rate limiter for a public REST API used by third-party developers.',
        '',
        '**Functional requirements**',
        '- Every request carries an API key. Each key belongs to a plan: Free allows 10 requests/second and 10,000 requests/day; Pro allows 200 requests/second and 1,000,000 requests/day. Short bursts up to twice the per-second limit are acceptable.',
        '- A request over the limit is rejected with HTTP 429; every response tells the client how much quota is left and when to retry.',
        "- Operators can change a plan's limits or give one key a custom limit without redeploying.",
        '',
        '**Non-functional requirements**',
        '- 40 stateless API servers in 2 regions handle 60,000 requests/second at peak; 50,000 active API keys.',
        '- The limiter may add at most 5 ms at p99 to a request.',
        '- Limits must be accurate to within about 10% across the whole fleet (a key must not get 40× its quota by spreading requests over servers).',
        "- If the limiter's own storage is unavailable, the API must keep serving.",
        '',
        '**Your answer should contain:** the limiting algorithm and why, where the counters live and how they are updated atomically, the request flow and the response headers, how it meets the latency and availability targets, how the two regions are handled, and how limits are configured.',
      ].join('\n'),
      rubric: [
        {
          key: 'algorithm',
          title: 'Limiting algorithm',
          description:
            'Chooses and explains an algorithm that supports both a per-second limit with bursts and a daily quota.',
          maxScore: 10,
          guidance:
            'Compares at least two of fixed window (boundary burst of 2x), sliding log (exact but memory-heavy), sliding window counter (weighted approximation, cheap), token bucket (natural burst allowance: capacity 2x rate, refill at rate). Picks e.g. token bucket for req/s and a fixed daily counter (or sliding window) for the day quota, and shows the per-key state is a few numbers (tokens, last refill time, day count).',
        },
        {
          key: 'distributed_state',
          title: 'Shared counters and atomicity',
          description: 'Explains where counters live and how concurrent servers update them without races.',
          maxScore: 10,
          guidance:
            'Central in-memory store (Redis cluster) keyed by API key, sharded by key hash; updates are atomic check-and-decrement (Lua script or INCR + EXPIRE, not read-then-write from the app). Estimates load: 60k ops/s is within a few Redis shards; state of 50k keys is a few MB. Alternatively local buckets per server with periodic sync / lease of token batches, with the accuracy cost quantified. Deducts for per-server local counters only (a key gets up to 40x) without addressing accuracy.',
        },
        {
          key: 'latency_and_availability',
          title: 'Latency and failure behaviour',
          description: 'Shows how the limiter stays within 5 ms and what happens when its store is slow or down.',
          maxScore: 5,
          guidance:
            'Same-region store with pooled connections and a tight timeout (1-2 ms); pipelining or local token leasing to avoid a round trip per request for hot keys. Explicit fail-open on store errors/timeouts (required by the prompt), ideally with a conservative local fallback limiter so abuse is still bounded, plus alerting. Mentions replicas/failover of the store.',
        },
        {
          key: 'client_contract',
          title: 'Client-facing contract',
          description: 'Specifies the responses and headers that let well-behaved clients back off.',
          maxScore: 5,
          guidance:
            '429 Too Many Requests with Retry-After; X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset (or the IETF RateLimit headers) on every response. Rejected requests are cheap (rejected before expensive work) and possibly not counted against the daily quota; documents whether the daily reset is a rolling or calendar window.',
        },
        {
          key: 'multi_region_and_config',
          title: 'Multiple regions and configuration',
          description:
            'Handles the two regions within the accuracy target and explains how limits are configured and rolled out.',
          maxScore: 5,
          guidance:
            "Region options with trade-offs: split each key's quota between regions (static or adaptive), or per-region counters with asynchronous cross-region sync accepting small over-admission; rejects a synchronous cross-region round trip per request (breaks 5 ms). Limits stored in a config service/DB, cached on API servers with short TTL or pushed on change, per-key overrides taking precedence over plan defaults.",
        },
      ],
      hints: [
        'A client sends 10 requests at 12:00:00.999 and 10 more at 12:00:01.001. What does a fixed one-second window allow, and is that acceptable here?',
        'Two servers read the counter for the same key at the same moment, both see one request left, and both allow the request. How do you prevent that?',
        "Your limiter's store has just gone down. Which is worse for this business: rejecting every request, or briefly allowing too many?",
      ],
    },
  },
];
