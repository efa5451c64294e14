import { z } from 'zod';
import { kubeNameSchema } from './kube-name.js';

/**
 * The part of Kubernetes object metadata Taskyard reads. Loose on purpose: objects read back from
 * the API server carry more (managedFields, finalizers, ownerReferences...) and must still parse.
 * The CRD does not describe metadata: the API server validates it.
 */
export const objectMetaSchema = z.looseObject({
  name: kubeNameSchema,
  namespace: z.string().optional(),
  uid: z.string().optional(),
  generation: z.int().optional(),
  resourceVersion: z.string().optional(),
  creationTimestamp: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

export type ObjectMeta = z.infer<typeof objectMetaSchema>;
