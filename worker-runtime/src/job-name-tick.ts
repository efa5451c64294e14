/**
 * The scheduled time encoded in a CronJob's Job name: Kubernetes names them
 * `<cronjob-name>-<scheduled time in minutes since the Unix epoch>`. Pure; throws naming the
 * expected form when the name has no numeric suffix.
 */
export function jobNameTick(jobName: string): Date {
  const m = /-(\d{1,12})$/.exec(jobName);
  if (!m || m[1] === undefined) {
    throw new Error(`job name ${JSON.stringify(jobName)} does not end in "-<minutes since epoch>" as CronJob Jobs do; pass --tick <ISO time> instead`);
  }
  return new Date(Number(m[1]) * 60_000);
}
