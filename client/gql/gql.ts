/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Catalog($first: Int, $after: String, $filter: ContentFilter) {\n    contentItems(first: $first, after: $after, filter: $filter) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          slug\n          title\n          summary\n          track\n          difficulty\n          pattern\n          rung\n          tags\n          estimatedMinutes\n          basePoints\n        }\n      }\n    }\n  }\n": typeof types.CatalogDocument,
    "\n  query ContentItem($slug: String!) {\n    contentItem(slug: $slug) {\n      id\n      slug\n      title\n      track\n      difficulty\n      currentVersion {\n        id\n        version\n        statement\n        entrypoint\n        starterCode {\n          language\n          code\n        }\n        sampleTests {\n          index\n          name\n          args\n          expected\n        }\n        testCount\n        hiddenTestCount\n        rubric {\n          key\n          title\n          description\n          maxScore\n        }\n        hints\n      }\n    }\n  }\n": typeof types.ContentItemDocument,
    "\n  query Viewer {\n    viewer {\n      id\n      name\n      email\n      currentStreak\n      longestStreak\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  fragment CoachTurnFields on SocraticTurn {\n    id\n    index\n    role\n    status\n    action\n    message\n    question\n    builtinCoach\n    failureReason\n    createdAt\n    evidence {\n      kind\n      ref\n      summary\n      passed\n      line\n      testIndex\n    }\n  }\n": typeof types.CoachTurnFieldsFragmentDoc,
    "\n  mutation AskCoach($input: AskCoachInput!) {\n    askCoach(input: $input) {\n      __typename\n      ... on SocraticTurn {\n        ...CoachTurnFields\n      }\n      ... on Error {\n        message\n      }\n      ... on RateLimited {\n        limit\n        retryAt\n        retryAfterSeconds\n      }\n    }\n  }\n": typeof types.AskCoachDocument,
    "\n  subscription CoachTurnEvents($turnId: ID!) {\n    coachTurnEvents(turnId: $turnId) {\n      __typename\n      ... on CoachTokenDelta {\n        text\n        offset\n      }\n      ... on CoachTurnCompleted {\n        turn {\n          ...CoachTurnFields\n        }\n      }\n      ... on CoachTurnFailed {\n        reason\n        turn {\n          ...CoachTurnFields\n        }\n      }\n    }\n  }\n": typeof types.CoachTurnEventsDocument,
};
const documents: Documents = {
    "\n  query Catalog($first: Int, $after: String, $filter: ContentFilter) {\n    contentItems(first: $first, after: $after, filter: $filter) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          slug\n          title\n          summary\n          track\n          difficulty\n          pattern\n          rung\n          tags\n          estimatedMinutes\n          basePoints\n        }\n      }\n    }\n  }\n": types.CatalogDocument,
    "\n  query ContentItem($slug: String!) {\n    contentItem(slug: $slug) {\n      id\n      slug\n      title\n      track\n      difficulty\n      currentVersion {\n        id\n        version\n        statement\n        entrypoint\n        starterCode {\n          language\n          code\n        }\n        sampleTests {\n          index\n          name\n          args\n          expected\n        }\n        testCount\n        hiddenTestCount\n        rubric {\n          key\n          title\n          description\n          maxScore\n        }\n        hints\n      }\n    }\n  }\n": types.ContentItemDocument,
    "\n  query Viewer {\n    viewer {\n      id\n      name\n      email\n      currentStreak\n      longestStreak\n    }\n  }\n": types.ViewerDocument,
    "\n  fragment CoachTurnFields on SocraticTurn {\n    id\n    index\n    role\n    status\n    action\n    message\n    question\n    builtinCoach\n    failureReason\n    createdAt\n    evidence {\n      kind\n      ref\n      summary\n      passed\n      line\n      testIndex\n    }\n  }\n": types.CoachTurnFieldsFragmentDoc,
    "\n  mutation AskCoach($input: AskCoachInput!) {\n    askCoach(input: $input) {\n      __typename\n      ... on SocraticTurn {\n        ...CoachTurnFields\n      }\n      ... on Error {\n        message\n      }\n      ... on RateLimited {\n        limit\n        retryAt\n        retryAfterSeconds\n      }\n    }\n  }\n": types.AskCoachDocument,
    "\n  subscription CoachTurnEvents($turnId: ID!) {\n    coachTurnEvents(turnId: $turnId) {\n      __typename\n      ... on CoachTokenDelta {\n        text\n        offset\n      }\n      ... on CoachTurnCompleted {\n        turn {\n          ...CoachTurnFields\n        }\n      }\n      ... on CoachTurnFailed {\n        reason\n        turn {\n          ...CoachTurnFields\n        }\n      }\n    }\n  }\n": types.CoachTurnEventsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Catalog($first: Int, $after: String, $filter: ContentFilter) {\n    contentItems(first: $first, after: $after, filter: $filter) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          slug\n          title\n          summary\n          track\n          difficulty\n          pattern\n          rung\n          tags\n          estimatedMinutes\n          basePoints\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Catalog($first: Int, $after: String, $filter: ContentFilter) {\n    contentItems(first: $first, after: $after, filter: $filter) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          slug\n          title\n          summary\n          track\n          difficulty\n          pattern\n          rung\n          tags\n          estimatedMinutes\n          basePoints\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContentItem($slug: String!) {\n    contentItem(slug: $slug) {\n      id\n      slug\n      title\n      track\n      difficulty\n      currentVersion {\n        id\n        version\n        statement\n        entrypoint\n        starterCode {\n          language\n          code\n        }\n        sampleTests {\n          index\n          name\n          args\n          expected\n        }\n        testCount\n        hiddenTestCount\n        rubric {\n          key\n          title\n          description\n          maxScore\n        }\n        hints\n      }\n    }\n  }\n"): (typeof documents)["\n  query ContentItem($slug: String!) {\n    contentItem(slug: $slug) {\n      id\n      slug\n      title\n      track\n      difficulty\n      currentVersion {\n        id\n        version\n        statement\n        entrypoint\n        starterCode {\n          language\n          code\n        }\n        sampleTests {\n          index\n          name\n          args\n          expected\n        }\n        testCount\n        hiddenTestCount\n        rubric {\n          key\n          title\n          description\n          maxScore\n        }\n        hints\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      id\n      name\n      email\n      currentStreak\n      longestStreak\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      id\n      name\n      email\n      currentStreak\n      longestStreak\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CoachTurnFields on SocraticTurn {\n    id\n    index\n    role\n    status\n    action\n    message\n    question\n    builtinCoach\n    failureReason\n    createdAt\n    evidence {\n      kind\n      ref\n      summary\n      passed\n      line\n      testIndex\n    }\n  }\n"): (typeof documents)["\n  fragment CoachTurnFields on SocraticTurn {\n    id\n    index\n    role\n    status\n    action\n    message\n    question\n    builtinCoach\n    failureReason\n    createdAt\n    evidence {\n      kind\n      ref\n      summary\n      passed\n      line\n      testIndex\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AskCoach($input: AskCoachInput!) {\n    askCoach(input: $input) {\n      __typename\n      ... on SocraticTurn {\n        ...CoachTurnFields\n      }\n      ... on Error {\n        message\n      }\n      ... on RateLimited {\n        limit\n        retryAt\n        retryAfterSeconds\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AskCoach($input: AskCoachInput!) {\n    askCoach(input: $input) {\n      __typename\n      ... on SocraticTurn {\n        ...CoachTurnFields\n      }\n      ... on Error {\n        message\n      }\n      ... on RateLimited {\n        limit\n        retryAt\n        retryAfterSeconds\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CoachTurnEvents($turnId: ID!) {\n    coachTurnEvents(turnId: $turnId) {\n      __typename\n      ... on CoachTokenDelta {\n        text\n        offset\n      }\n      ... on CoachTurnCompleted {\n        turn {\n          ...CoachTurnFields\n        }\n      }\n      ... on CoachTurnFailed {\n        reason\n        turn {\n          ...CoachTurnFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription CoachTurnEvents($turnId: ID!) {\n    coachTurnEvents(turnId: $turnId) {\n      __typename\n      ... on CoachTokenDelta {\n        text\n        offset\n      }\n      ... on CoachTurnCompleted {\n        turn {\n          ...CoachTurnFields\n        }\n      }\n      ... on CoachTurnFailed {\n        reason\n        turn {\n          ...CoachTurnFields\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;