/**
 * The image process (the engine's image-worker.js, run by the engine's
 * process client like the engine process): decodes a job's images and writes
 * its result for a run that computes in a webview, so sharp never loads in the
 * extension host and the result is written by the engine's own atomic,
 * never-overwrite write. No `vscode` here.
 */
import * as l10n from '@vscode/l10n';
import { ExitWords, explainExit, ProcessClient } from '@neural-style/engine/engine-client';
import { FromImages, parseFromImages, ToImages } from '@neural-style/engine/image-protocol';
import { vscodeNode } from './nodeProcess';

type Request = Exclude<ToImages, { type: 'shutdown' }>;
/** What answers each request. */
interface Answers {
  decode: FromImages<'decoded'>;
  write: FromImages<'written'>;
  measure: FromImages<'measured'>;
  writeCheckpoint: FromImages<'checkpointWritten'>;
  readCheckpoint: FromImages<'checkpointRead'>;
}
type Answer<R extends Request> = Answers[R['type']];

export class ImageProcessError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

const WORDS: ExitWords = {
  couldNotRun: (error) => l10n.t('The image process could not run: {0}', error),
  stopped: (how) => l10n.t('The image process stopped ({0}).', how),
  signal: (name) => name,
  exitCode: (code) => l10n.t('exit code {0}', code),
};

export class ImageProcess {
  private readonly process: ProcessClient<ToImages, FromImages>;
  private readonly pending = new Map<string, { resolve(m: FromImages): void; reject(e: Error): void }>();
  private exited: Error | null = null;
  private next = 0;

  constructor(workerPath: string, private readonly log: (message: string) => void) {
    const output = (text: string) => log(text.trimEnd());
    const options = { ...vscodeNode(), onStdout: output, onStderr: output };
    this.process = new ProcessClient(workerPath, parseFromImages, options);
    this.process.onMessage((message) => this.receive(message));
    this.process.onBadMessage((why) => log(`image process: ${why}`));
    void this.process.exited.then((exit) => this.failAll(new ImageProcessError(explainExit(exit, WORDS), 'ECRASHED')));
  }

  decode(request: Omit<ToImages<'decode'>, 'type' | 'id'>): Promise<FromImages<'decoded'>> {
    return this.request({ type: 'decode', id: this.id(), ...request });
  }

  write(request: Omit<ToImages<'write'>, 'type' | 'id'>): Promise<FromImages<'written'>> {
    return this.request({ type: 'write', id: this.id(), ...request });
  }

  /** The size of an image as the engine reads it (oriented by its EXIF). */
  measure(request: Omit<ToImages<'measure'>, 'type' | 'id'>): Promise<FromImages<'measured'>> {
    return this.request({ type: 'measure', id: this.id(), ...request });
  }

  writeCheckpoint(request: Omit<ToImages<'writeCheckpoint'>, 'type' | 'id'>): Promise<FromImages<'checkpointWritten'>> {
    return this.request({ type: 'writeCheckpoint', id: this.id(), ...request });
  }

  readCheckpoint(request: Omit<ToImages<'readCheckpoint'>, 'type' | 'id'>): Promise<FromImages<'checkpointRead'>> {
    return this.request({ type: 'readCheckpoint', id: this.id(), ...request });
  }

  dispose(): void {
    void this.process.shutdown();
  }

  private id(): string {
    return `i${++this.next}`;
  }

  private request<R extends Request>(message: R): Promise<Answer<R>> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.pending.set(message.id, { resolve: resolve as (m: FromImages) => void, reject });
      this.process.send(message);
    });
  }

  private receive(message: FromImages): void {
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

/** The size of `file` as the engine reads it, from an image process of its own (ended when it answers). */
export async function measureImage(workerPath: string, file: string, maxInputPixels: number,
  log: (message: string) => void): Promise<{ width: number; height: number }> {
  const images = new ImageProcess(workerPath, log);
  try {
    const { width, height } = await images.measure({ file, maxInputPixels });
    return { width, height };
  } finally {
    images.dispose();
  }
}
