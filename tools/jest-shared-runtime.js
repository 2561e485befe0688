/**
 * Jest's runtime, with node_modules packages shared by the test files of a worker
 * (tools/jest-shared-modules.js). Everything else (our modules, paths, builtins, jest's own
 * modules, and a package a test file mocks with jest.mock) goes through jest as before.
 */
const Runtime = require('jest-runtime').default;
const { requireShared } = require('./jest-shared-modules');

class SharedModulesRuntime extends Runtime {
  requireModuleOrMock(from, moduleName) {
    // jest.mock('pkg') in this file: jest's mock (a shared package requiring pkg gets the real one)
    if (
      moduleName === '@jest/globals' ||
      this.mockState.shouldMockCjs(from, moduleName).shouldMock
    ) {
      return super.requireModuleOrMock(from, moduleName);
    }
    const shared = requireShared(this._environment, this._resolution.resolver, from, moduleName);
    return shared === undefined ? super.requireModuleOrMock(from, moduleName) : shared;
  }
}

module.exports = SharedModulesRuntime;
module.exports.default = SharedModulesRuntime;
