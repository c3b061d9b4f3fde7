/**
 * The weights a webview run fetches: a weights folder's model.json and
 * shards as webview URIs, each with its sha256 from the folder's SHA256SUMS
 * (the webview checks every shard against it; one without is refused there).
 * Reads two small text files; the shards themselves never pass the host.
 */
import * as l10n from '@vscode/l10n';
import * as fs from 'fs';
import * as path from 'path';
import { NeuralStyleError } from '@neural-style/engine/options';
import type { ToCompute } from '../shared/protocol';

export type WebviewWeights = (ToCompute & { type: 'compute' })['weights'];

/** `SHA256SUMS` as sha256sum writes it: 64 hex digits, spaces (and a `*` in binary mode), a plain file name. */
export function parseSums(text: string): Array<{ name: string; sha256: string }> {
  return text.split('\n').flatMap((line) => {
    const m = /^([0-9a-fA-F]{64})\s+\*?([A-Za-z0-9_][A-Za-z0-9._-]*)$/.exec(line.trim());
    return m ? [{ name: m[2], sha256: m[1].toLowerCase() }] : [];
  });
}

/** The weights in `dir` for a webview; `uri` turns a file into its webview URI (asWebviewUri). */
export function webviewWeights(dir: string, uri: (file: string) => string): WebviewWeights {
  const manifest = path.join(dir, 'model.json');
  const sums = path.join(dir, 'SHA256SUMS');
  if (!fs.existsSync(manifest)) throw new NeuralStyleError(l10n.t('Weight file {0} is missing. Point {1} at a folder with model.json and its shards.', manifest, 'neuralStyle.weightsPath'), 'EWEIGHTS');
  if (!fs.existsSync(sums)) {
    throw new NeuralStyleError(l10n.t('The weights folder {0} has no SHA256SUMS: a GPU run checks every shard by its sha256. Add one ({1}) or set {2} to wasm.', dir, 'sha256sum *.bin > SHA256SUMS', 'neuralStyle.backend'), 'EWEIGHTS');
  }
  const shards = parseSums(fs.readFileSync(sums, 'utf8')).map(({ name, sha256 }) => ({ name, sha256, url: uri(path.join(dir, name)) }));
  if (shards.length === 0) throw new NeuralStyleError(l10n.t('{0} lists no shard.', sums), 'EWEIGHTS');
  return { manifestUrl: uri(manifest), shards };
}
