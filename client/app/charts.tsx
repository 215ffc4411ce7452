/**
 * The app's charts (recharts). This module and the library load on their own, the first time a
 * page shows a chart: import the charts from lazyCharts.tsx, not from here.
 */
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ErrorBar,
  ReferenceLine,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { EXPOSURE_CAP, estimateText, figure, MASTERY_THRESHOLD, POOR_FIT_RMSD, signed } from './adaptive.js';
import { percent, shortDay } from './ui.js';

const BLUE = '#2456d6';
const ORANGE = '#c2410c';
const GREY = '#9aa3b2';
const INK = '#1c2330';
const AXIS = '#5b6576';

export interface ConceptRow {
  concept: string;
  label: string;
  theta: number;
  standardError: number;
  responses: number;
}

/** θ is on the scale of the items' difficulties: the axis spans at least −3 to 3, wider where an estimate and its error reach. */
function thetaDomain(rows: readonly ConceptRow[]): [number, number] {
  const reach = Math.max(3, ...rows.map((row) => Math.abs(row.theta) + row.standardError));
  const bound = Math.ceil(reach);
  return [-bound, bound];
}

/** θ per concept as horizontal bars with ±1 standard error bars. */
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
        <XAxis type="number" domain={thetaDomain(rows)} tickCount={7} allowDecimals={false} />
        <YAxis type="category" dataKey="label" width={150} />
        <ReferenceLine x={0} stroke={AXIS} />
        <Tooltip
          formatter={(_value, _name, item) => {
            const row = item.payload as ConceptRow;
            return [`${estimateText(row)} (${row.responses} answers)`, 'θ ± SE'];
          }}
        />
        <Bar dataKey="theta" name="θ" isAnimationActive={false}>
          {rows.map((row) => (
            <Cell key={row.concept} fill={row.theta >= 0 ? BLUE : ORANGE} />
          ))}
          <ErrorBar dataKey="standardError" width={6} strokeWidth={2} stroke={INK} isAnimationActive={false} />
        </Bar>
      </BarChart>
      <figcaption className="meta">Bars: θ in each concept (0 is average); whiskers: ± one standard error.</figcaption>
    </figure>
  );
}

export interface MasteryRow extends ConceptRow {
  mastery: number;
}

