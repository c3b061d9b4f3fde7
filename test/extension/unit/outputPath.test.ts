import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { baseName, freeOutputPath, outputFolder, slug, stylesId, workspaceOutputFolderProblem } from '../../../extension/src/outputPath';

const req = { content: '/ws/photos/cat.jpg', style: 'van_gogh_starry_night', folder: '', pattern: '${name}.${style}', format: 'png' as const };
const none = () => false;

describe('output naming', () => {
  it('goes beside the source as <name>.<style>.png', () => {
    assert.strictEqual(freeOutputPath(req, none), '/ws/photos/cat.van_gogh_starry_night.png');
  });

  it('never takes an existing name: -1, -2, …', () => {
    const taken = new Set(['/ws/photos/cat.van_gogh_starry_night.png', '/ws/photos/cat.van_gogh_starry_night-1.png']);
    assert.strictEqual(freeOutputPath(req, (f) => taken.has(f)), '/ws/photos/cat.van_gogh_starry_night-2.png');
  });

  it('never returns the content image itself', () => {
    const r = { ...req, content: '/ws/a.png', pattern: '${name}', style: 'x' };
    assert.strictEqual(freeOutputPath(r, none), '/ws/a-1.png');
  });

  it('uses the configured format extension', () => {
    assert.strictEqual(path.extname(freeOutputPath({ ...req, format: 'jpeg' }, none)), '.jpg');
    assert.strictEqual(path.extname(freeOutputPath({ ...req, format: 'tiff' }, none)), '.tif');
  });

  it('a relative folder is taken from the workspace folder, else from the source folder', () => {
    assert.strictEqual(outputFolder({ ...req, folder: 'stylized', workspaceFolder: '/ws' }), '/ws/stylized');
    assert.strictEqual(outputFolder({ ...req, folder: 'stylized' }), '/ws/photos/stylized');
    assert.strictEqual(outputFolder({ ...req, folder: '/tmp/out', workspaceFolder: '/ws' }), '/tmp/out');
  });

  it('a workspace\'s folder must stay inside the workspace; the message names the value and the way out', () => {
    const ws = { ...req, workspaceFolder: '/ws' };
    for (const folder of ['stylized', 'photos/out', '.']) assert.strictEqual(workspaceOutputFolderProblem({ ...ws, folder }), undefined, folder);
    for (const folder of ['/tmp/out', '../elsewhere', 'a/../../b']) {
      assert.match(workspaceOutputFolderProblem({ ...ws, folder }) ?? '', new RegExp(`^Setting neuralStyle.outputFolder: the workspace's value "${folder.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}" leads outside the workspace folder /ws\\. .*user settings\\.$`), folder);
    }
  });

  it('a workspace\'s folder is checked by its real path: a symbolic link out of it is refused, "..results" is a folder inside', () => {
    const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ns-ws-')));
    try {
      const ws = path.join(base, 'project');
      const elsewhere = path.join(base, 'elsewhere');
      for (const dir of [path.join(ws, 'sub'), path.join(ws, '..results'), elsewhere]) fs.mkdirSync(dir, { recursive: true });
      fs.symlinkSync(elsewhere, path.join(ws, 'renders')); // a link committed in the repository
      fs.symlinkSync('..', path.join(ws, 'up'));
      fs.symlinkSync(path.join(base, 'made-later'), path.join(ws, 'pending')); // dangling: mkdir would create it outside
      fs.symlinkSync('sub', path.join(ws, 'alias'));
      fs.symlinkSync(ws, path.join(base, 'opened-as')); // the workspace itself opened through a link
      for (const root of [ws, path.join(base, 'opened-as')]) {
        const at = { ...req, content: path.join(root, 'cat.jpg'), workspaceFolder: root };
        for (const folder of ['..results', '..results/2025', '...', '..draft', 'alias', 'alias/deeper', 'sub/new']) {
          assert.strictEqual(workspaceOutputFolderProblem({ ...at, folder }), undefined, `${root}: ${folder}`);
        }
        const outside: [string, string][] = [['renders', elsewhere], ['renders/2025/may', path.join(elsewhere, '2025', 'may')], ['up/other', path.join(base, 'other')],
          ['pending', path.join(base, 'made-later')], ['pending/x', path.join(base, 'made-later', 'x')]];
        for (const [folder, real] of outside) {
          assert.strictEqual(workspaceOutputFolderProblem({ ...at, folder }), `Setting neuralStyle.outputFolder: the workspace's value ${JSON.stringify(folder)} leads outside the workspace folder ${root} through a symbolic link (to ${real}). Use a real folder inside the workspace, or put this folder in your user settings.`, `${root}: ${folder}`);
        }
      }
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  it('the pattern can reorder the parts', () => {
    assert.strictEqual(baseName({ ...req, pattern: '${style}-${name}-painted' }), 'van_gogh_starry_night-cat-painted');
  });

  it('style names are made safe for file names', () => {
    assert.strictEqual(slug('The Starry Night'), 'The_Starry_Night');
    assert.strictEqual(slug('a/b\\c:d'), 'a_b_c_d');
    assert.strictEqual(slug('..hidden'), 'hidden');
    assert.strictEqual(slug(''), 'style');
  });

  it('a blend names both styles, each made safe on its own', () => {
    assert.strictEqual(freeOutputPath({ ...req, style: stylesId(['starry-night', 'wave']) }, none), '/ws/photos/cat.starry-night+wave.png');
    assert.strictEqual(stylesId(['../up', 'a/b']), '_up+a_b');
    assert.strictEqual(stylesId(['', '..']), 'style+style');
    assert.strictEqual(path.dirname(freeOutputPath({ ...req, style: stylesId(['..', '../../etc/x']) }, none)), '/ws/photos', 'no name leaves the folder');
  });
});
