/** Options of the Lease-based leader election. */
export interface LeaseElectorOptions {
  /** Namespace of the Lease. */
  namespace: string;
  /** Name of the Lease; default `taskyard-operator`. */
  name?: string;
  /** This replica's identity (pod name plus a random suffix by default). */
  identity: string;
  /** Seconds a Lease stays valid without renewal; a standby takes over after it; default 15. */
  leaseDurationSeconds?: number;
  /** Seconds between attempts to acquire or renew; default 2. */
  retryPeriodSeconds?: number;
  /** Seconds the leader keeps trying to renew before giving up leadership; default 10. */
  renewDeadlineSeconds?: number;
}
