import type { Condition } from '@taskyard/api';
import type { ControllerContext } from '../controllers/controller-context.js';
import { objectPath, type ResourceType } from '../kube/resource-paths.js';
import { FIELD_MANAGER } from '../render/operator-labels.js';
import { sameStatus } from './same-status.js';
import { setConditions, type ConditionInput } from './set-condition.js';

interface StatusBase {
  conditions?: Condition[] | undefined;
  observedGeneration?: number | undefined;
}

interface WithStatus<S> {
  apiVersion: string;
  metadata: { name: string; namespace?: string | undefined; generation?: number | undefined };
  status?: S | undefined;
}

/**
 * Writes a resource's status through the status subresource (server-side apply with the operator's field
 * manager), with its conditions merged and observedGeneration set; skips the write when nothing changed, so
 * a status write never wakes the operator for nothing.
 */
export async function writeStatus<S extends StatusBase>(
  ctx: ControllerContext,
  type: ResourceType,
  stored: WithStatus<S>,
  body: S,
  conditions: ConditionInput[],
): Promise<void> {
  const generation = stored.metadata.generation;
  const status: S = {
    ...body,
    conditions: setConditions(stored.status?.conditions, conditions, generation, new Date(ctx.clock.now())),
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
  };
  if (sameStatus(status, stored.status)) return;
  const { namespace = '', name } = stored.metadata;
  await ctx.client.apply(
    objectPath(type, namespace, name, 'status'),
    { apiVersion: stored.apiVersion, kind: type.kind, metadata: { name, namespace }, status },
    FIELD_MANAGER,
  );
}
