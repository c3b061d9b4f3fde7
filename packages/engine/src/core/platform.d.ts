/*
 * The few globals the core uses: web-platform APIs that Node 20, browsers and
 * VS Code's webviews all provide. Declared here, narrowly, so that the core
 * compiles without Node's or the DOM's types: anything else from either is a
 * compile error (see tsconfig.json beside this file).
 */
interface AbortSignal { readonly aborted: boolean }
declare const performance: { now(): number };
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare const crypto: { readonly subtle: { digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer> } };
