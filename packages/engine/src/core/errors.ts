/** The engine's two kinds of expected failure; anything else is a bug. */

/**
 * A bad option or input, or a limit reached: its message says what was wrong and what to do. `code` is for programs.
 */
export class NeuralStyleError extends Error {
  constructor(message: string, readonly code: string = 'EINVAL') {
    super(message);
    this.name = 'NeuralStyleError';
  }
}

/** A run stopped by its AbortSignal; nothing was written. */
export class CancelledError extends Error {
  constructor() {
    super('Stylization cancelled.');
    this.name = 'AbortError';
  }
}
