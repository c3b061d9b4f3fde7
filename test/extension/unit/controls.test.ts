import * as assert from 'assert';
import { DEFAULTS, OPTION_SPECS } from '@neural-style/engine/options';
import {
  checkControls, CONTROL_NAMES, Controls, controlsOf, settingWrites, sliderToStrength, strengthMarks, strengthToSlider,
  strengthWord,
} from '../../../extension/shared/controls';
import { readSettings, withJobOptions } from '../../../extension/src/settings';

/** Settings as VS Code keeps them: a map of the values set; the rest read as not set. */
const settingsOf = (values: Record<string, unknown>) => (name: string) => values[name];

const tweaked: Controls = { styleWeight: 20000, size: 48, iterations: 4, preserveColors: true, seamless: true, styleScale: 0.5, init: 'noise', seed: 7 };

describe('panel controls ⇄ settings', () => {
  it('start from the settings\' values (the defaults where none is set)', () => {
    assert.deepStrictEqual(controlsOf(readSettings(settingsOf({})).options), controlsOf(DEFAULTS));
    const controls = controlsOf(readSettings(settingsOf({ size: 512, styleWeight: 300,
      preserveColors: true })).options);
    assert.deepStrictEqual([controls.size, controls.styleWeight, controls.preserveColors], [512, 300, true]);
  });

  /** Each level as VS Code's inspect gives it: the defaults, then the user's settings, then the workspace's. */
  const levelsOf = (user: Record<string, unknown>, workspace: Record<string, unknown>) =>
    (name: string, target: 'user' | 'workspace') => {
      const byDefault = DEFAULTS[name as keyof typeof DEFAULTS];
      const inherited = target === 'user' ? byDefault : user[name] ?? byDefault;
      return { current: (target === 'user' ? user : workspace)[name], inherited };
    };

  it('Save as defaults writes what the next job reads back as the same controls', () => {
    for (const target of ['user', 'workspace'] as const) {
      const user: Record<string, unknown> = { size: 1024, tvWeight: 3 };
      const workspace: Record<string, unknown> = {};
      for (const w of settingWrites(tweaked, target, () => false, levelsOf(user, workspace))) {
        assert.strictEqual(w.target, target);
        (target === 'user' ? user : workspace)[w.name] = w.value;
      }
      const read = readSettings(settingsOf({ ...user, ...workspace }));
      assert.deepStrictEqual(controlsOf(read.options), tweaked);
      assert.strictEqual(read.options.tvWeight, 3, 'a setting that is no control is left alone');
    }
  });

  it('writes no key equal to what the level below says, and removes one that has become equal', () => {
    const controls = { ...controlsOf(DEFAULTS), seed: 99, styleScale: 0.75 };
    const user = { seed: 99, size: 640, styleWeight: 900 };
    const writes = settingWrites(controls, 'user', () => false, levelsOf(user, {}));
    // seed is there already; styleScale differs from the default; size and styleWeight go back to the defaults.
    assert.deepStrictEqual(writes.map((w) => [w.name, w.value]),
      [['styleWeight', undefined], ['size', undefined], ['styleScale', 0.75]]);
    const overUser = settingWrites({ ...controls, size: 640 }, 'workspace', () => false, levelsOf(user, {}));
    assert.deepStrictEqual(overUser.map((w) => [w.name, w.value]),
      [['styleWeight', DEFAULTS.styleWeight], ['styleScale', 0.75]], 'the workspace keeps what differs from the user\'s');
  });

  it('Seamless ticked is saved alone, and unticked again removes the entry', () => {
    const ticked = settingWrites({ ...controlsOf(DEFAULTS), seamless: true }, 'user', () => false, levelsOf({}, {}));
    assert.deepStrictEqual(ticked.map((w) => [w.name, w.value, w.target]), [['seamless', true, 'user']]);
    const unticked = settingWrites(controlsOf(DEFAULTS), 'user', () => false, levelsOf({ seamless: true }, {}));
    assert.deepStrictEqual(unticked.map((w) => [w.name, w.value]), [['seamless', undefined]]);
  });

  it('a machine-scoped setting never goes to the workspace', () => {
    const writes = settingWrites(tweaked, 'workspace', (name) => name === 'seed', levelsOf({}, {}));
    assert.deepStrictEqual(writes.filter((w) => w.target === 'user').map((w) => w.name), ['seed']);
    assert.strictEqual(writes.length, CONTROL_NAMES.length, 'every control of tweaked differs from the defaults');
  });

  it('are checked by the engine\'s option checks, naming the control and the value', () => {
    assert.deepStrictEqual(checkControls(tweaked), tweaked);
    assert.throws(() => checkControls({ ...tweaked, size: 5 }), /^Error: Size \(px\): Invalid size 5\. Use an integer at least 16 and at most 8192\.$/);
    assert.throws(() => checkControls({ ...tweaked, iterations: 2.5 }), /Iterations: Invalid iterations 2\.5/);
    assert.throws(() => checkControls({ ...tweaked, styleWeight: -1 }), /Style weight: Invalid styleWeight -1/);
    assert.throws(() => checkControls({ ...tweaked, init: 'paint' as Controls['init'] }), /Init: Invalid init "paint"\. Use one of: content-in-style-colors/);
    assert.throws(() => checkControls({ ...tweaked, seamless: 'yes' as unknown as boolean }), /^Error: Seamless: Invalid seamless/);
    assert.throws(() => settingWrites({ ...tweaked, seed: -3 }, 'user', () => false, levelsOf({}, {})), /Seed: Invalid seed -3/);
  });

  it('go over the job\'s settings, which stay checked as a whole', () => {
    const settings = readSettings((name) => (name === 'tvWeight' ? 2 : undefined));
    const { options } = withJobOptions(settings, checkControls(tweaked));
    assert.deepStrictEqual(controlsOf(options), tweaked);
    assert.strictEqual(options.seamless, true, 'Run again with Seamless ticked makes a seamless job');
    const unticked = withJobOptions(settings, checkControls({ ...tweaked, seamless: false }));
    assert.strictEqual(unticked.options.seamless, false);
    assert.strictEqual(options.tvWeight, 2);
    assert.throws(() => withJobOptions(settings, { ...tweaked, styleScale: 9 }), /Invalid styleScale 9/);
    assert.strictEqual(withJobOptions(settings, undefined), settings);
  });
});

