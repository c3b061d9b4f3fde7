/**
 * The `@neural-style/engine/core` entry: the core (index.ts) and, while
 * extension/webview/compute/bench.ts still reads it here, the bench kit, whose
 * entry is `@neural-style/engine/bench` (issue 22). Once that import moves,
 * this file goes and /core is index.ts again.
 */
export * from './index';
export { randomImage, matMulCeiling } from './bench-kit';
