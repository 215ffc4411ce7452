/**
 * The one Pothos SchemaBuilder: plugins, context, scalars and auth scopes. Domain files
 * under api/schema/ add types to it; api/schema/index.ts turns it into the schema.
 */
import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { z } from 'zod';
import type { Context } from './context.js';
import { checkUnusedPrismaQueries } from './env.js';
import type PrismaTypes from './generated/pothos-types.js';
import { getDatamodel } from './generated/pothos-types.js';
import type { Role } from './generated/prisma/enums.js';

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
  AuthScopes: {
    /** Any signed-in user. */
    authenticated: boolean;
    /** A member (any role) of the given organization. */
    memberOf: string;
    /** An instructor or admin of the given organization. */
    instructorOf: string;
  };
}>({
  defaultFieldNullability: false,
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin, ErrorsPlugin, ValidationPlugin, ComplexityPlugin],
  scopeAuth: {
    authScopes: (ctx) => {
      const roleIn = (organizationId: string): Role | undefined => ctx.viewer?.roles.get(organizationId);
      return {
        authenticated: ctx.viewer !== null,
        memberOf: (organizationId) => roleIn(organizationId) !== undefined,
        instructorOf: (organizationId) => {
          const role = roleIn(organizationId);
          return role === 'INSTRUCTOR' || role === 'ADMIN';
        },
      };
    },
  },
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
    nodeQueryOptions: {
      description: 'Fetches any object by its global ID; null when it does not exist or is not visible to you.',
      args: { id: { description: 'Global ID of the object.' } },
    },
    nodesQueryOptions: {
      description:
        'Fetches objects by their global IDs, in order; null for each one that does not exist or is not visible to you.',
      args: { ids: { description: 'Global IDs of the objects.' } },
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
