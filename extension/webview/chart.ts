/**
 * The loss chart: one line per term (content, style, TV) over the steps, on a
 * log scale, drawn on a <canvas> in the theme's chart colours.
 */
export type LossRow = [step: number, content: number, style: number, tv: number];

export const SERIES = [
  { index: 1, name: 'content', color: '--vscode-charts-blue' },
  { index: 2, name: 'style', color: '--vscode-charts-orange' },
  { index: 3, name: 'TV', color: '--vscode-charts-green' },
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

export function drawLossChart(canvas: HTMLCanvasElement, rows: LossRow[], totalSteps: number): void {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (!width || !height) return;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const font = cssVar('--vscode-font-family', 'sans-serif');
  const fg = cssVar('--vscode-descriptionForeground', '#888');
  const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.35)');
  ctx.font = `11px ${font}`;
  const left = 44, right = 8, top = 8, bottom = 20;
  const plotW = width - left - right, plotH = height - top - bottom;
  const values = rows.flatMap((r) => [r[1], r[2], r[3]]).filter((v) => v > 0 && Number.isFinite(v));
  if (!values.length || plotW <= 0 || plotH <= 0) {
    ctx.fillStyle = fg;
    ctx.fillText('The loss appears here after the first iteration.', left, top + plotH / 2);
    return;
  }
  const ticks = logTicks(Math.min(...values), Math.max(...values));
  const yLo = ticks[0], yHi = Math.max(ticks[ticks.length - 1], yLo + 1);
  const xMax = Math.max(totalSteps, rows[rows.length - 1][0], 2);
  const x = (step: number) => left + ((step - 1) / (xMax - 1)) * plotW;
  const y = (v: number) => top + (1 - (Math.log10(v) - yLo) / (yHi - yLo)) * plotH;

  ctx.strokeStyle = grid;
  ctx.fillStyle = fg;
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const e of ticks) {
    const yy = Math.round(y(10 ** e)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(left, yy);
    ctx.lineTo(left + plotW, yy);
    ctx.stroke();
    ctx.fillText(`1e${e}`, left - 6, yy);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillText('1', x(1), top + plotH + 4);
  ctx.fillText(String(xMax), x(xMax), top + plotH + 4);
  ctx.fillText('step', left + plotW / 2, top + plotH + 4);

  for (const s of SERIES) {
    ctx.strokeStyle = cssVar(s.color, '#888');
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let started = false;
    for (const r of rows) {
      const v = r[s.index];
      if (!(v > 0)) continue;
      if (started) ctx.lineTo(x(r[0]), y(v));
      else ctx.moveTo(x(r[0]), y(v));
      started = true;
    }
    if (rows.length === 1 && started) ctx.arc(x(rows[0][0]), y(rows[0][s.index]), 1.5, 0, Math.PI * 2);
    ctx.stroke();
  }
}
