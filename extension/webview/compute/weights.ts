/**
 * The VGG19 weights in the webview: fetched from the webview URIs the host
 * gave (asWebviewUri of the bundled folder), each shard checked against the
 * sha256 the host read from SHA256SUMS, by the core's own verifyWeightFiles.
 */
import * as l10n from '@vscode/l10n';
import { NeuralStyleError, parseManifest, verifyWeightFiles, type WeightFiles } from '@neural-style/engine/core';
import type { ToCompute } from '../../shared/protocol';

type WeightsMessage = (ToCompute & { type: 'compute' })['weights'];

async function fetchOk(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new NeuralStyleError(l10n.t('Could not fetch the weights ({0}): {1}.', url, (e as Error).message), 'EWEIGHTS');
  }
  if (!response.ok) throw new NeuralStyleError(l10n.t('Could not fetch the weights ({0}): HTTP {1}.', url, response.status), 'EWEIGHTS');
  return response;
}

export async function fetchWeightFiles(weights: WeightsMessage): Promise<WeightFiles> {
  const manifest = parseManifest(await (await fetchOk(weights.manifestUrl)).text(), weights.manifestUrl);
  const given = new Map(weights.shards.map((s) => [s.name, s]));
  const shards = new Map<string, Uint8Array>();
  const sha256: Record<string, string> = {};
  for (const name of manifest.weightsManifest.flatMap((g) => g.paths)) {
    const shard = given.get(name);
    // Every shard is checked: one without a recorded hash is refused, not loaded unchecked.
    if (!shard) throw new NeuralStyleError(l10n.t('Weight file {0} has no sha256 in the weights folder\'s SHA256SUMS; refusing to load it unchecked.', name), 'EWEIGHTS');
    shards.set(name, new Uint8Array(await (await fetchOk(shard.url)).arrayBuffer()));
    sha256[name] = shard.sha256;
  }
  const files: WeightFiles = { manifest, shards, sha256, origin: weights.manifestUrl.replace(/model\.json$/, '') };
  await verifyWeightFiles(files);
  return files;
}
