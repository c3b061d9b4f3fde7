import * as assert from 'assert';
import { pathKey, windowsNameProblem } from '@neural-style/engine/file-names';
import { baseName, freeOutputPath, outputFolder, slug, workspaceOutputFolderProblem } from '../../../extension/src/outputPath';
import { parseSavedQueue } from '../../../extension/src/savedQueue';

// Windows and macOS, simulated on Linux: the output names, folders and the saved queue with the
// platform passed in (path.win32 under it), as the extension computes them there.

const home = 'C:\\Users\\Zoë Ünal\\Pictures\\My Photos';
const win = { content: `${home}\\cat.jpg`, style: 'van_gogh_starry_night', folder: '', pattern: '${name}.${style}', format: 'png' as const, platform: 'win32' as const };
const none = () => false;

describe('output names on Windows', () => {
  it('beside the photo, under a user folder with spaces and non-ASCII letters, by its drive letter', () => {
    assert.strictEqual(freeOutputPath(win, none), `${home}\\cat.van_gogh_starry_night.png`);
  });

  it('a relative folder from the workspace (either slash), an absolute one on another drive as given', () => {
    const ws = { ...win, workspaceFolder: 'C:\\Users\\Zoë Ünal\\Pictures' };
    assert.strictEqual(outputFolder({ ...ws, folder: 'stylized/cats' }), 'C:\\Users\\Zoë Ünal\\Pictures\\stylized\\cats');
    assert.strictEqual(outputFolder({ ...ws, folder: 'D:\\Results' }), 'D:\\Results');
    assert.strictEqual(freeOutputPath({ ...ws, folder: 'D:\\Results' }, none), 'D:\\Results\\cat.van_gogh_starry_night.png');
  });

  it('a workspace\'s folder on another drive, or up and out by backslashes, leads outside it', () => {
    const ws = { ...win, workspaceFolder: 'C:\\ws' };
    for (const folder of ['stylized', 'photos\\out', 'photos/out']) assert.strictEqual(workspaceOutputFolderProblem({ ...ws, folder }), undefined, folder);
    for (const folder of ['D:\\out', 'D:out', '..\\elsewhere', 'a\\..\\..\\b', '\\\\server\\share\\out']) {
      assert.match(workspaceOutputFolderProblem({ ...ws, folder }) ?? '', /leads outside the workspace folder C:\\ws\./, folder);
    }
  });

  it('a photo or a style Windows could not name a file after gives a name it can', () => {
    const names = [
      baseName({ ...win, content: `${home}\\con.jpg` }), baseName({ ...win, content: `${home}\\NUL.png`, pattern: '${name}' }),
      baseName({ ...win, content: `${home}\\aux.v2.jpg`, pattern: '${name}' }), baseName({ ...win, style: 'what? "this" <is> a|b*c:d' }),
      baseName({ ...win, content: `${home}\\photo.`, pattern: '${name}.' }), slug('COM1'), slug('lpt9...'),
    ];
    assert.deepStrictEqual(names, ['con_.van_gogh_starry_night', 'NUL_', 'aux_.v2', 'cat.what___this___is__a_b_c_d', 'photo', 'COM1_', 'lpt9_']);
    for (const name of names) assert.strictEqual(windowsNameProblem(`${name}.png`), null, name);
    assert.strictEqual(freeOutputPath({ ...win, content: `${home}\\con.jpg` }, none), `${home}\\con_.van_gogh_starry_night.png`);
  });
});

describe('names that differ only in case', () => {
  const photo = (platform: NodeJS.Platform, dir: string) => ({ ...win, platform, content: `${dir}Cat.PNG`, pattern: '${name}', style: 'x' });

  it('are one file on Windows and macOS: a result never takes its photo\'s name in another case', () => {
    assert.strictEqual(freeOutputPath(photo('win32', 'C:\\ws\\'), none), 'C:\\ws\\Cat-1.png');
    assert.strictEqual(freeOutputPath(photo('darwin', '/Users/zoe/'), none), '/Users/zoe/Cat-1.png');
    assert.strictEqual(freeOutputPath(photo('linux', '/home/zoe/'), none), '/home/zoe/Cat.png', 'two files on Linux');
  });

  it('a running job\'s output, kept by pathKey as the job runner keeps it, is taken in any case on Windows', () => {
    const running = new Set([pathKey('C:\\ws\\CAT.X.png', 'win32')]);
    const taken = (platform: NodeJS.Platform) => (file: string) => running.has(pathKey(file, platform));
    assert.strictEqual(freeOutputPath({ ...win, content: 'C:\\ws\\cat.jpg', style: 'x' }, taken('win32')), 'C:\\ws\\cat.x-1.png');
  });
});

describe('the saved queue on Windows', () => {
  const job = (content: string, style = 'c:\\Users\\Zoë Ünal\\Pictures\\wave.jpg') => ({ id: 'j', content, style: { path: style, id: 'wave', label: 'wave.jpg' } });

  it('keeps jobs by drive letter or server, either slash, and drops the ones without a drive', () => {
    const warnings: string[] = [];
    const saved = [job(`${home}\\cat.jpg`), job('\\\\nas\\photos\\dog.png'), job('D:/photos/bird.webp'), job('\\photos\\cat.jpg'), job('C:cat.jpg')];
    const kept = parseSavedQueue(saved, (w) => warnings.push(w), 'win32');
    assert.deepStrictEqual(kept.map((j) => j.content), [`${home}\\cat.jpg`, '\\\\nas\\photos\\dog.png', 'D:/photos/bird.webp']);
    assert.deepStrictEqual(warnings, [
      'saved job 4 (j) was dropped: its content image "\\\\photos\\\\cat.jpg" is not an absolute path',
      'saved job 5 (j) was dropped: its content image "C:cat.jpg" is not an absolute path',
    ]);
  });

  it('a Windows path is no path on Linux', () => {
    const warnings: string[] = [];
    assert.deepStrictEqual(parseSavedQueue([job(`${home}\\cat.jpg`, '/home/zoe/wave.jpg')], (w) => warnings.push(w), 'linux'), []);
    assert.match(warnings[0], /its content image "C:\\\\Users.*" is not an absolute path/);
  });
});
