/**
 * How the extension runs the engine package's processes: with VS Code's own
 * runtime, Electron's executable made to behave as plain Node
 * (ELECTRON_RUN_AS_NODE), so no Node need be installed. The rest (no shell,
 * output read as UTF-8) is the engine client's (process-client.ts).
 */
import type { ProcessOptions } from '@neural-style/engine/engine-client';

export function vscodeNode(): ProcessOptions {
  return { execPath: process.execPath, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } };
}
