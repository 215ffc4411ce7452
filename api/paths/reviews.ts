/**
 * Spaced review of completed topics, scheduled by FSRS (ts-fsrs): a topic's card is made when
 * it completes, and each later evaluation of its exercises is a review (Good when it passes,
 * Again when it fails). A review falls due when the scheduler's retrievability drops to the
 * requested retention (0.9): when the skill is likely to be forgotten.
 */
import { type Card, type CardInput, createEmptyCard, fsrs, Rating } from 'ts-fsrs';

/** Days-scale scheduling (no minute-long learning steps: a topic is reviewed days apart), without fuzz. */
const scheduler = fsrs({ enable_short_term: false, enable_fuzz: false });

/** A card as stored in `TopicProgress.reviewCard` (dates as ISO strings). */
export type StoredCard = Omit<CardInput, 'due' | 'last_review'> & { due: string; last_review?: string | null };

function stored(card: Card): StoredCard {
  return { ...card, due: card.due.toISOString(), last_review: card.last_review?.toISOString() ?? null };
}

/** The card after a review at `at` (`card` null: the topic has just completed, its first review). */
export function review(card: StoredCard | null, passed: boolean, at: Date): { card: StoredCard; due: Date } {
  const next = scheduler.next(card ?? createEmptyCard(at), at, passed ? Rating.Good : Rating.Again).card;
  return { card: stored(next), due: next.due };
}

/** The chance, by FSRS's forgetting curve, that the topic is still remembered at `at`. */
export function retrievability(card: StoredCard, at: Date): number {
  return scheduler.get_retrievability(card, at, false);
}
