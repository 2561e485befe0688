/**
 * Offline checks of deploy/ (no Docker engine, no cluster in CI):
 *   node -r @swc-node/register tools/validate-deploy.ts     exit 0 valid, 1 with every problem
 * - Kubernetes: every object of deploy/k8s against the Kubernetes API schemas (kubernetes-models:
 *   types, required fields, enums, formats; unknown fields are NOT refused, as kubeconform without
 *   -strict), kustomization.yaml files (resources exist), the CloudNativePG Cluster and the NATS
 *   chart's values against the subset of their schemas used here; and our rules (probes, non-root,
 *   single-instance modes).
 * - Compose: deploy/docker-compose.yml against the Compose Specification schema.
 * - Dockerfiles: multi-stage, Node LTS, non-root USER, HEALTHCHECK, HOST=0.0.0.0.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import Ajv from 'ajv';
import type { ErrorObject } from 'ajv';
import { CORE_SCHEMA, loadAll, mergeTag } from 'js-yaml';
import { checkDeployment, checkDockerfile } from './validate-deploy.rules';
import { CNPG_CLUSTER_SCHEMA, KUSTOMIZATION_SCHEMA, NATS_VALUES_SCHEMA } from './deploy-schemas';

export interface DeployProblem {
  file: string;
  message: string;
}

type Doc = Record<string, unknown>;
type Validate = (doc: Doc) => string[];

// Formats are not checked: the compose schema names its own (duration, ports, expose).
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const ajvErrors = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}`);
const withSchema = (schema: object): Validate => {
  const fn = ajv.compile(schema);
  return (doc) => (fn(doc) ? [] : ajvErrors(fn.errors));
};
const cnpgCluster = withSchema(CNPG_CLUSTER_SCHEMA);
const kustomization = withSchema(KUSTOMIZATION_SCHEMA);
const natsValues = withSchema(NATS_VALUES_SCHEMA);

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/** The kubernetes-models class of an apiVersion/kind (v1 → core), or null when unknown. */
function modelOf(apiVersion: string, kind: string): ModelClass | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- one module per kind, chosen at run time
    const mod = require(`kubernetes-models/${apiVersion}/${kind}`) as Record<string, ModelClass>;
    return mod[kind] ?? null;
  } catch {
    return null;
  }
}

/** Problems of one Kubernetes object (schema and our rules). */
export function checkK8sObject(doc: Doc, file: string, root: string): string[] {
  const apiVersion = typeof doc.apiVersion === 'string' ? doc.apiVersion : '';
  const kind = typeof doc.kind === 'string' ? doc.kind : '';
  if (!apiVersion || !kind) return ['apiVersion and kind are required'];
  if (kind === 'Kustomization') {
    return [...kustomization(doc), ...missingResources(doc, file, root)];
  }
  if (apiVersion === 'postgresql.cnpg.io/v1' && kind === 'Cluster') return cnpgCluster(doc);
  const Model = modelOf(apiVersion, kind);
  if (!Model) return [`unknown apiVersion/kind ${apiVersion} ${kind}`];
  const problems: string[] = [];
  try {
    new Model(doc).validate();
  } catch (e) {
    problems.push((e as Error).message);
  }
  if (kind === 'Deployment') problems.push(...checkDeployment(doc));
  return problems;
}

function missingResources(doc: Doc, file: string, root: string): string[] {
  const resources = Array.isArray(doc.resources) ? (doc.resources as string[]) : [];
  const here = dirname(join(root, file));
  return resources
    .filter((r) => !existsSync(join(here, r)))
    .map((r) => `resource ${r} does not exist`);
}

/** YAML 1.2 core plus merge keys (`<<: *anchor`), which Compose files use and Compose resolves. */
const YAML_SCHEMA = CORE_SCHEMA.withTags(mergeTag);

/** Every YAML document of a text; a parse error is one problem. */
export function parseYaml(text: string): { docs: Doc[]; error?: string } {
  try {
    return {
      docs: loadAll(text, { schema: YAML_SCHEMA }).filter((d): d is Doc => !!d),
    };
  } catch (e) {
    return { docs: [], error: (e as Error).message.split('\n')[0] };
  }
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

const COMPOSE_SCHEMA = 'deploy/schemas/compose-spec.schema.json';
let composeValidate: Validate | undefined;

/** Problems of a compose file's text: the Compose Specification schema and our rules. */
export function checkCompose(text: string, root: string): string[] {
  if (!composeValidate) {
    // Its $schema (https://json-schema.org/draft-07/schema) is draft-07 under a URL ajv does not
    // register; ajv's default dialect is draft-07.
    const { $schema: _dialect, ...schema } = JSON.parse(
      readFileSync(join(root, COMPOSE_SCHEMA), 'utf8'),
    ) as Record<string, unknown>;
    composeValidate = withSchema(schema);
  }
  const { docs, error } = parseYaml(text);
  if (error) return [error];
  const doc = docs[0];
  if (!doc) return ['empty compose file'];
  const problems = composeValidate(doc);
  const services = (doc.services ?? {}) as Record<string, Doc>;
  const nodes = Object.keys(services).filter((s) => /^nats-\d$/.test(s));
  if (nodes.length !== 3) problems.push(`expected three NATS nodes, found ${nodes.length}`);
  for (const need of ['postgres', 'migrate', 'sandbox']) {
    if (!services[need]) problems.push(`service ${need} is missing`);
  }
  return problems;
}

/** Every problem under deploy/ of the repository at `root`. */
export function validateDeploy(root: string): DeployProblem[] {
  const problems: DeployProblem[] = [];
  const add = (file: string, messages: string[]) =>
    problems.push(...messages.map((message) => ({ file, message })));

  const k8sDir = join(root, 'deploy', 'k8s');
  for (const path of yamlFiles(k8sDir)) {
    const file = relative(root, path);
    const { docs, error } = parseYaml(readFileSync(path, 'utf8'));
    if (error) {
      add(file, [error]);
      continue;
    }
    if (file.endsWith(join('nats', 'values.yaml'))) {
      add(file, natsValues(docs[0] ?? {}));
      continue;
    }
    docs.forEach((doc, i) => add(`${file}#${i + 1}`, checkK8sObject(doc, file, root)));
  }

  const compose = join('deploy', 'docker-compose.yml');
  add(compose, checkCompose(readFileSync(join(root, compose), 'utf8'), root));
  for (const conf of ['deploy/nats/cluster/nats-cluster.conf', 'deploy/nats/nats-users.conf']) {
    if (!existsSync(join(root, conf))) {
      add(compose, [`${conf} (mounted by the NATS nodes) is missing`]);
    }
  }

  const dockerDir = join(root, 'deploy', 'docker');
  for (const name of readdirSync(dockerDir).filter((n) => /Dockerfile$/.test(n))) {
    add(
      join('deploy', 'docker', name),
      checkDockerfile(readFileSync(join(dockerDir, name), 'utf8')),
    );
  }
  return problems;
}

if (require.main === module) {
  const problems = validateDeploy(join(__dirname, '..'));
  for (const p of problems) console.error(`${p.file}: ${p.message}`);
  console.log(problems.length === 0 ? 'deploy/ is valid' : `${problems.length} problem(s)`);
  process.exit(problems.length === 0 ? 0 : 1);
}
