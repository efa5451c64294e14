import { API_GROUP_VERSION } from '@taskyard/api';

/** A controller owner reference, so that deleting the owner garbage-collects the child. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: true;
  blockOwnerDeletion: true;
}

/** The controller reference a child of a Taskyard object carries. Throws when the owner has no uid yet. */
export function ownerReference(owner: { kind: string; metadata: { name: string; uid?: string | undefined } }): OwnerReference {
  const uid = owner.metadata.uid;
  if (!uid) throw new Error(`${owner.kind} ${owner.metadata.name} has no metadata.uid: children need an owner read from the API server`);
  return { apiVersion: API_GROUP_VERSION, kind: owner.kind, name: owner.metadata.name, uid, controller: true, blockOwnerDeletion: true };
}
