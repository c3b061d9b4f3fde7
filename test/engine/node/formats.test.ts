import { expect } from 'chai';
import { formatDuration } from '../../../packages/engine/src/duration';
import { extensionOf, formatOfExtension, OUTPUT_EXTENSIONS, OUTPUT_FORMAT_NAMES } from '../../../packages/engine/src/output-formats';
import { outputFormat } from '../../../packages/engine/src/node/image';

describe('one duration format (CLI, extension, panel)', () => {
  it('is m:ss under an hour and h:mm:ss from an hour on', () => {
    expect(formatDuration(0)).to.equal('0:00');
    expect(formatDuration(4_600)).to.equal('0:05');
    expect(formatDuration(65_000)).to.equal('1:05');
    expect(formatDuration(3_599_000)).to.equal('59:59');
    expect(formatDuration(3_725_000)).to.equal('1:02:05');
  });

  it('shows nothing negative or unknown as a number', () => {
    expect(formatDuration(-5_000)).to.equal('0:00');
    expect(formatDuration(Number.NaN)).to.equal('0:00');
    expect(formatDuration(Number.POSITIVE_INFINITY)).to.equal('0:00');
  });
});

describe('one table of output formats', () => {
  it('names the formats and writes each with its first extension', () => {
    expect(OUTPUT_FORMAT_NAMES).to.deep.equal(['png', 'jpeg', 'webp', 'avif', 'tiff']);
    expect(OUTPUT_FORMAT_NAMES.map(extensionOf)).to.deep.equal(['.png', '.jpg', '.webp', '.avif', '.tif']);
    expect(OUTPUT_EXTENSIONS).to.deep.equal(['.png', '.jpg', '.jpeg', '.webp', '.avif', '.tif', '.tiff']);
  });

  it('finds the format of an extension in any case, and none for others', () => {
    expect(formatOfExtension('.JPEG')).to.equal('jpeg');
    expect(formatOfExtension('.tiff')).to.equal('tiff');
    for (const ext of ['.gif', '', '.constructor', '.toString', 'png']) expect(formatOfExtension(ext)).to.equal(undefined);
  });

  it('the engine picks the format from the output name and refuses others by name', () => {
    expect(outputFormat('/tmp/a.Webp')).to.equal('webp');
    expect(() => outputFormat('/tmp/a.gif')).to.throw('Cannot write /tmp/a.gif: unknown output format ".gif". Use one of: .png, .jpg, .jpeg, .webp, .avif, .tif, .tiff.');
  });
});
