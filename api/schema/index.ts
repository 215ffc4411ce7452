/** Imports every domain file and builds the executable schema. */
import { isObjectType } from 'graphql';
import { builder, TOTAL_COUNT_DESCRIPTION } from '../builder.js';
import './enums.js';
import './errors.js';
import './user.js';
import './content.js';
import './content-authoring.js';
import './accounts.js';
import './practice.js';
import './progress.js';
import './evaluation.js';
import './code-runs.js';
import './coach.js';
import './organizations.js';
import './history.js';
import './leaderboard.js';
import './adaptive.js';
import './question-pools.js';
import './calibration.js';
import './paths.js';

/** The API's GraphQL schema, sorted so the printed contract diffs cleanly. */
export const schema = builder.toSchema({ sortSchema: true });

// The prisma plugin defines its own `totalCount` on its connections (replacing the global
// connection field, and so its description); give them the same description.
for (const type of Object.values(schema.getTypeMap())) {
  const totalCount = isObjectType(type) ? type.getFields().totalCount : undefined;
  if (totalCount && !totalCount.description) totalCount.description = TOTAL_COUNT_DESCRIPTION;
}
