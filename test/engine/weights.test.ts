import { expect } from 'chai';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { BUNDLED_WEIGHTS_DIR, loadWeightFiles, verifyWeightFiles } from '../../packages/engine/src/index';
import { tempDir } from './helpers';

function copyWeights(): string {
  const dir = tempDir('ns-weights-');
  for (const f of fs.readdirSync(BUNDLED_WEIGHTS_DIR)) fs.copyFileSync(path.join(BUNDLED_WEIGHTS_DIR, f), path.join(dir, f));
  return dir;
}

async function loadError(location: string): Promise<Error> {
  const error = await loadWeightFiles(location).then(verifyWeightFiles).then(() => null, (e) => e);
  expect(error, 'expected an error').to.be.instanceOf(Error);
  return error;
}

describe('VGG19 weights', () => {
  it('the bundled weights pass their sha256 and size checks', async () => {
    const files = await loadWeightFiles();
    expect(Object.keys(files.sha256!)).to.have.length(10);
    await verifyWeightFiles(files);
  });

  it('a corrupt shard is named in the error', async () => {
    const dir = copyWeights();
    const shard = path.join(dir, 'group1-shard3of10.bin');
    const bytes = fs.readFileSync(shard);
    bytes[1000] ^= 0xff;
    fs.writeFileSync(shard, bytes);
    expect((await loadError(dir)).message).to.match(/Weight file group1-shard3of10\.bin in .* is corrupt: sha256 [0-9a-f]{64}, expected 85789c44/);
  });

  it('a missing shard or manifest is named in the error', async () => {
    const dir = copyWeights();
    fs.rmSync(path.join(dir, 'group1-shard7of10.bin'));
    expect((await loadError(dir)).message).to.match(/Weight file .*group1-shard7of10\.bin is missing/);
    fs.rmSync(path.join(dir, 'model.json'));
    expect((await loadError(dir)).message).to.match(/Weight file .*model\.json is missing/);
    expect((await loadError('/nonexistent/weights')).message).to.match(/Weights folder \/nonexistent\/weights does not exist/);
  });

  it('a truncated shard is caught by its size even without SHA256SUMS', async () => {
    const dir = copyWeights();
    fs.rmSync(path.join(dir, 'SHA256SUMS'));
    const shard = path.join(dir, 'group1-shard10of10.bin');
    fs.writeFileSync(shard, fs.readFileSync(shard).subarray(0, 100));
    expect((await loadError(dir)).message).to.match(/hold \d+ bytes; the manifest needs \d+\. A shard is truncated/);
  });

  describe('from a URL (a server on 127.0.0.1)', () => {
    let server: http.Server;
    let base: string;
    let requests: string[];
    let cache: string;

    before(async () => {
      requests = [];
      server = http.createServer((req, res) => {
        requests.push(req.url!);
        const file = path.join(BUNDLED_WEIGHTS_DIR, path.basename(req.url!));
        if (!req.url!.startsWith('/vgg19/') || !fs.existsSync(file)) { res.writeHead(404).end(); return; }
        const body = fs.readFileSync(file);
        res.writeHead(200, { 'content-length': body.length }).end(body);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      cache = tempDir('ns-cache-');
      process.env.NEURAL_STYLE_CACHE = cache;
    });
    after(() => {
      server.close();
      delete process.env.NEURAL_STYLE_CACHE;
    });

    it('downloads once into the cache with progress, verified, then loads from the cache', async () => {
      const progress: number[] = [];
      const files = await loadWeightFiles(`${base}/vgg19/model.json`, (p) => progress.push(p.receivedBytes));
      await verifyWeightFiles(files);
      expect(progress.length).to.be.at.least(10);
      expect(requests).to.include('/vgg19/SHA256SUMS');
      const downloaded = requests.length;
      expect(downloaded).to.equal(12); // model.json, SHA256SUMS, 10 shards
      const [entry] = fs.readdirSync(path.join(cache, 'weights')).map((e) => path.join('weights', e));
      expect(fs.readdirSync(path.join(cache, entry)).sort()).to.include.members(['model.json', 'SHA256SUMS', 'group1-shard1of10.bin']);
      await verifyWeightFiles(await loadWeightFiles(`${base}/vgg19/model.json`));
      expect(requests.length, 'second load served from the cache').to.equal(downloaded);
      // A corrupted cache is noticed on the next load.
      const cached = path.join(cache, entry, 'group1-shard2of10.bin');
      const bytes = fs.readFileSync(cached);
      bytes[0] ^= 1;
      fs.writeFileSync(cached, bytes);
      expect((await loadError(`${base}/vgg19/model.json`)).message).to.match(/group1-shard2of10\.bin .* is corrupt/);
    });

    it('a URL that is not there gives the HTTP status', async () => {
      expect((await loadError(`${base}/nothing/model.json`)).message).to.match(/Cannot download http:\/\/127\.0\.0\.1:\d+\/nothing\/model\.json: HTTP 404/);
    });
  });
});
