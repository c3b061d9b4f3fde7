import { expect } from 'chai';
import { cropHost, hostImage, HostImage } from '../../../packages/engine/src/core/image/host-image';
import { resizeHost, shrinkStored } from '../../../packages/engine/src/core/image/resize';
import {
  fileStore, mapBands, MEMORY_STORE, rowBands, StoredImage, storedInMemory, wholeOf,
} from '../../../packages/engine/src/core/image/stored-image';
import { countedScratchFiles } from '../helpers';

/** Values that say where they are: 1000·row + 10·column + channel. */
function labelled(height: number, width: number, channels: number): HostImage {
  const image = hostImage(height, width, channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < channels; k++) image.data[(y * width + x) * channels + k] = 1000 * y + 10 * x + k;
    }
  }
  return image;
}

/** The value at (y, x, k) of the image repeated in every direction, by the definition. */
const onTorus = (image: HostImage, y: number, x: number, k: number) => {
  const [h, w] = [image.height, image.width];
  return image.data[((((y % h) + h) % h) * w + (((x % w) + w) % w)) * image.channels + k];
};

describe('stored images: a tile\'s rectangle read and written, in memory or in a scratch file', () => {
  const [h, w, c] = [7, 9, 5];
  for (const where of ['memory', 'a file'] as const) {
    it(`in ${where}: writes, crops inside and across the edges, adds with wrapping, refuses what lies outside`, () => {
      const scratch = countedScratchFiles();
      const stored: StoredImage = (where === 'memory' ? MEMORY_STORE : fileStore(scratch.files))(h, w, c);
      const image = labelled(h, w, c);
      stored.write(cropHost(image, { top: 0, left: 0, height: 4, width: w }), 0, 0); // in two bands
      stored.write(cropHost(image, { top: 4, left: 0, height: 3, width: w }), 4, 0);
      expect(Array.from(stored.crop({ top: 2, left: 3, height: 3, width: 4 }).data))
        .to.deep.equal(Array.from(cropHost(image, { top: 2, left: 3, height: 3, width: 4 }).data));
      const across = stored.crop({ top: -2, left: 6, height: 11, width: 13 }, true); // wider and taller than it
      for (let y = 0; y < 11; y++) {
        for (let x = 0; x < 13; x++) {
          expect(across.data[(y * 13 + x) * c + 1], `${y},${x}`).to.equal(onTorus(image, y - 2, x + 6, 1));
        }
      }
      const ones = hostImage(3, 4, c, new Float32Array(3 * 4 * c).fill(1));
      stored.add(ones, h - 1, w - 2, true); // rows h−1, 0, 1 and columns w−2, w−1, 0, 1
      const after = stored.crop({ top: 0, left: 0, height: h, width: w });
      const added = (y: number, x: number) => ([h - 1, 0, 1].includes(y) && [w - 2, w - 1, 0, 1].includes(x) ? 1 : 0);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) expect(after.data[(y * w + x) * c]).to.equal(1000 * y + 10 * x + added(y, x));
      }
      expect(() => stored.crop({ top: 5, left: 0, height: 3, width: 2 })).to.throw(/outside 7x9/);
      expect(() => stored.add(ones, 5, 0)).to.throw(/outside 7x9/);
      expect(() => stored.write(hostImage(1, 1, 3), 0, 0)).to.throw(/3 channels into 5/);
      stored.dispose();
      stored.dispose(); // a second dispose does nothing
      expect(scratch.open()).to.equal(0);
    });
  }
});

describe('stored images a band of rows at a time (a tiled scale\'s image)', () => {
  it('cuts rows into bands of at most the values asked, one row at least, covering every row once', () => {
    expect(rowBands(10, 30, 90)).to.deep.equal([{ top: 0, count: 3 }, { top: 3, count: 3 }, { top: 6, count: 3 },
      { top: 9, count: 1 }]);
    expect(rowBands(3, 30, 10)).to.deep.equal([{ top: 0, count: 1 }, { top: 1, count: 1 }, { top: 2, count: 1 }]);
    expect(rowBands(4, 30)).to.deep.equal([{ top: 0, count: 4 }]);
  });

  it('maps every band into a new image, and shrinks as resizeHost does without reading it whole', () => {
    const image = labelled(37, 23, 3);
    const doubled = wholeOf(mapBands(storedInMemory(image), MEMORY_STORE, (band) =>
      hostImage(band.height, band.width, 3, band.data.map((v) => 2 * v))));
    expect(Array.from(doubled.data)).to.deep.equal(Array.from(image.data.map((v) => 2 * v)));
    for (const [h, w] of [[9, 5], [18, 11], [30, 20]]) { // halved twice, once, and not at all
      const reads: number[] = [];
      const stored = storedInMemory(image);
      const counted: StoredImage = { ...stored, crop: (rect, wrapping) => {
        reads.push(rect.height);
        return stored.crop(rect, wrapping);
      } };
      const got = shrinkStored(counted, h, w, 4 * 23 * 3); // bands of 4 rows: 2 halved rows each
      expect(Array.from(got.data), `${h}x${w}`).to.deep.equal(Array.from(resizeHost(image, h, w).data));
      expect(Math.max(...reads), `rows read at once, ${h}x${w}`).to.equal(h <= 18 ? 4 : 37);
    }
  });
});
