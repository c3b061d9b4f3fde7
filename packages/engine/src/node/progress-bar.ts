/** A one-line progress bar for a TTY, redrawn in place. */
export class ProgressBar {
  constructor(private readonly stream: NodeJS.WriteStream, private readonly width = 24) {}

  update(fraction: number, text: string): void {
    const filled = Math.round(Math.min(1, Math.max(0, fraction)) * this.width);
    const line = `[${'█'.repeat(filled)}${'░'.repeat(this.width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${text}`;
    const columns = this.stream.columns ?? 120;
    this.stream.write(`\r${line.slice(0, columns - 1)}\x1b[K`);
  }

  done(): void {
    this.stream.write('\n');
  }
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
