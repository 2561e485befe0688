/**
 * Jest test environment: node's, plus a line per test file in OMNIGATE_TEST_CPU (when set) with the
 * CPU seconds the file cost its worker and the child processes it started and reaped (nats-server,
 * apps booted as processes). CI prints the costliest files, so the next person sees where the
 * minutes go without profiling.
 */
const { appendFileSync, readFileSync } = require('node:fs');
const { relative } = require('node:path');
const { TestEnvironment } = require('jest-environment-node');

/** User + system CPU seconds of reaped children (utime/stime fields 16/17 of /proc/self/stat). */
function childrenCpuSeconds() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return 0;
  }
}

class CpuAccountingEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = relative(config.globalConfig.rootDir, context.testPath);
  }

  async setup() {
    this.started = { self: process.cpuUsage(), children: childrenCpuSeconds(), at: Date.now() };
    await super.setup();
  }

  async teardown() {
    await super.teardown();
    const out = process.env.OMNIGATE_TEST_CPU;
    if (!out || !this.started) return;
    const self = process.cpuUsage(this.started.self);
    const selfS = (self.user + self.system) / 1e6;
    const childS = childrenCpuSeconds() - this.started.children;
    const wallS = (Date.now() - this.started.at) / 1000;
    appendFileSync(
      out,
      `${selfS.toFixed(2)}\t${childS.toFixed(2)}\t${wallS.toFixed(1)}\t${this.testPath}\n`,
    );
  }
}

module.exports = CpuAccountingEnvironment;
