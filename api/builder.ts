/**
 * The one Pothos SchemaBuilder: plugins, context and scalars. Domain files under api/schema/
 * add types to it; api/schema/index.ts turns it into the schema.
 */
import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ValidationPlugin from '@pothos/plugin-validation';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { z } from 'zod';
import type { Context } from './context.js';
import { checkUnusedPrismaQueries } from './env.js';
import type PrismaTypes from './generated/pothos-types.js';
import { getDatamodel } from './generated/pothos-types.js';

/** Description of every connection's `totalCount`. */
export const TOTAL_COUNT_DESCRIPTION = 'Number of items in the whole list, across all pages.';

/** Largest page a connection serves; asking for more is an error, not a silent cut. */
export const MAX_PAGE_SIZE = 100;

const pageSize = z
  .number()
  .int()
  .min(0, 'must not be negative')
  .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`)
  .nullish();

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  Connection: { totalCount: number | (() => number | Promise<number>) };
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  defaultFieldNullability: false,
  // Who may read what is decided in the queries (services/access.ts) and the services (typed
  // errors), so there is no scope-auth plugin: one way to authorize.
  plugins: [PrismaPlugin, RelayPlugin, ErrorsPlugin, ValidationPlugin, ComplexityPlugin],
  prisma: {
    client: (ctx) => ctx.runtime.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    maxConnectionSize: MAX_PAGE_SIZE,
    onUnusedQuery: checkUnusedPrismaQueries() ? 'warn' : null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    idFieldOptions: { description: 'Globally unique, opaque identifier of this object.' },
    // Each node's findUnique only finds what the viewer may see; handing out someone else's
    // learning record by ID is logged here (services/audit.ts).
    nodeQueryOptions: {
      description: 'Fetches any object by its global ID; null when it does not exist or is not visible to you.',
      args: { id: { description: 'Global ID of the object.' } },
      resolve: async (_root, { id }, ctx, _info, resolveNode) => {
        const node = await resolveNode(id);
        await ctx.access.readNode(id.typename, node);
        return node;
      },
    },
    nodesQueryOptions: {
      description:
        'Fetches objects by their global IDs, in order; null for each one that does not exist or is not visible to you.',
      args: { ids: { description: 'Global IDs of the objects.' } },
      resolve: async (_root, { ids }, ctx, _info, resolveNodes) => {
        const nodes = await resolveNodes(ids);
        await Promise.all(nodes.map((node, index) => ctx.access.readNode(ids[index]?.typename ?? '', node)));
        return nodes;
      },
    },
    nodeTypeOptions: { description: 'An object with a globally unique ID.' },
    pageInfoTypeOptions: { description: 'Where a page of a connection sits in the whole list.' },
    firstArgOptions: { description: `Returns the first n items (at most ${MAX_PAGE_SIZE}).`, validate: pageSize },
    lastArgOptions: { description: `Returns the last n items (at most ${MAX_PAGE_SIZE}).`, validate: pageSize },
    afterArgOptions: { description: 'Returns the items after this cursor.' },
    beforeArgOptions: { description: 'Returns the items before this cursor.' },
    edgesFieldOptions: { description: 'The items of this page, each with its cursor.' },
    pageInfoFieldOptions: { description: 'Where this page sits in the whole list.' },
    cursorFieldOptions: { description: 'Opaque cursor of this item, for `after` / `before`.' },
    nodeFieldOptions: { description: 'The item.' },
    hasNextPageFieldOptions: { description: 'Whether more items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'Whether items precede this page.' },
    startCursorFieldOptions: { description: 'Cursor of the first item of this page.' },
    endCursorFieldOptions: { description: 'Cursor of the last item of this page.' },
  },
  errors: {
    defaultTypes: [],
  },
  complexity: {
    defaultComplexity: 1,
    defaultListMultiplier: 10,
    // From the environment (GRAPHQL_MAX_DEPTH, _BREADTH, _COMPLEXITY), through the context.
    limit: (ctx) => ctx.runtime.limits.query,
  },
});

builder.queryType({ description: 'The root of every read.' });
builder.mutationType({ description: 'The root of every write.' });

// Every connection reports its total size; prisma connections count lazily, only when asked.
builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: TOTAL_COUNT_DESCRIPTION,
    extensions: { pothosPrismaTotalCount: true },
    resolve: (parent) => (typeof parent.totalCount === 'function' ? parent.totalCount() : parent.totalCount),
  }),
);

builder.addScalarType('DateTime', DateTimeResolver, {
  description: 'A point in time, as an ISO-8601 string with a UTC offset.',
});
builder.addScalarType('JSON', JSONResolver, { description: 'Any JSON value.' });
