/**
 * JSON schemas for what no npm package ships: the subset of the CloudNativePG Cluster CRD, the NATS
 * Helm chart's values and kustomization.yaml that deploy/ uses (field names from their docs).
 * Unknown fields are refused here, so a typo in a key we rely on is caught.
 */

const quantity = { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|Ti)?$' };
const resources = {
  type: 'object',
  additionalProperties: false,
  properties: {
    requests: { type: 'object', additionalProperties: quantity },
    limits: { type: 'object', additionalProperties: quantity },
  },
};
const secretRef = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1 } },
};

export const CNPG_CLUSTER_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'postgresql.cnpg.io/v1' },
    kind: { const: 'Cluster' },
    metadata: { type: 'object', required: ['name'] },
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['instances', 'storage'],
      properties: {
        instances: { type: 'integer', minimum: 1 },
        imageName: { type: 'string' },
        primaryUpdateStrategy: { enum: ['unsupervised', 'supervised'] },
        storage: {
          type: 'object',
          required: ['size'],
          properties: { size: quantity, storageClass: { type: 'string' } },
        },
        walStorage: {
          type: 'object',
          required: ['size'],
          properties: { size: quantity, storageClass: { type: 'string' } },
        },
        postgresql: {
          type: 'object',
          properties: { parameters: { type: 'object', additionalProperties: { type: 'string' } } },
        },
        bootstrap: {
          type: 'object',
          additionalProperties: false,
          properties: {
            initdb: {
              type: 'object',
              additionalProperties: false,
              properties: {
                database: { type: 'string' },
                owner: { type: 'string' },
                secret: secretRef,
              },
            },
          },
        },
        managed: {
          type: 'object',
          properties: {
            roles: {
              type: 'array',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['name'],
                properties: {
                  name: { type: 'string' },
                  ensure: { enum: ['present', 'absent'] },
                  login: { type: 'boolean' },
                  createrole: { type: 'boolean' },
                  createdb: { type: 'boolean' },
                  superuser: { type: 'boolean' },
                  passwordSecret: secretRef,
                },
              },
            },
          },
        },
        affinity: {
          type: 'object',
          properties: {
            topologyKey: { type: 'string' },
            enablePodAntiAffinity: { type: 'boolean' },
          },
        },
        resources,
        monitoring: { type: 'object', properties: { enablePodMonitor: { type: 'boolean' } } },
      },
    },
  },
};

export const KUSTOMIZATION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'resources'],
  properties: {
    apiVersion: { const: 'kustomize.config.k8s.io/v1beta1' },
    kind: { const: 'Kustomization' },
    namespace: { type: 'string' },
    resources: { type: 'array', minItems: 1, items: { type: 'string' } },
    images: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { type: 'string' },
          newName: { type: 'string' },
          newTag: { type: 'string' },
          digest: { type: 'string' },
        },
      },
    },
  },
};

const patchList = {
  type: 'array',
  items: {
    type: 'object',
    required: ['op', 'path'],
    properties: { op: { enum: ['add', 'remove', 'replace', 'copy', 'move', 'test'] } },
  },
};

/** The NATS chart (1.x): a 3-node cluster with JetStream on volumes, as Omnigate requires. */
export const NATS_VALUES_SCHEMA = {
  type: 'object',
  required: ['config'],
  properties: {
    config: {
      type: 'object',
      required: ['cluster', 'jetstream'],
      properties: {
        cluster: {
          type: 'object',
          required: ['enabled', 'replicas'],
          properties: {
            enabled: { const: true },
            // R3 streams need three servers; more must stay odd for the RAFT quorum.
            replicas: { type: 'integer', minimum: 3, not: { multipleOf: 2 } },
            merge: { type: 'object' },
          },
        },
        jetstream: {
          type: 'object',
          required: ['enabled', 'fileStore'],
          properties: {
            enabled: { const: true },
            fileStore: {
              type: 'object',
              required: ['enabled', 'pvc'],
              properties: {
                enabled: { const: true },
                dir: { type: 'string' },
                pvc: {
                  type: 'object',
                  required: ['enabled', 'size'],
                  additionalProperties: false,
                  properties: {
                    enabled: { const: true },
                    size: quantity,
                    storageClassName: { type: 'string' },
                  },
                },
              },
            },
            memoryStore: { type: 'object' },
            merge: { type: 'object' },
          },
        },
        merge: { type: 'object' },
        monitor: { type: 'object' },
      },
    },
    container: {
      type: 'object',
      additionalProperties: false,
      properties: { merge: { type: 'object' }, patch: patchList },
    },
    podTemplate: {
      type: 'object',
      additionalProperties: false,
      properties: {
        merge: { type: 'object' },
        patch: patchList,
        topologySpreadConstraints: { type: 'object' },
      },
    },
    podDisruptionBudget: { type: 'object', properties: { enabled: { type: 'boolean' } } },
    natsBox: { type: 'object', properties: { enabled: { type: 'boolean' } } },
  },
};
