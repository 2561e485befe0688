#!/usr/bin/env node
// Prints "<label>: N passed, N failed" from a jest --json result file (the plain line CI reads).
const { readFileSync } = require('node:fs');
const [file, label] = process.argv.slice(2);
const r = JSON.parse(readFileSync(file, 'utf8'));
console.log(`${label}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
process.exit(r.numFailedTests === 0 && r.numTotalTests > 0 ? 0 : 1);
