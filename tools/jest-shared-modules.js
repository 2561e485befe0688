/**
 * Packages from node_modules loaded once per jest worker and shared by the test files it runs.
 *
 * Jest gives each test file its own module registry: a typical integration file evaluated about
 * 2,000 modules of node_modules (10 MB of source: NestJS, zod, drizzle, nats, fastify, ...) before
 * its first test, and the next file in the same worker read, compiled and ran them all again. Our
 * own modules (apps, libs, tests) still get a fresh registry per file, as jest gives them; only
 * node_modules are kept, as one long-running process keeps them (what `npm start` does).
 *
 * The shared modules live in the worker's one vm context (tools/jest-cpu-environment.js keeps it
 * across test files), so they and the test code see the same built-ins (`instanceof Error`,
 * Promise, Reflect metadata): nothing crosses a realm. A package that keeps per-test state at
 * module level is listed in PER_FILE and loaded by jest for each file as before.
 */
const { readFileSync } = require('node:fs');
const { createRequire, isBuiltin } = require('node:module');
const Module = require('node:module');
const { dirname, extname } = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');

/**
 * Loaded per test file, by jest: prom-client's default registry holds counter values, and tests
 * read those counters (a worker's earlier file would have counted into them).
 */
const PER_FILE = new Set(['prom-client']);

/** CommonJS conditions as jest's runtime uses them on Node 20 (without `module-sync`). */
const RESOLVE_OPTIONS = Object.freeze({
  conditions: ['require', 'node', 'default', 'node-addons'],
});

const WRAPPER_PARAMS = ['exports', 'require', 'module', '__filename', '__dirname'];

class SharedModule {
  constructor(filename, loader) {
    this.id = filename;
    this.filename = filename;
    this.path = dirname(filename);
    this.exports = {};
    this.loaded = false;
    this.children = [];
    this.parent = null;
    this.paths = Module._nodeModulePaths(this.path);
    this.loader = loader;
  }

  require(id) {
    return this.loader.requireFrom(this, id);
  }
}

class SharedModuleLoader {
  /**
   * @param {{ context: object, global: any }} realm the worker's vm context and its global
   * @param {any} resolver jest's resolver (node's would pick `module-sync` ES entry points on Node
   *   20.19+, which a CommonJS wrapper cannot run)
   */
  constructor(realm, resolver) {
    this.realm = realm;
    this.resolver = resolver;
    /** @type {Map<string, SharedModule>} */
    this.modules = new Map();
    /** `require.cache` as node shows it: filename to module. */
    this.cache = Object.create(null);
    /** Resolution per requiring folder and specifier. */
    this.resolved = new Map();
  }

  resolve(from, id) {
    const key = `${dirname(from)}\0${id}`;
    let filename = this.resolved.get(key);
    if (filename === undefined) {
      filename = this.resolver.resolveModule(from, id, RESOLVE_OPTIONS);
      this.resolved.set(key, filename);
    }
    return filename;
  }

  requireFrom(parent, id) {
    if (isBuiltin(id)) return this.builtin(id);
    const filename = this.resolve(parent.filename, id);
    if (isBuiltin(filename)) return this.builtin(filename);
    return this.load(filename, parent);
  }

  builtin(id) {
    // The test file's own process object (jest gives each file a copy), as jest's require does.
    if (id === 'process' || id === 'node:process') return this.realm.global.process;
    return require(id);
  }

  load(filename, parent) {
    const known = this.modules.get(filename);
    if (known) return known.exports;
    const ext = extname(filename);
    if (ext === '.node') return require(filename);
    const module = new SharedModule(filename, this);
    module.parent = parent ?? null;
    if (parent?.children) parent.children.push(module);
    this.modules.set(filename, module);
    this.cache[filename] = module;
    try {
      if (ext === '.json') {
        module.exports = this.realm.global.JSON.parse(readFileSync(filename, 'utf8'));
      } else {
        this.execute(module);
      }
      module.loaded = true;
    } catch (e) {
      this.modules.delete(filename);
      delete this.cache[filename];
      throw e;
    }
    return module.exports;
  }

  execute(module) {
    let source = readFileSync(module.filename, 'utf8');
    if (source.startsWith('#!')) source = `//${source}`;
    const fn = vm.compileFunction(source, WRAPPER_PARAMS, {
      filename: module.filename,
      parsingContext: this.realm.context,
      importModuleDynamically: (specifier) => import(this.importTarget(module.filename, specifier)),
    });
    const require = (id) => this.requireFrom(module, id);
    require.resolve = (id, options) => {
      if (isBuiltin(id)) return id;
      return options
        ? createRequire(module.filename).resolve(id, options)
        : this.resolve(module.filename, id);
    };
    require.resolve.paths = (id) => createRequire(module.filename).resolve.paths(id);
    require.cache = this.cache;
    require.extensions = Module._extensions;
    require.main = undefined;
    fn.call(module.exports, module.exports, require, module, module.filename, module.path);
  }

  importTarget(from, specifier) {
    if (isBuiltin(specifier)) return specifier;
    return pathToFileURL(this.resolve(from, specifier)).href;
  }
}

/** The package a bare specifier names (`@scope/name` or `name`), or null for a path or a builtin. */
function packageOf(specifier) {
  const c = specifier.charCodeAt(0);
  // '.', '/', and '@omnigate/…' (mapped to our sources by jest's moduleNameMapper)
  if (c === 46 || c === 47 || specifier.startsWith('@omnigate/')) return null;
  if (specifier.startsWith('node:') || isBuiltin(specifier)) return null;
  const slash = specifier.indexOf('/');
  if (c === 64) {
    const second = specifier.indexOf('/', slash + 1);
    return second === -1 ? specifier : specifier.slice(0, second);
  }
  return slash === -1 ? specifier : specifier.slice(0, slash);
}

let loader = null;

/** Packages found to be ES modules (compiled as CommonJS they fail); jest loads those. */
const ESM_PACKAGES = new Set();

/**
 * The shared module for `specifier` required from a test file or one of our modules, or undefined
 * when jest should load it (a path, a builtin, our own packages, a PER_FILE package, or a test
 * environment that does not share its context).
 */
function requireShared(environment, resolver, from, specifier) {
  const realm = environment.sharedRealm;
  if (!realm) return undefined;
  const pkg = packageOf(specifier);
  if (pkg === null || PER_FILE.has(pkg)) return undefined;
  if (!loader || loader.realm.context !== realm.context) {
    loader = new SharedModuleLoader(realm, resolver);
    // For libs/testing's log routing, which looks for Nest among the loaded modules.
    realm.global[Symbol.for('omnigate.jest.sharedModules')] = loader.cache;
  }
  loader.realm = realm;
  let filename;
  try {
    filename = loader.resolve(from, specifier);
  } catch {
    return undefined; // jest reports a module it cannot find, with its hints
  }
  if (isBuiltin(filename) || !filename.includes('/node_modules/')) return undefined;
  if (ESM_PACKAGES.has(pkg)) return undefined;
  try {
    return loader.load(filename, null);
  } catch (e) {
    // An ES module package: jest loads it (its ESM support), for this file and the next ones.
    // By name, not instanceof: the error may come from either realm.
    if (e?.name === 'SyntaxError' && /import|export/.test(e.message)) {
      ESM_PACKAGES.add(pkg);
      return undefined;
    }
    throw e;
  }
}

module.exports = { requireShared, packageOf };
