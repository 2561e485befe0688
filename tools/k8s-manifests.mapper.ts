import type { DeployApp } from './deploy-apps';

/** A Kubernetes object as plain data (validated by tools/validate-deploy.ts, not typed here). */
export type K8sObject = Record<string, unknown>;

export const NAMESPACE = 'omnigate';
/** Where the official NATS chart and the CloudNativePG cluster live (deploy/k8s/nats, postgres). */
export const NATS_NAMESPACE = 'nats';
export const DB_NAMESPACE = 'omnigate-db';
export const DB_CLUSTER = 'omnigate-pg';
export const MANAGEMENT_PORT = 9464;
/** Internet egress: anything but the private ranges (the cluster's own traffic has its own rules). */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

const labels = (name: string) => ({
  'app.kubernetes.io/name': name,
  'app.kubernetes.io/part-of': 'omnigate',
});
const meta = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  namespace: NAMESPACE,
  labels: labels(name),
  ...extra,
});
const selector = (name: string) => ({ 'app.kubernetes.io/name': name });
const nsSelector = (ns: string) => ({ 'kubernetes.io/metadata.name': ns });

const httpGet = (path: string) => ({ httpGet: { path, port: 'http' }, timeoutSeconds: 3 });

function container(a: DeployApp, version: string): K8sObject {
  const ports = [
    { name: 'http', containerPort: a.port },
    { name: 'management', containerPort: MANAGEMENT_PORT },
    ...(a.extraPorts ?? []).map((p) => ({ name: p.name, containerPort: p.port })),
  ];
  const mounts = [
    { name: 'tmp', mountPath: '/tmp' },
    ...(a.single?.volume ? [{ name: 'data', mountPath: a.single.volume.mountPath }] : []),
  ];
  return {
    name: a.app,
    image: `${a.image ?? `omnigate/${a.app}`}:${version}`,
    ports,
    env: [{ name: 'NATS_USER', value: a.app }],
    envFrom: [
      { configMapRef: { name: 'omnigate-common' } },
      { configMapRef: { name: `omnigate-${a.name}` } },
      { secretRef: { name: `omnigate-${a.app}` } },
    ],
    // Gateways wait up to 60 s for the router's streams at start: 2 minutes before liveness counts.
    startupProbe: { ...httpGet('/health/live'), periodSeconds: 5, failureThreshold: 24 },
    livenessProbe: { ...httpGet('/health/live'), periodSeconds: 10, failureThreshold: 3 },
    // /health fails while NATS or the database is away: the pod leaves the Service, not the node.
    readinessProbe: { ...httpGet('/health'), periodSeconds: 5, failureThreshold: 3 },
    resources: {
      requests: { cpu: a.cpu, memory: a.memory },
      limits: { memory: a.memoryLimit },
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: !a.writableRoot,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: mounts,
  };
}

export function deployment(a: DeployApp, version: string): K8sObject {
  const volumes: K8sObject[] = [{ name: 'tmp', emptyDir: {} }];
  if (a.single?.volume) {
    volumes.push({ name: 'data', persistentVolumeClaim: { claimName: `${a.name}-data` } });
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(a.name, a.single ? { annotations: { 'omnigate.io/single': a.single.why } } : {}),
    spec: {
      // Single: one instance, and Recreate so the old pod stops before the new one polls.
      replicas: a.single ? 1 : 2,
      ...(a.single ? { strategy: { type: 'Recreate' } } : {}),
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector(a.name) },
      template: {
        metadata: {
          labels: { ...labels(a.name), 'omnigate.io/database': String(a.database) },
          annotations: {
            'prometheus.io/scrape': 'true',
            'prometheus.io/port': String(MANAGEMENT_PORT),
          },
        },
        spec: {
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 30,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 1000,
            fsGroup: 1000,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          topologySpreadConstraints: a.single
            ? []
            : [
                {
                  maxSkew: 1,
                  topologyKey: 'kubernetes.io/hostname',
                  whenUnsatisfiable: 'ScheduleAnyway',
                  labelSelector: { matchLabels: selector(a.name) },
                },
              ],
          containers: [container(a, version)],
          volumes,
        },
      },
    },
  };
}

export function service(a: DeployApp): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(a.name),
    spec: {
      selector: selector(a.name),
      ports: [{ name: 'http', port: a.port, targetPort: 'http' }],
    },
  };
}

/** The MX: port 25 outside, the listener's 2525 inside; Local keeps the client IP (SPF). */
export function smtpService(a: DeployApp): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(`${a.name}-smtp`),
    spec: {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      selector: selector(a.name),
      ports: [{ name: 'smtp', port: 25, targetPort: 'smtp' }],
    },
  };
}

