import * as assert from 'assert';
import { decodePixels, encodePixels } from '@neural-style/engine/image-protocol';
import { parseFromEngine, parseToEngine, ProtocolError } from '@neural-style/engine/protocol';
import { PanelState, parseFromWebview, parsePanelState, parseToWebview, ProgressView } from '../../../extension/shared/protocol';
import { applyMessage, MAX_LOSS_POINTS, nextRunState, restoredState } from '../../../extension/shared/state';

const job = {
  id: 'ns-1', contentName: 'cat.png', styleName: 'The Starry Night', contentSrc: 'x', styleSrc: 'y', contentPath: '/ws/cat.png',
  stylePath: '/s/starry.jpg', outputPath: '/ws/cat.starry.png', size: 64, iterations: 4, status: 'running' as const,
};
const state: PanelState = { job, losses: [] };
const progress = (step: number): ProgressView => ({
  step, totalSteps: 4, scale: 1, scales: 1, iteration: step, iterations: 4, width: 64, height: 43,
  losses: { content: 1, style: 2, tv: 3, total: 6 }, elapsedMs: 10, etaMs: 20, fraction: 0.3, backend: 'wasm',
});

describe('webview → host messages', () => {
  it('accepts each message of the protocol', () => {
    for (const type of ['cancel', 'open', 'reveal', 'showLog']) assert.deepStrictEqual(parseFromWebview({ type }), { type });
    assert.deepStrictEqual(parseFromWebview({ type: 'ready', generation: 2 }), { type: 'ready', generation: 2 });
    assert.throws(() => parseFromWebview({ type: 'ready' }), /generation/);
  });

  it('rejects unknown types, non-objects and extra fields', () => {
    assert.throws(() => parseFromWebview({ type: 'runCommand', command: 'rm' }), /^ProtocolError: Not a message from the webview: \{"type":"runCommand","command":"rm"\}\.$/);
    assert.throws(() => parseFromWebview('cancel'), /Not a message from the webview: "cancel"/);
    assert.throws(() => parseFromWebview(null), /Not a message from the webview: null/);
    assert.throws(() => parseFromWebview({ type: 'open', path: '/etc/passwd' }), /^ProtocolError: Unexpected field "path" in message "open" from the webview: "\/etc\/passwd"\.$/);
  });

  it('inherited names are neither message types nor fields', () => {
    for (const type of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      assert.throws(() => parseFromWebview({ type }), ProtocolError, type);
      assert.throws(() => parseToWebview({ type }), ProtocolError, type);
    }
    // JSON.parse makes "__proto__" an own field, which no message has.
    assert.throws(() => parseFromWebview(JSON.parse('{"type":"cancel","__proto__":{"x":1}}')), /Unexpected field "__proto__"/);
    assert.throws(() => parseFromWebview({ type: 'cancel', constructor: 'x' }), /Unexpected field "constructor"/);
  });
});

