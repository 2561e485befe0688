#!/usr/bin/env node
/**
 * The end of a CI log: one line per jest run, then every failure, short, with the file holding
 * its application logs. Arguments are
 * `<label>=<jest --json file>[:<list of test files that must have run>[:<test logs folder>]]`
 * (logs in artifacts/test-logs by default). Exits 1 when a run is missing, failed, ran nothing,
 * or left out a listed file.
 */
const { existsSync, readFileSync } = require('node:fs');
const { relative } = require('node:path');

const MESSAGE_LINES = 15;
const strip = (s) => s.replace(/\u001b\[[0-9;]*m/g, '');
const rel = (p) => relative(process.cwd(), p);

let ok = true;
const failures = [];
for (const arg of process.argv.slice(2)) {
  const [label, spec] = arg.split('=');
  const [file, listFile, logsDir = 'artifacts/test-logs'] = spec.split(':');
  if (!existsSync(file)) {
    console.log(`${label}: no result (${file} missing: the run did not finish)`);
    ok = false;
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const broken = r.testResults.filter(
    (t) =>
      t.testExecError ||
      (t.status === 'failed' && t.assertionResults.every((a) => a.status !== 'failed')),
  );
  console.log(
    `${label}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ` +
      `${r.numTotalTestSuites} files (${r.numFailedTestSuites} failed)`,
  );
  if (r.numFailedTests > 0 || r.numFailedTestSuites > 0 || r.numTotalTests === 0) ok = false;
  if (listFile && listFile !== '-') {
    const ran = new Set(r.testResults.map((t) => t.name));
    const listed = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
    const missing = listed.filter((p) => !ran.has(p));
    if (missing.length) {
      ok = false;
      console.log(
        `${label}: ${missing.length} listed files did not run: ${missing.map(rel).join(', ')}`,
      );
    }
  }
  for (const t of r.testResults) {
    for (const a of t.assertionResults.filter((x) => x.status === 'failed')) {
      failures.push({
        label,
        file: rel(t.name),
        log: `${logsDir}/${rel(t.name)}.log`,
        name: a.fullName,
        message: a.failureMessages.join('\n'),
      });
    }
  }
  for (const t of broken) {
    failures.push({
      label,
      file: rel(t.name),
      log: `${logsDir}/${rel(t.name)}.log`,
      name: '(the file failed to run)',
      message: t.message || String(t.testExecError?.message ?? ''),
    });
  }
}
for (const f of failures) {
  const lines = strip(f.message)
    .split('\n')
    .filter((l) => l.trim() !== '');
  console.log(`\nFAIL [${f.label}] ${f.file}\n  ${f.name}`);
  for (const l of lines.slice(0, MESSAGE_LINES)) console.log(`    ${l}`);
  if (lines.length > MESSAGE_LINES)
    console.log(`    … ${lines.length - MESSAGE_LINES} more lines in the jest output above`);
  console.log(`    application logs: ${f.log}`);
}
if (failures.length)
  console.log(
    `\n${failures.length} failure(s): see above, each with the file of its application logs`,
  );
process.exit(ok ? 0 : 1);
