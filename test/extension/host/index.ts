/** The mocha run inside the extension host (@vscode/test-electron's extensionTestsPath). */
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 120_000, slow: 10_000, color: true });
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => (failures ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
    // Totals for scripts/test.mjs's closing line.
    runner.once('end', () => {
      if (process.env.NS_TEST_STATS) fs.writeFileSync(process.env.NS_TEST_STATS, JSON.stringify(runner.stats));
    });
  });
}
