/**
 * The small base every long-lived host object stands on (after
 * vscode-extension-samples' dispose.ts): what it registers is disposed with
 * it, in reverse order, once. Pure: no `vscode`, so the unit tests use it too.
 */
export interface DisposableLike {
  dispose(): unknown;
}

export function disposeAll(disposables: DisposableLike[]): void {
  while (disposables.length) disposables.pop()?.dispose();
}

export abstract class Disposable implements DisposableLike {
  private disposed = false;
  private readonly disposables: DisposableLike[] = [];

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeAll(this.disposables);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Disposes `value` with this object (at once, when this one is already disposed). */
  protected register<T extends DisposableLike>(value: T): T {
    if (this.disposed) value.dispose();
    else this.disposables.push(value);
    return value;
  }
}
