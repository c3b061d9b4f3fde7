import { expect } from 'chai';
import { NeuralStyleError } from '../../../packages/engine/src/core/errors';
import { isFullPath, pathKey, portableFileName, samePath, windowsNameProblem } from '../../../packages/engine/src/file-names';
import { checkOutputName } from '../../../packages/engine/src/node/output-file';

// Windows and macOS rules, simulated: these run on Linux, with the platform passed in.

describe('file names Windows refuses', () => {
  const refused = ['CON', 'nul.png', 'Aux.starry.png', 'com1.tif', 'LPT9.jpg', 'con .png', 'COM¹.png', 'conin$.png',
    'a:b.png', 'what?.png', 'a*b.png', '"q".png', '<a>.png', 'a|b.png', 'tab\there.png', 'dot.', 'space ', 'cat.png.'];
  const taken = ['console.png', 'nully.png', 'com10.png', 'lpt.png', 'cat.con.png', '.con.png', 'Zoë Ünal.png', 'a b.png', '日本.png'];

  it('each refused name is named with the reason, and a taken one is not', () => {
    for (const name of refused) expect(windowsNameProblem(name), name).to.be.a('string');
    for (const name of taken) expect(windowsNameProblem(name), name).to.equal(null);
    expect(windowsNameProblem('nul.png')).to.equal('Windows keeps the name NUL for a device, with any extension');
    expect(windowsNameProblem('a:b.png')).to.equal('Windows does not allow ":" in a file name');
  });

  it('turned into names Windows takes, the rest of the name kept', () => {
    for (const name of [...refused, ...taken]) expect(windowsNameProblem(portableFileName(name)), `${name} → ${portableFileName(name)}`).to.equal(null);
    expect(portableFileName('con.starry.png')).to.equal('con_.starry.png');
    expect(portableFileName('NUL')).to.equal('NUL_');
    expect(portableFileName('con .png')).to.equal('con_.png');
    expect(portableFileName('a:b*c?.png')).to.equal('a_b_c_.png');
    expect(portableFileName('cat.png. .')).to.equal('cat.png');
    for (const name of taken) expect(portableFileName(name)).to.equal(name);
  });

  it('the engine refuses such an output on Windows before any work, and not elsewhere', () => {
    for (const file of ['C:\\Users\\Zoë Ünal\\Pictures\\NUL.png', 'D:\\out\\con.starry.png', 'C:\\out\\cat.png:stream', '\\\\server\\share\\what?.png']) {
      expect(() => checkOutputName(file, 'win32'), file).to.throw(NeuralStyleError, /^Cannot write .*: Windows .*\. Choose another name\.$/);
    }
    expect(() => checkOutputName('C:\\Users\\Zoë Ünal\\Pictures\\cat.starry.png', 'win32')).not.to.throw();
    expect(() => checkOutputName('/home/zoe/nul.png', 'linux')).not.to.throw();
    expect(() => checkOutputName('/Users/zoe/nul.png', 'darwin')).not.to.throw();
  });
});

describe('paths naming the same file', () => {
  it('Windows: case, separators and drive letters do not tell files apart', () => {
    expect(samePath('C:\\Users\\Zoë\\Cat.PNG', 'c:/users/zoë/cat.png', 'win32')).to.equal(true);
    expect(samePath('C:\\a\\..\\b\\cat.png', 'C:\\b\\cat.png', 'win32')).to.equal(true);
    expect(samePath('C:\\b\\cat.png', 'D:\\b\\cat.png', 'win32')).to.equal(false);
  });

  it('macOS: case and Unicode form do not; Linux: both do', () => {
    const composed = '/Users/Zoë/cat.png';
    const decomposed = '/Users/Zoe\u0308/Cat.png';
    expect(samePath(composed, decomposed, 'darwin')).to.equal(true);
    expect(samePath(composed, decomposed, 'linux')).to.equal(false);
    expect(samePath('/home/a/Cat.png', '/home/a/cat.png', 'linux')).to.equal(false);
    expect(pathKey('/home/a/Cat.png', 'linux')).to.equal('/home/a/Cat.png');
  });

  it('a full path: on Windows with its drive or server, elsewhere from the root', () => {
    for (const file of ['C:\\photos\\a.png', 'c:/photos/a.png', '\\\\server\\share\\a.png']) expect(isFullPath(file, 'win32'), file).to.equal(true);
    for (const file of ['\\photos\\a.png', 'C:a.png', 'a.png', '\\\\\\a.png']) expect(isFullPath(file, 'win32'), file).to.equal(false);
    expect(isFullPath('/home/a.png', 'linux')).to.equal(true);
    expect(isFullPath('C:\\photos\\a.png', 'linux')).to.equal(false);
  });
});
