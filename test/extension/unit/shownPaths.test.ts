/** A failure names the workspace's files by their workspace-relative names (shownPaths.ts). */
import * as assert from 'assert';
import { withRelativePaths } from '../../../extension/src/shownPaths';

describe('paths in a message, as the user reads them', () => {
  it('names a file of the workspace by its relative name, the longest folder first; others stay whole', () => {
    const message = '/home/ana/trip/raw/IMG_7.jpg is not an image we can read; /tmp/x.png neither';
    assert.strictEqual(withRelativePaths(message, ['/home/ana/trip', '/home/ana/trip/raw'], '/'),
      'IMG_7.jpg is not an image we can read; /tmp/x.png neither');
    assert.strictEqual(withRelativePaths('C:\\Fotos\\a b\\c.jpg: truncated', ['C:\\Fotos'], '\\'), 'a b\\c.jpg: truncated');
    assert.strictEqual(withRelativePaths('no path here', ['/w'], '/'), 'no path here');
  });
});
