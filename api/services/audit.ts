/**
 * Logs every read of another person's learning records: one AccessLog row per subject and
 * resource per request, written in one batch by a per-request DataLoader.
 *
 * Nothing here decides who may read what (services/access.ts does, in the queries); the
 * resolvers that hand records out call the recorder explicitly: `node` / `nodes`
 * (api/builder.ts), `User.attempts`, the relations that cross from coach turns to LLM calls
 * and back (api/schema/coach.ts), `learningHistory`, `llmInteractions` and the
 * subscriptions. A field nested under a record already handed out is the same person's
 * record of the same kind, and needs no call of its own.
 */
import DataLoader from 'dataloader';
import type { Viewer } from '../auth/viewer.js';
import type { PrismaClient } from '../db.js';
import { ACCESS_RESOURCES, type AccessResource, accessOrganizations, recordAccess } from './history.js';

/** Records reads of other people's history for one request. */
export interface AccessRecorder {
  /** The viewer was handed `resource` of `subjectId` (ignored for their own). */
  read(subjectId: string, resource?: AccessResource): Promise<void>;
  /** The viewer was handed something of the attempt's owner. */
  readAttempt(attemptId: string): Promise<void>;
  /** The viewer was handed `node`, of the Node type `typename`, by its ID: logged when it is a learning record. */
  readNode(typename: string, node: unknown): Promise<void>;
  /**
   * The viewer read the timeline of `subjectId`, granted through `organizationId`: one row
   * for this read; the records it hands out (its LLM calls included) add none in this request.
   */
  readTimeline(subjectId: string, organizationId: string): Promise<void>;
}

/** A recorder for one request; nothing is written for anonymous viewers or own reads. */
export function createAccessRecorder(prisma: PrismaClient, viewer: Viewer | null): AccessRecorder {
  const reads = new DataLoader<string, void>(async (keys) => {
    if (viewer) {
      const byResource = new Map<AccessResource, string[]>();
      for (const key of keys) {
        const [resource, subjectId] = key.split('|') as [AccessResource, string];
        byResource.set(resource, [...(byResource.get(resource) ?? []), subjectId]);
      }
      for (const [resource, subjectIds] of byResource) {
        await recordAccess(prisma, viewer, resource, await accessOrganizations(prisma, viewer, subjectIds));
      }
    }
    return keys.map(() => undefined);
  });
  const attemptOwners = new DataLoader<string, string | null>(async (attemptIds) => {
    const rows = await prisma.attempt.findMany({
      where: { id: { in: [...attemptIds] } },
      select: { id: true, userId: true },
    });
    const owners = new Map(rows.map((row) => [row.id, row.userId]));
    return attemptIds.map((id) => owners.get(id) ?? null);
  });
  const key = (subjectId: string, resource: AccessResource) => `${resource}|${subjectId}`;
  const recorder: AccessRecorder = {
    async read(subjectId, resource = ACCESS_RESOURCES.LEARNING_HISTORY) {
      if (!viewer || subjectId === viewer.userId) return;
      await reads.load(key(subjectId, resource));
    },
    async readAttempt(attemptId) {
      if (!viewer) return;
      const owner = await attemptOwners.load(attemptId);
      if (owner) await recorder.read(owner);
    },
    async readNode(typename, node) {
      if (!node || typeof node !== 'object') return;
      const { userId, attemptId } = node as { userId?: unknown; attemptId?: unknown };
      switch (typename) {
        case 'Attempt':
        case 'SocraticTurn':
        case 'AdaptiveTestSession':
          if (typeof userId === 'string') await recorder.read(userId);
          return;
        case 'LlmInteraction':
          if (typeof userId === 'string') await recorder.read(userId, ACCESS_RESOURCES.LLM_INTERACTIONS);
          return;
        case 'CodeRun':
        case 'EvaluationRun':
        case 'SolutionSnapshot':
        case 'Submission':
          if (typeof attemptId === 'string') await recorder.readAttempt(attemptId);
          return;
        default:
        // Not a learning record (users, classes, content…): nothing to log.
      }
    },
    async readTimeline(subjectId, organizationId) {
      if (!viewer || subjectId === viewer.userId) return;
      // Through the organization the read was granted in (the class asked for), not the first one found.
      await recordAccess(prisma, viewer, ACCESS_RESOURCES.LEARNING_HISTORY, new Map([[subjectId, organizationId]]));
      reads.prime(key(subjectId, ACCESS_RESOURCES.LEARNING_HISTORY), undefined);
      reads.prime(key(subjectId, ACCESS_RESOURCES.LLM_INTERACTIONS), undefined);
    },
  };
  return recorder;
}
