/** The uid and gid the runtime image runs as (a non-root user made in its base image). */
export const RUNTIME_UID = 1000;

/** Pod-level security of every pod the operator renders: the "restricted" Pod Security Standard. */
export function restrictedPodSecurityContext() {
  return {
    runAsNonRoot: true,
    runAsUser: RUNTIME_UID,
    runAsGroup: RUNTIME_UID,
    fsGroup: RUNTIME_UID,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level security: no root, no writes to the image, no capabilities, no privilege escalation. */
export function restrictedContainerSecurityContext() {
  return {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
