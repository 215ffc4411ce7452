/** Badge definitions the seed publishes: each badge is earned once a learner's total crosses a threshold. */

export interface BadgeDefinition {
  key: string;
  name: string;
  description: string;
  criterion: { kind: 'POINTS' | 'SOLVED_COUNT' | 'STREAK_DAYS'; threshold: number };
}

export const badgeDefinitions: BadgeDefinition[] = [
  {
    key: 'FIRST_SOLVE',
    name: 'First Blood',
    description: 'Solve your first item on any track.',
    criterion: { kind: 'SOLVED_COUNT', threshold: 1 },
  },
  {
    key: 'SOLVED_10',
    name: 'Getting the Hang of It',
    description: 'Solve 10 different items on any track.',
    criterion: { kind: 'SOLVED_COUNT', threshold: 10 },
  },
  {
    key: 'SOLVED_25',
    name: 'Problem Crusher',
    description: 'Solve 25 different items on any track.',
    criterion: { kind: 'SOLVED_COUNT', threshold: 25 },
  },
  {
    key: 'POINTS_500',
    name: 'Point Collector',
    description: 'Earn 500 points in total.',
    criterion: { kind: 'POINTS', threshold: 500 },
  },
  {
    key: 'POINTS_2000',
    name: 'High Scorer',
    description: 'Earn 2,000 points in total.',
    criterion: { kind: 'POINTS', threshold: 2000 },
  },
  {
    key: 'POINTS_5000',
    name: 'Leaderboard Regular',
    description: 'Earn 5,000 points in total.',
    criterion: { kind: 'POINTS', threshold: 5000 },
  },
  {
    key: 'STREAK_7',
    name: 'Week Streak',
    description: 'Practise on 7 days in a row (at least one evaluated submission a day, in your time zone).',
    criterion: { kind: 'STREAK_DAYS', threshold: 7 },
  },
  {
    key: 'STREAK_30',
    name: 'Unstoppable',
    description: 'Practise on 30 days in a row (at least one evaluated submission a day, in your time zone).',
    criterion: { kind: 'STREAK_DAYS', threshold: 30 },
  },
];
