import { createHash } from 'node:crypto';

/**
 * A child's name: the owner's name when it fits in `maxLength`, else a prefix of it plus a short hash, so
 * long owner names still give valid, stable and distinct child names. CronJob names must fit 52 characters
 * (the Job controller appends an 11-character suffix); Deployment names fit 253 but their pods' generated
 * names are cut at 63, so worker Deployments use 63 as well.
 */
export function childName(ownerName: string, maxLength: number): string {
  if (ownerName.length <= maxLength) return ownerName;
  const hash = createHash('sha256').update(ownerName).digest('hex').slice(0, 8);
  const head = ownerName.slice(0, maxLength - hash.length - 1).replace(/[-.]+$/, '');
  return `${head}-${hash}`;
}
