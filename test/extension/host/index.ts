/**
 * The mocha run inside the extension host (@vscode/test-electron's extensionTestsPath): the bundled
 * *.test.js beside it, with the options of .mocharc.json (bundled in; mocha's CLI does not run here).
 */
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import mocharc from './.mocharc.json';

export function run(): Promise<void> {
  const mocha = new Mocha(mocharc as Mocha.MochaOptions);
  // NS_TEST_GREP=webgl runs only the tests whose titles match (the rig passes the environment through).
  if (process.env.NS_TEST_GREP) mocha.grep(process.env.NS_TEST_GREP);
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
