import { z } from 'zod';
import { kubeNameSchema } from './kube-name.js';

/** A Kubernetes quantity (`500m`, `1Gi`, `2`): an integer or a string, as in core/v1. */
const quantitySchema = z
  .union([z.int().min(0), z.string().regex(/^[+]?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?[0-9]+))?$/)])
  .describe('A Kubernetes quantity, e.g. 500m, 1Gi, 2.');

const resourceListSchema = z.record(z.string(), quantitySchema);

/** Any JSON object Kubernetes itself validates when the operator applies the Deployment. */
const kubeObject = (description: string) =>
  z.record(z.string(), z.unknown()).meta({ 'x-kubernetes-preserve-unknown-fields': true }).describe(description);

const envVarSchema = z.strictObject({
  name: z.string().min(1).describe('Variable name.'),
  value: z.string().optional().describe('Literal value.'),
  valueFrom: kubeObject('Source of the value (secretKeyRef, configMapKeyRef, fieldRef, resourceFieldRef), as core/v1 EnvVarSource.').optional(),
});

const envFromSourceSchema = z.strictObject({
  prefix: z.string().optional().describe('Prefix added to every variable name.'),
  configMapRef: z
    .strictObject({ name: kubeNameSchema, optional: z.boolean().optional() })
    .optional()
    .describe('All keys of a ConfigMap.'),
  secretRef: z
    .strictObject({ name: kubeNameSchema, optional: z.boolean().optional() })
    .optional()
    .describe('All keys of a Secret.'),
});

const tolerationSchema = z.strictObject({
  key: z.string().optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
  tolerationSeconds: z.int().optional(),
});

/** What the operator copies into the worker pods it renders (the rest it decides itself). */
export const workerPodTemplateSchema = z
  .strictObject({
    /** Container resources (requests, limits), as core/v1 ResourceRequirements. Default: none. */
    resources: z
      .strictObject({
        requests: resourceListSchema.optional().describe('Requested resources, e.g. {cpu: 100m, memory: 128Mi}.'),
        limits: resourceListSchema.optional().describe('Resource limits.'),
      })
      .optional()
      .describe('Container resources (requests, limits).'),
    /** Extra environment variables of the worker container (e.g. TASKYARD_LOG_LEVEL). */
    env: z.array(envVarSchema).max(256).optional().describe('Extra environment variables of the worker container.'),
    /** Environment from ConfigMaps and Secrets. */
    envFrom: z.array(envFromSourceSchema).max(64).optional().describe('Environment from ConfigMaps and Secrets.'),
    nodeSelector: z.record(z.string(), z.string()).optional().describe('Node labels the pods must match.'),
    tolerations: z.array(tolerationSchema).max(64).optional().describe('Taints the pods tolerate, as core/v1 Toleration.'),
    affinity: kubeObject('Pod affinity, as core/v1 Affinity.').optional(),
    /** Default: the namespace's `default` ServiceAccount. */
    serviceAccountName: kubeNameSchema.optional().describe("ServiceAccount of the pods. Default: the namespace's default."),
    /** Worker runtime image. Default: the operator's configured runtime image. */
    image: z.string().min(1).max(1024).optional().describe("Worker runtime image. Default: the operator's runtime image."),
    /** Default `IfNotPresent` (images are built and loaded locally). */
    imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional().describe('Image pull policy. Default IfNotPresent.'),
    /**
     * Time a draining pod gets after SIGTERM to finish its running tasks.
     * Default: the longest hard time limit of the pool's queues plus 10 s, else 30 s.
     */
    terminationGracePeriodSeconds: z
      .int()
      .min(0)
      .max(86_400)
      .optional()
      .describe("Seconds a draining pod gets to finish running tasks. Default: the queues' longest hard time limit + 10, else 30."),
  })
  .describe('Settings copied into the worker pods.');

export type WorkerPodTemplate = z.infer<typeof workerPodTemplateSchema>;
