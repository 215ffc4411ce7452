/** GraphQL enums shared by several domains, each value described for integrators. */
import { builder } from '../builder.js';
import { Difficulty, Language, Track } from '../generated/prisma/enums.js';

export const TrackEnum = builder.enumType(Track, {
  name: 'Track',
  description: 'What kind of practice a content item is.',
  values: {
    CODING_INTERVIEW: { description: 'Write a function that passes the test cases.' },
    DEBUG_LAB: { description: 'Find and explain the bug in a given program, then fix it.' },
    SYSTEM_DESIGN: { description: 'Design a system; the answer is scored against a rubric.' },
  },
});

export const DifficultyEnum = builder.enumType(Difficulty, {
  name: 'Difficulty',
  description: 'How hard a content item is.',
  values: {
    EASY: { description: 'A warm-up: one idea, few edge cases.' },
    MEDIUM: { description: 'A typical interview question.' },
    HARD: { description: 'A stretch: combines ideas or needs a careful invariant.' },
  },
});

export const LanguageEnum = builder.enumType(Language, {
  name: 'Language',
  description: 'A programming language code can be written in.',
  values: {
    JAVASCRIPT: { description: 'JavaScript (Node.js).' },
    TYPESCRIPT: { description: 'TypeScript (type-stripped and run on Node.js).' },
    PYTHON: { description: 'Python 3.' },
  },
});