/** Mastery per concept (0 to 1) as horizontal bars, with the threshold from which a concept counts as mastered. */
export function MasteryChart({ rows }: { rows: MasteryRow[] }) {
  const height = 56 + rows.length * 40;
  return (
    <figure className="chart" aria-label="Mastery by concept, chart">
      <BarChart
        responsive
        layout="vertical"
        data={rows}
        style={{ width: '100%', height }}
        margin={{ top: 20, right: 24, bottom: 8, left: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis
          type="number"
          domain={[0, 1]}
          ticks={[0, 0.25, 0.5, 0.75, 1]}
          tickFormatter={(value) => percent(value)}
        />
        <YAxis type="category" dataKey="label" width={150} />
        <ReferenceLine
          x={MASTERY_THRESHOLD}
          stroke={INK}
          strokeDasharray="4 3"
          label={{ value: `mastered: ${percent(MASTERY_THRESHOLD)}`, position: 'top', fontSize: 12 }}
        />
        <Tooltip
          formatter={(_value, _name, item) => {
            const row = item.payload as MasteryRow;
            return [`${percent(row.mastery)} (θ ${estimateText(row)}, ${row.responses} answers)`, 'Mastery'];
          }}
        />
        <Bar dataKey="mastery" name="Mastery" isAnimationActive={false}>
          {rows.map((row) => (
            <Cell key={row.concept} fill={row.mastery >= MASTERY_THRESHOLD ? BLUE : ORANGE} />
          ))}
        </Bar>
      </BarChart>
      <figcaption className="meta">
        Bars: the chance of answering an average question of the concept right; dashed: {percent(MASTERY_THRESHOLD)},
        from which a concept counts as mastered.
      </figcaption>
    </figure>
  );
}

export interface ExposureRow {
  key: string;
  exposureRate: number;
  retired: boolean;
}

/**
 * The share of the pool's sessions each question was given to, with the cap exposure control
 * keeps to; a question above it is asked too often to stay secret (or the pool is too small).
 */
export function ExposureChart({ rows }: { rows: ExposureRow[] }) {
  const top = Math.max(EXPOSURE_CAP * 1.2, ...rows.map((row) => row.exposureRate));
  // Past a few dozen questions the keys would overlap: the tooltip names each bar instead.
  const labelled = rows.length <= 30;
  return (
    <figure className="chart" aria-label="Exposure rate per question, chart">
      <BarChart
        responsive
        data={rows}
        style={{ width: '100%', height: labelled ? 280 : 240 }}
        margin={{ top: 20, right: 24, bottom: 8, left: 0 }}
      >
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis
          dataKey="key"
          tick={labelled}
          interval={0}
          angle={labelled ? -35 : 0}
          textAnchor={labelled ? 'end' : 'middle'}
          height={labelled ? 64 : 8}
        />
        <YAxis
          type="number"
          domain={[0, Math.min(1, Math.ceil(top * 10) / 10)]}
          tickFormatter={(value) => figure(value)}
        />
        <ReferenceLine
          y={EXPOSURE_CAP}
          stroke={ORANGE}
          strokeDasharray="4 3"
          label={{ value: `cap ${figure(EXPOSURE_CAP)}`, position: 'insideTopRight', fontSize: 12 }}
        />
        <Tooltip
          formatter={(_value, _name, item) => {
            const row = item.payload as ExposureRow;
            return [`${figure(row.exposureRate)}${row.retired ? ' (retired)' : ''}`, 'Exposure rate'];
          }}
        />
        <Bar dataKey="exposureRate" name="Exposure rate" isAnimationActive={false}>
          {rows.map((row) => (
            <Cell key={row.key} fill={row.retired ? GREY : row.exposureRate > EXPOSURE_CAP ? ORANGE : BLUE} />
          ))}
        </Bar>
      </BarChart>
      <figcaption className="meta">
        Bars: the share of the pool’s tests each question was given in (grey: retired); dashed: the cap of{' '}
        {figure(EXPOSURE_CAP)} that exposure control keeps to once the pool is large enough.
      </figcaption>
    </figure>
  );
}

export interface DifficultyRow {
  key: string;
  current: number;
  proposed: number;
  poorFit: boolean;
}

/**
 * A calibration's proposed difficulty of each question against its current one: on the dashed
 * diagonal nothing would change; above it a question would become harder, below it easier.
 */
export function DifficultyChart({ rows }: { rows: DifficultyRow[] }) {
  // The same scale on both axes, at least −2 to 2 (difficulties stay within −4 and 4).
  const reach = Math.ceil(Math.max(2, ...rows.flatMap((row) => [Math.abs(row.current), Math.abs(row.proposed)])));
  const domain: [number, number] = [-reach, reach];
  return (
    <figure className="chart" aria-label="Proposed against current difficulty, chart">
      <ScatterChart
        responsive
        style={{ width: '100%', maxWidth: 420, aspectRatio: 1 }}
        margin={{ top: 8, right: 16, bottom: 24, left: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          type="number"
          dataKey="current"
          name="Current b"
          domain={domain}
          allowDecimals={false}
          label={{ value: 'current b', position: 'insideBottom', offset: -12, fontSize: 12 }}
        />
        <YAxis
          type="number"
          dataKey="proposed"
          name="Proposed b"
          domain={domain}
          allowDecimals={false}
          width={40}
          label={{ value: 'proposed b', angle: -90, position: 'insideLeft', fontSize: 12 }}
        />
        <ReferenceLine
          segment={[
            { x: -reach, y: -reach },
            { x: reach, y: reach },
          ]}
          stroke={AXIS}
          strokeDasharray="4 3"
        />
        <Tooltip
          cursor={false}
          content={({ active, payload }) => {
            const row = payload?.[0]?.payload as DifficultyRow | undefined;
            if (!active || !row) return null;
            return (
              <div className="chart-tooltip">
                <strong>{row.key}</strong>: b {figure(row.current)} → {figure(row.proposed)} (
                {signed(row.proposed - row.current)}){row.poorFit ? ', poor fit' : ''}
              </div>
            );
          }}
        />
        <Scatter data={rows} name="Questions" isAnimationActive={false}>
          {rows.map((row) => (
            <Cell key={row.key} fill={row.poorFit ? ORANGE : BLUE} />
          ))}
        </Scatter>
      </ScatterChart>
      <figcaption className="meta">
        Each dot a question estimated: its current difficulty across, the proposed one up. On the dashed line it would
        not change; above it the question would count as harder, below as easier. Orange: a poor fit (RMSD above{' '}
        {figure(POOR_FIT_RMSD)}).
      </figcaption>
    </figure>
  );
}

export interface PatternMasteryRow {
  key: string;
  label: string;
  mastery: number;
}

/** Mastery per pattern practised (0 to 1: the best scores on its items over how many it has) as horizontal bars. */
export function PatternMasteryChart({ rows }: { rows: PatternMasteryRow[] }) {
  const height = 40 + rows.length * 36;
  return (
    <figure className="chart" aria-label="Mastery by pattern, chart">
      <BarChart
        responsive
        layout="vertical"
        data={rows}
        style={{ width: '100%', height }}
        margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis
          type="number"
          domain={[0, 1]}
          ticks={[0, 0.25, 0.5, 0.75, 1]}
          tickFormatter={(value) => percent(value)}
        />
        <YAxis type="category" dataKey="label" width={190} />
        <Tooltip formatter={(value) => [percent(Number(value)), 'Mastery']} />
        <Bar dataKey="mastery" name="Mastery" fill={BLUE} isAnimationActive={false} />
      </BarChart>
      <figcaption className="meta">
        Bars: the sum of your best scores on a pattern’s problems over how many it has (a problem not tried counts 0).
      </figcaption>
    </figure>
  );
}

export interface PointsRow {
  /** YYYY-MM-DD, the learner's local day. */
  day: string;
  points: number;
  total: number;
}

/** Points in all at the end of each day of the window: a rising line, flat on days without points. */
export function PointsChart({ rows }: { rows: PointsRow[] }) {
  return (
    <figure className="chart" aria-label="Points over time, chart">
      <AreaChart
        responsive
        data={rows}
        style={{ width: '100%', height: 240 }}
        margin={{ top: 8, right: 24, bottom: 8, left: 0 }}
      >
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="day" tickFormatter={shortDay} minTickGap={24} />
        <YAxis type="number" allowDecimals={false} width={48} domain={[0, 'auto']} />
        <Tooltip
          labelFormatter={(day) => shortDay(String(day))}
          formatter={(_value, _name, item) => {
            const row = item.payload as PointsRow;
            return [`${row.total}${row.points > 0 ? ` (+${row.points} that day)` : ''}`, 'Points'];
          }}
        />
        <Area
          type="stepAfter"
          dataKey="total"
          name="Points"
          stroke={BLUE}
          fill={BLUE}
          fillOpacity={0.15}
          strokeWidth={2}
          isAnimationActive={false}
        />
      </AreaChart>
      <figcaption className="meta">Your points in all at the end of each day, in your time zone.</figcaption>
    </figure>
  );
}
