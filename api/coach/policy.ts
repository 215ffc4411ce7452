/**
 * An organization's coach policy (`Organization.coachPolicy`): how strict the leak guard is,
 * how far hints may go, and words the coach must never use. Missing or malformed fields
 * fall back to the defaults, so a bad policy row never switches the guard off.
 */
import { z } from 'zod';

export const STRICTNESS = ['LOW', 'MEDIUM', 'HIGH'] as const;
export type Strictness = (typeof STRICTNESS)[number];

/** How far hints may go: 0 questions only, 1 concepts, 2 where to look, 3 which technique. */
export const HINT_DEPTHS = [0, 1, 2, 3] as const;

export interface CoachPolicy {
  strictness: Strictness;
  hintDepth: number;
  /** Phrases the coach must not use (matched case-insensitively); e.g. the name of the intended technique. */
  avoidList: string[];
}

export const DEFAULT_COACH_POLICY: CoachPolicy = { strictness: 'MEDIUM', hintDepth: 1, avoidList: [] };

const policySchema = z.object({
  strictness: z.enum(STRICTNESS).catch(DEFAULT_COACH_POLICY.strictness),
  hintDepth: z.number().int().min(0).max(3).catch(DEFAULT_COACH_POLICY.hintDepth),
  avoidList: z
    .array(z.string())
    .catch([])
    .transform((list) => [...new Set(list.map((entry) => entry.trim()).filter(Boolean))]),
});

/** The policy stored as JSON, with defaults for what is missing or malformed. */
export function parseCoachPolicy(value: unknown): CoachPolicy {
  const object = value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  return policySchema.parse({ ...DEFAULT_COACH_POLICY, ...object });
}

/** Limits of the solution-leak guard per strictness. */
export const LEAK_LIMITS: Record<Strictness, { codeBlockLines: number; sharedTokens: number }> = {
  // Most lines a fenced code block may have.
  // Shortest run of tokens shared with the reference solution (and not the student's own) that counts as a leak.
  LOW: { codeBlockLines: 5, sharedTokens: 14 },
  MEDIUM: { codeBlockLines: 3, sharedTokens: 10 },
  HIGH: { codeBlockLines: 1, sharedTokens: 7 },
};
