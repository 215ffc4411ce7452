/**
 * A live leaderboard top: the rows now, then again whenever points are awarded and the top
 * changed, at most once per interval (changes in between are coalesced into one push).
 * Subscribers of the same board share its reads: the top is read once per change for all of
 * them (the rows are the same for everyone; each viewer then sees them as `toRow` shows them).
 */
import { Repeater } from 'graphql-yoga';
import type { Viewer } from '../auth/viewer.js';
import type { PrismaClient } from '../db.js';
import type { PubSub } from '../pubsub.js';
import { type Board, type BoardEntry, boardEntries, type LeaderboardRow, toRow } from './board.js';
import { periodStart } from './periods.js';

/** Live leaderboard tops; one per process (the runtime's), so its subscribers share reads. */
export interface LiveBoards {
  /** Follows the top `first` rows of a board, as `viewer` sees them; ends when the consumer returns. */
  follow(
    viewer: Viewer,
    board: Board,
    options: { first: number; intervalMs?: number },
  ): AsyncIterable<LeaderboardRow[]>;
}

/** The live boards of one process, reading through `prisma` and woken by `pubsub`. */
export function createLiveBoards(deps: { prisma: PrismaClient; pubsub: PubSub }): LiveBoards {
  const { prisma, pubsub } = deps;
  /** The last read of each board top, by board and size. */
  const reads = new Map<string, { startedAt: number; entries: Promise<BoardEntry[]> }>();
  /** When (performance.now()) this process last heard that points were awarded. */
  let changedAt = 0;

  /** The top `first` entries of `board`, read after the last change this process heard of. */
  function sharedTop(board: Board, first: number): Promise<BoardEntry[]> {
    const key = JSON.stringify([
      board.scope,
      board.period,
      board.periodStart,
      board.track,
      board.classId,
      board.organizationId,
      first,
    ]);
    const known = reads.get(key);
    // Strictly after the change: a read that started before it may have missed it.
    if (known && known.startedAt > changedAt) return known.entries;
    const now = performance.now();
    for (const [other, read] of reads) if (read.startedAt < now - 60_000) reads.delete(other);
    const entries = boardEntries(prisma, board, { offset: 0, limit: first });
    // A failed read is not kept: the next push reads again.
    entries.catch(() => reads.delete(key));
    // Taken as the read starts: a change announced while it runs makes the next push read again.
    reads.set(key, { startedAt: now, entries });
    return entries;
  }

  return {
    follow(viewer, board, options) {
      const interval = options.intervalMs ?? 1_000;
      return new Repeater<LeaderboardRow[]>(async (push, stop) => {
        const changes = pubsub.subscribe('leaderboard:changed')[Symbol.asyncIterator]();
        void stop.then(() => changes.return?.());
        let last: string | null = null;
        let lastPush = 0;
        let timer: NodeJS.Timeout | undefined;

        const publish = async () => {
          // The window moves with time: a new week starts a new board.
          const current = { ...board, periodStart: periodStart(board.period, new Date()) };
          const rows = (await sharedTop(current, options.first)).map((entry) => toRow(entry, viewer));
          const key = JSON.stringify(rows);
          if (key === last) return;
          last = key;
          lastPush = Date.now();
          await push(rows);
        };

        try {
          await publish();
          for (let change = await changes.next(); !change.done; change = await changes.next()) {
            changedAt = performance.now();
            if (timer) continue; // a push is already scheduled: it will include this change
            timer = setTimeout(
              () => {
                timer = undefined;
                publish().catch((error: unknown) => stop(error));
              },
              Math.max(0, lastPush + interval - Date.now()),
            );
          }
        } catch (error) {
          stop(error);
        } finally {
          clearTimeout(timer);
        }
        await stop;
      });
    },
  };
}
