import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { stylizeFiles } from '../../../packages/engine/src/index';
import { readPngText } from '../../../packages/engine/src/node/png-text';
import { parseResultParameters } from '../../../packages/engine/src/result-parameters';
import { CONTENT, STYLE, tempDir, testEngine } from '../helpers';

describe('reproducible: the same seed on the same backend gives the same bytes', () => {
  it('two runs write byte-identical PNGs, whose parameters hold no timings and no folders', async () => {
    const engine = await testEngine();
    const dir = tempDir('ns-repro-');
    const job = (name: string) => ({ content: CONTENT, styles: [STYLE], output: path.join(dir, name),
      options: { size: 32, iterations: 3, multiScale: false, seed: 11 } });
    await stylizeFiles(engine, job('a.png'));
    // A pause, so that a recorded time or date would differ.
    await new Promise((r) => setTimeout(r, 1100));
    await stylizeFiles(engine, job('b.png'));
    const [a, b] = [fs.readFileSync(path.join(dir, 'a.png')), fs.readFileSync(path.join(dir, 'b.png'))];
    expect(a.equals(b), 'same bytes').to.equal(true);
    const parameters = JSON.parse(readPngText(a)['neural-style']);
    expect(parameters).to.include({ content: path.basename(CONTENT), seed: 11, steps: 3 });
    expect(parameters.styles).to.deep.equal([path.basename(STYLE)]);
    expect(Object.keys(parameters)).to.not.include.members(['seconds', 'elapsedMs']);
    expect(JSON.stringify(parameters)).to.not.include(path.dirname(CONTENT));
    // The loss at each iteration's end, for a panel opened on the picture later: the same in both runs.
    const { losses } = parseResultParameters(readPngText(a)['neural-style']);
    expect(losses?.map(([step]) => step)).to.deep.equal([1, 2, 3]);
    expect(losses?.every(([, content, style, , total]) => content > 0 && style > 0 && total > 0)).to.equal(true);
  });
});