export function hpa(a: DeployApp): K8sObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(a.name),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: a.name },
      minReplicas: 2,
      maxReplicas: a.maxReplicas ?? 8,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
      ],
      // Scale down slowly: a consumer that leaves hands its pending messages back after ack_wait.
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    },
  };
}

export function pdb(a: DeployApp): K8sObject {
  // A single-instance mode cannot stay up through a drain; maxUnavailable 1 lets the drain proceed.
  const budget = a.single ? { maxUnavailable: 1 } : { minAvailable: 1 };
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(a.name),
    spec: { ...budget, selector: { matchLabels: selector(a.name) } },
  };
}

export function pvc(a: DeployApp): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta(`${a.name}-data`),
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: a.single?.volume?.size ?? '1Gi' } },
    },
  };
}

export function configMap(name: string, data: Record<string, string>): K8sObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(name), data };
}

/** A Secret template: every key the app reads, no value (fill from the secret store). */
export function secretTemplate(app: string, keys: string[]): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(`omnigate-${app}`),
    type: 'Opaque',
    stringData: Object.fromEntries(keys.map((k) => [k, ''])),
  };
}

const DNS_EGRESS = {
  to: [{ namespaceSelector: { matchLabels: nsSelector('kube-system') } }],
  ports: [
    { protocol: 'UDP', port: 53 },
    { protocol: 'TCP', port: 53 },
  ],
};
const NATS_EGRESS = {
  to: [
    {
      namespaceSelector: { matchLabels: nsSelector(NATS_NAMESPACE) },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'nats' } },
    },
  ],
  ports: [{ protocol: 'TCP', port: 4222 }],
};
export const DB_EGRESS = {
  to: [
    {
      namespaceSelector: { matchLabels: nsSelector(DB_NAMESPACE) },
      podSelector: { matchLabels: { 'cnpg.io/cluster': DB_CLUSTER } },
    },
  ],
  ports: [{ protocol: 'TCP', port: 5432 }],
};

export function networkPolicy(a: DeployApp): K8sObject {
  const ingress: K8sObject[] = [
    {
      from: [{ namespaceSelector: { matchLabels: nsSelector('monitoring') } }],
      ports: [{ protocol: 'TCP', port: MANAGEMENT_PORT }],
    },
  ];
  if (a.publicHttp) ingress.push({ ports: [{ protocol: 'TCP', port: a.port }] });
  for (const p of a.extraPorts ?? []) ingress.push({ ports: [{ protocol: 'TCP', port: p.port }] });
  // kubelet's probes come from the node and are not subject to NetworkPolicy.
  const egress: K8sObject[] = [DNS_EGRESS, NATS_EGRESS];
  if (a.database) egress.push(DB_EGRESS);
  if (a.internetPorts.length > 0) {
    egress.push({
      to: [{ ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE_RANGES } }],
      ports: a.internetPorts.map((port) => ({ protocol: 'TCP', port })),
    });
  }
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(a.name),
    spec: {
      podSelector: { matchLabels: selector(a.name) },
      policyTypes: ['Ingress', 'Egress'],
      ingress,
      egress,
    },
  };
}

/** Everything in the namespace is denied unless an app's own policy allows it. */
export function defaultDeny(): K8sObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta('default-deny'),
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  };
}

/** The migration Job: `npm run migrate` as the DDL role, once before each rollout. */
export function migrateJob(version: string): K8sObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta('omnigate-migrate'),
    spec: {
      backoffLimit: 3,
      activeDeadlineSeconds: 900,
      ttlSecondsAfterFinished: 86_400,
      template: {
        metadata: { labels: labels('omnigate-migrate') },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 1000,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'migrate',
              image: `omnigate/migrate:${version}`,
              // DATABASE_URL (a role that may run DDL and create roles), DB_PASSWORD_ROUTER,
              // DB_PASSWORD_CONSOLE, DB_PASSWORD_VAULT: the apps' roles get these passwords.
              envFrom: [{ secretRef: { name: 'omnigate-migrate' } }],
              resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              // swc's on-the-fly compile caches under /tmp.
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

export function migrateNetworkPolicy(): K8sObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta('omnigate-migrate'),
    spec: {
      podSelector: { matchLabels: selector('omnigate-migrate') },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [DNS_EGRESS, DB_EGRESS],
    },
  };
}

export function namespace(name: string): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        'app.kubernetes.io/part-of': 'omnigate',
        // Pod Security Admission: every pod above runs as the restricted profile requires.
        'pod-security.kubernetes.io/enforce': 'restricted',
      },
    },
  };
}
