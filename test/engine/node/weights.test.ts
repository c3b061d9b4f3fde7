import { expect } from 'chai';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { BUNDLED_WEIGHTS_DIR, loadWeightFiles, verifyWeightFiles } from '../../../packages/engine/src/index';
import { CancelledError } from '../../../packages/engine/src/core/errors';
import { cacheEntryOf, removeCacheDebris } from '../../../packages/engine/src/node/weights-cache';
import { giveAway, ROOT, tempDir, tinyDisk, UNPRIVILEGED } from '../helpers';

function copyWeights(): string {
  const dir = tempDir('ns-weights-');
  for (const f of fs.readdirSync(BUNDLED_WEIGHTS_DIR)) fs.copyFileSync(path.join(BUNDLED_WEIGHTS_DIR, f),
    path.join(dir, f));
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

  it('what a writer killed mid-write left in the cache is removed by the next load; a live writer\'s is kept', async () => {
    const cache = tempDir('ns-cache-debris-');
    const weights = path.join(cache, 'weights');
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const entries = { dead: `0123456789abcdef.partial-${dead}-Ab3dE9`, live: `0123456789abcdef.partial-${process.pid}-x1Y2z3`,
      old: 'fedcba9876543210.partial-QwErTy', fresh: 'fedcba9876543210.partial-AsDfGh', entry: '0123456789abcdef', other: 'notes.partial-123-abcdef' };
    for (const name of Object.values(entries)) {
      fs.mkdirSync(path.join(weights, name), { recursive: true });
      fs.writeFileSync(path.join(weights, name, 'group1-shard1of10.bin'), Buffer.alloc(1000));
    }
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    fs.utimesSync(path.join(weights, entries.old), twoHoursAgo, twoHoursAgo);
    process.env.NEURAL_STYLE_CACHE = cache;
    try {
      await loadWeightFiles(); // the bundled weights: any load cleans
    } finally {
      delete process.env.NEURAL_STYLE_CACHE;
    }
    expect(fs.readdirSync(weights).sort()).to.deep.equal([entries.live, entries.fresh, entries.entry,
      entries.other].sort());
    expect(removeCacheDebris(weights)).to.deep.equal([]);
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
        if (req.url === '/to-credentials/model.json') { res.writeHead(302, { location: `http://ana:hunter2@127.0.0.1:${(server.address() as AddressInfo).port}/vgg19/model.json` }).end(); return; }
        // A server that sends the first shard's first bytes and then nothing.
        if (req.url === '/slow/model.json') { res.writeHead(200).end(fs.readFileSync(path.join(BUNDLED_WEIGHTS_DIR, 'model.json'))); return; }
        if (req.url!.startsWith('/slow/group1-shard')) { res.writeHead(200, { 'content-length': 4_000_000 }).write(Buffer.alloc(1000)); return; }
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
      server.closeAllConnections();
      server.close();
      delete process.env.NEURAL_STYLE_CACHE;
    });

    it('downloads once into the cache with progress, verified, then loads from the cache', async () => {
      const progress: number[] = [];
      const files = await loadWeightFiles(`${base}/vgg19/model.json`, { onProgress: (p) => progress.push(p.receivedBytes) });
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

    it('a URL with a user name or password is refused, and no message shows them', async () => {
      for (const url of [`http://ana:hunter2@127.0.0.1:1/vgg19/model.json`, 'https://:hunter2@example.com/model.json', `${base}/to-credentials/model.json`]) {
        const message = (await loadError(url)).message;
        expect(message, url).to.match(/^Refusing to download http.*: a user name or password in the URL is not supported/);
        expect(message, url).to.not.match(/hunter2|ana:/);
      }
    });

    it('cancel stops a download at once: a CancelledError, nothing cached', async () => {
      const abort = new AbortController();
      let received = 0;
      const loading = loadWeightFiles(`${base}/slow/model.json`, { signal: abort.signal, onProgress: (p) => { received = p.receivedBytes; } });
      while (received === 0) await new Promise((r) => setTimeout(r, 10));
      const asked = performance.now();
      abort.abort();
      expect(await loading.catch((e) => e)).to.be.instanceOf(CancelledError);
      expect(performance.now() - asked).to.be.below(500);
      expect(cacheEntries().filter((e) => e.includes('partial'))).to.deep.equal([]);
    });

    // Not a folder, full, read-only, no permission: each is a warning naming the cache, and the run has its weights.
    async function withCache(where: string): Promise<string[]> {
      const warnings: string[] = [];
      process.env.NEURAL_STYLE_CACHE = where;
      try {
        await verifyWeightFiles(await loadWeightFiles(`${base}/vgg19/model.json`, { onWarning: (w) => warnings.push(w) }));
      } finally {
        process.env.NEURAL_STYLE_CACHE = cache;
      }
      return warnings;
    }
    const cacheWarning = (dir: string, why: string) => `Cannot keep the downloaded weights in the cache ${dir} (${why}): this run uses them from memory, and the next downloads them again. Free the cache, or set NEURAL_STYLE_CACHE to a writable folder.`;
    const entryName = (where: string) => {
      process.env.NEURAL_STYLE_CACHE = where;
      const entry = cacheEntryOf(`${base}/vgg19/model.json`);
      process.env.NEURAL_STYLE_CACHE = cache;
      return entry;
    };

    it('a cache that is a file: a warning, and the weights from memory', async () => {
      const file = path.join(tempDir('ns-cache-file-'), 'cache');
      fs.writeFileSync(file, 'not a folder');
      expect(await withCache(file)).to.deep.equal([cacheWarning(entryName(file), 'a part of its path is a file, not a folder')]);
      expect(fs.readFileSync(file, 'utf8')).to.equal('not a folder');
    });

    for (const [what, options, why] of [['full', 'size=2m', 'the disk is full'], ['read-only', 'ro,size=1m', 'it is on a read-only file system']]) {
      it(`a ${what} cache: a warning, the weights from memory, nothing left behind`, async function () {
        const disk = tinyDisk(options);
        if ('skip' in disk) {
          console.log(`      skipped: ${disk.skip}`);
          this.skip();
        }
        try {
          expect(await withCache(disk.dir)).to.deep.equal([cacheWarning(entryName(disk.dir), why)]);
          expect(fs.readdirSync(disk.dir).flatMap((d) => fs.readdirSync(path.join(disk.dir, d)))).to.deep.equal([]);
        } finally {
          disk.unmount();
        }
      });
    }

    it('a cache we may not write to: a warning, the weights from memory (as an unprivileged user)', async () => {
      const locked = tempDir('ns-cache-locked-');
      fs.chmodSync(locked, 0o555);
      giveAway(locked);
      const script = `require('./packages/engine/src/node/weights-source').loadWeightFiles(${JSON.stringify(`${base}/vgg19/model.json`)}, { onWarning: (w) => console.log(w) })
        .then((files) => console.log(files.shards.size + ' shards'))`;
      const child = spawn(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: ROOT, env: { ...process.env, NEURAL_STYLE_CACHE: locked }, ...UNPRIVILEGED });
      let out = '';
      child.stdout.on('data', (d) => { out += d; });
      child.stderr.on('data', (d) => { out += d; });
      await new Promise((resolve) => child.on('exit', resolve));
      expect(out.trim().split('\n')).to.deep.equal([cacheWarning(entryName(locked), 'no permission to write there'), '10 shards']);
    });

    it('a file:// URL of the folder or its model.json loads it; another machine\'s, or another scheme, is refused by name', async () => {
      await verifyWeightFiles(await loadWeightFiles(`file://${BUNDLED_WEIGHTS_DIR}`));
      await verifyWeightFiles(await loadWeightFiles(`FILE://${BUNDLED_WEIGHTS_DIR}/model.json`));
      expect((await loadError('file://server/share/model.json')).message).to.match(/^Invalid weights URL file:\/\/server\/share\/model\.json: .*host.*Give a file:\/\/ URL of a folder on this machine/);
      expect((await loadError('file:///nowhere/weights')).message).to.equal('Weights folder file:///nowhere/weights does not exist. Give a folder with model.json, or an https URL of a model.json.');
      for (const url of ['ftp://example.com/model.json', 's3://bucket/model.json', 'git+ssh://x@example.com/w/model.json']) {
        expect((await loadError(url)).message, url).to.match(/^Refusing weights .*: [a-z\d+]+: URLs are not supported\. Give a folder, its model\.json, a file:\/\/ URL/);
      }
    });

    it('a URL that is not there gives the HTTP status', async () => {
      expect((await loadError(`${base}/nothing/model.json`)).message).to.match(/Cannot download http:\/\/127\.0\.0\.1:\d+\/nothing\/model\.json: HTTP 404/);
    });
  });
});
