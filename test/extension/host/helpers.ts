/** What the integration suites share. */

/** Polls `find` every 50 ms until it returns a value; rejects, naming `what`, after `timeoutMs`. */
export function waitFor<T>(what: string, find: () => T | undefined, timeoutMs: number): Promise<T> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      const found = find();
      if (found !== undefined) return resolve(found);
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      setTimeout(tick, 50);
    };
    tick();
  });
}
