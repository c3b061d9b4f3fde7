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
