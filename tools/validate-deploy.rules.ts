/** Our rules for deploy/ beyond the schemas: pure functions of one object or one Dockerfile. */

type Doc = Record<string, unknown>;
const obj = (v: unknown): Doc => (v && typeof v === 'object' ? (v as Doc) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const probePath = (probe: unknown) => str(obj(obj(probe).httpGet).path);

/**
 * A Deployment: every container has a startup probe and a liveness probe on /health/live and a
 * readiness probe on /health, resource requests, a tagged image; the pod runs as non-root; a
 * single-instance mode (annotation omnigate.io/single) has one replica and strategy Recreate.
 */
export function checkDeployment(doc: Doc): string[] {
  const problems: string[] = [];
  const spec = obj(doc.spec);
  const pod = obj(obj(spec.template).spec);
  if (obj(pod.securityContext).runAsNonRoot !== true) {
    problems.push('pod securityContext.runAsNonRoot must be true');
  }
  for (const c of list(pod.containers).map(obj)) {
    const name = str(c.name);
    if (probePath(c.startupProbe) !== '/health/live') {
      problems.push(`${name}: startupProbe must GET /health/live`);
    }
    if (probePath(c.livenessProbe) !== '/health/live') {
      problems.push(`${name}: livenessProbe must GET /health/live`);
    }
    if (probePath(c.readinessProbe) !== '/health') {
      problems.push(`${name}: readinessProbe must GET /health`);
    }
    if (!obj(obj(c.resources).requests).memory) problems.push(`${name}: no memory request`);
    if (!/:[^/]+$/.test(str(c.image))) problems.push(`${name}: image without a tag`);
  }
  const single = obj(obj(doc.metadata).annotations)['omnigate.io/single'];
  if (single !== undefined) {
    if (spec.replicas !== 1) problems.push('a single-instance mode must have replicas: 1');
    if (obj(spec.strategy).type !== 'Recreate') {
      problems.push('a single-instance mode must use strategy Recreate (never two at once)');
    }
  }
  return problems;
}

/** The instructions of a Dockerfile, continuation lines joined, comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [op = '', ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

/** Node versions with long-term support today (the project is tested on 20). */
const LTS = new Set(['20', '22', '24']);

/**
 * A Dockerfile: multi-stage; every base image a Node LTS; the final stage sets HOST=0.0.0.0,
 * runs as a non-root USER and has a HEALTHCHECK.
 */
export function checkDockerfile(text: string): string[] {
  const ins = instructions(text);
  const problems: string[] = [];
  const froms = ins.filter((i) => i.op === 'FROM');
  if (froms.length < 2) problems.push('must be multi-stage (a build stage and a runtime stage)');
  const nodeArg = /ARG\s+NODE_VERSION=(\d+)/.exec(text)?.[1];
  for (const f of froms) {
    const image = f.args.split(/\s+/)[0] ?? '';
    if (!image.startsWith('node:')) continue;
    const version =
      /^node:(\d+)/.exec(image)?.[1] ?? (image.includes('${NODE_VERSION}') ? nodeArg : undefined);
    if (!version || !LTS.has(version)) problems.push(`${image}: not a Node LTS`);
  }
  const lastFrom = ins.lastIndexOf(froms[froms.length - 1]!);
  const final = ins.slice(lastFrom + 1);
  const users = final.filter((i) => i.op === 'USER').map((i) => i.args.split(':')[0]);
  const user = users[users.length - 1];
  if (!user || user === 'root' || user === '0') {
    problems.push('the final stage must set a non-root USER');
  }
  if (!final.some((i) => i.op === 'HEALTHCHECK' && !/^NONE\b/i.test(i.args))) {
    problems.push('the final stage needs a HEALTHCHECK');
  }
  if (!final.some((i) => i.op === 'ENV' && /\bHOST=0\.0\.0\.0\b/.test(i.args))) {
    problems.push('the final stage must set HOST=0.0.0.0 (the apps bind 127.0.0.1 by default)');
  }
  return problems;
}
