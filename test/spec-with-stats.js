// mocha's spec reporter, plus the run's totals written to $NS_TEST_STATS so
// scripts/test.mjs can print one closing line over every suite.
'use strict';
const fs = require('fs');
const Mocha = require('mocha');

class SpecWithStats extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      if (process.env.NS_TEST_STATS) fs.writeFileSync(process.env.NS_TEST_STATS, JSON.stringify(runner.stats));
    });
  }
}
module.exports = SpecWithStats;
