/**
 * Jest test environment: node's, with two changes.
 *
 * - The test files of one worker share one vm context, so that the node_modules packages loaded
 *   for the first file serve the next ones (tools/jest-shared-modules.js, used by
 *   tools/jest-shared-runtime.js). Each file still gets its own process object (with its own copy
 *   of process.env), its own mocks and timers, and jest's fresh registry for our own modules.
 * - A line per test file in OMNIGATE_TEST_CPU (when set) with the CPU seconds the file cost its
 *   worker and the child processes it started and reaped (nats-server, apps booted as processes),
 *   its wall seconds, its path and the worker's pid (a new pid: jest replaced a bloated worker).
 *   CI prints the costliest files, so the next person sees where the minutes go without profiling.
 */
const { appendFileSync, readFileSync } = require('node:fs');
const { relative } = require('node:path');
const { LegacyFakeTimers, ModernFakeTimers } = require('@jest/fake-timers');
const { ModuleMocker } = require('jest-mock');
const { TestEnvironment } = require('jest-environment-node');

/** The first environment of this worker: its context is every later test file's. */
let workerRealm = null;

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
    if (!workerRealm) {
      workerRealm = { env: this, context: this.context, global: this.global };
    } else {
      // This file's own process object moves into the shared context; the fresh context is dropped.
      workerRealm.global.process = this.global.process;
      this.context = workerRealm.context;
      this.global = workerRealm.global;
      this.moduleMocker = new ModuleMocker(this.global);
      // As node's environment: a fake timer's ref()/unref() return the timer ref itself.
      const timerConfig = {
        idToRef: (id) => ({
          id,
          ref() {
            return this;
          },
          unref() {
            return this;
          },
        }),
        refToId: (t) => t?.id,
      };
      this.fakeTimers = new LegacyFakeTimers({
        config: config.projectConfig,
        global: this.global,
        moduleMocker: this.moduleMocker,
        timerConfig,
      });
      this.fakeTimersModern = new ModernFakeTimers({
        config: config.projectConfig,
        global: this.global,
      });
    }
    this.sharedRealm = { context: workerRealm.context, global: workerRealm.global };
  }

  async setup() {
    this.started = { self: process.cpuUsage(), children: childrenCpuSeconds(), at: Date.now() };
    await super.setup();
  }

  async teardown() {
    // The shared context stays for the worker's next file: node's teardown would delete every
    // global set since it was made, the shared modules' among them.
    this.fakeTimers?.dispose();
    this.fakeTimersModern?.dispose();
    this.fakeTimers = null;
    this.fakeTimersModern = null;
    this.context = null;
    this.sharedRealm = null;
    // The first environment's proxy remembers every global value replaced since (each file's
    // describe, expect, process...): forget them, or they keep every finished file's modules alive.
    const proxy = workerRealm.env._globalProxy;
    proxy.leftovers = [];
    proxy.propertyToValue.clear();
    const out = process.env.OMNIGATE_TEST_CPU;
    if (!out || !this.started) return;
    const self = process.cpuUsage(this.started.self);
    const selfS = (self.user + self.system) / 1e6;
    const childS = childrenCpuSeconds() - this.started.children;
    const wallS = (Date.now() - this.started.at) / 1000;
    appendFileSync(
      out,
      `${selfS.toFixed(2)}\t${childS.toFixed(2)}\t${wallS.toFixed(1)}\t${this.testPath}\t${process.pid}\n`,
    );
  }
}

module.exports = CpuAccountingEnvironment;
