import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEPLOY_APPS } from './deploy-apps';
import { packageVersion, renderK8sFiles } from './k8s-manifests';
import { checkCompose, checkK8sObject, parseYaml, validateDeploy } from './validate-deploy';
import { checkDockerfile } from './validate-deploy.rules';

const root = join(__dirname, '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const firstDoc = (path: string) => parseYaml(read(path)).docs[0]!;

describe('deploy/ validated offline', () => {
  it('every Kubernetes object, the compose file, the chart values and the Dockerfiles are valid', () => {
    expect(validateDeploy(root)).toEqual([]);
  });

  it('the committed manifests are what tools/k8s-manifests.ts renders', () => {
    for (const [path, text] of renderK8sFiles(packageVersion(root))) {
      expect({ path, text: read(path) }).toEqual({ path, text });
    }
  });

  it('refuses a Deployment that breaks the Kubernetes schema', () => {
    const bad = structuredClone(firstDoc('deploy/k8s/apps/router/deployment.yaml'));
    const spec = bad.spec as Record<string, unknown>;
    spec.replicas = 'two';
    delete spec.selector;
    const problems = checkK8sObject(bad, 'x.yaml', root).join('\n');
    expect(problems).toMatch(/replicas must be integer/);
    expect(problems).toMatch(/required property selector/);
  });

  it('refuses a polling mode that could run twice, and a pod without probes', () => {
    const bad = structuredClone(
      firstDoc('deploy/k8s/apps/gateway-telegram-polling/deployment.yaml'),
    );
    const spec = bad.spec as {
      replicas: number;
      strategy?: unknown;
      template: { spec: { containers: Record<string, unknown>[] } };
    };
    spec.replicas = 2;
    delete spec.strategy;
    delete spec.template.spec.containers[0]!.readinessProbe;
    expect(checkK8sObject(bad, 'x.yaml', root)).toEqual([
      'gateway-telegram: readinessProbe must GET /health',
      'a single-instance mode must have replicas: 1',
      'a single-instance mode must use strategy Recreate (never two at once)',
    ]);
  });

  it('refuses an unknown kind and a CloudNativePG cluster with a misspelt key', () => {
    expect(checkK8sObject({ apiVersion: 'v1', kind: 'Sekret' }, 'x.yaml', root)).toEqual([
      'unknown apiVersion/kind v1 Sekret',
    ]);
    const pg = structuredClone(firstDoc('deploy/k8s/postgres/cluster.yaml'));
    (pg.spec as Record<string, unknown>).instance = 3;
    expect(checkK8sObject(pg, 'x.yaml', root).join('\n')).toMatch(/additional properties/);
  });

  it('refuses a compose file that breaks the Compose Specification', () => {
    const text = read('deploy/docker-compose.yml').replace(
      'condition: service_completed_successfully',
      'condition: service_done',
    );
    expect(text).not.toBe(read('deploy/docker-compose.yml'));
    expect(checkCompose(text, root).join('\n')).toMatch(/allowed values|must be equal to one of/);
    expect(checkCompose('services:\n  a:\n    imagee: x\n', root).join('\n')).toMatch(
      /additional properties/,
    );
  });

  it('refuses a Dockerfile that runs as root, without a health check, bound to loopback', () => {
    const bad = 'FROM node:18-slim AS build\nRUN true\nFROM node:18-slim\nCMD ["node"]\n';
    expect(checkDockerfile(bad)).toEqual([
      'node:18-slim: not a Node LTS',
      'node:18-slim: not a Node LTS',
      'the final stage must set a non-root USER',
      'the final stage needs a HEALTHCHECK',
      'the final stage must set HOST=0.0.0.0 (the apps bind 127.0.0.1 by default)',
    ]);
  });

  it("the images' health check knows every app's port", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain script in the image
    const { HTTP_PORTS } = require('../deploy/docker/healthcheck.js') as {
      HTTP_PORTS: Record<string, [string, number]>;
    };
    for (const a of DEPLOY_APPS) {
      expect([a.app, HTTP_PORTS[a.app]]).toEqual([a.app, [a.portKey, a.port]]);
    }
  });
});
