/** Typed operations the client uses (generated types live in client/gql/). */
import { graphql } from './gql/index.js';

/** The catalog page: filters and one page of items with their version summary. */
export const CatalogQuery = graphql(`
  query Catalog($first: Int, $after: String, $filter: ContentFilter) {
    contentItems(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          slug
          title
          summary
          track
          difficulty
          pattern
          rung
          tags
          estimatedMinutes
          basePoints
        }
      }
    }
  }
`);

/** One item by slug, with what a student needs to start working on it. */
export const ContentItemQuery = graphql(`
  query ContentItem($slug: String!) {
    contentItem(slug: $slug) {
      id
      slug
      title
      track
      difficulty
      currentVersion {
        id
        version
        statement
        entrypoint
        starterCode {
          language
          code
        }
        sampleTests {
          index
          name
          args
          expected
        }
        testCount
        hiddenTestCount
        rubric {
          key
          title
          description
          maxScore
        }
        hints
      }
    }
  }
`);

/** The signed-in user, or null. */
export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      id
      name
      email
      currentStreak
      longestStreak
    }
  }
`);

/** A coach turn as the conversation view shows it, with the evidence it cites. */
export const CoachTurnFields = graphql(`
  fragment CoachTurnFields on SocraticTurn {
    id
    index
    role
    status
    action
    message
    question
    builtinCoach
    failureReason
    createdAt
    evidence {
      kind
      ref
      summary
      passed
      line
      testIndex
    }
  }
`);

/** Asks the coach; the returned turn is STREAMING: follow it with CoachTurnEventsSubscription. */
export const AskCoachMutation = graphql(`
  mutation AskCoach($input: AskCoachInput!) {
    askCoach(input: $input) {
      __typename
      ... on SocraticTurn {
        ...CoachTurnFields
      }
      ... on Error {
        message
      }
      ... on RateLimited {
        limit
        retryAt
        retryAfterSeconds
      }
    }
  }
`);

/** The coach's reply as it is written, then the final (validated) turn or the failure. */
export const CoachTurnEventsSubscription = graphql(`
  subscription CoachTurnEvents($turnId: ID!) {
    coachTurnEvents(turnId: $turnId) {
      __typename
      ... on CoachTokenDelta {
        text
        offset
      }
      ... on CoachTurnCompleted {
        turn {
          ...CoachTurnFields
        }
      }
      ... on CoachTurnFailed {
        reason
        turn {
          ...CoachTurnFields
        }
      }
    }
  }
`);
