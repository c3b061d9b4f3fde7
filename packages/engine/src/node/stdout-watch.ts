/**
 * The CLI's standard streams when their reader has gone (`--json | head -c1`)
 * or their file takes no more (`> /dev/full`): a failed write is an 'error'
 * event, which unhandled ends Node with a stack trace. stdout's first failure
 * is kept and reported to `onFailure` (the CLI stops its job and says so);
 * stderr's are dropped, there being nowhere left to say them. The handlers
 * stay for the life of the process: a write may fail after the job's end.
 */
export interface StdoutWatch {
  /** stdout's first write failure, if any. */
  readonly failure: NodeJS.ErrnoException | null;
  /** Resolves once what was written to stdout has been written, or has failed. */
  flushed(): Promise<void>;
}

export function watchStdout(onFailure: (error: NodeJS.ErrnoException) => void): StdoutWatch {
  let failure: NodeJS.ErrnoException | null = null;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (failure) return;
    failure = e;
    onFailure(e);
  });
  process.stderr.on('error', () => undefined);
  return {
    get failure() { return failure; },
    flushed: () => new Promise((resolve) => process.stdout.write('', () => resolve())),
  };
}
