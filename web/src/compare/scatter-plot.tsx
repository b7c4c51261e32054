import { useId, useMemo } from 'react';
import type { Run } from '../data/keel-sdk.js';
import { makeAxis, rawValue } from './compare-model.js';
import { runColour } from './palette.js';

const width = 640;
const height = 400;
const margin = { top: 16, right: 24, bottom: 56, left: 72 };

/** Label of a param or metric id (`params.lr` → `lr (param)`). */
export function idLabel(id: string): string {
  const [kind, ...rest] = id.split('.');
  return `${rest.join('.')} (${kind === 'params' ? 'param' : 'metric'})`;
}

/**
 * A scatter of two params or metrics over the runs (inline SVG). Numbers on linear or log axes (log
 * only when every value is above 0), anything else as categories; runs missing a value are counted,
 * not drawn. Each point names its run (a tooltip and, for screen readers, a list).
 */
export function ScatterPlot(props: {
  runs: readonly Run[];
  names: readonly string[];
  x: string;
  y: string;
  logX: boolean;
  logY: boolean;
}) {
  const titleId = useId();
  const { runs, x, y } = props;
  const plot = useMemo(() => {
    const xs = runs.map((run) => rawValue(run, x));
    const ys = runs.map((run) => rawValue(run, y));
    const xAxis = makeAxis(xs, props.logX);
    const yAxis = makeAxis(ys, props.logY);
    const points = runs.flatMap((_, index) => {
      const px = xAxis.position(xs[index]);
      const py = yAxis.position(ys[index]);
      if (px === undefined || py === undefined) return [];
      return [{ index, px, py, xValue: xs[index], yValue: ys[index] }];
    });
    return { xAxis, yAxis, points, missing: runs.length - points.length };
  }, [runs, x, y, props.logX, props.logY]);
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  // A little room inside the frame, so points at the ends are not cut by it.
  const inset = (p: number) => 0.04 + p * 0.92;
  const sx = (p: number) => margin.left + inset(p) * innerW;
  const sy = (p: number) => margin.top + (1 - inset(p)) * innerH;
  const title = `${idLabel(y)} against ${idLabel(x)}`;
  return (
    <figure className="plot">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={titleId}
        className="plot-svg"
        data-testid="scatter-plot"
      >
        <title id={titleId}>{`Scatter: ${title}, ${plot.points.length} runs`}</title>
        <rect x={margin.left} y={margin.top} width={innerW} height={innerH} className="plot-frame" />
        {plot.xAxis.ticks.map((tick) => (
          <g key={`x${tick.at}`}>
            <line
              x1={sx(tick.at)}
              x2={sx(tick.at)}
              y1={margin.top}
              y2={margin.top + innerH}
              className="plot-grid"
            />
            <text x={sx(tick.at)} y={margin.top + innerH + 16} textAnchor="middle" className="plot-tick">
              {truncate(tick.label)}
            </text>
          </g>
        ))}
        {plot.yAxis.ticks.map((tick) => (
          <g key={`y${tick.at}`}>
            <line
              x1={margin.left}
              x2={margin.left + innerW}
              y1={sy(tick.at)}
              y2={sy(tick.at)}
              className="plot-grid"
            />
            <text x={margin.left - 6} y={sy(tick.at) + 4} textAnchor="end" className="plot-tick">
              {truncate(tick.label)}
            </text>
          </g>
        ))}
        <text x={margin.left + innerW / 2} y={height - 12} textAnchor="middle" className="plot-label">
          {idLabel(x)}
          {plot.xAxis.kind === 'log' ? ' — log' : ''}
        </text>
        <text
          transform={`translate(16 ${margin.top + innerH / 2}) rotate(-90)`}
          textAnchor="middle"
          className="plot-label"
        >
          {idLabel(y)}
          {plot.yAxis.kind === 'log' ? ' — log' : ''}
        </text>
        {plot.points.map((point) => (
          <circle
            key={point.index}
            cx={sx(point.px)}
            cy={sy(point.py)}
            r={5}
            fill={runColour(point.index)}
            fillOpacity={0.85}
            stroke="#fff"
            className="plot-point"
          >
            <title>{`${props.names[point.index]}: ${String(point.xValue)}, ${String(point.yValue)}`}</title>
          </circle>
        ))}
      </svg>
      <figcaption className="muted">
        {title}. {plot.points.length} of {runs.length} runs drawn
        {plot.missing > 0 ? ` (${plot.missing} lack a value)` : ''}.{' '}
        {[plot.xAxis.note, plot.yAxis.note].filter(Boolean).join(' ')}
      </figcaption>
    </figure>
  );
}

function truncate(label: string): string {
  return label.length > 14 ? `${label.slice(0, 13)}…` : label;
}
