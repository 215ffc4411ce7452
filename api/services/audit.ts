/**
 * Logs every read of another person's learning history, wherever it happens (a timeline,
 * `node(id)`, a nested field): one AccessLog row per subject and resource per request,
 * written in one batch by a per-request DataLoader.
 */
import DataLoader from 'dataloader';
import type { Viewer } from '../auth/viewer.js';
import type { PrismaClient } from '../db.js';
import { ACCESS_RESOURCES, type AccessResource, accessOrganizations, recordAccess } from './history.js';

/** Records reads of other people's history for one request. */
export interface AccessRecorder {
  /** The viewer read `resource` of `subjectId` (ignored for their own). */
  read(subjectId: string, resource?: AccessResource): Promise<void>;
  /** The viewer read something of the attempt's owner. */
  readAttempt(attemptId: string): Promise<void>;
  /** Tells the recorder who owns an attempt (saves a lookup). */
  attemptOwner(attemptId: string, ownerId: string): void;
  /** Marks a read as already logged (by a service that logs before returning data). */
  logged(subjectId: string, resource: AccessResource): void;
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
    attemptOwner(attemptId, ownerId) {
      attemptOwners.prime(attemptId, ownerId);
    },
    logged(subjectId, resource) {
      reads.prime(key(subjectId, resource), undefined);
    },
  };
  return recorder;
}
