/**
 * The demo data: Demo University (one class, an instructor, three students), the global
 * content catalog, the global question pool of the adaptive tests and the badge definitions. Idempotent: a second run changes nothing;
 * a seed item whose body changed gets a new published version.
 */
import { isDeepStrictEqual } from 'node:util';
import { hashPassword } from '../../api/auth/passwords.js';
import type { SeedItem } from '../../api/content/body.js';
import type { PrismaClient } from '../../api/db.js';
import type { Prisma } from '../../api/generated/prisma/client.js';
import type { Role } from '../../api/generated/prisma/enums.js';
import { badgeDefinitions } from './badges.js';
import { seedItems } from './content/index.js';
import { questionPoolProblems } from './questions/check.js';
import { QUESTION_POOLS, type SeedQuestion, type SeedQuestionPool } from './questions/index.js';

export const DEMO_PASSWORD = 'practice';
export const DEMO_ORGANIZATION = { slug: 'demo-university', name: 'Demo University', openEnrollment: true } as const;
export const DEMO_CLASS_NAME = 'Algorithms 101';
export const DEMO_USERS: readonly { email: string; name: string; role: Role }[] = [
  { email: 'instructor@demo.test', name: 'Ada Instructor', role: 'INSTRUCTOR' },
  { email: 'student1@demo.test', name: 'Sam Student', role: 'STUDENT' },
  { email: 'student2@demo.test', name: 'Riley Student', role: 'STUDENT' },
  { email: 'student3@demo.test', name: 'Jordan Student', role: 'STUDENT' },
];

/** What a seed run did, for the progress log and tests. */
export interface SeedReport {
  created: number;
  updated: number;
  unchanged: number;
}

const itemFields = (item: SeedItem) => ({
  track: item.track,
  title: item.title,
  summary: item.summary,
  difficulty: item.difficulty,
  pattern: item.pattern,
  rung: item.rung,
  tags: item.tags,
  estimatedMinutes: item.estimatedMinutes,
  basePoints: item.basePoints,
  timeBonusPoints: item.timeBonusPoints,
});

async function seedItem(prisma: PrismaClient, item: SeedItem, report: SeedReport): Promise<void> {
  const fields = itemFields(item);
  const existing = await prisma.contentItem.findUnique({
    where: { scope_slug: { scope: 'global', slug: item.slug } },
    include: { currentVersion: true, versions: { select: { version: true }, orderBy: { version: 'desc' }, take: 1 } },
  });
  if (!existing) {
    await prisma.$transaction(async (tx) => {
      const created = await tx.contentItem.create({ data: { ...fields, scope: 'global', slug: item.slug } });
      const version = await tx.contentVersion.create({
        data: {
          contentItemId: created.id,
          version: 1,
          status: 'PUBLISHED',
          body: item.body as Prisma.InputJsonObject,
          publishedAt: new Date(),
        },
      });
      await tx.contentItem.update({ where: { id: created.id }, data: { currentVersionId: version.id } });
    });
    report.created += 1;
    return;
  }
  const current = Object.fromEntries(Object.keys(fields).map((key) => [key, existing[key as keyof typeof fields]]));
  const metadataChanged = !isDeepStrictEqual(current, fields);
  const bodyChanged = !isDeepStrictEqual(existing.currentVersion?.body, item.body);
  if (!metadataChanged && !bodyChanged) {
    report.unchanged += 1;
    return;
  }
  await prisma.$transaction(async (tx) => {
    let currentVersionId = existing.currentVersionId;
    if (bodyChanged) {
      if (existing.currentVersionId) {
        await tx.contentVersion.update({ where: { id: existing.currentVersionId }, data: { status: 'ARCHIVED' } });
      }
      const version = await tx.contentVersion.create({
        data: {
          contentItemId: existing.id,
          version: (existing.versions[0]?.version ?? 0) + 1,
          status: 'PUBLISHED',
          body: item.body as Prisma.InputJsonObject,
          publishedAt: new Date(),
        },
      });
      currentVersionId = version.id;
    }
    await tx.contentItem.update({ where: { id: existing.id }, data: { ...fields, currentVersionId } });
  });
  report.updated += 1;
}

const questionFields = (question: SeedQuestion) => ({
  stem: question.stem,
  options: question.options.map((option) => ({ key: option.key, text: option.text })),
  correctOption: question.correct,
  explanation: question.explanation,
  concepts: question.concepts,
  discrimination: question.discrimination,
  difficulty: question.difficulty,
  guessing: question.guessing ?? 0,
});

/**
 * A global question pool and its questions: new ones are created, changed ones updated (a
 * question's key is its identity), none deleted (responses may point at them).
 */