describe('style strength on a log scale', () => {
  it('maps the weight to the slider and back to a round number', () => {
    for (const weight of [1, 15, 300, 1500, 20000, 1e6]) assert.strictEqual(sliderToStrength(strengthToSlider(weight)),
      weight, String(weight));
    assert.strictEqual(strengthToSlider(OPTION_SPECS.styleWeight.default), 3.18);
    assert.strictEqual(sliderToStrength(3.2), 1600);
  });

  it('over six decades, each step of the slider moves by at most one round number', () => {
    assert.strictEqual(strengthToSlider(0), 0, 'no paint is the slider\'s end');
    assert.strictEqual(strengthToSlider(1e12), 6);
    let last = sliderToStrength(0);
    for (let i = 1; i <= 600; i++) {
      const next = sliderToStrength(i / 100);
      assert.ok(next >= last && next / last <= 1.11, `position ${i / 100}: ${last} → ${next}`);
      last = next;
    }
    assert.strictEqual(last, 1e6);
  });

  it('names a weight by its nearest mark, a decade apart', () => {
    const marks = strengthMarks();
    for (let i = 1; i < marks.length; i++) assert.strictEqual(marks[i].weight / marks[i - 1].weight, 10);
    for (const m of marks) assert.strictEqual(strengthWord(m.weight * 2), m.word, `${m.weight * 2}`);
    assert.strictEqual(strengthWord(0), marks[0].word, 'no paint is the subtlest mark');
    assert.strictEqual(strengthWord(5e9), marks[marks.length - 1].word);
  });
});
