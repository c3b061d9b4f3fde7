/**
 * The results Neural Style made that are in the workspace, so that the
 * explorer offers "Stylize Again with Its Parameters" and "Open in Neural
 * Style Panel" on them only (a photo has no parameters to read). Kept from a
 * scan at activation and the file watcher's news. Pure: no `vscode`; the
 * caller publishes `list()` as a context key.
 */
import { isResultFileAsync } from './resultFiles';

export class ResultPaths {
  /** By path, the key the caller publishes for each (the resource's URI string). */
  private readonly known = new Map<string, string>();

  constructor(private readonly isResult: (file: string) => Promise<boolean> = isResultFileAsync) {}

  /** Looks at `file` (new or changed); true when the list changed. */
  async consider(file: string, key: string): Promise<boolean> {
    const result = await this.isResult(file);
    if (result === this.known.has(file)) return false;
    if (result) this.known.set(file, key);
    else this.known.delete(file);
    return true;
  }

  /** `file` is gone; true when it was a result. */
  forget(file: string): boolean {
    return this.known.delete(file);
  }

  has(file: string): boolean {
    return this.known.has(file);
  }

  /** The keys of the results, for the `in` operator of a when clause. */
  list(): string[] {
    return [...this.known.values()].sort();
  }
}