async function seedQuestionPool(prisma: PrismaClient, pool: SeedQuestionPool, report: SeedReport): Promise<void> {
  const fields = { name: pool.name, description: pool.description, concepts: pool.concepts };
  await prisma.$transaction(async (tx) => {
    const existing = await tx.questionPool.findUnique({ where: { scope_slug: { scope: 'global', slug: pool.slug } } });
    const stored =
      existing ?? (await tx.questionPool.create({ data: { ...fields, scope: 'global', slug: pool.slug } }));
    if (
      existing &&
      !isDeepStrictEqual(
        { name: existing.name, description: existing.description, concepts: existing.concepts },
        fields,
      )
    ) {
      await tx.questionPool.update({ where: { id: existing.id }, data: fields });
    }
    const known = new Map(
      (await tx.question.findMany({ where: { poolId: stored.id } })).map((question) => [question.key, question]),
    );
    const fresh = pool.questions.filter((question) => !known.has(question.key));
    await tx.question.createMany({
      data: fresh.map((question) => ({ poolId: stored.id, key: question.key, ...questionFields(question) })),
    });
    report.created += fresh.length;
    let changed = fresh.length;
    for (const question of pool.questions) {
      const before = known.get(question.key);
      if (!before) continue;
      const data = questionFields(question);
      const current = Object.fromEntries(Object.keys(data).map((key) => [key, before[key as keyof typeof data]]));
      if (isDeepStrictEqual(current, data)) {
        report.unchanged += 1;
      } else {
        await tx.question.update({ where: { id: before.id }, data });
        report.updated += 1;
        changed += 1;
      }
    }
    // Copies of the pool held by running processes are read again (api/adaptive/pools.ts).
    if (existing && changed > 0) {
      await tx.questionPool.update({ where: { id: existing.id }, data: { revision: { increment: 1 } } });
    }
  });
}

/** Seeds the database; `log` receives progress lines. */
export async function seedDatabase(prisma: PrismaClient, log: (line: string) => void = () => {}): Promise<SeedReport> {
  const report: SeedReport = { created: 0, updated: 0, unchanged: 0 };

  const organization = await prisma.organization.upsert({
    where: { slug: DEMO_ORGANIZATION.slug },
    create: DEMO_ORGANIZATION,
    update: {},
  });
  const demoClass = await prisma.class.upsert({
    where: { organizationId_name: { organizationId: organization.id, name: DEMO_CLASS_NAME } },
    create: { organizationId: organization.id, name: DEMO_CLASS_NAME },
    update: {},
  });
  log(`organization ${organization.name}, class ${demoClass.name}`);

  for (const demoUser of DEMO_USERS) {
    let user = await prisma.user.findUnique({ where: { email: demoUser.email } });
    if (!user) {
      user = await prisma.user.create({
        data: {
          email: demoUser.email,
          name: demoUser.name,
          passwordHash: await hashPassword(DEMO_PASSWORD),
          isDemo: true,
        },
      });
      report.created += 1;
    } else if (!user.isDemo) {
      user = await prisma.user.update({ where: { id: user.id }, data: { isDemo: true } });
      report.updated += 1;
    } else {
      report.unchanged += 1;
    }
    await prisma.membership.upsert({
      where: { userId_organizationId: { userId: user.id, organizationId: organization.id } },
      create: { userId: user.id, organizationId: organization.id, role: demoUser.role },
      update: {},
    });
    await prisma.enrollment.upsert({
      where: { classId_userId: { classId: demoClass.id, userId: user.id } },
      create: { classId: demoClass.id, userId: user.id, role: demoUser.role === 'STUDENT' ? 'STUDENT' : 'INSTRUCTOR' },
      update: {},
    });
  }
  log(`users: ${DEMO_USERS.map((u) => u.email).join(', ')} (password "${DEMO_PASSWORD}")`);

  for (const badge of badgeDefinitions) {
    const data = {
      name: badge.name,
      description: badge.description,
      criterion: badge.criterion.kind,
      threshold: badge.criterion.threshold,
    };
    const existing = await prisma.badge.findUnique({ where: { key: badge.key } });
    if (!existing) {
      await prisma.badge.create({ data: { key: badge.key, ...data } });
      report.created += 1;
    } else if (
      !isDeepStrictEqual(
        {
          name: existing.name,
          description: existing.description,
          criterion: existing.criterion,
          threshold: existing.threshold,
        },
        data,
      )
    ) {
      await prisma.badge.update({ where: { key: badge.key }, data });
      report.updated += 1;
    } else {
      report.unchanged += 1;
    }
  }
  log(`badges: ${badgeDefinitions.length}`);

  let done = 0;
  for (const item of seedItems) {
    await seedItem(prisma, item, report);
    done += 1;
    if (done % 5 === 0 || done === seedItems.length) log(`content: ${done}/${seedItems.length}`);
  }

  const problems = questionPoolProblems(QUESTION_POOLS);
  if (problems.length > 0) throw new Error(`The seed question pools are invalid:\n${problems.join('\n')}`);
  for (const pool of QUESTION_POOLS) {
    await seedQuestionPool(prisma, pool, report);
    log(`question pool ${pool.slug}: ${pool.questions.length} questions`);
  }
  return report;
}
