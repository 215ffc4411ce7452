/** Which organization an attempt belongs to: a rule the coach, the rubric scorer and the services share. */
import type { PrismaClient } from '../db.js';

/**
 * The organization an attempt's LLM calls are recorded under (whose instructors review them,
 * and whose coach policy applies): the item's owner; else the organization of a class the
 * student takes that was assigned the item (`assignmentOrganizationId` when already looked
 * up, null when there is none); else the student's first organization; else none.
 */
export async function attemptOrganizationId(
  prisma: Pick<PrismaClient, 'assignment' | 'membership'>,
  attempt: { userId: string; contentItemId: string; itemOrganizationId: string | null },
  assignmentOrganizationId?: string | null,
): Promise<string | null> {
  if (attempt.itemOrganizationId) return attempt.itemOrganizationId;
  const assigned =
    assignmentOrganizationId !== undefined
      ? assignmentOrganizationId
      : ((
          await prisma.assignment.findFirst({
            where: {
              contentItemId: attempt.contentItemId,
              class: { enrollments: { some: { userId: attempt.userId, role: 'STUDENT' } } },
            },
            orderBy: { createdAt: 'desc' },
            select: { class: { select: { organizationId: true } } },
          })
        )?.class.organizationId ?? null);
  if (assigned) return assigned;
  const membership = await prisma.membership.findFirst({
    where: { userId: attempt.userId },
    orderBy: { createdAt: 'asc' },
    select: { organizationId: true },
  });
  return membership?.organizationId ?? null;
}