describe('the panel\'s run messages (Run again, Save as defaults)', () => {
  const controls = { styleWeight: 20000, size: 48, iterations: 4, preserveColors: false, seamless: false, styleScale: 1, init: 'content' as const, seed: 0 };

  it('carry the controls, every one of them, typed', () => {
    assert.deepStrictEqual(parseFromWebview({ type: 'runAgain', controls }), { type: 'runAgain', controls });
    assert.deepStrictEqual(parseFromWebview({ type: 'runAgain', controls, onCpu: true }).type, 'runAgain');
    assert.deepStrictEqual(parseFromWebview({ type: 'saveDefaults', controls }), { type: 'saveDefaults', controls });
    const { seed: _seed, ...noSeed } = controls;
    assert.throws(() => parseFromWebview({ type: 'runAgain', controls: noSeed }), /^ProtocolError: Missing field "controls\.seed" in message "runAgain" from the webview: expected a finite number\.$/);
    assert.throws(() => parseFromWebview({ type: 'runAgain', controls: { ...controls, size: '48' } }), /Bad field "controls\.size".*expected a finite number, got "48"/);
    assert.throws(() => parseFromWebview({ type: 'runAgain', controls: { ...controls, init: 'paint' } }), /Bad field "controls\.init".*got "paint"/);
    assert.throws(() => parseFromWebview({ type: 'saveDefaults', controls: { ...controls, outputFolder: '/etc' } }), /Unexpected field "controls\.outputFolder"/);
    assert.throws(() => parseFromWebview({ type: 'runAgain', controls, onCpu: 'yes' }), /Bad field "onCpu"/);
    // Seamless: a boolean, and required (a webview that leaves it out is not this panel's).
    const seamless = { ...controls, seamless: true };
    assert.strictEqual((parseFromWebview({ type: 'runAgain', controls: seamless }) as { controls: { seamless: boolean } })
      .controls.seamless, true);
    assert.throws(() => parseFromWebview({ type: 'runAgain', controls: { ...controls, seamless: 'true' } }), /Bad field "controls\.seamless"/);
    assert.throws(() => parseFromWebview({ type: 'saveDefaults', controls: { ...controls, seamless: 1 } }), /Bad field "controls\.seamless"/);
    const { seamless: _seamless, ...noSeamless } = controls;
    assert.throws(() => parseFromWebview({ type: 'runAgain', controls: noSeamless }), /Missing field "controls\.seamless"/);
  });

  it('open and reveal name a run by its index, never a path', () => {
    assert.deepStrictEqual(parseFromWebview({ type: 'open', run: 2 }), { type: 'open', run: 2 });
    assert.throws(() => parseFromWebview({ type: 'reveal', run: '/etc/passwd' }), /Bad field "run" in message "reveal"/);
  });
});

describe('runs in one panel (history)', () => {
  const controls = { styleWeight: 300, size: 48, iterations: 4, preserveColors: true, seamless: false, styleScale: 1, init: 'content' as const, seed: 1 };
  const doneView = { outputSrc: 'o', outputName: 'cat.starry.png', elapsedMs: 1200, steps: 4, backend: 'wasm', finishedAt: 5 };

  it('each done run joins the history with its output and controls; Run again keeps them and starts afresh', () => {
    const first = applyMessage({ ...state, controls }, { type: 'done', done: doneView });
    assert.deepStrictEqual(first.history, [{ ...doneView, outputPath: job.outputPath, controls }]);
    const again = nextRunState(first, 'ns-2', { ...controls, styleWeight: 20000 });
    assert.deepStrictEqual(again.job, { id: 'ns-2', contentPath: job.contentPath, contentName: job.contentName, stylePath: job.stylePath, styleName: job.styleName,
      styleId: undefined, contentSrc: job.contentSrc, styleSrc: job.styleSrc, outputPath: '', status: 'queued' });
    assert.deepStrictEqual([again.losses, again.done, again.progress, again.error],
      [[], undefined, undefined, undefined]);
    assert.strictEqual(again.controls?.styleWeight, 20000);
    const second = applyMessage({ ...again, job: { ...again.job, outputPath: '/ws/cat.starry-1.png' } }, { type: 'done', done: { ...doneView, outputName: 'cat.starry-1.png' } });
    assert.deepStrictEqual(second.history?.map((r) => [r.outputPath, r.controls?.styleWeight]), [[job.outputPath, 300], ['/ws/cat.starry-1.png', 20000]]);
  });

  it('a failure keeps its code (EGPULOST offers Run on CPU instead); a new status clears it', () => {
    const batch = { index: 2, total: 3, made: 0, failed: 1, cancelled: 0, etaMs: 9000 };
    const inBatch = applyMessage(state, parseToWebview({ type: 'batch', batch }));
    assert.deepStrictEqual(inBatch.batch, batch);
    assert.strictEqual(nextRunState(inBatch, 'ns-9', controls).batch, undefined, 'a run again is no photo of the batch');
    assert.throws(() => parseToWebview({ type: 'batch', batch: { ...batch, index: 'two' } }), /batch\.index/);
    const lost = applyMessage(state, { type: 'failed', message: 'The GPU was lost.', code: 'EGPULOST' });
    assert.strictEqual(lost.errorCode, 'EGPULOST');
    assert.strictEqual(applyMessage(lost, { type: 'status', status: 'queued', position: 1 }).errorCode, undefined);
  });

  it('a step reported after the job was cancelled or failed leaves it ended (Run again stays offered)', () => {
    for (const status of ['cancelled', 'failed', 'done'] as const) {
      const ended = applyMessage(applyMessage(state, { type: 'progress', progress: progress(1) }), { type: 'status', status });
      const late = applyMessage(ended, { type: 'progress', progress: progress(2) });
      assert.deepStrictEqual([late.job.status, late.losses.length], [status, 1], status);
    }
    // A job queued again (Run again, a resume) runs again.
    const again = applyMessage(nextRunState(state, 'ns-3', controls), { type: 'progress', progress: progress(2) });
    assert.strictEqual(again.job.status, 'running');
  });

  it('a run whose file the photo\'s history already listed (found on disk) is listed once, as this run', () => {
    const found = { ...doneView, outputPath: job.outputPath, styleName: 'starry.jpg', elapsedMs: undefined };
    const other = { ...doneView, outputPath: '/ws/cat.wave.png', styleName: 'wave.jpg', finishedAt: 2 };
    const done = applyMessage({ ...state, controls, history: [other, found] }, { type: 'done', done: doneView });
    assert.deepStrictEqual(done.history?.map((r) => [r.outputPath, r.styleName, r.elapsedMs]),
      [['/ws/cat.wave.png', 'wave.jpg', 1200], [job.outputPath, undefined, 1200]]);
    // The style of a found run is part of the saved state, and checked with it.
    assert.deepStrictEqual(parsePanelState(done)?.history?.[0].styleName, 'wave.jpg');
    assert.strictEqual(parsePanelState({ ...done, history: [{ ...other, styleName: 7 }] }), undefined);
  });

  it('a saved history is validated with the state', () => {
    const saved = { ...state, controls, history: [{ ...doneView, outputPath: '/ws/a.png', controls }] };
    assert.deepStrictEqual(parsePanelState(saved), saved);
    const reasons: string[] = [];
    assert.strictEqual(parsePanelState({ ...saved, history: [{ ...doneView, controls }] },
      (why) => reasons.push(why)), undefined);
    assert.match(reasons[0], /Missing field "history\[0\]\.outputPath" in a saved panel state/);
    assert.strictEqual(parsePanelState({ ...saved, controls: { ...controls, size: 'big' } }), undefined);
    // A state saved before the Seamless box: its controls and its runs' read as not seamless.
    const { seamless: _seamless, ...before } = controls;
    assert.deepStrictEqual(parsePanelState({ ...saved, controls: before, history: [{ ...doneView, outputPath: '/ws/a.png', controls: before }] }),
      saved);
    assert.strictEqual(parsePanelState({ ...saved, controls: { ...controls, seamless: 'no' } }), undefined);
  });
});

