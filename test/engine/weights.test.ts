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

/** Shard names a hostile manifest might use to reach outside its folder. */
const TRAVERSALS = ['../../../escaped.txt', '..\\..\\escaped.txt', '/tmp/escaped.txt', 'sub/../../escaped.txt', '..', '.hidden', 'SHA256SUMS', '%2e%2e%2fescaped.txt', ''];

function evilManifest(shard: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(BUNDLED_WEIGHTS_DIR, 'model.json'), 'utf8'));
  manifest.weightsManifest[0].paths[0] = shard;
  return JSON.stringify(manifest);
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
    expect((await loadError(dir)).message).to.match(/^Weight file group1-shard10of10\.bin in .*: the group holds \d+ bytes; the manifest needs \d+\. It is truncated/);
    // A shard in the middle is found the same way.
    fs.copyFileSync(path.join(BUNDLED_WEIGHTS_DIR, 'group1-shard10of10.bin'), shard);
    const middle = path.join(dir, 'group1-shard4of10.bin');
    fs.writeFileSync(middle, fs.readFileSync(middle).subarray(0, 5000));
    expect((await loadError(dir)).message).to.match(/^Weight file group1-shard4of10\.bin in /);
  });

  it('a SHA256SUMS that does not parse, or leaves a shard out, is an error naming it (never verification off)', async () => {
    const dir = copyWeights();
    const shard = path.join(dir, 'group1-shard3of10.bin');
    const bytes = fs.readFileSync(shard);
    bytes[1000] ^= 0xff;
    fs.writeFileSync(shard, bytes);
    fs.writeFileSync(path.join(dir, 'SHA256SUMS'), 'garbage\n');
    expect((await loadError(dir)).message).to.equal(`${path.join(dir, 'SHA256SUMS')} line 1 is not "<sha256>  <file name>": "garbage". Reinstall or re-download the weights.`);
    fs.writeFileSync(path.join(dir, 'SHA256SUMS'), '');
    expect((await loadError(dir)).message).to.match(/SHA256SUMS lists no files/);
    const sums = fs.readFileSync(path.join(BUNDLED_WEIGHTS_DIR, 'SHA256SUMS'), 'utf8').split('\n').filter((l) => !l.includes('shard7of10')).join('\n');
    fs.writeFileSync(path.join(dir, 'SHA256SUMS'), sums);
    fs.copyFileSync(path.join(BUNDLED_WEIGHTS_DIR, 'group1-shard3of10.bin'), shard);
    expect((await loadError(dir)).message).to.match(/^SHA256SUMS in .* does not list weight file group1-shard7of10\.bin\./);
  });

  it('weights without SHA256SUMS load, marked unverified', async () => {
    const dir = copyWeights();
    expect((await loadWeightFiles(dir)).unverified).to.equal(undefined);
    fs.rmSync(path.join(dir, 'SHA256SUMS'));
    const files = await loadWeightFiles(dir);
    await verifyWeightFiles(files);
    expect(files.unverified).to.equal(`the weights in ${dir} have no SHA256SUMS`);
  });

  it('a layer whose shape differs but whose byte count matches is named before decoding', async () => {
    const dir = copyWeights();
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    const entry = manifest.weightsManifest[0].weights.find((w: { name: string }) => w.name === 'block1_conv2/kernel');
    entry.shape = [3, 3, 128, 32];
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(manifest));
    fs.rmSync(path.join(dir, 'SHA256SUMS'));
    expect((await loadError(dir)).message).to.match(/: block1_conv2\/kernel has shape \[3,3,128,32\]; VGG19 needs \[3,3,64,64\]\./);
  });

  it('a shard or model.json that is a folder, and --weights naming a file, are named', async () => {
    const dir = copyWeights();
    fs.rmSync(path.join(dir, 'group1-shard2of10.bin'));
    fs.mkdirSync(path.join(dir, 'group1-shard2of10.bin'));
    expect((await loadError(dir)).message).to.match(/^Weight file .*group1-shard2of10\.bin is not a file/);
    expect((await loadError(path.join(dir, 'group1-shard1of10.bin'))).message).to.match(/^Weights .*group1-shard1of10\.bin is a file, not a weights folder\./);
    const folder = tempDir('ns-weights-dir-');
    fs.mkdirSync(path.join(folder, 'model.json'));
    expect((await loadError(folder)).message).to.match(/^Weight file .*model\.json is not a file/);
    // model.json itself is accepted: its folder is the weights folder.
    await verifyWeightFiles(await loadWeightFiles(path.join(copyWeights(), 'model.json')));
  });

  it('a folder whose manifest names a shard outside it is refused before anything is read', async () => {
    const dir = copyWeights();
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    manifest.weightsManifest[0].paths[0] = '../outside.bin';
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(manifest));
    expect((await loadError(dir)).message).to.match(/names shard "\.\.\/outside\.bin", which is not a plain file name/);
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
        const evil = /^\/evil\/(\d+)\/model\.json$/.exec(req.url!);
        if (evil) { res.writeHead(200).end(evilManifest(TRAVERSALS[Number(evil[1])])); return; }
        if (req.url === '/moved/model.json') { res.writeHead(302, { location: 'http://example.com/x/model.json' }).end(); return; }
        if (req.url === '/loop/model.json') { res.writeHead(301, { location: '/loop/model.json' }).end(); return; }
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
    const cacheEntries = () => (fs.existsSync(path.join(cache, 'weights')) ? fs.readdirSync(path.join(cache, 'weights')).sort() : []);
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

    for (const [i, shard] of TRAVERSALS.entries()) {
      it(`a manifest naming shard ${JSON.stringify(shard)} is refused and nothing is written`, async () => {
        const outside = path.join(cache, '..', 'escaped.txt');
        const entriesBefore = cacheEntries();
        const message = (await loadError(`${base}/evil/${i}/model.json`)).message;
        expect(message).to.include('which is not a plain file name');
        expect(message).to.include(JSON.stringify(shard).slice(0, 20));
        expect(fs.existsSync(outside)).to.equal(false);
        expect(cacheEntries()).to.deep.equal(entriesBefore);
        expect(requests.filter((r) => r.startsWith('/evil/') && !r.endsWith('model.json') && !r.endsWith('SHA256SUMS'))).to.deep.equal([]);
      });
    }

    it('plain http is refused except to this machine, also after a redirect', async () => {
      expect((await loadError('http://example.com/vgg19/model.json')).message).to.match(/Refusing to download http:\/\/example\.com\/vgg19\/model\.json: plain http is allowed only to this machine/);
      expect((await loadError(`${base}/moved/model.json`)).message).to.match(/Refusing to download http:\/\/example\.com\/x\/model\.json: plain http/);
      expect((await loadError(`${base}/loop/model.json`)).message).to.match(/more than 5 redirects/);
    });

    it('a URL that is not there gives the HTTP status', async () => {
      expect((await loadError(`${base}/nothing/model.json`)).message).to.match(/Cannot download http:\/\/127\.0\.0\.1:\d+\/nothing\/model\.json: HTTP 404/);
    });
  });
});
