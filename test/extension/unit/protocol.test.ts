import * as assert from 'assert';
import { parseEngineMessage, parseHostMessage as parseEngineHostMessage } from '../../../packages/engine/dist/protocol';
import { PanelState, parseHostMessage, parsePanelState, parseWebviewMessage, ProgressView } from '../../../extension/shared/protocol';
import { applyMessage, MAX_LOSS_POINTS, restoredState } from '../../../extension/shared/state';

const job = {
  id: 'ns-1', contentName: 'cat.png', styleName: 'The Starry Night', contentSrc: 'x', styleSrc: 'y', contentPath: '/ws/cat.png',
  stylePath: '/s/starry.jpg', outputPath: '/ws/cat.starry.png', size: 64, iterations: 4, status: 'running' as const,
};
const state: PanelState = { job, losses: [] };
const progress = (step: number): ProgressView => ({
  step, totalSteps: 4, scale: 1, scales: 1, iteration: step, iterations: 4, width: 64, height: 43,
  losses: { content: 1, style: 2, tv: 3, total: 6 }, elapsedMs: 10, etaMs: 20, backend: 'wasm',
});

describe('webview → host messages', () => {
  it('accepts each message of the protocol', () => {
    for (const type of ['ready', 'cancel', 'open', 'reveal', 'showLog']) assert.deepStrictEqual(parseWebviewMessage({ type }), { type });
  });

  it('rejects unknown types, non-objects and extra fields', () => {
    assert.throws(() => parseWebviewMessage({ type: 'runCommand', command: 'rm' }), /Not a webview message/);
    assert.throws(() => parseWebviewMessage('cancel'), /Not a webview message/);
    assert.throws(() => parseWebviewMessage(null), /Not a webview message/);
    assert.throws(() => parseWebviewMessage({ type: 'open', path: '/etc/passwd' }), /Unexpected field "path"/);
    assert.throws(() => parseWebviewMessage({ type: 'toString' }), /Not a webview message/);
  });
});

describe('host → webview messages', () => {
  it('validates fields', () => {
    assert.strictEqual(parseHostMessage({ type: 'progress', progress: progress(1) }).type, 'progress');
    assert.throws(() => parseHostMessage({ type: 'progress', progress: { ...progress(1), step: 'one' } }), /Bad field "progress"/);
    assert.throws(() => parseHostMessage({ type: 'status', status: 'exploded' }), /Bad field "status"/);
    assert.strictEqual(parseHostMessage({ type: 'snapshot', state }).type, 'snapshot');
    assert.throws(() => parseHostMessage({ type: 'snapshot', state: { job: {} } }), /Bad field "state"/);
  });
});

describe('engine messages as the host sees them', () => {
  it('accepts a progress message and rejects a malformed one', () => {
    const { type: _t, ...p } = { type: 'progress', ...progress(1) };
    assert.strictEqual(parseEngineMessage({ type: 'progress', id: 'a', ...p }).type, 'progress');
    assert.throws(() => parseEngineMessage({ type: 'progress', id: 'a', ...p, losses: { content: 1 } }), /Bad field "losses"/);
    assert.throws(() => parseEngineMessage({ type: 'done', id: 'a' }), /Bad field "output"/);
  });

  it('the start message the host sends is valid for the engine', () => {
    const start = { type: 'start', id: 'a', job: { content: '/c.png', styles: ['/s.png'], output: '/o.png', options: { size: 32 } }, backend: 'wasm' };
    assert.strictEqual(parseEngineHostMessage(start).type, 'start');
  });
});

describe('panel state', () => {
  it('progress appends a loss row and marks the job running', () => {
    const s = applyMessage({ ...state, job: { ...job, status: 'queued', position: 2 } }, { type: 'progress', progress: progress(1) });
    assert.deepStrictEqual(s.losses, [[1, 1, 2, 3]]);
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

  it('a saved state is validated before use', () => {
    assert.deepStrictEqual(parsePanelState(state), state);
    assert.strictEqual(parsePanelState({ job, losses: [[1, 2]] }), undefined);
    assert.strictEqual(parsePanelState(undefined), undefined);
    assert.strictEqual(parsePanelState({ job: { ...job, status: 'weird' }, losses: [] }), undefined);
  });
});