describe('host → webview messages', () => {
  it('validates fields, nested ones by their path', () => {
    assert.strictEqual(parseToWebview({ type: 'progress', progress: progress(1) }).type, 'progress');
    assert.throws(() => parseToWebview({ type: 'progress', progress: { ...progress(1), step: 'one' } }),
      /^ProtocolError: Bad field "progress\.step" in message "progress" to the webview: expected a finite number, got "one"\.$/);
    assert.throws(() => parseToWebview({ type: 'status', status: 'exploded' }), /Bad field "status" in message "status" to the webview: expected one of "queued", .*got "exploded"/);
    assert.strictEqual(parseToWebview({ type: 'snapshot', state }).type, 'snapshot');
    assert.throws(() => parseToWebview({ type: 'snapshot', state: { job: {} } }), /^ProtocolError: Missing field "state\.job\.id" in message "snapshot" to the webview: expected a string\.$/);
  });

  it('rejects unknown fields at any depth', () => {
    assert.throws(() => parseToWebview({ type: 'progress', progress: { ...progress(1), extra: 1 } }), /Unexpected field "progress\.extra"/);
    assert.throws(() => parseToWebview({ type: 'progress', progress: { ...progress(1), losses: { content: 1, style: 2, tv: 3, total: 6, gram: 0 } } }),
      /Unexpected field "progress\.losses\.gram"/);
    assert.throws(() => parseToWebview({ type: 'snapshot', state: { ...state, job: { ...job, script: 'x' } } }), /Unexpected field "state\.job\.script"/);
  });

  it('quotes a bad value cut to about 100 characters, its head and its tail', () => {
    let message = '';
    try {
      parseToWebview({ type: 'failed', message: ['x'.repeat(500)] });
    } catch (e) {
      message = (e as Error).message;
    }
    assert.match(message, /^Bad field "message" in message "failed" to the webview: expected a string, got \["x{47}…x{47}"\]\.$/);
  });
});

