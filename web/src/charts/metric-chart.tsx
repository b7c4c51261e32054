import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatDuration, formatNumber } from '../components/format.js';
import { colourOf } from './palette.js';
import { alignSeries, smooth, xAxisLabels, type Series, type XAxisMode } from './series.js';

export interface MetricChartProps {
  /** The chart's accessible name (and heading). */
  title: string;
  series: readonly Series[];
  /** Index of each series in the section's metric list, so a metric keeps its colour everywhere. */
  colourIndex: readonly number[];
  /** Explicit line colours (one per series), in place of the palette's `colourIndex` colours. */
  colours?: readonly string[];
  mode: XAxisMode;
  logScale: boolean;
  /** EMA weight, 0 (off) to 0.99. */
  smoothing: number;
  height?: number;
  /** A range of x values was dragged over. */
  onSelectX: (from: number, to: number) => void;
  /** Keys pressed on the focused chart (pan, zoom, reset). */
  onKey: (key: string) => boolean;
}

function xValueText(mode: XAxisMode, value: number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (mode === 'wall') return new Date(value * 1000).toLocaleString();
  if (mode === 'relative') return formatDuration(Math.round(value * 1000));
  return String(value);
}

/**
 * One uPlot chart of one or several metrics on a shared x axis. Dragging selects an x range (the
 * section turns it into steps and reads them again at full detail); it does not rescale by itself.
 */
export function MetricChart(props: MetricChartProps) {
  const holder = useRef<HTMLDivElement>(null);
  const onSelect = useRef(props.onSelectX);
  onSelect.current = props.onSelectX;
  const { series, colourIndex, mode, logScale, smoothing } = props;
  const height = props.height ?? 260;
  const colours = props.colours ? props.colours.join(',') : colourIndex.join(',');
  const explicit = useRef(props.colours);
  explicit.current = props.colours;

  useEffect(() => {
    const element = holder.current;
    if (element === null) return;
    const drawn: Series[] = [];
    const options: uPlot.Series[] = [{ label: xAxisLabels[mode], value: (_u, v) => xValueText(mode, v) }];
    series.forEach((item, index) => {
      const colour = explicit.current?.[index] ?? colourOf(colourIndex[index] ?? index);
      if (smoothing > 0) {
        drawn.push(item);
        options.push({ label: `${item.key} (raw)`, stroke: `${colour}55`, width: 1, spanGaps: true });
        drawn.push({ ...item, y: smooth(item.y, smoothing) });
        options.push({
          label: item.key,
          stroke: colour,
          width: 2,
          spanGaps: true,
          value: (_u, v) => (v === null ? '' : formatNumber(v)),
        });
      } else {
        drawn.push(item);
        options.push({
          label: item.key,
          stroke: colour,
          width: 1.5,
          spanGaps: true,
          value: (_u, v) => (v === null ? '' : formatNumber(v)),
        });
      }
    });
    const chart = new uPlot(
      {
        width: Math.max(200, element.clientWidth),
        height,
        series: options,
        scales: {
          x: { time: mode === 'wall' },
          y: logScale ? { distr: 3, log: 10 } : { distr: 1 },
        },
        axes: [
          {
            label: mode === 'step' ? 'Step' : mode === 'wall' ? 'Wall time' : 'Time since start',
            ...(mode === 'relative'
              ? { values: (_u: uPlot, ticks: number[]) => ticks.map((t) => xValueText(mode, t)) }
              : {}),
          },
          { label: logScale ? 'Value (log)' : 'Value', size: 70 },
        ],
        cursor: { drag: { x: true, y: false, setScale: false } },
        legend: { live: true },
        hooks: {
          setSelect: [
            (u) => {
              if (u.select.width > 3) {
                const from = u.posToVal(u.select.left, 'x');
                const to = u.posToVal(u.select.left + u.select.width, 'x');
                onSelect.current(from, to);
              }
              u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            },
          ],
        },
      },
      alignSeries(drawn) as uPlot.AlignedData,
      element,
    );
    // How many points the drawn chart holds (its longest line): tests and the bench wait on it.
    element.dataset.points = String(Math.max(0, ...series.map((item) => item.x.length)));
    const resize = new ResizeObserver(() => {
      chart.setSize({ width: Math.max(200, element.clientWidth), height });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [series, colours, mode, logScale, smoothing, height]);

  return (
    <figure className="metric-chart">
      <figcaption>
        {props.title}{' '}
        <span className="muted">
          by {xAxisLabels[mode].toLowerCase()}
          {logScale ? ' · log scale' : ''}
          {smoothing > 0 ? ` · smoothed (EMA ${smoothing.toFixed(2)})` : ''}
        </span>
      </figcaption>
      <div
        ref={holder}
        className="metric-chart-canvas"
        role="img"
        tabIndex={0}
        aria-label={`${props.title}: line chart by ${mode === 'step' ? 'step' : mode === 'wall' ? 'wall time' : 'time since start'}. Drag to zoom; with the keyboard, arrows pan, plus and minus zoom, 0 resets.`}
        onKeyDown={(event) => {
          if (props.onKey(event.key)) event.preventDefault();
        }}
      />
    </figure>
  );
}
