/**
 * The loss chart: the total and each term (content, style, TV) over the
 * steps, each scaled to its own peak on a log axis, so the terms' very
 * different sizes share one plot and a rising content term (the photo giving
 * way to paint, as it should) is not read as failure. Drawn on a <canvas> in
 * the theme's colours; `lossSummary` is its text alternative.
 */
import * as l10n from '@vscode/l10n';

export type LossRow = [step: number, content: number, style: number, tv: number, total: number];

/**
 * Index into a LossRow, its name (a CSS class), its legend label and the theme variable of its colour; the total is
 * drawn thickest.
 */
export const SERIES = [
  { index: 4, name: 'total', label: () => l10n.t('total'), color: '--vscode-foreground', width: 2.5 },
  { index: 1, name: 'content', label: () => l10n.t('content'), color: '--vscode-charts-blue', width: 1.5 },
  { index: 2, name: 'style', label: () => l10n.t('style'), color: '--vscode-charts-orange', width: 1.5 },
  { index: 3, name: 'TV', label: () => l10n.t({ message: 'TV', comment: ['total variation, the loss term that smooths the picture'] }), color: '--vscode-charts-green', width: 1.5 },
] as const;

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

/** Powers of ten spanning [min, max], at most ~6 of them. */
export function logTicks(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const stride = Math.max(1, Math.ceil((hi - lo) / 6));
  const ticks: number[] = [];
  // The last tick is at or above the largest value, so no line leaves the plot.
  for (let e = lo; ; e += stride) {
    ticks.push(e);
    if (e >= hi) break;
  }
  return ticks;
}

const positive = (v: number) => v > 0 && Number.isFinite(v);

/** Each series divided by its own peak (so in (0, 1]); a term that is never positive (e.g. TV off) is left out. */
type Series = { name: string; color: string; width: number; points: Array<[number, number]> };

export function normalised(rows: LossRow[]): Series[] {
  return SERIES.flatMap((s) => {
    const peak = Math.max(0, ...rows.map((r) => r[s.index]).filter(positive));
    if (!peak) return [];
    const points = rows.filter((r) => positive(r[s.index])).map((r): [number, number] => [r[0], r[s.index] / peak]);
    return [{ name: s.name, color: s.color, width: s.width, points }];
  });
}

const percent = (v: number) => `${Number((v * 100).toPrecision(2))}%`;

/** The chart in a sentence or two, for screen readers and as its caption. */
export function lossSummary(rows: LossRow[]): string {
  if (!rows.length) return l10n.t('No loss yet: it appears after the first iteration.');
  const first = rows[0], last = rows[rows.length - 1];
  type Says = (percentOfStart: string) => string;
  const change = (i: number, rose: Says, fell: Says) => {
    if (!positive(first[i]) || !positive(last[i])) return '';
    return (last[i] > first[i] ? rose : fell)(percent(last[i] / first[i]));
  };
  // Whole sentences per term and direction, so a translation can put the words in its own order.
  const parts = [
    change(4, (p) => l10n.t('the total rose to {0} of its start', p), (p) => l10n.t('the total fell to {0} of its start', p)),
    change(2, (p) => l10n.t('style rose to {0} of its start', p), (p) => l10n.t('style fell to {0} of its start', p)),
    change(1, (p) => l10n.t('content rose to {0} of its start', p), (p) => l10n.t('content fell to {0} of its start', p)),
    change(3, (p) => l10n.t('TV rose to {0} of its start', p), (p) => l10n.t('TV fell to {0} of its start', p)),
  ].filter(Boolean);
  return l10n.t('Step {0} to {1}: {2}.', first[0], last[0], parts.join('; '));
}

interface Plot {
  ctx: CanvasRenderingContext2D; left: number; top: number; w: number; h: number;
  x: (step: number) => number; y: (v: number) => number;
}

type Canvas = { ctx: CanvasRenderingContext2D; width: number; height: number };

function prepare(canvas: HTMLCanvasElement): Canvas | undefined {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth, height = canvas.clientHeight;
  if (!width || !height) return undefined;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const ctx = canvas.getContext('2d');
  if (!ctx) return undefined;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.font = `11px ${cssVar('--vscode-font-family', 'sans-serif')}`;
  return { ctx, width, height };
}

function drawAxes(p: Plot, ticks: number[], xMax: number): void {
  const { ctx } = p;
  // charts-lines is the theme's own grid colour: it stays apart from the series in high contrast too.
  ctx.strokeStyle = cssVar('--vscode-charts-lines', 'rgba(128,128,128,0.35)');
  ctx.fillStyle = cssVar('--vscode-descriptionForeground', '#888');
  ctx.lineWidth = 1;
  ctx.setLineDash([2, 3]);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const e of ticks) {
    const yy = Math.round(p.y(10 ** e)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(p.left, yy);
    ctx.lineTo(p.left + p.w, yy);
    ctx.stroke();
    ctx.fillText(percent(10 ** e), p.left - 6, yy);
  }
  ctx.setLineDash([]);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillText('1', p.x(1), p.top + p.h + 4);
  ctx.fillText(String(xMax), p.x(xMax), p.top + p.h + 4);
  ctx.fillText(l10n.t('step'), p.left + p.w / 2, p.top + p.h + 4);
}

function drawSeries(p: Plot, series: ReturnType<typeof normalised>): void {
  const { ctx } = p;
  for (const s of series) {
    ctx.strokeStyle = cssVar(s.color, '#888');
    ctx.lineWidth = s.width;
    ctx.beginPath();
    s.points.forEach(([step, v], i) => (i ? ctx.lineTo(p.x(step), p.y(v)) : ctx.moveTo(p.x(step), p.y(v))));
    if (s.points.length === 1) ctx.arc(p.x(s.points[0][0]), p.y(s.points[0][1]), 1.5, 0, Math.PI * 2);
    ctx.stroke();
  }
}

export function drawLossChart(canvas: HTMLCanvasElement, rows: LossRow[], totalSteps: number): void {
  const surface = prepare(canvas);
  if (!surface) return;
  const { ctx, width, height } = surface;
  const left = 44, top = 8, w = width - left - 8, h = height - top - 20;
  const series = normalised(rows);
  if (!series.length || w <= 0 || h <= 0) {
    ctx.fillStyle = cssVar('--vscode-descriptionForeground', '#888');
    ctx.fillText(l10n.t('The loss appears here after the first iteration.'), left, top + h / 2);
    return;
  }
  const ticks = logTicks(Math.min(...series.flatMap((s) => s.points.map((pt) => pt[1]))), 1);
  const yLo = ticks[0], yHi = Math.max(ticks[ticks.length - 1], yLo + 1);
  const xMax = Math.max(totalSteps, rows[rows.length - 1][0], 2);
  const x = (step: number) => left + ((step - 1) / (xMax - 1)) * w;
  const y = (v: number) => top + (1 - (Math.log10(v) - yLo) / (yHi - yLo)) * h;
  const plot = { ctx, left, top, w, h, x, y };
  drawAxes(plot, ticks, xMax);
  drawSeries(plot, series);
}