describe('engine messages as the host sees them', () => {
  it('accepts a progress message and rejects a malformed one', () => {
    const p = progress(1);
    assert.strictEqual(parseFromEngine({ type: 'progress', id: 'a', ...p }).type, 'progress');
    assert.throws(() => parseFromEngine({ type: 'progress', id: 'a', ...p, losses: { content: 1 } }), /Missing field "losses\.style" in message "progress" from the engine/);
    assert.throws(() => parseFromEngine({ type: 'done', id: 'a' }), /Missing field "output" in message "done" from the engine: expected a string\./);
  });

  it('the start message the host sends is valid for the engine', () => {
    const start = { type: 'start', id: 'a', job: { content: '/c.png', styles: ['/s.png'], output: '/o.png', options: { size: 32 } }, backend: 'wasm' };
    assert.strictEqual(parseToEngine(start).type, 'start');
  });
});

describe('panel state', () => {
  it('progress appends a loss row and marks the job running', () => {
    const s = applyMessage({ ...state, job: { ...job, status: 'queued', position: 2 } }, { type: 'progress', progress: progress(1) });
    assert.deepStrictEqual(s.losses, [[1, 1, 2, 3, 6]]);
    assert.strictEqual(s.job.status, 'running');
    assert.strictEqual(s.job.position, undefined);
  });

  it('keeps at most MAX_LOSS_POINTS rows, always the latest', () => {
    let s = state;
    for (let i = 1; i <= MAX_LOSS_POINTS + 5; i++) s = applyMessage(s, { type: 'progress', progress: progress(i) });
    assert.ok(s.losses.length <= MAX_LOSS_POINTS);
    assert.strictEqual(s.losses[s.losses.length - 1][0], MAX_LOSS_POINTS + 5);
  });

  it('done and failed set the status; a restored running job is interrupted', () => {
    const done = applyMessage(state, { type: 'done', done: { outputSrc: 'o', outputName: 'cat.starry.png', elapsedMs: 1, steps: 4, backend: 'wasm' } });
    assert.strictEqual(done.job.status, 'done');
    assert.strictEqual(applyMessage(state, { type: 'failed', message: 'boom' }).error, 'boom');
    assert.strictEqual(restoredState(state).job.status, 'interrupted');
    assert.strictEqual(restoredState(done).job.status, 'done');
  });

  it('a status\'s message is a note, not an error, unless the job failed; the next status clears it', () => {
    const queuedAgain = applyMessage(state, { type: 'status', status: 'queued', position: 1, message: 'queued again' });
    assert.deepStrictEqual([queuedAgain.note, queuedAgain.error], ['queued again', undefined]);
    assert.strictEqual(applyMessage(queuedAgain, { type: 'status', status: 'running' }).note, undefined);
    const failed = applyMessage(state, { type: 'status', status: 'failed', message: 'no such file' });
    assert.deepStrictEqual([failed.note, failed.error], [undefined, 'no such file']);
  });

  it('a note belongs to the state it was said in: progress, done and failed each clear it', () => {
    const noted = applyMessage(state, { type: 'status', status: 'queued', position: 2, message: 'resumed after a reload' });
    const done = { outputSrc: 'o', outputName: 'cat.starry.png', elapsedMs: 1, steps: 4, backend: 'wasm', finishedAt: 3 };
    const after = [applyMessage(noted, { type: 'progress', progress: progress(2) }),
      applyMessage(noted, { type: 'done', done }), applyMessage(noted, { type: 'failed', message: 'gone' })];
    assert.deepStrictEqual(after.map((s) => [s.job.status, s.note]), [['running', undefined], ['done', undefined], ['failed', undefined]]);
  });

  it('Browse…\'s new choices replace the offered ones; a path is never a webview message\'s to name', () => {
    const choices = [{ path: '/ws/mosaic.png', id: 'mosaic', label: 'mosaic.png' }];
    const message = parseToWebview({ type: 'styleChoices', choices, selected: 0 });
    assert.deepStrictEqual(applyMessage(state, message).styleChoices, choices);
    assert.deepStrictEqual(parseFromWebview({ type: 'browseSecondStyle' }), { type: 'browseSecondStyle' });
    assert.throws(() => parseFromWebview({ type: 'browseSecondStyle', path: '/etc/passwd' }), ProtocolError);
  });

  it('a saved state is validated before use', () => {
    assert.deepStrictEqual(parsePanelState(state), state);
    assert.strictEqual(parsePanelState({ job, losses: [[1, 2]] }), undefined);
    // Saved before the rows had a total: an unknown total (0) the chart leaves out.
    assert.deepStrictEqual(parsePanelState({ job, losses: [[1, 1, 2, 3]] })?.losses, [[1, 1, 2, 3, 0]]);
    assert.strictEqual(parsePanelState(undefined), undefined);
    assert.strictEqual(parsePanelState({ job: { ...job, status: 'weird' }, losses: [] }), undefined);
    const reasons: string[] = [];
    assert.strictEqual(parsePanelState({ ...state, extra: 1 }, (why) => reasons.push(why)), undefined);
    assert.deepStrictEqual(reasons, ['Unexpected field "extra" in a saved panel state: 1.']);
    // A queued job's size and iterations are known once it starts.
    const { size: _size, iterations: _iterations, ...queued } = { ...job, status: 'queued' as const };
    assert.deepStrictEqual(parsePanelState({ job: queued, losses: [] }), { job: queued, losses: [] });
  });
});

