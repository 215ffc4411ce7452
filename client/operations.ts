/** Typed operations shared by several views (each page keeps its own beside it; generated types live in client/gql/). */
import { graphql } from './gql/index.js';

/** Who is signed in, for the header: name, points, streak and roles. */
export const MeQuery = graphql(`
  query Me {
    viewer {
      id
      name
      points
      currentStreak
      memberships {
        role
        organization {
          slug
          name
        }
      }
    }
  }
`);

/** The signed-in user with what they earned and their proficiency per concept, or null. */
export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      id
      name
      email
      timeZone
      leaderboardOptOut
      points
      solvedCount
      currentStreak
      longestStreak
      badges {
        awardedAt
        badge {
          key
          name
          description
        }
      }
      achievements {
        key
        achievedAt
      }
      mastery {
        track
        pattern
        mastery
      }
      conceptProficiencies {
        ...ConceptProficiencyFields
      }
    }
  }
`);

/** One entry of a leaderboard, as the board and the live top show it. */
export const LeaderboardEntryFields = graphql(`
  fragment LeaderboardEntryFields on LeaderboardEntry {
    rank
    displayName
    anonymous
    isViewer
    points
    solvedCount
  }
`);

/** A page of a leaderboard with your own entry. */
export const LeaderboardQuery = graphql(`
  query Leaderboard(
    $scope: LeaderboardScope!
    $window: LeaderboardWindow!
    $track: Track
    $classId: ID
    $first: Int
    $after: String
  ) {
    leaderboard(scope: $scope, window: $window, track: $track, classId: $classId, first: $first, after: $after) {
      __typename
      ... on LeaderboardConnection {
        totalCount
        windowStart
        windowEnd
        edges {
          cursor
          node {
            ...LeaderboardEntryFields
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
        viewerEntry {
          ...LeaderboardEntryFields
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

/** The top of a leaderboard, live. */
export const LeaderboardChangedSubscription = graphql(`
  subscription LeaderboardChanged(
    $scope: LeaderboardScope!
    $window: LeaderboardWindow!
    $track: Track
    $classId: ID
    $first: Int
  ) {
    leaderboardChanged(scope: $scope, window: $window, track: $track, classId: $classId, first: $first) {
      ...LeaderboardEntryFields
    }
  }
`);

/** Changes your profile (time zone, leaderboard opt-out, name). */
export const UpdateProfileMutation = graphql(`
  mutation UpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      __typename
      ... on User {
        id
        name
        timeZone
        leaderboardOptOut
      }
      ... on Error {
        message
      }
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
