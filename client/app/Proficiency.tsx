/**
 * A student's stored proficiency per concept (from their completed adaptive tests): mastery as a
 * chart with the threshold, and θ ± SE with the answers behind it as a table. The student's
 * Progress page and their instructors' timeline page both show it.
 */
import type { ReactNode } from 'react';
import { type FragmentType, getFragmentData, graphql } from '../gql/index.js';
import { conceptLabel, estimateText } from './adaptive.js';
import { MasteryChart } from './lazyCharts.js';
import { Empty, percent, when } from './ui.js';

export const ConceptProficiencyFields = graphql(`
  fragment ConceptProficiencyFields on ConceptProficiency {
    concept
    theta
    standardError
    responses
    mastery
    updatedAt
  }
`);

export function ConceptProficiencies({
  proficiencies,
  empty,
}: {
  proficiencies: readonly FragmentType<typeof ConceptProficiencyFields>[];
  /** What to say when no completed test has measured a concept yet. */
  empty: ReactNode;
}) {
  const rows = getFragmentData(ConceptProficiencyFields, proficiencies).map((row) => ({
    ...row,
    label: conceptLabel(row.concept),
  }));
  if (rows.length === 0) return <Empty>{empty}</Empty>;
  return (
    <>
      <MasteryChart rows={rows} />
      <div className="scroll">
        <table className="board" aria-label="Proficiency by concept">
          <thead>
            <tr>
              <th scope="col">Concept</th>
              <th scope="col">Mastery</th>
              <th scope="col">θ ± SE</th>
              <th scope="col">Answers</th>
              <th scope="col">Measured</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.concept}>
                <td>{row.label}</td>
                <td>{percent(row.mastery)}</td>
                <td className="nowrap">{estimateText(row)}</td>
                <td>{row.responses}</td>
                <td>{when(row.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
