import { z } from 'zod';
import { API_GROUP_VERSION } from './api-group.js';
import { conditionsSchema } from './condition.js';
import { withCrossFieldRules } from './cross-field-rule.js';
import { kubeNameSchema } from './kube-name.js';
import { objectMetaSchema } from './object-meta.js';
import { workerPodTemplateSchema } from './worker-pod-template.js';

/** Where the task bundle comes from: exactly one of configMap, image, url. */
export const bundleSourceSchema = withCrossFieldRules(
  z.strictObject({
    /** A ConfigMap key holding the bundle (one ES module file); mounted read-only into the pods. */
    configMap: z
      .strictObject({
        name: kubeNameSchema.describe("ConfigMap in the WorkerPool's namespace."),
        key: z
          .string()
          .min(1)
          .max(253)
          .regex(/^[-._a-zA-Z0-9]+$/, { message: 'must be a ConfigMap key: letters, digits, "-", "_" and "."' })
          .describe('Key holding the bundle module, e.g. bundle.mjs.'),
      })
      .optional()
      .describe('A ConfigMap key holding the bundle (an ES module).'),
    /** An image holding the bundle; an init container copies `path` into the pods. */
    image: z
      .strictObject({
        ref: z.string().min(1).max(1024).describe('Image reference, e.g. my-tasks:1.2.0.'),
        /** Default `/bundle`. */
        path: z
          .string()
          .regex(/^\//, { message: 'must be an absolute path' })
          .max(4096)
          .default('/bundle')
          .describe('Path of the bundle (file or directory) inside the image. Default /bundle.'),
      })
      .optional()
      .describe('An image holding the bundle; an init container copies it into the pods.'),
    /** A bundle downloaded at start; its sha256 is checked before any code runs. */
    url: z
      .strictObject({
        href: z
          .string()
          .max(4096)
          .regex(/^https?:\/\/\S+$/, { message: 'must be an http:// or https:// URL' })
          .describe('http:// or https:// URL of the bundle module.'),
        sha256: z
          .string()
          .regex(/^[0-9a-f]{64}$/, { message: 'must be 64 lower-case hex digits (the output of sha256sum)' })
          .describe('Hex SHA-256 the download must match before any code runs (sha256sum output).'),
      })
      .optional()
      .describe('A bundle downloaded at start, checked against its SHA-256 before any code runs.'),
  }),
  [
    {
      rule: '[has(self.configMap), has(self.image), has(self.url)].filter(x, x).size() == 1',
      message: 'set exactly one bundle source: configMap, image or url',
      reason: 'FieldValueInvalid',
      holds: (b) => [b.configMap, b.image, b.url].filter((source) => source !== undefined).length === 1,
    },
  ],
).describe('Where the task bundle comes from: exactly one of configMap, image, url.');

export type BundleSource = z.infer<typeof bundleSourceSchema>;

/** Queue-depth autoscaling, scale to zero included. */
export const autoscalingSchema = withCrossFieldRules(
  z.strictObject({
    /** Default 0: no pods while the queues are empty. */
    minReplicas: z.int().min(0).max(1000).default(0).describe('Fewest replicas; 0 scales to zero when idle. Default 0.'),
    maxReplicas: z.int().min(1).max(1000).describe('Most replicas.'),
    /** Default 10: one replica per 10 waiting tasks. */
    targetBacklogPerReplica: z
      .int()
      .min(1)
      .max(1_000_000)
      .default(10)
      .describe('Waiting tasks per replica the scaler aims at. Default 10.'),
    /** Default 5. */
    pollSeconds: z.int().min(1).max(3600).default(5).describe('Seconds between queue-depth reads. Default 5.'),
    /** Default 60: a lower desired count must hold this long before pods are removed. */
    scaleDownDelaySeconds: z
      .int()
      .min(0)
      .max(86_400)
      .default(60)
      .describe('Seconds a lower desired count must hold before scaling down. Default 60.'),
    /** Default 300: the queues must stay empty with nothing running this long before scaling to zero. */
    idleSecondsBeforeZero: z
      .int()
      .min(0)
      .max(86_400)
      .default(300)
      .describe('Seconds the queues must be idle (nothing waiting or running) before scaling to zero. Default 300.'),
  }),
  [
    {
      rule: '!has(self.minReplicas) || self.minReplicas <= self.maxReplicas',
      message: 'minReplicas must not exceed maxReplicas',
      fieldPath: '.minReplicas',
      reason: 'FieldValueInvalid',
      holds: (a) => a.minReplicas <= a.maxReplicas,
    },
  ],
).describe('Queue-depth autoscaling. Mutually exclusive with replicas.');

export type Autoscaling = z.infer<typeof autoscalingSchema>;

export const workerPoolSpecSchema = withCrossFieldRules(
  z.strictObject({
    /** TaskQueue names in this namespace, highest priority first. */
    queues: withCrossFieldRules(z.array(kubeNameSchema).min(1).max(32), [
      {
        rule: 'self.all(q, self.exists_one(x, x == q))',
        message: 'must not name a queue twice',
        reason: 'FieldValueInvalid',
        holds: (queues) => new Set(queues).size === queues.length,
      },
    ]).describe('TaskQueue names, highest priority first.'),
    /** Tasks run at once per replica (celery -c). Default 1. */
    concurrency: z.int().min(1).max(10_000).default(1).describe('Tasks run at once per replica (celery -c). Default 1.'),
    bundle: bundleSourceSchema,
    /** A fixed replica count. Default 1 when autoscaling is absent. */
    replicas: z.int().min(0).max(1000).optional().describe('Fixed replica count; mutually exclusive with autoscaling. Default 1 when neither is set.'),
    autoscaling: autoscalingSchema.optional(),
    template: workerPodTemplateSchema.optional(),
  }),
  [
    {
      rule: '!(has(self.replicas) && has(self.autoscaling))',
      message: 'set replicas or autoscaling, not both: remove replicas to autoscale, or autoscaling for a fixed count',
      fieldPath: '.replicas',
      reason: 'FieldValueForbidden',
      holds: (spec) => spec.replicas === undefined || spec.autoscaling === undefined,
    },
  ],
).describe('A Deployment of the worker runtime consuming one or more queues.');

export type WorkerPoolSpec = z.infer<typeof workerPoolSpecSchema>;
export type WorkerPoolSpecInput = z.input<typeof workerPoolSpecSchema>;

export const workerPoolStatusSchema = z
  .strictObject({
    conditions: conditionsSchema.optional(),
    observedGeneration: z.int().min(0).optional().describe('metadata.generation this status was computed from.'),
    replicas: z.int().min(0).optional().describe("Pods of the pool's Deployment."),
    readyReplicas: z.int().min(0).optional().describe('Pods ready.'),
    desiredReplicas: z.int().min(0).optional().describe('Replicas the operator wants (fixed, or from the backlog).'),
    lastScaleTime: z.iso.datetime({ offset: true }).optional().describe('RFC 3339 time of the last change of desiredReplicas.'),
    lastScaleReason: z.string().max(1024).optional().describe('Why desiredReplicas last changed, e.g. "backlog 42 > 2 x 10".'),
    backlog: z.int().min(0).optional().describe('Tasks waiting plus running on the queues at the last poll.'),
  })
  .describe('Observed state of the pool, written by the operator.');

export type WorkerPoolStatus = z.infer<typeof workerPoolStatusSchema>;

export const workerPoolSchema = z
  .strictObject({
    apiVersion: z.literal(API_GROUP_VERSION),
    kind: z.literal('WorkerPool'),
    metadata: objectMetaSchema,
    spec: workerPoolSpecSchema,
    status: workerPoolStatusSchema.optional(),
  })
  .describe('WorkerPool: a Deployment of the worker runtime for one or more queues.');

export type WorkerPool = z.infer<typeof workerPoolSchema>;
export type WorkerPoolInput = z.input<typeof workerPoolSchema>;
