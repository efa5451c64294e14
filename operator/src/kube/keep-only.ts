/** A trim keeping metadata, status (unless a status path is listed) and the listed `spec.x` / `status.x` fields. */
export function keepOnly(paths: string[]): (obj: object) => void {
  const keep = (section: 'spec' | 'status') => paths.filter((p) => p.startsWith(`${section}.`)).map((p) => p.slice(section.length + 1));
  const specKeys = keep('spec');
  const statusKeys = keep('status');
  const pick = (value: unknown, keys: string[]) => {
    if (value === null || typeof value !== 'object') return value;
    const source = value as Record<string, unknown>;
    return Object.fromEntries(keys.filter((k) => k in source).map((k) => [k, source[k]]));
  };
  return (target) => {
    const obj = target as { spec?: unknown; status?: unknown };
    if (obj.spec !== undefined) obj.spec = pick(obj.spec, specKeys);
    if (statusKeys.length > 0 && obj.status !== undefined) obj.status = pick(obj.status, statusKeys);
  };
}
