// One runner for the repo: jest + @swc/jest (decorator metadata on, or Nest DI fails silently).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2023',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const libs = ['contracts', 'bus', 'store', 'crypto', 'kit', 'testing', 'twilio', 'gateway-kit'];
const moduleNameMapper = Object.fromEntries(
  libs.map((l) => [`^@omnigate/${l}$`, `<rootDir>/libs/${l}/src`]),
);
const common = {
  // node's environment, recording each file's CPU cost when OMNIGATE_TEST_CPU is set (CI)
  testEnvironment: '<rootDir>/tools/jest-cpu-environment.js',
  // node_modules packages loaded once per worker, not once per test file (tools/jest-shared-modules.js)
  runtime: '<rootDir>/tools/jest-shared-runtime.js',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.(t|j)s$': swc },
  moduleNameMapper,
  rootDir: __dirname,
  // Application logs go to artifacts/test-logs/<test file>.log, not to the terminal.
  setupFilesAfterEnv: ['<rootDir>/libs/testing/src/test-logs.setup.ts'],
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
    },
  ],
  // Hooks too: a test system stops in steps that each have a grace period (see libs/bus).
  testTimeout: 60000,
  // Each test file leaves about 18 MB behind in its worker (module registries, PGlite memory);
  // past this a worker is replaced. Garbage collection in a bloated worker cost more CPU than a
  // fresh worker's start: 16% less CPU over 40 integration files.
  workerIdleMemoryLimit: '350MB',
};