describe('compute messages (the engine core in the panel on the GPU)', () => {
  const pixels = (width: number, height: number) => ({ width, height, data: Buffer.alloc(width * height * 3, 7).toString('base64') });
  const compute = {
    type: 'compute', backend: 'webgl', options: { size: 32 }, content: pixels(4, 2), styles: [pixels(2, 2)],
    weights: { manifestUrl: 'https://file+.vscode-resource/w/model.json', shards: [{ name: 'a.bin', url: 'https://x/a.bin', sha256: 'ab'.repeat(32) }] },
  };

  it('a compute message passes whole and is refused with a bad backend, an unknown option or no style', () => {
    assert.deepStrictEqual(parseToWebview(compute), compute);
    assert.throws(() => parseToWebview({ ...compute, backend: 'wasm' }), /Bad field "backend" in message "compute" to the webview: expected one of "webgpu", "webgl", got "wasm"/);
    assert.throws(() => parseToWebview({ ...compute, options: { size: 32, constructor: 1 } }), /Unexpected field "options.constructor"/);
    assert.throws(() => parseToWebview({ ...compute, styles: [] }), /Bad field "styles"/);
  });

  it('pixels: exactly width × height × 3 bytes of base64, or an error saying what arrived', () => {
    assert.deepStrictEqual([...decodePixels(pixels(2, 1), 'x').data], [7, 7, 7, 7, 7, 7]);
    assert.throws(() => decodePixels({ width: 2, height: 2, data: pixels(2, 1).data }, 'the result'), /^Error: the result: 6 bytes for 2×2 RGB \(expected 12\)\.$/);
    assert.throws(() => decodePixels({ width: 1.5, height: 2, data: '' }, 'the result'), /bad size 1.5×2/);
    assert.throws(() => decodePixels({ width: 1, height: 1, data: '***' }, 'the result'), /not base64/);
    const bytes = Uint8Array.from({ length: 70000 }, (_, i) => i % 251);
    assert.deepStrictEqual(decodePixels({ width: 70000 / 3 | 0, height: 1, data: encodePixels(bytes.subarray(0, (70000 / 3 | 0) * 3)) }, 'x').data, bytes.subarray(0, (70000 / 3 | 0) * 3));
  });

  it('a failure names its kind (a lost GPU is EGPULOST), and the compute messages change nothing the panel shows', () => {
    assert.deepStrictEqual(parseFromWebview({ type: 'computeFailed', code: 'EGPULOST', message: 'lost' }), { type: 'computeFailed', code: 'EGPULOST', message: 'lost' });
    assert.throws(() => parseFromWebview({ type: 'computeFailed', code: 'EWHATEVER', message: '' }), /Bad field "code"/);
    for (const type of ['probe', 'stopCompute', 'loseGpu'] as const) assert.strictEqual(applyMessage(state, { type }), state);
  });
});
