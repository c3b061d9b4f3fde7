/**
 * The image process (the engine's image-worker.js, forked like the engine
 * process): decodes a job's images and writes its result for a run that
 * computes in a webview, so sharp never loads in the extension host and the
 * result is written by the engine's own atomic, never-overwrite write.
 * No `vscode` here.
 */
import * as l10n from '@vscode/l10n';
import { ChildProcess } from 'child_process';
import { FromImages, parseFromImages, ToImages } from '@neural-style/engine/image-protocol';
import { forkNode } from './nodeProcess';

type Request = ToImages<'decode'> | ToImages<'write'>;
type Answer<R extends Request> = R extends ToImages<'decode'> ? FromImages<'decoded'> : FromImages<'written'>;

export class ImageProcessError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

export class ImageProcess {
  private readonly child: ChildProcess;
  private readonly pending = new Map<string, { resolve(m: FromImages): void; reject(e: Error): void }>();
  private exited: Error | null = null;
  private next = 0;

  constructor(workerPath: string, private readonly log: (message: string) => void) {
    this.child = forkNode(workerPath);
    this.child.stdout?.on('data', (text: string) => log(text.trimEnd()));
    this.child.stderr?.on('data', (text: string) => log(text.trimEnd()));
    this.child.on('message', (raw) => this.receive(raw));
    this.child.on('exit', (code, signal) => this.failAll(new ImageProcessError(l10n.t('The image process stopped ({0}).', signal ?? l10n.t('exit code {0}', String(code))), 'ECRASHED')));
    this.child.on('error', (e) => this.failAll(new ImageProcessError(l10n.t('The image process could not run: {0}', e.message), 'ECRASHED')));
  }

  decode(request: Omit<ToImages<'decode'>, 'type' | 'id'>): Promise<FromImages<'decoded'>> {
    return this.request({ type: 'decode', id: this.id(), ...request });
  }

  write(request: Omit<ToImages<'write'>, 'type' | 'id'>): Promise<FromImages<'written'>> {
    return this.request({ type: 'write', id: this.id(), ...request });
  }

  dispose(): void {
    if (this.child.connected) this.child.send({ type: 'shutdown' } satisfies ToImages);
    setTimeout(() => this.child.kill('SIGKILL'), 2000).unref();
  }

  private id(): string {
    return `i${++this.next}`;
  }

  private request<R extends Request>(message: R): Promise<Answer<R>> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.pending.set(message.id, { resolve: resolve as (m: FromImages) => void, reject });
      this.child.send(message);
    });
  }

  private receive(raw: unknown): void {
    let message: FromImages;
    try {
      message = parseFromImages(raw);
    } catch (e) {
      this.log(`image process: ${(e as Error).message}`);
      return;
    }
    if (message.type === 'ready') return;
    const waiting = message.id === undefined ? undefined : this.pending.get(message.id);
    if (!waiting) {
      if (message.type === 'error') this.log(`image process: ${message.message}`);
      return;
    }
    this.pending.delete(message.id!);
    if (message.type === 'error') waiting.reject(new ImageProcessError(message.message, message.code));
    else waiting.resolve(message);
  }

  private failAll(error: Error): void {
    this.exited ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
