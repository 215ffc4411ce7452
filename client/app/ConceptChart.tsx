/** θ per concept as horizontal bars with ±1 standard error bars (recharts; loaded lazily with the result page). */
import { Bar, BarChart, CartesianGrid, Cell, ErrorBar, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { estimateText } from './adaptive.js';

export interface ConceptRow {
  concept: string;
  label: string;
  theta: number;
  standardError: number;
  responses: number;
}

/** θ is on the scale of the items' difficulties: the axis spans at least −3 to 3, wider where an estimate and its error reach. */
function domain(rows: readonly ConceptRow[]): [number, number] {
  const reach = Math.max(3, ...rows.map((row) => Math.abs(row.theta) + row.standardError));
  const bound = Math.ceil(reach);
  return [-bound, bound];
}

export function ConceptChart({ rows }: { rows: ConceptRow[] }) {
  const height = 40 + rows.length * 44;
  return (
    <figure className="chart" aria-label="θ per concept, chart">
      <BarChart
        responsive
        layout="vertical"
        data={rows}
        style={{ width: '100%', height }}
        margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" domain={domain(rows)} tickCount={7} allowDecimals={false} />
        <YAxis type="category" dataKey="label" width={150} />
        <ReferenceLine x={0} stroke="#5b6576" />
        <Tooltip
          formatter={(_value, _name, item) => {
            const row = item.payload as ConceptRow;
            return [`${estimateText(row)} (${row.responses} answers)`, 'θ ± SE'];
          }}
        />
        <Bar dataKey="theta" name="θ" isAnimationActive={false}>
          {rows.map((row) => (
            <Cell key={row.concept} fill={row.theta >= 0 ? '#2456d6' : '#c2410c'} />
          ))}
          <ErrorBar dataKey="standardError" width={6} strokeWidth={2} stroke="#1c2330" isAnimationActive={false} />
        </Bar>
      </BarChart>
      <figcaption className="meta">Bars: θ in each concept (0 is average); whiskers: ± one standard error.</figcaption>
    </figure>
  );
}
