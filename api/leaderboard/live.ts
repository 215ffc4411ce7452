/**
 * A live leaderboard top: the rows now, then again whenever points are awarded and the top
 * changed, at most once per interval (changes in between are coalesced into one push).
 */
import { Repeater } from 'graphql-yoga';
import type { Viewer } from '../context.js';
import type { PrismaClient } from '../db.js';
import { pubsub } from '../pubsub.js';
import { type Board, boardPage, type LeaderboardRow } from './board.js';
import { periodStart } from './periods.js';

/** Follows the top `first` rows of a board; ends when the consumer returns. */
export function followBoard(
  prisma: PrismaClient,
  viewer: Viewer,
  board: Board,
  options: { first: number; intervalMs?: number },
): AsyncIterable<LeaderboardRow[]> {
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
      const rows = await boardPage(prisma, viewer, current, { offset: 0, limit: options.first });
      const key = JSON.stringify(rows);
      if (key === last) return;
      last = key;
      lastPush = Date.now();
      await push(rows);
    };

    try {
      await publish();
      for (let change = await changes.next(); !change.done; change = await changes.next()) {
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
}
