import { z } from 'zod';

/**
 * A status condition, the Kubernetes convention (metav1.Condition) shared by the three resources.
 * Types used: `Ready`, `Progressing`, `Degraded`.
 */
export const conditionSchema = z.strictObject({
  /** Condition type, e.g. `Ready`; unique within the list. */
  type: z.string().min(1).max(316).describe('Condition type, e.g. Ready, Progressing, Degraded; unique within the list.'),
  /** `True`, `False` or `Unknown`. */
  status: z.enum(['True', 'False', 'Unknown']).describe('True, False or Unknown.'),
  /** CamelCase reason for the last transition, e.g. `QueueReachable`. */
  reason: z.string().max(1024).optional().describe('CamelCase reason for the last transition.'),
  /** Human-readable detail: what is wrong and what to do. */
  message: z.string().max(32768).optional().describe('Human-readable detail: what is wrong and what to do.'),
  /** RFC 3339 time the status last changed. */
  lastTransitionTime: z.iso.datetime({ offset: true }).optional().describe('RFC 3339 time the status last changed.'),
  /** metadata.generation the condition was computed from. */
  observedGeneration: z.int().min(0).optional().describe('metadata.generation the condition was computed from.'),
});

export type Condition = z.infer<typeof conditionSchema>;

/** A conditions list: a list-map keyed by `type`, so server-side apply merges conditions one by one. */
export const conditionsSchema = z
  .array(conditionSchema)
  .max(16)
  .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] })
  .describe('Status conditions (Ready, Progressing, Degraded), keyed by type.');
