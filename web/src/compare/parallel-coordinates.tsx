import { useId, useMemo } from 'react';
import type { Run } from '../data/keel-sdk.js';
import { makeAxis, rawValue } from './compare-model.js';
import { rampColour } from './palette.js';
import { idLabel } from './scatter-plot.js';

const height = 380;
const margin = { top: 40, right: 60, bottom: 24, left: 60 };
const axisGap = 150;

/**
 * Parallel coordinates (inline SVG): one vertical axis per chosen param, the metric last, one line
 * per run coloured by the metric (blue low, orange high). Numbers spread linearly, anything else as
 * categories. Runs without the metric are drawn grey.
 */
export function ParallelCoordinates(props: {
  runs: readonly Run[];
  names: readonly string[];
  params: readonly string[];
  metric: string;
}) {
  const titleId = useId();
  const axes = useMemo(() => [...props.params, props.metric], [props.params, props.metric]);
  const model = useMemo(() => {
    const columns = axes.map((id) => {
      const values = props.runs.map((run) => rawValue(run, id));
      return { id, values, axis: makeAxis(values, false) };
    });
    return columns;
  }, [axes, props.runs]);
  const width = margin.left + margin.right + Math.max(1, axes.length - 1) * axisGap;
  const innerH = height - margin.top - margin.bottom;
  const ax = (index: number) => margin.left + index * axisGap;
  const sy = (p: number) => margin.top + (1 - p) * innerH;
  const metricColumn = model[model.length - 1]!;
  return (
    <figure className="plot">
      <div className="plot-scroll">
        <svg
          viewBox={`0 0 ${width} ${height}`}
          width={width}
          height={height}
          role="img"
          aria-labelledby={titleId}
          data-testid="parallel-coordinates"
        >
          <title id={titleId}>
            {`Parallel coordinates: ${props.params.map(idLabel).join(', ')} against ${idLabel(props.metric)}`}
          </title>
          {props.runs.map((_, runIndex) => {
            const points = model
              .map((column, index) => {
                const p = column.axis.position(column.values[runIndex]);
                return p === undefined ? undefined : `${ax(index)},${sy(p)}`;
              })
              .filter((point): point is string => point !== undefined);
            if (points.length < 2) return null;
            return (
              <polyline
                key={runIndex}
                points={points.join(' ')}
                fill="none"
                stroke={rampColour(metricColumn.axis.position(metricColumn.values[runIndex]))}
                strokeWidth={1.5}
                strokeOpacity={0.8}
              >
                <title>{props.names[runIndex]}</title>
              </polyline>
            );
          })}
          {model.map((column, index) => (
            <g key={column.id}>
              <line
                x1={ax(index)}
                x2={ax(index)}
                y1={margin.top}
                y2={margin.top + innerH}
                className="plot-axis"
              />
              <text x={ax(index)} y={margin.top - 18} textAnchor="middle" className="plot-label">
                {idLabel(column.id)}
              </text>
              {column.axis.ticks.map((tick) => (
                <text key={tick.at} x={ax(index) + 4} y={sy(tick.at) + 4} className="plot-tick">
                  {tick.label.length > 14 ? `${tick.label.slice(0, 13)}…` : tick.label}
                </text>
              ))}
            </g>
          ))}
        </svg>
      </div>
      <figcaption className="muted">
        {props.runs.length} runs; colour follows {idLabel(props.metric)} (blue low, orange high; grey: not
        logged).
      </figcaption>
    </figure>
  );
}
