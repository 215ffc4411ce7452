/**
 * The charts of charts.tsx, loaded on first use: recharts is a chunk of its own, fetched only
 * by the pages that draw a chart, which show "Loading the chart…" meanwhile.
 */
import { type ComponentProps, lazy, Suspense } from 'react';
import { Loading } from './ui.js';

const charts = () => import('./charts.js');
const LazyConceptChart = lazy(() => charts().then((module) => ({ default: module.ConceptChart })));
const LazyMasteryChart = lazy(() => charts().then((module) => ({ default: module.MasteryChart })));
const LazyExposureChart = lazy(() => charts().then((module) => ({ default: module.ExposureChart })));
const LazyDifficultyChart = lazy(() => charts().then((module) => ({ default: module.DifficultyChart })));
const LazyPatternMasteryChart = lazy(() => charts().then((module) => ({ default: module.PatternMasteryChart })));
const LazyPointsChart = lazy(() => charts().then((module) => ({ default: module.PointsChart })));

export type { ConceptRow, DifficultyRow, ExposureRow, MasteryRow, PatternMasteryRow, PointsRow } from './charts.js';

export function ConceptChart(props: ComponentProps<typeof LazyConceptChart>) {
  return (
    <Suspense fallback={<Loading what="the chart" />}>
      <LazyConceptChart {...props} />
    </Suspense>
  );
}

export function MasteryChart(props: ComponentProps<typeof LazyMasteryChart>) {
  return (
    <Suspense fallback={<Loading what="the chart" />}>
      <LazyMasteryChart {...props} />
    </Suspense>
  );
}

export function ExposureChart(props: ComponentProps<typeof LazyExposureChart>) {
  return (
    <Suspense fallback={<Loading what="the chart" />}>
      <LazyExposureChart {...props} />
    </Suspense>
  );
}

export function DifficultyChart(props: ComponentProps<typeof LazyDifficultyChart>) {
  return (
    <Suspense fallback={<Loading what="the chart" />}>
      <LazyDifficultyChart {...props} />
    </Suspense>
  );
}

export function PatternMasteryChart(props: ComponentProps<typeof LazyPatternMasteryChart>) {
  return (
    <Suspense fallback={<Loading what="the chart" />}>
      <LazyPatternMasteryChart {...props} />
    </Suspense>
  );
}

export function PointsChart(props: ComponentProps<typeof LazyPointsChart>) {
  return (
    <Suspense fallback={<Loading what="the chart" />}>
      <LazyPointsChart {...props} />
    </Suspense>
  );
}
